/* TCP connections keyed by their 4-tuple.
 *
 * An open-addressing hash table (power-of-two capacity, Robin Hood probing,
 * backward-shift deletion, no tombstones) maps the canonical (address, port)
 * pair of a connection to its flow. It grows by rehashing until it can hold
 * max_flows; beyond that flowtable_get(create) returns NULL and the caller
 * evicts (flowtable_oldest + flowtable_remove) and retries.
 *
 * Side numbering: side 0 is the endpoint that sent the first packet the table
 * saw for the flow; lookups say which side sent the packet looked up.
 *
 * Flows also sit on an intrusive list ordered by last activity (touch order):
 * flowtable_oldest() is O(1), for eviction and idle expiry.
 *
 * A new flow is zeroed: the caller initialises its two tcp_half with
 * tcp_half_init(&f->half[k], k, budget) when flowtable_get says *created.
 * Removing a flow discards whatever its halves still hold (no callbacks):
 * close them first (tcp_half_close) if their end matters.
 * Flow structs are recycled through a free list: no allocation per packet.
 */
#ifndef MSNPDUMP_FLOWTABLE_H
#define MSNPDUMP_FLOWTABLE_H

#include <stddef.h>
#include <stdint.h>

#include "netdecode.h"
#include "tcp_reasm.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct flow flow;

struct flow {
    net_addr addr[2];  /* addr[0]/port[0]: the first sender (side 0) */
    uint16_t port[2];
    tcp_half half[2];  /* half[s]: bytes sent by side s; zeroed at creation */
    uint64_t id;       /* 1, 2, 3... in creation order (uid "C<id>") */
    uint64_t first_frame, last_frame; /* 0 until the first flowtable_touch */
    int64_t first_ts, last_ts;        /* capture time, in the caller's unit */
    uint64_t packets;  /* flowtable_touch calls */
    void *app;         /* the caller's per-flow state */
    /* private */
    flow *lru_prev, *lru_next;
    uint32_t hash;
    uint8_t touched;
};

typedef struct flowtable flowtable;

/* max_flows: at least 1 (0 is taken as 1), at most 2^28. Returns NULL when
 * out of memory. */
flowtable *flowtable_new(size_t max_flows);

/* Calls on_free(flow, ctx) (if not NULL) for every flow, oldest first, then
 * frees everything. */
void flowtable_free(flowtable *t, void (*on_free)(flow *, void *), void *ctx);

/* The flow of segment s; *side (if not NULL) = the side that sent s. When
 * absent and create != 0, creates it with s->src as side 0 (at the most
 * recent end of the activity list); *created (if not NULL) says so. Returns
 * NULL when absent and not created (create == 0, table full, or out of
 * memory). */
flow *flowtable_get(flowtable *t, const tcp_segment *s, int *side, int create, int *created);

/* Record activity: frame number and capture time (any unit, e.g.
 * microseconds); moves the flow to the most recent end. */
void flowtable_touch(flowtable *t, flow *f, uint64_t frame, int64_t ts);

/* The least recently touched flow, or NULL when empty. */
flow *flowtable_oldest(flowtable *t);

/* Unlink the flow, discard its reassembly state (tcp_half_discard, safe on
 * halves never initialised) and recycle it. The caller frees f->app first. */
void flowtable_remove(flowtable *t, flow *f);

size_t flowtable_count(const flowtable *t);

/* Take the next connection number for a connection that is not a TCP flow
 * (an MSNP session carried over the HTTP gateway), so numbers stay unique. */
uint64_t flowtable_take_id(flowtable *t);
size_t flowtable_capacity(const flowtable *t); /* slots now (for tests/stats) */
int flowtable_full(const flowtable *t);        /* count == max_flows */

/* fn(flow, ctx) for every flow, least recently touched first. fn may remove
 * the flow it is given (and no other). */
void flowtable_foreach(flowtable *t, void (*fn)(flow *, void *), void *ctx);

#ifdef __cplusplus
}
#endif
#endif
