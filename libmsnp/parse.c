/* The command parser: tokens -> command, TrID, arguments, matching form. */
#include "msnp/parse.h"

#include <string.h>

static int is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* One of the '|'-separated literals of pat, compared in one pass: every
 * form of a command is tried on every line, so no library call per
 * alternative. */
static int literal_matches(const char *pat, size_t plen, const uint8_t *v, size_t vlen)
{
    size_t i = 0;
    for (;;) {
        size_t k = 0;
        while (i < plen && pat[i] != '|' && k < vlen && pat[i] == (char)v[k]) {
            i++;
            k++;
        }
        if (k == vlen && (i == plen || pat[i] == '|'))
            return 1;
        while (i < plen && pat[i] != '|')
            i++;
        if (i == plen)
            return 0;
        i++;
    }
}

/* One pattern of a form's `match` string against argument a of base. */
static int pattern_matches(const char *pat, size_t plen, const uint8_t *base, msnp_span a)
{
    const uint8_t *v = base + a.off;
    if (plen == 1) {
        switch (pat[0]) {
        case '*':
            return 1;
        case '#':
            return msnp_span_is_digits(base, a);
        case '@':
            for (uint32_t i = 0; i < a.len; i++)
                if (v[i] == '@')
                    return 1;
            return 0;
        default:
            break;
        }
    } else if (plen == 2 && pat[0] == '!' && pat[1] == '#') {
        return !msnp_span_is_digits(base, a);
    }
    return literal_matches(pat, plen, v, a.len);
}

/* Next space-separated word of s starting at *pos; returns its length. */
static size_t next_word(const char *s, size_t *pos, const char **word)
{
    size_t i = *pos;
    while (s[i] == ' ')
        i++;
    size_t start = i;
    while (s[i] && s[i] != ' ')
        i++;
    *word = s + start;
    *pos = i;
    return i - start;
}

static int trid_token_ok(const uint8_t *base, const msnp_pdu *pdu)
{
    if (pdu->ntok < 2 || !msnp_span_is_digits(base, pdu->tok[1]))
        return 0;
    return msnp_span_u64(base, pdu->tok[1]) <= UINT32_MAX;
}

static unsigned args_start(const msnp_form *form)
{
    return form->trid == MSNP_TRID_NONE ? 1u : 2u;
}

int msnp_form_matches(const msnp_form *form, const uint8_t *base, const msnp_pdu *pdu,
                      uint8_t roles, uint8_t dirs)
{
    if (!(form->roles & roles) || !(form->dirs & dirs))
        return 0;
    switch (form->trid) {
    case MSNP_TRID_PRESENT:
        if (!trid_token_ok(base, pdu))
            return 0;
        break;
    case MSNP_TRID_ZERO:
        if (pdu->ntok < 2 || !msnp_span_eq(base, pdu->tok[1], "0"))
            return 0;
        break;
    default:
        break;
    }
    unsigned first = args_start(form);
    unsigned nargs = pdu->ntok > first ? pdu->ntok - first : 0;
    if (nargs < form->min_args)
        return 0;
    if (form->max_args != MSNP_ARGS_VARIADIC && (nargs > form->max_args || pdu->too_many_tokens))
        return 0;
    if (form->match) {
        size_t pos = 0;
        for (unsigned i = 0;; i++) {
            const char *pat;
            size_t plen = next_word(form->match, &pos, &pat);
            if (plen == 0)
                break;
            if (i >= nargs)
                return 0;
            if (!pattern_matches(pat, plen, base, pdu->tok[first + i]))
                return 0;
        }
    }
    return 1;
}

static void parse_error_reply(const uint8_t *base, const msnp_pdu *pdu, msnp_command *out)
{
    const uint8_t *c = base + pdu->tok[0].off;
    out->is_error = 1;
    out->error_code = (unsigned)(c[0] - '0') * 100 + (unsigned)(c[1] - '0') * 10 +
                      (unsigned)(c[2] - '0');
    out->error = msnp_error_lookup(out->error_code);
    if (!out->error)
        out->issues |= MSNP_PI_UNKNOWN_ERROR;
    else
        out->era = out->error->era;
    if (trid_token_ok(base, pdu)) {
        out->has_trid = 1;
        out->trid = (uint32_t)msnp_span_u64(base, pdu->tok[1]);
    }
    out->first_arg = out->has_trid ? 2 : 1;
}

/* Try every form; the first match gives the meaning, all matches give the
 * evidence. Inside a SYN dump, the dump's TrID-less forms win. */
static const msnp_form *match_forms(const msnp_command_info *ci, const msnp_parse_ctx *ctx,
                                    const uint8_t *base, const msnp_pdu *pdu,
                                    msnp_command *out)
{
    const msnp_form *chosen = NULL;
    for (unsigned i = 0; i < ci->nforms; i++) {
        const msnp_form *f = &ci->forms[i];
        if (!msnp_form_matches(f, base, pdu, ctx->roles, ctx->dirs))
            continue;
        out->nmatch++;
        out->match_roles |= f->roles;
        out->match_dirs |= f->dirs;
        if (!chosen)
            chosen = f;
        else if (ctx->in_syn_dump && (f->flags & MSNP_F_SYN_DUMP) &&
                 !(chosen->flags & MSNP_F_SYN_DUMP))
            chosen = f;
        /* No later form can displace this one. */
        if (ctx->meaning_only && (!ctx->in_syn_dump || (chosen->flags & MSNP_F_SYN_DUMP)))
            break;
    }
    return chosen;
}

void msnp_parse_command(const msnp_parse_ctx *ctx, const uint8_t *base, const msnp_pdu *pdu,
                        msnp_command *out)
{
    memset(out, 0, sizeof *out);
    out->first_arg = 1;
    if (pdu->ntok == 0)
        return;
    const uint8_t *c = base + pdu->tok[0].off;
    if (pdu->tok[0].len == 3 && is_digit(c[0]) && is_digit(c[1]) && is_digit(c[2])) {
        parse_error_reply(base, pdu, out);
        out->nargs = (uint8_t)(pdu->ntok > out->first_arg ? pdu->ntok - out->first_arg : 0);
        return;
    }

    const msnp_command_info *ci = msnp_command_lookup(c, pdu->tok[0].len);
    out->info = ci;
    if (!ci) {
        out->issues |= MSNP_PI_UNKNOWN_COMMAND;
        if (trid_token_ok(base, pdu)) {
            out->has_trid = 1;
            out->trid = (uint32_t)msnp_span_u64(base, pdu->tok[1]);
            out->first_arg = 2;
        }
        out->nargs = (uint8_t)(pdu->ntok > out->first_arg ? pdu->ntok - out->first_arg : 0);
        return;
    }
    out->era = ci->era;

    const msnp_form *form = match_forms(ci, ctx, base, pdu, out);
    if (!form && (ctx->roles != MSNP_R_ANY || ctx->dirs != MSNP_D_ANY)) {
        /* Not valid where we think we are; a form elsewhere still tells the
         * reader what the line would mean. It is not evidence. */
        msnp_parse_ctx any = *ctx;
        any.roles = MSNP_R_ANY;
        any.dirs = MSNP_D_ANY;
        msnp_command scratch;
        memset(&scratch, 0, sizeof scratch);
        form = match_forms(ci, &any, base, pdu, &scratch);
        out->issues |= MSNP_PI_NO_FORM;
    } else if (!form) {
        out->issues |= MSNP_PI_NO_FORM;
    }
    out->form = form;

    if (form) {
        if (form->era != MSNP_ERA_MSNP8)
            out->era = form->era;
        if (form->trid != MSNP_TRID_NONE) {
            out->has_trid = 1;
            out->trid = (uint32_t)msnp_span_u64(base, pdu->tok[1]);
            out->first_arg = 2;
        }
        if (pdu->has_payload && ci->len_token >= 0 && form->era == MSNP_ERA_MSNP8 &&
            (unsigned)ci->len_token != pdu->ntok - 1u)
            out->issues |= MSNP_PI_LEN_POSITION;
    } else {
        /* Show a TrID where the command has one in some form. */
        int takes_trid = 0;
        for (unsigned i = 0; i < ci->nforms; i++)
            takes_trid |= ci->forms[i].trid != MSNP_TRID_NONE;
        if (takes_trid && trid_token_ok(base, pdu)) {
            out->has_trid = 1;
            out->trid = (uint32_t)msnp_span_u64(base, pdu->tok[1]);
            out->first_arg = 2;
        }
    }
    out->nargs = (uint8_t)(pdu->ntok > out->first_arg ? pdu->ntok - out->first_arg : 0);
}

msnp_span msnp_command_arg(const msnp_command *c, const msnp_pdu *pdu, unsigned i)
{
    return msnp_pdu_token(pdu, c->first_arg + i);
}

/* A form's argument word without its marks: "name...", "name%". */
static size_t bare_name(const char *w, size_t wl, int *urlenc)
{
    if (wl > 3 && memcmp(w + wl - 3, "...", 3) == 0)
        wl -= 3;
    *urlenc = wl > 0 && w[wl - 1] == '%';
    return *urlenc ? wl - 1 : wl;
}

size_t msnp_command_arg_name(const msnp_command *c, unsigned i, const char **name, int *urlenc)
{
    *name = NULL;
    *urlenc = 0;
    if (!c->form || !c->form->args)
        return 0;
    const char *spec = c->form->args;
    size_t pos = 0;
    const char *w = NULL;
    size_t wl = 0;
    for (unsigned k = 0;; k++) {
        const char *cand;
        size_t cl = next_word(spec, &pos, &cand);
        if (cl == 0) {
            /* Past the named arguments: a variadic last name still applies. */
            if (wl > 3 && memcmp(w + wl - 3, "...", 3) == 0)
                break;
            return 0;
        }
        w = cand;
        wl = cl;
        if (k == i)
            break;
    }
    *name = w;
    return bare_name(w, wl, urlenc);
}

int msnp_form_arg_index(const msnp_form *form, const char *name, size_t len, int *urlenc)
{
    *urlenc = 0;
    if (!form || !form->args)
        return -1;
    size_t pos = 0;
    for (int i = 0;; i++) {
        const char *w;
        size_t wl = next_word(form->args, &pos, &w);
        if (wl == 0)
            return -1;
        /* The name's letters first, without a call: most words differ at once. */
        size_t k = 0;
        while (k < len && k < wl && w[k] == name[k])
            k++;
        int enc;
        if (k == len && bare_name(w, wl, &enc) == len) {
            *urlenc = enc;
            return i;
        }
    }
}

int msnp_command_find_arg(const msnp_command *c, const msnp_pdu *pdu, const char *name)
{
    (void)pdu;
    /* One walk over the form's names (msnp_command_arg_name starts over for
     * each index); a variadic last name covers the arguments after it too,
     * but is first found at its own index. */
    int enc;
    int i = msnp_form_arg_index(c->form, name, strlen(name), &enc);
    return i >= 0 && (unsigned)i < c->nargs ? i : -1;
}
