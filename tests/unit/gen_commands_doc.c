/* Prints docs/commands.md from libmsnp's tables (command_table.c, errors.c,
 * values.c), so the reference can never drift from what the code knows.
 *
 *   gen_commands_doc                 print the Markdown on stdout
 *   gen_commands_doc --check FILE    exit 1 (and say where) if FILE differs
 *
 * Regenerate after changing a table:
 *   build/tests/gen_commands_doc > docs/commands.md   (build = your build dir)
 * The test unit.commands_doc runs the --check form. Only the tables are read:
 * nothing here depends on the framer, the parser or the renderer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msnp/commands.h"
#include "msnp/errors.h"
#include "msnp/explain.h"
#include "msnp/values.h"

/* ---- Escaping ------------------------------------------------------------ */

/* Plain Markdown text: keep <...> from being read as HTML, * as emphasis,
 * | as a table column. */
static void put_text(FILE *o, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", o);
            break;
        case '>':
            fputs("&gt;", o);
            break;
        case '*':
        case '|':
        case '\\':
        case '`':
            fputc('\\', o);
            fputc(*s, o);
            break;
        default:
            fputc(*s, o);
        }
    }
}

/* A code span. Inside a table a pipe still ends the cell, so it is escaped. */
static void put_code(FILE *o, const char *s, int in_table)
{
    fputc('`', o);
    for (; *s; s++) {
        if (*s == '|' && in_table)
            fputs("\\|", o);
        else
            fputc(*s, o);
    }
    fputc('`', o);
}

/* ---- Names --------------------------------------------------------------- */

static const char *era_name(unsigned era)
{
    switch (era) {
    case MSNP_ERA_MSNP8:
        return "MSNP8";
    case MSNP_ERA_EARLIER:
        return "earlier version";
    case MSNP_ERA_LATER:
        return "later version";
    default:
        return "?";
    }
}

static void put_era(FILE *o, unsigned era, const char *since)
{
    fputs(era_name(era), o);
    if (era != MSNP_ERA_MSNP8 && since)
        fprintf(o, " (%s)", since);
}

static void put_roles(FILE *o, unsigned roles)
{
    static const struct {
        unsigned bit;
        const char *name;
    } r[] = {{MSNP_R_DS, "DS"}, {MSNP_R_NS, "NS"}, {MSNP_R_SB, "SB"}, {MSNP_R_FTP, "MSNFTP"}};
    int first = 1;
    for (size_t i = 0; i < sizeof r / sizeof *r; i++)
        if (roles & r[i].bit) {
            fprintf(o, "%s%s", first ? "" : ", ", r[i].name);
            first = 0;
        }
}

static const char *dir_name(unsigned dirs)
{
    switch (dirs) {
    case MSNP_D_C2S:
        return "client → server";
    case MSNP_D_S2C:
        return "server → client";
    default:
        return "either direction";
    }
}

static void put_payload_rule(FILE *o, const msnp_command_info *ci)
{
    switch (ci->payload) {
    case MSNP_PL_NONE:
        fputs("none", o);
        break;
    case MSNP_PL_LAST:
        fputs("always; the last token is its length", o);
        break;
    default:
        fprintf(o, "when the line has at least %u tokens and the last is a number, that "
                   "number is its length",
                (unsigned)ci->pl_min_tokens);
    }
    if (ci->payload != MSNP_PL_NONE && ci->len_token >= 0)
        fprintf(o, " (token %d, counting the command as 0)", ci->len_token);
}

/* ---- Form shape: "ADD 0 RL <list_version> <user> <nick%> [<group_id>]" ---- */

static size_t word(const char *s, size_t *pos, const char **w)
{
    size_t i = *pos;
    while (s[i] == ' ')
        i++;
    size_t start = i;
    while (s[i] && s[i] != ' ')
        i++;
    *w = s + start;
    *pos = i;
    return i - start;
}

static void put_shape(FILE *o, const char *cmd, const msnp_form *f)
{
    char shape[1024];
    msnp_form_syntax(cmd, f, shape, sizeof shape);
    fprintf(o, "`%s`", shape);
}

static int has_payload_arg(const msnp_form *f)
{
    size_t n = strlen(f->args);
    return n >= 11 && strcmp(f->args + n - 11, "payload_len") == 0;
}

static void put_flags(FILE *o, const msnp_form *f)
{
    if (f->trid == MSNP_TRID_ZERO)
        fputs("; TrID 0", o);
    else if (f->trid == MSNP_TRID_NONE)
        fputs("; no TrID", o);
    if (f->flags & MSNP_F_ASYNC)
        fputs("; asynchronous (answers no request)", o);
    if (f->flags & MSNP_F_SYN_DUMP)
        fputs("; line of a SYN dump", o);
    if (f->flags & MSNP_F_ENDS_REPLY)
        fputs("; ends a multi-line reply", o);
    if (f->flags & MSNP_F_LEGACY)
        fputs("; legacy syntax", o);
    if (f->flags & MSNP_F_FATAL)
        fputs("; the server closes the connection after it", o);
    if (has_payload_arg(f))
        fputs("; a payload of payload_len bytes follows the line", o);
}

/* ---- Sections ------------------------------------------------------------ */

static void emit_header(FILE *o)
{
    size_t nc = msnp_command_count(), nf = 0, n8 = 0, ne = 0, nl = 0;
    for (size_t i = 0; i < nc; i++) {
        const msnp_command_info *ci = msnp_command_at(i);
        nf += ci->nforms;
        n8 += ci->era == MSNP_ERA_MSNP8;
        ne += ci->era == MSNP_ERA_EARLIER;
        nl += ci->era == MSNP_ERA_LATER;
    }
    fputs("# MSNP command reference\n\n", o);
    fputs("<!-- Generated by tests/unit/gen_commands_doc.c from libmsnp/command_table.c, "
          "errors.c and values.c. Do not edit by hand: rebuild, then run "
          "`gen_commands_doc > docs/commands.md`. The test unit.commands_doc fails when "
          "this file and the tables differ. -->\n\n",
          o);
    fputs("Every command, form, error code and value table that libmsnp knows, and "
          "therefore everything msnpdump and the Wireshark plugin can name. The protocol "
          "reference behind it is MSNP8 (MSN Messenger 5, 2003); commands of earlier and "
          "later versions are recognised and labelled as such, not treated as MSNP8.\n\n",
          o);
    fprintf(o,
            "%zu commands (%zu MSNP8, %zu of earlier versions, %zu of later versions), "
            "%zu forms, %zu error codes, %zu value tables.\n\n",
            nc, n8, ne, nl, nf, msnp_error_count(), msnp_value_table_count());
    fputs("How to read a form: the line shape shows literal tokens as they are and "
          "arguments as `<name>`; `[...]` marks an optional argument and `...` a repeated "
          "one; a name ending in `%` is URL-encoded on the wire. The argument names are "
          "the field names of both faces (`msnp.user` in Wireshark, `user` in "
          "msnpdump's JSON and filters). The meaning is the template msnpdump fills in: "
          "`{name}` is the argument, `{name:table}` its description from a value table "
          "(or the computed `lists`, `caps` and `bytes` renderers), `[...]` a part shown only when "
          "its argument is present. Forms are listed in matching order: the first form "
          "that fits a line gives its meaning.\n\n",
          o);
    fputs("Roles: DS dispatch server, NS notification server, SB switchboard, MSNFTP "
          "peer-to-peer file transfer.\n\n",
          o);
    fputs("- [Commands](#commands)\n- [Field names](#field-names)\n"
          "- [Error codes](#error-codes)\n- [Value tables](#value-tables)\n"
          "- [List bits](#list-bits)\n- [Capability bits](#capability-bits)\n\n",
          o);
}

static void emit_index(FILE *o)
{
    fputs("## Commands\n\n", o);
    fputs("| command | roles | generation | payload | summary |\n", o);
    fputs("|---|---|---|---|---|\n", o);
    for (size_t i = 0; i < msnp_command_count(); i++) {
        const msnp_command_info *ci = msnp_command_at(i);
        char lower[4] = {0};
        for (int k = 0; k < 3; k++)
            lower[k] = (char)(ci->name[k] - 'A' + 'a');
        fprintf(o, "| [%s](#%s) | ", ci->name, lower);
        put_roles(o, ci->roles);
        fputs(" | ", o);
        put_era(o, ci->era, ci->since);
        fputs(" | ", o);
        fputs(ci->payload == MSNP_PL_NONE ? "no" : "yes", o);
        fputs(" | ", o);
        put_text(o, ci->summary);
        fputs(" |\n", o);
    }
    fputc('\n', o);
}

static void emit_command(FILE *o, const msnp_command_info *ci)
{
    fprintf(o, "### %s\n\n", ci->name);
    fputc('*', o);
    put_text(o, ci->summary);
    fputs("*\n\n", o);
    put_text(o, ci->explanation);
    fputs("\n\n", o);
    fputs("- Roles: ", o);
    put_roles(o, ci->roles);
    fputs("\n- Generation: ", o);
    put_era(o, ci->era, ci->since);
    fputs("\n- Payload: ", o);
    put_payload_rule(o, ci);
    fputs("\n\n", o);
    for (unsigned k = 0; k < ci->nforms; k++) {
        const msnp_form *f = &ci->forms[k];
        /* Continuation lines are indented to the item's text. */
        const char *ind = k + 1 >= 10 ? "    " : "   ";
        fprintf(o, "%u. ", k + 1);
        put_shape(o, ci->name, f);
        fprintf(o, "  \n%s", ind);
        fputs(dir_name(f->dirs), o);
        fputs("; ", o);
        put_roles(o, f->roles);
        fputs("; ", o);
        put_era(o, f->era, f->since);
        put_flags(o, f);
        fprintf(o, "  \n%sMeaning: ", ind);
        put_text(o, f->meaning);
        fprintf(o, "  \n%sExample: ", ind);
        put_code(o, f->example, 0);
        fputc('\n', o);
    }
    fputc('\n', o);
}

/* Every argument name with the commands that use it. */
static void emit_fields(FILE *o)
{
    enum { MAXN = 256 };
    static char names[MAXN][48];
    static int urlenc[MAXN];
    static char used[MAXN][512];
    size_t n = 0;
    for (size_t i = 0; i < msnp_command_count(); i++) {
        const msnp_command_info *ci = msnp_command_at(i);
        for (unsigned k = 0; k < ci->nforms; k++) {
            const char *a = ci->forms[k].args;
            size_t pos = 0;
            const char *w;
            size_t wl;
            while ((wl = word(a, &pos, &w)) > 0) {
                if (wl > 3 && memcmp(w + wl - 3, "...", 3) == 0)
                    wl -= 3;
                int enc = wl > 0 && w[wl - 1] == '%';
                if (enc)
                    wl--;
                if (wl >= sizeof names[0])
                    continue;
                size_t j;
                for (j = 0; j < n; j++)
                    if (strlen(names[j]) == wl && memcmp(names[j], w, wl) == 0)
                        break;
                if (j == n) {
                    if (n == MAXN)
                        continue;
                    memcpy(names[n], w, wl);
                    names[n][wl] = '\0';
                    used[n][0] = '\0';
                    urlenc[n] = 0;
                    n++;
                }
                urlenc[j] |= enc;
                if (!strstr(used[j], ci->name) && strlen(used[j]) + 5 < sizeof used[j]) {
                    if (used[j][0])
                        strcat(used[j], ", ");
                    strcat(used[j], ci->name);
                }
            }
        }
    }
    /* Sort the names (insertion sort; a few dozen). */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char t[48], u[512];
            int e;
            memcpy(t, names[j], sizeof t);
            memcpy(names[j], names[j - 1], sizeof t);
            memcpy(names[j - 1], t, sizeof t);
            memcpy(u, used[j], sizeof u);
            memcpy(used[j], used[j - 1], sizeof u);
            memcpy(used[j - 1], u, sizeof u);
            e = urlenc[j];
            urlenc[j] = urlenc[j - 1];
            urlenc[j - 1] = e;
        }
    fputs("## Field names\n\n", o);
    fputs("The argument names, shared by both faces, with the commands whose forms use "
          "them. URL-encoded ones are shown decoded in meanings.\n\n",
          o);
    fputs("| field | URL-encoded | commands |\n|---|---|---|\n", o);
    for (size_t i = 0; i < n; i++) {
        fputs("| ", o);
        put_code(o, names[i], 1);
        fprintf(o, " | %s | %s |\n", urlenc[i] ? "yes" : "", used[i]);
    }
    fputc('\n', o);
}

static void emit_errors(FILE *o)
{
    fputs("## Error codes\n\n", o);
    fputs("An error reply is the three-digit code and the TrID of the failing command "
          "(`911 7`). Names in capitals are the IETF draft's constants. \"Uncertain\" "
          "marks codes whose meaning the sources disagree on or give only once; "
          "\"disconnects\" marks codes after which the reference says the server closes "
          "the connection.\n\n",
          o);
    fputs("| code | name | meaning | generation | certainty | server |\n", o);
    fputs("|---|---|---|---|---|---|\n", o);
    for (size_t i = 0; i < msnp_error_count(); i++) {
        const msnp_error_info *e = msnp_error_at(i);
        fprintf(o, "| %03u | ", e->code);
        put_text(o, e->name);
        fputs(" | ", o);
        put_text(o, e->meaning);
        fputs(" | ", o);
        put_era(o, e->era, NULL);
        fprintf(o, " | %s | %s |\n", e->certain ? "" : "uncertain",
                e->fatal ? "disconnects" : "");
    }
    fputc('\n', o);
}

static void emit_values(FILE *o)
{
    fputs("## Value tables\n\n", o);
    fputs("Used by meaning templates as `{argument:table}` and by the dissector as "
          "value strings.\n\n",
          o);
    for (size_t i = 0; i < msnp_value_table_count(); i++) {
        const msnp_value_table *t = msnp_value_table_at(i);
        fprintf(o, "### %s\n\n| value | meaning |\n|---|---|\n", t->name);
        for (size_t k = 0; k < t->count; k++) {
            fputs("| ", o);
            put_code(o, t->values[k].value, 1);
            fputs(" | ", o);
            put_text(o, t->values[k].text);
            fputs(" |\n", o);
        }
        fputc('\n', o);
    }
}

static void emit_bits(FILE *o)
{
    fputs("## List bits\n\n", o);
    fputs("The list mask of LST (`{lists:lists}` in templates).\n\n", o);
    fputs("| bit | list | meaning |\n|---|---|---|\n", o);
    for (size_t i = 0; i < msnp_list_bits_count; i++) {
        fprintf(o, "| %u | %s | ", (unsigned)msnp_list_bits[i].bit, msnp_list_bits[i].abbrev);
        put_text(o, msnp_list_bits[i].text);
        fputs(" |\n", o);
    }
    fputs("\n## Capability bits\n\n", o);
    fputs("The client id of CHG, ILN and NLN (`{client_id:caps}` in templates), a decimal "
          "bit field. Its top four bits (0xF0000000) are not flags but the MSNC "
          "(peer-to-peer) version: 1 = MSNC1 (Messenger 6.0), 2 = 6.1, 3 = 6.2, 4 = 7.0, "
          "5 = 7.5. MSN Messenger 5.0 sends small values and no MSNC version.\n\n",
          o);
    fputs("| bit | name | meaning |\n|---|---|---|\n", o);
    for (size_t i = 0; i < msnp_capability_bits_count; i++) {
        fprintf(o, "| 0x%08x | %s | ", (unsigned)msnp_capability_bits[i].bit,
                msnp_capability_bits[i].abbrev);
        put_text(o, msnp_capability_bits[i].text);
        fputs(" |\n", o);
    }
}

static void emit(FILE *o)
{
    emit_header(o);
    emit_index(o);
    for (size_t i = 0; i < msnp_command_count(); i++)
        emit_command(o, msnp_command_at(i));
    emit_fields(o);
    emit_errors(o);
    emit_values(o);
    emit_bits(o);
}

/* Compare the generated text with a file; report the first differing line. */
static int check(const char *path)
{
    FILE *want = tmpfile();
    FILE *have = fopen(path, "rb");
    if (!want || !have) {
        fprintf(stderr, "gen_commands_doc: cannot open %s\n", path);
        return 1;
    }
    emit(want);
    rewind(want);
    long line = 1;
    int a, b;
    do {
        a = fgetc(want);
        b = fgetc(have);
        if (a != b) {
            fprintf(stderr,
                    "gen_commands_doc: %s differs from the tables at line %ld; regenerate it "
                    "with: gen_commands_doc > %s\n",
                    path, line, path);
            return 1;
        }
        if (a == '\n')
            line++;
    } while (a != EOF);
    fclose(want);
    fclose(have);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--check") == 0)
        return check(argv[2]);
    if (argc != 1) {
        fprintf(stderr, "usage: gen_commands_doc [--check FILE]\n");
        return 2;
    }
    emit(stdout);
    return fflush(stdout) == 0 ? 0 : 1;
}
