/* Buffered output: records are assembled with these appenders and written in
 * large blocks. Write errors are remembered and reported once at the end. */
#ifndef MSNPDUMP_OUTBUF_H
#define MSNPDUMP_OUTBUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct outbuf {
    FILE *fp;
    char *buf;
    size_t len, cap;
    int failed; /* a write failed (e.g. EPIPE, disk full) */
} outbuf;

int outbuf_init(outbuf *o, FILE *fp, size_t cap);
void outbuf_free(outbuf *o);
int outbuf_flush(outbuf *o);

void ob_write(outbuf *o, const void *p, size_t n);
void ob_str(outbuf *o, const char *s);
void ob_char(outbuf *o, char c);
void ob_u64(outbuf *o, uint64_t v);
void ob_u64_pad(outbuf *o, uint64_t v, unsigned width); /* right-aligned */
void ob_pad(outbuf *o, size_t n);                        /* n spaces */
void ob_ts(outbuf *o, int64_t sec, uint32_t usec);       /* 1057244401.123456 */

#endif
