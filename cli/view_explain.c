/* The explain view: every command with its meaning in context, for someone
 * learning the protocol.
 *
 * Each command gets, besides its meaning (the command table's template):
 *   context   where it stands: a step of a procedure ("step 3 of 5 of signing
 *             in ..."), a position in a multi-line reply ("line 9 of the
 *             reply to the SYN in frame 28: contact 2 of 5"), or else the
 *             session it belongs to;
 *   exchange  how it pairs: a request and what answers it, the request a
 *             reply answers and how long it took, or a server push;
 *   notes     what the line carries: the error glossary, the acknowledgement
 *             mode, what the MSG payload is, whether a QRY answer verifies,
 *             where a switchboard or MSNFTP cookie came from.
 * The knowledge is libmsnp's (explain.h, the command table, the error and
 * value tables, the payload decoders); the context this view follows across
 * lines is bounded: fixed tables of connections and cookies.
 *
 * Text: the commands view's line, then one indented line per clause.
 * JSON Lines: one object per command with an "explain" member; anomaly and
 * connection records as in the commands view. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "msnp/challenge.h"
#include "msnp/explain.h"
#include "msnp/payload.h"
#include "msnp/trid.h"
#include "records.h"
#include "request_log.h"
#include "views.h"

enum {
    CONN_SLOTS = 4096,   /* connections followed at once (by number modulo) */
    COOKIE_SLOTS = 2048, /* cookies remembered (by hash; a collision forgets) */
    CLAUSE = 1024,       /* bytes of one clause */
    MAX_NOTES = 6,
    INDENT = 9
};

/* What the view follows on one connection. */
typedef struct conn_ctx {
    uint64_t conn; /* 0: free */
    char user[MSNP_HANDLE_MAX]; /* the local account, once a line names it */
    char session[32];           /* switchboard session id */
    uint8_t signed_in;          /* NS: USR OK seen */
    uint8_t callee;             /* SB: joined with ANS (so its JOIs are not the
                                   caller's step 4) */
    /* the contact-list dump in progress */
    uint32_t groups_total, contacts_total, groups_seen, contacts_seen;
    char contact[MSNP_HANDLE_MAX]; /* the last LST's account: its BPR lines' owner */
    /* lines seen of the replies in progress, by request (frame and TrID): the
     * pairing numbers the lines of each path of a reply on its own (BPR
     * follow-ups apart from ILN lines), this counts them all */
    struct {
        uint64_t tag;
        uint32_t trid, lines;
    } replies[4];
    unsigned next_reply;
} conn_ctx;

/* Where a cookie was handed out: an XFR SB reply, an RNG, an invitation's
 * ACCEPT (AuthCookie). */
typedef struct cookie_origin {
    char value[64];
    const char *by; /* "XFR", "RNG", "ACCEPT" */
    uint64_t frame, conn;
    uint32_t sid;
} cookie_origin;

typedef struct explanation {
    const msnp_step *step;
    char context[CLAUSE];
    char exchange[CLAUSE];
    char notes[MAX_NOTES][CLAUSE];
    unsigned nnotes;
} explanation;

typedef struct explain_writer {
    writer w;
    int jsonl;
    writer *inner; /* the commands view's writer: lines as they are, anomalies, ends */
    request_log *requests;
    explanation ex;
    conn_ctx conns[CONN_SLOTS];
    cookie_origin cookies[COOKIE_SLOTS];
} explain_writer;

/* ---- Small helpers -------------------------------------------------------- */

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void addf(char *buf, const char *fmt, ...);

static void addf(char *buf, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len + 1 >= CLAUSE)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, CLAUSE - len, fmt, ap);
    va_end(ap);
}

static char *new_note(explanation *ex)
{
    if (ex->nnotes == MAX_NOTES)
        return NULL;
    char *n = ex->notes[ex->nnotes++];
    n[0] = '\0';
    return n;
}

static int is_cmd(const msnp_command *c, const char *name)
{
    return c->info && memcmp(c->info->name, name, 4) == 0;
}

/* The argument called `name` in the matched form, copied (bytes as on the
 * wire, NUL-terminated, truncated); "" when the form has none. */
static const char *arg(const record *r, const char *name, char *buf, size_t size)
{
    buf[0] = '\0';
    int i = msnp_command_find_arg(r->cmd, r->pdu, name);
    if (i < 0 || size == 0)
        return buf;
    msnp_span s = msnp_command_arg(r->cmd, r->pdu, (unsigned)i);
    size_t n = s.len < size - 1 ? s.len : size - 1;
    memcpy(buf, r->base + s.off, n);
    buf[n] = '\0';
    return buf;
}

static uint32_t arg_u32(const record *r, const char *name)
{
    char buf[16];
    arg(r, name, buf, sizeof buf);
    return (uint32_t)strtoul(buf, NULL, 10);
}

/* "80.0 ms", "1.25 s" */
static void duration(char *out, size_t size, int64_t us)
{
    if (us < 0)
        snprintf(out, size, "-%lld.%01lld ms (the capture's clock stepped back)",
                 -(long long)(us / 1000), -(long long)(us % 1000 / 100));
    else if (us < 10000000)
        snprintf(out, size, "%lld.%01lld ms", (long long)(us / 1000),
                 (long long)(us % 1000 / 100));
    else
        snprintf(out, size, "%lld.%02lld s", (long long)(us / 1000000),
                 (long long)(us % 1000000 / 10000));
}

static conn_ctx *conn_of(explain_writer *ew, uint64_t id)
{
    conn_ctx *c = &ew->conns[id % CONN_SLOTS];
    if (c->conn != id) {
        memset(c, 0, sizeof *c);
        c->conn = id;
    }
    return c;
}

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (uint8_t)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static void cookie_remember(explain_writer *ew, const char *value, const char *by,
                            const record *r)
{
    if (!value[0] || strlen(value) >= sizeof ew->cookies[0].value)
        return;
    cookie_origin *c = &ew->cookies[hash(value) % COOKIE_SLOTS];
    if (c->by && !strcmp(c->value, value))
        return; /* the first copy (e.g. of a relayed ACCEPT) is the origin */
    strcpy(c->value, value);
    c->by = by;
    c->frame = r->frame;
    c->conn = r->conn->id;
    c->sid = r->sid;
}

static const cookie_origin *cookie_find(const explain_writer *ew, const char *value)
{
    const cookie_origin *c = &ew->cookies[hash(value) % COOKIE_SLOTS];
    return c->by && !strcmp(c->value, value) ? c : NULL;
}

/* ---- Following the connection -------------------------------------------- */

/* What later lines need to know, learnt from this one. */
static void follow(explain_writer *ew, const record *r, conn_ctx *c, msnp_role role,
                   msnp_dir dir)
{
    const msnp_command *cmd = r->cmd;
    char buf[MSNP_HANDLE_MAX];
    if (!cmd->info)
        return;
    uint8_t flags = cmd->form ? cmd->form->flags : 0;
    if (is_cmd(cmd, "SYN") && dir == MSNP_DIR_S2C &&
        msnp_command_find_arg(cmd, r->pdu, "contact_count") >= 0) {
        c->contacts_total = arg_u32(r, "contact_count");
        c->groups_total = arg_u32(r, "group_count");
        c->contacts_seen = c->groups_seen = 0;
        c->contact[0] = '\0';
    } else if (flags & MSNP_F_SYN_DUMP) {
        if (is_cmd(cmd, "LSG"))
            c->groups_seen++;
        if (is_cmd(cmd, "LST")) {
            c->contacts_seen++;
            arg(r, msnp_command_find_arg(cmd, r->pdu, "user") >= 0 ? "user" : "contact",
                c->contact, sizeof c->contact);
        }
    }
    if ((role == MSNP_ROLE_NS || role == MSNP_ROLE_DS) && is_cmd(cmd, "USR") &&
        dir == MSNP_DIR_S2C && arg(r, "result", buf, sizeof buf)[0]) {
        arg(r, "user", c->user, sizeof c->user);
        c->signed_in = 1;
    } else if (is_cmd(cmd, "USR") || is_cmd(cmd, "CVR") || is_cmd(cmd, "ANS")) {
        if (dir == MSNP_DIR_C2S && arg(r, "user", buf, sizeof buf)[0] && !c->user[0])
            strcpy(c->user, buf);
    }
    if (is_cmd(cmd, "ANS") && dir == MSNP_DIR_C2S)
        c->callee = 1;
    if (is_cmd(cmd, "ANS") || (is_cmd(cmd, "CAL") && dir == MSNP_DIR_S2C))
        if (arg(r, "session_id", buf, sizeof c->session)[0])
            memcpy(c->session, buf, sizeof c->session);
    if (is_cmd(cmd, "XFR") && dir == MSNP_DIR_S2C)
        cookie_remember(ew, arg(r, "cookie", buf, sizeof buf), "XFR", r);
    if (is_cmd(cmd, "RNG"))
        cookie_remember(ew, arg(r, "cookie", buf, sizeof buf), "RNG", r);
}

/* An invitation's ACCEPT hands out the AuthCookie of the MSNFTP connection. */
static void follow_payload(explain_writer *ew, const record *r, const msnp_payload *pl)
{
    if (pl->kind != MSNP_PK_INVITE || pl->u.invite.command_code != MSNP_INVITE_CMD_ACCEPT ||
        !pl->u.invite.auth_cookie.len)
        return;
    char value[64];
    const uint8_t *p = r->base + r->pdu->payload.off;
    msnp_span s = pl->u.invite.auth_cookie;
    size_t n = s.len < sizeof value - 1 ? s.len : sizeof value - 1;
    memcpy(value, p + s.off, n);
    value[n] = '\0';
    cookie_remember(ew, value, "ACCEPT", r);
}

/* The how-manieth line answering its request a matched reply is (1 for the
 * first). */
static uint32_t reply_line(conn_ctx *c, const msnp_txn *t)
{
    unsigned n = sizeof c->replies / sizeof c->replies[0];
    for (unsigned i = 0; i < n; i++)
        if (c->replies[i].lines && c->replies[i].tag == t->tag && c->replies[i].trid == t->trid)
            return ++c->replies[i].lines;
    unsigned i = c->next_reply++ % n;
    c->replies[i].tag = t->tag;
    c->replies[i].trid = t->trid;
    c->replies[i].lines = 1;
    return 1;
}

/* ---- Context ---------------------------------------------------------------- */

static void session_clause(const record *r, const conn_ctx *c, msnp_role role, char *out)
{
    const char *uid = r->conn->uid;
    switch (role) {
    case MSNP_ROLE_DS:
        addf(out, "on dispatch-server connection %s", uid);
        break;
    case MSNP_ROLE_NS:
        if (c->user[0])
            addf(out, "on %s's notification-server connection %s%s", c->user, uid,
                 c->signed_in ? ", signed in" : ", before the login completes");
        else
            addf(out, "on notification-server connection %s, whose login is not among the "
                      "lines shown (the capture began after it, or -Y left it out)",
                 uid);
        break;
    case MSNP_ROLE_SB:
        if (c->session[0])
            addf(out, "in conversation %s, ", c->session);
        addf(out, "on switchboard connection %s", uid);
        if (c->user[0])
            addf(out, " (%s's side)", c->user);
        else
            addf(out, ", whose USR or ANS is not among the lines shown (the capture began "
                      "after it, or -Y left it out)");
        break;
    case MSNP_ROLE_FTP:
        addf(out, "on MSNFTP file-transfer connection %s", uid);
        break;
    default:
        addf(out, "on connection %s, whose role the capture does not show", uid);
        break;
    }
    if (r->sid)
        addf(out, ", login S%u", (unsigned)r->sid);
}

/* A line of the contact-list dump: where it stands in it. */
static void dump_clause(const record *r, const conn_ctx *c, uint32_t line, char *out)
{
    const msnp_command *cmd = r->cmd;
    if (r->txn.matched)
        addf(out, "line %u of the reply to the SYN in frame %llu (the contact-list dump): ",
             (unsigned)line, (unsigned long long)r->txn.tag);
    else
        addf(out, "a line of a contact-list dump whose SYN is not in the capture: ");
    if (is_cmd(cmd, "GTC"))
        addf(out, "the stored choice for when someone adds you");
    else if (is_cmd(cmd, "BLP"))
        addf(out, "the stored privacy mode");
    else if (is_cmd(cmd, "PRP"))
        addf(out, "one of your own stored properties");
    else if (is_cmd(cmd, "LSG") && c->groups_total)
        addf(out, "group %u of %u", (unsigned)c->groups_seen, (unsigned)c->groups_total);
    else if (is_cmd(cmd, "LSG"))
        addf(out, "group %u", (unsigned)c->groups_seen);
    else if (is_cmd(cmd, "LST") && c->contacts_total) {
        addf(out, "contact %u of %u", (unsigned)c->contacts_seen, (unsigned)c->contacts_total);
        if (c->contacts_seen == c->contacts_total)
            addf(out, ", the last one (BPR lines of it may still follow)");
    } else if (is_cmd(cmd, "LST"))
        addf(out, "contact %u", (unsigned)c->contacts_seen);
    else if (is_cmd(cmd, "BPR") && c->contact[0])
        addf(out, "a property of contact %u, %s (the LST line before it)",
             (unsigned)c->contacts_seen, c->contact);
    else
        addf(out, "a line of the dump");
}

static void context_clause(const record *r, const conn_ctx *c, msnp_role role,
                           explanation *ex, const char *request, uint32_t line)
{
    const msnp_command *cmd = r->cmd;
    const msnp_txn *t = &r->txn;
    if (ex->step) {
        const msnp_procedure *p = msnp_procedure_get(ex->step->procedure);
        addf(ex->context, "step %u of %u of %s: %s", (unsigned)ex->step->number,
             (unsigned)p->steps, p->title, ex->step->text);
        return;
    }
    if (cmd->form && (cmd->form->flags & MSNP_F_SYN_DUMP)) {
        dump_clause(r, c, line, ex->context);
        return;
    }
    if (t->kind == MSNP_TXN_REPLY && t->matched && line > 1) {
        addf(ex->context, "line %u of the reply to the %s in frame %llu", (unsigned)line,
             request ? request : "request", (unsigned long long)t->tag);
        if (is_cmd(cmd, "ILN"))
            addf(ex->context, ": a contact who is already online");
        else if (is_cmd(cmd, "BPR"))
            addf(ex->context, ": a property of the contact just added");
        return;
    }
    session_clause(r, c, role, ex->context);
}

/* ---- Exchange --------------------------------------------------------------- */

/* Whether a reply form can carry what the request sent: every argument the
 * two share by name must fit the reply's literal pattern for it (ADD AL is
 * not answered by the form that only has FL). */
static int reply_form_fits(const record *r, const msnp_form *f)
{
    size_t apos = 0, mpos = 0;
    for (;;) {
        const char *a = f->args + apos, *m = f->match + mpos;
        size_t al = strcspn(a, " "), ml = strcspn(m, " ");
        if (!al)
            return 1;
        apos += al + (a[al] == ' ');
        mpos += ml + (m[ml] == ' ');
        char name[32], value[64];
        if (!ml || al >= sizeof name || strchr("*#!@", m[0]) ||
            (al == 11 && !memcmp(a, "payload_len", 11))) /* another payload's length */
            continue;
        memcpy(name, a, al);
        name[al] = '\0';
        if (!arg(r, name, value, sizeof value)[0])
            continue;
        /* the pattern is a literal or alternatives: A|B|C */
        int fits = 0;
        for (const char *alt = m; alt < m + ml;) {
            size_t n = strcspn(alt, "| ");
            if (n > (size_t)(m + ml - alt))
                n = (size_t)(m + ml - alt);
            fits |= n == strlen(value) && !memcmp(alt, value, n);
            alt += n + 1;
        }
        if (!fits)
            return 0;
    }
}

/* The reply forms of the request's command, with its TrID filled in:
 * "ADD 14 FL <list_version> <user> <nick%> <group_id> or ...". */
static void reply_forms(const record *r, msnp_role role, char *out)
{
    const msnp_command *cmd = r->cmd;
    unsigned found = 0;
    char trid[16];
    snprintf(trid, sizeof trid, "%u", (unsigned)cmd->trid);
    for (unsigned i = 0; i < cmd->info->nforms && found < 3; i++) {
        const msnp_form *f = &cmd->info->forms[i];
        if (!(f->dirs & MSNP_D_S2C) || f->trid != MSNP_TRID_PRESENT ||
            (role != MSNP_ROLE_UNKNOWN && !(f->roles & (uint8_t)role)) ||
            f->era != cmd->form->era || !reply_form_fits(r, f))
            continue;
        char shape[256];
        msnp_form_syntax(cmd->info->name, f, shape, sizeof shape);
        char *at = strstr(shape, "<TrID>");
        addf(out, "%s", found++ ? " or " : "");
        if (at) {
            *at = '\0';
            addf(out, "%s%s%s", shape, trid, at + 6);
        } else {
            addf(out, "%s", shape);
        }
    }
}

static void error_codes(const msnp_command *cmd, char *out)
{
    const msnp_command_guide *g = msnp_command_guide_find(cmd->info->name, 3);
    if (!g || !g->errors[0])
        return;
    addf(out, "; or an error:");
    for (unsigned i = 0; i < MSNP_GUIDE_MAX_ERRORS && g->errors[i]; i++)
        addf(out, "%s %u", i ? "," : "", (unsigned)g->errors[i]);
}

static const msnp_ack_mode *ack_of(const record *r)
{
    int i = msnp_command_find_arg(r->cmd, r->pdu, "ack");
    if (i < 0)
        return NULL;
    msnp_span s = msnp_command_arg(r->cmd, r->pdu, (unsigned)i);
    return msnp_ack_mode_find(r->base + s.off, s.len);
}

static void request_clause(const record *r, msnp_role role, explanation *ex)
{
    const msnp_command *cmd = r->cmd;
    char *out = ex->exchange;
    const msnp_ack_mode *ack = is_cmd(cmd, "MSG") ? ack_of(r) : NULL;
    switch (r->txn.expect) {
    case MSNP_EXPECT_NONE:
        addf(out, "request; nothing answers it");
        if (ack)
            addf(out, " (acknowledgement mode %s)", ack->mode);
        break;
    case MSNP_EXPECT_ON_FAILURE:
        addf(out, "request; answered only if it fails: ");
        if (ack) {
            addf(out, "%s", ack->answer);
        } else {
            const char *a = msnp_failure_answer(cmd->info->name, 3);
            addf(out, "%s", a ? a : "an error");
        }
        break;
    default:
        addf(out, "request, answered by ");
        if (ex->step && ex->step->next)
            addf(out, "%s", ex->step->next);
        else if (ack)
            addf(out, "%s", ack->answer);
        else if (cmd->has_trid && cmd->form)
            reply_forms(r, role, out);
        if (out[strlen(out) - 1] == ' ')
            addf(out, "a reply whose form the table does not give (msnpdump explain %s tells "
                      "what is known)",
                 cmd->info->name);
        if (cmd->has_trid) /* an error names the TrID of the request that failed */
            error_codes(cmd, out);
        break;
    }
}

static void exchange_clause(const record *r, msnp_role role, explanation *ex,
                            const char *request, uint32_t line)
{
    const msnp_command *cmd = r->cmd;
    const msnp_txn *t = &r->txn;
    char *out = ex->exchange;
    switch (t->kind) {
    case MSNP_TXN_REQUEST:
        if (cmd->info)
            request_clause(r, role, ex);
        else
            addf(out, "request of a command the table does not know; what answers it is "
                      "unknown");
        break;
    case MSNP_TXN_REPLY:
        if (t->matched) {
            char dt[64];
            duration(dt, sizeof dt, record_usec_since(r, t->when));
            addf(out, "reply: answers the %s in frame %llu, %s later", request ? request : "request",
                 (unsigned long long)t->tag, dt);
            if (cmd->is_error)
                addf(out, "; that request failed");
            if (t->multi && !t->final && line == 1)
                addf(out, "; more lines of this reply may follow");
            else if (t->multi && t->final)
                addf(out, "; the reply ends here");
        } else if (cmd->form && (cmd->form->flags & MSNP_F_SYN_DUMP)) {
            addf(out, "reply: part of a contact-list dump whose SYN is not in the capture");
        } else {
            addf(out, "reply to a request that is not in the capture");
            if (t->has_trid)
                addf(out, " (TrID %u)", (unsigned)t->trid);
        }
        break;
    case MSNP_TXN_ASYNC:
        addf(out, "server-initiated: it answers no request");
        if (ex->step && ex->step->procedure == MSNP_PROC_CHALLENGE)
            addf(out, "; the client must answer with QRY");
        else if (is_cmd(cmd, "RNG"))
            addf(out, "; the client accepts by answering with ANS on the switchboard, or "
                      "declines by ignoring it");
        break;
    default:
        addf(out, "the direction of this line is not known, so whether it asks or answers "
                  "cannot be told");
        break;
    }
}

/* ---- Notes ------------------------------------------------------------------ */

static void note_cookie(explain_writer *ew, const record *r, msnp_role role, msnp_dir dir,
                        explanation *ex)
{
    const msnp_command *cmd = r->cmd;
    const char *want = NULL, *what = NULL, *ties = NULL;
    if (role == MSNP_ROLE_SB && dir == MSNP_DIR_C2S && is_cmd(cmd, "USR")) {
        want = "XFR";
        what = "cookie";
        ties = "this switchboard connection to that login";
    } else if (role == MSNP_ROLE_SB && dir == MSNP_DIR_C2S && is_cmd(cmd, "ANS")) {
        want = "RNG";
        what = "cookie";
        ties = "this switchboard connection to that login and to the invitation";
    } else if (role == MSNP_ROLE_FTP && is_cmd(cmd, "USR")) {
        want = "ACCEPT";
        what = "AuthCookie";
        ties = "this file transfer to that invitation";
    } else {
        return;
    }
    char value[64];
    if (!arg(r, "cookie", value, sizeof value)[0])
        return;
    char *n = new_note(ex);
    if (!n)
        return;
    const cookie_origin *o = cookie_find(ew, value);
    if (o && !strcmp(o->by, want)) {
        addf(n, "the %s %s was handed out by the %s in frame %llu on C%llu", what, value,
             want, (unsigned long long)o->frame, (unsigned long long)o->conn);
        if (o->sid)
            addf(n, " (login S%u)", (unsigned)o->sid);
        addf(n, ": it ties %s", ties);
    } else {
        addf(n, "the %s %s comes from %s %s that is not in the capture, so it cannot tie %s",
             what, value, strcmp(want, "ACCEPT") ? "an" : "an invitation", want, ties);
    }
}

static void note_qry(const record *r, explanation *ex)
{
    const msnp_pdu *p = r->pdu;
    int i = msnp_command_find_arg(r->cmd, p, "product_id");
    char *n = i >= 0 && p->has_payload ? new_note(ex) : NULL;
    if (!n)
        return;
    msnp_span id = msnp_command_arg(r->cmd, p, (unsigned)i);
    msnp_qry_result q;
    msnp_qry_verify((const uint8_t *)(r->challenge ? r->challenge : ""),
                    r->challenge ? strlen(r->challenge) : 0, r->base + id.off, id.len,
                    r->base + p->payload.off, p->payload.len, &q);
    if (q.status == MSNP_QRY_VERIFIED)
        addf(n, "the answer verifies: it is what the challenge %s and the key of %s give",
             r->challenge, q.client ? q.client->client : "the claimed client");
    else
        addf(n, "the answer does not verify: %s", msnp_qry_status_text((msnp_qry_status)q.status));
}

static void note_payload(explain_writer *ew, const record *r, msnp_role role, explanation *ex)
{
    const msnp_pdu *p = r->pdu;
    const uint8_t *pl = r->base + p->payload.off;
    const msnp_command *cmd = r->cmd;
    if (p->missing) {
        char *n = new_note(ex);
        if (n)
            addf(n, "%llu of the payload's %llu bytes are missing from the capture, so what "
                    "it carries cannot be told",
                 (unsigned long long)p->missing, (unsigned long long)p->declared);
        return;
    }
    char *n = NULL;
    if (is_cmd(cmd, "MSG")) {
        n = new_note(ex);
        if (n)
            msnp_explain_msg_payload(pl, p->payload.len, n, CLAUSE);
        if (role == MSNP_ROLE_SB) {
            msnp_payload decoded;
            msnp_payload_decode(pl, p->payload.len, &decoded);
            follow_payload(ew, r, &decoded);
        }
    } else if (is_cmd(cmd, "NOT") || is_cmd(cmd, "IPG") || is_cmd(cmd, "PAG")) {
        n = new_note(ex);
        if (n)
            msnp_explain_xml_payload(pl, p->payload.len, is_cmd(cmd, "PAG"), n, CLAUSE);
    } else if (is_cmd(cmd, "SDC") && p->payload.len) {
        n = new_note(ex);
        if (n) {
            addf(n, "the personal note of the e-mail: \"");
            size_t len = strlen(n), take = p->payload.len;
            if (take > 100)
                take = 100;
            for (size_t i = 0; i < take && len + 2 < CLAUSE; i++)
                n[len++] = pl[i] == '\r' || pl[i] == '\n' ? ' ' : (char)pl[i];
            n[len] = '\0';
            addf(n, "%s\"", take < p->payload.len ? "..." : "");
        }
    }
}

static void notes(explain_writer *ew, const record *r, msnp_role role, msnp_dir dir,
                  explanation *ex)
{
    const msnp_command *cmd = r->cmd;
    char *n;
    if (cmd->is_error && (n = new_note(ex)) != NULL)
        msnp_explain_error(cmd->error_code, n, CLAUSE);
    if (!cmd->info && !cmd->is_error && (n = new_note(ex)) != NULL)
        addf(n, "a command the table does not know (also reported as an unknown_command "
                "anomaly): it may belong to another protocol version or to a client's own "
                "extension");
    if (is_cmd(cmd, "MSG") && dir == MSNP_DIR_C2S) {
        const msnp_ack_mode *a = ack_of(r);
        if (a && (n = new_note(ex)) != NULL)
            addf(n, "acknowledgement mode %s (%s): the switchboard answers %s; used for %s",
                 a->mode, a->name, a->answer, a->use);
    }
    if (is_cmd(cmd, "QRY") && dir == MSNP_DIR_C2S)
        note_qry(r, ex);
    note_cookie(ew, r, role, dir, ex);
    if (r->pdu->has_payload)
        note_payload(ew, r, role, ex);
    if (cmd->form && (cmd->form->flags & MSNP_F_FATAL) && (n = new_note(ex)) != NULL)
        addf(n, "the server closes the connection after this line");
}

static void explain_command(explain_writer *ew, const record *r, explanation *ex)
{
    msnp_role role = msnp_conn_role(r->conn->msnp);
    msnp_dir dir = msnp_conn_dir(r->conn->msnp, r->side);
    conn_ctx *c = conn_of(ew, r->conn->id);
    memset(ex, 0, sizeof *ex);
    request_log_note(ew->requests, r);
    const char *request = r->txn.kind == MSNP_TXN_REPLY && r->txn.matched
                              ? request_log_find(ew->requests, r->conn->id, &r->txn)
                              : NULL;
    uint32_t line = r->txn.kind == MSNP_TXN_REPLY && r->txn.matched ? reply_line(c, &r->txn) : 0;
    follow(ew, r, c, role, dir);
    ex->step = msnp_step_find(role, dir, r->txn.kind, r->base, r->pdu, r->cmd);
    if (ex->step && ex->step->procedure == MSNP_PROC_CALL && c->callee)
        ex->step = NULL; /* someone joining a conversation this side was invited to */
    context_clause(r, c, role, ex, request, line);
    exchange_clause(r, role, ex, request, line);
    notes(ew, r, role, dir, ex);
}

/* ---- Output ----------------------------------------------------------------- */

static void text_clause(outbuf *o, const char *s)
{
    if (!s[0])
        return;
    ob_pad(o, INDENT);
    esc_text_str(o, s);
    ob_char(o, '\n');
}

static void text_explanation(outbuf *o, const explanation *ex)
{
    text_clause(o, ex->context);
    text_clause(o, ex->exchange);
    for (unsigned i = 0; i < ex->nnotes; i++)
        text_clause(o, ex->notes[i]);
}

static void json_explanation(outbuf *o, const explanation *ex, const char *meaning, size_t mlen)
{
    ob_str(o, ",\"explain\":{\"meaning\":\"");
    esc_json(o, (const uint8_t *)meaning, mlen);
    ob_char(o, '"');
    view_json_str(o, "context", ex->context);
    if (ex->exchange[0])
        view_json_str(o, "exchange", ex->exchange);
    if (ex->step) {
        const msnp_procedure *p = msnp_procedure_get(ex->step->procedure);
        ob_str(o, ",\"step\":{\"procedure\":\"");
        ob_str(o, p->name);
        ob_str(o, "\",\"number\":");
        ob_u64(o, ex->step->number);
        ob_str(o, ",\"of\":");
        ob_u64(o, p->steps);
        ob_char(o, '}');
    }
    ob_str(o, ",\"notes\":[");
    for (unsigned i = 0; i < ex->nnotes; i++) {
        if (i)
            ob_char(o, ',');
        ob_char(o, '"');
        esc_json_str(o, ex->notes[i]);
        ob_char(o, '"');
    }
    ob_str(o, "]}");
}

static void json_head(outbuf *o, const record *r, const char *type)
{
    ob_str(o, "{\"type\":\"");
    ob_str(o, type);
    ob_str(o, "\",\"frame\":");
    ob_u64(o, r->frame);
    ob_str(o, ",\"ts\":");
    ob_ts(o, r->sec, r->usec);
    view_json_str(o, "uid", r->conn->uid);
    view_json_str(o, "role", record_role(r));
    view_json_str(o, "dir", record_dir(r));
    view_json_sid(o, r->sid);
}

static void json_command(outbuf *o, const record *r, const explanation *ex)
{
    const msnp_pdu *p = r->pdu;
    json_head(o, r, "command");
    ob_str(o, ",\"line\":\"");
    esc_json(o, r->base, p->line_len);
    ob_str(o, "\",\"cmd\":\"");
    esc_json(o, r->base + p->tok[0].off, p->tok[0].len);
    ob_char(o, '"');
    if (r->cmd->has_trid) {
        ob_str(o, ",\"trid\":");
        ob_u64(o, r->cmd->trid);
    }
    if (r->txn.kind == MSNP_TXN_REPLY && r->txn.matched) {
        ob_str(o, ",\"response_to\":");
        ob_u64(o, r->txn.tag);
        int64_t us = record_usec_since(r, r->txn.when);
        ob_str(o, ",\"time\":");
        if (us < 0) {
            ob_char(o, '-');
            us = -us;
        }
        ob_ts(o, us / 1000000, (uint32_t)(us % 1000000));
    } else if (r->txn.kind == MSNP_TXN_ASYNC) {
        ob_str(o, ",\"async\":true");
    }
    if (p->has_payload) {
        ob_str(o, ",\"payload_len\":");
        ob_u64(o, p->missing ? p->declared : p->payload.len);
    }
    char meaning[2048];
    size_t n = msnp_render_meaning(r->cmd, r->base, p, meaning, sizeof meaning);
    json_explanation(o, ex, meaning, n);
    ob_str(o, "}\n");
}

static void json_data(outbuf *o, const record *r, const explanation *ex)
{
    json_head(o, r, "data");
    ob_str(o, ",\"first_frame\":");
    ob_u64(o, r->first_frame);
    ob_str(o, ",\"blocks\":");
    ob_u64(o, r->blocks);
    ob_str(o, ",\"bytes\":");
    ob_u64(o, r->bytes);
    static const char meaning[] = "MSNFTP file data";
    json_explanation(o, ex, meaning, sizeof meaning - 1);
    ob_str(o, "}\n");
}

static void explain_data(const record *r, explanation *ex)
{
    memset(ex, 0, sizeof *ex);
    ex->step = msnp_step_file_data();
    const msnp_procedure *p = msnp_procedure_get(ex->step->procedure);
    addf(ex->context, "step %u of %u of %s: %s", (unsigned)ex->step->number, (unsigned)p->steps,
         p->title, ex->step->text);
    addf(ex->exchange, "%llu bytes in %llu blocks, frames %llu-%llu%s",
         (unsigned long long)r->bytes, (unsigned long long)r->blocks,
         (unsigned long long)r->first_frame, (unsigned long long)r->frame,
         r->aborted ? "; an abort block (header byte 0x01) ended it early" : "");
}

static void explain_record(writer *w, const record *r)
{
    explain_writer *ew = (explain_writer *)w;
    explanation *ex = &ew->ex;
    switch (r->type) {
    case REC_COMMAND:
        explain_command(ew, r, ex);
        if (ew->jsonl) {
            json_command(w->out, r, ex);
        } else {
            ew->inner->record(ew->inner, r);
            text_explanation(w->out, ex);
        }
        break;
    case REC_DATA:
        explain_data(r, ex);
        if (ew->jsonl) {
            json_data(w->out, r, ex);
        } else {
            ew->inner->record(ew->inner, r);
            text_explanation(w->out, ex);
        }
        break;
    case REC_CONNECTION:
        request_log_forget(ew->requests, r->conn->id);
        if (ew->conns[r->conn->id % CONN_SLOTS].conn == r->conn->id)
            ew->conns[r->conn->id % CONN_SLOTS].conn = 0;
        ew->inner->record(ew->inner, r);
        break;
    default:
        ew->inner->record(ew->inner, r);
        break;
    }
}

static void explain_finish(writer *w)
{
    explain_writer *ew = (explain_writer *)w;
    ew->inner->finish(ew->inner);
    request_log_free(ew->requests);
    free(ew);
}

writer *view_explain_new(outbuf *out, int jsonl, const text_options *opt)
{
    explain_writer *ew = calloc(1, sizeof *ew);
    if (!ew)
        return NULL;
    ew->inner = jsonl ? writer_jsonl_new(out) : writer_text_new(out, opt);
    ew->requests = request_log_new();
    if (!ew->inner || !ew->requests) {
        if (ew->inner)
            ew->inner->finish(ew->inner);
        request_log_free(ew->requests);
        free(ew);
        return NULL;
    }
    ew->w.out = out;
    ew->w.record = explain_record;
    ew->w.finish = explain_finish;
    ew->jsonl = jsonl;
    return &ew->w;
}
