/* Bounded number parsing and field binding for the payload decoders. */
#include <string.h>

#include "payload_internal.h"

#include "msnp/text.h"

msnp_num_status msnp_parse_udec(const uint8_t *base, msnp_span s, uint64_t max, uint64_t *out)
{
    *out = 0;
    if (s.len == 0)
        return MSNP_NUM_ABSENT;
    uint64_t v = 0;
    int too_large = 0;
    for (uint32_t i = 0; i < s.len; i++) {
        unsigned d = (unsigned)base[s.off + i] - '0';
        if (d > 9)
            return MSNP_NUM_INVALID;
        if (too_large || d > max || v > (max - d) / 10)
            too_large = 1; /* keep scanning: a later non-digit makes it INVALID */
        else
            v = v * 10 + d;
    }
    if (too_large)
        return MSNP_NUM_TOO_LARGE;
    *out = v;
    return MSNP_NUM_OK;
}

msnp_num_status msnp_parse_sdec(const uint8_t *base, msnp_span s, int64_t min, int64_t max,
                                int64_t *out)
{
    *out = 0;
    if (s.len == 0)
        return MSNP_NUM_ABSENT;
    int negative = base[s.off] == '-';
    msnp_span digits = {s.off + (uint32_t)negative, s.len - (uint32_t)negative};
    if (digits.len == 0)
        return MSNP_NUM_INVALID;
    /* The magnitude limit of the sign at hand, computed without overflow. */
    uint64_t limit = negative ? (min < 0 ? (uint64_t)(-(min + 1)) + 1 : 0)
                              : (max > 0 ? (uint64_t)max : 0);
    uint64_t mag;
    msnp_num_status st = msnp_parse_udec(base, digits, limit, &mag);
    if (st != MSNP_NUM_OK)
        return st;
    if (negative)
        *out = mag == 0 ? 0 : -(int64_t)(mag - 1) - 1;
    else
        *out = (int64_t)mag;
    if (*out < min || *out > max) {
        *out = 0;
        return MSNP_NUM_TOO_LARGE;
    }
    return MSNP_NUM_OK;
}

static int hex_digit(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

msnp_num_status msnp_parse_hex(const uint8_t *base, msnp_span s, uint64_t max, uint64_t *out)
{
    *out = 0;
    if (s.len == 0)
        return MSNP_NUM_ABSENT;
    uint64_t v = 0;
    int too_large = 0;
    for (uint32_t i = 0; i < s.len; i++) {
        int d = hex_digit(base[s.off + i]);
        if (d < 0)
            return MSNP_NUM_INVALID;
        if (too_large || (uint64_t)d > max || v > (max - (uint64_t)d) / 16)
            too_large = 1;
        else
            v = v * 16 + (uint64_t)d;
    }
    if (too_large)
        return MSNP_NUM_TOO_LARGE;
    *out = v;
    return MSNP_NUM_OK;
}

msnp_bind_stats msnp_bind_fields(const msnp_fields *fields, const uint8_t *base,
                                 const msnp_field_slot *slots, size_t nslots, void *result,
                                 uint64_t *present)
{
    msnp_bind_stats st = {0, 0, 0};
    uint64_t seen = 0;
    for (unsigned i = 0; i < fields->count; i++) {
        const msnp_field *f = &fields->f[i];
        size_t k = 0;
        while (k < nslots && !msnp_span_ieq(base, f->name, slots[k].name))
            k++;
        if (k == nslots) {
            st.unknown++;
            continue;
        }
        uint64_t bit = k < 64 ? (uint64_t)1 << k : 0;
        if (seen & bit) {
            st.duplicates++;
            continue;
        }
        seen |= bit;
        st.known++;
        memcpy((uint8_t *)result + slots[k].offset, &f->value, sizeof f->value);
    }
    if (present)
        *present = seen;
    return st;
}

void msnp_parse_body_fields(const uint8_t *p, size_t n, const msnp_mime *m, msnp_fields *out)
{
    size_t start = m->body.off < n ? m->body.off : n;
    size_t end = start + m->body.len;
    if (end > n)
        end = n;
    msnp_fields_parse(p + start, end - start, out);
    for (unsigned i = 0; i < out->count; i++) {
        out->f[i].name.off += (uint32_t)start;
        out->f[i].value.off += (uint32_t)start;
    }
}

int msnp_valid_utf8(const uint8_t *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t k = msnp_utf8_seq_len(s + i, len - i);
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}
