/* Rendering a parsed command's meaning from its form's template.
 *
 * Template syntax (commands.h): {name} an argument, URL-decoded when the form
 * marks it '%'; {name...} it and all arguments after it, comma-separated;
 * {name:table} the argument described through a value table or a computed
 * renderer; [ ... ] an optional segment, dropped when an argument it refers
 * to is absent; {{ }} [[ ]] literal brackets.
 *
 * Each form's template is compiled once (the first time that form is
 * rendered) into a list of operations; the cache is process-wide and not
 * thread-safe, like the rest of a decoding run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msnp/parse.h"
#include "msnp/text.h"
#include "msnp/values.h"

typedef struct out_buf {
    char *p;
    size_t size, len;
} out_buf;

static void put(out_buf *o, const char *s, size_t n)
{
    if (o->size == 0)
        return;
    size_t room = o->size - 1 - o->len;
    if (n > room)
        n = room;
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

static void puts_(out_buf *o, const char *s)
{
    put(o, s, strlen(s));
}

static void put_u64(out_buf *o, unsigned long long v)
{
    char tmp[24];
    char *first = msnp_u64_digits(v, tmp + sizeof tmp);
    put(o, first, (size_t)(tmp + sizeof tmp - first));
}

typedef struct render_ctx {
    const msnp_command *cmd;
    const uint8_t *base;
    const msnp_pdu *pdu;
} render_ctx;

static void put_arg(out_buf *o, const render_ctx *rc, unsigned i, int urlenc)
{
    msnp_span a = msnp_command_arg(rc->cmd, rc->pdu, i);
    if (urlenc) {
        char tmp[512];
        size_t n = msnp_url_decode(rc->base + a.off, a.len, tmp, sizeof tmp);
        put(o, tmp, n);
    } else {
        put(o, (const char *)rc->base + a.off, a.len);
    }
}

static void put_bits(out_buf *o, uint64_t v, const msnp_bit_name *bits, size_t n,
                     const char *none)
{
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        if (v & bits[i].bit) {
            if (!first)
                puts_(o, "+");
            puts_(o, bits[i].abbrev);
            first = 0;
            v &= ~(uint64_t)bits[i].bit;
        }
    }
    if (v) {
        if (!first)
            puts_(o, "+");
        char tmp[24];
        snprintf(tmp, sizeof tmp, "0x%llx", (unsigned long long)v);
        puts_(o, tmp);
        first = 0;
    }
    if (first)
        puts_(o, none);
}

/* Client capabilities: the top nibble is the MSNC (P2P) version. */
static void put_caps(out_buf *o, uint64_t v)
{
    uint64_t msnc = (v >> 28) & 0xF;
    uint64_t low = v & 0x0FFFFFFFu;
    if (msnc) {
        puts_(o, "MSNC");
        put_u64(o, msnc);
        if (low)
            puts_(o, "+");
    }
    if (low || !msnc) {
        const size_t n = msnp_capability_bits_count;
        put_bits(o, low, msnp_capability_bits, n, "no capabilities");
    }
}

/* Computed renderers: descriptions a value table cannot give. */
typedef void (*number_renderer)(out_buf *o, uint64_t v);

static void render_lists(out_buf *o, uint64_t v)
{
    put_bits(o, v, msnp_list_bits, msnp_list_bits_count, "no list");
}

static void render_bytes(out_buf *o, uint64_t v)
{
    put_u64(o, v);
    puts_(o, v == 1 ? " byte" : " bytes");
}

static const struct {
    const char *name;
    number_renderer fn;
} renderers[] = {
    {"lists", render_lists}, /* list bitmask -> FL+AL+RL */
    {"caps", put_caps},      /* client id -> MSNC version and capability names */
    {"bytes", render_bytes}, /* a byte count with its unit, singular or plural */
};

static number_renderer find_renderer(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof renderers / sizeof renderers[0]; i++)
        if (strlen(renderers[i].name) == len && memcmp(renderers[i].name, name, len) == 0)
            return renderers[i].fn;
    return NULL;
}

int msnp_meaning_renderer_known(const char *name, size_t len)
{
    return find_renderer(name, len) != NULL;
}

/* ---- templates, compiled once per form ------------------------------- */

/* A template becomes a list of operations when a form is first rendered: the
 * argument names, tables and renderers are looked up once, not per line. */
enum { OP_LIT, OP_ARG, OP_GROUP };
#define NO_ARG 255
#define MAX_OPS 96

typedef struct op {
    uint8_t kind;
    uint8_t arg;    /* OP_ARG: argument index, NO_ARG when the form has none */
    uint8_t urlenc; /* OP_ARG: URL-decode the value */
    uint8_t join;   /* OP_ARG: this and every later argument, comma-separated */
    uint8_t need;   /* OP_GROUP: arguments its parts need (NO_ARG: never shown) */
    uint16_t off, len; /* OP_LIT: bytes of the template; OP_GROUP: ops inside */
    const msnp_value_table *table; /* OP_ARG described through a value table */
    number_renderer fn;            /* or through a computed renderer */
} op;

typedef struct compiled {
    const msnp_form *form;
    unsigned n;
    op ops[MAX_OPS];
} compiled;

/* The form's argument named name[0..len): index, or NO_ARG. */
static uint8_t find_arg(const msnp_form *f, const char *name, size_t len, uint8_t *urlenc)
{
    int enc;
    int k = msnp_form_arg_index(f, name, len, &enc);
    if (k < 0 || k >= NO_ARG)
        return NO_ARG;
    *urlenc = (uint8_t)enc;
    return (uint8_t)k;
}

static op *add_op(compiled *cf, uint8_t kind)
{
    if (cf->n == MAX_OPS)
        return NULL;
    op *o = &cf->ops[cf->n++];
    memset(o, 0, sizeof *o);
    o->kind = kind;
    return o;
}

/* Compile t[from..to) into cf->ops; returns the largest argument index used
 * plus one (NO_ARG when a name is unknown to the form). */
static unsigned compile_span(compiled *cf, const char *t, size_t from, size_t to)
{
    unsigned need = 0;
    size_t i = from;
    while (i < to) {
        char ch = t[i];
        if ((ch == '{' || ch == '[' || ch == '}' || ch == ']') && i + 1 < to && t[i + 1] == ch) {
            op *o = add_op(cf, OP_LIT);
            if (o) {
                o->off = (uint16_t)i;
                o->len = 1;
            }
            i += 2;
            continue;
        }
        if (ch == '[') {
            size_t close = i + 1;
            while (close < to && !(t[close] == ']' && !(close + 1 < to && t[close + 1] == ']')))
                close += (t[close] == ']' || t[close] == '[') && close + 1 < to &&
                                 t[close + 1] == t[close]
                             ? 2
                             : 1;
            op *g = add_op(cf, OP_GROUP);
            unsigned first = cf->n;
            unsigned inner = compile_span(cf, t, i + 1, close);
            if (g) {
                g->len = (uint16_t)(cf->n - first);
                g->need = (uint8_t)(inner > NO_ARG ? NO_ARG : inner);
            }
            i = close < to ? close + 1 : to;
            continue;
        }
        if (ch != '{') {
            size_t j = i;
            while (j < to && t[j] != '{' && t[j] != '[' && t[j] != '}' && t[j] != ']')
                j++;
            if (j == i)
                j++; /* a stray closing bracket: shown as it is */
            op *o = add_op(cf, OP_LIT);
            if (o) {
                o->off = (uint16_t)i;
                o->len = (uint16_t)(j - i);
            }
            i = j;
            continue;
        }
        size_t close = i + 1;
        while (close < to && t[close] != '}')
            close++;
        const char *name = t + i + 1;
        size_t nlen = close - i - 1;
        const char *table = memchr(name, ':', nlen);
        size_t tlen = 0;
        if (table) {
            tlen = (size_t)(name + nlen - table - 1);
            nlen = (size_t)(table - name);
            table++;
        }
        op *o = add_op(cf, OP_ARG);
        if (o) {
            o->join = nlen > 3 && memcmp(name + nlen - 3, "...", 3) == 0;
            if (o->join)
                nlen -= 3;
            o->arg = find_arg(cf->form, name, nlen, &o->urlenc);
            if (table) {
                o->fn = find_renderer(table, tlen);
                if (!o->fn)
                    o->table = msnp_value_table_find(table, tlen);
            }
            unsigned used = o->arg == NO_ARG ? NO_ARG + 1u : o->arg + 1u;
            if (used > need)
                need = used;
        }
        i = close < to ? close + 1 : to;
    }
    return need;
}

/* The compiled template of a form, compiled on first use. The cache holds
 * every form of the table (a few hundred); a form that does not fit is
 * compiled on the stack each time. */
#define CACHE_SIZE 1024
static compiled *cache[CACHE_SIZE];

static const compiled *compiled_for(const msnp_form *f, compiled *scratch)
{
    size_t h = ((uintptr_t)f >> 4) % CACHE_SIZE;
    for (size_t probe = 0; probe < CACHE_SIZE; probe++) {
        compiled *c = cache[(h + probe) % CACHE_SIZE];
        if (!c)
            break;
        if (c->form == f)
            return c;
    }
    compiled *cf = malloc(sizeof *cf);
    if (!cf)
        cf = scratch;
    cf->form = f;
    cf->n = 0;
    compile_span(cf, f->meaning, 0, strlen(f->meaning));
    if (cf == scratch)
        return cf;
    for (size_t probe = 0; probe < CACHE_SIZE; probe++) {
        compiled **slot = &cache[(h + probe) % CACHE_SIZE];
        if (!*slot) {
            *slot = cf;
            return cf;
        }
    }
    *scratch = *cf;
    free(cf);
    return scratch;
}

static void put_described(out_buf *o, const render_ctx *rc, const op *p, unsigned i)
{
    msnp_span a = msnp_command_arg(rc->cmd, rc->pdu, i);
    if (p->fn) {
        if (msnp_span_is_digits(rc->base, a))
            p->fn(o, msnp_span_u64(rc->base, a));
        else
            put_arg(o, rc, i, p->urlenc);
        return;
    }
    const char *text = p->table ? msnp_value_text(p->table, rc->base + a.off, a.len) : NULL;
    if (text) {
        puts_(o, text);
    } else {
        put_arg(o, rc, i, p->urlenc);
        if (p->table)
            puts_(o, " (unrecognised value)");
    }
}

static void put_value(out_buf *o, const render_ctx *rc, const op *p, unsigned i)
{
    if (p->fn || p->table)
        put_described(o, rc, p, i);
    else
        put_arg(o, rc, i, p->urlenc);
}

static void run(out_buf *o, const render_ctx *rc, const compiled *cf, unsigned from, unsigned to)
{
    const char *t = cf->form->meaning;
    unsigned nargs = rc->cmd->nargs;
    for (unsigned i = from; i < to && i < cf->n; i++) {
        const op *p = &cf->ops[i];
        switch (p->kind) {
        case OP_LIT:
            put(o, t + p->off, p->len);
            break;
        case OP_ARG:
            if (p->arg >= nargs)
                break; /* absent: nothing (optional parts are dropped whole) */
            put_value(o, rc, p, p->arg);
            for (unsigned a = p->arg + 1u; p->join && a < nargs; a++) {
                puts_(o, ", ");
                put_value(o, rc, p, a);
            }
            break;
        case OP_GROUP:
            if (p->need != NO_ARG && p->need <= nargs)
                run(o, rc, cf, i + 1, i + 1 + p->len);
            i += p->len;
            break;
        }
    }
}

static void render_error(out_buf *o, const msnp_command *c)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "error %03u", c->error_code);
    puts_(o, tmp);
    if (c->error) {
        puts_(o, ": ");
        puts_(o, c->error->meaning);
    } else {
        puts_(o, ": an error code no source documents");
    }
}

size_t msnp_render_meaning(const msnp_command *c, const uint8_t *base, const msnp_pdu *pdu,
                           char *outp, size_t size)
{
    out_buf o = {outp, size, 0};
    if (size == 0)
        return 0;
    outp[0] = '\0';
    if (c->is_error) {
        render_error(&o, c);
        return o.len;
    }
    if (!c->info) {
        puts_(&o, "unknown command ");
        if (pdu->ntok)
            put(&o, (const char *)base + pdu->tok[0].off, pdu->tok[0].len);
        puts_(&o, ": not part of MSNP8 nor of any later version in msnpdump's table");
        return o.len;
    }
    const msnp_form *f = c->form;
    char era[64];
    const char *label = msnp_era_label(f && f->era != 0 ? f->era : c->info->era,
                                       f && f->since ? f->since : c->info->since, era,
                                       sizeof era);
    if (label) {
        puts_(&o, label);
        puts_(&o, ": ");
    }
    if (!f) {
        puts_(&o, c->info->summary);
        puts_(&o, " (arguments fit none of its known forms)");
        return o.len;
    }
    render_ctx rc = {c, base, pdu};
    compiled scratch;
    const compiled *cf = compiled_for(f, &scratch);
    run(&o, &rc, cf, 0, cf->n);
    if (c->issues & MSNP_PI_NO_FORM)
        puts_(&o, " (unexpected on this connection or in this direction)");
    return o.len;
}
