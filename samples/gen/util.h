/* msnpgen — small shared helpers: growable buffers, deterministic PRNG,
 * exact (float-free) number parsing, escape decoding/encoding. */
#ifndef MSNPGEN_UTIL_H
#define MSNPGEN_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Process exit statuses. */
#define GEN_EXIT_OK 0
#define GEN_EXIT_USAGE 1
#define GEN_EXIT_SCENARIO 2
#define GEN_EXIT_IO 3

#define NS_PER_SEC INT64_C(1000000000)
#define NS_PER_MS INT64_C(1000000)
#define NS_PER_US INT64_C(1000)

typedef struct {
    uint8_t *data;
    size_t len;
    size_t cap;
} buf_t;

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow *arr (element size esz, capacity *cap) so that index `need-1` fits. */
void grow_array(void **arr, size_t *cap, size_t need, size_t esz);

void buf_reserve(buf_t *b, size_t extra);
void buf_append(buf_t *b, const void *p, size_t n);
void buf_putc(buf_t *b, uint8_t c);
void buf_puts(buf_t *b, const char *s);
void buf_free(buf_t *b);

/* splitmix64: the only randomness source (never rand()/time()). */
typedef struct {
    uint64_t s;
} rng_t;

uint64_t mix64(uint64_t x);
uint64_t rng_next(rng_t *r);
/* An independent stream for (seed, purpose tag, a, b). */
rng_t rng_derive(uint64_t seed, uint64_t tag, uint64_t a, uint64_t b);
/* Uniform in [0, n) for n > 0. */
uint32_t rng_below(rng_t *r, uint32_t n);
/* True with probability ppm / 1e6. */
int rng_chance(rng_t *r, uint32_t ppm);

uint64_t fnv1a64(const void *p, size_t n);

/* Exact parsers; 0 on success, -1 on error. */
int parse_u64(const char *s, uint64_t *out);          /* decimal or 0x hex */
int parse_seconds(const char *s, int64_t *ns);        /* "1", "0.250", "0.000001" */
int parse_prob(const char *s, uint32_t *ppm);         /* "0", "0.05", "1" -> parts per million */
int parse_utc(const char *s, int64_t *ns);            /* 2003-07-03T15:00:00[.ffffff]Z */
void format_utc(int64_t ns, char *out, size_t n);

/* Decode the escapes \r \n \t \0 \s (space) \\ \xNN of s[0..n) into out.
 * Returns 0, or -1 with *err set to a static message. */
int unescape(const char *s, size_t n, buf_t *out, const char **err);
/* Append p[0..n) to out with bytes outside 0x20..0x7e written as \xNN and
 * the backslash as \\ (the ground-truth text encoding). */
void escape_text(const uint8_t *p, size_t n, buf_t *out);

#endif
