/* Small text helpers shared by both faces. */
#include "msnp/text.h"

#include <string.h>

#include "internal.h"

int msnp_printable_ascii(const uint8_t *s, size_t len)
{
    /* A byte at or above 0x7f sets its top bit in w or in w + 1 (a carry out
     * of 0xff only follows such a byte). */
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (msnp_bytes_below(w, 0x20) | ((w | (w + MSNP_BYTES_ONES)) & MSNP_BYTES_HIGHS))
            return 0;
    }
    for (; i < len; i++)
        if (s[i] < 0x20 || s[i] > 0x7e)
            return 0;
    return 1;
}

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t msnp_url_decode(const uint8_t *src, size_t len, char *dst, size_t size)
{
    size_t o = 0;
    if (size == 0)
        return 0;
    for (size_t i = 0; i < len && o + 1 < size; i++) {
        int hi, lo;
        if (src[i] == '%' && i + 2 < len && (hi = hexval(src[i + 1])) >= 0 &&
            (lo = hexval(src[i + 2])) >= 0) {
            dst[o++] = (char)(hi << 4 | lo);
            i += 2;
        } else {
            dst[o++] = (char)src[i];
        }
    }
    dst[o] = '\0';
    return o;
}

size_t msnp_utf8_seq_len(const uint8_t *s, size_t len)
{
    if (len == 0)
        return 0;
    uint8_t c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    uint32_t min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    uint32_t cp = c & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

uint32_t msnp_utf8_decode(const uint8_t *s, size_t k)
{
    uint32_t cp = k == 1 ? s[0] : (uint32_t)(s[0] & (0x7F >> k));
    for (size_t j = 1; j < k; j++)
        cp = cp << 6 | (s[j] & 0x3F);
    return cp;
}

int msnp_cp_terminal_unsafe(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

/* "00" "01" ... "99": two digits per division. */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

char *msnp_u64_digits(uint64_t v, char *end)
{
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        end -= 2;
        memcpy(end, digit_pairs + 2 * r, 2);
    }
    if (v >= 10) {
        end -= 2;
        memcpy(end, digit_pairs + 2 * v, 2);
    } else {
        *--end = (char)('0' + v);
    }
    return end;
}
