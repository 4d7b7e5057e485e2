/* The hold queue keeps output in capture order while a connection's role or
 * direction is not yet known (a DS and an NS look alike until the server's
 * answer to USR; a connection may not be MSNP at all). Records of unsettled
 * connections wait here, and so does everything after them; the queue is
 * drained from the head as connections settle, and bounded: past its limits
 * the head's connection is settled with its best guess. */
#ifndef MSNPDUMP_HOLDQ_H
#define MSNPDUMP_HOLDQ_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/framer.h"
#include "records.h"

struct conn_state;

typedef struct held {
    rec_type type;
    struct conn_state *conn;
    int side;
    uint64_t frame;
    int64_t sec;
    uint32_t usec;
    uint8_t in_syn_dump; /* parse context of a command at the time it came */
    msnp_pdu pdu;        /* command: spans relative to bytes */
    /* The parse made when it came, reused when the connection's role has
     * not changed since (it waited for another connection). */
    uint8_t has_parsed;
    msnp_command parsed;
    msnp_parse_ctx parsed_ctx;
    uint8_t *bytes;      /* command bytes or anomaly sample (owned) */
    uint32_t nbytes;
    const char *kind;
    char *detail;        /* owned */
    uint64_t count;      /* anomaly bytes / data bytes */
    uint64_t first_frame, blocks;
    int aborted;
} held;

typedef struct holdq {
    held *items;
    size_t head, count, cap;
    size_t bytes;        /* owned bytes in the queue */
    size_t max_items, max_bytes;
} holdq;

void holdq_init(holdq *q, size_t max_items, size_t max_bytes);
void holdq_free(holdq *q);
/* Append a copy of r (command bytes, sample and detail are copied). */
int holdq_push(holdq *q, const record *r, struct conn_state *conn, uint8_t in_syn_dump);
held *holdq_front(holdq *q);
void holdq_pop(holdq *q);
int holdq_over_limit(const holdq *q);

#endif
