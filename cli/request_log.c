/* Recent requests per connection (see request_log.h). */
#include "request_log.h"

#include <stdlib.h>
#include <string.h>

#include "msnp/trid.h"

/* Requests remembered per connection: more than the pairing itself keeps
 * pending (decoder.c), since a NAK may come after a few more messages. */
enum { CONNS = 8192, PER_CONN = 16 };

typedef struct request_entry {
    uint64_t frame;
    uint32_t trid; /* 0 when it has none */
    char cmd[4];
} request_entry;

typedef struct conn_requests {
    uint64_t conn; /* 0: free (connection numbers start at 1) */
    uint32_t next;  /* ring position */
    request_entry r[PER_CONN];
} conn_requests;

struct request_log {
    conn_requests conns[CONNS];
};

request_log *request_log_new(void)
{
    return calloc(1, sizeof(request_log));
}

void request_log_free(request_log *l)
{
    free(l);
}

static size_t slot(uint64_t conn)
{
    return (size_t)(conn % CONNS);
}

void request_log_note(request_log *l, const record *r)
{
    if (r->type != REC_COMMAND || r->txn.kind != MSNP_TXN_REQUEST ||
        r->txn.expect == MSNP_EXPECT_NONE || !r->cmd->info)
        return;
    conn_requests *c = &l->conns[slot(r->conn->id)];
    if (c->conn != r->conn->id) {
        memset(c, 0, sizeof *c);
        c->conn = r->conn->id;
    }
    request_entry *e = &c->r[c->next++ % PER_CONN];
    e->frame = r->frame;
    e->trid = r->cmd->has_trid ? r->cmd->trid : 0;
    memcpy(e->cmd, r->cmd->info->name, sizeof e->cmd);
}

const char *request_log_find(const request_log *l, uint64_t conn, const msnp_txn *reply)
{
    const conn_requests *c = &l->conns[slot(conn)];
    if (c->conn != conn)
        return NULL;
    /* Several requests can end in one frame: the TrID tells them apart. */
    const char *same_frame = NULL;
    for (unsigned i = 0; i < PER_CONN; i++) {
        const request_entry *e = &c->r[i];
        if (!e->cmd[0] || e->frame != reply->tag)
            continue;
        if (e->trid == reply->trid)
            return e->cmd;
        if (!same_frame)
            same_frame = e->cmd;
    }
    return same_frame;
}

void request_log_forget(request_log *l, uint64_t conn)
{
    conn_requests *c = &l->conns[slot(conn)];
    if (c->conn == conn)
        memset(c, 0, sizeof *c);
}
