/* Rendering a parsed command's meaning from its form's template.
 *
 * Template syntax (commands.h): {name} an argument, URL-decoded when the form
 * marks it '%'; {name...} it and all arguments after it, comma-separated;
 * {name:table} the argument described through a value table or a computed
 * renderer; [ ... ] an optional segment, dropped when an argument it refers
 * to is absent; {{ }} [[ ]] literal brackets. */
#include <stdio.h>
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
    int n = snprintf(tmp, sizeof tmp, "%llu", v);
    put(o, tmp, (size_t)n);
}

typedef struct render_ctx {
    const msnp_command *cmd;
    const uint8_t *base;
    const msnp_pdu *pdu;
    int missing; /* an argument referred to is absent */
} render_ctx;

static int arg_index(const render_ctx *rc, const char *name, size_t len, int *urlenc,
                     int *variadic)
{
    const char *spec = rc->cmd->form->args;
    size_t pos = 0;
    for (int k = 0; spec && spec[pos]; k++) {
        while (spec[pos] == ' ')
            pos++;
        size_t start = pos;
        while (spec[pos] && spec[pos] != ' ')
            pos++;
        const char *w = spec + start;
        size_t wl = pos - start;
        int var = wl > 3 && memcmp(w + wl - 3, "...", 3) == 0;
        if (var)
            wl -= 3;
        int enc = wl > 0 && w[wl - 1] == '%';
        if (enc)
            wl--;
        if (wl == len && memcmp(w, name, len) == 0) {
            *urlenc = enc;
            *variadic = var;
            return k;
        }
    }
    return -1;
}

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

static void put_described(out_buf *o, const render_ctx *rc, unsigned i, const char *table,
                          size_t tlen, int urlenc)
{
    msnp_span a = msnp_command_arg(rc->cmd, rc->pdu, i);
    number_renderer fn = find_renderer(table, tlen);
    if (fn) {
        if (msnp_span_is_digits(rc->base, a))
            fn(o, msnp_span_u64(rc->base, a));
        else
            put_arg(o, rc, i, urlenc);
        return;
    }
    const msnp_value_table *t = msnp_value_table_find(table, tlen);
    const char *text = t ? msnp_value_text(t, rc->base + a.off, a.len) : NULL;
    if (text) {
        puts_(o, text);
    } else {
        put_arg(o, rc, i, urlenc);
        if (t)
            puts_(o, " (unrecognised value)");
    }
}

/* Render template t[0..n) into o. Returns with rc->missing set when an
 * argument referred to is absent. */
static void render(out_buf *o, render_ctx *rc, const char *t, size_t n)
{
    size_t i = 0;
    while (i < n) {
        char ch = t[i];
        if ((ch == '{' || ch == '[' || ch == '}' || ch == ']') && i + 1 < n && t[i + 1] == ch) {
            put(o, &t[i], 1);
            i += 2;
            continue;
        }
        if (ch == '[') {
            size_t close = i + 1;
            while (close < n && !(t[close] == ']' && !(close + 1 < n && t[close + 1] == ']')))
                close += (t[close] == ']' || t[close] == '[') && close + 1 < n &&
                                 t[close + 1] == t[close]
                             ? 2
                             : 1;
            char tmp[1024];
            out_buf sub = {tmp, sizeof tmp, 0};
            tmp[0] = '\0';
            int saved = rc->missing;
            rc->missing = 0;
            render(&sub, rc, t + i + 1, close - i - 1);
            if (!rc->missing)
                put(o, tmp, sub.len);
            rc->missing = saved;
            i = close < n ? close + 1 : n;
            continue;
        }
        if (ch != '{') {
            size_t j = i;
            while (j < n && t[j] != '{' && t[j] != '[' && t[j] != '}' && t[j] != ']')
                j++;
            if (j == i)
                j++; /* a stray closing bracket: print it */
            put(o, t + i, j - i);
            i = j;
            continue;
        }
        size_t close = i + 1;
        while (close < n && t[close] != '}')
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
        int join = nlen > 3 && memcmp(name + nlen - 3, "...", 3) == 0;
        if (join)
            nlen -= 3;
        int urlenc = 0, variadic = 0;
        int k = arg_index(rc, name, nlen, &urlenc, &variadic);
        if (k < 0 || (unsigned)k >= rc->cmd->nargs) {
            rc->missing = 1;
        } else if (join) {
            for (unsigned a = (unsigned)k; a < rc->cmd->nargs; a++) {
                if (a > (unsigned)k)
                    puts_(o, ", ");
                if (table)
                    put_described(o, rc, a, table, tlen, urlenc);
                else
                    put_arg(o, rc, a, urlenc);
            }
        } else if (table) {
            put_described(o, rc, (unsigned)k, table, tlen, urlenc);
        } else {
            put_arg(o, rc, (unsigned)k, urlenc);
        }
        i = close < n ? close + 1 : n;
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
    render_ctx rc = {c, base, pdu, 0};
    render(&o, &rc, f->meaning, strlen(f->meaning));
    if (c->issues & MSNP_PI_NO_FORM)
        puts_(&o, " (unexpected on this connection or in this direction)");
    return o.len;
}
