/* Spans: where a token or payload sits, as offset + length into the caller's
 * buffer. Both faces map them directly to output (a tvb range, a JSON string). */
#ifndef MSNP_SPAN_H
#define MSNP_SPAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct msnp_span {
    uint32_t off;
    uint32_t len;
} msnp_span;

static inline const uint8_t *msnp_span_ptr(const uint8_t *base, msnp_span s)
{
    return base + s.off;
}

static inline int msnp_span_eq(const uint8_t *base, msnp_span s, const char *lit)
{
    size_t n = strlen(lit);
    return s.len == n && memcmp(base + s.off, lit, n) == 0;
}

static inline int msnp_span_is_digits(const uint8_t *base, msnp_span s)
{
    if (s.len == 0)
        return 0;
    for (uint32_t i = 0; i < s.len; i++)
        if (base[s.off + i] < '0' || base[s.off + i] > '9')
            return 0;
    return 1;
}

/* Decimal value of an all-digit span, saturated at UINT64_MAX.
 * Returns 0 when the span is not all digits (check msnp_span_is_digits). */
static inline uint64_t msnp_span_u64(const uint8_t *base, msnp_span s)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < s.len; i++) {
        unsigned d = (unsigned)(base[s.off + i] - '0');
        if (d > 9)
            return 0;
        if (v > (UINT64_MAX - d) / 10)
            return UINT64_MAX;
        v = v * 10 + d;
    }
    return v;
}

#ifdef __cplusplus
}
#endif
#endif
