/* JSON Lines output: the contract other tools build on (README, docs/jsonl.md).
 * One object per line, in capture order. */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
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
    key_str(o, "role", record_role(r));
    if (r->type != REC_CONNECTION) {
        key_str(o, "dir", record_dir(r));
        key_str(o, "src", r->conn->endpoint[r->side]);
        key_str(o, "dst", r->conn->endpoint[!r->side]);
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
