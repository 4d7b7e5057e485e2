/* The stats view: what a capture holds, counted, in the manner of tshark's
 * -z statistics: commands by role and direction, error replies with their
 * meanings, sessions (logins, switchboard conversations, file transfers),
 * messages per chat, response times per request command, anomalies by kind.
 * Written once, at the end; text or JSON Lines (one object per row).
 *
 * Memory is fixed whatever the capture's size: counters keyed by (role,
 * direction, command) in a bounded table, one array per error code, one
 * log-scale histogram per request command for the response times (see
 * latency_*), and the chats with the most messages (the others are counted,
 * not listed). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "latency.h"
#include "msnp/errors.h"
#include "msnp/trid.h"
#include "records.h"
#include "request_log.h"
#include "views.h"

enum {
    KEYS = 2048,     /* distinct (role, dir, command) rows kept */
    KINDS = 32,      /* distinct anomaly kinds kept */
    TOP_CHATS = 20,  /* chats listed by name */
    REQ_NAMES = 4,   /* request commands named per error code */
    RULE = 80
};

static const char percentile_method[] =
    "nearest rank (the smallest time with at least p % of the pairs at or below it). Exact "
    "while a command has at most 64 pairs; beyond, read from a fixed log-scale histogram per "
    "request command (16 buckets per doubling of the time): then a value is the top of its "
    "bucket, at most 6.25 % above the true one, never above the largest nor below the "
    "smallest time seen. Pairs: the first reply line to each request that is in the capture.";

/* ---- Counters ------------------------------------------------------------- */

typedef struct key_count {
    uint8_t used, role, dir;
    char cmd[16]; /* the command, an error code, or an unknown command's token */
    uint64_t count;
} key_count;

typedef struct error_count {
    uint64_t count;
    char req[REQ_NAMES][4];
    uint64_t req_count[REQ_NAMES];
    uint64_t req_other; /* request not known, or beyond REQ_NAMES names */
} error_count;

typedef struct kind_count {
    char kind[32];
    uint64_t count, bytes;
} kind_count;

typedef struct chat_row {
    char session_id[32];
    uint32_t sid;
    char participants[MSNP_EV_MAX_TO][MSNP_HANDLE_MAX];
    unsigned nparticipants;
    uint32_t messages, typing, invites, others;
    uint64_t first_frame;
} chat_row;

typedef struct stats_writer {
    writer w;
    int jsonl;
    request_log *requests;
    key_count keys[KEYS];
    uint64_t keys_overflow, commands;
    error_count errors[1000];
    /* per role and request command (the table's, then one for a request not
     * remembered), allocated when first needed */
    latency **latencies;
    size_t ncommands; /* the table's commands + 1 */
    /* per role, direction and table command: its row in keys, once made
     * (keys do not move until the report sorts them) */
    key_count **known_rows;
    kind_count kinds[KINDS];
    uint64_t kinds_overflow, anomalies;
    /* sessions */
    uint64_t conns[5]; /* by role bit index: unknown, DS, NS, SB, FTP */
    uint64_t logins, logins_seen, switchboards, sb_legs, invites, file_bytes;
    uint64_t outcomes[8];
    /* chats */
    chat_row top[TOP_CHATS];
    unsigned ntop;
    uint64_t chats, chat_messages, quiet_chats;
    /* the capture */
    uint64_t first_frame, last_frame;
    int64_t first_sec, last_sec;
    uint32_t first_usec, last_usec;
    int seen;
} stats_writer;

static const char *const outcome_names[] = {"invited",   "accepted",    "declined", "cancelled",
                                             "transferred", "incomplete", "aborted",  "other"};

static unsigned role_index(msnp_role r)
{
    return r == MSNP_ROLE_DS ? 1 : r == MSNP_ROLE_NS ? 2 : r == MSNP_ROLE_SB ? 3
                                 : r == MSNP_ROLE_FTP ? 4 : 0;
}

static const char *const role_names[5] = {"?", "DS", "NS", "SB", "FTP"};
static const char *const dir_names[3] = {"?", "c2s", "s2c"};

static unsigned dir_index(msnp_dir d)
{
    return d == MSNP_DIR_C2S ? 1 : d == MSNP_DIR_S2C ? 2 : 0;
}

/* The row of (role, dir, command), made when first counted; NULL when the
 * table is full. */
static key_count *count_key(stats_writer *sw, unsigned role, unsigned dir, const uint8_t *cmd,
                            size_t len)
{
    char name[16];
    if (len >= sizeof name)
        len = sizeof name - 1;
    memcpy(name, cmd, len);
    name[len] = '\0';
    uint64_t h = 1469598103934665603ULL ^ (role * 3 + dir);
    for (size_t i = 0; i < len; i++)
        h = (h ^ (uint8_t)name[i]) * 1099511628211ULL;
    for (unsigned probe = 0; probe < KEYS; probe++) {
        key_count *k = &sw->keys[(h + probe) % KEYS];
        if (!k->used) {
            k->used = 1;
            k->role = (uint8_t)role;
            k->dir = (uint8_t)dir;
            memcpy(k->cmd, name, len + 1);
        }
        if (k->role == role && k->dir == dir && !strcmp(k->cmd, name)) {
            k->count++;
            return k;
        }
    }
    sw->keys_overflow++;
    return NULL;
}

/* A command of the table is counted in its row, found once by name and
 * then through known_rows: the name lookup has already been done by the
 * parser (a row's name is the token itself). */
static void count_command(stats_writer *sw, const record *r, unsigned role, unsigned dir)
{
    size_t i = msnp_command_index(r->cmd->info);
    if (i + 1 >= sw->ncommands) {
        count_key(sw, role, dir, r->base + r->pdu->tok[0].off, r->pdu->tok[0].len);
        return;
    }
    key_count **row = &sw->known_rows[(role * 3 + dir) * sw->ncommands + i];
    if (*row)
        (*row)->count++;
    else
        *row = count_key(sw, role, dir, r->base + r->pdu->tok[0].off, r->pdu->tok[0].len);
}

static void count_error(error_count *e, const char *request)
{
    e->count++;
    for (unsigned i = 0; request && i < REQ_NAMES; i++) {
        if (!e->req[i][0])
            memcpy(e->req[i], request, 4);
        if (!memcmp(e->req[i], request, 4)) {
            e->req_count[i]++;
            return;
        }
    }
    e->req_other++;
}

static void count_latency(stats_writer *sw, const record *r, unsigned role, const char *request)
{
    const msnp_txn *t = &r->txn;
    if (t->kind != MSNP_TXN_REPLY || !t->matched || !t->first)
        return;
    size_t i = sw->ncommands - 1; /* the request was not remembered */
    const msnp_command_info *ci = request ? msnp_command_lookup((const uint8_t *)request, 3) : NULL;
    size_t k = msnp_command_index(ci);
    if (k + 1 < sw->ncommands)
        i = k;
    latency **l = &sw->latencies[role * sw->ncommands + i];
    if (!*l && !(*l = calloc(1, sizeof **l)))
        return;
    latency_add(*l, record_usec_since(r, t->when));
}

static void count_anomaly(stats_writer *sw, const record *r)
{
    sw->anomalies++;
    for (unsigned i = 0; i < KINDS; i++) {
        kind_count *k = &sw->kinds[i];
        if (!k->kind[0])
            snprintf(k->kind, sizeof k->kind, "%s", r->kind);
        if (!strcmp(k->kind, r->kind)) {
            k->count++;
            k->bytes += r->bytes;
            return;
        }
    }
    sw->kinds_overflow++;
}

static void stats_record(writer *w, const record *r)
{
    stats_writer *sw = (stats_writer *)w;
    if (r->type != REC_CONNECTION) {
        if (!sw->seen || r->frame < sw->first_frame)
            sw->first_frame = r->frame;
        if (!sw->seen || r->sec < sw->first_sec ||
            (r->sec == sw->first_sec && r->usec < sw->first_usec)) {
            sw->first_sec = r->sec;
            sw->first_usec = r->usec;
        }
        if (r->frame > sw->last_frame)
            sw->last_frame = r->frame;
        if (!sw->seen || r->sec > sw->last_sec ||
            (r->sec == sw->last_sec && r->usec > sw->last_usec)) {
            sw->last_sec = r->sec;
            sw->last_usec = r->usec;
        }
        sw->seen = 1;
    }
    msnp_role role = msnp_conn_role(r->conn->msnp);
    switch (r->type) {
    case REC_COMMAND: {
        sw->commands++;
        request_log_note(sw->requests, r);
        const char *request = r->txn.kind == MSNP_TXN_REPLY && r->txn.matched
                                  ? request_log_find(sw->requests, r->conn->id, &r->txn)
                                  : NULL;
        count_command(sw, r, role_index(role), dir_index(msnp_conn_dir(r->conn->msnp, r->side)));
        if (r->cmd->is_error && r->cmd->error_code < 1000)
            count_error(&sw->errors[r->cmd->error_code], request);
        count_latency(sw, r, role_index(role), request);
        break;
    }
    case REC_ANOMALY:
        count_anomaly(sw, r);
        break;
    case REC_DATA:
        sw->file_bytes += r->bytes;
        break;
    case REC_CONNECTION:
        sw->conns[role_index(role)]++;
        request_log_forget(sw->requests, r->conn->id);
        break;
    }
}

/* ---- Sessions, from the correlator ---------------------------------------- */

static void keep_chat(stats_writer *sw, const msnp_sb_info *s)
{
    sw->chats++;
    sw->chat_messages += s->messages;
    if (!s->messages)
        sw->quiet_chats++;
    /* Keep the TOP_CHATS with the most messages (earliest first on ties). */
    unsigned at = sw->ntop;
    if (at == TOP_CHATS) {
        chat_row *last = &sw->top[TOP_CHATS - 1];
        if (s->messages <= last->messages)
            return;
        at = TOP_CHATS - 1;
    } else {
        sw->ntop++;
    }
    while (at > 0 && sw->top[at - 1].messages < s->messages) {
        sw->top[at] = sw->top[at - 1];
        at--;
    }
    chat_row *c = &sw->top[at];
    memset(c, 0, sizeof *c);
    snprintf(c->session_id, sizeof c->session_id, "%s", s->session_id);
    c->sid = s->sid;
    c->nparticipants = s->nparticipants < MSNP_EV_MAX_TO ? s->nparticipants : MSNP_EV_MAX_TO;
    memcpy(c->participants, s->participants, sizeof c->participants);
    c->messages = s->messages;
    c->typing = s->typing;
    c->invites = s->invites;
    c->others = s->others;
    c->first_frame = s->first_frame;
}

static void stats_event(writer *w, const msnp_event *ev)
{
    stats_writer *sw = (stats_writer *)w;
    switch (ev->kind) {
    case MSNP_EV_LOGIN_END:
        sw->logins++;
        sw->logins_seen += ev->login->login_seen;
        break;
    case MSNP_EV_SB_END:
        sw->switchboards++;
        sw->sb_legs += ev->sb->nconns;
        keep_chat(sw, ev->sb);
        break;
    case MSNP_EV_INVITE_END: {
        sw->invites++;
        unsigned o = 7;
        for (unsigned i = 0; i < 7; i++)
            if (ev->invite->outcome && !strcmp(ev->invite->outcome, outcome_names[i]))
                o = i;
        sw->outcomes[o]++;
        break;
    }
    default:
        break;
    }
}

/* ---- Output --------------------------------------------------------------- */

static int key_order(const void *a, const void *b)
{
    const key_count *x = a, *y = b;
    if (x->used != y->used)
        return y->used - x->used;
    if (x->role != y->role)
        return x->role - y->role;
    if (x->dir != y->dir)
        return x->dir - y->dir;
    return strcmp(x->cmd, y->cmd);
}

static void line(outbuf *o, char c)
{
    for (int i = 0; i < RULE; i++)
        ob_char(o, c);
    ob_char(o, '\n');
}

static void printf_ob(outbuf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void printf_ob(outbuf *o, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0)
        ob_write(o, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* A time in microseconds as milliseconds: "80.000". */
static void ms(char *buf, size_t size, uint64_t us)
{
    snprintf(buf, size, "%llu.%03llu", (unsigned long long)(us / 1000),
             (unsigned long long)(us % 1000));
}

/* As seconds for JSON: 0.080000 */
static void json_seconds(outbuf *o, const char *key, uint64_t us)
{
    ob_str(o, ",\"");
    ob_str(o, key);
    ob_str(o, "\":");
    ob_ts(o, (int64_t)(us / 1000000), (uint32_t)(us % 1000000));
}

static void text_commands(stats_writer *sw, outbuf *o)
{
    ob_str(o, "Commands by role and direction\n");
    printf_ob(o, " %-5s %-4s %-16s %12s\n", "Role", "Dir", "Command", "Count");
    for (unsigned i = 0; i < KEYS && sw->keys[i].used; i++) {
        const key_count *k = &sw->keys[i];
        ob_str(o, " ");
        printf_ob(o, "%-5s %-4s ", role_names[k->role], dir_names[k->dir]);
        size_t start = o->len;
        esc_text_str(o, k->cmd);
        size_t width = o->len >= start ? o->len - start : 0;
        ob_pad(o, width < 16 ? 16 - width : 0);
        printf_ob(o, " %12llu\n", (unsigned long long)k->count);
    }
    printf_ob(o, " %-27s %12llu\n", "total", (unsigned long long)sw->commands);
    if (sw->keys_overflow)
        printf_ob(o, " (%llu commands of further kinds not itemised)\n",
                  (unsigned long long)sw->keys_overflow);
}

static void text_errors(stats_writer *sw, outbuf *o)
{
    ob_str(o, "Error replies\n");
    int any = 0;
    for (unsigned code = 0; code < 1000; code++) {
        const error_count *e = &sw->errors[code];
        if (!e->count)
            continue;
        any = 1;
        const msnp_error_info *info = msnp_error_lookup(code);
        printf_ob(o, " %03u %8llu  %s: %s\n", code, (unsigned long long)e->count,
                  info ? info->name : "unknown code",
                  info ? info->meaning : "not in the error table");
        ob_str(o, "              in reply to:");
        for (unsigned i = 0; i < REQ_NAMES && e->req[i][0]; i++)
            printf_ob(o, " %s %llu", e->req[i], (unsigned long long)e->req_count[i]);
        if (e->req_other)
            printf_ob(o, " (request not in the capture) %llu", (unsigned long long)e->req_other);
        ob_char(o, '\n');
    }
    if (!any)
        ob_str(o, " none\n");
}

static void text_sessions(stats_writer *sw, outbuf *o)
{
    ob_str(o, "Sessions\n");
    printf_ob(o, " %-32s %8llu  (%llu signed in within the capture, %llu picked up already "
                 "signed in)\n",
              "notification-server logins", (unsigned long long)sw->logins,
              (unsigned long long)sw->logins_seen,
              (unsigned long long)(sw->logins - sw->logins_seen));
    printf_ob(o, " %-32s %8llu\n", "dispatch-server connections", (unsigned long long)sw->conns[1]);
    printf_ob(o, " %-32s %8llu  (%llu switchboard connections)\n", "switchboard conversations",
              (unsigned long long)sw->switchboards, (unsigned long long)sw->conns[3]);
    printf_ob(o, " %-32s %8llu  (%llu bytes of file data)\n", "MSNFTP transfers",
              (unsigned long long)sw->conns[4], (unsigned long long)sw->file_bytes);
    printf_ob(o, " %-32s %8llu", "invitations", (unsigned long long)sw->invites);
    const char *sep = "  (";
    for (unsigned i = 0; i < 8; i++)
        if (sw->outcomes[i]) {
            printf_ob(o, "%s%llu %s", sep, (unsigned long long)sw->outcomes[i], outcome_names[i]);
            sep = ", ";
        }
    ob_str(o, sep[0] == ',' ? ")\n" : "\n");
    if (sw->conns[0])
        printf_ob(o, " %-32s %8llu\n", "connections of unknown role",
                  (unsigned long long)sw->conns[0]);
}

static void text_chats(stats_writer *sw, outbuf *o)
{
    ob_str(o, "Messages per chat\n");
    printf_ob(o, " conversations: %llu, messages: %llu, conversations without messages: %llu%s\n",
              (unsigned long long)sw->chats, (unsigned long long)sw->chat_messages,
              (unsigned long long)sw->quiet_chats,
              sw->chats > TOP_CHATS ? "; the 20 with the most messages:" : "");
    printf_ob(o, " %-12s %-5s %8s %6s %11s %5s  %s\n", "Session", "Login", "Messages", "Typing",
              "Invitations", "Other", "Participants");
    for (unsigned i = 0; i < sw->ntop; i++) {
        const chat_row *c = &sw->top[i];
        char sid[16] = "-";
        if (c->sid)
            snprintf(sid, sizeof sid, "S%u", (unsigned)c->sid);
        ob_char(o, ' ');
        size_t start = o->len;
        esc_text_str(o, c->session_id[0] ? c->session_id : "(not seen)");
        size_t width = o->len >= start ? o->len - start : 0;
        ob_pad(o, width < 12 ? 12 - width : 0);
        printf_ob(o, " %-5s %8u %6u %11u %5u  ", sid, c->messages, c->typing, c->invites,
                  c->others);
        for (unsigned k = 0; k < c->nparticipants; k++) {
            ob_str(o, k ? ", " : "");
            esc_text_str(o, c->participants[k]);
        }
        ob_char(o, '\n');
    }
}

/* A label and a paragraph, wrapped at RULE columns, indented by one. */
static void wrapped(outbuf *o, const char *label, const char *text)
{
    size_t col = 1;
    ob_char(o, ' ');
    ob_str(o, label);
    col += strlen(label);
    for (const char *w = text; *w;) {
        size_t n = strcspn(w, " ");
        if (col + 1 + n > RULE) {
            ob_str(o, "\n ");
            col = 1;
        } else {
            ob_char(o, ' ');
            col++;
        }
        ob_write(o, w, n);
        col += n;
        w += n;
        while (*w == ' ')
            w++;
    }
    ob_char(o, '\n');
}

static const char *latency_name(const stats_writer *sw, size_t i)
{
    size_t k = i % sw->ncommands;
    return k + 1 < sw->ncommands ? msnp_command_at(k)->name : "unknown";
}

static void text_latencies(stats_writer *sw, outbuf *o)
{
    ob_str(o, "Response times per request command (ms)\n");
    printf_ob(o, " %-5s %-8s %7s %11s %11s %11s %11s %11s\n", "Role", "Command", "Pairs", "Min",
              "p50", "p90", "p99", "Max");
    for (size_t i = 0; i < 5 * sw->ncommands; i++) {
        const latency *l = sw->latencies[i];
        if (!l)
            continue;
        const char *name = latency_name(sw, i);
        printf_ob(o, " %-5s", role_names[i / sw->ncommands]);
        char v[5][32];
        ms(v[0], sizeof v[0], l->min);
        ms(v[1], sizeof v[1], latency_percentile(l, 50));
        ms(v[2], sizeof v[2], latency_percentile(l, 90));
        ms(v[3], sizeof v[3], latency_percentile(l, 99));
        ms(v[4], sizeof v[4], l->max);
        if (l->count)
            printf_ob(o, " %-8s %7llu %11s %11s %11s %11s %11s", name,
                      (unsigned long long)l->count, v[0], v[1], v[2], v[3], v[4]);
        else
            printf_ob(o, " %-8s %7llu", name, 0ULL);
        if (l->negative)
            printf_ob(o, "  (%llu replies stamped before their request, left out)",
                      (unsigned long long)l->negative);
        ob_char(o, '\n');
    }
    wrapped(o, "Percentiles:", percentile_method);
}

static void text_anomalies(stats_writer *sw, outbuf *o)
{
    ob_str(o, "Anomalies by kind\n");
    if (!sw->anomalies)
        ob_str(o, " none\n");
    for (unsigned i = 0; i < KINDS && sw->kinds[i].kind[0]; i++)
        printf_ob(o, " %-24s %8llu  %llu bytes\n", sw->kinds[i].kind,
                  (unsigned long long)sw->kinds[i].count, (unsigned long long)sw->kinds[i].bytes);
    if (sw->kinds_overflow)
        printf_ob(o, " %-24s %8llu\n", "(further kinds)", (unsigned long long)sw->kinds_overflow);
}

/* "2003-07-03 15:00:00.105430" */
static void utc(char *buf, size_t size, int64_t sec, uint32_t usec)
{
    time_t t = (time_t)sec;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(buf, size, "%lld.%06u", (long long)sec, (unsigned)usec);
        return;
    }
    snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d.%06u", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (unsigned)usec);
}

static void text_report(stats_writer *sw, outbuf *o)
{
    line(o, '=');
    ob_str(o, "MSNP statistics\n");
    if (sw->seen) {
        char a[64], b[64];
        utc(a, sizeof a, sw->first_sec, sw->first_usec);
        utc(b, sizeof b, sw->last_sec, sw->last_usec);
        printf_ob(o, "Frames %llu-%llu, %s to %s UTC\n", (unsigned long long)sw->first_frame,
                  (unsigned long long)sw->last_frame, a, b);
    } else
        ob_str(o, "No MSNP traffic\n");
    line(o, '=');
    text_commands(sw, o);
    line(o, '-');
    text_errors(sw, o);
    line(o, '-');
    text_sessions(sw, o);
    line(o, '-');
    text_chats(sw, o);
    line(o, '-');
    text_latencies(sw, o);
    line(o, '-');
    text_anomalies(sw, o);
    line(o, '=');
}

static void json_report(stats_writer *sw, outbuf *o)
{
    ob_str(o, "{\"type\":\"capture\"");
    if (sw->seen) {
        printf_ob(o, ",\"first_frame\":%llu,\"last_frame\":%llu",
                  (unsigned long long)sw->first_frame, (unsigned long long)sw->last_frame);
        ob_str(o, ",\"first_ts\":");
        ob_ts(o, sw->first_sec, sw->first_usec);
        ob_str(o, ",\"last_ts\":");
        ob_ts(o, sw->last_sec, sw->last_usec);
    }
    printf_ob(o, ",\"commands\":%llu,\"anomalies\":%llu}\n", (unsigned long long)sw->commands,
              (unsigned long long)sw->anomalies);
    for (unsigned i = 0; i < KEYS && sw->keys[i].used; i++) {
        const key_count *k = &sw->keys[i];
        printf_ob(o, "{\"type\":\"command_count\",\"role\":\"%s\",\"dir\":\"%s\"",
                  role_names[k->role][0] == '?' ? "unknown" : role_names[k->role],
                  dir_names[k->dir][0] == '?' ? "unknown" : dir_names[k->dir]);
        view_json_str(o, "cmd", k->cmd);
        printf_ob(o, ",\"count\":%llu}\n", (unsigned long long)k->count);
    }
    for (unsigned code = 0; code < 1000; code++) {
        const error_count *e = &sw->errors[code];
        if (!e->count)
            continue;
        const msnp_error_info *info = msnp_error_lookup(code);
        printf_ob(o, "{\"type\":\"error_count\",\"code\":%u", code);
        if (info) {
            view_json_str(o, "name", info->name);
            view_json_str(o, "meaning", info->meaning);
        }
        printf_ob(o, ",\"count\":%llu,\"requests\":{", (unsigned long long)e->count);
        for (unsigned i = 0; i < REQ_NAMES && e->req[i][0]; i++)
            printf_ob(o, "%s\"%s\":%llu", i ? "," : "", e->req[i],
                      (unsigned long long)e->req_count[i]);
        printf_ob(o, "},\"request_unknown\":%llu}\n", (unsigned long long)e->req_other);
    }
    printf_ob(o,
              "{\"type\":\"sessions\",\"logins\":%llu,\"logins_seen\":%llu,"
              "\"switchboards\":%llu,\"transfers\":%llu,\"file_bytes\":%llu,"
              "\"invitations\":%llu,\"outcomes\":{",
              (unsigned long long)sw->logins, (unsigned long long)sw->logins_seen,
              (unsigned long long)sw->switchboards, (unsigned long long)sw->conns[4],
              (unsigned long long)sw->file_bytes, (unsigned long long)sw->invites);
    const char *sep = "";
    for (unsigned i = 0; i < 8; i++)
        if (sw->outcomes[i]) {
            printf_ob(o, "%s\"%s\":%llu", sep, outcome_names[i], (unsigned long long)sw->outcomes[i]);
            sep = ",";
        }
    printf_ob(o, "},\"connections\":{\"DS\":%llu,\"NS\":%llu,\"SB\":%llu,\"FTP\":%llu,"
                 "\"unknown\":%llu}}\n",
              (unsigned long long)sw->conns[1], (unsigned long long)sw->conns[2],
              (unsigned long long)sw->conns[3], (unsigned long long)sw->conns[4],
              (unsigned long long)sw->conns[0]);
    printf_ob(o, "{\"type\":\"chats\",\"conversations\":%llu,\"messages\":%llu,"
                 "\"without_messages\":%llu,\"listed\":%u}\n",
              (unsigned long long)sw->chats, (unsigned long long)sw->chat_messages,
              (unsigned long long)sw->quiet_chats, sw->ntop);
    for (unsigned i = 0; i < sw->ntop; i++) {
        const chat_row *c = &sw->top[i];
        ob_str(o, "{\"type\":\"chat\"");
        if (c->session_id[0])
            view_json_str(o, "session_id", c->session_id);
        view_json_sid(o, c->sid);
        ob_str(o, ",\"participants\":[");
        for (unsigned k = 0; k < c->nparticipants; k++) {
            ob_str(o, k ? ",\"" : "\"");
            esc_json_str(o, c->participants[k]);
            ob_char(o, '"');
        }
        ob_char(o, ']');
        printf_ob(o, ",\"messages\":%u,\"typing\":%u,\"invitations\":%u,\"other\":%u}\n",
                  c->messages, c->typing, c->invites, c->others);
    }
    for (size_t i = 0; i < 5 * sw->ncommands; i++) {
        const latency *l = sw->latencies[i];
        if (!l)
            continue;
        ob_str(o, "{\"type\":\"response_time\"");
        view_json_str(o, "role", i / sw->ncommands ? role_names[i / sw->ncommands] : "unknown");
        view_json_str(o, "cmd", latency_name(sw, i));
        printf_ob(o, ",\"pairs\":%llu", (unsigned long long)l->count);
        if (l->count) {
            json_seconds(o, "min", l->min);
            json_seconds(o, "p50", latency_percentile(l, 50));
            json_seconds(o, "p90", latency_percentile(l, 90));
            json_seconds(o, "p99", latency_percentile(l, 99));
            json_seconds(o, "max", l->max);
        }
        printf_ob(o, ",\"negative\":%llu}\n", (unsigned long long)l->negative);
    }
    for (unsigned i = 0; i < KINDS && sw->kinds[i].kind[0]; i++) {
        ob_str(o, "{\"type\":\"anomaly_count\"");
        view_json_str(o, "kind", sw->kinds[i].kind);
        printf_ob(o, ",\"count\":%llu,\"bytes\":%llu}\n", (unsigned long long)sw->kinds[i].count,
                  (unsigned long long)sw->kinds[i].bytes);
    }
    ob_str(o, "{\"type\":\"percentile_method\"");
    view_json_str(o, "text", percentile_method);
    ob_str(o, "}\n");
}

static void stats_finish(writer *w)
{
    stats_writer *sw = (stats_writer *)w;
    free(sw->known_rows); /* the sort moves the rows they point to */
    sw->known_rows = NULL;
    qsort(sw->keys, KEYS, sizeof sw->keys[0], key_order);
    if (sw->jsonl)
        json_report(sw, w->out);
    else
        text_report(sw, w->out);
    request_log_free(sw->requests);
    for (size_t i = 0; i < 5 * sw->ncommands; i++)
        free(sw->latencies[i]);
    free(sw->latencies);
    free(sw);
}

writer *view_stats_new(outbuf *out, int jsonl, const text_options *opt)
{
    (void)opt;
    stats_writer *sw = calloc(1, sizeof *sw);
    if (!sw)
        return NULL;
    sw->ncommands = msnp_command_count() + 1;
    sw->latencies = calloc(5 * sw->ncommands, sizeof *sw->latencies);
    sw->known_rows = calloc(5 * 3 * sw->ncommands, sizeof *sw->known_rows);
    sw->requests = request_log_new();
    if (!sw->latencies || !sw->known_rows || !sw->requests) {
        free(sw->latencies);
        free(sw->known_rows);
        request_log_free(sw->requests);
        free(sw);
        return NULL;
    }
    sw->w.out = out;
    sw->w.record = stats_record;
    sw->w.event = stats_event;
    sw->w.finish = stats_finish;
    sw->jsonl = jsonl;
    return &sw->w;
}
