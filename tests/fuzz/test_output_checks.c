/* The output checkers the pipeline harness relies on (json_valid.c,
 * terminal_safe.c) accept what they must and reject what they must: a checker
 * that accepts everything would make the harness's oracle empty. */
#include <string.h>

#include "../unit/check.h"
#include "json_valid.h"
#include "terminal_safe.h"

static int json_ok(const char *s)
{
    size_t where;
    return json_object_check((const uint8_t *)s, strlen(s), &where) == NULL;
}

static int text_ok(const char *s, size_t n)
{
    size_t where;
    return terminal_safe_check((const uint8_t *)s, n, &where) == NULL;
}

#define TEXT_OK(lit) text_ok((lit), sizeof(lit) - 1)

static void test_json(void)
{
    CHECK(json_ok("{}"));
    CHECK(json_ok(" {\"type\":\"command\",\"frame\":12,\"ts\":1057244401.123456} "));
    CHECK(json_ok("{\"a\":[1,-2,3.5e+2,true,false,null,{\"b\":\"\\u00e9\\n\\\\\\\"\"}]}"));
    CHECK(json_ok("{\"line\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\"}"));
    CHECK(json_ok("{\"sample\":\"\\\\x1b[31m\"}"));

    CHECK(!json_ok(""));
    CHECK(!json_ok("[1]"));                           /* not an object */
    CHECK(!json_ok("{\"a\":1}x"));                    /* trailing text */
    CHECK(!json_ok("{\"a\":1,}"));                    /* trailing comma */
    CHECK(!json_ok("{\"a\" 1}"));
    CHECK(!json_ok("{'a':1}"));
    CHECK(!json_ok("{\"a\":01}"));                    /* leading zero */
    CHECK(!json_ok("{\"a\":1.}"));
    CHECK(!json_ok("{\"a\":.5}"));
    CHECK(!json_ok("{\"a\":-}"));
    CHECK(!json_ok("{\"a\":NaN}"));
    CHECK(!json_ok("{\"a\":tru}"));
    CHECK(!json_ok("{\"a\":\"x\x1by\"}"));           /* raw control character */
    CHECK(!json_ok("{\"a\":\"tab\there\"}"));
    CHECK(!json_ok("{\"a\":\"\\x41\"}"));            /* not a JSON escape */
    CHECK(!json_ok("{\"a\":\"\\u12g4\"}"));
    CHECK(!json_ok("{\"a\":\"\xe9\"}"));             /* Latin-1, not UTF-8 */
    CHECK(!json_ok("{\"a\":\"\xc0\xaf\"}"));         /* overlong */
    CHECK(!json_ok("{\"a\":\"\xed\xa0\x80\"}"));     /* surrogate */
    CHECK(!json_ok("{\"a\":\"\xf4\x90\x80\x80\"}")); /* above U+10FFFF */
    CHECK(!json_ok("{\"a\":\"open}"));
    char deep[200];
    memset(deep, '[', sizeof deep);
    memcpy(deep, "{\"a\":", 5);
    deep[sizeof deep - 1] = '\0';
    CHECK(!json_ok(deep));
}

static void test_terminal(void)
{
    CHECK(TEXT_OK("     4 15:10:03.120400 C1  NS  C>S XFR 40 SB  -- text\n"));
    CHECK(TEXT_OK("Carol \xe2\x98\xba caf\xc3\xa9 \\x1b[31m \\u{202e}\n"));
    CHECK(TEXT_OK(""));

    CHECK(!TEXT_OK("a\x1b[31mred\n"));  /* ESC */
    CHECK(!TEXT_OK("bell\x07\n"));
    CHECK(!TEXT_OK("nul\x00\n"));
    CHECK(!TEXT_OK("cr\r\n"));
    CHECK(!TEXT_OK("tab\t\n"));
    CHECK(!TEXT_OK("del\x7f\n"));
    CHECK(!TEXT_OK("csi\xc2\x9b" "31m\n"));   /* U+009B */
    CHECK(!TEXT_OK("nel\xc2\x85\n"));          /* U+0085 */
    CHECK(!TEXT_OK("rlo\xe2\x80\xae\n"));      /* U+202E */
    CHECK(!TEXT_OK("lre\xe2\x80\xaa\n"));      /* U+202A */
    CHECK(!TEXT_OK("rli\xe2\x81\xa7\n"));      /* U+2067 */
    CHECK(!TEXT_OK("latin1 \xe9\n"));
    CHECK(!TEXT_OK("overlong \xc1\x9b\n"));    /* an overlong ESC [ */
    CHECK(!TEXT_OK("cut \xe2\x98"));
}

int main(void)
{
    test_json();
    test_terminal();
    return check_exit("test_output_checks");
}
