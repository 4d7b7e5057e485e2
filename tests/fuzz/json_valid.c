/* A strict recursive-descent JSON validator (see json_valid.h). */
#include "json_valid.h"

#include <string.h>

#include "utf8_strict.h"

#define MAX_DEPTH 64

typedef struct parser {
    const uint8_t *s;
    size_t n, i;
    const char *err;
} parser;

static int fail(parser *p, const char *why)
{
    if (!p->err)
        p->err = why;
    return 0;
}

static void blanks(parser *p)
{
    while (p->i < p->n &&
           (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r'))
        p->i++;
}

static int is_hex(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int digits(parser *p)
{
    size_t start = p->i;
    while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
        p->i++;
    return p->i > start;
}

static int string(parser *p)
{
    if (p->i >= p->n || p->s[p->i] != '"')
        return fail(p, "expected a string");
    p->i++;
    while (p->i < p->n) {
        uint8_t c = p->s[p->i];
        if (c == '"') {
            p->i++;
            return 1;
        }
        if (c < 0x20)
            return fail(p, "raw control character in a string");
        if (c == '\\') {
            if (p->i + 1 >= p->n)
                break;
            uint8_t e = p->s[p->i + 1];
            if (e == 'u') {
                if (p->i + 6 > p->n)
                    return fail(p, "short \\u escape");
                for (size_t k = 2; k < 6; k++)
                    if (!is_hex(p->s[p->i + k]))
                        return fail(p, "bad \\u escape");
                p->i += 6;
                continue;
            }
            if (!strchr("\"\\/bfnrt", e) || e == 0)
                return fail(p, "bad escape");
            p->i += 2;
            continue;
        }
        uint32_t cp;
        size_t k = utf8_strict_decode(p->s + p->i, p->n - p->i, &cp);
        if (!k)
            return fail(p, "invalid UTF-8 in a string");
        p->i += k;
    }
    return fail(p, "unterminated string");
}

static int number(parser *p)
{
    if (p->i < p->n && p->s[p->i] == '-')
        p->i++;
    if (p->i < p->n && p->s[p->i] == '0')
        p->i++;
    else if (!(p->i < p->n && p->s[p->i] >= '1' && p->s[p->i] <= '9') || !digits(p))
        return fail(p, "bad number");
    if (p->i < p->n && p->s[p->i] == '.') {
        p->i++;
        if (!digits(p))
            return fail(p, "bad fraction");
    }
    if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        p->i++;
        if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
            p->i++;
        if (!digits(p))
            return fail(p, "bad exponent");
    }
    return 1;
}

static int literal(parser *p, const char *word)
{
    size_t k = strlen(word);
    if (p->n - p->i < k || memcmp(p->s + p->i, word, k) != 0)
        return fail(p, "unexpected character");
    p->i += k;
    return 1;
}

static int value(parser *p, int depth);

static int members(parser *p, int depth, int object)
{
    uint8_t close = object ? '}' : ']';
    p->i++;
    blanks(p);
    if (p->i < p->n && p->s[p->i] == close) {
        p->i++;
        return 1;
    }
    for (;;) {
        if (object) {
            if (!string(p))
                return 0;
            blanks(p);
            if (p->i >= p->n || p->s[p->i] != ':')
                return fail(p, "expected ':'");
            p->i++;
        }
        if (!value(p, depth + 1))
            return 0;
        blanks(p);
        if (p->i < p->n && p->s[p->i] == ',') {
            p->i++;
            blanks(p);
            continue;
        }
        if (p->i < p->n && p->s[p->i] == close) {
            p->i++;
            return 1;
        }
        return fail(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static int value(parser *p, int depth)
{
    if (depth > MAX_DEPTH)
        return fail(p, "nested too deep");
    blanks(p);
    if (p->i >= p->n)
        return fail(p, "expected a value");
    switch (p->s[p->i]) {
    case '{':
        return members(p, depth, 1);
    case '[':
        return members(p, depth, 0);
    case '"':
        return string(p);
    case 't':
        return literal(p, "true");
    case 'f':
        return literal(p, "false");
    case 'n':
        return literal(p, "null");
    default:
        return number(p);
    }
}

const char *json_object_check(const uint8_t *s, size_t n, size_t *where)
{
    parser p = {s, n, 0, NULL};
    blanks(&p);
    if (p.i >= n || s[p.i] != '{') {
        *where = p.i;
        return "not an object";
    }
    if (value(&p, 0)) {
        blanks(&p);
        if (p.i != n)
            fail(&p, "text after the object");
    }
    *where = p.i;
    return p.err;
}
