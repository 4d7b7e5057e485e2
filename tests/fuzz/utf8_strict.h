/* Strict UTF-8 decoding (RFC 3629): no overlong forms, no surrogates, nothing
 * above U+10FFFF. Used by the output checkers, independently of the decoder's
 * own msnp_utf8_seq_len(), so that a bug there cannot hide itself. */
#ifndef MSNP_FUZZ_UTF8_STRICT_H
#define MSNP_FUZZ_UTF8_STRICT_H

#include <stddef.h>
#include <stdint.h>

/* Length of the valid sequence at s (1 to 4) and its code point in *cp, or 0
 * when s[0..n) does not start with one. */
static inline size_t utf8_strict_decode(const uint8_t *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    uint8_t c = s[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xe0) == 0xc0) {
        len = 2, v = c & 0x1fu, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        len = 3, v = c & 0x0fu, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        len = 4, v = c & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3fu);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return len;
}

#endif
