/* Buffered output (see outbuf.h). */
#include "outbuf.h"

#include <stdlib.h>
#include <string.h>

#include "msnp/text.h"

int outbuf_init(outbuf *o, FILE *fp, size_t cap)
{
    memset(o, 0, sizeof *o);
    o->fp = fp;
    o->cap = cap;
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
    char tmp[24];
    char *first = msnp_u64_digits(v, tmp + sizeof tmp);
    ob_write(o, first, (size_t)(tmp + sizeof tmp - first));
}

void ob_u64_pad(outbuf *o, uint64_t v, unsigned width)
{
    char tmp[24];
    char *first = msnp_u64_digits(v, tmp + sizeof tmp);
    size_t i = (size_t)(first - tmp);
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
    uint64_t whole = (uint64_t)sec;
    if (sec < 0) {
        ob_char(o, '-');
        whole = 0 - whole; /* also right for INT64_MIN */
    }
    char tmp[32];
    /* "1uuuuuu" with its leading 1 turned into the point: six digits. */
    char *point = msnp_u64_digits(1000000 + usec % 1000000, tmp + sizeof tmp);
    *point = '.';
    char *first = msnp_u64_digits(whole, point);
    ob_write(o, first, (size_t)(tmp + sizeof tmp - first));
}
