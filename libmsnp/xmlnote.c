/* The NOT / IPG / PAG documents (protocol reference §3.6). What to extract is
 * a table of (element, attribute or content, value); the scanner below walks
 * the bytes once and fills whatever the table names. */
#include "msnp/xmlnote.h"

#include <stddef.h>
#include <string.h>

#include "msnp/mime.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct capture {
    const char *element;
    const char *attribute; /* NULL: the element's content */
    uint8_t value;         /* msnp_xml_value */
} captures[] = {
    {"NOTIFICATION", "ver", MSNP_XV_VER},
    {"NOTIFICATION", "id", MSNP_XV_ID},
    {"NOTIFICATION", "siteid", MSNP_XV_SITE_ID},
    {"NOTIFICATION", "siteurl", MSNP_XV_SITE_URL},
    {"TO", "pid", MSNP_XV_TO_PID},
    {"TO", "name", MSNP_XV_TO_NAME},
    {"FROM", "pid", MSNP_XV_FROM_PID},
    {"FROM", "name", MSNP_XV_FROM_NAME},
    {"MSG", "id", MSNP_XV_MSG_ID},
    {"ACTION", "url", MSNP_XV_ACTION_URL},
    {"SUBSCR", "url", MSNP_XV_SUBSCR_URL},
    {"CAT", "id", MSNP_XV_CAT_ID},
    {"BODY", "lang", MSNP_XV_BODY_LANG},
    {"BODY", "icon", MSNP_XV_BODY_ICON},
    {"TEXT", NULL, MSNP_XV_TEXT},
    {"TEXTX", NULL, MSNP_XV_TEXTX},
    {"PHONE", "pri", MSNP_XV_PHONE_PRI},
    {"LOC", NULL, MSNP_XV_LOC},
    {"NUM", NULL, MSNP_XV_NUM},
    {"TEXT", "enc", MSNP_XV_TEXT_ENC},
};

/* Where each msnp_xml_value is stored, in enum order. */
static const size_t value_offsets[] = {
    offsetof(msnp_xml_note, ver),        offsetof(msnp_xml_note, id),
    offsetof(msnp_xml_note, site_id),    offsetof(msnp_xml_note, site_url),
    offsetof(msnp_xml_note, to_pid),     offsetof(msnp_xml_note, to_name),
    offsetof(msnp_xml_note, from_pid),   offsetof(msnp_xml_note, from_name),
    offsetof(msnp_xml_note, msg_id),     offsetof(msnp_xml_note, action_url),
    offsetof(msnp_xml_note, subscr_url), offsetof(msnp_xml_note, cat_id),
    offsetof(msnp_xml_note, body_lang),  offsetof(msnp_xml_note, body_icon),
    offsetof(msnp_xml_note, text),       offsetof(msnp_xml_note, textx),
    offsetof(msnp_xml_note, phone_pri),  offsetof(msnp_xml_note, loc),
    offsetof(msnp_xml_note, num),        offsetof(msnp_xml_note, text_enc),
};
_Static_assert(N(value_offsets) == MSNP_XV_COUNT, "one offset per msnp_xml_value");

static const struct {
    const char *element;
    uint8_t root;
} roots[] = {
    {"NOTIFICATION", MSNP_XML_ROOT_NOTIFICATION},
    {"PHONE", MSNP_XML_ROOT_PAGE},
    {"TEXT", MSNP_XML_ROOT_PAGE},
};

static const msnp_code_name issues[] = {
    {MSNP_XML_ISSUE_MALFORMED, "malformed XML (the scanner stepped over it)"},
    {MSNP_XML_ISSUE_TRUNCATED, "the XML document ends inside a tag or an open element"},
    {MSNP_XML_ISSUE_MISMATCHED, "an XML end tag that closes no open element"},
    {MSNP_XML_ISSUE_TOO_DEEP, "XML nested deeper than the scanner follows"},
    {MSNP_XML_ISSUE_TOO_MANY, "more XML elements than the scanner reads: the rest is skipped"},
    {MSNP_XML_ISSUE_UNEXPECTED_ROOT, "not the XML document this command carries"},
    {MSNP_XML_ISSUE_TEXTX, "TEXTX element: later protocol versions (MSNP9+)"},
    {MSNP_XML_ISSUE_DUPLICATE, "a notification value appears twice (the first one is used)"},
};
const msnp_code_table msnp_xml_issue_table = {"xml_issue", issues, N(issues)};

typedef struct open_element {
    msnp_span name;
    uint32_t content_start;
} open_element;

typedef struct scanner {
    const uint8_t *p;
    uint32_t n, pos;
    msnp_xml_note *out;
    open_element stack[MSNP_XML_MAX_DEPTH];
    unsigned depth;
    unsigned hidden_depth; /* open elements beyond the stack */
} scanner;

static int is_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_name_char(uint8_t c)
{
    return !is_space(c) && c != '/' && c != '>' && c != '<' && c != '=' && c != '"' &&
           c != '\'';
}

static void store(scanner *s, unsigned value, msnp_span v)
{
    uint64_t bit = 1ull << value;
    if (s->out->present & bit) {
        s->out->issues |= MSNP_XML_ISSUE_DUPLICATE;
        return;
    }
    s->out->present |= bit;
    memcpy((uint8_t *)s->out + value_offsets[value], &v, sizeof v);
}

static void capture_attribute(scanner *s, msnp_span element, msnp_span attr, msnp_span v)
{
    for (size_t i = 0; i < N(captures); i++)
        if (captures[i].attribute && msnp_span_ieq(s->p, element, captures[i].element) &&
            msnp_span_ieq(s->p, attr, captures[i].attribute))
            store(s, captures[i].value, v);
}

static void capture_content(scanner *s, msnp_span element, msnp_span content)
{
    for (size_t i = 0; i < N(captures); i++)
        if (!captures[i].attribute && msnp_span_ieq(s->p, element, captures[i].element))
            store(s, captures[i].value, content);
}

/* Position just after `term` at or after pos, or n (flagging truncation). */
static uint32_t skip_past(scanner *s, uint32_t pos, const char *term)
{
    size_t tl = strlen(term);
    for (uint32_t i = pos; i + tl <= s->n; i++)
        if (memcmp(s->p + i, term, tl) == 0)
            return i + (uint32_t)tl;
    s->out->issues |= MSNP_XML_ISSUE_TRUNCATED;
    return s->n;
}

static int starts(const scanner *s, uint32_t pos, const char *lit)
{
    size_t l = strlen(lit);
    return pos + l <= s->n && memcmp(s->p + pos, lit, l) == 0;
}

static uint32_t skip_spaces(const scanner *s, uint32_t pos)
{
    while (pos < s->n && is_space(s->p[pos]))
        pos++;
    return pos;
}

static msnp_span name_at(const scanner *s, uint32_t pos)
{
    uint32_t e = pos;
    while (e < s->n && is_name_char(s->p[e]))
        e++;
    msnp_span name = {pos, e - pos};
    return name;
}

static int same_name(const uint8_t *p, msnp_span a, msnp_span b)
{
    if (a.len != b.len)
        return 0;
    for (uint32_t i = 0; i < a.len; i++) {
        uint8_t x = p[a.off + i], y = p[b.off + i];
        if (x >= 'a' && x <= 'z')
            x = (uint8_t)(x - 32);
        if (y >= 'a' && y <= 'z')
            y = (uint8_t)(y - 32);
        if (x != y)
            return 0;
    }
    return 1;
}

static void end_tag(scanner *s, uint32_t tag_start)
{
    msnp_span name = name_at(s, tag_start + 2);
    s->pos = skip_past(s, name.off + name.len, ">");
    if (s->hidden_depth) {
        s->hidden_depth--; /* closes an element we could not keep */
        return;
    }
    unsigned k = s->depth;
    while (k > 0 && !same_name(s->p, s->stack[k - 1].name, name))
        k--;
    if (k == 0) {
        s->out->issues |= MSNP_XML_ISSUE_MISMATCHED;
        return;
    }
    open_element *el = &s->stack[k - 1];
    msnp_span content = {el->content_start, tag_start - el->content_start};
    capture_content(s, el->name, content);
    s->depth = k - 1; /* elements left open inside it are closed with it */
}

static void start_tag(scanner *s, uint32_t tag_start)
{
    msnp_xml_note *out = s->out;
    msnp_span element = name_at(s, tag_start + 1);
    uint32_t pos = element.off + element.len;
    if (element.len == 0) {
        out->issues |= MSNP_XML_ISSUE_MALFORMED;
        s->pos = tag_start + 1; /* a stray '<': treat it as text */
        return;
    }
    if (++out->elements > MSNP_XML_MAX_ELEMENTS) {
        out->issues |= MSNP_XML_ISSUE_TOO_MANY;
        s->pos = s->n;
        return;
    }
    if (out->root == MSNP_XML_ROOT_NONE) {
        out->root = MSNP_XML_ROOT_OTHER;
        for (size_t i = 0; i < N(roots); i++)
            if (msnp_span_ieq(s->p, element, roots[i].element))
                out->root = roots[i].root;
    }
    if (msnp_span_ieq(s->p, element, "TEXTX"))
        out->issues |= MSNP_XML_ISSUE_TEXTX;
    for (;;) {
        pos = skip_spaces(s, pos);
        if (pos >= s->n) {
            out->issues |= MSNP_XML_ISSUE_TRUNCATED;
            s->pos = s->n;
            return;
        }
        if (starts(s, pos, "/>")) {
            s->pos = pos + 2;
            return; /* empty element: nothing to open */
        }
        if (s->p[pos] == '>') {
            s->pos = pos + 1;
            break;
        }
        msnp_span attr = name_at(s, pos);
        if (attr.len == 0) {
            out->issues |= MSNP_XML_ISSUE_MALFORMED;
            pos++; /* step over the odd byte */
            continue;
        }
        pos = skip_spaces(s, attr.off + attr.len);
        if (pos >= s->n || s->p[pos] != '=') {
            out->issues |= MSNP_XML_ISSUE_MALFORMED; /* attribute without a value */
            continue;
        }
        pos = skip_spaces(s, pos + 1);
        if (pos >= s->n) {
            out->issues |= MSNP_XML_ISSUE_TRUNCATED;
            s->pos = s->n;
            return;
        }
        msnp_span value;
        uint8_t quote = s->p[pos];
        if (quote == '"' || quote == '\'') {
            const uint8_t *close = memchr(s->p + pos + 1, quote, s->n - pos - 1);
            if (!close) {
                out->issues |= MSNP_XML_ISSUE_TRUNCATED;
                s->pos = s->n;
                return;
            }
            value.off = pos + 1;
            value.len = (uint32_t)(close - s->p) - value.off;
            pos = (uint32_t)(close - s->p) + 1;
        } else {
            out->issues |= MSNP_XML_ISSUE_MALFORMED; /* unquoted value */
            value = name_at(s, pos);
            pos = value.off + value.len;
            if (value.len == 0)
                pos++;
        }
        capture_attribute(s, element, attr, value);
    }
    if (s->depth < MSNP_XML_MAX_DEPTH) {
        s->stack[s->depth].name = element;
        s->stack[s->depth].content_start = s->pos;
        s->depth++;
    } else {
        out->issues |= MSNP_XML_ISSUE_TOO_DEEP;
        s->hidden_depth++;
    }
}

void msnp_xml_note_parse(const uint8_t *p, size_t n, msnp_xml_note *out)
{
    memset(out, 0, sizeof *out);
    scanner s;
    memset(&s, 0, sizeof s);
    s.p = p;
    s.n = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
    s.out = out;
    while (s.pos < s.n) {
        uint32_t at = s.pos;
        if (p[at] != '<') {
            const uint8_t *lt = memchr(p + at, '<', s.n - at);
            s.pos = lt ? (uint32_t)(lt - p) : s.n;
        } else if (starts(&s, at, "<!--")) {
            s.pos = skip_past(&s, at + 4, "-->");
        } else if (starts(&s, at, "<![CDATA[")) {
            s.pos = skip_past(&s, at + 9, "]]>");
        } else if (starts(&s, at, "<?") || starts(&s, at, "<!")) {
            s.pos = skip_past(&s, at + 2, ">");
        } else if (starts(&s, at, "</")) {
            end_tag(&s, at);
        } else {
            start_tag(&s, at);
        }
        if (s.pos <= at)
            s.pos = at + 1; /* every step consumes at least one byte */
    }
    if (s.depth || s.hidden_depth) {
        out->issues |= MSNP_XML_ISSUE_TRUNCATED;
        /* Content cut by the end of the payload is still worth showing. */
        for (unsigned k = s.depth; k-- > 0;) {
            msnp_span content = {s.stack[k].content_start, s.n - s.stack[k].content_start};
            capture_content(&s, s.stack[k].name, content);
        }
    }
}

void msnp_notification_parse(const uint8_t *p, size_t n, msnp_xml_note *out)
{
    msnp_xml_note_parse(p, n, out);
    if (out->root != MSNP_XML_ROOT_NOTIFICATION)
        out->issues |= MSNP_XML_ISSUE_UNEXPECTED_ROOT;
}

void msnp_page_parse(const uint8_t *p, size_t n, msnp_xml_note *out)
{
    msnp_xml_note_parse(p, n, out);
    if (out->root != MSNP_XML_ROOT_PAGE)
        out->issues |= MSNP_XML_ISSUE_UNEXPECTED_ROOT;
}

/* ---- Entities ------------------------------------------------------------- */

static const struct {
    const char *name;
    char c;
} named[] = {{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};

static size_t utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The reference at s[0..len) (s[0] == '&'): its length and its UTF-8 bytes
 * in out, or 0 when it is not a valid reference. */
static size_t reference_at(const uint8_t *s, size_t len, char out[4], size_t *out_len)
{
    size_t semi = 1;
    while (semi < len && semi < 12 && s[semi] != ';')
        semi++;
    if (semi >= len || s[semi] != ';' || semi < 2)
        return 0;
    if (s[1] == '#') {
        uint32_t cp = 0;
        int hex = semi > 2 && (s[2] == 'x' || s[2] == 'X');
        size_t i = hex ? 3 : 2;
        if (i == semi)
            return 0;
        for (; i < semi; i++) {
            uint8_t c = s[i];
            unsigned d;
            if (c >= '0' && c <= '9')
                d = c - '0';
            else if (hex && c >= 'a' && c <= 'f')
                d = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F')
                d = c - 'A' + 10;
            else
                return 0;
            cp = cp * (hex ? 16 : 10) + d;
            if (cp > 0x10FFFF)
                return 0;
        }
        if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        *out_len = utf8_encode(cp, out);
        return semi + 1;
    }
    msnp_span name = {1, (uint32_t)(semi - 1)};
    for (size_t k = 0; k < N(named); k++)
        if (msnp_span_eq(s, name, named[k].name)) {
            out[0] = named[k].c;
            *out_len = 1;
            return semi + 1;
        }
    return 0;
}

size_t msnp_xml_decode(const uint8_t *base, msnp_span sp, char *dst, size_t size)
{
    if (size == 0)
        return 0;
    const uint8_t *s = base + sp.off;
    size_t o = 0;
    for (size_t i = 0; i < sp.len;) {
        char buf[4];
        size_t blen = 1, used = 0;
        if (s[i] == '&')
            used = reference_at(s + i, sp.len - i, buf, &blen);
        if (!used) {
            buf[0] = (char)s[i];
            blen = 1;
            used = 1;
        }
        if (o + blen >= size)
            break; /* never half a character */
        memcpy(dst + o, buf, blen);
        o += blen;
        i += used;
    }
    dst[o] = '\0';
    return o;
}
