#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msnftp.h"
#include "packet.h"

/* Spacing of back-to-back segments of one send. */
#define PIECE_GAP_NS (10 * NS_PER_US)
/* Reaction time of the capturing host (ACKs, FIN answers). */
#define LOCAL_PROC_NS (30 * NS_PER_US)
/* Delayed-ACK timer range for a lone segment. */
#define DACK_MIN_MS 40
#define DACK_SPAN_MS 160

/* PRNG stream tags */
#define TAG_ISN 1
#define TAG_SEG 2
#define TAG_ACK 3
#define TAG_LOSS 4
#define TAG_RTX 5
#define TAG_REORDER 6

typedef struct {
    int64_t t;
    uint64_t end;
} hist_t;

typedef struct {
    hist_t *v;
    size_t n, cap;
} hist_list_t;

typedef struct {
    int active;
    int64_t t;
    uint32_t ackv; /* ack value that satisfies it */
    uint32_t nseg;
} pend_t;

typedef struct {
    uint32_t isn[2];
    int opened, closed;
    int64_t fin_t[2]; /* INT64_MAX: no FIN sent */
    int64_t close_t;  /* first FIN/RST, INT64_MAX if none */
    hist_list_t hist[2];
    pend_t pend[2]; /* pend[d]: ACK owed by the receiver of direction d */
    int run[2];
    uint64_t run_start[2], run_end[2];
    int64_t run_t0[2], run_t[2]; /* first and last write of the run */
    int64_t last_piece_t[2];
    int last_side; /* -1: nothing sent yet, -2: just opened */
    rng_t seg_rng[2];
    rng_t ack_rng;
} cstate_t;

/* A line of an HTTP gateway exchange, collected until its body is written. */
typedef struct {
    uint8_t kind; /* REC_LINE or REC_RAW */
    uint64_t aoff; /* REC_LINE: the line's text in the scenario arena */
    uint32_t alen;
    uint64_t off, end; /* its bytes in the body */
} gw_line_t;

/* The HTTP exchange being written: the `http` statement and the send lines of
 * its session right after it (client lines first: the POST body; then the
 * gateway's lines: the response body). */
typedef struct {
    int active;
    int responding; /* the request is written; what follows is the response */
    int close;
    uint32_t carrier, session;
    uint32_t line; /* of the http statement */
    buf_t body;
    gw_line_t *lines;
    size_t nlines, caplines;
} exchange_t;

typedef struct {
    plan_t *pl;
    const scenario_t *sc;
    const settings_t *set;
    cstate_t *cs;
    char *err;
    size_t errlen;
    uint32_t line;
    int64_t T;                 /* the scenario clock */
    int64_t delay, burst;      /* current positional settings */
    int64_t last_conn;         /* connection and side of the previous send */
    int last_side;
    exchange_t ex;
} ctx_t;

static int plerr(ctx_t *x, const char *msg, const char *name)
{
    snprintf(x->err, x->errlen, "%s:%u: %s '%s'", x->sc->path, (unsigned)x->line, msg, name);
    return GEN_EXIT_SCENARIO;
}

static pkt_t *push_pkt(ctx_t *x, uint32_t conn, int side, int64_t t, uint8_t flags)
{
    plan_t *pl = x->pl;
    grow_array((void **)&pl->pkts, &pl->cappkts, pl->npkts + 1, sizeof *pl->pkts);
    pkt_t *p = &pl->pkts[pl->npkts];
    memset(p, 0, sizeof *p);
    p->key = pl->npkts++;
    p->t = t;
    p->conn = conn;
    p->side = (uint8_t)side;
    p->flags = flags;
    return p;
}

static record_t *push_rec(plan_t *pl, uint32_t conn, int side, int kind, uint64_t start,
                          uint64_t end)
{
    grow_array((void **)&pl->recs, &pl->caprecs, pl->nrecs + 1, sizeof *pl->recs);
    record_t *r = &pl->recs[pl->nrecs++];
    memset(r, 0, sizeof *r);
    r->conn = conn;
    r->carrier = conn;
    r->side = (uint8_t)side;
    r->kind = (uint8_t)kind;
    r->start = start;
    r->end = end;
    return r;
}

static int is_local(ctx_t *x, uint32_t c, int side)
{
    return x->sc->conns[c].local == side;
}

static int64_t rtt_of(ctx_t *x, uint32_t c)
{
    return x->sc->conns[c].rtt_ns;
}

/* Capture time at which `side` reacts to something seen at time t. */
static int64_t reply_time(ctx_t *x, uint32_t c, int side, int64_t t)
{
    return t + (is_local(x, c, side) ? LOCAL_PROC_NS : rtt_of(x, c));
}

/* Bytes of the side's stream sent at or before time t. */
static uint64_t hist_lookup(const hist_list_t *h, int64_t t)
{
    size_t lo = 0, hi = h->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->v[mid].t <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? h->v[lo - 1].end : 0;
}

static void hist_push(hist_list_t *h, int64_t t, uint64_t end)
{
    grow_array((void **)&h->v, &h->cap, h->n + 1, sizeof *h->v);
    h->v[h->n].t = t;
    h->v[h->n].end = end;
    h->n++;
}

/* The acknowledgement number `side` can send at capture time t: what the
 * peer sent that has reached it (a remote sender sees our data one rtt
 * later than the capture point). */
static uint32_t ack_value(ctx_t *x, uint32_t c, int side, int64_t t)
{
    cstate_t *s = &x->cs[c];
    int other = 1 - side;
    int64_t thr = t - (is_local(x, c, side) ? 0 : rtt_of(x, c));
    uint64_t off = hist_lookup(&s->hist[other], thr);
    uint32_t v = s->isn[other] + 1 + (uint32_t)off;
    if (s->fin_t[other] <= thr)
        v++;
    return v;
}

/* The side's own next sequence number at time t. */
static uint32_t seq_at(ctx_t *x, uint32_t c, int side, int64_t t)
{
    cstate_t *s = &x->cs[c];
    uint32_t v = s->isn[side] + 1 + (uint32_t)hist_lookup(&s->hist[side], t);
    if (s->fin_t[side] <= t)
        v++;
    return v;
}

static void emit_pure_ack(ctx_t *x, uint32_t c, int side, int64_t t)
{
    uint32_t a = ack_value(x, c, side, t);
    pkt_t *p = push_pkt(x, c, side, t, TCPF_ACK);
    p->seq = seq_at(x, c, side, t);
    p->ack = a;
}

/* `side` is about to send at time t with ack value v: settle the ACK it
 * owes for the peer's data (emit it first if due, or let v cover it). */
static void settle_owed(ctx_t *x, uint32_t c, int side, int64_t t, uint32_t v)
{
    pend_t *p = &x->cs[c].pend[1 - side];
    if (!p->active)
        return;
    if (p->t <= t) {
        emit_pure_ack(x, c, side, p->t);
        p->active = 0;
    } else if ((int32_t)(v - p->ackv) >= 0) {
        p->active = 0;
    }
}

/* The receiver of direction d got a data segment ending at stream offset
 * `end`, sent at time t. ACK every second segment at once, a lone one after
 * the delayed-ACK timer unless data going the other way carries it. */
static void receiver_ack(ctx_t *x, uint32_t c, int d, int64_t t, uint64_t end)
{
    cstate_t *s = &x->cs[c];
    int r = 1 - d;
    int64_t rt = reply_time(x, c, r, t);
    pend_t *p = &s->pend[d];
    if (p->active && p->t <= rt) {
        emit_pure_ack(x, c, r, p->t);
        p->active = 0;
    }
    if (p->active) {
        p->nseg++;
    } else {
        p->active = 1;
        p->nseg = 1;
    }
    p->ackv = s->isn[d] + 1 + (uint32_t)end;
    if (p->nseg >= 2) {
        emit_pure_ack(x, c, r, rt);
        p->active = 0;
    } else {
        p->t = rt + (DACK_MIN_MS + rng_below(&s->ack_rng, DACK_SPAN_MS)) * NS_PER_MS;
    }
}

static void emit_data(ctx_t *x, uint32_t c, int side, uint64_t off, uint32_t len, int64_t t,
                      int psh)
{
    cstate_t *s = &x->cs[c];
    uint32_t v = ack_value(x, c, side, t);
    settle_owed(x, c, side, t, v);
    pkt_t *p = push_pkt(x, c, side, t, (uint8_t)(TCPF_ACK | (psh ? TCPF_PSH : 0)));
    p->seq = s->isn[side] + 1 + (uint32_t)off;
    p->ack = v;
    p->off = off;
    p->len = len;
    hist_push(&s->hist[side], t, off + len);
    s->last_piece_t[side] = t;
    if (x->set->acks)
        receiver_ack(x, c, side, t, off + len);
}

/* Send stream bytes [a, b) starting at time t, cut into segments. */
static void transmit(ctx_t *x, uint32_t c, int side, uint64_t a, uint64_t b, int64_t t)
{
    cstate_t *s = &x->cs[c];
    const settings_t *st = x->set;
    if (t < s->last_piece_t[side] + PIECE_GAP_NS)
        t = s->last_piece_t[side] + PIECE_GAP_NS;
    while (a < b) {
        uint64_t rem = b - a;
        uint32_t max = st->mss;
        if (st->split_mode == SPLIT_FIXED && st->split_n < max)
            max = st->split_n;
        uint32_t n = rem < max ? (uint32_t)rem : max;
        if (st->split_mode == SPLIT_RANDOM && rng_below(&s->seg_rng[side], 4) != 0)
            n = 1 + rng_below(&s->seg_rng[side], n);
        emit_data(x, c, side, a, n, t, a + n == b);
        a += n;
        t += PIECE_GAP_NS;
    }
}

static void flush_run(ctx_t *x, uint32_t c, int side)
{
    cstate_t *s = &x->cs[c];
    if (!s->run[side])
        return;
    s->run[side] = 0;
    transmit(x, c, side, s->run_start[side], s->run_end[side], s->run_t[side]);
}

/* One application write of stream bytes [a, b) at time t. */
static void unit(ctx_t *x, uint32_t c, int side, uint64_t a, uint64_t b, int64_t t)
{
    cstate_t *s = &x->cs[c];
    if (!x->set->coalesce) {
        transmit(x, c, side, a, b, t);
        return;
    }
    /* Coalesce consecutive writes up to one MSS per segment, and only while a
     * sender's TCP would hold them: Nagle waits for the ACK of what is in
     * flight, at most a round trip plus the peer's delayed-ACK timer. A reply
     * written seconds later (CAL's RINGING, then the JOI) is a segment of its
     * own. */
    int64_t hold = rtt_of(x, c) + (int64_t)(DACK_MIN_MS + DACK_SPAN_MS) * NS_PER_MS;
    if (s->run[side] &&
        (b - s->run_start[side] > x->set->mss || t - s->run_t0[side] > hold))
        flush_run(x, c, side);
    if (!s->run[side]) {
        s->run[side] = 1;
        s->run_start[side] = a;
        s->run_t0[side] = t;
    }
    s->run_end[side] = b;
    s->run_t[side] = t;
}

static int64_t do_open(ctx_t *x, uint32_t c, int64_t t)
{
    cstate_t *s = &x->cs[c];
    const conn_t *cn = &x->sc->conns[c];
    s->opened = 1;
    s->last_side = -2;
    if (!cn->handshake)
        return t;
    pkt_t *p = push_pkt(x, c, SIDE_CLIENT, t, TCPF_SYN);
    p->seq = s->isn[0];
    p->syn = 1;
    int64_t t1 = reply_time(x, c, SIDE_SERVER, t);
    p = push_pkt(x, c, SIDE_SERVER, t1, TCPF_SYN | TCPF_ACK);
    p->seq = s->isn[1];
    p->ack = s->isn[0] + 1;
    p->syn = 1;
    int64_t t2 = reply_time(x, c, SIDE_CLIENT, t1);
    p = push_pkt(x, c, SIDE_CLIENT, t2, TCPF_ACK);
    p->seq = s->isn[0] + 1;
    p->ack = s->isn[1] + 1;
    s->last_piece_t[0] = t2;
    s->last_piece_t[1] = t1;
    return t2;
}

static uint32_t stream_len(ctx_t *x, uint32_t c, int side)
{
    return (uint32_t)x->pl->streams[c * 2 + side].len;
}

static int64_t do_fin(ctx_t *x, uint32_t c, int a, int64_t t)
{
    cstate_t *s = &x->cs[c];
    int b = 1 - a;
    if (t < s->last_piece_t[a] + PIECE_GAP_NS)
        t = s->last_piece_t[a] + PIECE_GAP_NS;
    uint32_t va = ack_value(x, c, a, t);
    settle_owed(x, c, a, t, va);
    pkt_t *p = push_pkt(x, c, a, t, TCPF_FIN | TCPF_ACK);
    p->seq = s->isn[a] + 1 + stream_len(x, c, a);
    p->ack = va;
    s->fin_t[a] = t;
    s->close_t = t;

    int64_t tb = reply_time(x, c, b, t);
    if (tb < s->last_piece_t[b] + PIECE_GAP_NS)
        tb = s->last_piece_t[b] + PIECE_GAP_NS;
    uint32_t vb = ack_value(x, c, b, tb);
    settle_owed(x, c, b, tb, vb);
    p = push_pkt(x, c, b, tb, TCPF_FIN | TCPF_ACK);
    p->seq = s->isn[b] + 1 + stream_len(x, c, b);
    p->ack = vb;
    s->fin_t[b] = tb;

    int64_t ta2 = reply_time(x, c, a, tb);
    p = push_pkt(x, c, a, ta2, TCPF_ACK);
    p->seq = s->isn[a] + 2 + stream_len(x, c, a);
    p->ack = s->isn[b] + 2 + stream_len(x, c, b);
    s->pend[0].active = s->pend[1].active = 0;
    s->closed = 1;
    return t;
}

static int64_t do_rst(ctx_t *x, uint32_t c, int a, int64_t t)
{
    cstate_t *s = &x->cs[c];
    if (t < s->last_piece_t[a] + PIECE_GAP_NS)
        t = s->last_piece_t[a] + PIECE_GAP_NS;
    uint32_t va = ack_value(x, c, a, t);
    settle_owed(x, c, a, t, va);
    /* An ACK the peer owed and would have sent before the reset. */
    pend_t *pp = &s->pend[a];
    if (pp->active && pp->t <= t)
        emit_pure_ack(x, c, 1 - a, pp->t);
    pkt_t *p = push_pkt(x, c, a, t, TCPF_RST | TCPF_ACK);
    p->seq = s->isn[a] + 1 + stream_len(x, c, a);
    p->ack = va;
    s->close_t = t;
    s->pend[0].active = s->pend[1].active = 0;
    s->closed = 1;
    return t;
}

/* Gap before an action by `side` on connection c. */
static int64_t next_time(ctx_t *x, uint32_t c, int side, int64_t T, int same_as_last,
                         int64_t delay, int64_t burst)
{
    cstate_t *s = &x->cs[c];
    int local = x->sc->conns[c].local;
    if (same_as_last || s->last_side == -2)
        return T + burst;
    if (side != local && s->last_side == local) {
        int64_t r = s->last_piece_t[local] + rtt_of(x, c);
        return r > T + burst ? r : T + burst;
    }
    return T + delay;
}

static void send_msnftp(ctx_t *x, const event_t *e, int64_t *T, int64_t burst)
{
    const ftp_spec_t *f = &x->sc->ftps[e->ftp];
    uint32_t c = e->conn;
    int side = e->side;
    buf_t *st = &x->pl->streams[c * 2 + side];
    uint8_t *content = xmalloc(f->upto ? (size_t)f->upto : 1);
    msnftp_content(x->set->seed, f->file, content, (size_t)f->upto);
    uint64_t start = st->len, blocks = 0;
    int first = 1;
    for (uint64_t o = 0; o < f->upto;) {
        uint64_t n = f->upto - o < f->block ? f->upto - o : f->block;
        uint64_t a = st->len;
        msnftp_block(st, content + o, (size_t)n);
        if (!first)
            *T += burst;
        first = 0;
        unit(x, c, side, a, st->len, *T);
        o += n;
        blocks++;
    }
    if (blocks) {
        record_t *r = push_rec(x->pl, c, side, REC_BINARY, start, st->len);
        r->n1 = f->upto;
        r->n2 = blocks;
    }
    if (f->end) {
        uint64_t a = st->len;
        msnftp_end_block(st);
        if (!first)
            *T += burst;
        unit(x, c, side, a, st->len, *T);
        push_rec(x->pl, c, side, REC_BINARY_END, a, st->len);
    }
    free(content);
}

/* Loss, retransmission and reordering, decided per direction in stream
 * order with their own PRNG streams (so enabling one option never changes
 * what another one does). */
static void perturb(ctx_t *x)
{
    plan_t *pl = x->pl;
    const settings_t *st = x->set;
    if (!st->loss_ppm && !st->retransmit_ppm && !st->reorder_ppm)
        return;
    size_t nconn = x->sc->nconns;
    int64_t *prev = xmalloc(nconn * 2 * sizeof *prev);
    rng_t *rl = xmalloc(nconn * 2 * sizeof *rl);
    rng_t *rr = xmalloc(nconn * 2 * sizeof *rr);
    rng_t *ro = xmalloc(nconn * 2 * sizeof *ro);
    for (size_t i = 0; i < nconn * 2; i++) {
        prev[i] = -1;
        rl[i] = rng_derive(st->seed, TAG_LOSS, i / 2, i % 2);
        rr[i] = rng_derive(st->seed, TAG_RTX, i / 2, i % 2);
        ro[i] = rng_derive(st->seed, TAG_REORDER, i / 2, i % 2);
    }
    size_t n0 = pl->npkts;
    for (size_t i = 0; i <= n0; i++) {
        size_t lo, hi;
        int64_t next = -1;
        if (i < n0) {
            pkt_t *p = &pl->pkts[i];
            if (!p->len)
                continue;
            lo = p->conn * 2u + p->side;
            hi = lo + 1;
            p->lost = (uint8_t)rng_chance(&rl[lo], st->loss_ppm);
            next = (int64_t)i;
            if (prev[lo] < 0) {
                prev[lo] = next;
                continue;
            }
        } else {
            /* at the end: every direction's last segment */
            lo = 0;
            hi = nconn * 2;
        }
        for (size_t k = lo; k < hi; k++) {
            if (prev[k] < 0)
                continue;
            /* Decide for the previous segment of this direction; `next` is
             * the one after it (if any). Loss is independent of the rest:
             * a lost segment may still be retransmitted (the copy is then
             * in the capture) or reordered. */
            size_t j = (size_t)prev[k];
            pkt_t *pj = &pl->pkts[j];
            pkt_t *pn = next >= 0 ? &pl->pkts[next] : NULL;
            uint32_t c = pj->conn;
            int64_t rtt = rtt_of(x, c);
            /* Fixed number of draws per segment, whatever is decided. */
            int rtx_hit = rng_chance(&rr[k], st->retransmit_ppm);
            uint32_t mode = rng_below(&rr[k], 3);
            uint32_t r_delay = rng_below(&rr[k], 1000);
            uint64_t r_start = rng_next(&rr[k]), r_extra = rng_next(&rr[k]);
            int reo_hit = rng_chance(&ro[k], st->reorder_ppm);
            /* A segment lost from the capture reached its receiver, which
             * acknowledged it: its sender never resends those bytes (and an
             * analyzer, seeing them acknowledged, rightly gives them up). */
            if (rtx_hit && !pj->lost) {
                int64_t base = rtt > 10 * NS_PER_MS ? rtt : 10 * NS_PER_MS;
                int64_t rt = pj->t + base + (int64_t)r_delay * (base / 1000);
                int64_t close_t = x->cs[c].close_t;
                if (rt >= close_t)
                    rt = pj->t + (close_t - pj->t) / 2;
                uint64_t a = pj->off, b = pj->off + pj->len;
                uint32_t ackv = pj->ack;
                if (mode >= 1 && pj->len > 1)
                    a += 1 + r_start % (pj->len - 1);
                if (mode == 2 && pn && !pn->lost && pn->off == b && pn->t <= rt &&
                    b - a < st->mss) {
                    uint64_t extra = 1 + r_extra % pn->len;
                    if (b - a + extra > st->mss)
                        extra = st->mss - (b - a);
                    b += extra;
                    ackv = pn->ack;
                }
                if (rt > pj->t) {
                    int side = pj->side;
                    uint32_t seq0 = pj->seq - (uint32_t)pj->off;
                    pkt_t *q = push_pkt(x, c, side, rt, TCPF_ACK | TCPF_PSH);
                    q->off = a;
                    q->len = (uint32_t)(b - a);
                    q->seq = seq0 + (uint32_t)a;
                    q->ack = ackv;
                    q->rtx = 1;
                    pj = &pl->pkts[j]; /* push_pkt may have moved the array */
                    pn = next >= 0 ? &pl->pkts[next] : NULL;
                }
            }
            if (reo_hit && pn && pn->t - pj->t <= (rtt > NS_PER_MS ? rtt : NS_PER_MS)) {
                int64_t tt = pj->t;
                uint64_t kk = pj->key;
                pj->t = pn->t;
                pj->key = pn->key;
                pn->t = tt;
                pn->key = kk;
            }
            prev[k] = next;
        }
    }
    free(prev);
    free(rl);
    free(rr);
    free(ro);
}

/* Before `side` writes on TCP connection c: reject a closed connection, open
 * it at first use, end the other side's coalescing run and advance the clock
 * by the gap before a send. */
static int begin_write(ctx_t *x, uint32_t c, int side)
{
    cstate_t *s = &x->cs[c];
    if (s->closed)
        return plerr(x, "connection already closed", x->sc->conns[c].name);
    if (!s->opened)
        x->T = do_open(x, c, x->T + x->delay);
    flush_run(x, c, 1 - side);
    x->T = next_time(x, c, side, x->T, x->last_conn == (int64_t)c && x->last_side == side,
                     x->delay, x->burst);
    return 0;
}

/* After a write by `side` on c that ended its stream at st->len. */
static int end_write(ctx_t *x, uint32_t c, int side)
{
    if (x->pl->streams[c * 2 + side].len > UINT32_MAX - 2)
        return plerr(x, "more than 4 GiB sent on one connection direction", x->sc->conns[c].name);
    x->cs[c].last_side = side;
    x->last_conn = c;
    x->last_side = side;
    return 0;
}

/* Write the collected half of the current exchange: the POST (side client)
 * or the gateway's response (side server), as one application write on the
 * carrier, and the truth records of its MSNP lines. */
static int exchange_write(ctx_t *x, int side)
{
    exchange_t *ex = &x->ex;
    uint32_t c = ex->carrier;
    const conn_t *session = &x->sc->conns[ex->session];
    gw_session_t *g = &x->pl->gws[ex->session];
    uint32_t saved = x->line;
    x->line = ex->line;
    if (side == SIDE_CLIENT && !g->opened && ex->body.len == 0)
        return plerr(x, "the first request of a gateway session carries its first command:",
                     session->name);
    int rc = begin_write(x, c, side);
    if (rc)
        return rc;
    buf_t *st = &x->pl->streams[c * 2 + side];
    uint64_t hstart = st->len;
    if (side == SIDE_CLIENT) {
        gw_request_head(st, session, g, ex->body.len);
        if (!g->opened) {
            g->opened = 1;
            g->first_carrier = c;
            memcpy(g->gw_ip, x->sc->conns[c].ep[SIDE_SERVER].addr, 4);
        }
    } else {
        gw_response_head(st, g, x->T, ex->body.len, ex->close);
        g->closed = ex->close;
    }
    uint64_t hend = st->len;
    buf_append(st, ex->body.data, ex->body.len);
    for (size_t i = 0; i < ex->nlines; i++) {
        const gw_line_t *l = &ex->lines[i];
        record_t *r = push_rec(x->pl, ex->session, side, l->kind, hend + l->off, hend + l->end);
        r->carrier = c;
        r->hstart = hstart;
        r->hend = hend;
        r->aoff = l->aoff;
        r->alen = l->alen;
        r->n1 = l->end - l->off;
    }
    unit(x, c, side, hstart, st->len, x->T);
    ex->body.len = 0;
    ex->nlines = 0;
    x->line = saved;
    return end_write(x, c, side);
}

/* End the current exchange: the request if the gateway said nothing, then
 * the response. */
static int exchange_finish(ctx_t *x)
{
    exchange_t *ex = &x->ex;
    if (!ex->active)
        return 0;
    int rc = 0;
    if (!ex->responding)
        rc = exchange_write(x, SIDE_CLIENT);
    if (!rc)
        rc = exchange_write(x, SIDE_SERVER);
    ex->active = 0;
    return rc;
}

static int exchange_start(ctx_t *x, const event_t *e)
{
    const conn_t *carrier = &x->sc->conns[e->conn];
    const gw_session_t *g = &x->pl->gws[e->gw];
    if (g->closed)
        return plerr(x, "the gateway ended this session (Session=close):",
                     x->sc->conns[e->gw].name);
    if (carrier->ep[SIDE_SERVER].family != 4)
        return plerr(x, "the HTTP gateway is reached over IPv4, not by", carrier->name);
    if (g->opened && memcmp(carrier->ep[SIDE_SERVER].addr, g->gw_ip, 4))
        return plerr(x, "a gateway session continues at its GW-IP, the server of its first "
                        "TCP connection; not by",
                     carrier->name);
    exchange_t *ex = &x->ex;
    ex->active = 1;
    ex->responding = 0;
    ex->close = e->close;
    ex->carrier = e->conn;
    ex->session = e->gw;
    ex->line = e->line;
    return 0;
}

/* A send line of a gateway session: into the body of the current exchange. */
static int exchange_add(ctx_t *x, const event_t *e)
{
    exchange_t *ex = &x->ex;
    const char *name = x->sc->conns[e->conn].name;
    if (!ex->active || ex->session != e->conn)
        return plerr(x, "a gateway session sends only inside an 'http' exchange for it:", name);
    if (e->side == SIDE_CLIENT && ex->responding)
        return plerr(x, "in an exchange the client's lines (the POST body) come before the "
                        "gateway's (the response):",
                     name);
    if (e->side == SIDE_SERVER && !ex->responding) {
        int rc = exchange_write(x, SIDE_CLIENT);
        if (rc)
            return rc;
        ex->responding = 1;
    }
    grow_array((void **)&ex->lines, &ex->caplines, ex->nlines + 1, sizeof *ex->lines);
    gw_line_t *l = &ex->lines[ex->nlines++];
    memset(l, 0, sizeof *l);
    l->kind = e->kind == EV_SEND ? REC_LINE : REC_RAW;
    l->aoff = e->off;
    l->alen = e->text_len;
    l->off = ex->body.len;
    buf_append(&ex->body, x->sc->arena.data + e->off, e->len);
    l->end = ex->body.len;
    return 0;
}

int plan_build(plan_t *pl, const scenario_t *sc, const settings_t *set, char *err,
               size_t errlen)
{
    memset(pl, 0, sizeof *pl);
    pl->sc = sc;
    pl->set = *set;
    size_t nconn = sc->nconns;
    pl->streams = xcalloc(nconn * 2, sizeof *pl->streams);
    pl->gws = xcalloc(nconn ? nconn : 1, sizeof *pl->gws);
    cstate_t *cs = xcalloc(nconn, sizeof *cs);
    pl->priv = cs;
    ctx_t x;
    memset(&x, 0, sizeof x);
    x.pl = pl;
    x.sc = sc;
    x.set = &pl->set;
    x.cs = cs;
    x.err = err;
    x.errlen = errlen;

    for (size_t c = 0; c < nconn; c++) {
        rng_t r = rng_derive(set->seed, TAG_ISN, c, 0);
        cs[c].isn[0] = (uint32_t)rng_next(&r);
        cs[c].isn[1] = (uint32_t)rng_next(&r);
        cs[c].fin_t[0] = cs[c].fin_t[1] = INT64_MAX;
        cs[c].close_t = INT64_MAX;
        cs[c].last_side = -1;
        cs[c].last_piece_t[0] = cs[c].last_piece_t[1] = INT64_MIN / 2;
        cs[c].seg_rng[0] = rng_derive(set->seed, TAG_SEG, c, 0);
        cs[c].seg_rng[1] = rng_derive(set->seed, TAG_SEG, c, 1);
        cs[c].ack_rng = rng_derive(set->seed, TAG_ACK, c, 0);
        if (sc->conns[c].kind == CONN_GATEWAY)
            gw_session_init(&pl->gws[c], set->seed, c);
    }

    x.T = set->start_ns;
    x.delay = set->delay_ns;
    x.burst = set->burst_ns;
    x.last_conn = -1;
    x.last_side = -1;
    int rc = 0;

    for (size_t i = 0; i < sc->nevs && !rc; i++) {
        const event_t *e = &sc->evs[i];
        uint32_t c = e->conn;
        cstate_t *s = &cs[c];
        int is_send = e->kind == EV_SEND || e->kind == EV_RAW;
        x.line = e->line;
        if (x.ex.active && !(is_send && c == x.ex.session)) {
            if ((rc = exchange_finish(&x)) != 0)
                break;
            x.line = e->line;
        }
        switch (e->kind) {
        case EV_WAIT:
            x.T += e->ns;
            continue;
        case EV_DELAY:
            x.delay = e->ns;
            continue;
        case EV_BURST:
            x.burst = e->ns;
            continue;
        case EV_HTTP:
            rc = exchange_start(&x, e);
            continue;
        case EV_OPEN:
            if (s->closed || s->opened) {
                rc = plerr(&x, s->closed ? "connection already closed" : "connection already open",
                           sc->conns[c].name);
                continue;
            }
            x.T = do_open(&x, c, x.T + x.delay);
            x.last_conn = -1;
            continue;
        default:
            break;
        }
        if (is_send && sc->conns[c].kind == CONN_GATEWAY) {
            rc = exchange_add(&x, e);
            continue;
        }
        int side = e->side;
        if (e->kind == EV_FIN || e->kind == EV_RST) {
            if (s->closed) {
                rc = plerr(&x, "connection already closed", sc->conns[c].name);
                continue;
            }
            if (!s->opened)
                x.T = do_open(&x, c, x.T + x.delay);
            flush_run(&x, c, 0);
            flush_run(&x, c, 1);
            x.T = next_time(&x, c, side, x.T, 0, x.delay, x.burst);
            x.T = e->kind == EV_FIN ? do_fin(&x, c, side, x.T) : do_rst(&x, c, side, x.T);
            x.last_conn = -1;
            continue;
        }
        if ((rc = begin_write(&x, c, side)) != 0)
            break;
        buf_t *st = &pl->streams[c * 2 + side];
        if (e->kind == EV_MSNFTP) {
            send_msnftp(&x, e, &x.T, x.burst);
        } else {
            uint64_t a = st->len;
            buf_append(st, sc->arena.data + e->off, e->len);
            if (e->kind == EV_SEND) {
                record_t *r = push_rec(pl, c, side, REC_LINE, a, st->len);
                r->aoff = e->off;
                r->alen = e->text_len;
            } else {
                push_rec(pl, c, side, REC_RAW, a, st->len)->n1 = e->len;
            }
            unit(&x, c, side, a, st->len, x.T);
        }
        rc = end_write(&x, c, side);
    }
    if (!rc)
        rc = exchange_finish(&x);
    buf_free(&x.ex.body);
    free(x.ex.lines);
    for (size_t c = 0; c < nconn && !rc; c++) {
        if (sc->conns[c].kind == CONN_GATEWAY && !pl->gws[c].opened) {
            x.line = sc->conns[c].line;
            rc = plerr(&x, "gateway session never opened by an 'http' exchange:",
                       sc->conns[c].name);
        }
    }
    if (rc)
        return rc;
    for (uint32_t c = 0; c < nconn; c++) {
        flush_run(&x, c, 0);
        flush_run(&x, c, 1);
        for (int d = 0; d < 2; d++) {
            pend_t *p = &cs[c].pend[d];
            if (p->active && !cs[c].closed)
                emit_pure_ack(&x, c, 1 - d, p->t);
            p->active = 0;
        }
    }
    perturb(&x);
    return 0;
}

static int pkt_cmp(const void *a, const void *b)
{
    const pkt_t *p = a, *q = b;
    if (p->t != q->t)
        return p->t < q->t ? -1 : 1;
    return p->key < q->key ? -1 : p->key > q->key;
}

void plan_sort(plan_t *pl)
{
    qsort(pl->pkts, pl->npkts, sizeof *pl->pkts, pkt_cmp);
}

void plan_trim(plan_t *pl)
{
    cstate_t *cs = pl->priv;
    if (cs && pl->sc) {
        for (size_t c = 0; c < pl->sc->nconns; c++) {
            for (int d = 0; d < 2; d++) {
                free(cs[c].hist[d].v);
                cs[c].hist[d].v = NULL;
                cs[c].hist[d].n = cs[c].hist[d].cap = 0;
            }
        }
    }
    free(pl->recs);
    pl->recs = NULL;
    pl->nrecs = pl->caprecs = 0;
}

void plan_free(plan_t *pl)
{
    cstate_t *cs = pl->priv;
    if (pl->sc) {
        for (size_t c = 0; c < pl->sc->nconns; c++) {
            buf_free(&pl->streams[c * 2]);
            buf_free(&pl->streams[c * 2 + 1]);
            if (cs) {
                free(cs[c].hist[0].v);
                free(cs[c].hist[1].v);
            }
        }
    }
    free(cs);
    free(pl->streams);
    free(pl->gws);
    free(pl->pkts);
    free(pl->recs);
    memset(pl, 0, sizeof *pl);
}
