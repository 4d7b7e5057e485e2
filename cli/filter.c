/* -Y display filters (see filter.h): a recursive-descent parser into a small
 * tree, evaluated per record through fields.c. */
#include "filter.h"

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"

typedef enum node_kind { N_OR, N_AND, N_NOT, N_TEST } node_kind;

typedef enum test_op { OP_EXISTS, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_CONTAINS,
                       OP_MATCHES } test_op;

typedef struct node {
    node_kind kind;
    struct node *a, *b;
    /* N_TEST */
    field_ref field;
    test_op op;
    char *value;
    size_t value_len;
    int value_is_num;
    double num;
    regex_t re;
    int has_re;
} node;

struct filter {
    node *root;
};

typedef struct parser {
    const char *s;
    size_t pos;
    char *err;
    size_t errsize;
    int failed;
} parser;

static void fail(parser *p, const char *what)
{
    if (!p->failed)
        snprintf(p->err, p->errsize, "%s at position %zu of the filter", what, p->pos + 1);
    p->failed = 1;
}

static void skip_ws(parser *p)
{
    while (isspace((unsigned char)p->s[p->pos]))
        p->pos++;
}

/* Accept the literal token t (a word must not run on into more letters). */
static int accept(parser *p, const char *t)
{
    skip_ws(p);
    size_t n = strlen(t);
    if (strncmp(p->s + p->pos, t, n) != 0)
        return 0;
    if (isalpha((unsigned char)t[0]) &&
        (isalnum((unsigned char)p->s[p->pos + n]) || p->s[p->pos + n] == '_'))
        return 0;
    p->pos += n;
    return 1;
}

static void node_free(node *n)
{
    if (!n)
        return;
    node_free(n->a);
    node_free(n->b);
    if (n->has_re)
        regfree(&n->re);
    free(n->value);
    free(n);
}

static node *new_node(parser *p, node_kind k)
{
    node *n = calloc(1, sizeof *n);
    if (!n)
        fail(p, "out of memory");
    else
        n->kind = k;
    return n;
}

static node *parse_or(parser *p);

static int is_field_char(char c)
{
    return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-';
}

/* A value: "quoted", or a bare word/number. */
static int parse_value(parser *p, node *n)
{
    skip_ws(p);
    char buf[4096];
    size_t len = 0;
    if (p->s[p->pos] == '"') {
        p->pos++;
        for (;;) {
            char c = p->s[p->pos];
            if (c == '\0') {
                fail(p, "unterminated string");
                return -1;
            }
            p->pos++;
            if (c == '"')
                break;
            if (c == '\\' && (p->s[p->pos] == '"' || p->s[p->pos] == '\\'))
                c = p->s[p->pos++];
            if (len + 1 >= sizeof buf) {
                fail(p, "value too long");
                return -1;
            }
            buf[len++] = c;
        }
    } else {
        while (p->s[p->pos] && !isspace((unsigned char)p->s[p->pos]) && p->s[p->pos] != ')' &&
               strncmp(p->s + p->pos, "&&", 2) != 0 && strncmp(p->s + p->pos, "||", 2) != 0) {
            if (len + 1 >= sizeof buf) {
                fail(p, "value too long");
                return -1;
            }
            buf[len++] = p->s[p->pos++];
        }
        if (len == 0) {
            fail(p, "a value is missing");
            return -1;
        }
    }
    buf[len] = '\0';
    n->value = malloc(len + 1);
    if (!n->value) {
        fail(p, "out of memory");
        return -1;
    }
    memcpy(n->value, buf, len + 1);
    n->value_len = len;
    char *end;
    n->num = strtod(buf, &end);
    n->value_is_num = len > 0 && *end == '\0';
    return 0;
}

static const struct {
    const char *token;
    test_op op;
} ops[] = {
    {"==", OP_EQ}, {"!=", OP_NE}, {"<=", OP_LE}, {">=", OP_GE}, {"<", OP_LT},
    {">", OP_GT},  {"~", OP_MATCHES}, {"eq", OP_EQ}, {"ne", OP_NE}, {"le", OP_LE},
    {"ge", OP_GE}, {"lt", OP_LT}, {"gt", OP_GT}, {"contains", OP_CONTAINS},
    {"matches", OP_MATCHES},
};

static node *parse_test(parser *p)
{
    skip_ws(p);
    size_t start = p->pos;
    while (is_field_char(p->s[p->pos]))
        p->pos++;
    if (p->pos == start) {
        fail(p, "a field name is expected");
        return NULL;
    }
    char name[128];
    size_t nl = p->pos - start;
    if (nl >= sizeof name) {
        fail(p, "field name too long");
        return NULL;
    }
    memcpy(name, p->s + start, nl);
    name[nl] = '\0';
    node *n = new_node(p, N_TEST);
    if (!n)
        return NULL;
    if (field_resolve(name, &n->field) != 0) {
        char msg[200];
        snprintf(msg, sizeof msg, "unknown field \"%s\" (msnpdump --fields lists them)", name);
        p->pos = start;
        fail(p, msg);
        node_free(n);
        return NULL;
    }
    n->op = OP_EXISTS;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (accept(p, ops[i].token)) {
            n->op = ops[i].op;
            break;
        }
    }
    if (n->op == OP_EXISTS)
        return n;
    if (parse_value(p, n) != 0) {
        node_free(n);
        return NULL;
    }
    if (n->op == OP_MATCHES) {
        const char *re = n->value;
        int flags = REG_EXTENDED | REG_NOSUB;
        if (strncmp(re, "(?i)", 4) == 0) {
            flags |= REG_ICASE;
            re += 4;
        }
        if (regcomp(&n->re, re, flags) != 0) {
            fail(p, "invalid regular expression");
            node_free(n);
            return NULL;
        }
        n->has_re = 1;
    }
    return n;
}

static node *parse_unary(parser *p)
{
    if (accept(p, "!") || accept(p, "not")) {
        node *n = new_node(p, N_NOT);
        if (!n)
            return NULL;
        n->a = parse_unary(p);
        if (!n->a) {
            node_free(n);
            return NULL;
        }
        return n;
    }
    if (accept(p, "(")) {
        node *n = parse_or(p);
        if (n && !accept(p, ")")) {
            fail(p, "')' is missing");
            node_free(n);
            return NULL;
        }
        return n;
    }
    return parse_test(p);
}

static node *parse_binary(parser *p, node_kind kind, const char *sym, const char *word,
                          node *(*operand)(parser *))
{
    node *left = operand(p);
    while (left && (accept(p, sym) || accept(p, word))) {
        node *n = new_node(p, kind);
        if (!n) {
            node_free(left);
            return NULL;
        }
        n->a = left;
        n->b = operand(p);
        if (!n->b) {
            node_free(n);
            return NULL;
        }
        left = n;
    }
    return left;
}

static node *parse_and(parser *p)
{
    return parse_binary(p, N_AND, "&&", "and", parse_unary);
}

static node *parse_or(parser *p)
{
    return parse_binary(p, N_OR, "||", "or", parse_and);
}

filter *filter_compile(const char *expr, char *err, size_t errsize)
{
    parser p = {expr, 0, err, errsize, 0};
    node *root = parse_or(&p);
    skip_ws(&p);
    if (root && p.s[p.pos] != '\0')
        fail(&p, "unexpected text");
    if (p.failed) {
        node_free(root);
        return NULL;
    }
    filter *f = calloc(1, sizeof *f);
    if (!f) {
        node_free(root);
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    f->root = root;
    return f;
}

/* ---- evaluation --------------------------------------------------------- */

typedef struct eval {
    const node *n;
    int any;
    unsigned count;
} eval;

static int value_matches(const node *n, const fvalue *v)
{
    if (n->op == OP_EXISTS)
        return 1;
    if (v->type == FV_NUM && n->value_is_num) {
        switch (n->op) {
        case OP_EQ:
        case OP_NE:
            return v->num == n->num;
        case OP_LT:
            return v->num < n->num;
        case OP_LE:
            return v->num <= n->num;
        case OP_GT:
            return v->num > n->num;
        case OP_GE:
            return v->num >= n->num;
        default:
            break;
        }
    }
    char numbuf[32];
    const char *s = v->s;
    size_t len = v->n;
    if (v->type == FV_NUM) {
        len = (size_t)snprintf(numbuf, sizeof numbuf, "%.17g", v->num);
        s = numbuf;
    }
    switch (n->op) {
    case OP_EQ:
    case OP_NE:
        return len == n->value_len && memcmp(s, n->value, len) == 0;
    case OP_CONTAINS:
        if (n->value_len == 0)
            return 1;
        for (size_t i = 0; i + n->value_len <= len; i++)
            if (memcmp(s + i, n->value, n->value_len) == 0)
                return 1;
        return 0;
    case OP_MATCHES: {
        char buf[4096];
        size_t k = len < sizeof buf - 1 ? len : sizeof buf - 1;
        memcpy(buf, s, k);
        buf[k] = '\0';
        return regexec(&n->re, buf, 0, NULL, 0) == 0;
    }
    default: {
        int c = memcmp(s, n->value, len < n->value_len ? len : n->value_len);
        if (c == 0)
            c = len < n->value_len ? -1 : len > n->value_len;
        return n->op == OP_LT ? c < 0 : n->op == OP_LE ? c <= 0 : n->op == OP_GT ? c > 0 : c >= 0;
    }
    }
}

static int visit(void *ctx, const fvalue *v)
{
    eval *e = ctx;
    e->count++;
    if (value_matches(e->n, v))
        e->any = 1;
    return e->any;
}

static int eval_node(const node *n, const record *r, field_scratch *scratch)
{
    switch (n->kind) {
    case N_OR:
        return eval_node(n->a, r, scratch) || eval_node(n->b, r, scratch);
    case N_AND:
        return eval_node(n->a, r, scratch) && eval_node(n->b, r, scratch);
    case N_NOT:
        return !eval_node(n->a, r, scratch);
    default: {
        eval e = {n, 0, 0};
        field_values(&n->field, r, scratch, visit, &e);
        /* As in Wireshark, a comparison with an absent field is false. */
        return n->op == OP_NE ? e.count > 0 && !e.any : e.any;
    }
    }
}

int filter_match(const filter *f, const record *r, field_scratch *scratch)
{
    return eval_node(f->root, r, scratch);
}

void filter_free(filter *f)
{
    if (!f)
        return;
    node_free(f->root);
    free(f);
}
