/* A record of what the framer produced over one stream, so that two ways of
 * framing the same bytes can be compared: each PDU with its stream offset and
 * every field a caller uses (token spans as a hash).
 *
 * Two framings agree when their lists are equal after framed_merge_runs():
 * skipped bytes and payload tails are reported as they become decidable, so
 * their grouping legitimately depends on how the stream was cut (a caller
 * coalesces adjacent runs); everything else must be identical. */
#ifndef MSNP_FUZZ_FRAMED_LIST_H
#define MSNP_FUZZ_FRAMED_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/framer.h"

/* result of the bytes still pending when the stream ended (not a framer
 * result: the caller reports them as truncated); the entry keeps what the
 * framer's last MSNP_NEED_MORE said about them (kind, line, declared, need) */
#define FRAMED_REST (-1)

typedef struct framed {
    uint64_t off; /* stream offset of the first byte */
    uint64_t len;
    int result;   /* msnp_frame_result, or FRAMED_REST */
    uint8_t kind, anomaly, eol_len, has_payload, irregular_spacing, block_type;
    uint8_t too_many_tokens;
    uint16_t ntok;
    uint32_t line_len, payload_off, payload_len;
    uint64_t declared, missing;
    uint64_t need;     /* FRAMED_REST: bytes the framer still wanted */
    uint64_t tok_hash; /* FNV-1a over the token spans */
} framed;

typedef struct framed_list {
    framed *v;
    size_t n, cap;
} framed_list;

void framed_add(framed_list *l, uint64_t off, msnp_frame_result r, const msnp_pdu *p);
void framed_add_rest(framed_list *l, uint64_t off, uint64_t len, const msnp_pdu *need_more);
void framed_append(framed_list *l, const framed *e);
void framed_merge_runs(framed_list *l);
int framed_equal(const framed *a, const framed *b);
/* Index of the first entry where a and b differ (a->n == b->n == index when
 * they are equal). */
size_t framed_first_difference(const framed_list *a, size_t a_from, const framed_list *b,
                               size_t b_from);
/* Index of the entry starting at stream offset off, or (size_t)-1. */
size_t framed_find(const framed_list *l, uint64_t off);
void framed_print(const char *title, const framed_list *l, size_t from, size_t count);
void framed_free(framed_list *l);

#endif
