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
    /* A stream that carries nothing has no buffer at all. */
    tp.payload = p->len ? pl->streams[p->conn * 2 + (size_t)s].data + p->off : NULL;
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

/* Is [a, b) of direction (conn, side) inside one captured interval? iv holds
 * the merged, disjoint intervals sorted by (conn, side, a), hence also by
 * (conn, side, b). */
static int captured(const ival_t *iv, size_t n, uint32_t conn, int side, uint64_t a, uint64_t b)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const ival_t *m = &iv[mid];
        if (m->conn < conn || (m->conn == conn && (m->side < side ||
                                                   (m->side == side && m->b <= a))))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && iv[lo].conn == conn && iv[lo].side == side && iv[lo].a <= a &&
           iv[lo].b >= b;
}

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
        int gap[2] = {0, 0};
        for (size_t k = start[c]; k < start[c + 1]; k++) {
            const record_t *r = &pl->recs[order[k]];
            int s = r->side;
            /* Lost unless its bytes are all captured, and (over the gateway)
             * the HTTP header that frames its body too. */
            int lost = (r->end > r->start &&
                        !captured(iv, nm, r->carrier, s, r->start, r->end)) ||
                       (r->hend > r->hstart &&
                        !captured(iv, nm, r->carrier, s, r->hstart, r->hend));
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

/* "conn NAME CLIENT SERVER", or for a gateway session
 * "gateway NAME CLIENT SERVER NS|SB TARGET SESSIONID" with the endpoints of
 * the TCP connection that opened it and the SessionID of the first response. */
static void tw_conn(void *ctx, const plan_t *pl, size_t c)
{
    truth_writer_t *w = ctx;
    const conn_t *cn = &pl->sc->conns[c];
    const gw_session_t *g = cn->kind == CONN_GATEWAY ? &pl->gws[c] : NULL;
    const conn_t *tcp = g ? &pl->sc->conns[g->first_carrier] : cn;
    char a[64], b[64];
    endpoint_format(&tcp->ep[0], a, sizeof a);
    endpoint_format(&tcp->ep[1], b, sizeof b);
    buf_puts(&w->out, g ? "gateway " : "conn ");
    buf_puts(&w->out, cn->name);
    buf_putc(&w->out, ' ');
    buf_puts(&w->out, a);
    buf_putc(&w->out, ' ');
    buf_puts(&w->out, b);
    if (g) {
        buf_putc(&w->out, ' ');
        buf_puts(&w->out, cn->gw_server);
        buf_putc(&w->out, ' ');
        buf_puts(&w->out, cn->gw_target);
        buf_putc(&w->out, ' ');
        buf_puts(&w->out, g->first_sid);
    }
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
