/* Helpers for the payload decoder tests: exact-size heap copies (so that the
 * sanitizers catch any read past a payload), span comparison, and a visitor
 * that records what the vocabulary visitors report and checks that every
 * value lies inside the payload it came from. */
#ifndef MSNP_PAYLOAD_TESTUTIL_H
#define MSNP_PAYLOAD_TESTUTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "msnp/payload.h"

/* A heap copy of exactly n bytes (n == 0 still gives a valid pointer). */
static inline uint8_t *exact_copy(const void *src, size_t n)
{
    uint8_t *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    if (n)
        memcpy(p, src, n);
    return p;
}

static inline int span_is(const uint8_t *base, msnp_span s, const char *lit)
{
    return s.len == strlen(lit) && memcmp(base + s.off, lit, s.len) == 0;
}

#define COLLECT_MAX 512
#define COLLECT_STR 512

typedef struct collected {
    msnp_vocab_id id;
    char key[64];
    char str[COLLECT_STR];
    size_t str_len;
    uint64_t u;
    int64_t i;
    const char *text;
} collected;

typedef struct collector {
    const uint8_t *base; /* the payload the spans refer to (NULL: no spans) */
    size_t n;
    const char *scratch; /* the scratch buffer given to the visitor */
    size_t scratch_size;
    size_t count;
    int out_of_bounds; /* a span or string outside the payload and the scratch */
    int bad_field;     /* a value whose field is not its id's vocabulary row */
    collected v[COLLECT_MAX];
} collector;

static inline int inside(const void *ptr, size_t len, const void *base, size_t n)
{
    const uint8_t *p = ptr, *b = base;
    return b && p >= b && len <= n && (size_t)(p - b) <= n - len;
}

static inline void collect(void *ctx, const msnp_vocab_value *v)
{
    collector *c = ctx;
    if ((size_t)v->id >= MSNP_V_COUNT || v->field != msnp_vocab(v->id))
        c->bad_field = 1;
    if (c->base && ((size_t)v->span.off + v->span.len > c->n ||
                    (size_t)v->key.off + v->key.len > c->n))
        c->out_of_bounds = 1;
    if (v->str && v->str_len && !inside(v->str, v->str_len, c->base, c->n) &&
        !inside(v->str, v->str_len, c->scratch, c->scratch_size)) {
        /* Computed strings (kind names, issue texts, statuses) are constants:
         * only check that they are NUL-terminated where they end. */
        if (v->str[v->str_len] != '\0')
            c->out_of_bounds = 1;
    }
    if (c->count == COLLECT_MAX)
        return;
    collected *o = &c->v[c->count++];
    memset(o, 0, sizeof *o);
    o->id = v->id;
    size_t kl = v->key.len < sizeof o->key - 1 ? v->key.len : sizeof o->key - 1;
    if (c->base && kl)
        memcpy(o->key, c->base + v->key.off, kl);
    size_t sl = v->str_len < COLLECT_STR - 1 ? v->str_len : COLLECT_STR - 1;
    if (v->str && sl)
        memcpy(o->str, v->str, sl);
    o->str_len = v->str_len;
    o->u = v->u;
    o->i = v->i;
    o->text = v->text;
}

static inline void collector_init(collector *c, const uint8_t *base, size_t n, char *scratch,
                                  size_t scratch_size)
{
    memset(c, 0, sizeof *c);
    c->base = base;
    c->n = n;
    c->scratch = scratch;
    c->scratch_size = scratch_size;
}

/* The k-th value reported under id (k from 0), or NULL. */
static inline const collected *got(const collector *c, msnp_vocab_id id, unsigned k)
{
    for (size_t i = 0; i < c->count; i++)
        if (c->v[i].id == id && k-- == 0)
            return &c->v[i];
    return NULL;
}

static inline unsigned got_count(const collector *c, msnp_vocab_id id)
{
    unsigned n = 0;
    for (size_t i = 0; i < c->count; i++)
        n += c->v[i].id == id;
    return n;
}

/* A string value equals lit. */
static inline int got_str(const collector *c, msnp_vocab_id id, const char *lit)
{
    const collected *v = got(c, id, 0);
    return v && v->str_len == strlen(lit) && memcmp(v->str, lit, v->str_len) == 0;
}

/* An issue with this text was reported. */
static inline int got_issue(const collector *c, const char *text)
{
    for (size_t i = 0; i < c->count; i++)
        if (c->v[i].id == MSNP_V_PAYLOAD_ISSUE && strcmp(c->v[i].str, text) == 0)
            return 1;
    return 0;
}

#endif
