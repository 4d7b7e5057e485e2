/* Hotmail notifications and the system message (protocol reference §6.2). */
#include "msnp/mailnotify.h"

#include <stddef.h>
#include <string.h>

#include "payload_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* In msnp_mail_field order. */
static const msnp_field_slot slots[] = {
    {"Inbox-Unread", offsetof(msnp_mail, inbox_unread)},
    {"Folders-Unread", offsetof(msnp_mail, folders_unread)},
    {"Inbox-URL", offsetof(msnp_mail, inbox_url)},
    {"Folders-URL", offsetof(msnp_mail, folders_url)},
    {"Post-URL", offsetof(msnp_mail, post_url)},
    {"From", offsetof(msnp_mail, from)},
    {"Message-URL", offsetof(msnp_mail, message_url)},
    {"Subject", offsetof(msnp_mail, subject)},
    {"Dest-Folder", offsetof(msnp_mail, dest_folder)},
    {"From-Addr", offsetof(msnp_mail, from_addr)},
    {"id", offsetof(msnp_mail, id)},
    {"Src-Folder", offsetof(msnp_mail, src_folder)},
    {"Message-Delta", offsetof(msnp_mail, message_delta)},
};
_Static_assert(N(slots) == MSNP_MAIL_FIELD_COUNT, "one slot per msnp_mail_field");

#define BIT(f) (1ull << (f))

/* §6.2: the fields each notice carries. */
static const uint64_t fields_of_kind[] = {
    [MSNP_MAIL_INITIAL] = BIT(MSNP_MAIL_INBOX_UNREAD) | BIT(MSNP_MAIL_FOLDERS_UNREAD) |
                          BIT(MSNP_MAIL_INBOX_URL) | BIT(MSNP_MAIL_FOLDERS_URL) |
                          BIT(MSNP_MAIL_POST_URL),
    [MSNP_MAIL_NEW] = BIT(MSNP_MAIL_FROM) | BIT(MSNP_MAIL_MESSAGE_URL) | BIT(MSNP_MAIL_POST_URL) |
                      BIT(MSNP_MAIL_SUBJECT) | BIT(MSNP_MAIL_DEST_FOLDER) |
                      BIT(MSNP_MAIL_FROM_ADDR) | BIT(MSNP_MAIL_ID),
    [MSNP_MAIL_ACTIVE] = BIT(MSNP_MAIL_SRC_FOLDER) | BIT(MSNP_MAIL_DEST_FOLDER) |
                         BIT(MSNP_MAIL_MESSAGE_DELTA),
};

static const msnp_code_name mail_issues[] = {
    {MSNP_MAIL_ISSUE_BAD_COUNT, "Inbox-Unread or Folders-Unread is not a count"},
    {MSNP_MAIL_ISSUE_BAD_DELTA, "Message-Delta is not a number"},
    {MSNP_MAIL_ISSUE_MISSING, "a field this notice carries is missing"},
    {MSNP_MAIL_ISSUE_FOREIGN, "a field that belongs to another kind of mail notice"},
    {MSNP_MAIL_ISSUE_DUPLICATE_FIELD, "a field is repeated (the first one is used)"},
    {MSNP_MAIL_ISSUE_TOO_MANY_FIELDS, "more field lines than the decoder keeps"},
};
const msnp_code_table msnp_mail_issue_table = {"mail_issue", mail_issues, N(mail_issues)};

static const msnp_code_name system_types[] = {
    {1, "the server goes down for maintenance in Arg1 minutes"},
};
const msnp_code_table msnp_system_type_table = {"system_type", system_types,
                                                N(system_types)};

static const msnp_code_name system_issues[] = {
    {MSNP_SYSTEM_ISSUE_NO_TYPE, "system message without Type"},
    {MSNP_SYSTEM_ISSUE_BAD_TYPE, "Type is not a number"},
    {MSNP_SYSTEM_ISSUE_BAD_ARG1, "Arg1 is not a number"},
    {MSNP_SYSTEM_ISSUE_UNKNOWN_TYPE, "a system message type the reference does not document"},
};
const msnp_code_table msnp_system_issue_table = {"system_issue", system_issues,
                                                 N(system_issues)};

void msnp_mail_decode(const uint8_t *p, size_t n, const msnp_mime *m, msnp_mail_kind kind,
                      msnp_mail *out)
{
    memset(out, 0, sizeof *out);
    out->kind = (uint8_t)kind;
    msnp_parse_body_fields(p, n, m, &out->fields);
    msnp_bind_stats st =
        msnp_bind_fields(&out->fields, p, slots, N(slots), out, &out->present);
    if (st.duplicates)
        out->issues |= MSNP_MAIL_ISSUE_DUPLICATE_FIELD;
    if (out->fields.overflow)
        out->issues |= MSNP_MAIL_ISSUE_TOO_MANY_FIELDS;
    uint64_t expected = kind < N(fields_of_kind) ? fields_of_kind[kind] : 0;
    if ((out->present & expected) != expected)
        out->issues |= MSNP_MAIL_ISSUE_MISSING;
    if (out->present & ~expected)
        out->issues |= MSNP_MAIL_ISSUE_FOREIGN;

    uint64_t v;
    if (msnp_mail_has(out, MSNP_MAIL_INBOX_UNREAD)) {
        if (msnp_parse_udec(p, out->inbox_unread, UINT32_MAX, &v) == MSNP_NUM_OK) {
            out->inbox_unread_value = (uint32_t)v;
            out->valid |= BIT(MSNP_MAIL_INBOX_UNREAD);
        } else
            out->issues |= MSNP_MAIL_ISSUE_BAD_COUNT;
    }
    if (msnp_mail_has(out, MSNP_MAIL_FOLDERS_UNREAD)) {
        if (msnp_parse_udec(p, out->folders_unread, UINT32_MAX, &v) == MSNP_NUM_OK) {
            out->folders_unread_value = (uint32_t)v;
            out->valid |= BIT(MSNP_MAIL_FOLDERS_UNREAD);
        } else
            out->issues |= MSNP_MAIL_ISSUE_BAD_COUNT;
    }
    if (msnp_mail_has(out, MSNP_MAIL_MESSAGE_DELTA)) {
        int64_t d;
        if (msnp_parse_sdec(p, out->message_delta, INT32_MIN, INT32_MAX, &d) == MSNP_NUM_OK) {
            out->message_delta_value = (int32_t)d;
            out->valid |= BIT(MSNP_MAIL_MESSAGE_DELTA);
        } else
            out->issues |= MSNP_MAIL_ISSUE_BAD_DELTA;
    }
}

void msnp_system_decode(const uint8_t *p, size_t n, const msnp_mime *m, msnp_system_msg *out)
{
    memset(out, 0, sizeof *out);
    msnp_parse_body_fields(p, n, m, &out->fields);
    const msnp_field *type = msnp_fields_find(&out->fields, p, "Type");
    const msnp_field *arg1 = msnp_fields_find(&out->fields, p, "Arg1");
    uint64_t v;
    if (!type) {
        out->issues |= MSNP_SYSTEM_ISSUE_NO_TYPE;
    } else {
        out->type = type->value;
        if (msnp_parse_udec(p, out->type, UINT32_MAX, &v) == MSNP_NUM_OK) {
            out->type_valid = 1;
            out->type_value = (uint32_t)v;
            if (!msnp_code_text(&msnp_system_type_table, out->type_value))
                out->issues |= MSNP_SYSTEM_ISSUE_UNKNOWN_TYPE;
        } else
            out->issues |= MSNP_SYSTEM_ISSUE_BAD_TYPE;
    }
    if (arg1) {
        out->arg1 = arg1->value;
        if (msnp_parse_udec(p, out->arg1, UINT32_MAX, &v) == MSNP_NUM_OK) {
            out->arg1_valid = 1;
            out->arg1_value = (uint32_t)v;
        } else
            out->issues |= MSNP_SYSTEM_ISSUE_BAD_ARG1;
    }
}

/* ---- RFC 2047 -------------------------------------------------------------- */

typedef struct out_text {
    char *p;
    size_t size, len;
    int full;
} out_text;

static void put_bytes(out_text *o, const uint8_t *s, size_t n)
{
    /* All or nothing, and nothing after the first miss, so that a multi-byte
     * character is never cut and the text is a prefix of the whole. */
    if (o->full || o->len + n >= o->size) {
        o->full = 1;
        return;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

typedef enum word_charset { CS_UNKNOWN, CS_UTF8, CS_LATIN1 } word_charset;

static const struct {
    const char *name;
    uint8_t charset;
} word_charsets[] = {
    {"utf-8", CS_UTF8},       {"us-ascii", CS_UTF8},  {"iso-8859-1", CS_LATIN1},
    {"latin1", CS_LATIN1},    {"iso8859-1", CS_LATIN1},
};

static word_charset charset_of(const uint8_t *s, size_t len)
{
    if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
        s++;
        len -= 2;
    }
    msnp_span all = {0, (uint32_t)len};
    for (size_t i = 0; i < N(word_charsets); i++)
        if (msnp_span_ieq(s, all, word_charsets[i].name))
            return (word_charset)word_charsets[i].charset;
    return CS_UNKNOWN;
}

static void put_decoded(out_text *o, word_charset cs, uint8_t c)
{
    if (cs == CS_LATIN1 && c >= 0x80) {
        uint8_t u[2] = {(uint8_t)(0xC0 | c >> 6), (uint8_t)(0x80 | (c & 0x3F))};
        put_bytes(o, u, 2);
    } else {
        put_bytes(o, &c, 1);
    }
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

static int b64val(uint8_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Decode one word's text; 0 when it is malformed. */
static int decode_text(out_text *o, word_charset cs, uint8_t enc, const uint8_t *t, size_t n)
{
    if (enc == 'Q' || enc == 'q') {
        for (size_t i = 0; i < n; i++) {
            int hi, lo;
            if (t[i] == '_')
                put_decoded(o, cs, ' ');
            else if (t[i] != '=')
                put_decoded(o, cs, t[i]);
            else if (i + 2 < n && (hi = hexval(t[i + 1])) >= 0 &&
                     (lo = hexval(t[i + 2])) >= 0) {
                put_decoded(o, cs, (uint8_t)(hi << 4 | lo));
                i += 2;
            } else
                return 0;
        }
        return 1;
    }
    if (enc == 'B' || enc == 'b') {
        uint32_t acc = 0;
        unsigned bits = 0;
        for (size_t i = 0; i < n; i++) {
            if (t[i] == '=')
                break; /* padding ends the data */
            int v = b64val(t[i]);
            if (v < 0)
                return 0;
            acc = (acc << 6 | (uint32_t)v) & 0xFFFFFF;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                put_decoded(o, cs, (uint8_t)(acc >> bits));
            }
        }
        return 1;
    }
    return 0;
}

/* An encoded word at s[0..len) ("=?" already seen); returns its length, or 0. */
static size_t word_at(const uint8_t *s, size_t len, out_text *o)
{
    size_t q1 = 2;
    while (q1 < len && s[q1] != '?' && q1 < 2 + 64)
        q1++;
    if (q1 + 2 >= len || s[q1] != '?' || s[q1 + 2] != '?')
        return 0;
    uint8_t enc = s[q1 + 1];
    size_t t = q1 + 3, e = t;
    while (e < len && s[e] != '?' && s[e] != ' ')
        e++;
    if (e + 1 >= len || s[e] != '?' || s[e + 1] != '=')
        return 0;
    word_charset cs = charset_of(s + 2, q1 - 2);
    if (cs == CS_UNKNOWN)
        return 0;
    size_t mark = o->len;
    if (!decode_text(o, cs, enc, s + t, e - t)) {
        o->len = mark;
        return 0;
    }
    return e + 2;
}

size_t msnp_rfc2047_decode(const uint8_t *src, size_t len, char *dst, size_t size)
{
    out_text o = {dst, size, 0, 0};
    if (size == 0)
        return 0;
    size_t after_word = (size_t)-1; /* o.len right after the last encoded word */
    int only_blanks = 0;           /* since that word */
    for (size_t i = 0; i < len;) {
        if (src[i] == '=' && i + 1 < len && src[i + 1] == '?') {
            size_t mark = o.len;
            size_t k = word_at(src + i, len - i, &o);
            if (k) {
                if (only_blanks && after_word < mark) {
                    /* RFC 2047 §6.2: blanks between two encoded words vanish. */
                    memmove(o.p + after_word, o.p + mark, o.len - mark);
                    o.len -= mark - after_word;
                }
                i += k;
                after_word = o.len;
                only_blanks = 1;
                continue;
            }
        }
        if (src[i] != ' ' && src[i] != '\t')
            only_blanks = 0;
        put_bytes(&o, src + i, 1);
        i++;
    }
    if (o.full) {
        /* Single decoded bytes of a UTF-8 word may have stopped inside a
         * character: drop an incomplete sequence at the end. */
        size_t k = o.len, cont = 0;
        while (k > 0 && cont < 3 && ((uint8_t)dst[k - 1] & 0xC0) == 0x80) {
            k--;
            cont++;
        }
        if (k > 0 && (uint8_t)dst[k - 1] >= 0xC0) {
            uint8_t lead = (uint8_t)dst[k - 1];
            size_t need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
            if (cont < need)
                o.len = k - 1;
        }
    }
    dst[o.len] = '\0';
    return o.len;
}
