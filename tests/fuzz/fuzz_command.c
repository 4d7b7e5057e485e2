/* Fuzz target: the command parser, the meaning renderer and the connection
 * classifier, over the command lines the framer finds in the input.
 *
 * Input: 3 bytes of parameters, then a stream of lines.
 *   byte 0  the parse context: bits 0-3 candidate roles (0: any), bits 4-5
 *           directions (0: any), bit 6 inside a SYN dump; bit 7: the stream
 *           starts mid-session
 *   byte 1  seed of which side (0 or 1) sends each line, for the classifier
 *   byte 2  a small output size for the meaning (1 + byte)
 *
 * Properties, for every command line:
 *   - the parse is consistent with the line and the table: the command, an
 *     error code and its entry, a TrID that is the second token, arguments
 *     that are the remaining tokens, argument names that msnp_command_find_arg
 *     finds again; the chosen form is one of the command's, matches the line
 *     in the context unless the parse says no form does, and the match
 *     evidence (count, roles, directions) is exactly that of the forms that
 *     match;
 *   - the meaning is never empty, is NUL-terminated within its buffer, and
 *     rendered into a smaller buffer is exactly its prefix;
 *   - a line msnp_line_looks_like_command() accepts (the resynchronisation
 *     test) is framed as a command when it arrives whole;
 * and over the sequence, the classifier's state stays coherent: candidate
 * roles never empty, a client side once certain never changes, detection
 * once positive stays positive, a role only when one candidate is left,
 * directions of the two sides opposite, and settling settles. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "msnp/msnp.h"

#define MEANING_MAX 4096

static void check_parse(const msnp_parse_ctx *ctx, const uint8_t *b, const msnp_pdu *p,
                        const msnp_command *c)
{
    const uint8_t *t0 = b + p->tok[0].off;
    int digits = p->tok[0].len == 3 && t0[0] >= '0' && t0[0] <= '9' && t0[1] >= '0' &&
                 t0[1] <= '9' && t0[2] >= '0' && t0[2] <= '9';
    FUZZ_CHECK(c->is_error == digits, "is_error %u for \"%.3s\"", c->is_error, t0);
    if (digits) {
        unsigned code = (unsigned)(t0[0] - '0') * 100 + (unsigned)(t0[1] - '0') * 10 +
                        (unsigned)(t0[2] - '0');
        FUZZ_CHECK(c->error_code == code && c->error == msnp_error_lookup(code),
                   "error %u parsed as %u", code, c->error_code);
        FUZZ_CHECK(!c->info && !c->form, "an error reply with a command entry");
        FUZZ_CHECK(!(c->issues & MSNP_PI_UNKNOWN_ERROR) == (c->error != NULL),
                   "unknown-error issue %u for a %s code", c->issues,
                   c->error ? "known" : "unknown");
    } else {
        FUZZ_CHECK(c->info == msnp_command_lookup(t0, p->tok[0].len), "wrong table entry");
        FUZZ_CHECK(!(c->issues & MSNP_PI_UNKNOWN_COMMAND) == (c->info != NULL),
                   "unknown-command issue %u", c->issues);
    }
    if (c->info) {
        unsigned nmatch = 0, roles = 0, dirs = 0;
        int chosen_is_one = c->form == NULL;
        for (unsigned i = 0; i < c->info->nforms; i++) {
            const msnp_form *f = &c->info->forms[i];
            chosen_is_one |= f == c->form;
            if (msnp_form_matches(f, b, p, ctx->roles, ctx->dirs)) {
                nmatch++;
                roles |= f->roles;
                dirs |= f->dirs;
            }
        }
        FUZZ_CHECK(chosen_is_one, "the chosen form is not one of %.3s's", c->info->name);
        FUZZ_CHECK(c->nmatch == nmatch && c->match_roles == roles && c->match_dirs == dirs,
                   "evidence %u forms roles %x dirs %x; the forms say %u, %x, %x", c->nmatch,
                   c->match_roles, c->match_dirs, nmatch, roles, dirs);
        if (nmatch)
            FUZZ_CHECK(!(c->issues & MSNP_PI_NO_FORM) && c->form &&
                           msnp_form_matches(c->form, b, p, ctx->roles, ctx->dirs),
                       "%u forms match, but the chosen one does not (issues %x)", nmatch,
                       c->issues);
        else
            FUZZ_CHECK(c->issues & MSNP_PI_NO_FORM, "no form matches; issues %x", c->issues);
    } else {
        FUZZ_CHECK(!c->form && c->nmatch == 0, "a form without a command entry");
    }
    if (c->has_trid) {
        FUZZ_CHECK(p->ntok >= 2 && msnp_span_is_digits(b, p->tok[1]) &&
                       msnp_span_u64(b, p->tok[1]) == c->trid,
                   "TrID %u is not the second token", c->trid);
        FUZZ_CHECK(c->first_arg == 2, "TrID present, first argument %u", c->first_arg);
    } else {
        FUZZ_CHECK(c->first_arg == 1, "no TrID, first argument %u", c->first_arg);
    }
    unsigned nargs = p->ntok > c->first_arg ? (unsigned)(p->ntok - c->first_arg) : 0u;
    FUZZ_CHECK(c->nargs == nargs, "%u arguments of %u tokens", c->nargs, p->ntok);
    for (unsigned i = 0; i < c->nargs; i++) {
        msnp_span a = msnp_command_arg(c, p, i);
        msnp_span t = p->tok[c->first_arg + i];
        FUZZ_CHECK(a.off == t.off && a.len == t.len, "argument %u is not token %u", i,
                   c->first_arg + i);
        const char *name;
        int enc;
        size_t nl = msnp_command_arg_name(c, i, &name, &enc);
        if (nl == 0)
            continue;
        FUZZ_CHECK(name != NULL, "a name of %zu bytes without a pointer", nl);
        char tmp[64];
        if (nl >= sizeof tmp)
            continue;
        memcpy(tmp, name, nl);
        tmp[nl] = '\0';
        int k = msnp_command_find_arg(c, p, tmp);
        FUZZ_CHECK(k >= 0 && (unsigned)k <= i, "argument %u is named %s, found at %d", i, tmp,
                   k);
    }
    FUZZ_CHECK(c->era <= MSNP_ERA_LATER, "era %u", c->era);
}

static void check_meaning(const msnp_command *c, const uint8_t *b, const msnp_pdu *p,
                          size_t small)
{
    static char big[MEANING_MAX], part[MEANING_MAX];
    memset(big, 0x5a, sizeof big);
    size_t n = msnp_render_meaning(c, b, p, big, sizeof big);
    FUZZ_CHECK(n >= 1 && n < sizeof big && big[n] == '\0', "meaning of %zu bytes", n);
    memset(part, 0x5a, sizeof part);
    size_t k = msnp_render_meaning(c, b, p, part, small);
    size_t want = n < small - 1 ? n : small - 1;
    FUZZ_CHECK(k == want && part[k] == '\0' && memcmp(part, big, k) == 0,
               "into %zu bytes: %zu bytes, expected the first %zu of \"%s\"", small, k, want,
               big);
    FUZZ_CHECK(small == sizeof part || part[small] == 0x5a, "wrote past %zu bytes", small);
}

/* The resynchronisation test and the framer agree. */
static void check_looks_like(const uint8_t *line, size_t len)
{
    if (!msnp_line_looks_like_command(line, len))
        return;
    uint8_t *buf = malloc(len + 2);
    if (!buf)
        abort();
    memcpy(buf, line, len);
    memcpy(buf + len, "\r\n", 2);
    msnp_limits lim;
    msnp_limits_default(&lim);
    if (lim.max_line < len)
        lim.max_line = (uint32_t)len;
    msnp_framer f;
    msnp_framer_init(&f, &lim, MSNP_START_AT_COMMAND);
    msnp_pdu p;
    msnp_frame_result r = msnp_framer_next(&f, buf, len + 2, &p);
    int command = r == MSNP_NEED_MORE ? p.ntok > 0 && p.eol_len > 0 : p.kind == MSNP_PDU_COMMAND;
    FUZZ_CHECK(command, "\"%.*s\" looks like a command, yet frames as result %d kind %u",
               (int)(len < 80 ? len : 80), (const char *)line, r, p.kind);
    free(buf);
}

typedef struct conn_trace {
    int8_t sure_side; /* client side once certain, else -1 */
    uint8_t detected;
} conn_trace;

static void check_conn(const msnp_conn *c, conn_trace *t)
{
    FUZZ_CHECK(c->roles != 0 && (c->roles & ~MSNP_R_ANY) == 0, "candidate roles %x", c->roles);
    if (t->sure_side >= 0)
        FUZZ_CHECK(c->client_sure && c->client_side == t->sure_side,
                   "the client side was %d for sure, now %d", t->sure_side, c->client_side);
    else if (c->client_sure)
        t->sure_side = c->client_side;
    FUZZ_CHECK(c->client_side >= -1 && c->client_side <= 1, "client side %d", c->client_side);
    if (t->detected)
        FUZZ_CHECK(c->detect == MSNP_DETECT_YES, "detection went from yes to %u", c->detect);
    t->detected = c->detect == MSNP_DETECT_YES;
    msnp_role role = msnp_conn_role(c);
    FUZZ_CHECK(role == MSNP_ROLE_UNKNOWN || (unsigned)role == c->roles,
               "role %u with candidates %x", role, c->roles);
    msnp_dir d0 = msnp_conn_dir(c, 0), d1 = msnp_conn_dir(c, 1);
    FUZZ_CHECK(c->client_side < 0 ? d0 == MSNP_DIR_UNKNOWN && d1 == MSNP_DIR_UNKNOWN
                                  : d0 != d1 && d0 != MSNP_DIR_UNKNOWN && d1 != MSNP_DIR_UNKNOWN,
               "directions %u and %u with client side %d", d0, d1, c->client_side);
}

/* A parse that skips the evidence means the same: same form, TrID,
 * arguments, era and issues, and evidence from that form alone. */
static void check_meaning_only(const msnp_parse_ctx *ctx, const uint8_t *b, const msnp_pdu *p,
                               const msnp_command *full)
{
    msnp_parse_ctx quick = *ctx;
    quick.meaning_only = 1;
    msnp_command c;
    msnp_parse_command(&quick, b, p, &c);
    FUZZ_CHECK(c.info == full->info && c.form == full->form && c.error == full->error &&
                   c.error_code == full->error_code && c.is_error == full->is_error &&
                   c.has_trid == full->has_trid && c.trid == full->trid &&
                   c.first_arg == full->first_arg && c.nargs == full->nargs &&
                   c.era == full->era && c.issues == full->issues,
               "a meaning-only parse differs from the full one");
    FUZZ_CHECK((c.nmatch != 0) == (full->nmatch != 0) && c.nmatch <= full->nmatch &&
                   (c.match_roles & ~full->match_roles) == 0 &&
                   (c.match_dirs & ~full->match_dirs) == 0,
               "meaning-only evidence %u forms roles %x dirs %x, full %u, %x, %x", c.nmatch,
               c.match_roles, c.match_dirs, full->nmatch, full->match_roles, full->match_dirs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_reader in = {data, size};
    uint8_t ctxb = fuzz_u8(&in);
    uint64_t sides = fuzz_u8(&in);
    size_t small = 1u + fuzz_u8(&in);
    msnp_parse_ctx ctx;
    ctx.roles = (ctxb & 0x0f) ? (uint8_t)(ctxb & 0x0f) : (uint8_t)MSNP_R_ANY;
    ctx.dirs = (ctxb & 0x30) ? (uint8_t)((ctxb >> 4) & 3) : (uint8_t)MSNP_D_ANY;
    ctx.in_syn_dump = (ctxb >> 6) & 1;
    ctx.meaning_only = 0;

    msnp_framer f;
    msnp_framer_init(&f, NULL, (ctxb & 0x80) ? MSNP_START_MIDSTREAM : MSNP_START_AT_COMMAND);
    msnp_conn conn;
    msnp_conn_init(&conn);
    conn_trace trace = {-1, 0};
    size_t off = 0;
    while (off < in.n) {
        const uint8_t *b = in.p + off;
        msnp_pdu p;
        msnp_frame_result r = msnp_framer_next(&f, b, in.n - off, &p);
        if (r == MSNP_NEED_MORE)
            break;
        int side = (int)(fuzz_next(&sides) & 1);
        if (p.kind == MSNP_PDU_COMMAND || p.anomaly == MSNP_ANOM_MALFORMED)
            check_looks_like(b, p.line_len);
        if (p.kind == MSNP_PDU_COMMAND) {
            msnp_command c;
            msnp_parse_command(&ctx, b, &p, &c);
            check_parse(&ctx, b, &p, &c);
            check_meaning_only(&ctx, b, &p, &c);
            check_meaning(&c, b, &p, small);
            msnp_command cc;
            msnp_conn_command(&conn, side, b, &p, &cc);
            check_meaning(&cc, b, &p, small);
            check_conn(&conn, &trace);
        } else if (p.kind == MSNP_PDU_SKIPPED) {
            msnp_conn_skipped(&conn, side, p.len);
            check_conn(&conn, &trace);
        }
        off += p.len;
    }
    msnp_conn_settle(&conn);
    FUZZ_CHECK(msnp_conn_settled(&conn), "not settled after msnp_conn_settle");
    return 0;
}
