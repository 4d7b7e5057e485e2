/* Recording and comparing framings (see framed_list.h). */
#include "framed_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static framed *push(framed_list *l)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        framed *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            fprintf(stderr, "framed_list: out of memory\n");
            abort();
        }
        l->v = v;
        l->cap = cap;
    }
    framed *e = &l->v[l->n++];
    memset(e, 0, sizeof *e);
    return e;
}

static uint64_t tok_hash(const msnp_pdu *p)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    unsigned n = p->ntok < MSNP_MAX_TOKENS ? p->ntok : MSNP_MAX_TOKENS;
    for (unsigned i = 0; i < n; i++) {
        uint32_t w[2] = {p->tok[i].off, p->tok[i].len};
        const uint8_t *b = (const uint8_t *)w;
        for (size_t k = 0; k < sizeof w; k++)
            h = (h ^ b[k]) * 0x100000001b3ULL;
    }
    return h;
}

void framed_add(framed_list *l, uint64_t off, msnp_frame_result r, const msnp_pdu *p)
{
    framed *e = push(l);
    e->off = off;
    e->len = p->len;
    e->result = (int)r;
    e->kind = p->kind;
    e->anomaly = p->anomaly;
    e->eol_len = p->eol_len;
    e->has_payload = p->has_payload;
    e->irregular_spacing = p->irregular_spacing;
    e->block_type = p->block_type;
    e->too_many_tokens = p->too_many_tokens;
    e->ntok = p->ntok;
    e->line_len = p->line_len;
    e->payload_off = p->payload.off;
    e->payload_len = p->payload.len;
    e->declared = p->declared;
    e->missing = p->missing;
    e->tok_hash = tok_hash(p);
}

void framed_add_rest(framed_list *l, uint64_t off, uint64_t len, const msnp_pdu *need_more)
{
    if (need_more) {
        framed_add(l, off, MSNP_NEED_MORE, need_more);
        l->v[l->n - 1].need = need_more->need;
    } else {
        push(l)->off = off;
    }
    framed *e = &l->v[l->n - 1];
    e->len = len;
    e->result = FRAMED_REST;
}

void framed_append(framed_list *l, const framed *e)
{
    *push(l) = *e;
}

/* Runs whose split depends on how much the framer was shown at once. */
static int is_run(const framed *e)
{
    return (e->result == MSNP_SKIP && e->anomaly == MSNP_ANOM_NOT_MSNP) ||
           (e->result == MSNP_PDU && e->kind == MSNP_PDU_PAYLOAD_TAIL);
}

void framed_merge_runs(framed_list *l)
{
    size_t o = 0;
    for (size_t i = 0; i < l->n; i++) {
        framed *e = &l->v[i];
        if (o > 0 && is_run(e)) {
            framed *prev = &l->v[o - 1];
            if (is_run(prev) && prev->result == e->result && prev->kind == e->kind &&
                prev->off + prev->len == e->off) {
                prev->len += e->len;
                continue;
            }
        }
        if (o != i)
            l->v[o] = *e;
        o++;
    }
    l->n = o;
}

int framed_equal(const framed *a, const framed *b)
{
    return a->off == b->off && a->len == b->len && a->result == b->result &&
           a->kind == b->kind && a->anomaly == b->anomaly && a->eol_len == b->eol_len &&
           a->has_payload == b->has_payload && a->irregular_spacing == b->irregular_spacing &&
           a->block_type == b->block_type && a->too_many_tokens == b->too_many_tokens &&
           a->ntok == b->ntok && a->line_len == b->line_len &&
           a->payload_off == b->payload_off && a->payload_len == b->payload_len &&
           a->declared == b->declared && a->missing == b->missing && a->need == b->need &&
           a->tok_hash == b->tok_hash;
}

size_t framed_first_difference(const framed_list *a, size_t a_from, const framed_list *b,
                               size_t b_from)
{
    size_t i = 0;
    while (a_from + i < a->n && b_from + i < b->n &&
           framed_equal(&a->v[a_from + i], &b->v[b_from + i]))
        i++;
    return i;
}

size_t framed_find(const framed_list *l, uint64_t off)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->v[mid].off < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < l->n && l->v[lo].off == off ? lo : (size_t)-1;
}

void framed_print(const char *title, const framed_list *l, size_t from, size_t count)
{
    fprintf(stderr, "-- %s: %zu entries, from %zu\n", title, l->n, from);
    for (size_t i = from; i < l->n && i < from + count; i++) {
        const framed *e = &l->v[i];
        fprintf(stderr,
                "  [%zu] off %llu len %llu result %d kind %u anomaly %u line %u eol %u ntok %u "
                "payload %u+%u declared %llu missing %llu need %llu\n",
                i, (unsigned long long)e->off, (unsigned long long)e->len, e->result, e->kind,
                e->anomaly, e->line_len, e->eol_len, e->ntok, e->payload_off, e->payload_len,
                (unsigned long long)e->declared, (unsigned long long)e->missing,
                (unsigned long long)e->need);
    }
}

void framed_free(framed_list *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
