/* "Name: value" blocks of MSG payloads (see mime.h). */
#include "msnp/mime.h"

#include <string.h>

static uint8_t lower(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

int msnp_span_ieq(const uint8_t *base, msnp_span s, const char *lit)
{
    size_t n = strlen(lit);
    if (s.len != n)
        return 0;
    /* Headers and media types are mostly written as the literals are. */
    if (memcmp(base + s.off, lit, n) == 0)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (lower(base[s.off + i]) != lower((uint8_t)lit[i]))
            return 0;
    return 1;
}

static int is_blank(uint8_t c)
{
    return c == ' ' || c == '\t';
}

/* Trim blanks at both ends of [a, b). */
static msnp_span trimmed(const uint8_t *p, size_t a, size_t b)
{
    while (a < b && is_blank(p[a]))
        a++;
    while (b > a && is_blank(p[b - 1]))
        b--;
    msnp_span s = {(uint32_t)a, (uint32_t)(b - a)};
    return s;
}

size_t msnp_fields_parse(const uint8_t *p, size_t n, msnp_fields *out)
{
    /* f[] past count is never read: clearing its 48 entries for every
     * payload would cost more than the parse. */
    out->count = 0;
    out->overflow = 0;
    out->lf_only = 0;
    out->bad_lines = 0;
    out->ended_by_blank = 0;
    size_t pos = 0;
    if (n > UINT32_MAX)
        n = UINT32_MAX;
    while (pos < n) {
        const uint8_t *lf = memchr(p + pos, '\n', n - pos);
        size_t next = lf ? (size_t)(lf - p) + 1 : n;
        size_t end = lf ? (size_t)(lf - p) : n;
        if (lf && (end == pos || p[end - 1] != '\r'))
            out->lf_only = 1;
        if (end > pos && p[end - 1] == '\r')
            end--;
        if (end == pos) {
            out->ended_by_blank = 1;
            return next; /* the empty line ends the block */
        }
        const uint8_t *colon = memchr(p + pos, ':', end - pos);
        msnp_span name = colon ? trimmed(p, pos, (size_t)(colon - p)) : (msnp_span){0, 0};
        if (name.len == 0) {
            out->bad_lines++; /* no "Name:" at all */
        } else if (out->count < MSNP_MIME_MAX_FIELDS) {
            msnp_field *f = &out->f[out->count++];
            f->name = name;
            f->value = trimmed(p, (size_t)(colon - p) + 1, end);
        } else {
            out->overflow = 1;
        }
        pos = next;
    }
    return n;
}

const msnp_field *msnp_fields_find(const msnp_fields *f, const uint8_t *base, const char *name)
{
    size_t n = strlen(name);
    for (unsigned i = 0; i < f->count; i++) {
        msnp_span s = f->f[i].name;
        if (s.len == n && n && lower(base[s.off]) == lower((uint8_t)name[0]) &&
            msnp_span_ieq(base, s, name))
            return &f->f[i];
    }
    return NULL;
}

/* "type/subtype; charset=UTF-8" -> the media type and the charset value. */
static void split_content_type(const uint8_t *p, msnp_span v, msnp_mime *m)
{
    size_t end = v.off + v.len;
    const uint8_t *semi = memchr(p + v.off, ';', v.len);
    size_t type_end = semi ? (size_t)(semi - p) : end;
    m->content_type = trimmed(p, v.off, type_end);
    size_t pos = type_end;
    while (pos < end) {
        size_t a = pos + 1;
        const uint8_t *next = memchr(p + a, ';', end - a);
        size_t b = next ? (size_t)(next - p) : end;
        const uint8_t *eq = memchr(p + a, '=', b - a);
        if (eq) {
            msnp_span key = trimmed(p, a, (size_t)(eq - p));
            if (msnp_span_ieq(p, key, "charset")) {
                msnp_span val = trimmed(p, (size_t)(eq - p) + 1, b);
                if (val.len >= 2 && p[val.off] == '"' && p[val.off + val.len - 1] == '"') {
                    val.off++;
                    val.len -= 2;
                }
                m->charset = val;
            }
        }
        pos = b;
    }
}

int msnp_mime_parse(const uint8_t *p, size_t n, msnp_mime *m)
{
    m->content_type = m->charset = (msnp_span){0, 0};
    size_t body = msnp_fields_parse(p, n, &m->headers);
    if (body > UINT32_MAX)
        body = UINT32_MAX;
    m->has_separator = m->headers.ended_by_blank;
    m->body.off = (uint32_t)body;
    m->body.len = (uint32_t)(n > body ? n - body : 0);
    const msnp_field *ct = msnp_fields_find(&m->headers, p, "Content-Type");
    if (ct)
        split_content_type(p, ct->value, m);
    return m->headers.count ? 0 : -1;
}
