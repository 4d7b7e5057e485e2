/* The msnpdump pipeline: packets in, records out. Link/IP/TCP decoding, flows,
 * TCP reassembly per direction, MSNP framing and parsing (libmsnp), and the
 * hold queue that keeps records in capture order. */
#ifndef MSNPDUMP_DECODER_H
#define MSNPDUMP_DECODER_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/msnp.h"
#include "netdecode.h"
#include "records.h"

#define DECODER_MAX_PORTS 32

typedef struct decoder_options {
    msnp_limits limits;
    uint16_t ports[DECODER_MAX_PORTS]; /* well-known MSNP server ports (hint only) */
    size_t nports;
    size_t max_flows;        /* connections tracked at once */
    uint64_t max_held_total; /* out-of-order bytes held, all connections */
    uint32_t max_held_flow;  /* out-of-order bytes held, one direction */
    uint64_t max_buffered_total; /* partial-PDU bytes buffered, all connections */
    size_t max_queued_items;     /* records waiting for their connection's role */
    size_t max_queued_bytes;     /* and the bytes they hold */
    size_t max_gateway_buffered; /* HTTP heads split over segments, all carriers */
    msnp_corr_limits corr;       /* correlation state (logins, conversations, ...) */
    /* Mask credentials (msnp/redact.h) in every record and event written;
     * the correlator still sees the real bytes. */
    int redact;
    /* MSNFTP file data as it is framed (for --extract), or NULL. */
    void (*ftp_data)(void *ctx, uint64_t conn, const uint8_t *p, size_t n);
    void *ftp_ctx;
} decoder_options;

void decoder_options_default(decoder_options *o);

/* --max-mem: one budget of `bytes` shared by the limits above in fixed
 * proportions (decoder.c says which); the limits named in `keep` (bits
 * below, set when given on their own) are left as they are. */
enum {
    DECODER_KEEP_FLOWS = 1u << 0,
    DECODER_KEEP_HELD = 1u << 1,
    DECODER_KEEP_HELD_FLOW = 1u << 2,
    DECODER_KEEP_PAYLOAD = 1u << 3
};
void decoder_options_budget(decoder_options *o, uint64_t bytes, unsigned keep);

struct decoder_stats {
    uint64_t packets;
    uint64_t tcp_packets;
    uint64_t not_tcp[NET_RESULT_COUNT]; /* packets by why they were not TCP */
    uint64_t tcp_conns;
    uint64_t msnp_conns;
    uint64_t role_conns[5]; /* by msnp_role bit index: unknown, DS, NS, SB, FTP */
    uint64_t other_conns;   /* TCP connections that are not MSNP */
    uint64_t gw_carriers;   /* TCP connections carrying the HTTP gateway */
    uint64_t gw_sessions;   /* MSNP sessions carried over them */
    uint64_t gw_role_sessions[5];
    uint64_t gw_requests, gw_responses, gw_dropped_bytes;
    uint64_t evicted;
    uint64_t stray_packets;       /* FIN/RST of connections never seen */
    uint64_t after_close_packets; /* data packets after a connection ended */
    uint64_t commands;
    uint64_t anomalies;
    uint64_t gaps, gap_bytes;
    uint64_t malformed;
    uint64_t skipped_bytes;
    uint64_t oversize;
    uint64_t truncated;
    uint64_t unknown_commands;
    uint64_t ftp_blocks;
    uint64_t dup_bytes, conflicts, ignored_segments, cut_segments;
    uint64_t held_peak;     /* out-of-order bytes held at most */
    uint64_t buffered_peak; /* partial-PDU bytes buffered at most */
    uint64_t queue_peak;    /* records waiting for their connection's role */
};

typedef struct decoder decoder;

decoder *decoder_new(const decoder_options *opt, writer *w);
void decoder_packet(decoder *d, uint64_t frame, int64_t sec, uint32_t usec, int dlt,
                    const uint8_t *pkt, uint32_t caplen);
/* End of input: close every connection, drain the hold queue. */
void decoder_finish(decoder *d);
const decoder_stats *decoder_get_stats(const decoder *d);
void decoder_free(decoder *d);

#endif
