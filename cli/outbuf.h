/* Buffered output: records are assembled with these appenders and written in
 * large blocks. Write errors are remembered and reported once at the end. */
#ifndef MSNPDUMP_OUTBUF_H
#define MSNPDUMP_OUTBUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct outbuf {
    FILE *fp;
    char *buf;
    size_t len, cap;
    int failed; /* a write failed (e.g. EPIPE, disk full) */
    uint64_t flushes; /* times the buffer was emptied (what it held is gone) */
} outbuf;

int outbuf_init(outbuf *o, FILE *fp, size_t cap);
void outbuf_free(outbuf *o);
int outbuf_flush(outbuf *o);

/* The appenders run dozens of times per record: their common case (room in
 * the buffer) is inline, the rest in ob_write_slow. Forced inline, because
 * with link-time optimisation GCC otherwise calls one shared copy and the
 * copy of a literal becomes a call to memcpy. */
#define OB_INLINE static inline __attribute__((always_inline))

void ob_write_slow(outbuf *o, const void *p, size_t n);

OB_INLINE void ob_write(outbuf *o, const void *p, size_t n)
{
    if (o->cap - o->len >= n) {
        memcpy(o->buf + o->len, p, n);
        o->len += n;
    } else {
        ob_write_slow(o, p, n);
    }
}

OB_INLINE void ob_char(outbuf *o, char c)
{
    if (o->len < o->cap)
        o->buf[o->len++] = c;
    else
        ob_write_slow(o, &c, 1);
}

OB_INLINE void ob_str(outbuf *o, const char *s)
{
    ob_write(o, s, strlen(s));
}

/* A string literal, its length known at compile time. */
#define OB_LIT(o, lit) ob_write((o), (lit), sizeof(lit) - 1)

void ob_u64(outbuf *o, uint64_t v);
void ob_u64_pad(outbuf *o, uint64_t v, unsigned width); /* right-aligned */
void ob_pad(outbuf *o, size_t n);                        /* n spaces */
void ob_ts(outbuf *o, int64_t sec, uint32_t usec);       /* 1057244401.123456 */

#endif
