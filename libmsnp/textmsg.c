/* text/plain and text/x-msmsgscontrol (protocol reference §6.3). */
#include "msnp/textmsg.h"

#include <string.h>

#include "msnp/text.h"
#include "payload_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const msnp_code_name text_issues[] = {
    {MSNP_TEXT_ISSUE_NOT_UTF8, "the message declares UTF-8 but its text is not valid UTF-8"},
    {MSNP_TEXT_ISSUE_BAD_FORMAT, "the X-MMS-IM-Format header is malformed"},
    {MSNP_TEXT_ISSUE_NO_SEPARATOR,
     "no empty line ends the headers, so the message has no text"},
};
const msnp_code_table msnp_text_issue_table = {"text_issue", text_issues, N(text_issues)};

static const msnp_code_name typing_issues[] = {
    {MSNP_TYPING_ISSUE_NO_USER, "typing notification without a TypingUser header"},
    {MSNP_TYPING_ISSUE_ODD_BODY,
     "typing notification whose body is not the usual single empty line"},
};
const msnp_code_table msnp_typing_issue_table = {"typing_issue", typing_issues,
                                                 N(typing_issues)};

void msnp_text_decode(const uint8_t *p, size_t n, const msnp_mime *m, msnp_text_msg *out)
{
    (void)n;
    memset(out, 0, sizeof *out);
    out->text = m->body;
    if (m->charset.len == 0)
        out->charset = MSNP_TEXT_LATIN1;
    else if (msnp_span_ieq(p, m->charset, "UTF-8") || msnp_span_ieq(p, m->charset, "UTF8"))
        out->charset = MSNP_TEXT_UTF8;
    else
        out->charset = MSNP_TEXT_OTHER;
    if (out->charset == MSNP_TEXT_UTF8 && !msnp_valid_utf8(p + m->body.off, m->body.len))
        out->issues |= MSNP_TEXT_ISSUE_NOT_UTF8;
    if (!m->has_separator)
        out->issues |= MSNP_TEXT_ISSUE_NO_SEPARATOR;
    const msnp_field *fmt = msnp_fields_find(&m->headers, p, "X-MMS-IM-Format");
    if (fmt) {
        out->has_format = 1;
        msnp_im_format_parse(p, fmt->value, &out->format);
        if (out->format.issues)
            out->issues |= MSNP_TEXT_ISSUE_BAD_FORMAT;
    }
}

void msnp_typing_decode(const uint8_t *p, size_t n, const msnp_mime *m, msnp_typing *out)
{
    (void)n;
    memset(out, 0, sizeof *out);
    const msnp_field *user = msnp_fields_find(&m->headers, p, "TypingUser");
    if (user && user->value.len)
        out->user = user->value;
    else
        out->issues |= MSNP_TYPING_ISSUE_NO_USER;
    /* §6.3: the body is one CRLF, so the payload ends CRLF CRLF CRLF; LF-only
     * clients send one LF. */
    if (!(msnp_span_eq(p, m->body, "\r\n") || msnp_span_eq(p, m->body, "\n")))
        out->issues |= MSNP_TYPING_ISSUE_ODD_BODY;
}

size_t msnp_text_to_utf8(const uint8_t *p, const msnp_text_msg *t, char *dst, size_t size)
{
    if (size == 0)
        return 0;
    const uint8_t *s = p + t->text.off;
    size_t len = t->text.len, o = 0;
    int latin1 = t->charset == MSNP_TEXT_LATIN1;
    for (size_t i = 0; i < len;) {
        /* A run that is copied as it is: ASCII, and for UTF-8 text whole
         * sequences (an invalid byte alone), so truncation never splits a
         * character. */
        size_t run = i;
        while (run < len) {
            size_t k = 1;
            if (s[run] >= 0x80) {
                if (latin1)
                    break;
                k = msnp_utf8_seq_len(s + run, len - run);
                if (k == 0)
                    k = 1;
            }
            if (o + (run - i) + k >= size)
                break;
            run += k;
        }
        memcpy(dst + o, s + i, run - i);
        o += run - i;
        i = run;
        if (i == len || !latin1 || s[i] < 0x80)
            break; /* done, or no room left */
        /* ISO-8859-1 maps byte c to code point c: two UTF-8 bytes. */
        if (o + 2 >= size)
            break;
        dst[o++] = (char)(0xC0 | s[i] >> 6);
        dst[o++] = (char)(0x80 | (s[i] & 0x3F));
        i++;
    }
    dst[o] = '\0';
    return o;
}
