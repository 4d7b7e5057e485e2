/* `msnpdump explain CMD`: the reference entry of one command (or error code)
 * from libmsnp's tables, without a capture: its forms (line shape, who sends
 * it, meaning, an example), how it is answered, the errors it can get, the
 * procedure steps it takes part in, and the protocol versions. */
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "msnp/errors.h"
#include "msnp/explain.h"
#include "views.h"

enum { WIDTH = 78 };

static const char *const role_names[] = {"DS", "NS", "SB", "MSNFTP"};

static void roles_text(outbuf *o, uint8_t roles)
{
    const char *sep = "";
    for (unsigned i = 0; i < 4; i++)
        if (roles & (1u << i)) {
            ob_str(o, sep);
            ob_str(o, role_names[i]);
            sep = ", ";
        }
}

static void roles_json(outbuf *o, const char *key, uint8_t roles)
{
    ob_str(o, ",\"");
    ob_str(o, key);
    ob_str(o, "\":[");
    const char *sep = "";
    for (unsigned i = 0; i < 4; i++)
        if (roles & (1u << i)) {
            ob_str(o, sep);
            ob_char(o, '"');
            ob_str(o, role_names[i]);
            ob_char(o, '"');
            sep = ",";
        }
    ob_char(o, ']');
}

static const char *dir_text(uint8_t dirs)
{
    return dirs == MSNP_D_C2S   ? "client to server"
           : dirs == MSNP_D_S2C ? "server to client"
                                : "either way (the peers of an MSNFTP connection)";
}

static const char *dir_key(uint8_t dirs)
{
    return dirs == MSNP_D_C2S ? "c2s" : dirs == MSNP_D_S2C ? "s2c" : "any";
}

static void era_text(char *buf, size_t size, uint8_t era, const char *since)
{
    if (era == MSNP_ERA_MSNP8)
        snprintf(buf, size, "MSNP8");
    else
        snprintf(buf, size, "%s version (%s)", era == MSNP_ERA_LATER ? "later" : "earlier",
                 since ? since : "?");
}

/* What a form's flags say, as in docs/commands.md. */
static const struct {
    uint8_t flag;
    const char *text;
} form_flags[] = {
    {MSNP_F_ASYNC, "asynchronous (answers no request)"},
    {MSNP_F_SYN_DUMP, "line of a SYN dump"},
    {MSNP_F_ENDS_REPLY, "ends a multi-line reply"},
    {MSNP_F_LEGACY, "legacy syntax"},
    {MSNP_F_FATAL, "the server closes the connection after it"},
};

static int has_payload_arg(const msnp_form *f)
{
    size_t n = strlen(f->args);
    return n >= 11 && strcmp(f->args + n - 11, "payload_len") == 0;
}

/* Words of s, wrapped at WIDTH with `indent` spaces before each line. */
static void wrapped(outbuf *o, const char *s, size_t indent)
{
    size_t col = 0;
    while (*s) {
        while (*s == ' ')
            s++;
        size_t w = strcspn(s, " ");
        if (!w)
            break;
        if (col && col + 1 + w > WIDTH) {
            ob_char(o, '\n');
            col = 0;
        }
        if (!col) {
            ob_pad(o, indent);
            col = indent;
        } else {
            ob_char(o, ' ');
            col++;
        }
        esc_text(o, (const uint8_t *)s, w);
        col += w;
        s += w;
    }
    if (col)
        ob_char(o, '\n');
}

static void text_command(outbuf *o, const msnp_command_info *ci)
{
    char buf[512];
    ob_str(o, ci->name);
    ob_str(o, " - ");
    ob_str(o, ci->summary);
    ob_str(o, "\n\nversions: ");
    era_text(buf, sizeof buf, ci->era, ci->since);
    ob_str(o, buf);
    const char *sep = "; forms of other versions are recognised too: ";
    for (unsigned k = 0; k < ci->nforms; k++) {
        const msnp_form *f = &ci->forms[k];
        int dup = 0;
        for (unsigned j = 0; j < k; j++)
            dup |= ci->forms[j].since && f->since && !strcmp(ci->forms[j].since, f->since);
        if (f->era != MSNP_ERA_MSNP8 && f->era != ci->era && f->since && !dup) {
            ob_str(o, sep);
            ob_str(o, f->since);
            sep = ", ";
        }
    }
    ob_str(o, "\nroles: ");
    roles_text(o, ci->roles);
    ob_str(o, "\npayload: ");
    ob_str(o, ci->payload == MSNP_PL_NONE ? "none" : "the last token of the line is its length");
    ob_str(o, "\n\nforms, most specific first (the first that fits a line gives its meaning):\n");
    for (unsigned k = 0; k < ci->nforms; k++) {
        const msnp_form *f = &ci->forms[k];
        msnp_form_syntax(ci->name, f, buf, sizeof buf);
        char head[8];
        snprintf(head, sizeof head, "%3u. ", k + 1);
        ob_str(o, head);
        ob_str(o, buf);
        ob_str(o, "\n       ");
        ob_str(o, dir_text(f->dirs));
        ob_str(o, ", on ");
        roles_text(o, f->roles);
        ob_str(o, "; ");
        era_text(buf, sizeof buf, f->era, f->since);
        ob_str(o, buf);
        ob_str(o, f->trid == MSNP_TRID_ZERO ? "; TrID 0" : f->trid == MSNP_TRID_NONE ? "; no TrID" : "");
        for (size_t i = 0; i < sizeof form_flags / sizeof form_flags[0]; i++)
            if (f->flags & form_flags[i].flag) {
                ob_str(o, "; ");
                ob_str(o, form_flags[i].text);
            }
        if (has_payload_arg(f))
            ob_str(o, "; a payload of payload_len bytes follows");
        ob_char(o, '\n');
        wrapped(o, f->meaning, 7);
        ob_str(o, "       example: ");
        esc_text_str(o, f->example);
        ob_char(o, '\n');
    }
    const msnp_command_guide *g = msnp_command_guide_find(ci->name, 3);
    if (g) {
        ob_str(o, "\nhow it is answered:\n");
        wrapped(o, g->exchange, 2);
        ob_str(o, "\nerrors it can get:\n");
        for (unsigned i = 0; i < MSNP_GUIDE_MAX_ERRORS && g->errors[i]; i++) {
            msnp_explain_error(g->errors[i], buf, sizeof buf);
            wrapped(o, buf, 2);
        }
        if (!g->errors[0])
            ob_str(o, "  none of its own\n");
    }
    ob_str(o, "  and, like any request, the general ones:");
    for (unsigned i = 0; msnp_general_errors[i]; i++) {
        ob_char(o, ' ');
        ob_u64(o, msnp_general_errors[i]);
    }
    ob_str(o, " (msnpdump explain CODE tells one)\n");
    int steps = 0;
    for (size_t i = 0; i < msnp_step_count(); i++) {
        const msnp_step *s = msnp_step_at(i);
        if (strcmp(s->cmd, ci->name))
            continue;
        if (!steps++)
            ob_str(o, "\nsteps of procedures it takes:\n");
        const msnp_procedure *p = msnp_procedure_get(s->procedure);
        snprintf(buf, sizeof buf, "step %u of %u of %s, %s: %s", (unsigned)s->number,
                 (unsigned)p->steps, p->title, dir_text(s->dirs), s->text);
        wrapped(o, buf, 2);
    }
    ob_str(o, "\nabout it:\n");
    wrapped(o, ci->explanation, 2);
}

static void json_str(outbuf *o, const char *key, const char *v)
{
    view_json_str(o, key, v ? v : "");
}

static void json_command(outbuf *o, const msnp_command_info *ci)
{
    char buf[512];
    ob_str(o, "{\"type\":\"reference\"");
    json_str(o, "cmd", ci->name);
    json_str(o, "summary", ci->summary);
    era_text(buf, sizeof buf, ci->era, ci->since);
    json_str(o, "generation", buf);
    roles_json(o, "roles", ci->roles);
    ob_str(o, ci->payload == MSNP_PL_NONE ? ",\"payload\":false" : ",\"payload\":true");
    ob_str(o, ",\"forms\":[");
    for (unsigned k = 0; k < ci->nforms; k++) {
        const msnp_form *f = &ci->forms[k];
        ob_str(o, k ? ",{" : "{");
        msnp_form_syntax(ci->name, f, buf, sizeof buf);
        ob_str(o, "\"syntax\":\"");
        esc_json_str(o, buf);
        ob_char(o, '"');
        json_str(o, "dir", dir_key(f->dirs));
        roles_json(o, "roles", f->roles);
        era_text(buf, sizeof buf, f->era, f->since);
        json_str(o, "generation", buf);
        json_str(o, "trid", f->trid == MSNP_TRID_PRESENT ? "present"
                            : f->trid == MSNP_TRID_ZERO  ? "zero"
                                                         : "none");
        ob_str(o, ",\"flags\":[");
        const char *sep = "";
        for (size_t i = 0; i < sizeof form_flags / sizeof form_flags[0]; i++)
            if (f->flags & form_flags[i].flag) {
                ob_str(o, sep);
                ob_char(o, '"');
                esc_json_str(o, form_flags[i].text);
                ob_char(o, '"');
                sep = ",";
            }
        ob_char(o, ']');
        json_str(o, "meaning", f->meaning);
        json_str(o, "example", f->example);
        ob_char(o, '}');
    }
    ob_char(o, ']');
    const msnp_command_guide *g = msnp_command_guide_find(ci->name, 3);
    json_str(o, "answered", g ? g->exchange : "");
    ob_str(o, ",\"errors\":[");
    for (unsigned i = 0; g && i < MSNP_GUIDE_MAX_ERRORS && g->errors[i]; i++) {
        const msnp_error_info *e = msnp_error_lookup(g->errors[i]);
        ob_str(o, i ? ",{\"code\":" : "{\"code\":");
        ob_u64(o, g->errors[i]);
        json_str(o, "name", e ? e->name : "");
        json_str(o, "meaning", e ? e->meaning : "");
        ob_char(o, '}');
    }
    ob_str(o, "],\"general_errors\":[");
    for (unsigned i = 0; msnp_general_errors[i]; i++) {
        if (i)
            ob_char(o, ',');
        ob_u64(o, msnp_general_errors[i]);
    }
    ob_str(o, "],\"steps\":[");
    const char *sep = "";
    for (size_t i = 0; i < msnp_step_count(); i++) {
        const msnp_step *s = msnp_step_at(i);
        if (strcmp(s->cmd, ci->name))
            continue;
        const msnp_procedure *p = msnp_procedure_get(s->procedure);
        ob_str(o, sep);
        sep = ",";
        ob_str(o, "{\"procedure\":\"");
        ob_str(o, p->name);
        ob_char(o, '"');
        json_str(o, "title", p->title);
        ob_str(o, ",\"number\":");
        ob_u64(o, s->number);
        ob_str(o, ",\"of\":");
        ob_u64(o, p->steps);
        json_str(o, "dir", dir_key(s->dirs));
        json_str(o, "text", s->text);
        ob_char(o, '}');
    }
    ob_char(o, ']');
    json_str(o, "explanation", ci->explanation);
    ob_str(o, "}\n");
}

static void error_entry(outbuf *o, int jsonl, const msnp_error_info *e)
{
    char buf[512];
    if (jsonl) {
        ob_str(o, "{\"type\":\"error_reference\",\"code\":");
        ob_u64(o, e->code);
        json_str(o, "name", e->name);
        json_str(o, "meaning", e->meaning);
        ob_str(o, e->certain ? ",\"certain\":true" : ",\"certain\":false");
        ob_str(o, e->fatal ? ",\"fatal\":true" : ",\"fatal\":false");
        ob_str(o, ",\"commands\":[");
    } else {
        msnp_explain_error(e->code, buf, sizeof buf);
        wrapped(o, buf, 0);
        ob_str(o, "\ncommands whose requests get it:");
    }
    const char *sep = jsonl ? "" : " ";
    int any = 0;
    for (size_t i = 0; i < msnp_command_guide_count(); i++) {
        const msnp_command_guide *g = msnp_command_guide_at(i);
        for (unsigned k = 0; k < MSNP_GUIDE_MAX_ERRORS && g->errors[k]; k++)
            if (g->errors[k] == e->code) {
                ob_str(o, sep);
                ob_str(o, jsonl ? "\"" : "");
                ob_str(o, g->name);
                ob_str(o, jsonl ? "\"" : "");
                sep = jsonl ? "," : ", ";
                any = 1;
            }
    }
    for (unsigned i = 0; msnp_general_errors[i]; i++)
        if (msnp_general_errors[i] == e->code && !jsonl) {
            ob_str(o, any ? "; and " : " ");
            ob_str(o, "any request (a general error)");
            any = 1;
        }
    if (jsonl)
        ob_str(o, "]}\n");
    else
        ob_str(o, any ? "\n" : " none in particular\n");
}

int view_explain_topic(const char *topic, int jsonl, outbuf *o)
{
    char name[4] = {0};
    size_t len = strlen(topic);
    for (size_t i = 0; i < len && i < 3; i++)
        name[i] = (char)(topic[i] >= 'a' && topic[i] <= 'z' ? topic[i] - 'a' + 'A' : topic[i]);
    if (len == 3 && name[0] >= '0' && name[0] <= '9') {
        unsigned code = 0;
        int digits = 1;
        for (int i = 0; i < 3; i++) {
            digits &= name[i] >= '0' && name[i] <= '9';
            code = code * 10 + (unsigned)(name[i] - '0');
        }
        const msnp_error_info *e = digits ? msnp_error_lookup(code) : NULL;
        if (e) {
            error_entry(o, jsonl, e);
            return 0;
        }
    }
    const msnp_command_info *ci =
        len == 3 ? msnp_command_lookup((const uint8_t *)name, 3) : NULL;
    if (!ci)
        return -1;
    if (jsonl)
        json_command(o, ci);
    else
        text_command(o, ci);
    return 0;
}
