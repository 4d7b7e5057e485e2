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
    /* holdq_push writes what the record uses (the parse only when there is
     * one, the PDU's tokens only up to ntok): a record touches the few cache
     * lines it needs, not the whole slot. */
    rec_type type;
    struct conn_state *conn;
    int side;
    uint64_t frame;
    int64_t sec;
    uint32_t usec;
    uint8_t in_syn_dump; /* parse context of a command at the time it came */
    /* The parse made when it came, reused when the connection's role has
     * not changed since (it waited for another connection). */
    uint8_t has_parsed;
    msnp_parse_ctx parsed_ctx;
    msnp_command parsed;
    uint8_t *bytes;      /* command bytes or anomaly sample: in buf */
    uint32_t nbytes;
    /* The slot's own buffer, kept when the record leaves if it is small
     * (HOLDQ_KEEP_MAX), so that a queue in steady use allocates nothing. */
    uint8_t *buf;
    uint32_t buf_cap;
    const char *kind;
    char *detail;        /* owned */
    uint64_t count;      /* anomaly bytes / data bytes */
    uint64_t first_frame, blocks;
    int aborted;
    msnp_pdu pdu;        /* command: spans relative to bytes; last, as its
                            token array is mostly unused */
} held;

/* A slot's buffer holds at least HOLDQ_MIN_BUF bytes, and is kept only up
 * to HOLDQ_KEEP_MAX: command lines and short messages fit, and the ring,
 * which grows past MSNP_SETTLE_WAIT_ITEMS (4,096) records only to the next
 * power of two, keeps at most 8,192 x 512 bytes = 4 MiB between records. */
enum { HOLDQ_MIN_BUF = 256, HOLDQ_KEEP_MAX = 512 };

typedef struct holdq {
    held *items;
    size_t head, count, cap;
    size_t bytes;        /* owned bytes in the queue */
    size_t max_items, max_bytes;
    uint64_t buffers_made; /* slot buffers allocated so far */
} holdq;

void holdq_init(holdq *q, size_t max_items, size_t max_bytes);
void holdq_free(holdq *q);
/* Append a copy of r (command bytes, sample and detail are copied). */
int holdq_push(holdq *q, const record *r, struct conn_state *conn, uint8_t in_syn_dump);
held *holdq_front(holdq *q);
void holdq_pop(holdq *q);
int holdq_over_limit(const holdq *q);
/* Bytes of the buffers the slots keep between records. */
size_t holdq_kept_bytes(const holdq *q);

#endif
