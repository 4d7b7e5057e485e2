/* TCP reassembly per direction; see tcp_reasm.h.
 *
 * Invariants of an open half (checked by the unit tests through behaviour):
 *   - held pieces never overlap each other and are sorted by sequence; every
 *     piece starts at or after next_seq and ends at or before the FIN;
 *   - a piece of length 0 is a marker: "the `lost` bytes from here passed the
 *     wire but were cut by the snapshot length";
 *   - lost_end, acked and hi_seq are kept >= next_seq after every call, so that
 *     modulo-2^32 comparisons with them stay meaningful however long the
 *     stream runs.
 */
#include "tcp_reasm.h"

#include <stdlib.h>
#include <string.h>

struct tcp_hold {
    tcp_hold *next;
    uint32_t seq;  /* first byte */
    uint32_t len;  /* bytes in data[] */
    uint32_t lost; /* bytes after seq + len that were cut by the snapshot length */
    uint8_t data[];
};

#define COUNT(h, field, v)                    \
    do {                                      \
        (h)->c.field += (v);                  \
        (h)->budget->c.field += (v);          \
    } while (0)

/* a - b as a signed distance on the 2^32 circle (well defined, no casts of
 * out-of-range values). */
static int32_t sdiff(uint32_t a, uint32_t b)
{
    uint32_t d = a - b;
    if (d <= (uint32_t)INT32_MAX)
        return (int32_t)d;
    return -(int32_t)(UINT32_MAX - d) - 1;
}

static int seq_lt(uint32_t a, uint32_t b) { return sdiff(a, b) < 0; }
static int seq_le(uint32_t a, uint32_t b) { return sdiff(a, b) <= 0; }
static int seq_gt(uint32_t a, uint32_t b) { return sdiff(a, b) > 0; }
static int seq_ge(uint32_t a, uint32_t b) { return sdiff(a, b) >= 0; }

void tcp_budget_init(tcp_budget *b)
{
    memset(b, 0, sizeof *b);
    b->max_total = TCP_DEFAULT_MAX_TOTAL;
    b->max_per_half = TCP_DEFAULT_MAX_PER_HALF;
    b->max_segs_per_half = TCP_DEFAULT_MAX_SEGS_PER_HALF;
    b->history_per_half = TCP_DEFAULT_HISTORY;
}

void tcp_half_init(tcp_half *h, int side, tcp_budget *b)
{
    memset(h, 0, sizeof *h);
    h->budget = b;
    h->side = (uint8_t)(side != 0);
    uint32_t want = b->history_per_half;
    if (want > (1u << 20))
        want = 1u << 20;
    uint32_t size = 0;
    if (want) {
        size = 1;
        while (size < want)
            size <<= 1;
    }
    h->hist_size = size;
}

/* ---- held pieces ------------------------------------------------------ */

static tcp_hold *hold_new(tcp_half *h, uint32_t seq, const uint8_t *p, uint32_t len,
                          uint32_t lost)
{
    tcp_hold *n = malloc(sizeof *n + len);
    if (!n)
        return NULL;
    n->next = NULL;
    n->seq = seq;
    n->len = len;
    n->lost = lost;
    if (len)
        memcpy(n->data, p, len);
    h->held_bytes += len;
    h->held_segs++;
    tcp_budget *b = h->budget;
    b->held_total += len;
    if (b->held_total > b->held_peak)
        b->held_peak = b->held_total;
    return n;
}

static void hold_free(tcp_half *h, tcp_hold *n)
{
    h->held_bytes -= n->len;
    h->held_segs--;
    h->budget->held_total -= n->len;
    free(n);
}

/* Link n after prev (NULL: at the head). */
static void hold_link(tcp_half *h, tcp_hold *prev, tcp_hold *n)
{
    if (prev) {
        n->next = prev->next;
        prev->next = n;
    } else {
        n->next = h->head;
        h->head = n;
    }
    if (!n->next)
        h->tail = n;
}

static void hold_free_all(tcp_half *h)
{
    tcp_hold *n = h->head;
    while (n) {
        tcp_hold *next = n->next;
        hold_free(h, n);
        n = next;
    }
    h->head = h->tail = NULL;
}

static void hist_free(tcp_half *h)
{
    if (h->hist) {
        free(h->hist);
        h->hist = NULL;
        h->budget->history_total -= h->hist_size;
    }
    h->hist_size = 0;
    h->hist_fill = 0;
}

/* ---- history of delivered bytes ---------------------------------------- */

static void hist_append(tcp_half *h, const uint8_t *p, uint32_t n)
{
    if (!h->hist_size)
        return;
    if (!h->hist) {
        h->hist = malloc(h->hist_size);
        if (!h->hist) {
            h->hist_size = 0;
            return;
        }
        h->budget->history_total += h->hist_size;
    }
    uint32_t size = h->hist_size, mask = size - 1;
    uint64_t off = h->stream_off; /* stream offset of p[0] */
    uint32_t fill = h->hist_fill + n;
    h->hist_fill = fill < h->hist_fill || fill > size ? size : fill;
    if (n > size) {
        p += n - size;
        off += n - size;
        n = size;
    }
    while (n) {
        uint32_t pos = (uint32_t)(off & mask);
        uint32_t chunk = size - pos < n ? size - pos : n;
        memcpy(h->hist + pos, p, chunk);
        p += chunk;
        off += chunk;
        n -= chunk;
    }
}

/* 1 when p[0..n), bytes at sequence seq that were already delivered, differ
 * from the delivered copy still in the history ring. */
static int hist_mismatch(const tcp_half *h, uint32_t seq, const uint8_t *p, uint32_t n)
{
    if (!h->hist || !h->hist_fill || !n)
        return 0;
    uint32_t lo = h->next_seq - h->hist_fill;
    uint32_t a = seq, e = seq + n;
    if (seq_gt(e, h->next_seq))
        e = h->next_seq;
    if (seq_lt(a, lo)) {
        if (seq_le(e, lo))
            return 0;
        p += lo - a;
        a = lo;
    }
    if (seq_ge(a, e))
        return 0;
    uint32_t cnt = e - a, mask = h->hist_size - 1;
    uint64_t off = h->stream_off - (uint64_t)(h->next_seq - a);
    while (cnt) {
        uint32_t pos = (uint32_t)(off & mask);
        uint32_t chunk = h->hist_size - pos < cnt ? h->hist_size - pos : cnt;
        if (memcmp(p, h->hist + pos, chunk) != 0)
            return 1;
        p += chunk;
        off += chunk;
        cnt -= chunk;
    }
    return 0;
}

/* ---- output --------------------------------------------------------------- */

static void emit_data(tcp_half *h, const uint8_t *p, uint32_t n, uint64_t frame,
                      const tcp_sink *sink, void *ctx)
{
    if (!n)
        return;
    if (sink && sink->data)
        sink->data(ctx, h->side, p, n, frame);
    hist_append(h, p, n);
    COUNT(h, bytes, n);
    h->stream_off += n;
    h->next_seq += n;
}

static void emit_gap(tcp_half *h, uint32_t n, uint64_t frame, const tcp_sink *sink, void *ctx)
{
    if (!n)
        return;
    if (sink && sink->gap)
        sink->gap(ctx, h->side, n, frame);
    COUNT(h, gaps, 1);
    COUNT(h, gap_bytes, n);
    h->stream_off += n;
    h->next_seq += n;
    h->hist_fill = 0; /* the ring no longer holds the bytes just before next_seq */
}

static void finish(tcp_half *h, int reason, uint64_t frame, const tcp_sink *sink, void *ctx)
{
    h->state = TCP_HALF_CLOSED;
    h->end_reason = (uint8_t)reason;
    hold_free_all(h);
    hist_free(h);
    if (sink && sink->end)
        sink->end(ctx, h->side, reason, frame);
}

/* Deliver what the head piece n (n->seq <= next_seq) adds, and free it. */
static void pop_head(tcp_half *h, uint64_t frame, const tcp_sink *sink, void *ctx)
{
    tcp_hold *n = h->head;
    uint32_t end = n->seq + n->len;
    h->head = n->next;
    if (!h->head)
        h->tail = NULL;
    if (seq_gt(end, h->next_seq)) {
        uint32_t skip = h->next_seq - n->seq;
        emit_data(h, n->data + skip, n->len - skip, frame, sink, ctx);
    }
    if (n->lost) {
        uint32_t lost_end = end + n->lost;
        if (seq_gt(lost_end, h->lost_end))
            h->lost_end = lost_end;
    }
    hold_free(h, n);
}

static void clamp_marks(tcp_half *h)
{
    if (seq_lt(h->lost_end, h->next_seq))
        h->lost_end = h->next_seq;
    if (seq_lt(h->acked, h->next_seq))
        h->acked = h->next_seq;
    if (seq_lt(h->hi_seq, h->next_seq))
        h->hi_seq = h->next_seq;
}

/* Release held data that is now in order, turn holes that are known lost into
 * gaps, and end the half when the FIN is reached.
 *
 * use_ack: the other side's ACK beyond a hole counts as evidence that the
 * hole's bytes passed the wire but not the capture. It is used only when a
 * later segment of this direction (data or FIN) arrives without filling the
 * hole, never at the ACK itself: captures whose packets are slightly out of
 * order (several capture queues, a mirror port) show an ACK before the data
 * it acknowledges, and that data must not be declared lost. */
static void drain(tcp_half *h, int use_ack, uint64_t frame, const tcp_sink *sink, void *ctx)
{
    while (h->state == TCP_HALF_OPEN) {
        tcp_hold *n = h->head;
        if (n && seq_le(n->seq, h->next_seq)) {
            pop_head(h, frame, sink, ctx);
            continue;
        }
        uint32_t limit = h->next_seq;
        if (seq_gt(h->lost_end, limit))
            limit = h->lost_end;
        /* the other side acknowledged bytes we never saw, and data after
         * them is waiting: they passed the wire but not the capture */
        if (use_ack && (n || h->fin_seen) && h->ack_valid && seq_gt(h->acked, limit))
            limit = h->acked;
        if (n && seq_gt(limit, n->seq))
            limit = n->seq;
        if (h->fin_seen && seq_gt(limit, h->fin_seq))
            limit = h->fin_seq;
        if (!seq_gt(limit, h->next_seq))
            break;
        emit_gap(h, limit - h->next_seq, frame, sink, ctx);
    }
    if (h->state != TCP_HALF_OPEN)
        return;
    clamp_marks(h);
    if (h->fin_seen && h->next_seq == h->fin_seq)
        finish(h, TCP_END_FIN, frame, sink, ctx);
}

/* Turn the first hole into a gap and deliver the run of held data after it. */
static void force_release(tcp_half *h, uint64_t frame, const tcp_sink *sink, void *ctx)
{
    COUNT(h, forced, 1);
    if (seq_gt(h->head->seq, h->lost_end))
        h->lost_end = h->head->seq;
    drain(h, 0, frame, sink, ctx);
}

/* How many pieces holding [seq, seq + cap) adds: one per hole it covers
 * between what is held, plus a marker when the snapshot cut it. */
static uint32_t pieces_needed(const tcp_half *h, uint32_t seq, uint32_t cap, uint32_t len)
{
    uint32_t a = seq, b = seq + cap, pieces = cap < len;
    for (const tcp_hold *n = h->head; n && seq_lt(a, b); n = n->next) {
        uint32_t nend = n->seq + n->len;
        if (seq_le(nend, a))
            continue;
        if (seq_ge(n->seq, b))
            break;
        if (seq_lt(a, n->seq))
            pieces++;
        a = nend;
    }
    return pieces + seq_lt(a, b);
}

static int fits(const tcp_half *h, uint32_t seq, uint32_t cap, uint32_t len)
{
    const tcp_budget *b = h->budget;
    return (uint64_t)h->held_bytes + cap <= b->max_per_half &&
           (uint64_t)h->held_segs + pieces_needed(h, seq, cap, len) <= b->max_segs_per_half &&
           b->held_total + cap <= b->max_total;
}

/* The FIN is at fin_seq: drop held bytes beyond it. */
static void set_fin(tcp_half *h, uint32_t fin_seq)
{
    h->fin_seen = 1;
    h->fin_seq = fin_seq;
    tcp_hold *prev = NULL, *n = h->head;
    while (n) {
        tcp_hold *next = n->next;
        uint32_t end = n->seq + n->len;
        if (seq_ge(n->seq, fin_seq)) { /* beyond the FIN: unlink and free */
            if (prev)
                prev->next = next;
            else
                h->head = next;
            if (h->tail == n)
                h->tail = prev;
            if (n->len)
                COUNT(h, ignored, 1);
            hold_free(h, n);
            n = next;
            continue;
        }
        if (seq_gt(end, fin_seq)) {
            uint32_t cut = end - fin_seq;
            n->len -= cut;
            h->held_bytes -= cut;
            h->budget->held_total -= cut;
            n->lost = 0;
        } else if (n->lost && seq_gt(end + n->lost, fin_seq)) {
            n->lost = fin_seq - end;
        }
        prev = n;
        n = next;
    }
    if (seq_gt(h->hi_seq, fin_seq))
        h->hi_seq = fin_seq;
    if (seq_gt(h->lost_end, fin_seq))
        h->lost_end = fin_seq;
}

/* Hold the captured bytes [seq, seq+cap) of an out-of-order segment (seq >
 * next_seq), keeping held copies where they overlap ("first wins"); cap < len
 * adds a marker for the bytes the snapshot length cut. */
static void hold_segment(tcp_half *h, uint32_t seq, const uint8_t *p, uint32_t cap,
                         uint32_t len, int *conflict)
{
    uint32_t a = seq, b = seq + cap;
    tcp_hold *prev = NULL, *n = h->head;
    /* The common case: appending after everything held. A held piece's end
     * is the end of everything held before it (pieces never overlap), but
     * a snapshot marker's is not: it may sit inside data another copy of
     * its segment brought, and then only the walk sees what is held. */
    if (h->tail && h->tail->len && seq_ge(a, h->tail->seq + h->tail->len)) {
        prev = h->tail;
        n = NULL;
    }
    while (seq_lt(a, b)) {
        if (!n || seq_ge(n->seq, b)) {
            tcp_hold *piece = hold_new(h, a, p + (a - seq), b - a, 0);
            if (piece)
                hold_link(h, prev, piece);
            break;
        }
        uint32_t nend = n->seq + n->len;
        if (seq_le(nend, a)) {
            prev = n;
            n = n->next;
            continue;
        }
        if (seq_lt(a, n->seq)) {
            tcp_hold *piece = hold_new(h, a, p + (a - seq), n->seq - a, 0);
            if (piece)
                hold_link(h, prev, piece); /* prev becomes n below */
            a = n->seq;
        }
        uint32_t ob = seq_lt(b, nend) ? b : nend;
        if (seq_lt(a, ob)) {
            if (memcmp(p + (a - seq), n->data + (a - n->seq), ob - a) != 0)
                *conflict = 1;
            COUNT(h, dup_bytes, ob - a);
            a = ob;
        }
        prev = n;
        n = n->next;
    }
    if (cap < len) {
        uint32_t at = seq + cap;
        tcp_hold *marker = hold_new(h, at, NULL, 0, len - cap);
        if (!marker)
            return;
        prev = NULL;
        n = h->head;
        if (h->tail && seq_ge(at, h->tail->seq)) {
            prev = h->tail;
            n = NULL;
        }
        while (n && seq_le(n->seq, at)) {
            prev = n;
            n = n->next;
        }
        hold_link(h, prev, marker);
    }
}

/* Deliver a segment that starts exactly at next_seq, straight from the
 * packet, except where held pieces already cover it (first copy wins). */
static void deliver_in_order(tcp_half *h, uint32_t seq, const uint8_t *p, uint32_t cap,
                             uint32_t len, uint64_t frame, const tcp_sink *sink, void *ctx,
                             int *conflict)
{
    uint32_t off = 0;
    while (off < cap && h->state == TCP_HALF_OPEN) {
        tcp_hold *n = h->head;
        if (n && seq_le(n->seq, h->next_seq)) {
            uint32_t nend = n->seq + n->len;
            if (seq_gt(nend, h->next_seq)) {
                uint32_t oend = seq_lt(nend, seq + cap) ? nend : seq + cap;
                uint32_t olen = oend - h->next_seq;
                if (memcmp(p + off, n->data + (h->next_seq - n->seq), olen) != 0)
                    *conflict = 1;
                COUNT(h, dup_bytes, olen);
            }
            pop_head(h, frame, sink, ctx);
            uint32_t adv = h->next_seq - seq;
            off = adv < cap ? adv : cap;
            continue;
        }
        uint32_t lim = cap;
        if (n && seq_lt(n->seq, seq + cap))
            lim = n->seq - seq;
        emit_data(h, p + off, lim - off, frame, sink, ctx);
        off = lim;
    }
    if (cap < len) {
        uint32_t end = seq + len;
        if (seq_gt(end, h->lost_end))
            h->lost_end = end;
    }
}

/* Data of one segment: seq is the sequence of its first payload byte. */
static unsigned process_data(tcp_half *h, uint32_t seq, const uint8_t *p, uint32_t cap,
                             uint32_t len, uint64_t frame, const tcp_sink *sink, void *ctx)
{
    int conflict = 0, ooo = 0;
    if (cap < len)
        COUNT(h, truncated, 1);
    if (h->fin_seen && seq_gt(seq + len, h->fin_seq)) {
        if (seq_ge(seq, h->fin_seq)) {
            COUNT(h, ignored, 1);
            return TCP_R_IGNORED;
        }
        len = h->fin_seq - seq;
        if (cap > len)
            cap = len;
    }
    if (seq_gt(seq + len, h->hi_seq))
        h->hi_seq = seq + len;
    for (;;) {
        if (h->state != TCP_HALF_OPEN)
            break;
        uint32_t end = seq + len;
        if (seq_le(end, h->next_seq)) { /* all already delivered (or gapped) */
            COUNT(h, dup_bytes, len);
            if (hist_mismatch(h, seq, p, cap))
                conflict = 1;
            break;
        }
        if (seq_lt(seq, h->next_seq)) { /* trim the old front */
            uint32_t skip = h->next_seq - seq;
            uint32_t cskip = skip < cap ? skip : cap;
            COUNT(h, dup_bytes, skip);
            if (cskip) {
                if (hist_mismatch(h, seq, p, cskip))
                    conflict = 1;
                p += cskip;
            }
            cap -= cskip;
            len -= skip;
            seq = h->next_seq;
        }
        if (seq == h->next_seq) {
            deliver_in_order(h, seq, p, cap, len, frame, sink, ctx, &conflict);
            break;
        }
        if (!ooo) {
            COUNT(h, ooo_segments, 1);
            ooo = 1;
        }
        if (fits(h, seq, cap, len)) {
            hold_segment(h, seq, p, cap, len, &conflict);
            break;
        }
        if (h->head) {
            force_release(h, frame, sink, ctx);
            continue; /* next_seq moved: look at the segment again */
        }
        /* Nothing of ours is held, yet no room (the global budget is spent,
         * or the segment alone is over the per-half limit): the hole before
         * it becomes a gap and the segment goes straight through. */
        COUNT(h, forced, 1);
        h->lost_end = seq;
        drain(h, 0, frame, sink, ctx);
    }
    if (conflict)
        COUNT(h, conflicts, 1);
    return 0;
}

static void start(tcp_half *h, uint32_t seq)
{
    h->state = TCP_HALF_OPEN;
    h->isn = seq - 1;
    h->next_seq = h->hi_seq = h->lost_end = h->acked = seq;
    h->ack_valid = 0;
}

unsigned tcp_half_segment(tcp_half *h, const tcp_segment *s, uint64_t frame,
                          const tcp_sink *sink, void *ctx)
{
    uint8_t fl = s->flags;
    if (fl & TCP_RST)
        return TCP_R_RST;
    uint32_t seq = s->seq, len = s->payload_len;
    uint32_t cap = s->captured < len ? s->captured : len;
    const uint8_t *p = s->payload;
    if (!p)
        cap = 0;
    if (len == 0 && !(fl & (TCP_SYN | TCP_FIN)))
        return 0; /* a pure ACK */
    COUNT(h, segments, 1);

    if (h->state == TCP_HALF_CLOSED) {
        if ((fl & TCP_SYN) && !(h->syn_seen && seq == h->isn)) {
            COUNT(h, ignored, 1);
            return TCP_R_NEWSYN | TCP_R_IGNORED;
        }
        uint32_t dseq = seq + ((fl & TCP_SYN) ? 1u : 0u);
        if (h->end_reason == TCP_END_FIN && seq_le(dseq + len, h->fin_seq)) {
            COUNT(h, dup_bytes, len); /* a late retransmission */
            return 0;
        }
        COUNT(h, ignored, 1);
        return TCP_R_IGNORED;
    }
    if (fl & TCP_SYN) {
        if (h->state == TCP_HALF_NEW) {
            start(h, seq + 1);
            h->isn = seq;
            h->syn_seen = 1;
        } else if (!(h->syn_seen && seq == h->isn)) {
            COUNT(h, ignored, 1);
            return TCP_R_NEWSYN | TCP_R_IGNORED;
        }
        seq += 1; /* data of a SYN segment starts after the SYN */
    } else if (h->state == TCP_HALF_NEW) {
        /* Picked up mid-stream. The other side's ACK, if one came first,
         * says where the stream stood: start there, so that a segment the
         * capture shows out of order is waited for rather than lost. */
        uint32_t at = seq;
        if (h->start_hint_valid && seq_gt(seq, h->start_hint) &&
            seq - h->start_hint <= TCP_MIDSTREAM_BACKFILL)
            at = h->start_hint;
        start(h, at);
    }

    int32_t d = sdiff(seq, h->next_seq);
    if (d > (int32_t)TCP_MAX_AHEAD || d < -(int32_t)TCP_MAX_AHEAD || len > TCP_MAX_AHEAD) {
        COUNT(h, ignored, 1);
        return TCP_R_IGNORED;
    }
    unsigned r = 0;
    if ((fl & TCP_FIN) && !h->fin_seen) {
        uint32_t fin_seq = seq + len;
        if (seq_ge(fin_seq, h->next_seq))
            set_fin(h, fin_seq);
        else
            COUNT(h, ignored, 1); /* a FIN behind bytes already delivered */
    }
    if (len)
        r |= process_data(h, seq, p, cap, len, frame, sink, ctx);
    drain(h, len > 0 || (fl & TCP_FIN), frame, sink, ctx);
    if (h->state == TCP_HALF_CLOSED)
        r |= TCP_R_ENDED;
    return r;
}

void tcp_half_ack(tcp_half *h, uint32_t ack, uint64_t frame, const tcp_sink *sink, void *ctx)
{
    if (h->state == TCP_HALF_NEW) {
        if (!h->start_hint_valid || seq_gt(ack, h->start_hint))
            h->start_hint = ack;
        h->start_hint_valid = 1;
        return;
    }
    if (h->state != TCP_HALF_OPEN)
        return;
    int32_t d = sdiff(ack, h->next_seq);
    if (d <= 0 || (uint32_t)d > TCP_MAX_AHEAD)
        return;
    if (!h->ack_valid || seq_gt(ack, h->acked)) {
        h->acked = ack;
        h->ack_valid = 1;
    }
    /* An ACK of the FIN itself says the receiver has the whole stream: holes
     * before the FIN are lost now, not after a later segment. */
    if (h->head || h->fin_seen)
        drain(h, h->fin_seen && seq_gt(h->acked, h->fin_seq), frame, sink, ctx);
}

void tcp_half_close(tcp_half *h, int reason, uint64_t frame, const tcp_sink *sink, void *ctx)
{
    if (h->state == TCP_HALF_CLOSED)
        return;
    if (h->state == TCP_HALF_NEW) {
        h->state = TCP_HALF_CLOSED;
        h->end_reason = (uint8_t)reason;
        hist_free(h);
        return;
    }
    uint32_t target = h->fin_seen ? h->fin_seq : h->hi_seq;
    /* Bytes the other side acknowledged beyond anything captured passed the
     * wire too (e.g. a last command lost from the capture). One byte exactly
     * is taken for the ACK of a FIN the capture missed, not for data. */
    if (!h->fin_seen && h->ack_valid && seq_gt(h->acked, target) && h->acked - target > 1)
        target = h->acked;
    if (h->tail && seq_gt(h->tail->seq + h->tail->len + h->tail->lost, target))
        target = h->tail->seq + h->tail->len + h->tail->lost;
    if (seq_gt(target, h->lost_end))
        h->lost_end = target;
    drain(h, 1, frame, sink, ctx);
    if (h->state != TCP_HALF_CLOSED)
        finish(h, reason, frame, sink, ctx);
}

void tcp_half_discard(tcp_half *h)
{
    hold_free_all(h);
    hist_free(h);
    h->state = TCP_HALF_CLOSED;
}

uint64_t tcp_half_release(tcp_half *h, uint32_t keep, uint64_t frame, const tcp_sink *sink,
                          void *ctx)
{
    uint64_t before = h->held_bytes;
    while (h->state == TCP_HALF_OPEN && h->head && h->held_bytes > keep)
        force_release(h, frame, sink, ctx);
    return before - h->held_bytes;
}

unsigned tcp_reasm_packet(tcp_half half[2], int side, const tcp_segment *s, uint64_t frame,
                          const tcp_sink *sink, void *ctx)
{
    tcp_half *me = &half[side != 0], *peer = &half[side == 0];
    int me_closed = tcp_half_closed(me), peer_closed = tcp_half_closed(peer);
    unsigned r = 0;
    if (s->flags & TCP_RST) {
        tcp_half_close(me, TCP_END_RST, frame, sink, ctx);
        tcp_half_close(peer, TCP_END_RST, frame, sink, ctx);
        r |= TCP_R_RST;
    } else {
        r = tcp_half_segment(me, s, frame, sink, ctx);
        if (r & TCP_R_NEWSYN)
            return r; /* its ACK belongs to another connection */
        if (s->flags & TCP_ACK)
            tcp_half_ack(peer, s->ack, frame, sink, ctx);
    }
    if ((!me_closed && tcp_half_closed(me)) || (!peer_closed && tcp_half_closed(peer)))
        r |= TCP_R_ENDED;
    if (tcp_half_closed(me) && tcp_half_closed(peer))
        r |= TCP_R_DONE;
    return r;
}
