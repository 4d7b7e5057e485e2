/* The semantic tables (libmsnp/command_table.c, errors.c, values.c) checked
 * against themselves, against the protocol reference's command lists, and
 * against the real framer and parser: every form's example line must frame as
 * the form says (payload or not) and parse to exactly that form.
 *
 * Usage: test_tables [-v]   (-v prints every example with its meaning) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "msnp/commands.h"
#include "msnp/errors.h"
#include "msnp/framer.h"
#include "msnp/parse.h"
#include "msnp/values.h"

static int verbose;

/* ---- The reference's command lists (§3, §5, §7, §2.5) --------------------- */

typedef struct expected_cmd {
    const char *name;
    uint8_t role; /* a role the command must have an MSNP8 form in */
} expected_cmd;

static const expected_cmd msnp8_commands[] = {
    /* §3 notification / dispatch server */
    {"VER", MSNP_R_NS}, {"CVR", MSNP_R_NS}, {"USR", MSNP_R_NS}, {"XFR", MSNP_R_NS},
    {"SYN", MSNP_R_NS}, {"GTC", MSNP_R_NS}, {"BLP", MSNP_R_NS}, {"PRP", MSNP_R_NS},
    {"LSG", MSNP_R_NS}, {"LST", MSNP_R_NS}, {"BPR", MSNP_R_NS}, {"ADD", MSNP_R_NS},
    {"REM", MSNP_R_NS}, {"ADG", MSNP_R_NS}, {"RMG", MSNP_R_NS}, {"REG", MSNP_R_NS},
    {"REA", MSNP_R_NS}, {"CHG", MSNP_R_NS}, {"ILN", MSNP_R_NS}, {"NLN", MSNP_R_NS},
    {"FLN", MSNP_R_NS}, {"CHL", MSNP_R_NS}, {"QRY", MSNP_R_NS}, {"PNG", MSNP_R_NS},
    {"QNG", MSNP_R_NS}, {"RNG", MSNP_R_NS}, {"MSG", MSNP_R_NS}, {"NOT", MSNP_R_NS},
    {"PAG", MSNP_R_NS}, {"IPG", MSNP_R_NS}, {"URL", MSNP_R_NS}, {"SND", MSNP_R_NS},
    {"SDC", MSNP_R_NS}, {"IMS", MSNP_R_NS}, {"OUT", MSNP_R_NS},
    /* the dispatch server speaks VER, CVR, USR and XFR */
    {"VER", MSNP_R_DS}, {"CVR", MSNP_R_DS}, {"USR", MSNP_R_DS}, {"XFR", MSNP_R_DS},
    /* §5 switchboard */
    {"USR", MSNP_R_SB}, {"CAL", MSNP_R_SB}, {"JOI", MSNP_R_SB}, {"ANS", MSNP_R_SB},
    {"IRO", MSNP_R_SB}, {"MSG", MSNP_R_SB}, {"ACK", MSNP_R_SB}, {"NAK", MSNP_R_SB},
    {"BYE", MSNP_R_SB}, {"OUT", MSNP_R_SB},
    /* §7 MSNFTP */
    {"VER", MSNP_R_FTP}, {"USR", MSNP_R_FTP}, {"FIL", MSNP_R_FTP}, {"TFR", MSNP_R_FTP},
    {"BYE", MSNP_R_FTP}, {"CCL", MSNP_R_FTP},
};

static const char *const earlier_commands[] = {"INF", "CVQ", "FND"};

static const char *const later_commands[] = {
    "PGD", "ADC", "SBP", "UUX", "UBX", "GCF", "SBS", "ADL", "RML", "FQY",
    "UUN", "UBN", "UUM", "UBM", "NFY", "PUT", "DEL", "SDG", "VAS",
};

/* §2.4/§2.5 payload commands and their rule. */
typedef struct expected_payload {
    const char *name;
    uint8_t rule;
} expected_payload;

static const expected_payload payload_commands[] = {
    {"MSG", MSNP_PL_LAST}, {"NOT", MSNP_PL_LAST}, {"IPG", MSNP_PL_LAST},
    {"UBX", MSNP_PL_LAST}, {"UBN", MSNP_PL_LAST}, {"UBM", MSNP_PL_LAST},
    {"QRY", MSNP_PL_LAST_NUMERIC}, {"PAG", MSNP_PL_LAST_NUMERIC},
    {"SDC", MSNP_PL_LAST_NUMERIC}, {"GCF", MSNP_PL_LAST_NUMERIC},
    {"UUX", MSNP_PL_LAST_NUMERIC}, {"ADL", MSNP_PL_LAST_NUMERIC},
    {"RML", MSNP_PL_LAST_NUMERIC}, {"FQY", MSNP_PL_LAST_NUMERIC},
    {"UUN", MSNP_PL_LAST_NUMERIC}, {"UUM", MSNP_PL_LAST_NUMERIC},
    {"PGD", MSNP_PL_LAST_NUMERIC}, {"NFY", MSNP_PL_LAST_NUMERIC},
    {"PUT", MSNP_PL_LAST_NUMERIC}, {"DEL", MSNP_PL_LAST_NUMERIC},
    {"SDG", MSNP_PL_LAST_NUMERIC}, {"VAS", MSNP_PL_LAST_NUMERIC},
};

/* §11: every code of the table. */
static const unsigned reference_errors[] = {
    200, 201, 205, 206, 207, 208, 209, 210, 213, 215, 216, 217, 218, 219, 223, 224,
    225, 229, 230, 231, 240, 241, 280, 281, 282, 300, 301, 302, 402, 403, 500, 501,
    502, 503, 510, 511, 520, 540, 600, 601, 602, 603, 604, 605, 700, 701, 707, 710,
    711, 712, 713, 714, 715, 717, 731, 800, 910, 911, 912, 913, 914, 915, 916, 917,
    918, 919, 920, 921, 922, 923, 924, 928, 931,
};
/* §11 [?] and §13: codes whose meaning is uncertain. */
static const unsigned uncertain_errors[] = {213, 231, 282, 503, 511, 700, 701, 715, 731, 931};

static const char *const required_tables[] = {
    "status", "list", "ack", "property", "gtc", "blp", "url_service", "out_reason",
    "ims", "ftp_bye", "sb_bye", "verified", "restricted", "app_guid", "cancel_code",
    "os_type", "locale", "stage", "auth_method",
};

/* Names that would split the field vocabulary (use user, nick, payload_len, ...). */
static const char *const banned_arg_names[] = {
    "handle", "passport", "nickname", "friendly_name", "name", "email", "account",
    "trid", "length", "len", "size", "ver", "group", "caps", "capabilities", "lcid",
};

/* ---- Helpers ----------------------------------------------------------------- */

static const msnp_command_info *find_command(const char *name)
{
    return msnp_command_lookup((const uint8_t *)name, strlen(name));
}

/* One parsed name of a form's `args`. */
typedef struct arg_name {
    char name[48];
    int urlenc;
    int variadic;
} arg_name;

/* Split `args` into names; returns the count, or -1 when malformed. */
static int parse_args(const char *spec, arg_name *out, int max)
{
    int n = 0;
    const char *p = spec;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *s = p;
        while (*p && *p != ' ')
            p++;
        size_t len = (size_t)(p - s);
        if (n >= max || len >= sizeof out[n].name)
            return -1;
        arg_name *a = &out[n];
        memset(a, 0, sizeof *a);
        if (len > 3 && memcmp(s + len - 3, "...", 3) == 0) {
            a->variadic = 1;
            len -= 3;
        }
        if (len > 0 && s[len - 1] == '%') {
            a->urlenc = 1;
            len--;
        }
        if (len == 0 || !(s[0] >= 'a' && s[0] <= 'z'))
            return -1;
        for (size_t i = 0; i < len; i++) {
            char c = s[i];
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
                return -1;
        }
        memcpy(a->name, s, len);
        a->name[len] = '\0';
        n++;
    }
    return n;
}

static int count_words(const char *s)
{
    int n = 0;
    while (*s) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        n++;
        while (*s && *s != ' ')
            s++;
    }
    return n;
}

static int is_computed_renderer(const char *t, size_t n)
{
    return msnp_meaning_renderer_known(t, n);
}

static void form_label(const msnp_command_info *ci, const msnp_form *f, char *buf, size_t n)
{
    snprintf(buf, n, "%s form %d (%s)", ci->name, (int)(f - ci->forms) + 1, f->example);
}

/* ---- Command table: structure ----------------------------------------------- */

static void check_command_rows(void)
{
    size_t n = msnp_command_count();
    CHECK(n >= 60);
    for (size_t i = 0; i < n; i++) {
        const msnp_command_info *ci = msnp_command_at(i);
        CHECK(ci != NULL);
        if (!ci)
            return;
        const char *nm = ci->name;
        CHECK_MSG(strlen(nm) == 3 && nm[0] >= 'A' && nm[0] <= 'Z' && nm[1] >= 'A' &&
                      nm[1] <= 'Z' && nm[2] >= 'A' && nm[2] <= 'Z',
                  "bad command name \"%s\"", nm);
        if (i > 0)
            CHECK_MSG(strcmp(msnp_command_at(i - 1)->name, nm) < 0,
                      "table not sorted or duplicate at %s", nm);
        CHECK_MSG(find_command(nm) == ci, "lookup of %s", nm);
        CHECK_MSG(msnp_command_index(ci) == i, "index of %s", nm);
        CHECK_MSG(ci->summary && ci->summary[0], "%s: no summary", nm);
        CHECK_MSG(ci->explanation && strlen(ci->explanation) >= 150,
                  "%s: the explanation should be a real paragraph", nm);
        CHECK_MSG(ci->forms && ci->nforms > 0, "%s: no forms", nm);
        CHECK_MSG((ci->era == MSNP_ERA_MSNP8) == (ci->since == NULL),
                  "%s: since must be set exactly for non-MSNP8 commands", nm);
        CHECK_MSG(ci->payload <= MSNP_PL_LAST_NUMERIC, "%s: payload rule", nm);
        if (ci->payload == MSNP_PL_LAST_NUMERIC)
            CHECK_MSG(ci->pl_min_tokens >= 2, "%s: pl_min_tokens", nm);
        if (ci->payload == MSNP_PL_NONE)
            CHECK_MSG(ci->len_token == -1, "%s: len_token without payload", nm);
        else if (ci->era == MSNP_ERA_MSNP8)
            CHECK_MSG(ci->len_token > 0, "%s: MSNP8 payload command needs len_token", nm);
        uint8_t roles = 0;
        for (unsigned k = 0; k < ci->nforms; k++)
            roles |= ci->forms[k].roles;
        CHECK_MSG(roles == ci->roles, "%s: roles 0x%x, union of forms 0x%x", nm,
                  (unsigned)ci->roles, (unsigned)roles);
    }
    uint8_t bogus[3] = {'Z', 'Z', 'Z'};
    CHECK(msnp_command_lookup(bogus, 3) == NULL);
    CHECK(msnp_command_lookup((const uint8_t *)"MS", 2) == NULL);
    CHECK(msnp_command_at(n) == NULL);
    /* A row copied out of the table is not a row of it. */
    msnp_command_info copy = *msnp_command_at(0);
    CHECK(msnp_command_index(&copy) == n);
    CHECK(msnp_command_index(NULL) == n);
}

/* Check one meaning template against the form's argument names. */
static void check_template(const msnp_command_info *ci, const msnp_form *f,
                           const arg_name *args, int nargs)
{
    char lbl[200];
    form_label(ci, f, lbl, sizeof lbl);
    const char *t = f->meaning;
    CHECK_MSG(t && t[0], "%s: empty meaning", lbl);
    if (!t)
        return;
    int in_opt = 0, refs_in_opt = 0, text = 0;
    for (size_t i = 0; t[i]; i++) {
        char c = t[i];
        if ((c == '{' || c == '}' || c == '[' || c == ']') && t[i + 1] == c) {
            i++;
            text = 1;
            continue;
        }
        if (c == '[') {
            CHECK_MSG(!in_opt, "%s: nested [ in meaning", lbl);
            in_opt = 1;
            refs_in_opt = 0;
            continue;
        }
        if (c == ']') {
            CHECK_MSG(in_opt, "%s: stray ] in meaning (write ]])", lbl);
            CHECK_MSG(refs_in_opt, "%s: optional segment without an argument", lbl);
            in_opt = 0;
            continue;
        }
        if (c == '}') {
            CHECK_MSG(0, "%s: stray } in meaning (write }})", lbl);
            continue;
        }
        if (c != '{') {
            text = 1;
            continue;
        }
        const char *s = t + i + 1;
        const char *e = strchr(s, '}');
        CHECK_MSG(e != NULL, "%s: unterminated {", lbl);
        if (!e)
            return;
        size_t len = (size_t)(e - s);
        const char *colon = memchr(s, ':', len);
        size_t nlen = colon ? (size_t)(colon - s) : len;
        int join = nlen > 3 && memcmp(s + nlen - 3, "...", 3) == 0;
        if (join)
            nlen -= 3;
        int k;
        for (k = 0; k < nargs; k++)
            if (strlen(args[k].name) == nlen && memcmp(args[k].name, s, nlen) == 0)
                break;
        CHECK_MSG(k < nargs, "%s: meaning refers to {%.*s}, not an argument", lbl,
                  (int)nlen, s);
        if (k < nargs) {
            CHECK_MSG(join == args[k].variadic,
                      "%s: {%s...} is for variadic names only, and a variadic name "
                      "needs ...",
                      lbl, args[k].name);
            /* An argument that may be absent belongs in an optional segment. */
            if (!args[k].variadic && k >= f->min_args)
                CHECK_MSG(in_opt, "%s: optional argument {%s} outside [ ]", lbl,
                          args[k].name);
            if (args[k].variadic && k >= f->min_args)
                CHECK_MSG(in_opt, "%s: possibly empty {%s...} outside [ ]", lbl,
                          args[k].name);
        }
        if (colon) {
            const char *tb = colon + 1;
            size_t tl = (size_t)(e - tb);
            CHECK_MSG(is_computed_renderer(tb, tl) || msnp_value_table_find(tb, tl),
                      "%s: unknown value table \"%.*s\"", lbl, (int)tl, tb);
        }
        refs_in_opt |= in_opt;
        i = (size_t)(e - t);
    }
    CHECK_MSG(!in_opt, "%s: unterminated [ in meaning", lbl);
    CHECK_MSG(text, "%s: meaning has no text of its own", lbl);
}

static void check_forms(void)
{
    for (size_t i = 0; i < msnp_command_count(); i++) {
        const msnp_command_info *ci = msnp_command_at(i);
        for (unsigned k = 0; k < ci->nforms; k++) {
            const msnp_form *f = &ci->forms[k];
            char lbl[200];
            form_label(ci, f, lbl, sizeof lbl);
            CHECK_MSG(f->match && f->args && f->meaning && f->example, "%s: NULL field",
                      lbl);
            if (!f->match || !f->args || !f->meaning || !f->example)
                continue;
            CHECK_MSG(f->roles != 0 && (f->roles & ~MSNP_R_ANY) == 0, "%s: roles", lbl);
            CHECK_MSG(f->dirs != 0 && (f->dirs & ~MSNP_D_ANY) == 0, "%s: dirs", lbl);
            CHECK_MSG(f->trid <= MSNP_TRID_NONE, "%s: trid rule", lbl);
            CHECK_MSG(f->min_args <= f->max_args, "%s: min_args > max_args", lbl);
            CHECK_MSG((f->era == MSNP_ERA_MSNP8) == (f->since == NULL),
                      "%s: since must be set exactly for non-MSNP8 forms", lbl);
            if (ci->era != MSNP_ERA_MSNP8)
                CHECK_MSG(f->era == ci->era, "%s: form era differs from its command's",
                          lbl);
            if (f->flags & MSNP_F_SYN_DUMP)
                CHECK_MSG(f->trid == MSNP_TRID_NONE && f->dirs == MSNP_D_S2C &&
                              f->roles == MSNP_R_NS,
                          "%s: SYN-dump lines are TrID-less NS server lines", lbl);
            if (f->flags & (MSNP_F_ASYNC | MSNP_F_ENDS_REPLY))
                CHECK_MSG(f->dirs == MSNP_D_S2C, "%s: async/ends-reply lines are s2c", lbl);
            if (f->flags & MSNP_F_ASYNC)
                CHECK_MSG(f->trid != MSNP_TRID_PRESENT,
                          "%s: async lines carry no TrID or TrID 0", lbl);
            if (f->flags & MSNP_F_LEGACY)
                CHECK_MSG(f->era == MSNP_ERA_EARLIER, "%s: legacy forms are earlier-era",
                          lbl);
            CHECK_MSG(strchr(f->example, '\r') == NULL && strchr(f->example, '\n') == NULL,
                      "%s: example contains a line end", lbl);
            CHECK_MSG(strncmp(f->example, ci->name, 3) == 0 &&
                          (f->example[3] == ' ' || f->example[3] == '\0'),
                      "%s: example does not start with %s", lbl, ci->name);

            arg_name args[40];
            int nargs = parse_args(f->args, args, 40);
            CHECK_MSG(nargs >= 0, "%s: malformed args \"%s\"", lbl, f->args);
            if (nargs < 0)
                continue;
            for (int a = 0; a < nargs; a++) {
                if (args[a].variadic)
                    CHECK_MSG(a == nargs - 1, "%s: only the last name may be variadic", lbl);
                for (int b = 0; b < a; b++)
                    CHECK_MSG(strcmp(args[a].name, args[b].name) != 0,
                              "%s: duplicate argument name %s", lbl, args[a].name);
                for (size_t b = 0; b < sizeof banned_arg_names / sizeof *banned_arg_names;
                     b++)
                    CHECK_MSG(strcmp(args[a].name, banned_arg_names[b]) != 0,
                              "%s: argument name \"%s\" splits the field vocabulary", lbl,
                              args[a].name);
            }
            int variadic = nargs > 0 && args[nargs - 1].variadic;
            if (variadic)
                CHECK_MSG(f->max_args == MSNP_ARGS_VARIADIC && f->min_args >= nargs - 1,
                          "%s: a variadic name needs max_args V and min_args >= the fixed "
                          "names",
                          lbl);
            else
                CHECK_MSG(f->max_args != MSNP_ARGS_VARIADIC && nargs == f->max_args,
                          "%s: %d names for max_args %u", lbl, nargs, (unsigned)f->max_args);
            int npat = count_words(f->match);
            CHECK_MSG(npat <= f->min_args || (variadic && npat <= nargs),
                      "%s: match constrains %d arguments, the form guarantees %u", lbl, npat,
                      (unsigned)f->min_args);
            /* payload_len is always the last argument, and only payload commands
             * have it. */
            for (int a = 0; a < nargs; a++)
                if (strcmp(args[a].name, "payload_len") == 0) {
                    CHECK_MSG(a == nargs - 1 && !variadic,
                              "%s: payload_len must be the last, fixed argument", lbl);
                    CHECK_MSG(ci->payload != MSNP_PL_NONE,
                              "%s: payload_len in a command without payload rule", lbl);
                }
            check_template(ci, f, args, nargs);
        }
    }
}

/* ---- Every example frames and parses to its own form ------------------------ */

static int last_arg_is_payload_len(const msnp_form *f)
{
    const char *a = f->args;
    size_t n = strlen(a);
    return n >= 11 && strcmp(a + n - 11, "payload_len") == 0 &&
           (n == 11 || a[n - 12] == ' ');
}

static void parse_example(const msnp_command_info *ci, const msnp_form *f, uint8_t dir,
                          int in_syn_dump)
{
    char lbl[240];
    form_label(ci, f, lbl, sizeof lbl);
    size_t line_len = strlen(f->example);
    uint64_t n = 0;
    if (last_arg_is_payload_len(f)) {
        const char *sp = strrchr(f->example, ' ');
        n = sp ? strtoull(sp + 1, NULL, 10) : 0;
    }
    size_t total = line_len + 2 + (size_t)n;
    uint8_t *buf = malloc(total + 1);
    if (!buf)
        return;
    memcpy(buf, f->example, line_len);
    memcpy(buf + line_len, "\r\n", 2);
    memset(buf + line_len + 2, 'x', (size_t)n);

    msnp_framer fr;
    msnp_framer_init(&fr, NULL, MSNP_START_AT_COMMAND);
    msnp_pdu pdu;
    memset(&pdu, 0, sizeof pdu);
    msnp_frame_result r = msnp_framer_next(&fr, buf, total, &pdu);
    CHECK_MSG(r == MSNP_PDU && pdu.kind == MSNP_PDU_COMMAND && pdu.anomaly == MSNP_ANOM_NONE,
              "%s: framer result %d kind %d anomaly %d", lbl, (int)r, (int)pdu.kind,
              (int)pdu.anomaly);
    if (r != MSNP_PDU) {
        free(buf);
        return;
    }
    CHECK_MSG(pdu.len == total && pdu.has_payload == last_arg_is_payload_len(f),
              "%s: framed %u bytes (payload %d) for a %zu-byte line%s", lbl,
              (unsigned)pdu.len, (int)pdu.has_payload, total,
              last_arg_is_payload_len(f) ? " with payload" : " without payload");

    msnp_parse_ctx ctx = {f->roles, dir, (uint8_t)in_syn_dump, 0};
    msnp_command cmd;
    msnp_parse_command(&ctx, buf, &pdu, &cmd);
    CHECK_MSG(cmd.info == ci, "%s: parsed as command %s", lbl,
              cmd.info ? cmd.info->name : "(none)");
    if (cmd.form != f) {
        int got = cmd.form && cmd.info ? (int)(cmd.form - cmd.info->forms) + 1 : 0;
        CHECK_MSG(0, "%s: dir %s syn %d: parsed as form %d (\"%s\")", lbl,
                  msnp_dir_name((msnp_dir)dir), in_syn_dump, got,
                  cmd.form ? cmd.form->example : "no form");
    }
    CHECK_MSG(cmd.issues == 0, "%s: parse issues 0x%x", lbl, (unsigned)cmd.issues);
    CHECK_MSG(cmd.era == f->era, "%s: era %u, form era %u", lbl, (unsigned)cmd.era,
              (unsigned)f->era);
    CHECK_MSG((cmd.match_roles & f->roles) && (cmd.match_dirs & dir), "%s: evidence", lbl);
    msnp_parse_ctx quick = ctx;
    quick.meaning_only = 1;
    msnp_command meant;
    msnp_parse_command(&quick, buf, &pdu, &meant);
    CHECK_MSG(meant.form == cmd.form && meant.issues == cmd.issues && meant.nmatch >= 1,
              "%s: dir %s syn %d: a meaning-only parse chose another form", lbl,
              msnp_dir_name((msnp_dir)dir), in_syn_dump);

    char meaning[1024];
    size_t ml = msnp_render_meaning(&cmd, buf, &pdu, meaning, sizeof meaning);
    CHECK_MSG(ml > 0, "%s: empty meaning", lbl);
    CHECK_MSG(strstr(meaning, "(unrecognised value)") == NULL,
              "%s: example value missing from a value table: %s", lbl, meaning);
    CHECK_MSG(strstr(meaning, "(unexpected on this connection") == NULL, "%s: %s", lbl,
              meaning);
    if (verbose)
        printf("%-4s %-3s %-3s | %s\n       -> %s\n",
               msnp_role_name((msnp_role)(f->roles & MSNP_R_SB   ? MSNP_R_SB
                                          : f->roles & MSNP_R_NS ? MSNP_R_NS
                                          : f->roles & MSNP_R_FTP ? MSNP_R_FTP
                                                                 : MSNP_R_DS)),
               msnp_dir_name((msnp_dir)dir), in_syn_dump ? "syn" : "", f->example, meaning);
    free(buf);
}

static void check_examples(void)
{
    for (size_t i = 0; i < msnp_command_count(); i++) {
        const msnp_command_info *ci = msnp_command_at(i);
        for (unsigned k = 0; k < ci->nforms; k++) {
            const msnp_form *f = &ci->forms[k];
            if (!f->example)
                continue;
            for (uint8_t dir = MSNP_D_C2S; dir <= MSNP_D_S2C; dir <<= 1) {
                if (!(f->dirs & dir))
                    continue;
                int dump = (f->flags & MSNP_F_SYN_DUMP) != 0;
                parse_example(ci, f, dir, dump);
                /* The other SYN state must not change the answer either: the
                 * dump's line shapes are disjoint from the other forms'. */
                if (f->roles & MSNP_R_NS)
                    parse_example(ci, f, dir, !dump);
            }
        }
    }
}

/* ---- Near misses: the form patterns and argument names ----------------------- */

static const msnp_form *form_of(const char *cmd, const char *example)
{
    const msnp_command_info *ci = find_command(cmd);
    for (unsigned k = 0; ci && k < ci->nforms; k++)
        if (ci->forms[k].example && strcmp(ci->forms[k].example, example) == 0)
            return &ci->forms[k];
    CHECK_MSG(0, "no %s form with example \"%s\"", cmd, example);
    return NULL;
}

/* Does `line` (without CR LF) fit form f, anywhere the form is valid? */
static int fits(const msnp_form *f, const char *line)
{
    size_t n = strlen(line);
    uint8_t buf[256];
    if (!f || n + 2 > sizeof buf)
        return -1;
    memcpy(buf, line, n);
    memcpy(buf + n, "\r\n", 2);
    msnp_framer fr;
    msnp_framer_init(&fr, NULL, MSNP_START_AT_COMMAND);
    msnp_pdu pdu;
    memset(&pdu, 0, sizeof pdu);
    /* A length-counted line without its payload still frames its line. */
    if (msnp_framer_next(&fr, buf, n + 2, &pdu) == MSNP_NEED_MORE && pdu.ntok == 0)
        return -1;
    return msnp_form_matches(f, buf, &pdu, MSNP_R_ANY, MSNP_D_ANY);
}

static void check_patterns(void)
{
    /* Literal alternatives: one whole alternative, never a prefix or a run of two. */
    const msnp_form *send = form_of("MSG", "MSG 4 N 124");
    CHECK(fits(send, "MSG 4 N 124") == 1 && fits(send, "MSG 4 U 1") == 1 &&
          fits(send, "MSG 4 A 0") == 1);
    CHECK(fits(send, "MSG 4 NA 124") == 0 && fits(send, "MSG 4 UN 124") == 0 &&
          fits(send, "MSG 4 X 124") == 0 && fits(send, "MSG 4 n 124") == 0);
    /* '#': digits only, at least one. */
    CHECK(fits(send, "MSG 4 N 12a") == 0 && fits(send, "MSG 4 N -1") == 0);
    /* '@': an address; '*': anything. */
    const msnp_form *relay = form_of("MSG", "MSG alice@hotmail.com Alice%20A. 124");
    CHECK(fits(relay, "MSG a@b x 1") == 1 && fits(relay, "MSG alice x 1") == 0);
    /* '!#': anything but digits. */
    const msnp_form *add = form_of("ADD", "ADD 13 FL dave@hotmail.com dave@hotmail.com 0");
    CHECK(fits(add, "ADD 13 FL dave@hotmail.com dave 0") == 1 &&
          fits(add, "ADD 13 FL 12a dave 0") == 1);
    CHECK(fits(add, "ADD 13 FL 12345 dave 0") == 0 && fits(add, "ADD 13 AL dave dave 0") == 0);
    const msnp_form *add_to = form_of("ADD", "ADD 14 AL dave@hotmail.com dave@hotmail.com");
    CHECK(fits(add_to, "ADD 14 BL d n") == 1 && fits(add_to, "ADD 14 B d n") == 0 &&
          fits(add_to, "ADD 14 ALBL d n") == 0 && fits(add_to, "ADD 14 L d n") == 0);

    /* Argument names: whole names only, marks stripped, the %-mark reported. */
    const msnp_form *notice = form_of("MSG", "MSG Hotmail Hotmail 221");
    int enc = -1;
    CHECK(msnp_form_arg_index(notice, "sender", 6, &enc) == 0 && enc == 0);
    CHECK(msnp_form_arg_index(notice, "sender_nick", 11, &enc) == 1 && enc == 1);
    CHECK(msnp_form_arg_index(notice, "payload_len", 11, &enc) == 2 && enc == 0);
    CHECK(msnp_form_arg_index(notice, "payload", 7, &enc) == -1);
    CHECK(msnp_form_arg_index(notice, "sender_nickname", 15, &enc) == -1);
    CHECK(msnp_form_arg_index(notice, "nick", 4, &enc) == -1);
    CHECK(msnp_form_arg_index(relay, "nick", 4, &enc) == 1 && enc == 1);
    CHECK(msnp_form_arg_index(NULL, "nick", 4, &enc) == -1);
}

/* ---- The reference's command lists ------------------------------------------ */

static void check_reference_lists(void)
{
    for (size_t i = 0; i < sizeof msnp8_commands / sizeof *msnp8_commands; i++) {
        const expected_cmd *e = &msnp8_commands[i];
        const msnp_command_info *ci = find_command(e->name);
        CHECK_MSG(ci != NULL, "MSNP8 command %s missing", e->name);
        if (!ci)
            continue;
        CHECK_MSG(ci->era == MSNP_ERA_MSNP8, "%s should be an MSNP8 command", e->name);
        int found = 0;
        for (unsigned k = 0; k < ci->nforms; k++)
            found |= (ci->forms[k].roles & e->role) && ci->forms[k].era == MSNP_ERA_MSNP8;
        CHECK_MSG(found, "%s has no MSNP8 form for role %s", e->name,
                  msnp_role_name((msnp_role)e->role));
    }
    for (size_t i = 0; i < sizeof earlier_commands / sizeof *earlier_commands; i++) {
        const msnp_command_info *ci = find_command(earlier_commands[i]);
        CHECK_MSG(ci && ci->era == MSNP_ERA_EARLIER, "%s should be an earlier-version "
                  "command", earlier_commands[i]);
    }
    for (size_t i = 0; i < sizeof later_commands / sizeof *later_commands; i++) {
        const msnp_command_info *ci = find_command(later_commands[i]);
        CHECK_MSG(ci && ci->era == MSNP_ERA_LATER, "%s should be a later-version command",
                  later_commands[i]);
    }
    for (size_t i = 0; i < sizeof payload_commands / sizeof *payload_commands; i++) {
        const msnp_command_info *ci = find_command(payload_commands[i].name);
        CHECK_MSG(ci && ci->payload == payload_commands[i].rule, "%s: payload rule",
                  payload_commands[i].name);
    }
    /* Every other command carries no payload. */
    for (size_t i = 0; i < msnp_command_count(); i++) {
        const msnp_command_info *ci = msnp_command_at(i);
        int listed = 0;
        for (size_t k = 0; k < sizeof payload_commands / sizeof *payload_commands; k++)
            listed |= strcmp(payload_commands[k].name, ci->name) == 0;
        if (!listed)
            CHECK_MSG(ci->payload == MSNP_PL_NONE, "%s should have no payload", ci->name);
    }
    /* §2.4 exact length positions of MSNP8. */
    CHECK(find_command("MSG")->len_token == 3);
    CHECK(find_command("NOT")->len_token == 1);
    CHECK(find_command("IPG")->len_token == 1);
    CHECK(find_command("QRY")->len_token == 3 && find_command("QRY")->pl_min_tokens == 4);
    CHECK(find_command("PAG")->len_token == 3 && find_command("PAG")->pl_min_tokens == 4);
    CHECK(find_command("SDC")->len_token == 9 && find_command("SDC")->pl_min_tokens == 10);
}

/* ---- Errors ------------------------------------------------------------------ */

static void check_errors(void)
{
    size_t n = msnp_error_count();
    for (size_t i = 0; i < n; i++) {
        const msnp_error_info *e = msnp_error_at(i);
        CHECK(e != NULL);
        if (!e)
            return;
        CHECK_MSG(e->code >= 100 && e->code <= 999, "error code %u", e->code);
        if (i > 0)
            CHECK_MSG(msnp_error_at(i - 1)->code < e->code, "errors not sorted at %u",
                      e->code);
        CHECK_MSG(e->name && e->name[0] && e->meaning && strlen(e->meaning) >= 10,
                  "error %u: name and meaning", e->code);
        CHECK_MSG(e->era == MSNP_ERA_MSNP8 || e->era == MSNP_ERA_LATER, "error %u era",
                  e->code);
        CHECK_MSG(msnp_error_lookup(e->code) == e, "error lookup %u", e->code);
        CHECK_MSG(!e->fatal || strstr(e->meaning, "disconnect"),
                  "error %u: a fatal error's meaning should say so", e->code);
    }
    CHECK(msnp_error_at(n) == NULL);
    CHECK(msnp_error_lookup(0) == NULL && msnp_error_lookup(999) == NULL);
    for (size_t i = 0; i < sizeof reference_errors / sizeof *reference_errors; i++)
        CHECK_MSG(msnp_error_lookup(reference_errors[i]) != NULL, "§11 error %u missing",
                  reference_errors[i]);
    for (size_t i = 0; i < sizeof uncertain_errors / sizeof *uncertain_errors; i++) {
        const msnp_error_info *e = msnp_error_lookup(uncertain_errors[i]);
        CHECK_MSG(e && !e->certain, "error %u should be marked uncertain",
                  uncertain_errors[i]);
    }
    const msnp_error_info *e911 = msnp_error_lookup(911);
    CHECK(e911 && e911->fatal && e911->certain &&
          strcmp(e911->name, "ERR_AUTHENTICATION_FAILED") == 0);
    CHECK(msnp_error_lookup(540) && msnp_error_lookup(540)->fatal);
    CHECK(msnp_error_lookup(240) && msnp_error_lookup(240)->era == MSNP_ERA_LATER);
    CHECK(msnp_error_lookup(201) && !msnp_error_lookup(201)->fatal);
}

/* ---- Value tables ------------------------------------------------------------ */

static const char *text_of(const char *table, const char *value)
{
    const msnp_value_table *t = msnp_value_table_find(table, strlen(table));
    return t ? msnp_value_text(t, (const uint8_t *)value, strlen(value)) : NULL;
}

static void check_values(void)
{
    size_t n = msnp_value_table_count();
    for (size_t i = 0; i < n; i++) {
        const msnp_value_table *t = msnp_value_table_at(i);
        CHECK(t && t->name && t->count > 0 && t->values);
        if (!t)
            return;
        CHECK_MSG(msnp_value_table_find(t->name, strlen(t->name)) == t, "table %s", t->name);
        CHECK_MSG(!is_computed_renderer(t->name, strlen(t->name)),
                  "table %s shadows a computed renderer", t->name);
        for (size_t k = 0; k < t->count; k++) {
            const msnp_value_name *v = &t->values[k];
            CHECK_MSG(v->value && v->value[0] && v->text && v->text[0], "table %s row %zu",
                      t->name, k);
            for (size_t j = 0; j < k; j++)
                CHECK_MSG(strcmp(t->values[j].value, v->value) != 0, "table %s: %s twice",
                          t->name, v->value);
            CHECK_MSG(msnp_value_text(t, (const uint8_t *)v->value, strlen(v->value)) ==
                          v->text,
                      "table %s: lookup of %s", t->name, v->value);
        }
    }
    CHECK(msnp_value_table_at(n) == NULL);
    CHECK(msnp_value_table_find("nonesuch", 8) == NULL);
    for (size_t i = 0; i < sizeof required_tables / sizeof *required_tables; i++)
        CHECK_MSG(msnp_value_table_find(required_tables[i], strlen(required_tables[i])),
                  "value table %s missing", required_tables[i]);

    static const char *const statuses[] = {"NLN", "BSY", "IDL", "BRB", "AWY",
                                           "PHN", "LUN", "HDN", "FLN"};
    for (size_t i = 0; i < 9; i++)
        CHECK_MSG(text_of("status", statuses[i]), "status %s", statuses[i]);
    CHECK(text_of("status", "nln") == NULL); /* case-sensitive */
    CHECK(text_of("list", "RL") && text_of("ack", "N") && text_of("ack", "D"));
    CHECK(text_of("property", "MBE") && strstr(text_of("property", "MFN"), "MSNP10+"));
    CHECK(text_of("out_reason", "OTH") && strstr(text_of("out_reason", "RCT"), "MSNP11+"));
    CHECK(text_of("ftp_bye", "16777989") && text_of("sb_bye", "1"));
    CHECK(text_of("locale", "0x0409") && text_of("locale", "0X0409")); /* any case */
    CHECK(strcmp(text_of("locale", "0x0409"), "English (United States)") == 0);
    CHECK(text_of("app_guid", "{5d3e02ab-6190-11D3-bbbb-00c04f795683}"));
    CHECK(text_of("cancel_code", "REJECT_NOT_INSTALLED") && text_of("os_type", "winnt"));
    CHECK(text_of("auth_method", "TWN") && text_of("stage", "S"));
    CHECK(text_of("verified", "1") && text_of("restricted", "0"));
    CHECK(text_of("url_service", "INBOX") && text_of("gtc", "A") && text_of("blp", "BL"));
    CHECK(text_of("ims", "OFF"));
    CHECK(text_of("status", "XYZ") == NULL);

    CHECK(msnp_list_bits_count == 4);
    static const char *const lists[] = {"FL", "AL", "BL", "RL"};
    for (size_t i = 0; i < 4 && i < msnp_list_bits_count; i++)
        CHECK(msnp_list_bits[i].bit == (1u << i) &&
              strcmp(msnp_list_bits[i].abbrev, lists[i]) == 0 && msnp_list_bits[i].text);
    uint32_t seen = 0;
    for (size_t i = 0; i < msnp_capability_bits_count; i++) {
        uint32_t b = msnp_capability_bits[i].bit;
        CHECK_MSG(b && (b & (b - 1)) == 0 && b < 0x10000000u && !(seen & b),
                  "capability bit 0x%x", (unsigned)b);
        CHECK(msnp_capability_bits[i].abbrev && msnp_capability_bits[i].text);
        seen |= b;
    }
    CHECK((seen & 0x2FDu) == 0x2FDu); /* the §3.3 bits 0x01-0x80 and 0x200 */
}

int main(int argc, char **argv)
{
    verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    check_command_rows();
    check_forms();
    check_reference_lists();
    check_examples();
    check_patterns();
    check_errors();
    check_values();
    size_t nforms = 0;
    for (size_t i = 0; i < msnp_command_count(); i++)
        nforms += msnp_command_at(i)->nforms;
    fprintf(stderr, "tables: %zu commands, %zu forms, %zu errors, %zu value tables\n",
            msnp_command_count(), nforms, msnp_error_count(), msnp_value_table_count());
    return check_exit("test_tables");
}
