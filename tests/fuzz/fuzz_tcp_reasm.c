/* Fuzz target: TCP reassembly of one connection (cli/tcp_reasm.h) from an
 * arbitrary sequence of segments, with the budget the input picks.
 *
 * Input: 9 bytes of parameters, then 8-byte records.
 *   byte 0     budget: bits 0-1 all halves {16 MiB, 64 KiB, 4 KiB, 256},
 *              bits 2-3 one half {1 MiB, 32 KiB, 2 KiB, 100}, bits 4-5 held
 *              segments per half {2048, 64, 8, 3}, bits 6-7 history
 *              {512, 0, 16, 4096}
 *   bytes 1-4  initial sequence number of side 0, bytes 5-8 of side 1
 *   records    op, seq (2 bytes), len (2), ack (2), cut
 *     op bits 0-2  0-4: a segment; 5: close the sender's half (reason from
 *                  the flags); 6: tcp_half_release(keep = seq); 7: a segment
 *                  whose sequence number is seq << 16 | ack, anywhere
 *     op bit 3     side; bits 4-7: SYN, FIN, RST, ACK
 *     seq          relative to the side's initial number + 1, signed
 *     len          payload length on the wire, modulo 2048
 *     ack          relative to the other side's initial number + 1, signed
 *     cut          bit 7: the snapshot length cut the segment to
 *                  len * (cut & 0x7f) / 128 bytes; bit 6: the payload differs
 *                  from the first copy (a conflicting retransmission)
 *
 * Every payload byte is a function of its side and sequence number, so that
 * each delivered byte can be checked at the stream offset it arrives at.
 *
 * Properties:
 *   - each delivered byte is the byte of its sequence number (or, when the
 *     input sent conflicting copies, one of the two copies): nothing is
 *     delivered twice, out of order or shifted;
 *   - the callbacks are well-formed: data and gaps are not empty, nothing
 *     comes after a half's end, each half that started ends exactly once;
 *   - delivered and missing bytes account for the stream: the sink's count
 *     equals the half's stream offset and its counters; a half that ends at
 *     its FIN has delivered or reported missing exactly the bytes up to it;
 *   - a gap never covers a byte that a segment delivered to the reassembler
 *     before, unless the budget forced it (counted as `forced`);
 *   - memory stays within the budget after every call (bytes and segments
 *     held per half, bytes held in total), the budget's totals equal the
 *     halves' own, and a closed half holds nothing;
 *   - everything is released at the end (and LeakSanitizer checks that it
 *     is freed). */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "tcp_reasm.h"

/* Sequence numbers whose delivery is tracked: the side's start -64 KiB to
 * +128 KiB (relative seq is a signed 16-bit value, length below 64 KiB). */
#define WIN_LO 65536u
#define WIN_SIZE (3u * 65536u)

typedef struct side_state {
    uint64_t delivered;  /* data bytes through data() */
    uint64_t missing;    /* bytes through gap() */
    uint64_t gap_calls;
    int ended, end_reason, end_calls;
    int ever_open;       /* the half was seen open (it started) */
    uint32_t base;       /* initial sequence number + 1 from the input */
    uint8_t offered[WIN_SIZE / 8]; /* bytes some accepted segment carried */
} side_state;

typedef struct harness {
    tcp_half half[2];
    tcp_budget budget;
    side_state s[2];
    int conflicting; /* the input sent a conflicting copy */
} harness;

static uint8_t byte_at(int side, uint32_t seq)
{
    uint32_t x = (seq ^ (uint32_t)side << 31) * 0x9e3779b1u;
    return (uint8_t)(x >> 24 ^ x >> 13);
}

static int in_window(const side_state *s, uint32_t seq, uint32_t *bit)
{
    uint32_t rel = seq - s->base + WIN_LO;
    if (rel >= WIN_SIZE)
        return 0;
    *bit = rel;
    return 1;
}

static void on_data(void *ctx, int side, const uint8_t *p, size_t n, uint64_t frame)
{
    harness *h = ctx;
    (void)frame;
    FUZZ_CHECK(side == 0 || side == 1, "side %d", side);
    side_state *s = &h->s[side];
    FUZZ_CHECK(!s->ended, "data after the end of side %d", side);
    s->ever_open = 1;
    FUZZ_CHECK(n > 0 && p != NULL, "empty delivery");
    uint32_t first = h->half[side].isn + 1u + (uint32_t)(s->delivered + s->missing);
    for (size_t i = 0; i < n; i++) {
        uint32_t seq = first + (uint32_t)i;
        uint8_t want = byte_at(side, seq);
        FUZZ_CHECK(p[i] == want || (h->conflicting && p[i] == (uint8_t)(want ^ 0x55)),
                   "side %d: byte at seq %u (stream offset %llu) is 0x%02x, sent 0x%02x", side,
                   seq, (unsigned long long)(s->delivered + s->missing + i), p[i], want);
    }
    s->delivered += n;
}

static void on_gap(void *ctx, int side, uint64_t missing, uint64_t frame)
{
    harness *h = ctx;
    (void)frame;
    FUZZ_CHECK(side == 0 || side == 1, "side %d", side);
    side_state *s = &h->s[side];
    FUZZ_CHECK(!s->ended, "gap after the end of side %d", side);
    s->ever_open = 1;
    FUZZ_CHECK(missing > 0, "empty gap");
    if (h->half[side].c.forced == 0) {
        uint32_t first = h->half[side].isn + 1u + (uint32_t)(s->delivered + s->missing);
        uint32_t lo, hi; /* the gap's part inside the window, window bit numbers */
        uint32_t d = first - (s->base - WIN_LO), e = (s->base - WIN_LO) - first;
        if (d < WIN_SIZE) {
            lo = d;
            hi = missing < WIN_SIZE - d ? d + (uint32_t)missing : WIN_SIZE;
        } else {
            lo = 0;
            hi = e < missing ? (missing - e < WIN_SIZE ? (uint32_t)(missing - e) : WIN_SIZE) : 0;
        }
        for (uint32_t bit = lo; bit < hi; bit++)
            FUZZ_CHECK(!(s->offered[bit / 8] & (1u << (bit % 8))),
                       "side %d: a gap of %llu bytes from seq %u covers seq %u, which a "
                       "segment delivered before",
                       side, (unsigned long long)missing, first, s->base - WIN_LO + bit);
    }
    s->missing += missing;
    s->gap_calls++;
}

static void on_end(void *ctx, int side, int reason, uint64_t frame)
{
    harness *h = ctx;
    (void)frame;
    FUZZ_CHECK(side == 0 || side == 1, "side %d", side);
    side_state *s = &h->s[side];
    const tcp_half *hf = &h->half[side];
    FUZZ_CHECK(reason >= TCP_END_FIN && reason <= TCP_END_REUSE, "end reason %d", reason);
    FUZZ_CHECK(s->end_calls == 0, "side %d ended twice", side);
    s->end_calls++;
    s->ended = 1;
    s->ever_open = 1;
    s->end_reason = reason;
    FUZZ_CHECK(hf->held_bytes == 0 && hf->held_segs == 0 && hf->head == NULL,
               "side %d ended holding %u bytes", side, hf->held_bytes);
    if (reason == TCP_END_FIN) {
        uint32_t stream = (uint32_t)(s->delivered + s->missing);
        FUZZ_CHECK(hf->fin_seen && stream == hf->fin_seq - hf->isn - 1u,
                   "side %d ended at its FIN (seq %u) after %u bytes from seq %u", side,
                   hf->fin_seq, stream, hf->isn + 1u);
    }
}

static const tcp_sink sink = {on_data, on_gap, on_end};

static void check_memory(harness *h)
{
    const tcp_budget *b = &h->budget;
    uint64_t held = 0, hist = 0;
    for (int k = 0; k < 2; k++) {
        const tcp_half *hf = &h->half[k];
        FUZZ_CHECK(hf->held_bytes <= b->max_per_half, "side %d holds %u bytes, limit %u", k,
                   hf->held_bytes, b->max_per_half);
        FUZZ_CHECK(hf->held_segs <= b->max_segs_per_half, "side %d holds %u segments, limit %u",
                   k, hf->held_segs, b->max_segs_per_half);
        FUZZ_CHECK((hf->head == NULL) == (hf->held_segs == 0), "side %d: %u segments, head %p",
                   k, hf->held_segs, (const void *)hf->head);
        if (tcp_half_closed(hf))
            FUZZ_CHECK(hf->held_bytes == 0 && hf->hist == NULL, "closed side %d holds memory",
                       k);
        held += hf->held_bytes;
        hist += hf->hist ? hf->hist_size : 0;
        side_state *s = &h->s[k];
        s->ever_open |= hf->state == TCP_HALF_OPEN;
        FUZZ_CHECK(hf->stream_off == s->delivered + s->missing && hf->c.bytes == s->delivered &&
                       hf->c.gap_bytes == s->missing && hf->c.gaps == s->gap_calls,
                   "side %d: stream offset %llu, bytes %llu, gap bytes %llu; the sink saw %llu "
                   "delivered, %llu missing",
                   k, (unsigned long long)hf->stream_off, (unsigned long long)hf->c.bytes,
                   (unsigned long long)hf->c.gap_bytes, (unsigned long long)s->delivered,
                   (unsigned long long)s->missing);
    }
    FUZZ_CHECK(b->held_total == held && held <= b->max_total && b->held_peak >= held,
               "held total %llu (halves %llu, limit %llu, peak %llu)",
               (unsigned long long)b->held_total, (unsigned long long)held,
               (unsigned long long)b->max_total, (unsigned long long)b->held_peak);
    FUZZ_CHECK(b->history_total == hist, "history total %llu, halves %llu",
               (unsigned long long)b->history_total, (unsigned long long)hist);
}

/* Record which bytes a segment gives the reassembler, before it sees them. */
static void mark_offered(harness *h, int side, const tcp_segment *seg)
{
    const tcp_half *hf = &h->half[side];
    if (seg->flags & TCP_RST)
        return;
    if ((seg->flags & TCP_SYN) && hf->state != TCP_HALF_NEW &&
        !(hf->syn_seen && seg->seq == hf->isn))
        return; /* another connection's SYN: its payload is ignored */
    uint32_t first = seg->seq + ((seg->flags & TCP_SYN) ? 1u : 0u);
    uint32_t cap = seg->captured < seg->payload_len ? seg->captured : seg->payload_len;
    for (uint32_t i = 0; i < cap; i++) {
        uint32_t bit;
        if (in_window(&h->s[side], first + i, &bit))
            h->s[side].offered[bit / 8] |= (uint8_t)(1u << (bit % 8));
    }
}

static const uint64_t max_total[4] = {TCP_DEFAULT_MAX_TOTAL, 65536, 4096, 256};
static const uint32_t max_half[4] = {TCP_DEFAULT_MAX_PER_HALF, 32768, 2048, 100};
static const uint32_t max_segs[4] = {TCP_DEFAULT_MAX_SEGS_PER_HALF, 64, 8, 3};
static const uint32_t history[4] = {TCP_DEFAULT_HISTORY, 0, 16, 4096};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t payload[2048];
    fuzz_reader in = {data, size};
    harness *h = calloc(1, sizeof *h);
    if (!h)
        abort();
    uint8_t prof = fuzz_u8(&in);
    tcp_budget_init(&h->budget);
    h->budget.max_total = max_total[prof & 3];
    h->budget.max_per_half = max_half[(prof >> 2) & 3];
    h->budget.max_segs_per_half = max_segs[(prof >> 4) & 3];
    h->budget.history_per_half = history[(prof >> 6) & 3];
    for (int k = 0; k < 2; k++) {
        tcp_half_init(&h->half[k], k, &h->budget);
        h->s[k].base = fuzz_u32(&in) + 1u;
    }

    uint64_t frame = 0;
    while (in.n >= 8) {
        uint8_t op = fuzz_u8(&in);
        uint16_t rseq = fuzz_u16(&in), rlen = fuzz_u16(&in), rack = fuzz_u16(&in);
        uint8_t cut = fuzz_u8(&in);
        int side = (op >> 3) & 1;
        unsigned action = op & 7;
        frame++;
        if (action == 5) {
            static const int reasons[4] = {TCP_END_FLUSH, TCP_END_IDLE, TCP_END_REUSE,
                                           TCP_END_RST};
            tcp_half_close(&h->half[side], reasons[op >> 6], frame, &sink, h);
            check_memory(h);
            continue;
        }
        if (action == 6) {
            tcp_half_release(&h->half[side], rseq, frame, &sink, h);
            check_memory(h);
            continue;
        }
        tcp_segment seg;
        memset(&seg, 0, sizeof seg);
        seg.flags = (uint8_t)(((op & 0x10) ? TCP_SYN : 0) | ((op & 0x20) ? TCP_FIN : 0) |
                              ((op & 0x40) ? TCP_RST : 0) | ((op & 0x80) ? TCP_ACK : 0));
        if (action == 7)
            seg.seq = (uint32_t)rseq << 16 | rack;
        else
            seg.seq = h->s[side].base + (uint32_t)(int32_t)(int16_t)rseq;
        seg.ack = h->s[!side].base + (uint32_t)(int32_t)(int16_t)rack;
        seg.payload_len = rlen % sizeof payload;
        seg.captured = (cut & 0x80) ? seg.payload_len * (cut & 0x7fu) / 128u : seg.payload_len;
        uint32_t first = seg.seq + ((seg.flags & TCP_SYN) ? 1u : 0u);
        uint8_t flip = (cut & 0x40) ? 0x55 : 0;
        h->conflicting |= flip != 0;
        for (uint32_t i = 0; i < seg.captured; i++)
            payload[i] = (uint8_t)(byte_at(side, first + i) ^ flip);
        seg.payload = seg.captured ? payload : NULL;
        seg.ip_version = 4;
        if (!flip)
            mark_offered(h, side, &seg);
        unsigned r = tcp_reasm_packet(h->half, side, &seg, frame, &sink, h);
        if (r & TCP_R_DONE)
            FUZZ_CHECK(tcp_half_closed(&h->half[0]) && tcp_half_closed(&h->half[1]),
                       "done, but a half is open");
        check_memory(h);
    }

    for (int k = 0; k < 2; k++) {
        tcp_half_close(&h->half[k], TCP_END_FLUSH, frame + 1, &sink, h);
        FUZZ_CHECK(h->s[k].end_calls == h->s[k].ever_open, "side %d: %d end calls, started %d",
                   k, h->s[k].end_calls, h->s[k].ever_open);
    }
    check_memory(h);
    FUZZ_CHECK(h->budget.held_total == 0 && h->budget.history_total == 0,
               "%llu bytes held and %llu of history after closing",
               (unsigned long long)h->budget.held_total,
               (unsigned long long)h->budget.history_total);
    for (int k = 0; k < 2; k++)
        tcp_half_discard(&h->half[k]);
    free(h);
    return 0;
}
