/* JSON Lines output: the contract other tools build on (README, docs/jsonl.md).
 * One object per line, in capture order. */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "msnp/payload.h"
#include "records.h"
#include "scratch.h"

/* Keys are literals: their length is known when compiling. */
#define KEY(o, k) OB_LIT(o, ",\"" k "\":")
#define KEY_U64(o, k, v) (KEY(o, k), ob_u64(o, v))
#define KEY_STR(o, k, v) (KEY(o, k), ob_char(o, '"'), esc_json_str(o, v), ob_char(o, '"'))

/* The members that are the same for every record of one side of a
 * connection (uid, role, dir, src, dst), formatted once and kept in a small
 * direct-mapped cache; a record needs one copy instead of five escapes. */
#define HEAD_CACHE 4096
#define HEAD_MAX 240

typedef struct head_entry {
    uint64_t conn;
    uint8_t side, role, dir, conn_record;
    uint16_t len;
    char s[HEAD_MAX];
} head_entry;

typedef struct jsonl_writer {
    writer w;
    head_entry cache[HEAD_CACHE];
    /* An ISO-8859-1 message body as UTF-8, kept for the next one: twice
     * the largest such body, which --max-payload bounds. */
    scratch_buf text;
} jsonl_writer;

static void head_members(outbuf *o, const record *r)
{
    KEY_STR(o, "uid", r->conn->uid);
    KEY_STR(o, "role", record_role(r));
    if (r->type != REC_CONNECTION) {
        KEY_STR(o, "dir", record_dir(r));
        KEY_STR(o, "src", r->conn->endpoint[r->side]);
        KEY_STR(o, "dst", r->conn->endpoint[!r->side]);
    }
}

static void cached_head_members(jsonl_writer *jw, outbuf *o, const record *r)
{
    uint8_t role = (uint8_t)msnp_conn_role(r->conn->msnp);
    uint8_t dir = (uint8_t)msnp_conn_dir(r->conn->msnp, r->side);
    uint8_t conn_record = r->type == REC_CONNECTION;
    head_entry *e = &jw->cache[(r->conn->id * 2 + (uint64_t)r->side) % HEAD_CACHE];
    if (e->len && e->conn == r->conn->id && e->side == r->side && e->role == role &&
        e->dir == dir && e->conn_record == conn_record) {
        ob_write(o, e->s, e->len);
        return;
    }
    size_t start = o->len;
    uint64_t flushes = o->flushes;
    head_members(o, r);
    /* Cache what was written, when it is all still in the buffer. */
    if (o->flushes == flushes && o->len - start <= HEAD_MAX) {
        memcpy(e->s, o->buf + start, o->len - start);
        e->len = (uint16_t)(o->len - start);
        e->conn = r->conn->id;
        e->side = (uint8_t)r->side;
        e->role = role;
        e->dir = dir;
        e->conn_record = conn_record;
    }
}

static void head(jsonl_writer *jw, outbuf *o, const record *r, const char *type)
{
    OB_LIT(o, "{\"type\":\"");
    ob_str(o, type);
    ob_char(o, '"');
    if (r->type != REC_CONNECTION) {
        KEY_U64(o, "frame", r->frame);
        KEY(o, "ts");
        ob_ts(o, r->sec, r->usec);
    }
    cached_head_members(jw, o, r);
    if (r->sid) {
        KEY(o, "sid");
        OB_LIT(o, "\"S");
        ob_u64(o, r->sid);
        ob_char(o, '"');
    }
}

/* MSG: "mime" (content type and headers) and "body"; the client's QRY:
 * "qry" (which client the product id claims, whether the answer verifies
 * against the challenge the server sent on this connection). */
static void payload_members(jsonl_writer *jw, outbuf *o, const record *r)
{
    const msnp_pdu *p = r->pdu;
    const uint8_t *pl = r->base + p->payload.off;
    const uint8_t *cmd = r->base + p->tok[0].off;
    if (p->tok[0].len == 3 && !memcmp(cmd, "MSG", 3)) {
        msnp_mime parsed;
        const msnp_mime *m = r->mime;
        if (!m) {
            msnp_mime_parse(pl, p->payload.len, &parsed);
            m = &parsed;
        }
        if (m->headers.count == 0)
            return;
        KEY(o, "mime");
        ob_write(o, "{\"content_type\":\"", 17);
        esc_json(o, pl + m->content_type.off, m->content_type.len);
        ob_write(o, "\",\"headers\":{", 13);
        for (unsigned i = 0; i < m->headers.count; i++) {
            const msnp_field *f = &m->headers.f[i];
            if (i)
                ob_char(o, ',');
            ob_char(o, '"');
            esc_json(o, pl + f->name.off, f->name.len);
            ob_write(o, "\":\"", 3);
            esc_json(o, pl + f->value.off, f->value.len);
            ob_char(o, '"');
        }
        ob_write(o, "}}", 2);
        KEY(o, "body");
        ob_char(o, '"');
        if (m->charset.len == 0 && msnp_span_ieq(pl, m->content_type, "text/plain")) {
            /* Text without a charset is ISO-8859-1 (protocol reference §6.3). */
            msnp_text_msg t;
            msnp_text_decode(pl, p->payload.len, m, &t);
            size_t n;
            const char *text = scratch_text_utf8(&jw->text, pl, &t, &n);
            if (text)
                esc_json(o, (const uint8_t *)text, n);
        } else {
            /* UTF-8 or another charset: the bytes as they are; esc_json
             * marks those that are not UTF-8. */
            esc_json(o, pl + m->body.off, m->body.len);
        }
        ob_char(o, '"');
    } else if (p->tok[0].len == 3 && !memcmp(cmd, "QRY", 3) && r->cmd->nargs >= 2) {
        msnp_span id = msnp_command_arg(r->cmd, p, 0);
        msnp_qry_result q;
        msnp_qry_verify((const uint8_t *)(r->challenge ? r->challenge : ""),
                        r->challenge ? strlen(r->challenge) : 0, r->base + id.off, id.len, pl,
                        p->payload.len, &q);
        KEY(o, "qry");
        ob_write(o, "{\"client_id\":\"", 14);
        esc_json(o, r->base + id.off, id.len);
        ob_char(o, '"');
        if (q.client)
            KEY_STR(o, "client", q.client->client);
        KEY(o, "verified");
        static const char *const status[] = {
            [MSNP_QRY_VERIFIED] = "true", [MSNP_QRY_WRONG] = "false",
            [MSNP_QRY_UNKNOWN_CLIENT] = "null", [MSNP_QRY_MALFORMED] = "false",
            [MSNP_QRY_NO_CHALLENGE] = "null"};
        ob_str(o, status[q.status]);
        static const char *const why[] = {
            [MSNP_QRY_VERIFIED] = "the answer is MD5(challenge + client key)",
            [MSNP_QRY_WRONG] = "the answer is not the one this client's key gives",
            [MSNP_QRY_UNKNOWN_CLIENT] = "product id not in msnpdump's table of client keys",
            [MSNP_QRY_MALFORMED] = "the answer is not 32 hexadecimal digits",
            [MSNP_QRY_NO_CHALLENGE] = "the server's CHL challenge is not in the capture"};
        KEY_STR(o, "check", why[q.status]);
        ob_char(o, '}');
    }
}

/* ,"response_to":12,"time":0.087000 on a reply whose request was seen;
 * ,"async":true on a server push. */
static void pairing(outbuf *o, const record *r)
{
    const msnp_txn *t = &r->txn;
    if (t->kind == MSNP_TXN_REPLY && t->matched) {
        KEY_U64(o, "response_to", t->tag);
        KEY(o, "time");
        /* Capture clocks do step backwards: the time may be negative. */
        int64_t us = record_usec_since(r, t->when);
        uint64_t mag = us < 0 ? 0 - (uint64_t)us : (uint64_t)us;
        if (us < 0)
            ob_char(o, '-');
        ob_ts(o, (int64_t)(mag / 1000000), (uint32_t)(mag % 1000000));
    } else if (t->kind == MSNP_TXN_ASYNC) {
        OB_LIT(o, ",\"async\":true");
    }
}

static void command(jsonl_writer *jw, outbuf *o, const record *r)
{
    const msnp_pdu *p = r->pdu;
    const msnp_command *c = r->cmd;
    head(jw, o, r, "command");
    KEY(o, "line");
    ob_char(o, '"');
    /* The command and the arguments are pieces of the line: when the line
     * needed no escaping (the usual case), neither do they. */
    int plain = esc_json_plain(r->base, p->line_len);
    void (*piece)(outbuf *, const uint8_t *, size_t) = plain ? ob_write_bytes : esc_json;
    piece(o, r->base, p->line_len);
    ob_char(o, '"');
    KEY(o, "cmd");
    ob_char(o, '"');
    piece(o, r->base + p->tok[0].off, p->tok[0].len);
    ob_char(o, '"');
    KEY(o, "trid");
    if (c->has_trid)
        ob_u64(o, c->trid);
    else
        ob_str(o, "null");
    KEY(o, "args");
    ob_char(o, '[');
    for (unsigned i = 0; i < c->nargs; i++) {
        msnp_span a = msnp_command_arg(c, p, i);
        if (i)
            ob_char(o, ',');
        ob_char(o, '"');
        piece(o, r->base + a.off, a.len);
        ob_char(o, '"');
    }
    ob_char(o, ']');
    pairing(o, r);
    if (p->has_payload) {
        KEY_U64(o, "payload_len", p->missing ? p->declared : p->payload.len);
        if (p->missing)
            KEY_U64(o, "payload_missing", p->missing);
        else
            payload_members(jw, o, r);
    }
    if (c->is_error) {
        KEY(o, "error");
        ob_write(o, "{\"code\":", 8);
        ob_u64(o, c->error_code);
        if (c->error) {
            KEY_STR(o, "name", c->error->name);
            KEY_STR(o, "meaning", c->error->meaning);
        }
        ob_char(o, '}');
    }
    const char *since = c->form && c->form->since ? c->form->since
                        : c->info && c->info->since ? c->info->since : NULL;
    if (c->era != MSNP_ERA_MSNP8 && since)
        KEY_STR(o, "since", since);
    char meaning[2048];
    size_t n = msnp_render_meaning(c, r->base, p, meaning, sizeof meaning);
    KEY(o, "meaning");
    ob_char(o, '"');
    esc_json(o, (const uint8_t *)meaning, n);
    ob_write(o, "\"}\n", 3);
}

static void anomaly(jsonl_writer *jw, outbuf *o, const record *r)
{
    head(jw, o, r, "anomaly");
    KEY_STR(o, "kind", r->kind);
    KEY_STR(o, "detail", r->detail);
    if (r->bytes)
        KEY_U64(o, "bytes", r->bytes);
    if (r->sample_len) {
        KEY(o, "sample");
        ob_char(o, '"');
        esc_json(o, r->sample, r->sample_len);
        ob_char(o, '"');
    }
    ob_write(o, "}\n", 2);
}

static void data(jsonl_writer *jw, outbuf *o, const record *r)
{
    head(jw, o, r, "data");
    KEY_U64(o, "first_frame", r->first_frame);
    KEY_U64(o, "blocks", r->blocks);
    KEY_U64(o, "bytes", r->bytes);
    KEY_STR(o, "end", r->aborted ? "abort block" : "complete");
    ob_write(o, "}\n", 2);
}

static void dir_obj(outbuf *o, const char *k, const dir_counts *d)
{
    OB_LIT(o, ",\"");
    ob_str(o, k);
    OB_LIT(o, "\":");
    ob_write(o, "{\"bytes\":", 9);
    ob_u64(o, d->bytes);
    KEY_U64(o, "commands", d->commands);
    KEY_U64(o, "anomalies", d->anomalies);
    KEY_U64(o, "gaps", d->gaps);
    KEY_U64(o, "gap_bytes", d->gap_bytes);
    KEY_U64(o, "skipped", d->skipped);
    if (d->ftp_blocks) {
        KEY_U64(o, "ftp_blocks", d->ftp_blocks);
        KEY_U64(o, "ftp_bytes", d->ftp_bytes);
    }
    ob_char(o, '}');
}

static void connection(jsonl_writer *jw, outbuf *o, const record *r)
{
    const conn_view *cv = r->conn;
    int client = cv->msnp->client_side >= 0 ? cv->msnp->client_side : 0;
    head(jw, o, r, "connection");
    KEY_STR(o, "client", cv->endpoint[client]);
    KEY_STR(o, "server", cv->endpoint[!client]);
    if (cv->kind == CONN_GW_SESSION) {
        KEY(o, "gateway");
        OB_LIT(o, "{\"server\":\"");
        esc_json_str(o, cv->gw_server);
        OB_LIT(o, "\",\"host\":\"");
        esc_json_str(o, cv->gw_host);
        OB_LIT(o, "\"}");
    }
    KEY_U64(o, "first_frame", cv->first_frame);
    KEY_U64(o, "last_frame", cv->last_frame);
    KEY(o, "first_ts");
    ob_ts(o, cv->first_sec, cv->first_usec);
    KEY(o, "last_ts");
    ob_ts(o, cv->last_sec, cv->last_usec);
    dir_obj(o, "c2s", &cv->dir[client]);
    dir_obj(o, "s2c", &cv->dir[!client]);
    KEY_STR(o, "end", conn_end_name(cv->end));
    ob_write(o, "}\n", 2);
}

static void jsonl_record(writer *w, const record *r)
{
    jsonl_writer *jw = (jsonl_writer *)w;
    switch (r->type) {
    case REC_COMMAND:
        command(jw, w->out, r);
        break;
    case REC_ANOMALY:
        anomaly(jw, w->out, r);
        break;
    case REC_DATA:
        data(jw, w->out, r);
        break;
    case REC_CONNECTION:
        connection(jw, w->out, r);
        break;
    }
}

static void jsonl_finish(writer *w)
{
    scratch_free(&((jsonl_writer *)w)->text);
    free(w);
}

writer *writer_jsonl_new(outbuf *out)
{
    jsonl_writer *jw = calloc(1, sizeof *jw);
    if (!jw)
        return NULL;
    jw->w.out = out;
    jw->w.record = jsonl_record;
    jw->w.finish = jsonl_finish;
    return &jw->w;
}
