/* MIME header blocks and field lists of MSG payloads. */
#include <string.h>

#include "check.h"
#include "msnp/mime.h"

static int span_is(const char *base, msnp_span s, const char *lit)
{
    return s.len == strlen(lit) && memcmp(base + s.off, lit, s.len) == 0;
}

static void test_text_message(void)
{
    const char *p = "MIME-Version: 1.0\r\n"
                    "Content-Type: text/plain;charset=UTF-8\r\n"
                    "X-MMS-IM-Format: FN=Arial; EF=B; CO=ff; CS=0; PF=22\r\n"
                    "\r\n"
                    "Hi Bob\r\nsecond line";
    msnp_mime m;
    CHECK(msnp_mime_parse((const uint8_t *)p, strlen(p), &m) == 0);
    CHECK_EQ(m.headers.count, 3);
    CHECK(m.has_separator && !m.headers.lf_only);
    CHECK(span_is(p, m.content_type, "text/plain"));
    CHECK(span_is(p, m.charset, "UTF-8"));
    CHECK(span_is(p, m.body, "Hi Bob\r\nsecond line"));
    const msnp_field *f = msnp_fields_find(&m.headers, (const uint8_t *)p, "x-mms-im-format");
    CHECK(f && span_is(p, f->value, "FN=Arial; EF=B; CO=ff; CS=0; PF=22"));
}

static void test_typing_and_lf(void)
{
    /* Typing: the body is a single CRLF. LF-only from a third-party client. */
    const char *t = "MIME-Version: 1.0\r\nContent-Type: text/x-msmsgscontrol\r\n"
                    "TypingUser: alice@hotmail.com\r\n\r\n\r\n";
    msnp_mime m;
    CHECK(msnp_mime_parse((const uint8_t *)t, strlen(t), &m) == 0);
    CHECK(span_is(t, m.body, "\r\n"));
    CHECK(span_is(t, m.content_type, "text/x-msmsgscontrol") && m.charset.len == 0);
    const char *lf = "mime-version:1.0\ncontent-type:  text/plain ; charset=\"iso-8859-1\"\n\nhey";
    CHECK(msnp_mime_parse((const uint8_t *)lf, strlen(lf), &m) == 0);
    CHECK(m.headers.lf_only && m.has_separator);
    CHECK(span_is(lf, m.content_type, "text/plain"));
    CHECK(span_is(lf, m.charset, "iso-8859-1"));
    CHECK(span_is(lf, m.body, "hey"));
}

static void test_profile_and_fields(void)
{
    /* The profile: all fields in the header block, empty body. */
    const char *p = "MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsprofile; charset=UTF-8\r\n"
                    "LoginTime: 1057244423\r\nEmailEnabled: 1\r\nClientPort: 18183\r\n\r\n";
    msnp_mime m;
    CHECK(msnp_mime_parse((const uint8_t *)p, strlen(p), &m) == 0);
    CHECK_EQ(m.headers.count, 5);
    CHECK(m.body.len == 0 && m.has_separator);
    /* A body of fields (invitation). */
    const char *b = "Invitation-Command: INVITE\r\nInvitation-Cookie: 61582\r\n"
                    "garbage line\r\n  : no name\r\nApplication-File: notes.txt\r\n\r\n";
    msnp_fields f;
    size_t end = msnp_fields_parse((const uint8_t *)b, strlen(b), &f);
    CHECK_EQ(end, strlen(b));
    CHECK_EQ(f.count, 3);
    CHECK_EQ(f.bad_lines, 2); /* no colon; a colon with no name before it */
    const msnp_field *c = msnp_fields_find(&f, (const uint8_t *)b, "INVITATION-COOKIE");
    CHECK(c && span_is(b, c->value, "61582"));
    /* Nothing at all, and a payload that is not a header block. */
    CHECK(msnp_mime_parse((const uint8_t *)"", 0, &m) == -1);
    CHECK(msnp_mime_parse((const uint8_t *)"\x00\x01\x02", 3, &m) == -1);
}

static void test_overflow(void)
{
    char buf[4096];
    size_t n = 0;
    for (int i = 0; i < MSNP_MIME_MAX_FIELDS + 5; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "H%d: %d\r\n", i, i);
    msnp_fields f;
    msnp_fields_parse((const uint8_t *)buf, n, &f);
    CHECK_EQ(f.count, MSNP_MIME_MAX_FIELDS);
    CHECK(f.overflow);
}

int main(void)
{
    test_text_message();
    test_typing_and_lf();
    test_profile_and_fields();
    test_overflow();
    return check_exit("test_mime");
}
