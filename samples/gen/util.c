#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
    fputs("msnpgen: out of memory\n", stderr);
    exit(GEN_EXIT_IO);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom();
    return q;
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

void grow_array(void **arr, size_t *cap, size_t need, size_t esz)
{
    if (need <= *cap)
        return;
    size_t nc = *cap ? *cap : 16;
    while (nc < need) {
        if (nc > SIZE_MAX / 2 / esz)
            oom();
        nc *= 2;
    }
    *arr = xrealloc(*arr, nc * esz);
    *cap = nc;
}

void buf_reserve(buf_t *b, size_t extra)
{
    if (b->len + extra <= b->cap)
        return;
    size_t nc = b->cap ? b->cap : 256;
    while (nc < b->len + extra) {
        if (nc > SIZE_MAX / 2)
            oom();
        nc *= 2;
    }
    b->data = xrealloc(b->data, nc);
    b->cap = nc;
}

void buf_append(buf_t *b, const void *p, size_t n)
{
    if (!n)
        return;
    buf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void buf_putc(buf_t *b, uint8_t c)
{
    buf_reserve(b, 1);
    b->data[b->len++] = c;
}

void buf_puts(buf_t *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

void buf_free(buf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return x;
}

uint64_t rng_next(rng_t *r)
{
    r->s += UINT64_C(0x9e3779b97f4a7c15);
    return mix64(r->s);
}

rng_t rng_derive(uint64_t seed, uint64_t tag, uint64_t a, uint64_t b)
{
    rng_t r;
    uint64_t x = mix64(seed ^ UINT64_C(0x6d736e7067656e31)); /* "msnpgen1" */
    x = mix64(x ^ (tag * UINT64_C(0x9e3779b97f4a7c15)));
    x = mix64(x ^ (a + UINT64_C(0x632be59bd9b4e019)));
    x = mix64(x ^ (b * UINT64_C(0xd6e8feb86659fd93) + 1));
    r.s = x;
    return r;
}

uint32_t rng_below(rng_t *r, uint32_t n)
{
    /* 64x32 multiply-shift; bias is < 2^-32, irrelevant here and exact
     * across machines. */
    uint64_t x = rng_next(r) >> 32;
    return (uint32_t)((x * n) >> 32);
}

int rng_chance(rng_t *r, uint32_t ppm)
{
    if (ppm == 0)
        return 0;
    return rng_below(r, 1000000u) < ppm;
}

uint64_t fnv1a64(const void *p, size_t n)
{
    const uint8_t *s = p;
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

int parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!s || !*s)
        return -1;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        if (!*s)
            return -1;
        for (; *s; s++) {
            int d;
            if (*s >= '0' && *s <= '9')
                d = *s - '0';
            else if (*s >= 'a' && *s <= 'f')
                d = *s - 'a' + 10;
            else if (*s >= 'A' && *s <= 'F')
                d = *s - 'A' + 10;
            else
                return -1;
            if (v >> 60)
                return -1;
            v = (v << 4) | (uint64_t)d;
        }
    } else {
        for (; *s; s++) {
            if (*s < '0' || *s > '9')
                return -1;
            uint64_t d = (uint64_t)(*s - '0');
            if (v > (UINT64_MAX - d) / 10)
                return -1;
            v = v * 10 + d;
        }
    }
    *out = v;
    return 0;
}

/* Parse "I[.F]" into value * 10^scale (F has at most `scale` digits). */
static int parse_fixed(const char *s, int scale, uint64_t maxint, uint64_t *out)
{
    uint64_t ip = 0, fp = 0;
    int fd = 0;
    const char *p = s;
    if (!*p)
        return -1;
    if (*p != '.') {
        if (*p < '0' || *p > '9')
            return -1;
        while (*p >= '0' && *p <= '9') {
            ip = ip * 10 + (uint64_t)(*p - '0');
            if (ip > maxint)
                return -1;
            p++;
        }
    }
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return -1;
        while (*p >= '0' && *p <= '9') {
            if (fd >= scale)
                return -1;
            fp = fp * 10 + (uint64_t)(*p - '0');
            fd++;
            p++;
        }
    }
    if (*p)
        return -1;
    for (; fd < scale; fd++)
        fp *= 10;
    uint64_t mul = 1;
    for (int i = 0; i < scale; i++)
        mul *= 10;
    *out = ip * mul + fp;
    return 0;
}

int parse_seconds(const char *s, int64_t *ns)
{
    uint64_t v;
    if (parse_fixed(s, 9, UINT64_C(100000000), &v) < 0) /* < ~3 years */
        return -1;
    *ns = (int64_t)v;
    return 0;
}

int parse_prob(const char *s, uint32_t *ppm)
{
    uint64_t v;
    if (parse_fixed(s, 6, 1, &v) < 0 || v > 1000000)
        return -1;
    *ppm = (uint32_t)v;
    return 0;
}

/* Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int take_digits(const char **p, int n, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (unsigned)(c - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

int parse_utc(const char *s, int64_t *ns)
{
    unsigned y, mo, d, h, mi, se;
    const char *p = s;
    if (take_digits(&p, 4, &y) || *p++ != '-' || take_digits(&p, 2, &mo) || *p++ != '-' ||
        take_digits(&p, 2, &d))
        return -1;
    if (*p != 'T' && *p != ' ')
        return -1;
    p++;
    if (take_digits(&p, 2, &h) || *p++ != ':' || take_digits(&p, 2, &mi) || *p++ != ':' ||
        take_digits(&p, 2, &se))
        return -1;
    int64_t frac = 0;
    if (*p == '.') {
        int n = 0;
        p++;
        while (*p >= '0' && *p <= '9') {
            if (n >= 9)
                return -1;
            frac = frac * 10 + (*p - '0');
            n++;
            p++;
        }
        if (n == 0)
            return -1;
        for (; n < 9; n++)
            frac *= 10;
    }
    if (*p == 'Z')
        p++;
    if (*p)
        return -1;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return -1;
    int64_t days = days_from_civil(y, mo, d);
    *ns = ((days * 86400) + h * 3600 + mi * 60 + se) * NS_PER_SEC + frac;
    return 0;
}

void format_utc(int64_t ns, char *out, size_t n)
{
    int64_t secs = ns / NS_PER_SEC;
    int64_t frac = ns % NS_PER_SEC;
    int64_t z = secs / 86400 + 719468;
    int64_t sod = secs % 86400;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = (int64_t)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    snprintf(out, n, "%04lld-%02u-%02uT%02d:%02d:%02d.%06lldZ", (long long)y, m, d,
             (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60),
             (long long)(frac / 1000));
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int unescape(const char *s, size_t n, buf_t *out, const char **err)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c != '\\') {
            buf_putc(out, (uint8_t)c);
            continue;
        }
        if (++i >= n) {
            *err = "backslash at end of text (write \\\\ for a backslash)";
            return -1;
        }
        switch (s[i]) {
        case 'r': buf_putc(out, '\r'); break;
        case 'n': buf_putc(out, '\n'); break;
        case 't': buf_putc(out, '\t'); break;
        case '0': buf_putc(out, '\0'); break;
        case 's': buf_putc(out, ' '); break;
        case '\\': buf_putc(out, '\\'); break;
        case 'x': {
            int hi = i + 1 < n ? hexval(s[i + 1]) : -1;
            int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                *err = "\\x must be followed by two hex digits";
                return -1;
            }
            buf_putc(out, (uint8_t)(hi * 16 + lo));
            i += 2;
            break;
        }
        default:
            *err = "unknown escape (use \\r \\n \\t \\0 \\s \\\\ or \\xNN)";
            return -1;
        }
    }
    return 0;
}

void escape_text(const uint8_t *p, size_t n, buf_t *out)
{
    static const char hex[] = "0123456789ABCDEF";
    buf_reserve(out, n);
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (c == '\\') {
            buf_append(out, "\\\\", 2);
        } else if (c >= 0x20 && c <= 0x7e) {
            buf_putc(out, c);
        } else {
            char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
            buf_append(out, e, 4);
        }
    }
}
