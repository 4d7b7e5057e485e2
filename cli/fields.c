/* Record fields by name (see fields.h). One table: name, the JSON key it
 * shares, what it is, and how to read it from a record. */
#include "fields.h"

#include <stdio.h>
#include <string.h>

#include "msnp/msnp.h"

typedef void (*getter)(const record *r, fvalue_fn fn, void *ctx);

static int put_str(fvalue_fn fn, void *ctx, const char *s, size_t n)
{
    fvalue v = {FV_STR, s, n, 0};
    return fn(ctx, &v);
}

static int put_cstr(fvalue_fn fn, void *ctx, const char *s)
{
    return s ? put_str(fn, ctx, s, strlen(s)) : 0;
}

static int put_num(fvalue_fn fn, void *ctx, double d)
{
    fvalue v = {FV_NUM, NULL, 0, d};
    return fn(ctx, &v);
}

static int is_command(const record *r)
{
    return r->type == REC_COMMAND && r->cmd && r->pdu;
}

static void get_type(const record *r, fvalue_fn fn, void *ctx)
{
    static const char *const names[] = {[REC_COMMAND] = "command", [REC_ANOMALY] = "anomaly",
                                        [REC_DATA] = "data", [REC_CONNECTION] = "connection"};
    put_cstr(fn, ctx, names[r->type]);
}

static void get_frame(const record *r, fvalue_fn fn, void *ctx)
{
    put_num(fn, ctx, (double)r->frame);
}

static void get_ts(const record *r, fvalue_fn fn, void *ctx)
{
    put_num(fn, ctx, (double)r->sec + r->usec / 1e6);
}

static void get_uid(const record *r, fvalue_fn fn, void *ctx)
{
    put_cstr(fn, ctx, r->conn->uid);
}

static void get_sid(const record *r, fvalue_fn fn, void *ctx)
{
    if (r->sid) {
        char s[16];
        int n = snprintf(s, sizeof s, "S%u", r->sid);
        put_str(fn, ctx, s, (size_t)n);
    }
}

static void get_role(const record *r, fvalue_fn fn, void *ctx)
{
    put_cstr(fn, ctx, record_role(r));
}

static void get_dir(const record *r, fvalue_fn fn, void *ctx)
{
    if (r->type != REC_CONNECTION)
        put_cstr(fn, ctx, record_dir(r));
}

static void get_src(const record *r, fvalue_fn fn, void *ctx)
{
    if (r->type != REC_CONNECTION)
        put_cstr(fn, ctx, r->conn->endpoint[r->side]);
}

static void get_dst(const record *r, fvalue_fn fn, void *ctx)
{
    if (r->type != REC_CONNECTION)
        put_cstr(fn, ctx, r->conn->endpoint[!r->side]);
}

static void get_line(const record *r, fvalue_fn fn, void *ctx)
{
    if (is_command(r))
        put_str(fn, ctx, (const char *)r->base, r->pdu->line_len);
}

static void get_cmd(const record *r, fvalue_fn fn, void *ctx)
{
    if (is_command(r))
        put_str(fn, ctx, (const char *)r->base + r->pdu->tok[0].off, r->pdu->tok[0].len);
}

static void get_trid(const record *r, fvalue_fn fn, void *ctx)
{
    if (is_command(r) && r->cmd->has_trid)
        put_num(fn, ctx, r->cmd->trid);
}

static void get_args(const record *r, fvalue_fn fn, void *ctx)
{
    if (!is_command(r))
        return;
    for (unsigned i = 0; i < r->cmd->nargs; i++) {
        msnp_span a = msnp_command_arg(r->cmd, r->pdu, i);
        if (put_str(fn, ctx, (const char *)r->base + a.off, a.len))
            return;
    }
}

static void get_payload_len(const record *r, fvalue_fn fn, void *ctx)
{
    if (is_command(r) && r->pdu->has_payload)
        put_num(fn, ctx, (double)(r->pdu->missing ? r->pdu->declared : r->pdu->payload.len));
}

static void get_error_code(const record *r, fvalue_fn fn, void *ctx)
{
    if (is_command(r) && r->cmd->is_error)
        put_num(fn, ctx, r->cmd->error_code);
}

static void get_error_name(const record *r, fvalue_fn fn, void *ctx)
{
    if (is_command(r) && r->cmd->error)
        put_cstr(fn, ctx, r->cmd->error->name);
}

static void get_meaning(const record *r, fvalue_fn fn, void *ctx)
{
    if (!is_command(r))
        return;
    char buf[2048];
    size_t n = msnp_render_meaning(r->cmd, r->base, r->pdu, buf, sizeof buf);
    put_str(fn, ctx, buf, n);
}

static void get_since(const record *r, fvalue_fn fn, void *ctx)
{
    if (!is_command(r) || r->cmd->era == MSNP_ERA_MSNP8)
        return;
    const msnp_command *c = r->cmd;
    put_cstr(fn, ctx, c->form && c->form->since ? c->form->since
                      : c->info && c->info->since ? c->info->since
                                                  : "other version");
}

static void get_kind(const record *r, fvalue_fn fn, void *ctx)
{
    if (r->type == REC_ANOMALY)
        put_cstr(fn, ctx, r->kind);
}

static void get_detail(const record *r, fvalue_fn fn, void *ctx)
{
    if (r->type == REC_ANOMALY)
        put_cstr(fn, ctx, r->detail);
}

static void get_content_type(const record *r, fvalue_fn fn, void *ctx)
{
    if (!is_command(r) || !r->pdu->has_payload)
        return;
    const uint8_t *p = r->base + r->pdu->payload.off;
    msnp_mime m;
    if (msnp_mime_parse(p, r->pdu->payload.len, &m) == 0 && m.content_type.len)
        put_str(fn, ctx, (const char *)p + m.content_type.off, m.content_type.len);
}

static void get_mime_header(const record *r, fvalue_fn fn, void *ctx)
{
    if (!is_command(r) || !r->pdu->has_payload)
        return;
    const uint8_t *p = r->base + r->pdu->payload.off;
    msnp_mime m;
    if (msnp_mime_parse(p, r->pdu->payload.len, &m) != 0)
        return;
    for (unsigned i = 0; i < m.headers.count; i++) {
        /* "Name: value", as one string */
        const msnp_field *f = &m.headers.f[i];
        uint32_t end = f->value.off + f->value.len;
        if (put_str(fn, ctx, (const char *)p + f->name.off, end - f->name.off))
            return;
    }
}

static const msnp_txn *matched_reply(const record *r)
{
    return is_command(r) && r->txn.kind == MSNP_TXN_REPLY && r->txn.matched ? &r->txn : NULL;
}

static void get_response_to(const record *r, fvalue_fn fn, void *ctx)
{
    const msnp_txn *t = matched_reply(r);
    if (t)
        put_num(fn, ctx, (double)t->tag);
}

static void get_time(const record *r, fvalue_fn fn, void *ctx)
{
    const msnp_txn *t = matched_reply(r);
    if (t)
        put_num(fn, ctx, (double)(int64_t)((uint64_t)record_usec(r) - (uint64_t)t->when) / 1e6);
}

static void get_async(const record *r, fvalue_fn fn, void *ctx)
{
    if (is_command(r) && r->txn.kind == MSNP_TXN_ASYNC)
        put_num(fn, ctx, 1);
}

static const struct builtin {
    const char *name;  /* the Wireshark plugin's name */
    const char *key;   /* msnpdump's JSON key */
    const char *text;
    getter get;
} builtins[] = {
    {"msnp.type", "type", "record type: command, anomaly, data, connection", get_type},
    {"frame.number", "frame", "frame that completed the record", get_frame},
    {"frame.time_epoch", "ts", "its time, seconds since the epoch", get_ts},
    {"msnp.uid", "uid", "connection id (C1, C2, ...)", get_uid},
    {"msnp.sid", "sid", "login session id (S1, S2, ...)", get_sid},
    {"msnp.role", "role", "DS, NS, SB, FTP or unknown", get_role},
    {"msnp.dir", "dir", "c2s or s2c", get_dir},
    {"msnp.src", "src", "sender IP:PORT", get_src},
    {"msnp.dst", "dst", "receiver IP:PORT", get_dst},
    {"msnp.command_line", "line", "the command line as on the wire", get_line},
    {"msnp.cmd", "cmd", "the command (or 3-digit error code)", get_cmd},
    {"msnp.trid", "trid", "transaction id", get_trid},
    {"msnp.arg", "args", "each argument after command and TrID", get_args},
    {"msnp.response_to", "response_to", "frame of the request this reply answers",
     get_response_to},
    {"msnp.time", "time", "seconds between the request and this reply", get_time},
    {"msnp.async", "async", "1 on a server push that answers no request", get_async},
    {"msnp.payload_len", "payload_len", "payload length in bytes", get_payload_len},
    {"msnp.error_code", "error.code", "numeric error reply code", get_error_code},
    {"msnp.error_name", "error.name", "name of the error code", get_error_name},
    {"msnp.meaning", "meaning", "what the command means", get_meaning},
    {"msnp.since", "since", "protocol versions of a non-MSNP8 command or form", get_since},
    {"msnp.anomaly", "kind", "anomaly kind (gap, skipped, malformed, ...)", get_kind},
    {"msnp.anomaly_detail", "detail", "anomaly description", get_detail},
    {"msnp.mime.content_type", "mime.content_type", "MSG payload media type",
     get_content_type},
    {"msnp.mime.header", "mime.header", "each MSG payload header, \"Name: value\"",
     get_mime_header},
};

#define NBUILTIN (sizeof builtins / sizeof builtins[0])

/* Is `name` an argument name somewhere in the command table? */
static int is_arg_name(const char *name, size_t len)
{
    for (size_t i = 0; i < msnp_command_count(); i++) {
        const msnp_command_info *ci = msnp_command_at(i);
        for (unsigned k = 0; k < ci->nforms; k++) {
            const char *s = ci->forms[k].args;
            while (s && *s) {
                while (*s == ' ')
                    s++;
                const char *w = s;
                while (*s && *s != ' ')
                    s++;
                size_t wl = (size_t)(s - w);
                if (wl > 3 && memcmp(w + wl - 3, "...", 3) == 0)
                    wl -= 3;
                if (wl > 0 && w[wl - 1] == '%')
                    wl--;
                if (wl == len && memcmp(w, name, len) == 0)
                    return 1;
            }
        }
    }
    return 0;
}

int field_resolve(const char *name, field_ref *out)
{
    memset(out, 0, sizeof *out);
    out->builtin = -1;
    for (size_t i = 0; i < NBUILTIN; i++) {
        if (strcmp(name, builtins[i].name) == 0 || strcmp(name, builtins[i].key) == 0) {
            out->builtin = (int)i;
            return 0;
        }
    }
    const char *bare = strncmp(name, "msnp.", 5) == 0 ? name + 5 : name;
    size_t len = strlen(bare);
    if (len == 0 || len >= sizeof out->arg || !is_arg_name(bare, len))
        return -1;
    memcpy(out->arg, bare, len + 1);
    return 0;
}

void field_values(const field_ref *f, const record *r, fvalue_fn fn, void *ctx)
{
    if (f->builtin >= 0) {
        builtins[f->builtin].get(r, fn, ctx);
        return;
    }
    if (!is_command(r))
        return;
    size_t want = strlen(f->arg);
    for (unsigned i = 0; i < r->cmd->nargs; i++) {
        const char *name;
        int urlenc;
        size_t nl = msnp_command_arg_name(r->cmd, i, &name, &urlenc);
        if (nl != want || memcmp(name, f->arg, want) != 0)
            continue;
        msnp_span a = msnp_command_arg(r->cmd, r->pdu, i);
        int stop;
        if (urlenc) {
            char buf[1024];
            size_t n = msnp_url_decode(r->base + a.off, a.len, buf, sizeof buf);
            stop = put_str(fn, ctx, buf, n);
        } else {
            stop = put_str(fn, ctx, (const char *)r->base + a.off, a.len);
        }
        if (stop)
            return;
    }
}

void field_list(void (*fn)(void *ctx, const char *name, const char *text), void *ctx)
{
    for (size_t i = 0; i < NBUILTIN; i++)
        fn(ctx, builtins[i].name, builtins[i].text);
    fn(ctx, "msnp.<argument>",
       "any argument name of the command table (msnp.user, msnp.nick, msnp.status, ...)");
}
