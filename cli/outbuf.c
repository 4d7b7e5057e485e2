/* Buffered output (see outbuf.h). */
#include "outbuf.h"

#include <stdlib.h>
#include <string.h>

int outbuf_init(outbuf *o, FILE *fp, size_t cap)
{
    o->fp = fp;
    o->len = 0;
    o->cap = cap;
    o->failed = 0;
    o->buf = malloc(cap);
    return o->buf ? 0 : -1;
}

void outbuf_free(outbuf *o)
{
    outbuf_flush(o);
    free(o->buf);
    o->buf = NULL;
}

int outbuf_flush(outbuf *o)
{
    if (o->len && !o->failed) {
        if (fwrite(o->buf, 1, o->len, o->fp) != o->len)
            o->failed = 1;
    }
    o->len = 0;
    o->flushes++;
    if (!o->failed && fflush(o->fp) != 0)
        o->failed = 1;
    return o->failed ? -1 : 0;
}

void ob_write_slow(outbuf *o, const void *p, size_t n)
{
    if (o->len && !o->failed && fwrite(o->buf, 1, o->len, o->fp) != o->len)
        o->failed = 1;
    o->len = 0;
    o->flushes++;
    if (n > o->cap) {
        if (!o->failed && fwrite(p, 1, n, o->fp) != n)
            o->failed = 1;
        return;
    }
    memcpy(o->buf, p, n);
    o->len = n;
}

void ob_u64(outbuf *o, uint64_t v)
{
    ob_u64_pad(o, v, 0);
}

void ob_u64_pad(outbuf *o, uint64_t v, unsigned width)
{
    char tmp[24];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    size_t n = sizeof tmp - i;
    if (n < width)
        ob_pad(o, width - n);
    ob_write(o, tmp + i, n);
}

void ob_pad(outbuf *o, size_t n)
{
    static const char spaces[] = "                                ";
    while (n) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        ob_write(o, spaces, k);
        n -= k;
    }
}

void ob_ts(outbuf *o, int64_t sec, uint32_t usec)
{
    if (sec < 0) {
        ob_char(o, '-');
        sec = -sec;
    }
    ob_u64(o, (uint64_t)sec);
    char frac[8];
    frac[0] = '.';
    for (int i = 6; i >= 1; i--) {
        frac[i] = (char)('0' + usec % 10);
        usec /= 10;
    }
    ob_write(o, frac, 7);
}
