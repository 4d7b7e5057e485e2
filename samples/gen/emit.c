#include "emit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet.h"
#include "pcapout.h"

#define TAG_IPID 7

static const uint8_t gateway_mac[6] = {0x00, 0x1d, 0x7e, 0x4c, 0xa2, 0x10};

static void host_mac(const endpoint_t *ep, uint8_t mac[6])
{
    uint64_t h = fnv1a64(ep->addr, ep->family == 4 ? 4 : 16);
    mac[0] = 0x00; /* VMware OUI: a typical capture host */
    mac[1] = 0x0c;
    mac[2] = 0x29;
    mac[3] = (uint8_t)(h >> 16);
    mac[4] = (uint8_t)(h >> 8);
    mac[5] = (uint8_t)h;
}

void emit_state_init(emit_state_t *es, const plan_t *pl)
{
    const scenario_t *sc = pl->sc;
    const settings_t *st = &pl->set;
    size_t nconn = sc->nconns;
    es->ipid = xmalloc((nconn ? nconn : 1) * 2 * sizeof *es->ipid);
    es->macs = xmalloc((nconn ? nconn : 1) * sizeof *es->macs);
    for (size_t c = 0; c < nconn; c++) {
        for (int s = 0; s < 2; s++) {
            rng_t r = rng_derive(st->seed, TAG_IPID, c, (uint64_t)s);
            es->ipid[c * 2 + (size_t)s] = (uint16_t)rng_next(&r);
        }
        host_mac(&sc->conns[c].ep[sc->conns[c].local], es->macs[c]);
    }
}

void emit_state_free(emit_state_t *es)
{
    free(es->ipid);
    free(es->macs);
    es->ipid = NULL;
    es->macs = NULL;
}

size_t emit_frame(const plan_t *pl, emit_state_t *es, const pkt_t *p, int link,
                  uint16_t vlan_id, uint8_t *frame)
{
    const scenario_t *sc = pl->sc;
    const settings_t *st = &pl->set;
    const conn_t *cn = &sc->conns[p->conn];
    int s = p->side;
    tcp_packet_t tp;
    memset(&tp, 0, sizeof tp);
    tp.src = &cn->ep[s];
    tp.dst = &cn->ep[1 - s];
    tp.outgoing = cn->local == s;
    memcpy(tp.src_mac, tp.outgoing ? es->macs[p->conn] : gateway_mac, 6);
    memcpy(tp.dst_mac, tp.outgoing ? gateway_mac : es->macs[p->conn], 6);
    tp.seq = p->seq;
    tp.ack = p->ack;
    tp.flags = p->flags;
    tp.window = tp.outgoing ? 64240 : 65535;
    tp.mss_opt = p->syn ? (uint16_t)(st->mss > 65535 ? 65535 : st->mss) : 0;
    tp.ip_id = es->ipid[p->conn * 2 + (size_t)s]++;
    tp.ttl = tp.outgoing ? 128 : 113;
    tp.payload = pl->streams[p->conn * 2 + (size_t)s].data + p->off;
    tp.len = p->len;
    return build_frame(frame, link, vlan_id, &tp);
}

int write_capture(const plan_t *pl, const char *path)
{
    const settings_t *st = &pl->set;
    pcapw_t w;
    if (pcapw_open(&w, path, st->format, link_dlt(st->link)) < 0)
        return -1;
    emit_state_t es;
    emit_state_init(&es, pl);
    uint8_t *frame = xmalloc(FRAME_MAX);
    for (size_t i = 0; i < pl->npkts; i++) {
        const pkt_t *p = &pl->pkts[i];
        if (p->lost)
            continue;
        size_t n = emit_frame(pl, &es, p, st->link, st->vlan_id, frame);
        pcapw_packet(&w, p->t, frame, n);
    }
    free(frame);
    emit_state_free(&es);
    return pcapw_close(&w);
}

/* ---------------------------------------------------------------------- */

typedef struct {
    uint32_t conn;
    uint8_t side;
    uint64_t a, b;
} ival_t;

static int ival_cmp(const void *x, const void *y)
{
    const ival_t *p = x, *q = y;
    if (p->conn != q->conn)
        return p->conn < q->conn ? -1 : 1;
    if (p->side != q->side)
        return p->side < q->side ? -1 : 1;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return p->b < q->b ? -1 : p->b > q->b;
}

static const char *const dirname[2] = {"c2s", "s2c"};

/* Visit every connection header and record in truth order, with the
 * lost/resync prefix of each record (0 none, 1 lost, 2 resync). */
void truth_walk(const plan_t *pl, const truth_visitor_t *v, void *ctx)
{
    const scenario_t *sc = pl->sc;
    size_t nconn = sc->nconns;

    /* Bytes present in the capture, per direction, as merged intervals. */
    size_t ni = 0;
    ival_t *iv = xmalloc((pl->npkts ? pl->npkts : 1) * sizeof *iv);
    for (size_t i = 0; i < pl->npkts; i++) {
        const pkt_t *p = &pl->pkts[i];
        if (p->len && !p->lost) {
            iv[ni].conn = p->conn;
            iv[ni].side = p->side;
            iv[ni].a = p->off;
            iv[ni].b = p->off + p->len;
            ni++;
        }
    }
    qsort(iv, ni, sizeof *iv, ival_cmp);
    size_t nm = 0;
    for (size_t i = 0; i < ni; i++) {
        if (nm && iv[nm - 1].conn == iv[i].conn && iv[nm - 1].side == iv[i].side &&
            iv[i].a <= iv[nm - 1].b) {
            if (iv[i].b > iv[nm - 1].b)
                iv[nm - 1].b = iv[i].b;
        } else {
            iv[nm++] = iv[i];
        }
    }
    /* First merged interval of each direction. */
    size_t *first = xmalloc((nconn ? nconn : 1) * 2 * sizeof *first);
    for (size_t k = 0; k < nconn * 2; k++)
        first[k] = SIZE_MAX;
    for (size_t i = nm; i-- > 0;)
        first[iv[i].conn * 2u + iv[i].side] = i;

    /* Records grouped by connection, in send order. */
    size_t *order = xmalloc((pl->nrecs ? pl->nrecs : 1) * sizeof *order);
    size_t *start = xcalloc(nconn + 1, sizeof *start);
    for (size_t i = 0; i < pl->nrecs; i++)
        start[pl->recs[i].conn + 1]++;
    for (size_t c = 0; c < nconn; c++)
        start[c + 1] += start[c];
    size_t *fill = xmalloc((nconn ? nconn : 1) * sizeof *fill);
    memcpy(fill, start, nconn * sizeof *fill);
    for (size_t i = 0; i < pl->nrecs; i++)
        order[fill[pl->recs[i].conn]++] = i;

    for (size_t c = 0; c < nconn; c++) {
        if (v->conn)
            v->conn(ctx, pl, c);
        size_t cur[2] = {first[c * 2], first[c * 2 + 1]};
        int gap[2] = {0, 0};
        for (size_t k = start[c]; k < start[c + 1]; k++) {
            const record_t *r = &pl->recs[order[k]];
            int s = r->side;
            /* Is [start, end) fully inside one captured interval? */
            size_t *ci = &cur[s];
            while (*ci < nm && iv[*ci].conn == c && iv[*ci].side == s && iv[*ci].b <= r->start)
                (*ci)++;
            int lost = r->end > r->start &&
                       !(*ci < nm && iv[*ci].conn == c && iv[*ci].side == s &&
                         iv[*ci].a <= r->start && iv[*ci].b >= r->end);
            int prefix = 0;
            if (lost) {
                prefix = 1;
                gap[s] = 1;
            } else if (gap[s]) {
                prefix = 2;
                gap[s] = 0;
            }
            if (v->rec)
                v->rec(ctx, pl, r, prefix);
        }
    }
    free(iv);
    free(first);
    free(order);
    free(start);
    free(fill);
}

typedef struct {
    FILE *f;
    buf_t out;
    int werr;
} truth_writer_t;

static void tw_flush(truth_writer_t *w, size_t above)
{
    if (w->out.len > above) {
        if (fwrite(w->out.data, 1, w->out.len, w->f) != w->out.len)
            w->werr = 1;
        w->out.len = 0;
    }
}

static void tw_conn(void *ctx, const plan_t *pl, size_t c)
{
    truth_writer_t *w = ctx;
    const conn_t *cn = &pl->sc->conns[c];
    char a[64], b[64];
    endpoint_format(&cn->ep[0], a, sizeof a);
    endpoint_format(&cn->ep[1], b, sizeof b);
    buf_puts(&w->out, "conn ");
    buf_puts(&w->out, cn->name);
    buf_putc(&w->out, ' ');
    buf_puts(&w->out, a);
    buf_putc(&w->out, ' ');
    buf_puts(&w->out, b);
    buf_putc(&w->out, '\n');
}

static void tw_rec(void *ctx, const plan_t *pl, const record_t *r, int prefix)
{
    truth_writer_t *w = ctx;
    buf_t *out = &w->out;
    if (prefix == 1)
        buf_puts(out, "lost ");
    else if (prefix == 2)
        buf_puts(out, "resync ");
    char num[64];
    buf_puts(out, dirname[r->side]);
    switch (r->kind) {
    case REC_LINE:
        buf_putc(out, ' ');
        escape_text(pl->sc->arena.data + r->aoff, r->alen, out);
        break;
    case REC_RAW:
        snprintf(num, sizeof num, "-raw %llu", (unsigned long long)r->n1);
        buf_puts(out, num);
        break;
    case REC_BINARY:
        snprintf(num, sizeof num, "-binary %llu %llu", (unsigned long long)r->n1,
                 (unsigned long long)r->n2);
        buf_puts(out, num);
        break;
    case REC_BINARY_END:
        buf_puts(out, "-binary-end");
        break;
    default:
        break;
    }
    buf_putc(out, '\n');
    tw_flush(w, 1u << 20);
}

int write_truth_records(const plan_t *pl, FILE *f)
{
    truth_writer_t w = {f, {0}, 0};
    truth_visitor_t v = {tw_conn, tw_rec};
    truth_walk(pl, &v, &w);
    tw_flush(&w, 0);
    buf_free(&w.out);
    return w.werr ? -1 : 0;
}

int write_truth(const plan_t *pl, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int bad = fputs(TRUTH_HEADER, f) < 0;
    bad |= write_truth_records(pl, f) < 0;
    bad |= fclose(f) != 0;
    return bad ? -1 : 0;
}
