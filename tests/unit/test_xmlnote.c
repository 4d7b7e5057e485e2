/* NOT / IPG / PAG documents (libmsnp/xmlnote.c): the sample scenarios'
 * payloads, entity decoding, and hostile XML — truncated at every offset,
 * byte flips, deep nesting, floods of elements, unterminated constructs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "msnp/payload.h"
#include "msnp/xmlnote.h"
#include "payload_testutil.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* login.msnp: NOT, PAG and IPG. */
static const char sample_not[] =
    "<NOTIFICATION ver=\"1\" id=\"1342\" siteid=\"111100200\" siteurl=\"http://calendar.msn.com\">"
    "<TO pid=\"0x00014b00:0x8c86e2b2\" name=\"alice@hotmail.com\"/><MSG pri=\"1\" id=\"1342\">"
    "<ACTION url=\"/calendar/isapi.dll?request=action&amp;operation=modify&amp;objectID=1342\"/>"
    "<SUBSCR url=\"/calendar/isapi.dll?request=action&amp;operation=view\"/><BODY lang=\"1033\" "
    "icon=\"/En/img/calendar.png\"><TEXT>Dentist appointment at 4:00 PM</TEXT></BODY></MSG>"
    "</NOTIFICATION>";
static const char sample_pag[] =
    "<PHONE pri=\"1\"><LOC>MOBILE</LOC><NUM>14255550142</NUM></PHONE><TEXT "
    "xml:space=\"preserve\">Running late &#x26; stuck in traffic</TEXT>";
static const char sample_ipg[] =
    "<NOTIFICATION id=\"0\" siteid=\"111100400\" siteurl=\"http://mobile.msn.com/\"><TO "
    "name=\"alice@hotmail.com\" pid=\"0x00014b00:0x8c86e2b2\"><VIA agent=\"messenger\"/></TO>"
    "<FROM pid=\"0x00012a1c:0x5e2f0c91\" name=\"bob@hotmail.com\"/><MSG><ACTION "
    "url=\"2wayIM.asp\"/><SUBSCR url=\"2wayIM.asp\"/><CAT id=\"110110001\"/><BODY "
    "lang=\"1033\"><TEXT>OK, see you at 5</TEXT></BODY></MSG></NOTIFICATION>";

static msnp_xml_note x;
static collector col;
static char scratch[1024];

static uint8_t *parse(const char *s, size_t n, int page)
{
    uint8_t *p = exact_copy(s, n);
    if (page)
        msnp_page_parse(p, n, &x);
    else
        msnp_notification_parse(p, n, &x);
    collector_init(&col, p, n, scratch, sizeof scratch);
    msnp_vocab_scratch sc = {scratch, sizeof scratch};
    msnp_xml_note_visit(&x, page, p, sc, collect, &col);
    CHECK(!col.out_of_bounds && !col.bad_field);
    return p;
}

static void test_samples(void)
{
    uint8_t *p = parse(sample_not, strlen(sample_not), 0);
    CHECK_EQ(x.issues, 0);
    CHECK_EQ(x.root, MSNP_XML_ROOT_NOTIFICATION);
    CHECK(span_is(p, x.id, "1342") && span_is(p, x.site_id, "111100200"));
    CHECK(span_is(p, x.ver, "1") && span_is(p, x.msg_id, "1342"));
    CHECK(span_is(p, x.to_pid, "0x00014b00:0x8c86e2b2") && span_is(p, x.to_name, "alice@hotmail.com"));
    CHECK(span_is(p, x.body_lang, "1033") && span_is(p, x.body_icon, "/En/img/calendar.png"));
    CHECK(span_is(p, x.text, "Dentist appointment at 4:00 PM"));
    CHECK(!msnp_xml_has(&x, MSNP_XV_FROM_NAME));
    CHECK(got_str(&col, MSNP_V_NOTIFICATION_ACTION_URL,
                  "/calendar/isapi.dll?request=action&operation=modify&objectID=1342"));
    CHECK(got_str(&col, MSNP_V_NOTIFICATION_SITE_URL, "http://calendar.msn.com"));
    CHECK(got_str(&col, MSNP_V_NOTIFICATION_TEXT, "Dentist appointment at 4:00 PM"));
    CHECK(strcmp(got(&col, MSNP_V_NOTIFICATION_LANG, 0)->text, "English (United States)") == 0);
    free(p);

    p = parse(sample_pag, strlen(sample_pag), 1);
    CHECK_EQ(x.issues, 0);
    CHECK_EQ(x.root, MSNP_XML_ROOT_PAGE);
    CHECK(span_is(p, x.phone_pri, "1") && span_is(p, x.loc, "MOBILE") && span_is(p, x.num, "14255550142"));
    CHECK(got_str(&col, MSNP_V_PAGE_TEXT, "Running late & stuck in traffic"));
    CHECK(got_str(&col, MSNP_V_PAGE_LOCATION, "MOBILE"));
    CHECK(!got(&col, MSNP_V_NOTIFICATION_TEXT, 0));
    free(p);

    p = parse(sample_ipg, strlen(sample_ipg), 0);
    CHECK_EQ(x.issues, 0);
    CHECK(span_is(p, x.id, "0") && span_is(p, x.cat_id, "110110001"));
    CHECK(span_is(p, x.from_name, "bob@hotmail.com") && span_is(p, x.from_pid, "0x00012a1c:0x5e2f0c91"));
    CHECK(span_is(p, x.to_name, "alice@hotmail.com")); /* attribute order does not matter */
    CHECK(span_is(p, x.action_url, "2wayIM.asp") && span_is(p, x.subscr_url, "2wayIM.asp"));
    CHECK(got_str(&col, MSNP_V_NOTIFICATION_TEXT, "OK, see you at 5"));
    free(p);

    /* A page is not a notification and the other way round. */
    p = parse(sample_pag, strlen(sample_pag), 0);
    CHECK(x.issues == MSNP_XML_ISSUE_UNEXPECTED_ROOT);
    free(p);
    p = parse(sample_not, strlen(sample_not), 1);
    CHECK(x.issues == MSNP_XML_ISSUE_UNEXPECTED_ROOT);
    free(p);
}

static void test_variants(void)
{
    /* XML declaration, comments, CDATA, single quotes, odd spacing, case. */
    static const char doc[] =
        "<?xml version=\"1.0\"?><!-- hi --><notification ID = '7' siteid=\"1\" >"
        "<![CDATA[<TEXT>not this</TEXT>]]><msg><body><textx>later</textx><text>a &lt;b&gt; "
        "&quot;c&quot; &apos;d&apos; &#233; &#x263A;</text></body></msg></notification>";
    uint8_t *p = parse(doc, strlen(doc), 0);
    CHECK(x.issues == MSNP_XML_ISSUE_TEXTX);
    CHECK(span_is(p, x.id, "7"));
    CHECK(got_str(&col, MSNP_V_NOTIFICATION_TEXT, "a <b> \"c\" 'd' \xc3\xa9 \xe2\x98\xba"));
    CHECK(got_str(&col, MSNP_V_NOTIFICATION_TEXTX, "later"));
    free(p);

    /* PAG with enc [?]; duplicate values keep the first. */
    static const char pag[] = "<TEXT enc=\"utf-8\" xml:space=\"preserve\">one</TEXT><TEXT>two</TEXT>";
    p = parse(pag, strlen(pag), 1);
    CHECK(x.issues == MSNP_XML_ISSUE_DUPLICATE);
    CHECK(got_str(&col, MSNP_V_PAGE_TEXT, "one") && got_str(&col, MSNP_V_PAGE_TEXT_ENC, "utf-8"));
    free(p);

    static const struct {
        const char *doc;
        uint32_t issues;
    } bad[] = {
        {"<NOTIFICATION id=\"1\"><TEXT>cut", MSNP_XML_ISSUE_TRUNCATED},
        {"<NOTIFICATION id=\"1", MSNP_XML_ISSUE_TRUNCATED},
        {"<NOTIFICATION id=", MSNP_XML_ISSUE_TRUNCATED},
        {"<NOTIFICATION", MSNP_XML_ISSUE_TRUNCATED},
        {"<NOTIFICATION/><!-- open", MSNP_XML_ISSUE_TRUNCATED},
        {"<NOTIFICATION/><![CDATA[ open", MSNP_XML_ISSUE_TRUNCATED},
        {"<NOTIFICATION/><?pi", MSNP_XML_ISSUE_TRUNCATED},
        {"<NOTIFICATION/></TO>", MSNP_XML_ISSUE_MISMATCHED},
        {"<NOTIFICATION id=1/>", MSNP_XML_ISSUE_MALFORMED},
        {"<NOTIFICATION id/>", MSNP_XML_ISSUE_MALFORMED},
        {"<NOTIFICATION \"x\"/>", MSNP_XML_ISSUE_MALFORMED},
        {"< NOTIFICATION/><NOTIFICATION/>", MSNP_XML_ISSUE_MALFORMED},
        {"<NOTIFICATION><MSG></NOTIFICATION>", 0}, /* MSG closed with its parent */
        {"", MSNP_XML_ISSUE_UNEXPECTED_ROOT},
        {"plain text", MSNP_XML_ISSUE_UNEXPECTED_ROOT},
    };
    for (size_t i = 0; i < N(bad); i++) {
        p = parse(bad[i].doc, strlen(bad[i].doc), 0);
        CHECK_MSG(x.issues == bad[i].issues, "%s: issues %#x, want %#x", bad[i].doc, x.issues,
                  bad[i].issues);
        free(p);
    }
    /* Text cut by the end of the payload is still shown. */
    p = parse("<NOTIFICATION><BODY><TEXT>cut short", 35, 0);
    CHECK(span_is(p, x.text, "cut short"));
    free(p);
}

static void test_entities(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"&amp;&lt;&gt;&quot;&apos;", "&<>\"'"},
        {"&#65;&#x42;&#X43;", "ABC"},
        {"&#0;", "&#0;"},                 /* NUL is not a character */
        {"&#xD800;", "&#xD800;"},         /* surrogate */
        {"&#x110000;", "&#x110000;"},     /* beyond Unicode */
        {"&#99999999999999999999;", "&#99999999999999999999;"},
        {"&bogus;", "&bogus;"},
        {"&amp", "&amp"},
        {"&", "&"},
        {"&#;", "&#;"},
        {"&#x;", "&#x;"},
        {"&#12a;", "&#12a;"},
        {"&#x1F600;", "\xf0\x9f\x98\x80"},
    };
    char out[64];
    for (size_t i = 0; i < N(cases); i++) {
        uint8_t *p = exact_copy(cases[i].in, strlen(cases[i].in));
        msnp_span s = {0, (uint32_t)strlen(cases[i].in)};
        size_t n = msnp_xml_decode(p, s, out, sizeof out);
        CHECK_MSG(n == strlen(cases[i].out) && strcmp(out, cases[i].out) == 0, "%s -> %s",
                  cases[i].in, out);
        free(p);
    }
    /* Truncation keeps whole characters. */
    uint8_t *p = exact_copy("ab&#x263A;", 10);
    msnp_span s = {0, 10};
    CHECK_EQ(msnp_xml_decode(p, s, out, 5), 2);
    CHECK_STR(out, "ab");
    CHECK_EQ(msnp_xml_decode(p, s, out, 0), 0);
    free(p);
}

static void test_hostile(void)
{
    /* Every prefix of the samples. */
    const char *docs[] = {sample_not, sample_pag, sample_ipg};
    for (size_t d = 0; d < N(docs); d++)
        for (size_t k = 0; k <= strlen(docs[d]); k++)
            free(parse(docs[d], k, d == 1));

    /* Byte flips toward the characters that matter to the scanner. */
    static const char specials[] = "<>/=\"'&;!?-[] ";
    check_rng_state = 0xc0ffee1234ull;
    char buf[1024];
    for (int round = 0; round < 4000; round++) {
        const char *src = docs[check_rand() % N(docs)];
        size_t n = strlen(src);
        memcpy(buf, src, n);
        for (int f = 0, flips = 1 + (int)(check_rand() % 8); f < flips; f++)
            buf[check_rand() % n] =
                check_rand() % 2 ? specials[check_rand() % (sizeof specials - 1)]
                                 : (char)check_rand();
        free(parse(buf, n, (int)(check_rand() % 2)));
    }

    /* Deep nesting and element floods stay bounded. */
    static char deep[200000];
    size_t n = 0;
    while (n + 3 <= sizeof deep)
        n += (size_t)sprintf(deep + n, "<a>");
    uint8_t *p = parse(deep, n, 0);
    CHECK(x.issues & MSNP_XML_ISSUE_TOO_DEEP);
    CHECK(x.issues & MSNP_XML_ISSUE_TOO_MANY);
    CHECK_EQ(x.elements, MSNP_XML_MAX_ELEMENTS + 1);
    free(p);
    n = 0;
    for (int i = 0; i < 40; i++)
        n += (size_t)sprintf(deep + n, "<b>");
    n += (size_t)sprintf(deep + n, "<TEXT>deep</TEXT>");
    for (int i = 0; i < 40; i++)
        n += (size_t)sprintf(deep + n, "</b>");
    p = parse(deep, n, 0);
    CHECK(x.issues & MSNP_XML_ISSUE_TOO_DEEP);
    CHECK(!(x.issues & MSNP_XML_ISSUE_MISMATCHED));
    free(p);
    /* Megabytes of one repeated construct: linear, no hang. */
    static char flood[1 << 20];
    static const char *const units[] = {"<", "&", "<a b='", "<!--", "=?", "\"", "<a/>"};
    for (size_t u = 0; u < N(units); u++) {
        size_t ul = strlen(units[u]), m = 0;
        while (m + ul <= sizeof flood) {
            memcpy(flood + m, units[u], ul);
            m += ul;
        }
        p = parse(flood, m, 0);
        CHECK(x.root != MSNP_XML_ROOT_NOTIFICATION);
        free(p);
    }
}

int main(void)
{
    test_samples();
    test_variants();
    test_entities();
    test_hostile();
    return check_exit("test_xmlnote");
}
