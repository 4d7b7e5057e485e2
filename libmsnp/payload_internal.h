/* Helpers shared by the payload decoders (payload.c and the typed decoders),
 * not part of the API: bounded number parsing and binding "Name: value"
 * fields to the span members of a result struct through a table. */
#ifndef MSNP_PAYLOAD_INTERNAL_H
#define MSNP_PAYLOAD_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/mime.h"
#include "msnp/span.h"

typedef enum msnp_num_status {
    MSNP_NUM_OK = 0,
    MSNP_NUM_ABSENT,   /* empty value */
    MSNP_NUM_INVALID,  /* not a number of the expected form */
    MSNP_NUM_TOO_LARGE /* a number, but above the field's maximum */
} msnp_num_status;

/* Decimal digits only, value <= max. Never overflows, whatever the length. */
msnp_num_status msnp_parse_udec(const uint8_t *base, msnp_span s, uint64_t max, uint64_t *out);

/* Optional '-' then decimal digits, min <= value <= max. */
msnp_num_status msnp_parse_sdec(const uint8_t *base, msnp_span s, int64_t min, int64_t max,
                                int64_t *out);

/* Hex digits only (either case), value <= max. */
msnp_num_status msnp_parse_hex(const uint8_t *base, msnp_span s, uint64_t max, uint64_t *out);

/* One row of a field table: a field name (compared case-insensitively, as MIME
 * names are) and where its value span goes in the result struct. */
typedef struct msnp_field_slot {
    const char *name;
    size_t offset; /* offsetof(result, member), a msnp_span member */
} msnp_field_slot;

typedef struct msnp_bind_stats {
    uint16_t known;      /* fields that matched a slot */
    uint16_t unknown;    /* fields the table does not name */
    uint16_t duplicates; /* repeats of a field already bound (the first one wins) */
} msnp_bind_stats;

/* Store the value span of every field of `fields` named in slots[] into
 * result + slot.offset (the first occurrence wins; spans of absent fields are
 * left as they are). `present` gets bit i for slot i (slots beyond 64 are not
 * tracked). */
msnp_bind_stats msnp_bind_fields(const msnp_fields *fields, const uint8_t *base,
                                 const msnp_field_slot *slots, size_t nslots, void *result,
                                 uint64_t *present);

/* The "Name: value" lines of a MIME body (msnp_mime.body of payload p), with
 * spans relative to p like every other span. */
void msnp_parse_body_fields(const uint8_t *p, size_t n, const msnp_mime *m, msnp_fields *out);

/* Nonzero when s[0..len) is valid UTF-8. */
int msnp_valid_utf8(const uint8_t *s, size_t len);

static inline int msnp_span_present(msnp_span s)
{
    return s.len > 0;
}

#endif
