/* Fuzz target: the MIME header and field-list parser (libmsnp/mime.h) on
 * arbitrary MSG payloads.
 *
 * Input: the payload.
 *
 * Properties:
 *   - every span lies inside the payload; a field's name is non-empty, has no
 *     colon and no line end, and neither name nor value starts or ends with a
 *     blank; fields are in payload order;
 *   - the header block ends where msnp_fields_parse() says: right after an
 *     empty line when there is one (ended_by_blank; an unterminated last line
 *     holding only a CR counts as one), else at the end; the body
 *     is exactly the rest; msnp_mime_parse() reports the same fields;
 *   - field count, overflow and the answer of msnp_mime_parse agree;
 *   - msnp_fields_find() returns the first field whose name matches without
 *     regard to case, for the name of every field and for Content-Type; the
 *     media type and charset lie inside the Content-Type value;
 *   - line ends do not matter: the payload with every CRLF made a bare LF
 *     gives the same fields, bad lines and block end (checked when the
 *     payload has no CR CR LF, whose meaning the rewrite would change). */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "msnp/mime.h"

static int blank(uint8_t c)
{
    return c == ' ' || c == '\t';
}

static void check_span_in(msnp_span s, size_t a, size_t b, const char *what)
{
    FUZZ_CHECK(s.off >= a && (uint64_t)s.off + s.len <= b, "%s %u+%u outside [%zu, %zu)", what,
               s.off, s.len, a, b);
}

static void check_fields(const uint8_t *p, size_t n, const msnp_fields *fl, size_t end)
{
    FUZZ_CHECK(end <= n, "block ends at %zu of %zu", end, n);
    FUZZ_CHECK(fl->count <= MSNP_MIME_MAX_FIELDS, "%u fields", fl->count);
    FUZZ_CHECK(!fl->overflow || fl->count == MSNP_MIME_MAX_FIELDS, "overflow with %u fields",
               fl->count);
    if (fl->ended_by_blank) {
        /* ...LF [CR] LF, or a last, unterminated line that is a lone CR */
        int lf_end = end >= 1 && p[end - 1] == '\n' &&
                     (end == 1 || p[end - 2] == '\n' ||
                      (p[end - 2] == '\r' && (end == 2 || p[end - 3] == '\n')));
        int cr_end = end == n && end >= 1 && p[end - 1] == '\r' && (end == 1 || p[end - 2] == '\n');
        FUZZ_CHECK(lf_end || cr_end, "ended by an empty line, but the block ends at %zu", end);
    }
    else
        FUZZ_CHECK(end == n, "no empty line, yet the block ends at %zu of %zu", end, n);
    uint32_t prev = 0;
    for (unsigned i = 0; i < fl->count; i++) {
        const msnp_field *f = &fl->f[i];
        check_span_in(f->name, 0, end, "name");
        check_span_in(f->value, 0, end, "value");
        FUZZ_CHECK(f->name.len > 0, "field %u has an empty name", i);
        FUZZ_CHECK(f->name.off >= prev, "field %u before field %u", i, i - 1);
        prev = f->value.off;
        const uint8_t *nm = p + f->name.off, *v = p + f->value.off;
        FUZZ_CHECK(!memchr(nm, ':', f->name.len) && !memchr(nm, '\n', f->name.len),
                   "field %u's name has a colon or line end", i);
        FUZZ_CHECK(!memchr(v, '\n', f->value.len), "field %u's value has a line end", i);
        FUZZ_CHECK(!blank(nm[0]) && !blank(nm[f->name.len - 1]), "name %u not trimmed", i);
        FUZZ_CHECK(f->value.len == 0 || (!blank(v[0]) && !blank(v[f->value.len - 1])),
                   "value %u not trimmed", i);
        FUZZ_CHECK(f->value.off > f->name.off + f->name.len && p[f->name.off + f->name.len] != '\n',
                   "field %u: value before its name", i);
    }
}

static int ieq(const uint8_t *a, size_t n, const uint8_t *b, size_t m)
{
    if (n != m)
        return 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t x = a[i] >= 'A' && a[i] <= 'Z' ? (uint8_t)(a[i] + 32) : a[i];
        uint8_t y = b[i] >= 'A' && b[i] <= 'Z' ? (uint8_t)(b[i] + 32) : b[i];
        if (x != y)
            return 0;
    }
    return 1;
}

static void check_find(const uint8_t *p, const msnp_fields *fl, const uint8_t *name, size_t nl)
{
    char lit[128];
    if (nl >= sizeof lit || memchr(name, 0, nl))
        return;
    memcpy(lit, name, nl);
    lit[nl] = '\0';
    const msnp_field *want = NULL;
    for (unsigned i = 0; i < fl->count && !want; i++)
        if (ieq(p + fl->f[i].name.off, fl->f[i].name.len, name, nl))
            want = &fl->f[i];
    FUZZ_CHECK(msnp_fields_find(fl, p, lit) == want, "msnp_fields_find(\"%s\") is not the first "
               "field of that name", lit);
}

/* The payload with every CR LF turned into LF, or NULL when it has CR CR LF. */
static uint8_t *lf_only(const uint8_t *p, size_t n, size_t *out_n)
{
    uint8_t *q = malloc(n ? n : 1);
    if (!q)
        abort();
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n') {
            if (k > 0 && q[k - 1] == '\r') {
                free(q);
                return NULL;
            }
            continue;
        }
        q[k++] = p[i];
    }
    *out_n = k;
    return q;
}

static int same_text(const uint8_t *a, msnp_span x, const uint8_t *b, msnp_span y)
{
    return x.len == y.len && memcmp(a + x.off, b + y.off, x.len) == 0;
}

static void check_line_ends_do_not_matter(const uint8_t *p, size_t n, const msnp_fields *fl)
{
    size_t m;
    uint8_t *q = lf_only(p, n, &m);
    if (!q)
        return;
    msnp_fields lf;
    msnp_fields_parse(q, m, &lf);
    FUZZ_CHECK(lf.count == fl->count && lf.bad_lines == fl->bad_lines &&
                   lf.overflow == fl->overflow && lf.ended_by_blank == fl->ended_by_blank,
               "with bare LFs: %u fields %u bad lines; with CRLF: %u fields %u bad lines",
               lf.count, lf.bad_lines, fl->count, fl->bad_lines);
    for (unsigned i = 0; i < lf.count && i < fl->count; i++)
        FUZZ_CHECK(same_text(q, lf.f[i].name, p, fl->f[i].name) &&
                       same_text(q, lf.f[i].value, p, fl->f[i].value),
                   "field %u differs when its line ends in a bare LF", i);
    free(q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    msnp_fields fl;
    size_t end = msnp_fields_parse(data, size, &fl);
    check_fields(data, size, &fl, end);

    msnp_mime m;
    int r = msnp_mime_parse(data, size, &m);
    FUZZ_CHECK(r == (fl.count ? 0 : -1), "msnp_mime_parse %d with %u fields", r, fl.count);
    /* f[] past count is left as it was: compare what the parse set. */
    FUZZ_CHECK(m.headers.count == fl.count && m.headers.overflow == fl.overflow &&
                   m.headers.lf_only == fl.lf_only && m.headers.bad_lines == fl.bad_lines &&
                   m.headers.ended_by_blank == fl.ended_by_blank &&
                   memcmp(m.headers.f, fl.f, fl.count * sizeof fl.f[0]) == 0,
               "headers differ from msnp_fields_parse");
    FUZZ_CHECK(m.body.off == end && (uint64_t)m.body.off + m.body.len == size,
               "body %u+%u; the block ends at %zu of %zu", m.body.off, m.body.len, end, size);
    FUZZ_CHECK(m.has_separator == fl.ended_by_blank, "separator %u, ended by blank %u",
               m.has_separator, fl.ended_by_blank);

    const msnp_field *ct = msnp_fields_find(&fl, data, "Content-Type");
    if (ct) {
        size_t a = ct->value.off, b = (size_t)ct->value.off + ct->value.len;
        check_span_in(m.content_type, a, b, "content type");
        if (m.charset.len)
            check_span_in(m.charset, a, b, "charset");
    } else {
        FUZZ_CHECK(m.content_type.len == 0 && m.charset.len == 0,
                   "a content type without a Content-Type field");
    }
    check_find(data, &fl, (const uint8_t *)"content-type", 12);
    for (unsigned i = 0; i < fl.count; i++)
        check_find(data, &fl, data + fl.f[i].name.off, fl.f[i].name.len);
    check_line_ends_do_not_matter(data, size, &fl);
    return 0;
}
