/* The hold queue (see holdq.h): a growable ring of owned record copies. */
#include "holdq.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void holdq_init(holdq *q, size_t max_items, size_t max_bytes)
{
    memset(q, 0, sizeof *q);
    q->max_items = max_items;
    q->max_bytes = max_bytes;
}

static void release(holdq *q, held *h)
{
    q->bytes -= h->nbytes + (h->detail ? strlen(h->detail) + 1 : 0);
    if (h->buf_cap > HOLDQ_KEEP_MAX) {
        free(h->buf);
        h->buf = NULL;
        h->buf_cap = 0;
    }
    free(h->detail);
    h->bytes = NULL;
    h->nbytes = 0;
    h->detail = NULL;
}

void holdq_free(holdq *q)
{
    while (q->count)
        holdq_pop(q);
    for (size_t i = 0; i < q->cap; i++)
        free(q->items[i].buf);
    free(q->items);
    q->items = NULL;
    q->cap = 0;
}

size_t holdq_kept_bytes(const holdq *q)
{
    size_t n = 0;
    for (size_t i = 0; i < q->cap; i++)
        n += q->items[i].buf_cap;
    return n;
}

static int grow(holdq *q)
{
    size_t ncap = q->cap ? q->cap * 2 : 64;
    /* Every slot may keep a buffer: no more slots than the records the
     * queue may hold, and the one that tips it over its limit (the caller
     * then drains it), which --max-mem's share counts. */
    size_t most = q->max_items + 1;
    if (ncap > most && most > q->cap)
        ncap = most;
    /* Called only when every slot holds a record, so every kept buffer
     * moves with its record. */
    held *n = calloc(ncap, sizeof *n);
    if (!n)
        return -1;
    for (size_t i = 0; i < q->count; i++)
        n[i] = q->items[(q->head + i) % q->cap];
    free(q->items);
    q->items = n;
    q->cap = ncap;
    q->head = 0;
    return 0;
}

int holdq_push(holdq *q, const record *r, struct conn_state *conn, uint8_t in_syn_dump)
{
    if (q->count == q->cap && grow(q) != 0)
        return -1;
    held *h = &q->items[(q->head + q->count) % q->cap];
    h->type = r->type;
    h->conn = conn;
    h->side = r->side;
    h->frame = r->frame;
    h->sec = r->sec;
    h->usec = r->usec;
    h->in_syn_dump = in_syn_dump;
    h->has_parsed = 0;
    memset(&h->parsed_ctx, 0, sizeof h->parsed_ctx);
    h->bytes = NULL;
    h->nbytes = 0;
    h->kind = r->kind;
    h->detail = NULL;
    h->count = r->bytes;
    h->first_frame = r->first_frame;
    h->blocks = r->blocks;
    h->aborted = r->aborted;
    const uint8_t *src = NULL;
    size_t n = 0;
    if (r->type == REC_COMMAND) {
        msnp_pdu_copy(&h->pdu, r->pdu);
        if (r->parsed) {
            h->has_parsed = 1;
            h->parsed = *r->parsed;
            h->parsed_ctx = r->parsed_ctx;
        }
        src = r->base;
        n = r->pdu->len;
    } else {
        memset(&h->pdu, 0, offsetof(msnp_pdu, tok)); /* no tokens */
        src = r->sample;
        n = r->sample_len;
    }
    if (n > h->buf_cap) {
        /* Most commands fit the smallest buffer, so a slot is rarely grown. */
        size_t cap = n < HOLDQ_MIN_BUF ? HOLDQ_MIN_BUF : n;
        free(h->buf);
        h->buf_cap = 0;
        if ((h->buf = malloc(cap)) == NULL)
            return -1;
        h->buf_cap = (uint32_t)cap;
        q->buffers_made++;
    }
    if (n) {
        memcpy(h->buf, src, n);
        h->bytes = h->buf;
        h->nbytes = (uint32_t)n;
    }
    if (r->detail) {
        size_t dl = strlen(r->detail);
        h->detail = malloc(dl + 1);
        if (!h->detail) {
            h->bytes = NULL;
            h->nbytes = 0;
            return -1;
        }
        memcpy(h->detail, r->detail, dl + 1);
        q->bytes += dl + 1;
    }
    q->bytes += h->nbytes;
    q->count++;
    return 0;
}

held *holdq_front(holdq *q)
{
    return q->count ? &q->items[q->head] : NULL;
}

void holdq_pop(holdq *q)
{
    if (!q->count)
        return;
    release(q, &q->items[q->head]);
    q->head = (q->head + 1) % q->cap;
    q->count--;
    /* An empty queue starts again at the slots used last, still in cache. */
    if (!q->count)
        q->head = 0;
}

int holdq_over_limit(const holdq *q)
{
    return q->count > q->max_items || q->bytes > q->max_bytes;
}
