/* JSON Lines output: the contract other tools build on (README, docs/jsonl.md).
 * One object per line, in capture order. */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "msnp/payload.h"
#include "records.h"

static void key(outbuf *o, const char *k)
{
    ob_write(o, ",\"", 2);
    ob_str(o, k);
    ob_write(o, "\":", 2);
}

static void key_str(outbuf *o, const char *k, const char *v)
{
    key(o, k);
    ob_char(o, '"');
    esc_json_str(o, v);
    ob_char(o, '"');
}

static void key_u64(outbuf *o, const char *k, uint64_t v)
{
    key(o, k);
    ob_u64(o, v);
}

static void head(outbuf *o, const record *r, const char *type)
{
    ob_write(o, "{\"type\":\"", 9);
    ob_str(o, type);
    ob_char(o, '"');
    if (r->type != REC_CONNECTION) {
        key_u64(o, "frame", r->frame);
        key(o, "ts");
        ob_ts(o, r->sec, r->usec);
    }
    key_str(o, "uid", r->conn->uid);
    if (r->sid) {
        key(o, "sid");
        ob_write(o, "\"S", 2);
        ob_u64(o, r->sid);
        ob_char(o, '"');
    }
    key_str(o, "role", record_role(r));
    if (r->type != REC_CONNECTION) {
        key_str(o, "dir", record_dir(r));
        key_str(o, "src", r->conn->endpoint[r->side]);
        key_str(o, "dst", r->conn->endpoint[!r->side]);
    }
}

/* MSG: "mime" (content type and headers) and "body"; the client's QRY:
 * "qry" (which client the product id claims, whether the answer verifies
 * against the challenge the server sent on this connection). */
static void payload_members(outbuf *o, const record *r)
{
    const msnp_pdu *p = r->pdu;
    const uint8_t *pl = r->base + p->payload.off;
    const uint8_t *cmd = r->base + p->tok[0].off;
    if (p->tok[0].len == 3 && !memcmp(cmd, "MSG", 3)) {
        msnp_mime m;
        if (msnp_mime_parse(pl, p->payload.len, &m) != 0)
            return;
        key(o, "mime");
        ob_write(o, "{\"content_type\":\"", 17);
        esc_json(o, pl + m.content_type.off, m.content_type.len);
        ob_write(o, "\",\"headers\":{", 13);
        for (unsigned i = 0; i < m.headers.count; i++) {
            const msnp_field *f = &m.headers.f[i];
            if (i)
                ob_char(o, ',');
            ob_char(o, '"');
            esc_json(o, pl + f->name.off, f->name.len);
            ob_write(o, "\":\"", 3);
            esc_json(o, pl + f->value.off, f->value.len);
            ob_char(o, '"');
        }
        ob_write(o, "}}", 2);
        key(o, "body");
        ob_char(o, '"');
        if (msnp_span_ieq(pl, m.content_type, "text/plain")) {
            msnp_text_msg t;
            msnp_text_decode(pl, p->payload.len, &m, &t);
            size_t cap = (size_t)t.text.len * 2 + 1;
            char *text = malloc(cap);
            if (text) {
                size_t n = msnp_text_to_utf8(pl, &t, text, cap);
                esc_json(o, (const uint8_t *)text, n);
                free(text);
            }
        } else {
            esc_json(o, pl + m.body.off, m.body.len);
        }
        ob_char(o, '"');
    } else if (p->tok[0].len == 3 && !memcmp(cmd, "QRY", 3) && r->cmd->nargs >= 2) {
        msnp_span id = msnp_command_arg(r->cmd, p, 0);
        msnp_qry_result q;
        msnp_qry_verify((const uint8_t *)(r->challenge ? r->challenge : ""),
                        r->challenge ? strlen(r->challenge) : 0, r->base + id.off, id.len, pl,
                        p->payload.len, &q);
        key(o, "qry");
        ob_write(o, "{\"client_id\":\"", 14);
        esc_json(o, r->base + id.off, id.len);
        ob_char(o, '"');
        if (q.client)
            key_str(o, "client", q.client->client);
        key(o, "verified");
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
        key_str(o, "check", why[q.status]);
        ob_char(o, '}');
    }
}

static void command(outbuf *o, const record *r)
{
    const msnp_pdu *p = r->pdu;
    const msnp_command *c = r->cmd;
    head(o, r, "command");
    key(o, "line");
    ob_char(o, '"');
    esc_json(o, r->base, p->line_len);
    ob_char(o, '"');
    key(o, "cmd");
    ob_char(o, '"');
    esc_json(o, r->base + p->tok[0].off, p->tok[0].len);
    ob_char(o, '"');
    key(o, "trid");
    if (c->has_trid)
        ob_u64(o, c->trid);
    else
        ob_str(o, "null");
    key(o, "args");
    ob_char(o, '[');
    for (unsigned i = 0; i < c->nargs; i++) {
        msnp_span a = msnp_command_arg(c, p, i);
        if (i)
            ob_char(o, ',');
        ob_char(o, '"');
        esc_json(o, r->base + a.off, a.len);
        ob_char(o, '"');
    }
    ob_char(o, ']');
    if (p->has_payload) {
        key_u64(o, "payload_len", p->missing ? p->declared : p->payload.len);
        if (p->missing)
            key_u64(o, "payload_missing", p->missing);
        else
            payload_members(o, r);
    }
    if (c->is_error) {
        key(o, "error");
        ob_write(o, "{\"code\":", 8);
        ob_u64(o, c->error_code);
        if (c->error) {
            key_str(o, "name", c->error->name);
            key_str(o, "meaning", c->error->meaning);
        }
        ob_char(o, '}');
    }
    const char *since = c->form && c->form->since ? c->form->since
                        : c->info && c->info->since ? c->info->since : NULL;
    if (c->era != MSNP_ERA_MSNP8 && since)
        key_str(o, "since", since);
    char meaning[2048];
    size_t n = msnp_render_meaning(c, r->base, p, meaning, sizeof meaning);
    key(o, "meaning");
    ob_char(o, '"');
    esc_json(o, (const uint8_t *)meaning, n);
    ob_write(o, "\"}\n", 3);
}

static void anomaly(outbuf *o, const record *r)
{
    head(o, r, "anomaly");
    key_str(o, "kind", r->kind);
    key_str(o, "detail", r->detail);
    if (r->bytes)
        key_u64(o, "bytes", r->bytes);
    if (r->sample_len) {
        key(o, "sample");
        ob_char(o, '"');
        esc_json(o, r->sample, r->sample_len);
        ob_char(o, '"');
    }
    ob_write(o, "}\n", 2);
}

static void data(outbuf *o, const record *r)
{
    head(o, r, "data");
    key_u64(o, "first_frame", r->first_frame);
    key_u64(o, "blocks", r->blocks);
    key_u64(o, "bytes", r->bytes);
    key_str(o, "end", r->aborted ? "abort block" : "complete");
    ob_write(o, "}\n", 2);
}

static void dir_obj(outbuf *o, const char *k, const dir_counts *d)
{
    key(o, k);
    ob_write(o, "{\"bytes\":", 9);
    ob_u64(o, d->bytes);
    key_u64(o, "commands", d->commands);
    key_u64(o, "anomalies", d->anomalies);
    key_u64(o, "gaps", d->gaps);
    key_u64(o, "gap_bytes", d->gap_bytes);
    key_u64(o, "skipped", d->skipped);
    if (d->ftp_blocks) {
        key_u64(o, "ftp_blocks", d->ftp_blocks);
        key_u64(o, "ftp_bytes", d->ftp_bytes);
    }
    ob_char(o, '}');
}

static void connection(outbuf *o, const record *r)
{
    const conn_view *cv = r->conn;
    int client = cv->msnp->client_side >= 0 ? cv->msnp->client_side : 0;
    head(o, r, "connection");
    key_str(o, "client", cv->endpoint[client]);
    key_str(o, "server", cv->endpoint[!client]);
    key_u64(o, "first_frame", cv->first_frame);
    key_u64(o, "last_frame", cv->last_frame);
    key(o, "first_ts");
    ob_ts(o, cv->first_sec, cv->first_usec);
    key(o, "last_ts");
    ob_ts(o, cv->last_sec, cv->last_usec);
    dir_obj(o, "c2s", &cv->dir[client]);
    dir_obj(o, "s2c", &cv->dir[!client]);
    key_str(o, "end", conn_end_name(cv->end));
    ob_write(o, "}\n", 2);
}

static void jsonl_record(writer *w, const record *r)
{
    switch (r->type) {
    case REC_COMMAND:
        command(w->out, r);
        break;
    case REC_ANOMALY:
        anomaly(w->out, r);
        break;
    case REC_DATA:
        data(w->out, r);
        break;
    case REC_CONNECTION:
        connection(w->out, r);
        break;
    }
}

static void jsonl_finish(writer *w)
{
    free(w);
}

writer *writer_jsonl_new(outbuf *out)
{
    writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->out = out;
    w->record = jsonl_record;
    w->finish = jsonl_finish;
    return w;
}
