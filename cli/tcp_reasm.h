/* TCP reassembly of one direction ("half") of a connection into ordered bytes,
 * with exact gaps for bytes that will never come.
 *
 * Per packet the caller calls tcp_reasm_packet() with both halves of the flow
 * and the side that sent the segment; it feeds the segment to that half and the
 * ACK value to the opposite half, and handles RST. The halves call back:
 *
 *   data(ctx, side, p, n, frame)  in-order bytes, never overlapping, each byte
 *                                 once. p points into the packet (zero copy) or
 *                                 into held memory: valid only during the call.
 *   gap(ctx, side, missing, frame) `missing` bytes of the stream will never
 *                                 come; called before the data that follows.
 *   end(ctx, side, reason, frame) the direction is over (TCP_END_*); called at
 *                                 most once per half, only for a half that
 *                                 started (saw a SYN, data or FIN).
 *
 * `frame` is the frame being processed when the callback happens: for held
 * data released by a later segment it is the frame that completed the run.
 *
 * Rules: in-order data is delivered at once from the packet; out-of-order data
 * is copied and held (sorted, "first copy wins" on overlaps) until the hole
 * fills. A hole becomes a gap when the opposite direction acknowledged bytes
 * beyond it while later data (or a FIN) is held and a further segment of this
 * direction then arrives without filling it (a capture may show an ACK just
 * before the data it acknowledges), when held bytes exceed the
 * per-half or global budget, when the snapshot length cut a segment, and at
 * close (RST, flush, idle: up to the last byte seen or acknowledged). An ACK
 * beyond next_seq with nothing held does not make a gap by itself (the data
 * may still arrive). Sequence arithmetic is modulo 2^32.
 *
 * Memory: held bytes are charged to a tcp_budget shared by all halves; an
 * optional small ring of recently delivered bytes per half (history) lets a
 * retransmission be compared with what was delivered. Everything is freed when
 * the half ends or is discarded.
 */
#ifndef MSNPDUMP_TCP_REASM_H
#define MSNPDUMP_TCP_REASM_H

#include <stddef.h>
#include <stdint.h>

#include "netdecode.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reasons passed to end(). */
enum {
    TCP_END_FIN = 1,   /* the FIN was reached in sequence */
    TCP_END_RST = 2,   /* a RST was seen (either direction) */
    TCP_END_FLUSH = 3, /* caller: capture ended */
    TCP_END_IDLE = 4,  /* caller: idle timeout / eviction */
    TCP_END_REUSE = 5  /* caller: a new SYN reused the 4-tuple */
};

/* Segments starting more than this far ahead of the next expected byte are
 * not plausible: they are counted as ignored and dropped. */
#define TCP_MAX_AHEAD (1u << 30)

/* A half picked up mid-stream starts at the other side's last ACK when its
 * first data segment is at most this far after it (the bytes between are
 * waited for, then reported as a gap if they never come). */
#define TCP_MIDSTREAM_BACKFILL 65536u

typedef struct tcp_sink {
    void (*data)(void *ctx, int side, const uint8_t *p, size_t n, uint64_t frame);
    void (*gap)(void *ctx, int side, uint64_t missing, uint64_t frame);
    void (*end)(void *ctx, int side, int reason, uint64_t frame);
} tcp_sink;

typedef struct tcp_counters {
    uint64_t segments;     /* segments fed with payload, SYN or FIN */
    uint64_t bytes;        /* bytes delivered through data() */
    uint64_t dup_bytes;    /* retransmitted/duplicate bytes trimmed */
    uint64_t conflicts;    /* segments whose repeated bytes differ from the first copy */
    uint64_t ooo_segments; /* segments that arrived ahead of a hole */
    uint64_t gaps;         /* gap() calls */
    uint64_t gap_bytes;    /* bytes reported missing */
    uint64_t ignored;      /* segments dropped: implausible sequence, after the end,
                              beyond the FIN, a SYN with another ISN */
    uint64_t truncated;    /* segments cut by the snapshot length */
    uint64_t forced;       /* holes turned into gaps by the memory budget */
} tcp_counters;

/* Shared by all halves. Initialise with tcp_budget_init(), then adjust. */
typedef struct tcp_budget {
    uint64_t held_total;        /* bytes held now, all halves */
    uint64_t held_peak;         /* maximum of held_total */
    uint64_t max_total;         /* limit of held_total */
    uint32_t max_per_half;      /* limit of bytes held by one half */
    uint32_t max_segs_per_half; /* limit of held segments of one half */
    uint32_t history_per_half;  /* ring of delivered bytes (rounded to a power of two; 0 = off) */
    uint64_t history_total;     /* bytes allocated for history rings now */
    tcp_counters c;             /* sums over all halves, ever */
} tcp_budget;

#define TCP_DEFAULT_MAX_TOTAL (16u << 20)
#define TCP_DEFAULT_MAX_PER_HALF (1u << 20)
#define TCP_DEFAULT_MAX_SEGS_PER_HALF 2048u
#define TCP_DEFAULT_HISTORY 512u

void tcp_budget_init(tcp_budget *b);

typedef struct tcp_hold tcp_hold; /* a held out-of-order piece (private) */

enum { TCP_HALF_NEW = 0, TCP_HALF_OPEN = 1, TCP_HALF_CLOSED = 2 };

typedef struct tcp_half {
    tcp_budget *budget;
    tcp_hold *head, *tail; /* held pieces, sorted by sequence */
    uint8_t *hist;         /* history ring, allocated on first delivery */
    uint64_t stream_off;   /* bytes delivered + gap bytes so far */
    uint32_t isn;          /* SYN sequence (or start - 1 without SYN) */
    uint32_t next_seq;     /* next byte expected */
    uint32_t hi_seq;       /* highest sequence end seen on the wire */
    uint32_t lost_end;     /* bytes below this that are not held are lost */
    uint32_t acked;        /* highest plausible ACK from the other side */
    uint32_t fin_seq;      /* sequence number of the FIN */
    uint32_t held_bytes, held_segs;
    uint32_t hist_size, hist_fill;
    uint8_t side;          /* 0 or 1: passed to the callbacks */
    uint8_t state;         /* TCP_HALF_NEW / OPEN / CLOSED */
    uint8_t syn_seen, fin_seen, ack_valid;
    uint8_t end_reason;    /* reason passed to end(), once closed */
    uint8_t start_hint_valid;
    uint32_t start_hint;   /* NEW half: the other side's highest ACK so far */
    tcp_counters c;
} tcp_half;

void tcp_half_init(tcp_half *h, int side, tcp_budget *b);

/* Bits returned by tcp_half_segment() and tcp_reasm_packet(). */
#define TCP_R_ENDED 0x01u   /* a half ended during this call */
#define TCP_R_RST 0x02u     /* the segment has RST (tcp_reasm_packet closed both) */
#define TCP_R_NEWSYN 0x04u  /* SYN with another ISN on a started/closed half: the
                               4-tuple was probably reused; caller should end the
                               flow (TCP_END_REUSE) and start a new one */
#define TCP_R_IGNORED 0x08u /* the segment was dropped (counted) */
#define TCP_R_DONE 0x10u    /* both halves are now closed */

/* One packet of a flow: half[side] sent s. Feeds the segment to half[side],
 * its ACK (if the ACK flag is set) to half[!side]; a RST closes both halves
 * (sender first) with TCP_END_RST and its payload is ignored. */
unsigned tcp_reasm_packet(tcp_half half[2], int side, const tcp_segment *s, uint64_t frame,
                          const tcp_sink *sink, void *ctx);

/* Lower level: the segment's SYN/data/FIN for its own half (RST is only
 * reported), and the other side's ACK value for this half. */
unsigned tcp_half_segment(tcp_half *h, const tcp_segment *s, uint64_t frame,
                          const tcp_sink *sink, void *ctx);
void tcp_half_ack(tcp_half *h, uint32_t ack, uint64_t frame, const tcp_sink *sink, void *ctx);

/* End the half now: every hole up to the FIN, or else up to the highest
 * byte seen or acknowledged by the other side (an ACK exactly one beyond is
 * taken for the ACK of a FIN the capture missed), becomes a gap, held data is
 * delivered, then end(reason) — unless the FIN is reached on the way (then
 * end(TCP_END_FIN)). Frees held memory and the history. No callback for a
 * half that never started. Idempotent. */
void tcp_half_close(tcp_half *h, int reason, uint64_t frame, const tcp_sink *sink, void *ctx);

/* Free held memory and history without any callback (e.g. on teardown). */
void tcp_half_discard(tcp_half *h);

/* Give memory back: turn the first hole into a gap and deliver the held run
 * after it (repeat while it holds more than `keep` bytes). For a caller that
 * wants to shed memory of other flows when the global budget is tight.
 * Returns the bytes released from holding. */
uint64_t tcp_half_release(tcp_half *h, uint32_t keep, uint64_t frame, const tcp_sink *sink,
                          void *ctx);

static inline int tcp_half_closed(const tcp_half *h)
{
    return h->state == TCP_HALF_CLOSED;
}

#ifdef __cplusplus
}
#endif
#endif
