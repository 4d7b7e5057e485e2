/* The users view: per notification-server login, who signed in (account,
 * friendly name, client version, login profile), the contact list (the SYN
 * dump and the edits after it), the user's own status changes and the
 * contacts' presence, from libmsnp's roster (roster.h). One record per login,
 * written when its connection ends; rosters are kept only for open logins. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "msnp/errors.h"
#include "msnp/payload.h"
#include "msnp/roster.h"
#include "msnp/values.h"
#include "records.h"
#include "timefmt.h"
#include "views.h"

#define BUCKETS 4096
/* Logins whose connection ended and that wait for the correlation's word on
 * their account (the login's end event) before they are written. */
#define MAX_WAITING 64

typedef struct login_entry {
    struct login_entry *chain; /* same bucket */
    struct login_entry *prev, *next; /* in the order they began */
    uint64_t conn;
    uint32_t sid;
    char uid[24];
    char client_addr[64];
    msnp_roster *roster;
    uint8_t ended;     /* the connection record came */
    uint8_t login_end; /* the correlation ended the login */
} login_entry;

typedef struct users_writer {
    writer w;
    int jsonl;
    timefmt head, line; /* the record's heading (with the date), its lines */
    login_entry *buckets[BUCKETS];
    login_entry *first, *last;
    uint32_t waiting;
    int clock_started;
    const msnp_value_table *status_names, *os_names, *locale_names, *gtc_names, *blp_names;
    char scratch[4096];
} users_writer;

/* ---- bookkeeping ------------------------------------------------------------ */

static login_entry **bucket(users_writer *uw, uint64_t conn)
{
    return &uw->buckets[(conn * 0x9E3779B97F4A7C15ull) >> 52];
}

static login_entry *find(users_writer *uw, uint64_t conn)
{
    for (login_entry *e = *bucket(uw, conn); e; e = e->chain)
        if (e->conn == conn)
            return e;
    return NULL;
}

/* "IP:PORT" or "[IPv6]:PORT" without the port. */
static void address_of(char *dst, size_t size, const char *endpoint)
{
    const char *colon = strrchr(endpoint, ':');
    size_t n = colon ? (size_t)(colon - endpoint) : strlen(endpoint);
    if (n >= 2 && endpoint[0] == '[' && endpoint[n - 1] == ']') {
        endpoint++;
        n -= 2;
    }
    if (n >= size)
        n = size - 1;
    memcpy(dst, endpoint, n);
    dst[n] = 0;
}

static login_entry *open_login(users_writer *uw, const record *r)
{
    login_entry *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->roster = msnp_roster_new(NULL);
    if (!e->roster) {
        free(e);
        return NULL;
    }
    e->conn = r->conn->id;
    snprintf(e->uid, sizeof e->uid, "%s", r->conn->uid);
    int client = r->conn->msnp->client_side >= 0 ? r->conn->msnp->client_side : 0;
    address_of(e->client_addr, sizeof e->client_addr, r->conn->endpoint[client]);
    login_entry **b = bucket(uw, e->conn);
    e->chain = *b;
    *b = e;
    e->prev = uw->last;
    if (uw->last)
        uw->last->next = e;
    else
        uw->first = e;
    uw->last = e;
    return e;
}

static void close_login(users_writer *uw, login_entry *e)
{
    for (login_entry **p = bucket(uw, e->conn); *p; p = &(*p)->chain) {
        if (*p == e) {
            *p = e->chain;
            break;
        }
    }
    if (e->prev)
        e->prev->next = e->next;
    else
        uw->first = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        uw->last = e->prev;
    if (e->ended && !e->login_end)
        uw->waiting--;
    msnp_roster_free(e->roster);
    free(e);
}

/* ---- JSON ------------------------------------------------------------------- */

/* What was not kept or not used, under the names of the JSON "dropped"
 * object (text says the same). */
static const struct {
    const char *key;
    size_t off;
} dropped_keys[] = {
    {"contacts", offsetof(msnp_roster_dropped, contacts)},
    {"groups", offsetof(msnp_roster_dropped, groups)},
    {"edits", offsetof(msnp_roster_dropped, edits)},
    {"status", offsetof(msnp_roster_dropped, status)},
    {"presence", offsetof(msnp_roster_dropped, presence)},
    {"text", offsetof(msnp_roster_dropped, text)},
    {"unparsed", offsetof(msnp_roster_dropped, unparsed)},
    {"orphan_bpr", offsetof(msnp_roster_dropped, orphans)},
    {"later_version", offsetof(msnp_roster_dropped, later)},
};

static uint64_t dropped_count(const msnp_roster_dropped *d, size_t i)
{
    uint64_t v;
    memcpy(&v, (const char *)d + dropped_keys[i].off, sizeof v);
    return v;
}

static void json_text(outbuf *o, const msnp_roster *r, msnp_rtext t)
{
    ob_char(o, '"');
    esc_json(o, msnp_roster_str(r, t), t.len);
    ob_char(o, '"');
}

static void json_key_text(outbuf *o, const char *key, const msnp_roster *r, msnp_rtext t)
{
    ob_write(o, ",\"", 2);
    ob_str(o, key);
    ob_write(o, "\":", 2);
    json_text(o, r, t);
}

static void json_key_u64(outbuf *o, const char *key, uint64_t v)
{
    ob_write(o, ",\"", 2);
    ob_str(o, key);
    ob_write(o, "\":", 2);
    ob_u64(o, v);
}

static void json_when(outbuf *o, uint64_t frame, msnp_time ts)
{
    ob_str(o, "\"frame\":");
    ob_u64(o, frame);
    ob_str(o, ",\"ts\":");
    ob_ts(o, ts.sec, ts.usec);
}

static void json_error(outbuf *o, unsigned code)
{
    ob_str(o, ",\"error\":{\"code\":");
    ob_u64(o, code);
    const msnp_error_info *ei = msnp_error_lookup(code);
    if (ei) {
        view_json_str(o, "name", ei->name);
        view_json_str(o, "meaning", ei->meaning);
    }
    ob_char(o, '}');
}

/* A profile value under its vocabulary name without "msnp.profile."; the
 * decoder's issues in a list of their own. */
typedef struct profile_out {
    outbuf *o;
    int issues; /* this pass writes the issues */
    int n;
} profile_out;

static const char profile_prefix[] = "msnp.profile.";

static void profile_value(void *ctx, const msnp_vocab_value *v)
{
    profile_out *po = ctx;
    outbuf *o = po->o;
    if (po->issues) {
        if (v->id != MSNP_V_PAYLOAD_ISSUE)
            return;
        if (po->n++)
            ob_char(o, ',');
        ob_char(o, '"');
        esc_json(o, v->str, v->str_len);
        ob_char(o, '"');
        return;
    }
    const char *name = v->field->name;
    if (strncmp(name, profile_prefix, sizeof profile_prefix - 1))
        return;
    if (po->n++)
        ob_char(o, ',');
    ob_char(o, '"');
    ob_str(o, name + sizeof profile_prefix - 1);
    ob_write(o, "\":", 2);
    switch (v->field->type) {
    case MSNP_VT_UINT:
    case MSNP_VT_HEX:
    case MSNP_VT_TIME:
        ob_u64(o, v->u);
        break;
    case MSNP_VT_INT:
        if (v->i < 0) {
            ob_char(o, '-');
            ob_u64(o, (uint64_t)0 - (uint64_t)v->i);
        } else {
            ob_u64(o, (uint64_t)v->i);
        }
        break;
    case MSNP_VT_BOOL:
        ob_str(o, v->u ? "true" : "false");
        break;
    default:
        ob_char(o, '"');
        esc_json(o, v->str, v->str_len);
        ob_char(o, '"');
        break;
    }
}

static void json_profile(users_writer *uw, const msnp_roster *r)
{
    outbuf *o = uw->w.out;
    if (!r->profile_bytes) {
        ob_str(o, ",\"profile\":null");
        return;
    }
    msnp_payload pl;
    msnp_payload_decode(r->profile_bytes, r->profile_len, &pl);
    msnp_vocab_scratch scratch = {uw->scratch, sizeof uw->scratch};
    profile_out po = {o, 0, 0};
    ob_str(o, ",\"profile\":{\"frame\":");
    ob_u64(o, r->profile_frame);
    po.n = 1;
    msnp_payload_visit(&pl, r->profile_bytes, scratch, profile_value, &po);
    ob_str(o, ",\"issues\":[");
    po.issues = 1;
    po.n = 0;
    msnp_payload_visit(&pl, r->profile_bytes, scratch, profile_value, &po);
    ob_str(o, "]}");
}

static void json_props(outbuf *o, const char *key, const msnp_roster *r, const msnp_rtext *props,
                       uint8_t present)
{
    ob_write(o, ",\"", 2);
    ob_str(o, key);
    ob_write(o, "\":{", 3);
    int n = 0;
    for (unsigned i = 0; i < MSNP_ROSTER_MAX_PROPS; i++) {
        const char *name = msnp_roster_prop_name(i);
        if (!name || !(present >> i & 1))
            continue;
        if (n++)
            ob_char(o, ',');
        ob_char(o, '"');
        ob_str(o, name);
        ob_write(o, "\":", 2);
        json_text(o, r, props[i]);
    }
    ob_char(o, '}');
}

static void json_lists(outbuf *o, uint8_t lists)
{
    ob_str(o, ",\"lists\":[");
    int n = 0;
    for (size_t i = 0; i < msnp_list_bits_count; i++) {
        if (lists & msnp_list_bits[i].bit) {
            if (n++)
                ob_char(o, ',');
            ob_char(o, '"');
            ob_str(o, msnp_list_bits[i].abbrev);
            ob_char(o, '"');
        }
    }
    ob_char(o, ']');
}

static void json_group_ids(outbuf *o, uint64_t groups)
{
    ob_str(o, ",\"groups\":[");
    int n = 0;
    for (unsigned id = 0; id <= MSNP_ROSTER_MAX_GROUP_ID; id++) {
        if (groups >> id & 1) {
            if (n++)
                ob_char(o, ',');
            ob_u64(o, id);
        }
    }
    ob_char(o, ']');
}

/* Short codes from the capture (statuses, GTC/BLP values) are escaped too. */
static void json_code(outbuf *o, const char *key, const char *code)
{
    view_json_str(o, key, code);
}

static void json_list(outbuf *o, const msnp_roster *r)
{
    ob_str(o, ",\"list\":{\"version\":");
    if (r->has_version)
        ob_u64(o, r->list_version);
    else
        ob_str(o, "null");
    if (r->has_cached_version)
        json_key_u64(o, "cached_version", r->cached_version);
    view_json_str(o, "dump", msnp_roster_dump_name((msnp_roster_dump)r->dump));
    if (r->dump_frame)
        json_key_u64(o, "dump_frame", r->dump_frame);
    if (r->announced) {
        ob_str(o, ",\"announced\":{\"contacts\":");
        ob_u64(o, r->announced_contacts);
        ob_str(o, ",\"groups\":");
        ob_u64(o, r->announced_groups);
        ob_char(o, '}');
    } else {
        ob_str(o, ",\"announced\":null");
    }
    ob_str(o, ",\"received\":{\"contacts\":");
    ob_u64(o, r->dump_contacts);
    ob_str(o, ",\"groups\":");
    ob_u64(o, r->dump_groups);
    ob_char(o, '}');
    if (r->gtc[0])
        json_code(o, "gtc", r->gtc);
    if (r->blp[0])
        json_code(o, "blp", r->blp);
    ob_str(o, ",\"groups\":[");
    for (uint32_t i = 0; i < r->ngroups; i++) {
        if (i)
            ob_char(o, ',');
        ob_str(o, "{\"id\":");
        ob_u64(o, r->groups[i].id);
        json_key_text(o, "name", r, r->groups[i].name);
        ob_char(o, '}');
    }
    ob_str(o, "],\"contacts\":[");
    int n = 0;
    for (uint32_t i = 0; i < r->ncontacts; i++) {
        const msnp_roster_contact *c = &r->contacts[i];
        if (!(c->flags & MSNP_RC_LISTED))
            continue;
        if (n++)
            ob_char(o, ',');
        ob_str(o, "{\"account\":");
        json_text(o, r, c->account);
        if (c->nick.len)
            json_key_text(o, "nick", r, c->nick);
        json_lists(o, c->lists);
        json_group_ids(o, c->groups);
        json_props(o, "phones", r, c->props, c->props_present);
        if (c->status[0])
            json_code(o, "status", c->status);
        ob_str(o, c->flags & MSNP_RC_IN_DUMP ? ",\"in_dump\":true}" : ",\"in_dump\":false}");
    }
    ob_str(o, "]}");
}

/* The argument names of the command table, per edit command: what its text
 * and its short code are. */
static void edit_keys(const char *cmd, const char **text_key, const char **code_key)
{
    static const struct {
        const char *cmd, *text, *code;
    } keys[] = {{"ADD", "nick", NULL},         {"REA", "nick", NULL},
                {"ADG", "group_name", NULL},   {"REG", "group_name", NULL},
                {"PRP", "value", "property"},  {"BPR", "value", "property"},
                {"GTC", NULL, "prompt"},       {"BLP", NULL, "privacy"}};
    *text_key = *code_key = NULL;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (!strcmp(keys[i].cmd, cmd)) {
            *text_key = keys[i].text;
            *code_key = keys[i].code;
        }
    }
}

static void json_reply(outbuf *o, uint8_t request_seen, uint8_t by_server, uint8_t outcome,
                       uint64_t reply_frame, unsigned error_code)
{
    view_json_str(o, "by", by_server ? "server" : "client");
    ob_str(o, request_seen ? ",\"request_seen\":true" : ",\"request_seen\":false");
    view_json_str(o, "result", msnp_roster_outcome_name((msnp_roster_outcome)outcome));
    if (reply_frame)
        json_key_u64(o, "reply_frame", reply_frame);
    if (outcome == MSNP_RO_FAILED)
        json_error(o, error_code);
}

static void json_edits(outbuf *o, const msnp_roster *r)
{
    ob_str(o, ",\"edits\":[");
    for (uint32_t i = 0; i < r->nedits; i++) {
        const msnp_roster_edit *e = &r->edits[i];
        if (i)
            ob_char(o, ',');
        ob_char(o, '{');
        json_when(o, e->frame, e->ts);
        view_json_str(o, "cmd", e->cmd);
        if (e->has_trid)
            json_key_u64(o, "trid", e->trid);
        if (e->list[0])
            view_json_str(o, "list", e->list);
        if (e->account.len)
            json_key_text(o, "account", r, e->account);
        const char *text_key, *code_key;
        edit_keys(e->cmd, &text_key, &code_key);
        if (code_key && e->code[0])
            json_code(o, code_key, e->code);
        if (text_key && e->text.len)
            json_key_text(o, text_key, r, e->text);
        if (e->has_group)
            json_key_u64(o, "group_id", e->group_id);
        if (e->has_version)
            json_key_u64(o, "list_version", e->list_version);
        json_reply(o, e->request_seen, e->by_server, e->outcome, e->reply_frame, e->error_code);
        ob_char(o, '}');
    }
    ob_char(o, ']');
}

static void json_status(outbuf *o, const msnp_roster *r)
{
    ob_str(o, ",\"status\":[");
    for (uint32_t i = 0; i < r->nstatus; i++) {
        const msnp_roster_status *st = &r->status[i];
        if (i)
            ob_char(o, ',');
        ob_char(o, '{');
        json_when(o, st->frame, st->ts);
        json_code(o, "status", st->status);
        if (st->has_client_id)
            json_key_u64(o, "client_id", st->client_id);
        if (st->has_trid)
            json_key_u64(o, "trid", st->trid);
        json_reply(o, st->request_seen, st->by_server, st->outcome, st->reply_frame,
                   st->error_code);
        ob_char(o, '}');
    }
    ob_char(o, ']');
}

static void json_presence(outbuf *o, const msnp_roster *r)
{
    ob_str(o, ",\"presence\":[");
    for (uint32_t i = 0; i < r->npresence; i++) {
        const msnp_roster_presence *p = &r->presence[i];
        if (i)
            ob_char(o, ',');
        ob_char(o, '{');
        json_when(o, p->frame, p->ts);
        view_json_str(o, "cmd", p->cmd);
        json_key_text(o, "account", r, r->contacts[p->contact].account);
        json_code(o, "status", p->status);
        if (p->nick.len)
            json_key_text(o, "nick", r, p->nick);
        if (p->has_client_id)
            json_key_u64(o, "client_id", p->client_id);
        ob_char(o, '}');
    }
    ob_char(o, ']');
}

static void json_dropped(outbuf *o, const msnp_roster_dropped *d)
{
    ob_str(o, ",\"dropped\":{");
    for (size_t i = 0; i < sizeof dropped_keys / sizeof dropped_keys[0]; i++) {
        if (i)
            ob_char(o, ',');
        ob_char(o, '"');
        ob_str(o, dropped_keys[i].key);
        ob_write(o, "\":", 2);
        ob_u64(o, dropped_count(d, i));
    }
    ob_char(o, '}');
}

static void json_user(users_writer *uw, const login_entry *e)
{
    outbuf *o = uw->w.out;
    const msnp_roster *r = e->roster;
    ob_str(o, "{\"type\":\"user\"");
    view_json_sid(o, e->sid);
    view_json_str(o, "uid", e->uid);
    ob_str(o, ",\"account\":");
    if (r->account.len)
        json_text(o, r, r->account);
    else
        ob_str(o, "null");
    const char *from = msnp_roster_account_source_name((msnp_roster_account_source)r->account_from);
    if (from)
        view_json_str(o, "account_from", from);
    if (r->nick.len)
        json_key_text(o, "nick", r, r->nick);
    view_json_str(o, "client_addr", e->client_addr);
    ob_str(o, r->signed_in ? ",\"login_seen\":true" : ",\"login_seen\":false");
    if (r->signed_in)
        json_key_u64(o, "login_frame", r->signed_in_frame);
    json_key_u64(o, "first_frame", r->first_frame);
    json_key_u64(o, "last_frame", r->last_frame);
    ob_str(o, ",\"start\":");
    ob_ts(o, r->first_ts.sec, r->first_ts.usec);
    ob_str(o, ",\"end\":");
    ob_ts(o, r->last_ts.sec, r->last_ts.usec);
    ob_str(o, ",\"client\":{");
    int n = 0;
    for (unsigned k = 0; k < MSNP_CVR_FIELD_COUNT; k++) {
        if (!r->client[k].len)
            continue;
        if (n++)
            ob_char(o, ',');
        ob_char(o, '"');
        ob_str(o, msnp_roster_client_keys[k]);
        ob_write(o, "\":", 2);
        json_text(o, r, r->client[k]);
    }
    ob_char(o, '}');
    json_profile(uw, r);
    json_props(o, "phones", r, r->props, r->props_present);
    json_list(o, r);
    json_edits(o, r);
    json_status(o, r);
    json_presence(o, r);
    json_dropped(o, &r->dropped);
    ob_str(o, "}\n");
}

/* ---- text ------------------------------------------------------------------- */

static void text_str(outbuf *o, const msnp_roster *r, msnp_rtext t)
{
    esc_text(o, msnp_roster_str(r, t), t.len);
}

/* "NLN (online)" */
static void text_status(users_writer *uw, const char *code)
{
    outbuf *o = uw->w.out;
    esc_text_str(o, code);
    const char *meaning =
        msnp_value_text(uw->status_names, (const uint8_t *)code, strlen(code));
    if (meaning) {
        ob_str(o, " (");
        ob_str(o, meaning);
        ob_char(o, ')');
    }
}

static void text_line_head(users_writer *uw, const char *what, uint64_t frame, msnp_time ts)
{
    outbuf *o = uw->w.out;
    ob_str(o, "  ");
    ob_str(o, what);
    ob_char(o, ' ');
    timefmt_write(&uw->line, o, ts.sec, ts.usec);
    ob_str(o, " frame ");
    ob_u64(o, frame);
    ob_str(o, ": ");
}

static void text_reply(outbuf *o, uint8_t request_seen, uint8_t by_server, uint8_t outcome,
                       uint64_t reply_frame, unsigned error_code)
{
    if (by_server) {
        ob_str(o, ", from the server");
        return;
    }
    switch (outcome) {
    case MSNP_RO_DONE:
        ob_str(o, request_seen ? ": done (frame " : ": done (request not in the capture; frame ");
        ob_u64(o, reply_frame);
        ob_char(o, ')');
        break;
    case MSNP_RO_FAILED: {
        ob_str(o, ": failed, error ");
        ob_u64(o, error_code);
        const msnp_error_info *ei = msnp_error_lookup(error_code);
        if (ei) {
            ob_str(o, " (");
            ob_str(o, ei->meaning);
            ob_char(o, ')');
        }
        ob_str(o, " in frame ");
        ob_u64(o, reply_frame);
        break;
    }
    default:
        ob_str(o, ": no reply in the capture");
        break;
    }
}

static void text_props(outbuf *o, const msnp_roster *r, const msnp_rtext *props, uint8_t present)
{
    int n = 0;
    for (unsigned i = 0; i < MSNP_ROSTER_MAX_PROPS; i++) {
        const char *name = msnp_roster_prop_name(i);
        if (!name || !(present >> i & 1))
            continue;
        ob_str(o, n++ ? ", " : "");
        ob_str(o, name);
        ob_char(o, ' ');
        text_str(o, r, props[i]);
    }
}

static void text_client(users_writer *uw, const msnp_roster *r)
{
    outbuf *o = uw->w.out;
    const msnp_rtext *c = r->client;
    if (!c[MSNP_CVR_CLIENT_NAME].len && !c[MSNP_CVR_RECOMMENDED_VERSION].len)
        return;
    ob_str(o, "  client:");
    if (c[MSNP_CVR_CLIENT_NAME].len) {
        ob_char(o, ' ');
        text_str(o, r, c[MSNP_CVR_CLIENT_NAME]);
        ob_char(o, ' ');
        text_str(o, r, c[MSNP_CVR_CLIENT_VERSION]);
        if (c[MSNP_CVR_CLIENT_LIB].len) {
            ob_str(o, " (");
            text_str(o, r, c[MSNP_CVR_CLIENT_LIB]);
            ob_char(o, ')');
        }
        ob_str(o, " on ");
        const char *os = msnp_value_text(uw->os_names, msnp_roster_str(r, c[MSNP_CVR_OS_TYPE]),
                                         c[MSNP_CVR_OS_TYPE].len);
        if (os)
            ob_str(o, os);
        else
            text_str(o, r, c[MSNP_CVR_OS_TYPE]);
        ob_char(o, ' ');
        text_str(o, r, c[MSNP_CVR_OS_VERSION]);
        ob_str(o, " (");
        text_str(o, r, c[MSNP_CVR_ARCH]);
        ob_str(o, "), language ");
        const char *lang = msnp_value_text(uw->locale_names,
                                           msnp_roster_str(r, c[MSNP_CVR_LOCALE]),
                                           c[MSNP_CVR_LOCALE].len);
        text_str(o, r, c[MSNP_CVR_LOCALE]);
        if (lang) {
            ob_str(o, " (");
            ob_str(o, lang);
            ob_char(o, ')');
        }
    }
    if (c[MSNP_CVR_RECOMMENDED_VERSION].len) {
        ob_str(o, c[MSNP_CVR_CLIENT_NAME].len ? "; " : " ");
        ob_str(o, "the server recommends ");
        text_str(o, r, c[MSNP_CVR_RECOMMENDED_VERSION]);
        ob_str(o, ", minimum ");
        text_str(o, r, c[MSNP_CVR_MINIMUM_VERSION]);
    }
    ob_char(o, '\n');
}

/* "profile: login_time 1057244402, email_enabled 1, ..." */
typedef struct profile_text {
    outbuf *o;
    int n;
} profile_text;

static void profile_text_value(void *ctx, const msnp_vocab_value *v)
{
    profile_text *pt = ctx;
    const char *name = v->field->name;
    int issue = v->id == MSNP_V_PAYLOAD_ISSUE;
    if (!issue && strncmp(name, profile_prefix, sizeof profile_prefix - 1))
        return;
    outbuf *o = pt->o;
    ob_str(o, pt->n++ ? ", " : "");
    ob_str(o, issue ? "issue" : name + sizeof profile_prefix - 1);
    ob_char(o, ' ');
    switch (v->field->type) {
    case MSNP_VT_HEX: {
        char hex[24];
        int len = snprintf(hex, sizeof hex, "0x%llx", (unsigned long long)v->u);
        ob_write(o, hex, (size_t)len);
        break;
    }
    case MSNP_VT_UINT:
    case MSNP_VT_TIME:
    case MSNP_VT_BOOL:
        ob_u64(o, v->u);
        break;
    case MSNP_VT_INT:
        if (v->i < 0) {
            ob_char(o, '-');
            ob_u64(o, (uint64_t)0 - (uint64_t)v->i);
        } else {
            ob_u64(o, (uint64_t)v->i);
        }
        break;
    default:
        if (v->str_len)
            esc_text(o, v->str, v->str_len);
        else
            ob_str(o, "(empty)");
        break;
    }
}

static void text_profile(users_writer *uw, const msnp_roster *r)
{
    if (!r->profile_bytes)
        return;
    outbuf *o = uw->w.out;
    msnp_payload pl;
    msnp_payload_decode(r->profile_bytes, r->profile_len, &pl);
    msnp_vocab_scratch scratch = {uw->scratch, sizeof uw->scratch};
    profile_text pt = {o, 0};
    ob_str(o, "  profile (frame ");
    ob_u64(o, r->profile_frame);
    ob_str(o, "): ");
    msnp_payload_visit(&pl, r->profile_bytes, scratch, profile_text_value, &pt);
    ob_char(o, '\n');
}

/* "; GTC N (they are allowed silently)" */
static void text_setting(users_writer *uw, const char *name, const char *value,
                         const msnp_value_table *names)
{
    outbuf *o = uw->w.out;
    if (!value[0])
        return;
    ob_str(o, "; ");
    ob_str(o, name);
    ob_char(o, ' ');
    esc_text_str(o, value);
    const char *meaning = msnp_value_text(names, (const uint8_t *)value, strlen(value));
    if (meaning) {
        ob_str(o, ": ");
        ob_str(o, meaning);
    }
}

static void text_list(users_writer *uw, const msnp_roster *r)
{
    outbuf *o = uw->w.out;
    ob_str(o, "  list: ");
    if (r->has_version) {
        ob_str(o, "version ");
        ob_u64(o, r->list_version);
    } else {
        ob_str(o, "version not seen");
    }
    if (r->has_cached_version) {
        ob_str(o, " (the client had version ");
        ob_u64(o, r->cached_version);
        ob_char(o, ')');
    }
    ob_str(o, "; dump ");
    ob_str(o, msnp_roster_dump_name((msnp_roster_dump)r->dump));
    if (r->announced) {
        ob_str(o, " (frame ");
        ob_u64(o, r->dump_frame);
        ob_str(o, "): ");
        ob_u64(o, r->dump_contacts);
        ob_str(o, " of ");
        ob_u64(o, r->announced_contacts);
        ob_str(o, " contacts, ");
        ob_u64(o, r->dump_groups);
        ob_str(o, " of ");
        ob_u64(o, r->announced_groups);
        ob_str(o, " groups");
    } else if (r->dump_contacts || r->dump_groups) {
        ob_str(o, ": ");
        ob_u64(o, r->dump_contacts);
        ob_str(o, " contacts, ");
        ob_u64(o, r->dump_groups);
        ob_str(o, " groups");
    }
    text_setting(uw, "GTC", r->gtc, uw->gtc_names);
    text_setting(uw, "BLP", r->blp, uw->blp_names);
    ob_char(o, '\n');
    for (uint32_t i = 0; i < r->ngroups; i++) {
        ob_str(o, "  group ");
        ob_u64(o, r->groups[i].id);
        ob_str(o, ": ");
        text_str(o, r, r->groups[i].name);
        ob_char(o, '\n');
    }
    for (uint32_t i = 0; i < r->ncontacts; i++) {
        const msnp_roster_contact *c = &r->contacts[i];
        if (!(c->flags & MSNP_RC_LISTED))
            continue;
        ob_str(o, "  contact ");
        text_str(o, r, c->account);
        if (c->nick.len) {
            ob_str(o, " (");
            text_str(o, r, c->nick);
            ob_char(o, ')');
        }
        ob_char(o, ':');
        int n = 0;
        for (size_t b = 0; b < msnp_list_bits_count; b++) {
            if (c->lists & msnp_list_bits[b].bit) {
                ob_char(o, n++ ? '+' : ' ');
                ob_str(o, msnp_list_bits[b].abbrev);
            }
        }
        if (!n)
            ob_str(o, " on no list");
        if (c->groups) {
            ob_str(o, "; groups");
            n = 0;
            for (unsigned id = 0; id <= MSNP_ROSTER_MAX_GROUP_ID; id++) {
                if (c->groups >> id & 1) {
                    ob_char(o, n++ ? ',' : ' ');
                    ob_u64(o, id);
                }
            }
        }
        if (c->props_present) {
            ob_str(o, "; ");
            text_props(o, r, c->props, c->props_present);
        }
        if (c->status[0]) {
            ob_str(o, "; last seen ");
            text_status(uw, c->status);
        }
        ob_char(o, '\n');
    }
}

static void text_edit(users_writer *uw, const msnp_roster *r, const msnp_roster_edit *e)
{
    outbuf *o = uw->w.out;
    text_line_head(uw, "edit", e->frame, e->ts);
    ob_str(o, e->cmd);
    if (e->list[0]) {
        ob_char(o, ' ');
        ob_str(o, e->list);
    }
    if (e->account.len) {
        ob_char(o, ' ');
        text_str(o, r, e->account);
    }
    if (e->code[0]) {
        ob_char(o, ' ');
        esc_text_str(o, e->code);
    }
    if (e->text.len) {
        ob_str(o, " \"");
        text_str(o, r, e->text);
        ob_char(o, '"');
    }
    if (e->has_group) {
        ob_str(o, " group ");
        ob_u64(o, e->group_id);
    }
    text_reply(o, e->request_seen, e->by_server, e->outcome, e->reply_frame, e->error_code);
    if (e->has_version) {
        ob_str(o, ", list version ");
        ob_u64(o, e->list_version);
    }
    ob_char(o, '\n');
}

static void text_dropped(outbuf *o, const msnp_roster_dropped *d)
{
    int n = 0;
    for (size_t i = 0; i < sizeof dropped_keys / sizeof dropped_keys[0]; i++) {
        if (!dropped_count(d, i))
            continue;
        ob_str(o, n++ ? ", " : "  dropped: ");
        ob_str(o, dropped_keys[i].key);
        ob_char(o, ' ');
        ob_u64(o, dropped_count(d, i));
    }
    if (n)
        ob_char(o, '\n');
}

static void text_user(users_writer *uw, const login_entry *e)
{
    outbuf *o = uw->w.out;
    const msnp_roster *r = e->roster;
    ob_str(o, "user ");
    if (r->account.len)
        text_str(o, r, r->account);
    else
        ob_str(o, "(account not seen)");
    if (r->nick.len) {
        ob_str(o, " (");
        text_str(o, r, r->nick);
        ob_char(o, ')');
    }
    ob_str(o, " on ");
    esc_text_str(o, e->uid);
    if (e->sid) {
        ob_str(o, ", login S");
        ob_u64(o, e->sid);
    }
    ob_str(o, " from ");
    esc_text_str(o, e->client_addr);
    if (r->signed_in) {
        ob_str(o, ", signed in at frame ");
        ob_u64(o, r->signed_in_frame);
    } else {
        ob_str(o, ", sign-in not in the capture");
        if (r->account_from == MSNP_ACCOUNT_LINKED)
            ob_str(o, " (account from its linked connections)");
    }
    ob_str(o, "; frames ");
    ob_u64(o, r->first_frame);
    ob_char(o, '-');
    ob_u64(o, r->last_frame);
    ob_str(o, ", ");
    timefmt_write(&uw->head, o, r->first_ts.sec, r->first_ts.usec);
    ob_str(o, " for ");
    view_duration(o, r->first_ts, r->last_ts);
    ob_char(o, '\n');
    text_client(uw, r);
    text_profile(uw, r);
    if (r->props_present) {
        ob_str(o, "  own properties: ");
        text_props(o, r, r->props, r->props_present);
        ob_char(o, '\n');
    }
    text_list(uw, r);
    for (uint32_t i = 0; i < r->nedits; i++)
        text_edit(uw, r, &r->edits[i]);
    for (uint32_t i = 0; i < r->nstatus; i++) {
        const msnp_roster_status *st = &r->status[i];
        text_line_head(uw, "status", st->frame, st->ts);
        text_status(uw, st->status);
        if (st->has_client_id) {
            ob_str(o, ", client id ");
            ob_u64(o, st->client_id);
        }
        text_reply(o, st->request_seen, st->by_server, st->outcome, st->reply_frame,
                   st->error_code);
        ob_char(o, '\n');
    }
    for (uint32_t i = 0; i < r->npresence; i++) {
        const msnp_roster_presence *p = &r->presence[i];
        text_line_head(uw, "presence", p->frame, p->ts);
        ob_str(o, p->cmd);
        ob_char(o, ' ');
        text_str(o, r, r->contacts[p->contact].account);
        if (p->nick.len) {
            ob_str(o, " (");
            text_str(o, r, p->nick);
            ob_char(o, ')');
        }
        ob_str(o, ": ");
        text_status(uw, p->status);
        if (p->has_client_id) {
            ob_str(o, ", client id ");
            ob_u64(o, p->client_id);
        }
        ob_char(o, '\n');
    }
    text_dropped(o, &r->dropped);
}

/* ---- the writer --------------------------------------------------------------- */

static void write_login(users_writer *uw, login_entry *e)
{
    msnp_roster_end(e->roster);
    if (uw->jsonl)
        json_user(uw, e);
    else
        text_user(uw, e);
    close_login(uw, e);
}

/* -t r counts from the capture's first record, as the commands view does,
 * though this view writes its times out of capture order. */
static void start_clock(timefmt *t, const record *r)
{
    t->first_sec = t->prev_sec = r->sec;
    t->first_usec = t->prev_usec = r->usec;
    t->started = 1;
}

static void users_record(writer *w, const record *r)
{
    users_writer *uw = (users_writer *)w;
    if (!uw->clock_started) {
        start_clock(&uw->head, r);
        start_clock(&uw->line, r);
        uw->clock_started = 1;
    }
    if (r->type == REC_COMMAND) {
        if (!r->conn->msnp || msnp_conn_role(r->conn->msnp) != MSNP_ROLE_NS)
            return;
        login_entry *e = find(uw, r->conn->id);
        if (!e && !(e = open_login(uw, r)))
            return;
        if (r->sid)
            e->sid = r->sid;
        msnp_roster_cmd in = {msnp_conn_dir(r->conn->msnp, r->side), r->frame,
                              {r->sec, r->usec}, r->base, r->pdu, r->cmd};
        msnp_roster_command(e->roster, &in);
    } else if (r->type == REC_CONNECTION) {
        login_entry *e = find(uw, r->conn->id);
        if (!e || e->ended)
            return;
        if (r->sid)
            e->sid = r->sid;
        e->ended = 1;
        if (!e->sid || e->login_end) {
            write_login(uw, e);
            return;
        }
        /* Its account may yet come from the correlation; not for long. */
        if (++uw->waiting > MAX_WAITING) {
            for (login_entry *x = uw->first; x; x = x->next) {
                if (x->ended && !x->login_end) {
                    write_login(uw, x);
                    break;
                }
            }
        }
    }
}

static void users_event(writer *w, const msnp_event *ev)
{
    users_writer *uw = (users_writer *)w;
    if (ev->kind != MSNP_EV_LOGIN_END || !ev->login)
        return;
    login_entry *e = find(uw, ev->login->conn);
    if (!e || e->login_end)
        return;
    if (ev->login->user[0])
        msnp_roster_set_account(e->roster, ev->login->user);
    if (e->ended) {
        uw->waiting--;
        e->login_end = 1;
        write_login(uw, e);
    } else {
        e->login_end = 1;
    }
}

static void users_finish(writer *w)
{
    users_writer *uw = (users_writer *)w;
    while (uw->first)
        write_login(uw, uw->first);
    free(uw);
}

writer *view_users_new(outbuf *out, int jsonl, const text_options *opt)
{
    users_writer *uw = calloc(1, sizeof *uw);
    if (!uw)
        return NULL;
    uw->w.out = out;
    uw->w.record = users_record;
    uw->w.event = users_event;
    uw->w.finish = users_finish;
    uw->jsonl = jsonl;
    time_format tf = opt ? opt->time : TF_UTC_DAYS;
    timefmt_init(&uw->head, tf == TF_UTC_DAYS ? TF_UTC_DATE : tf);
    timefmt_init(&uw->line, tf == TF_UTC_DAYS ? TF_UTC : tf);
    uw->status_names = msnp_value_table_find("status", 6);
    uw->os_names = msnp_value_table_find("os_type", 7);
    uw->locale_names = msnp_value_table_find("locale", 6);
    uw->gtc_names = msnp_value_table_find("gtc", 3);
    uw->blp_names = msnp_value_table_find("blp", 3);
    return &uw->w;
}
