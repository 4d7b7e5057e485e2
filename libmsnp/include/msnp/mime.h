/* MIME-style "Name: value" blocks: the header of every MSG payload
 * (protocol reference §6.1) and the field lists that invitation, mail and
 * system messages carry in their bodies. Spans only, no copies; lines end in
 * CRLF or a bare LF; names compare case-insensitively. */
#ifndef MSNP_MIME_H
#define MSNP_MIME_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/span.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MSNP_MIME_MAX_FIELDS 48

typedef struct msnp_field {
    msnp_span name;  /* without the colon */
    msnp_span value; /* without leading blanks and the line end */
} msnp_field;

typedef struct msnp_fields {
    uint16_t count;         /* fields kept in f[] */
    uint8_t overflow;       /* more than MSNP_MIME_MAX_FIELDS lines were fields */
    uint8_t lf_only;        /* at least one line ended in a bare LF */
    uint16_t bad_lines;     /* lines without "Name:" (ignored) */
    uint8_t ended_by_blank; /* the block ended at an empty line */
    msnp_field f[MSNP_MIME_MAX_FIELDS]; /* entries past count are undefined */
} msnp_fields;

typedef struct msnp_mime {
    msnp_fields headers;
    msnp_span body;         /* after the first empty line (empty when none) */
    uint8_t has_separator;  /* the empty line was there */
    msnp_span content_type; /* media type only, e.g. "text/plain" (trimmed) */
    msnp_span charset;      /* value of the charset parameter, if any */
} msnp_mime;

/* Parse "Name: value" lines of p[0..n) until the end or an empty line;
 * returns the offset just after the empty line (or n). */
size_t msnp_fields_parse(const uint8_t *p, size_t n, msnp_fields *out);

/* Parse an MSG payload: header block, empty line, body. Spans are relative
 * to p. Returns 0, or -1 when p does not start with a header line. */
int msnp_mime_parse(const uint8_t *p, size_t n, msnp_mime *m);

/* The first field named `name` (case-insensitive), or NULL. */
const msnp_field *msnp_fields_find(const msnp_fields *f, const uint8_t *base, const char *name);

/* Case-insensitive comparison of a span with a literal. */
int msnp_span_ieq(const uint8_t *base, msnp_span s, const char *lit);

#ifdef __cplusplus
}
#endif
#endif
