/* Unit tests for cli/tcp_reasm.c: in order, reversed, random permutations
 * with duplicates and overlaps (deterministic seeds), wrap-around at 2^32,
 * mid-stream start, loss -> exact gap (ACK, close), snapshot-length cuts,
 * budget exhaustion -> gap then continued delivery, FIN ordering, RST,
 * conflicting retransmissions, implausible segments, memory accounting. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_reasm.h"

#include "check.h"

/* ---- recording sink ------------------------------------------------------------ */

enum { EV_DATA, EV_GAP, EV_END };

typedef struct event {
    int kind, side;
    uint64_t n;     /* bytes, missing bytes or end reason */
    uint64_t frame;
    uint64_t off;   /* stream offset where it happened */
} event;

typedef struct rec {
    uint8_t *data[2];   /* delivered bytes, gaps not included */
    size_t len[2], cap[2];
    uint64_t off[2];    /* stream offset: data + gaps */
    const uint8_t *expect[2]; /* when set: every delivered byte is checked at its offset */
    size_t expect_len[2];
    int ended[2], reason[2];
    uint64_t gaps[2], gap_bytes[2];
    event ev[4096];
    size_t nev;
    const uint8_t *pkt_lo, *pkt_hi; /* the current packet, for zero-copy checks */
    uint64_t zero_copy, copied;
    int after_end; /* callbacks after end (must stay 0) */
    int mismatch;  /* bytes different from expect */
} rec;

static void rec_event(rec *r, int kind, int side, uint64_t n, uint64_t frame)
{
    if (r->nev < sizeof r->ev / sizeof r->ev[0])
        r->ev[r->nev++] = (event){kind, side, n, frame, r->off[side]};
}

static void on_data(void *ctx, int side, const uint8_t *p, size_t n, uint64_t frame)
{
    rec *r = ctx;
    CHECK(side == 0 || side == 1);
    CHECK(n > 0);
    if (r->ended[side])
        r->after_end++;
    if (r->expect[side]) {
        if (r->off[side] + n > r->expect_len[side] ||
            memcmp(p, r->expect[side] + r->off[side], n) != 0)
            r->mismatch++;
    }
    if (r->pkt_lo && p >= r->pkt_lo && p < r->pkt_hi)
        r->zero_copy += n;
    else
        r->copied += n;
    if (r->len[side] + n > r->cap[side]) {
        size_t nc = (r->len[side] + n) * 2 + 64;
        r->data[side] = realloc(r->data[side], nc);
        r->cap[side] = nc;
    }
    memcpy(r->data[side] + r->len[side], p, n);
    rec_event(r, EV_DATA, side, n, frame);
    r->len[side] += n;
    r->off[side] += n;
}

static void on_gap(void *ctx, int side, uint64_t missing, uint64_t frame)
{
    rec *r = ctx;
    CHECK(missing > 0);
    if (r->ended[side])
        r->after_end++;
    rec_event(r, EV_GAP, side, missing, frame);
    r->gaps[side]++;
    r->gap_bytes[side] += missing;
    r->off[side] += missing;
}

static void on_end(void *ctx, int side, int reason, uint64_t frame)
{
    rec *r = ctx;
    if (r->ended[side])
        r->after_end++;
    rec_event(r, EV_END, side, (uint64_t)reason, frame);
    r->ended[side] = 1;
    r->reason[side] = reason;
}

static const tcp_sink SINK = {on_data, on_gap, on_end};

static void rec_free(rec *r)
{
    free(r->data[0]);
    free(r->data[1]);
}

/* ---- helpers ---------------------------------------------------------------- */

static uint32_t rnd(void)
{
    return check_rand();
}

static tcp_segment seg(uint32_t seq, uint8_t flags, const uint8_t *p, uint32_t len)
{
    tcp_segment s;
    memset(&s, 0, sizeof s);
    s.src.family = s.dst.family = 4;
    s.sport = 1025;
    s.dport = 1863;
    s.seq = seq;
    s.flags = flags;
    s.payload = len ? p : NULL;
    s.payload_len = len;
    s.captured = len;
    return s;
}

static tcp_segment ackseg(uint32_t seq, uint32_t ack)
{
    tcp_segment s = seg(seq, TCP_ACK, NULL, 0);
    s.ack = ack;
    return s;
}

typedef struct conn {
    tcp_budget b;
    tcp_half h[2];
    rec r;
    uint64_t frame;
} conn;

static void conn_init(conn *c)
{
    memset(c, 0, sizeof *c);
    tcp_budget_init(&c->b);
}

static void conn_start(conn *c)
{
    tcp_half_init(&c->h[0], 0, &c->b);
    tcp_half_init(&c->h[1], 1, &c->b);
}

/* A connection with the default budget, started on both sides, whose side 0
 * must deliver data[0..n) exactly. */
static void conn_expect(conn *c, const uint8_t *data, size_t n)
{
    conn_init(c);
    conn_start(c);
    c->r.expect[0] = data;
    c->r.expect_len[0] = n;
}

/* Feed s as sent by side; the packet is copied to the heap so that data the
 * reassembler keeps a pointer to (it must not) would be caught by ASan. */
static unsigned feed(conn *c, int side, const tcp_segment *s)
{
    tcp_segment t = *s;
    uint8_t *copy = NULL;
    if (s->payload && s->captured) {
        copy = malloc(s->captured);
        memcpy(copy, s->payload, s->captured);
        t.payload = copy;
        c->r.pkt_lo = copy;
        c->r.pkt_hi = copy + s->captured;
    } else {
        c->r.pkt_lo = c->r.pkt_hi = NULL;
    }
    unsigned res = tcp_reasm_packet(c->h, side, &t, ++c->frame, &SINK, &c->r);
    free(copy);
    c->r.pkt_lo = c->r.pkt_hi = NULL;
    return res;
}

static void conn_close(conn *c, int reason)
{
    tcp_half_close(&c->h[0], reason, ++c->frame, &SINK, &c->r);
    tcp_half_close(&c->h[1], reason, c->frame, &SINK, &c->r);
}

static void conn_done(conn *c)
{
    tcp_half_discard(&c->h[0]);
    tcp_half_discard(&c->h[1]);
    CHECK_EQ(c->b.held_total, 0);
    CHECK_EQ(c->b.history_total, 0);
    CHECK_EQ(c->r.after_end, 0);
    CHECK_EQ(c->r.mismatch, 0);
    rec_free(&c->r);
}

static void fill_random(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)rnd();
}

/* ---- tests ---------------------------------------------------------------------- */

static void test_in_order(void)
{
    conn c;
    const char *msg = "VER 1 MSNP8 CVR0\r\nCVR 2 0x0409 winnt 5.1 i386 MSNMSGR 6.0.0602 MSMSGS a@b.c\r\n";
    uint32_t n = (uint32_t)strlen(msg), isn = 1000;
    conn_expect(&c, (const uint8_t *)msg, n);
    tcp_segment s = seg(isn, TCP_SYN, NULL, 0);
    feed(&c, 0, &s);
    s = seg(5000, TCP_SYN | TCP_ACK, NULL, 0);
    s.ack = isn + 1;
    feed(&c, 1, &s);
    uint32_t pos = 0;
    while (pos < n) {
        uint32_t k = n - pos < 7 ? n - pos : 7;
        s = seg(isn + 1 + pos, TCP_ACK | TCP_PSH, (const uint8_t *)msg + pos, k);
        s.ack = 5001;
        CHECK_EQ(feed(&c, 0, &s), 0);
        pos += k;
    }
    CHECK_EQ(c.r.len[0], n);
    CHECK(memcmp(c.r.data[0], msg, n) == 0);
    CHECK_EQ(c.r.zero_copy, n); /* everything straight from the packets */
    CHECK_EQ(c.r.copied, 0);
    CHECK_EQ(c.b.held_peak, 0);
    s = seg(isn + 1 + n, TCP_FIN | TCP_ACK, NULL, 0);
    unsigned r = feed(&c, 0, &s);
    CHECK(r & TCP_R_ENDED);
    CHECK(!(r & TCP_R_DONE));
    CHECK_EQ(c.r.ended[0], 1);
    CHECK_EQ(c.r.reason[0], TCP_END_FIN);
    s = seg(5001, TCP_FIN | TCP_ACK, NULL, 0);
    s.ack = isn + 2 + n;
    r = feed(&c, 1, &s);
    CHECK(r & TCP_R_DONE);
    CHECK_EQ(c.r.ended[1], 1);
    CHECK_EQ(c.r.len[1], 0);
    CHECK_EQ(c.h[0].c.bytes, n);
    CHECK_EQ(c.h[0].c.gaps, 0);
    CHECK_EQ(c.h[0].c.dup_bytes, 0);
    CHECK_EQ(c.h[0].stream_off, n);
    /* a late retransmission of the last segment: duplicate, no callback */
    s = seg(isn + 1 + n - 3, TCP_ACK | TCP_FIN, (const uint8_t *)msg + n - 3, 3);
    CHECK_EQ(feed(&c, 0, &s) & TCP_R_IGNORED, 0);
    CHECK_EQ(c.h[0].c.dup_bytes, 3);
    /* close after the end: nothing more */
    size_t nev = c.r.nev;
    conn_close(&c, TCP_END_FLUSH);
    CHECK_EQ(c.r.nev, nev);
    conn_done(&c);
}

static void test_reversed(void)
{
    conn c;
    uint8_t data[1000];
    fill_random(data, sizeof data);
    conn_expect(&c, data, sizeof data);
    uint32_t isn = 0x7ffffff0u;
    tcp_segment s = seg(isn, TCP_SYN, NULL, 0);
    feed(&c, 0, &s);
    for (int i = 9; i >= 0; i--) {
        s = seg(isn + 1 + (uint32_t)i * 100, TCP_ACK, data + i * 100, 100);
        feed(&c, 0, &s);
        if (i > 0)
            CHECK_EQ(c.r.len[0], 0);
    }
    CHECK_EQ(c.r.len[0], 1000);
    CHECK(memcmp(c.r.data[0], data, 1000) == 0);
    CHECK_EQ(c.h[0].c.ooo_segments, 9);
    CHECK_EQ(c.b.held_peak, 900);
    CHECK_EQ(c.b.held_total, 0);
    /* all released data carries the frame that completed the run */
    uint64_t last = c.frame;
    for (size_t i = 0; i < c.r.nev; i++)
        if (c.r.ev[i].kind == EV_DATA)
            CHECK_EQ(c.r.ev[i].frame, last);
    CHECK_EQ(c.r.zero_copy, 100);
    CHECK_EQ(c.r.copied, 900);
    conn_close(&c, TCP_END_FLUSH);
    CHECK_EQ(c.r.reason[0], TCP_END_FLUSH);
    CHECK_EQ(c.r.ended[1], 0); /* side 1 never started: no end callback */
    CHECK_EQ(c.r.gaps[0], 0);
    conn_done(&c);
}

/* totals over the random runs, to check that every mechanism was exercised */
static uint64_t rs_gaps_before_close, rs_forced, rs_conflicts, rs_ooo;

typedef struct piece {
    uint32_t off, len;
    uint8_t flags;
} piece;

/* A stream of n bytes cut into random pieces, plus overlapping extras and
 * duplicates, shuffled (the first piece stays first when there is no SYN),
 * optionally losing `lose` pieces of the partition; checks the output
 * against the original byte for byte. Returns 1 on success. */
static void random_stream(uint64_t seed, uint32_t isn, size_t n, int with_syn, int lose,
                          uint32_t max_per_half, int acks)
{
    check_rng_state = seed;
    uint8_t *data = malloc(n);
    fill_random(data, n);
    size_t maxp = n + 64;
    piece *ps = malloc(maxp * 3 * sizeof *ps);
    size_t np = 0;
    for (size_t off = 0; off < n;) {
        uint32_t small = rnd() % 4 == 0; /* separate statements: a fixed order of rnd() calls */
        uint32_t len = 1 + rnd() % (small ? 8 : 700);
        if (off + len > n)
            len = (uint32_t)(n - off);
        ps[np++] = (piece){(uint32_t)off, len, TCP_ACK};
        off += len;
    }
    ps[np - 1].flags |= TCP_FIN;
    size_t npart = np;
    /* which partition pieces are lost (never fed, nor covered by extras) */
    uint8_t *lost = calloc(npart, 1);
    uint8_t *covered = calloc(n, 1);
    for (int i = 0; i < lose; i++) {
        size_t k = 1 + rnd() % (npart - 1);
        if (ps[k].flags & TCP_FIN)
            continue;
        lost[k] = 1;
    }
    size_t nextra = npart / 2 + 1;
    for (size_t i = 0; i < nextra; i++) {
        if (rnd() % 2) { /* duplicate of a partition piece */
            size_t k = rnd() % npart;
            if (!lost[k])
                ps[np++] = ps[k];
        } else { /* overlap: a random range, kept inside the non-lost pieces */
            uint32_t a = rnd() % (uint32_t)n;
            uint32_t len = 1 + rnd() % 1500;
            if (a + len > n)
                len = (uint32_t)n - a;
            int ok = 1;
            for (size_t k = 0; k < npart; k++)
                if (lost[k] && a < ps[k].off + ps[k].len && ps[k].off < a + len)
                    ok = 0;
            if (ok)
                ps[np++] = (piece){a, len, TCP_ACK};
        }
    }
    /* remember the lost ranges: the shuffle moves the pieces */
    piece *lr = malloc((size_t)(lose > 0 ? lose : 1) * sizeof *lr);
    size_t nlr = 0;
    for (size_t k = 0; k < npart; k++)
        if (lost[k])
            lr[nlr++] = ps[k];
    /* shuffle, then drop the lost pieces */
    size_t first = with_syn ? 0 : 1;
    for (size_t i = np - 1; i > first; i--) {
        size_t j = first + rnd() % (i - first + 1);
        piece t = ps[i];
        ps[i] = ps[j];
        ps[j] = t;
    }
    conn c;
    conn_init(&c);
    c.b.max_per_half = max_per_half;
    conn_start(&c);
    c.r.expect[0] = data;
    c.r.expect_len[0] = n;
    uint64_t fed = 0;
    uint8_t *received = calloc(n, 1);
    size_t prefix = 0;
    if (with_syn) {
        tcp_segment s = seg(isn, TCP_SYN, NULL, 0);
        feed(&c, 0, &s);
    }
    uint32_t base = with_syn ? isn + 1 : isn;
    for (size_t i = 0; i < np; i++) {
        /* a lost partition piece: skip every copy of exactly that piece */
        int skip = 0;
        for (size_t k = 0; k < nlr; k++)
            if (lr[k].off == ps[i].off && lr[k].len == ps[i].len)
                skip = 1;
        /* the receiver gets every piece, lost or not */
        for (uint32_t k = 0; k < ps[i].len; k++)
            received[ps[i].off + k] = 1;
        while (prefix < n && received[prefix])
            prefix++;
        if (!skip) {
            for (uint32_t k = 0; k < ps[i].len; k++)
                covered[ps[i].off + k] = 1;
            tcp_segment s = seg(base + ps[i].off, ps[i].flags, data + ps[i].off, ps[i].len);
            feed(&c, 0, &s);
            fed += ps[i].len;
        }
        if (acks && rnd() % 4 == 0) { /* the receiver acknowledges what it has */
            tcp_segment a = ackseg(7, base + (uint32_t)prefix);
            feed(&c, 1, &a);
        }
    }
    size_t missing = 0;
    for (size_t i = 0; i < n; i++)
        missing += !covered[i];
    rs_gaps_before_close += c.r.gaps[0];
    rs_forced += c.h[0].c.forced;
    rs_conflicts += c.h[0].c.conflicts;
    rs_ooo += c.h[0].c.ooo_segments;
    conn_close(&c, TCP_END_FLUSH);
    int ok = 1;
    if (c.r.off[0] != n || c.r.mismatch)
        ok = 0;
    if (max_per_half >= n) { /* no budget pressure: gaps only for bytes never fed */
        if (c.r.gap_bytes[0] != missing || c.r.len[0] != n - missing)
            ok = 0;
        if (c.h[0].c.bytes + c.h[0].c.dup_bytes != fed)
            ok = 0;
        if (!lose && (c.r.reason[0] != TCP_END_FIN || c.r.gaps[0] != 0 ||
                      memcmp(c.r.data[0], data, n) != 0))
            ok = 0;
    } else {
        if (c.r.len[0] + c.r.gap_bytes[0] != n)
            ok = 0;
        if (c.b.held_peak > max_per_half)
            ok = 0;
    }
    if (!c.r.ended[0])
        ok = 0;
    if (!ok)
        fprintf(stderr,
                "  random_stream seed=%llu isn=%u n=%zu syn=%d lose=%d budget=%u: off=%llu "
                "len=%zu gaps=%llu gap_bytes=%llu missing=%zu mismatch=%d reason=%d\n",
                (unsigned long long)seed, isn, n, with_syn, lose, max_per_half,
                (unsigned long long)c.r.off[0], c.r.len[0], (unsigned long long)c.r.gaps[0],
                (unsigned long long)c.r.gap_bytes[0], missing, c.r.mismatch, c.r.reason[0]);
    CHECK(ok);
    conn_done(&c);
    free(lost);
    free(lr);
    free(received);
    free(covered);
    free(ps);
    free(data);
}

static void test_random_permutations(void)
{
    static const uint32_t isns[] = {0, 1000, 0x7fffff00u, 0xffffff00u, 0xfffffffeu, 0xffffffffu};
    for (uint64_t seed = 1; seed <= 200; seed++) {
        uint32_t isn = isns[seed % 6];
        size_t n = 2000 + (size_t)(seed * 7919 % 30000);
        random_stream(seed, isn, n, 1, 0, 1u << 20, 0);                   /* SYN */
        random_stream(seed + 1000, isn, n, 0, 0, 1u << 20, 1);            /* mid-stream, ACKs */
        random_stream(seed + 2000, isn, n, 1, 3, 1u << 20, 0);            /* losses, found at close */
        random_stream(seed + 3000, isn, n, (int)(seed & 1), 3, 1u << 20, 1); /* losses, ACKed */
        random_stream(seed + 4000, isn, n, (int)(seed & 1), 2, 4000, 0);  /* tight budget */
        random_stream(seed + 5000, isn, n, 1, 1, 1500, 1);                /* very tight budget */
    }
    printf("random streams: %llu gaps before close, %llu forced, %llu out-of-order, %llu conflicts\n",
           (unsigned long long)rs_gaps_before_close, (unsigned long long)rs_forced,
           (unsigned long long)rs_ooo, (unsigned long long)rs_conflicts);
    CHECK(rs_gaps_before_close > 100);
    CHECK(rs_forced > 100);
    CHECK(rs_ooo > 1000);
    CHECK_EQ(rs_conflicts, 0); /* copies of the same bytes never conflict */
}

static void test_wraparound(void)
{
    /* the stream crosses 2^32 in the middle of a segment, in order and not */
    uint8_t data[3000];
    fill_random(data, sizeof data);
    for (int order = 0; order < 2; order++) {
        conn c;
        conn_expect(&c, data, sizeof data);
        uint32_t isn = 0xfffffb00u; /* byte 1279 of the stream is at sequence 0 */
        tcp_segment s = seg(isn, TCP_SYN, NULL, 0);
        feed(&c, 0, &s);
        static const uint32_t offs[] = {0, 1000, 1200, 1500, 2500};
        static const uint32_t lens[] = {1000, 200, 300, 1000, 500};
        for (int k = 0; k < 5; k++) {
            int i = order ? 4 - k : k;
            s = seg(isn + 1 + offs[i], TCP_ACK | (i == 4 ? TCP_FIN : 0), data + offs[i], lens[i]);
            feed(&c, 0, &s);
        }
        CHECK_EQ(c.r.len[0], sizeof data);
        CHECK(memcmp(c.r.data[0], data, sizeof data) == 0);
        CHECK_EQ(c.r.reason[0], TCP_END_FIN);
        CHECK_EQ(c.h[0].c.gaps, 0);
        CHECK_EQ(c.h[0].next_seq, isn + 1 + 3000u);
        conn_done(&c);
    }
    /* a SYN at 0xffffffff: data starts at sequence 0 */
    conn c;
    conn_init(&c);
    conn_start(&c);
    tcp_segment s = seg(0xffffffffu, TCP_SYN, NULL, 0);
    feed(&c, 0, &s);
    s = seg(0, TCP_ACK, (const uint8_t *)"abc", 3);
    feed(&c, 0, &s);
    CHECK_EQ(c.r.len[0], 3);
    conn_done(&c);
}

static void test_midstream(void)
{
    conn c;
    conn_init(&c);
    conn_start(&c);
    /* pure ACKs first: they do not start the stream */
    tcp_segment s = ackseg(500, 9000);
    feed(&c, 0, &s);
    CHECK_EQ(c.h[0].state, TCP_HALF_NEW);
    s = seg(12345, TCP_ACK, (const uint8_t *)"NG\r\nMSG 5 N 3\r\n", 15);
    feed(&c, 0, &s);
    s = seg(12345 + 15, TCP_ACK, (const uint8_t *)"hi!", 3);
    feed(&c, 0, &s);
    CHECK_EQ(c.r.len[0], 18);
    CHECK(memcmp(c.r.data[0], "NG\r\nMSG 5 N 3\r\nhi!", 18) == 0);
    /* older data (before the pick-up point) is a duplicate */
    s = seg(12340, TCP_ACK, (const uint8_t *)"xxxxx", 5);
    feed(&c, 0, &s);
    CHECK_EQ(c.h[0].c.dup_bytes, 5);
    CHECK_EQ(c.r.len[0], 18);
    /* the other direction picked up mid-stream by a FIN alone */
    s = seg(777, TCP_FIN | TCP_ACK, NULL, 0);
    s.ack = 12345 + 18;
    unsigned r = feed(&c, 1, &s);
    CHECK(r & TCP_R_ENDED);
    CHECK_EQ(c.r.reason[1], TCP_END_FIN);
    conn_done(&c);
}

/* Loss: one segment never captured; the receiver's ACK beyond it turns the
 * hole into an exact gap, then the held data follows. */
static void test_loss_ack(void)
{
    conn c;
    uint8_t data[500];
    fill_random(data, sizeof data);
    conn_expect(&c, data, sizeof data);
    tcp_segment s = seg(99, TCP_SYN, NULL, 0);
    feed(&c, 0, &s);
    s = seg(100, TCP_ACK, data, 100);
    feed(&c, 0, &s);
    /* 100..229 lost */
    s = seg(230, TCP_ACK, data + 130, 70);
    feed(&c, 0, &s);
    s = seg(300, TCP_ACK, data + 200, 100);
    feed(&c, 0, &s);
    CHECK_EQ(c.r.len[0], 100);
    /* an ACK that does not pass the hole changes nothing */
    s = ackseg(1, 200);
    feed(&c, 1, &s);
    CHECK_EQ(c.r.gaps[0], 0);
    /* an ACK in the middle of the hole arms it: the gap (up to the ACK only)
     * comes with the next segment of this direction that does not fill it */
    s = ackseg(1, 210);
    feed(&c, 1, &s);
    CHECK_EQ(c.r.gaps[0], 0);
    s = seg(300, TCP_ACK, data + 200, 100); /* a retransmission */
    feed(&c, 0, &s);
    CHECK_EQ(c.r.gaps[0], 1);
    CHECK_EQ(c.r.gap_bytes[0], 10);
    CHECK_EQ(c.r.len[0], 100);
    /* the ACK of everything, then another segment: the rest of the hole,
     * then the held data, with that segment's frame */
    s = ackseg(1, 400);
    feed(&c, 1, &s);
    CHECK_EQ(c.r.gaps[0], 1);
    s = seg(300, TCP_ACK, data + 200, 100);
    uint64_t gap_frame = c.frame + 1;
    feed(&c, 0, &s);
    CHECK_EQ(c.r.gaps[0], 2);
    CHECK_EQ(c.r.gap_bytes[0], 30);
    CHECK_EQ(c.r.len[0], 270);
    CHECK_EQ(c.r.off[0], 300);
    /* order: data(100) gap(10) gap(20) data... */
    size_t i = 0;
    while (i < c.r.nev && c.r.ev[i].kind == EV_DATA)
        i++;
    CHECK(i < c.r.nev && c.r.ev[i].kind == EV_GAP && c.r.ev[i].off == 100 && c.r.ev[i].n == 10);
    CHECK(i + 1 < c.r.nev && c.r.ev[i + 1].kind == EV_GAP && c.r.ev[i + 1].off == 110 &&
          c.r.ev[i + 1].frame == gap_frame);
    CHECK(i + 2 < c.r.nev && c.r.ev[i + 2].kind == EV_DATA && c.r.ev[i + 2].off == 130);
    CHECK_EQ(c.b.held_total, 0);
    /* an ACK beyond next_seq with nothing held: no gap (the data may come) */
    s = ackseg(1, 450);
    feed(&c, 1, &s);
    CHECK_EQ(c.r.gaps[0], 2);
    s = seg(400, TCP_ACK, data + 300, 20); /* in order, short of the ACK: still no gap */
    feed(&c, 0, &s);
    CHECK_EQ(c.r.gaps[0], 2);
    s = seg(400, TCP_ACK | TCP_FIN, data + 300, 200);
    feed(&c, 0, &s);
    CHECK_EQ(c.r.len[0], 470);
    CHECK_EQ(c.r.reason[0], TCP_END_FIN);
    CHECK_EQ(c.h[0].c.gap_bytes, 30);
    CHECK_EQ(c.b.c.gap_bytes, 30);
    /* implausible ACKs are ignored (checked on the other half) */
    conn_done(&c);
}

/* Loss found only at the end: the close turns every hole into a gap. */
static void test_loss_close(void)
{
    conn c;
    uint8_t data[1000];
    fill_random(data, sizeof data);
    conn_expect(&c, data, sizeof data);
    tcp_segment s = seg(0, TCP_SYN, NULL, 0);
    feed(&c, 0, &s);
    /* pieces: [0,100) [150,300) [300,310) [600,1000); missing 100..149, 310..599 */
    s = seg(1, TCP_ACK, data, 100);
    feed(&c, 0, &s);
    s = seg(601, TCP_ACK, data + 600, 400);
    feed(&c, 0, &s);
    s = seg(151, TCP_ACK, data + 150, 150);
    feed(&c, 0, &s);
    s = seg(301, TCP_ACK, data + 300, 10);
    feed(&c, 0, &s);
    CHECK_EQ(c.r.len[0], 100);
    conn_close(&c, TCP_END_RST);
    CHECK_EQ(c.r.gaps[0], 2);
    CHECK_EQ(c.r.gap_bytes[0], 50 + 290);
    CHECK_EQ(c.r.len[0], 660);
    CHECK_EQ(c.r.off[0], 1000);
    CHECK_EQ(c.r.reason[0], TCP_END_RST);
    CHECK_EQ(c.b.held_total, 0);
    conn_done(&c);
}

static void test_truncated(void)
{
    uint8_t data[300];
    fill_random(data, sizeof data);
    /* in order: captured part, then a gap for the rest at once */
    {
        conn c;
        conn_expect(&c, data, sizeof data);
        tcp_segment s = seg(10, TCP_ACK, data, 100);
        s.captured = 60;
        feed(&c, 0, &s);
        CHECK_EQ(c.r.len[0], 60);
        CHECK_EQ(c.r.gaps[0], 1);
        CHECK_EQ(c.r.gap_bytes[0], 40);
        CHECK_EQ(c.h[0].c.truncated, 1);
        s = seg(110, TCP_ACK, data + 100, 100);
        feed(&c, 0, &s);
        CHECK_EQ(c.r.len[0], 160);
        /* payload cut away entirely */
        s = seg(210, TCP_ACK, data + 200, 50);
        s.captured = 0;
        feed(&c, 0, &s);
        CHECK_EQ(c.r.gap_bytes[0], 90);
        CHECK_EQ(c.r.off[0], 250);
        conn_done(&c);
    }
    /* out of order: the cut part becomes a gap when the hole before fills */
    {
        conn c;
        conn_expect(&c, data, sizeof data);
        tcp_segment s = seg(10, TCP_ACK, data, 50);
        feed(&c, 0, &s);
        s = seg(160, TCP_ACK, data + 150, 100); /* bytes 150..249, 30 captured */
        s.captured = 30;
        feed(&c, 0, &s);
        s = seg(260, TCP_ACK, data + 250, 50);
        feed(&c, 0, &s);
        CHECK_EQ(c.r.len[0], 50);
        s = seg(60, TCP_ACK, data + 50, 100);
        feed(&c, 0, &s);
        CHECK_EQ(c.r.off[0], 300);
        CHECK_EQ(c.r.gaps[0], 1);
        CHECK_EQ(c.r.gap_bytes[0], 70);
        CHECK_EQ(c.r.len[0], 230);
        conn_done(&c);
    }
    /* a full copy of the cut bytes, held before the hole fills, wins over the gap */
    {
        conn c;
        conn_expect(&c, data, sizeof data);
        tcp_segment s = seg(10, TCP_ACK, data, 50);
        feed(&c, 0, &s);
        s = seg(160, TCP_ACK, data + 150, 100);
        s.captured = 30;
        feed(&c, 0, &s);
        s = seg(200, TCP_ACK, data + 190, 40); /* refills 190..229 */
        feed(&c, 0, &s);
        s = seg(60, TCP_ACK, data + 50, 100);
        feed(&c, 0, &s);
        /* 50..179 data, 180..189 gap, 190..229 data, 230..249 gap */
        CHECK_EQ(c.r.gaps[0], 2);
        CHECK_EQ(c.r.gap_bytes[0], 30);
        CHECK_EQ(c.r.off[0], 250);
        conn_done(&c);
    }
    /* a cut copy's marker inside held data, last in the list: a later copy of
     * bytes already held adds no piece (the fuzzer's held-segments-over-limit
     * input, snapshot-marker-at-tail-inside-held-data) */
    {
        conn c;
        conn_expect(&c, data, sizeof data);
        tcp_segment s = seg(10, TCP_ACK, data, 50);
        feed(&c, 0, &s);
        s = seg(200, TCP_ACK, data + 190, 20); /* held: 190..209 */
        feed(&c, 0, &s);
        s = seg(205, TCP_ACK, data + 195, 10); /* cut away: a marker at 195 */
        s.captured = 0;
        feed(&c, 0, &s);
        CHECK_EQ(c.h[0].held_segs, 2);
        s = seg(210, TCP_ACK, data + 200, 5); /* held already */
        feed(&c, 0, &s);
        CHECK_EQ(c.h[0].held_segs, 2);
        s = seg(60, TCP_ACK, data + 50, 140);
        feed(&c, 0, &s);
        CHECK_EQ(c.r.gaps[0], 0);
        CHECK_EQ(c.r.off[0], 210);
        CHECK_EQ(c.h[0].held_segs, 0);
        conn_done(&c);
    }
}

/* Loss at the very end of a stream: only the other side's ACK shows it. */
static void test_loss_tail(void)
{
    uint8_t data[200];
    fill_random(data, sizeof data);
    for (int variant = 0; variant < 3; variant++) {
        conn c;
        conn_expect(&c, data, sizeof data);
        tcp_segment s = seg(0, TCP_SYN, NULL, 0);
        feed(&c, 0, &s);
        s = seg(1, TCP_ACK | TCP_PSH, data, 100);
        feed(&c, 0, &s);
        /* 100..110 lost ("XFR 52 SB\r\n"); the reply acknowledges it */
        static const uint32_t acks[] = {112, 102, 101};
        s = ackseg(1, acks[variant]);
        feed(&c, 1, &s);
        CHECK_EQ(c.r.gaps[0], 0); /* nothing held: the data may still come */
        conn_close(&c, TCP_END_FLUSH);
        static const uint64_t want[] = {11, 0, 0}; /* 102: one beyond = a missed FIN */
        CHECK_EQ(c.r.gap_bytes[0], want[variant]);
        CHECK_EQ(c.r.reason[0], TCP_END_FLUSH);
        conn_done(&c);
    }
}

/* A capture that shows the receiver's ACK before the (reordered) data it
 * acknowledges: the data still arrives and nothing is declared lost. */
static void test_ack_before_data(void)
{
    conn c;
    uint8_t data[300];
    fill_random(data, sizeof data);
    conn_expect(&c, data, sizeof data);
    tcp_segment s = seg(0, TCP_SYN, NULL, 0);
    feed(&c, 0, &s);
    s = seg(1, TCP_ACK, data, 100);
    feed(&c, 0, &s);
    s = seg(201, TCP_ACK, data + 200, 100); /* overtook 101..200 */
    feed(&c, 0, &s);
    s = ackseg(1, 301); /* the receiver already has everything */
    feed(&c, 1, &s);
    CHECK_EQ(c.r.gaps[0], 0);
    s = seg(101, TCP_ACK, data + 100, 100);
    feed(&c, 0, &s);
    CHECK_EQ(c.r.gaps[0], 0);
    CHECK_EQ(c.r.len[0], 300);
    conn_close(&c, TCP_END_FLUSH);
    CHECK_EQ(c.r.gaps[0], 0);
    conn_done(&c);
}

/* The held bytes exceed the per-half budget: the first hole becomes a gap,
 * then delivery continues. */
static void test_budget_half(void)
{
    conn c;
    conn_init(&c);
    c.b.max_per_half = 1000;
    conn_start(&c);
    uint8_t data[5000];
    fill_random(data, sizeof data);
    c.r.expect[0] = data;
    c.r.expect_len[0] = sizeof data;
    tcp_segment s = seg(0, TCP_SYN, NULL, 0);
    feed(&c, 0, &s);
    s = seg(1, TCP_ACK, data, 100);
    feed(&c, 0, &s);
    /* 100..199 lost; then 200.. in 100-byte segments */
    for (uint32_t off = 200; off < 5000; off += 100) {
        s = seg(1 + off, TCP_ACK, data + off, 100);
        feed(&c, 0, &s);
        CHECK(c.h[0].held_bytes <= 1000);
        CHECK(c.b.held_total <= 1000);
    }
    /* the 11th held segment did not fit: gap of exactly 100, then all in order */
    CHECK_EQ(c.r.gaps[0], 1);
    CHECK_EQ(c.r.gap_bytes[0], 100);
    CHECK_EQ(c.r.len[0], 4900);
    CHECK_EQ(c.h[0].c.forced, 1);
    CHECK_EQ(c.b.held_peak, 1000);
    CHECK_EQ(c.b.held_total, 0);
    /* the lost segment arrives late: a duplicate now */
    s = seg(101, TCP_ACK, data + 100, 100);
    feed(&c, 0, &s);
    CHECK_EQ(c.h[0].c.dup_bytes, 100);
    CHECK_EQ(c.r.len[0], 4900);
    conn_done(&c);

    /* the segment count limit works the same way */
    conn_init(&c);
    c.b.max_segs_per_half = 8;
    conn_start(&c);
    c.r.expect[0] = data;
    c.r.expect_len[0] = sizeof data;
    s = seg(1000, TCP_ACK, data, 1);
    feed(&c, 0, &s);
    for (uint32_t off = 2; off < 100; off += 2) { /* 1-byte segments with 1-byte holes */
        s = seg(1000 + off, TCP_ACK, data + off, 1);
        feed(&c, 0, &s);
        CHECK(c.h[0].held_segs <= 8);
    }
    CHECK(c.h[0].c.forced > 0);
    conn_close(&c, TCP_END_FLUSH);
    CHECK_EQ(c.r.len[0] + c.r.gap_bytes[0], 99);
    CHECK_EQ(c.r.gap_bytes[0], 49);
    conn_done(&c);
}

/* The global budget: another half holds everything; this half's hole becomes
 * a gap and its segment goes straight through. */
static void test_budget_global(void)
{
    tcp_budget b;
    tcp_budget_init(&b);
    b.max_total = 600;
    b.max_per_half = 10000;
    tcp_half h[4];
    rec r;
    memset(&r, 0, sizeof r);
    for (int i = 0; i < 4; i++)
        tcp_half_init(&h[i], i & 1, &b);
    uint8_t data[2000];
    fill_random(data, sizeof data);
    /* flow A (h[0]) holds 500 bytes behind a hole */
    tcp_segment s = seg(0, TCP_ACK, data, 10);
    tcp_reasm_packet(&h[0], 0, &s, 1, &SINK, &r);
    for (uint32_t off = 100; off < 600; off += 100) {
        s = seg(off, TCP_ACK, data + off, 100);
        tcp_reasm_packet(&h[0], 0, &s, 2, &SINK, &r);
    }
    CHECK_EQ(b.held_total, 500);
    /* flow B (h[2]) wants to hold 200: only 100 left globally */
    rec rb;
    memset(&rb, 0, sizeof rb);
    rb.expect[0] = data;
    rb.expect_len[0] = sizeof data;
    s = seg(5000, TCP_ACK, data, 50);
    tcp_reasm_packet(&h[2], 0, &s, 3, &SINK, &rb);
    s = seg(5100, TCP_ACK, data + 100, 80); /* fits: 580 */
    tcp_reasm_packet(&h[2], 0, &s, 4, &SINK, &rb);
    CHECK_EQ(b.held_total, 580);
    s = seg(5300, TCP_ACK, data + 300, 100); /* does not fit: B releases its own hold first */
    tcp_reasm_packet(&h[2], 0, &s, 5, &SINK, &rb);
    CHECK(b.held_total <= 600);
    CHECK_EQ(rb.gap_bytes[0], 50);  /* 50..99 */
    CHECK_EQ(rb.len[0], 50 + 80);
    /* still no room with nothing of B's held: the hole 180..299 becomes a gap */
    s = seg(5500, TCP_ACK, data + 500, 200);
    CHECK_EQ(b.held_total, 500 + 100);
    tcp_reasm_packet(&h[2], 0, &s, 6, &SINK, &rb);
    CHECK_EQ(rb.mismatch, 0);
    CHECK(b.held_total <= 600);
    CHECK_EQ(rb.off[0] + (b.held_total > 500 ? 0 : 0), rb.off[0]);
    /* the caller can shed another flow's memory */
    uint64_t freed = tcp_half_release(&h[0], 0, 7, &SINK, &r);
    CHECK_EQ(freed, 500);
    CHECK_EQ(h[0].held_bytes, 0);
    CHECK_EQ(r.gap_bytes[0], 90);
    CHECK_EQ(r.len[0], 510);
    for (int i = 0; i < 4; i++)
        tcp_half_close(&h[i], TCP_END_FLUSH, 8, &SINK, i < 2 ? &r : &rb);
    CHECK_EQ(b.held_total, 0);
    CHECK_EQ(rb.off[0], 700);
    CHECK_EQ(rb.mismatch, 0);
    CHECK(b.c.forced >= 2);
    rec_free(&r);
    rec_free(&rb);
}

static void test_fin_ordering(void)
{
    uint8_t data[300];
    fill_random(data, sizeof data);
    /* FIN (with the last data) arrives before earlier data: end only after */
    conn c;
    conn_expect(&c, data, sizeof data);
    tcp_segment s = seg(0, TCP_SYN, NULL, 0);
    feed(&c, 0, &s);
    s = seg(1, TCP_ACK, data, 100);
    feed(&c, 0, &s);
    s = seg(201, TCP_ACK | TCP_FIN, data + 200, 100);
    feed(&c, 0, &s);
    CHECK_EQ(c.r.ended[0], 0);
    /* data beyond the FIN is ignored */
    s = seg(301, TCP_ACK, data, 50);
    CHECK(feed(&c, 0, &s) & TCP_R_IGNORED);
    s = seg(101, TCP_ACK, data + 100, 100);
    unsigned r = feed(&c, 0, &s);
    CHECK(r & TCP_R_ENDED);
    CHECK_EQ(c.r.ended[0], 1);
    CHECK_EQ(c.r.reason[0], TCP_END_FIN);
    CHECK_EQ(c.r.len[0], 300);
    CHECK(c.r.nev >= 1 && c.r.ev[c.r.nev - 1].kind == EV_END);
    conn_done(&c);

    /* a bare FIN ahead of missing data; the peer's ACK of the FIN ends it with a gap */
    conn_init(&c);
    conn_start(&c);
    s = seg(0, TCP_SYN, NULL, 0);
    feed(&c, 0, &s);
    s = seg(1, TCP_ACK, data, 100);
    feed(&c, 0, &s);
    s = seg(201, TCP_ACK | TCP_FIN, NULL, 0);
    feed(&c, 0, &s);
    CHECK_EQ(c.r.ended[0], 0);
    s = ackseg(1, 202);
    feed(&c, 1, &s);
    CHECK_EQ(c.r.gap_bytes[0], 100);
    CHECK_EQ(c.r.reason[0], TCP_END_FIN);
    conn_done(&c);

    /* held data beyond a FIN that arrives later is dropped */
    conn_init(&c);
    conn_start(&c);
    s = seg(1, TCP_ACK, data, 10);
    feed(&c, 0, &s);
    s = seg(100, TCP_ACK, data + 99, 50); /* held 99..148 */
    feed(&c, 0, &s);
    s = seg(200, TCP_ACK, data + 199, 30); /* held 199..228 */
    feed(&c, 0, &s);
    CHECK_EQ(c.b.held_total, 80);
    s = seg(50, TCP_ACK | TCP_FIN, data + 49, 70); /* FIN at 120: cuts one piece, drops one */
    feed(&c, 0, &s);
    CHECK_EQ(c.r.ended[0], 0);
    CHECK_EQ(c.h[0].c.ignored, 1);
    CHECK_EQ(c.b.held_total, 50 + 20); /* held: 50..99 new, 100..119 cut from the first piece */
    s = seg(11, TCP_ACK, data + 10, 39);
    feed(&c, 0, &s);
    CHECK_EQ(c.r.ended[0], 1);
    CHECK_EQ(c.r.len[0], 119);
    CHECK(memcmp(c.r.data[0], data, 119) == 0);
    conn_done(&c);
}

static void test_rst(void)
{
    conn c;
    uint8_t data[400];
    fill_random(data, sizeof data);
    conn_expect(&c, data, sizeof data);
    tcp_segment s = seg(0, TCP_SYN, NULL, 0);
    feed(&c, 0, &s);
    s = seg(50, TCP_SYN | TCP_ACK, NULL, 0);
    s.ack = 1;
    feed(&c, 1, &s);
    s = seg(1, TCP_ACK, data, 100);
    feed(&c, 0, &s);
    s = seg(201, TCP_ACK, data + 200, 100);
    feed(&c, 0, &s);
    s = seg(51, TCP_ACK | TCP_RST, (const uint8_t *)"ignored", 7);
    unsigned r = feed(&c, 1, &s);
    CHECK(r & TCP_R_RST);
    CHECK(r & TCP_R_ENDED);
    CHECK(r & TCP_R_DONE);
    CHECK_EQ(c.r.reason[0], TCP_END_RST);
    CHECK_EQ(c.r.reason[1], TCP_END_RST);
    CHECK_EQ(c.r.gap_bytes[0], 100);
    CHECK_EQ(c.r.len[0], 200);
    CHECK_EQ(c.r.len[1], 0);
    /* the RST sender ends first */
    size_t e1 = 0, e0 = 0;
    for (size_t i = 0; i < c.r.nev; i++)
        if (c.r.ev[i].kind == EV_END)
            *(c.r.ev[i].side ? &e1 : &e0) = i;
    CHECK(e1 < e0);
    /* afterwards: ignored; a SYN with a new ISN is a reused 4-tuple */
    s = seg(301, TCP_ACK, data + 300, 100);
    CHECK(feed(&c, 0, &s) & TCP_R_IGNORED);
    s = seg(123456, TCP_SYN, NULL, 0);
    CHECK(feed(&c, 0, &s) & TCP_R_NEWSYN);
    conn_done(&c);
}

static void test_syn_and_conflicts(void)
{
    conn c;
    conn_init(&c);
    conn_start(&c);
    tcp_segment s = seg(100, TCP_SYN, NULL, 0);
    feed(&c, 0, &s);
    CHECK_EQ(feed(&c, 0, &s), 0); /* retransmitted SYN: harmless */
    s = seg(101, TCP_ACK, (const uint8_t *)"hello world", 11);
    feed(&c, 0, &s);
    s = seg(101, TCP_ACK, (const uint8_t *)"hello", 5); /* identical retransmission */
    feed(&c, 0, &s);
    CHECK_EQ(c.h[0].c.conflicts, 0);
    s = seg(107, TCP_ACK, (const uint8_t *)"WORLD!", 6); /* differs in 5 old bytes + 1 new */
    feed(&c, 0, &s);
    CHECK_EQ(c.h[0].c.conflicts, 1);
    CHECK_EQ(c.h[0].c.dup_bytes, 10);
    CHECK_EQ(c.r.len[0], 12);
    CHECK(memcmp(c.r.data[0], "hello world!", 12) == 0);
    /* overlapping held pieces: the first copy wins */
    s = seg(120, TCP_ACK, (const uint8_t *)"ABCDE", 5);
    feed(&c, 0, &s);
    s = seg(118, TCP_ACK, (const uint8_t *)"xyZBCdefg", 9); /* 118..126; 120..124 held */
    feed(&c, 0, &s);
    CHECK_EQ(c.h[0].c.conflicts, 2);
    s = seg(113, TCP_ACK, (const uint8_t *)"12345", 5); /* 113..117 fills the hole */
    feed(&c, 0, &s);
    CHECK_EQ(c.r.len[0], 12 + 5 + 2 + 5 + 2 + 4 - 4 + 0);
    CHECK(memcmp(c.r.data[0], "hello world!12345xyABCDEfg", 26) == 0);
    /* an in-order segment overlapping held data: held bytes win there too */
    s = seg(130, TCP_ACK, (const uint8_t *)"HELD", 4); /* 130..133 */
    feed(&c, 0, &s);
    s = seg(127, TCP_ACK, (const uint8_t *)"abcdefghi", 9); /* 127..135 */
    feed(&c, 0, &s);
    CHECK(memcmp(c.r.data[0] + 26, "abcHELDhi", 9) == 0);
    CHECK_EQ(c.h[0].c.conflicts, 3);
    /* a SYN with another ISN on a started half */
    s = seg(5000, TCP_SYN, NULL, 0);
    unsigned r = feed(&c, 0, &s);
    CHECK(r & TCP_R_NEWSYN);
    CHECK_EQ(c.r.len[0], 35);
    conn_done(&c);

    /* history disabled: still exact output, conflicts with delivered bytes unknown */
    conn_init(&c);
    c.b.history_per_half = 0;
    conn_start(&c);
    s = seg(1, TCP_ACK, (const uint8_t *)"abc", 3);
    feed(&c, 0, &s);
    s = seg(1, TCP_ACK, (const uint8_t *)"xbcd", 4);
    feed(&c, 0, &s);
    CHECK_EQ(c.h[0].c.conflicts, 0);
    CHECK_EQ(c.r.len[0], 4);
    CHECK(memcmp(c.r.data[0], "abcd", 4) == 0);
    conn_done(&c);

    /* the history ring only remembers the last bytes: older ones are unchecked */
    conn_init(&c);
    c.b.history_per_half = 16;
    conn_start(&c);
    uint8_t big[100];
    memset(big, 'a', sizeof big);
    s = seg(1, TCP_ACK, big, 100);
    feed(&c, 0, &s);
    uint8_t alt[100];
    memset(alt, 'b', sizeof alt);
    s = seg(1, TCP_ACK, alt, 84); /* bytes 0..83: beyond the 16-byte ring */
    feed(&c, 0, &s);
    CHECK_EQ(c.h[0].c.conflicts, 0);
    s = seg(80, TCP_ACK, alt, 10); /* 79..88: inside the ring */
    feed(&c, 0, &s);
    CHECK_EQ(c.h[0].c.conflicts, 1);
    conn_done(&c);
}

static void test_implausible(void)
{
    conn c;
    conn_init(&c);
    conn_start(&c);
    tcp_segment s = seg(1000, TCP_SYN, NULL, 0);
    feed(&c, 0, &s);
    s = seg(1001 + (1u << 30) + 5, TCP_ACK, (const uint8_t *)"far", 3);
    CHECK(feed(&c, 0, &s) & TCP_R_IGNORED);
    s = seg(1001 - (1u << 30) - 5, TCP_ACK, (const uint8_t *)"far", 3);
    CHECK(feed(&c, 0, &s) & TCP_R_IGNORED);
    CHECK_EQ(c.h[0].c.ignored, 2);
    CHECK_EQ(c.b.held_total, 0);
    /* an implausible ACK does not make gaps */
    s = seg(1101, TCP_ACK, (const uint8_t *)"later", 5);
    feed(&c, 0, &s);
    s = ackseg(1, 1001 + (1u << 31));
    feed(&c, 1, &s);
    CHECK_EQ(c.r.gaps[0], 0);
    s = ackseg(1, 1001 + 50);
    feed(&c, 1, &s);
    CHECK_EQ(c.r.gap_bytes[0], 0); /* armed; no later segment came */
    conn_close(&c, TCP_END_FLUSH);
    CHECK_EQ(c.r.gap_bytes[0], 100);
    CHECK_EQ(c.r.len[0], 5);
    conn_done(&c);
}

/* A long stream in small in-order steps wrapping 2^32 several times: the
 * marks (acked, lost_end) must never go stale. */
static void test_long_wrap(void)
{
    conn c;
    conn_init(&c);
    conn_start(&c);
    static uint8_t chunk[65000];
    fill_random(chunk, sizeof chunk);
    uint32_t seq = 0xfff00000u;
    tcp_segment s = seg(seq - 1, TCP_SYN, NULL, 0);
    feed(&c, 0, &s);
    uint64_t total = 0;
    for (int i = 0; i < 140000; i++) { /* ~9.1 GB of sequence space */
        s = seg(seq, TCP_ACK, chunk, sizeof chunk);
        c.r.pkt_lo = NULL;
        tcp_reasm_packet(c.h, 0, &s, (uint64_t)i, NULL, NULL);
        if (i % 1000 == 0) {
            tcp_segment a = ackseg(1, seq + (uint32_t)sizeof chunk);
            tcp_reasm_packet(c.h, 1, &a, (uint64_t)i, NULL, NULL);
        }
        seq += sizeof chunk;
        total += sizeof chunk;
    }
    CHECK_EQ(c.h[0].c.bytes, total);
    CHECK_EQ(c.h[0].c.gaps, 0);
    CHECK_EQ(c.h[0].stream_off, total);
    /* a hole now, acknowledged: exact gap */
    s = seg(seq + 100, TCP_ACK, chunk, 10);
    tcp_reasm_packet(c.h, 0, &s, 1, NULL, NULL);
    s = ackseg(1, seq + 110);
    tcp_reasm_packet(c.h, 1, &s, 2, NULL, NULL);
    CHECK_EQ(c.h[0].c.gap_bytes, 0); /* armed, not yet declared */
    s = seg(seq + 100, TCP_ACK, chunk, 10);
    tcp_reasm_packet(c.h, 0, &s, 3, NULL, NULL);
    CHECK_EQ(c.h[0].c.gap_bytes, 100);
    CHECK_EQ(c.h[0].c.bytes, total + 10);
    conn_done(&c);
}

int main(void)
{
    check_rng_state = 0x9e3779b97f4a7c15ULL;
    test_in_order();
    test_reversed();
    test_random_permutations();
    test_wraparound();
    test_midstream();
    test_loss_ack();
    test_ack_before_data();
    test_loss_close();
    test_loss_tail();
    test_truncated();
    test_budget_half();
    test_budget_global();
    test_fin_ordering();
    test_rst();
    test_syn_and_conflicts();
    test_implausible();
    test_long_wrap();
    return check_exit("test_tcp_reasm");
}
