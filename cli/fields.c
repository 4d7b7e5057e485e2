/* Record fields by name (see fields.h). One table: name, the JSON key it
 * shares, what it is, and how to read it from a record. */
#include "fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msnp/msnp.h"
#include "msnp/payload.h"

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

/* MSG payloads are MIME; NOT, IPG, PAG and SDC payloads are not (their
 * values are the vocabulary's msnp.notification.*, msnp.page.*, ...). */
static int is_msg(const record *r)
{
    return is_command(r) && r->pdu->has_payload && r->pdu->tok[0].len == 3 &&
           memcmp(r->base + r->pdu->tok[0].off, "MSG", 3) == 0;
}

static void get_content_type(const record *r, fvalue_fn fn, void *ctx)
{
    if (!is_msg(r))
        return;
    const uint8_t *p = r->base + r->pdu->payload.off;
    msnp_mime m;
    if (msnp_mime_parse(p, r->pdu->payload.len, &m) == 0 && m.content_type.len)
        put_str(fn, ctx, (const char *)p + m.content_type.off, m.content_type.len);
}

static void get_mime_header(const record *r, fvalue_fn fn, void *ctx)
{
    if (!is_msg(r))
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
        put_num(fn, ctx, (double)record_usec_since(r, t->when) / 1e6);
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

/* ---- Decoded payload values: libmsnp's vocabulary (payload.h) -------------
 *
 * The same visitors fill the Wireshark plugin's fields of these names
 * (dissector/msnp-meaning.c); values are spelt as tshark -T fields spells
 * them: numbers in decimal, hex fields as 0x and two digits per byte,
 * booleans 1 or 0, bytes as contiguous hex, keyed fields "Name: value". */

/* Values of an MSNFTP transfer are per connection, not per command: they
 * are msnpdump's `invites` view (the plugin shows them at BYE and CCL). */
static int vocab_per_command(msnp_vocab_id id)
{
    return id < MSNP_V_FTP_SIZE;
}

typedef struct vocab_pick {
    msnp_vocab_id id;
    const uint8_t *payload; /* keyed values: their names are spans into it */
    field_scratch *scratch;
    fvalue_fn fn;
    void *ctx;
    int stop;
} vocab_pick;

void field_scratch_free(field_scratch *s)
{
    scratch_free(&s->payload);
    scratch_free(&s->decoded);
    scratch_free(&s->text);
}

static int put_hex(vocab_pick *pk, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *s = scratch_room(&pk->scratch->text, n * 2 + 1);
    if (!s)
        return 1;
    for (size_t i = 0; i < n; i++) {
        s[2 * i] = digits[p[i] >> 4];
        s[2 * i + 1] = digits[p[i] & 15];
    }
    return put_str(pk->fn, pk->ctx, s, n * 2);
}

static int put_keyed(vocab_pick *pk, const msnp_vocab_value *v)
{
    size_t n = v->key.len + 2 + v->str_len;
    char *s = scratch_room(&pk->scratch->text, n);
    if (!s)
        return 1;
    memcpy(s, pk->payload + v->key.off, v->key.len);
    memcpy(s + v->key.len, ": ", 2);
    memcpy(s + v->key.len + 2, v->str, v->str_len);
    return put_str(pk->fn, pk->ctx, s, n);
}

static void pick_value(void *ctx, const msnp_vocab_value *v)
{
    vocab_pick *pk = ctx;
    if (pk->stop || v->id != pk->id)
        return;
    char buf[32];
    int n;
    switch (v->field->type) {
    case MSNP_VT_UINT:
    case MSNP_VT_BOOL:
    case MSNP_VT_TIME:
        /* A double holds every integer up to 2^53 exactly. */
        if (v->u <= (1ull << 53)) {
            pk->stop = put_num(pk->fn, pk->ctx, (double)v->u);
        } else {
            n = snprintf(buf, sizeof buf, "%llu", (unsigned long long)v->u);
            pk->stop = put_str(pk->fn, pk->ctx, buf, (size_t)n);
        }
        break;
    case MSNP_VT_HEX:
        n = snprintf(buf, sizeof buf, "0x%0*llx", v->field->bits / 4, (unsigned long long)v->u);
        pk->stop = put_str(pk->fn, pk->ctx, buf, (size_t)n);
        break;
    case MSNP_VT_INT:
        pk->stop = put_num(pk->fn, pk->ctx, (double)v->i);
        break;
    case MSNP_VT_BYTES:
        pk->stop = put_hex(pk, v->str, v->str_len);
        break;
    default:
        pk->stop = v->field->keyed ? put_keyed(pk, v)
                                   : put_str(pk->fn, pk->ctx, (const char *)v->str, v->str_len);
        break;
    }
}

static int cmd_is(const record *r, const char *name)
{
    return r->pdu->tok[0].len == 3 && memcmp(r->base + r->pdu->tok[0].off, name, 3) == 0;
}

/* The client's QRY, checked against the connection's last CHL. */
static void qry_values(const record *r, vocab_pick *pk)
{
    if (r->cmd->nargs < 2 || msnp_conn_dir(r->conn->msnp, r->side) == MSNP_DIR_S2C)
        return;
    msnp_span id = msnp_command_arg(r->cmd, r->pdu, 0);
    const uint8_t *answer = r->base + r->pdu->payload.off;
    msnp_qry_result q;
    msnp_qry_verify((const uint8_t *)r->challenge, r->challenge ? strlen(r->challenge) : 0,
                    r->base + id.off, id.len, answer, r->pdu->payload.len, &q);
    msnp_qry_visit(&q, r->base + id.off, id.len, answer, r->pdu->payload.len, pick_value, pk);
}

static void vocab_values(msnp_vocab_id id, const record *r, field_scratch *scratch,
                         fvalue_fn fn, void *ctx)
{
    if (!is_command(r) || !r->pdu->has_payload || r->pdu->payload.len == 0 ||
        msnp_conn_role(r->conn->msnp) == MSNP_ROLE_FTP)
        return;
    const uint8_t *p = r->base + r->pdu->payload.off;
    size_t n = r->pdu->payload.len;
    vocab_pick pk = {id, p, scratch, fn, ctx, 0};
    if (cmd_is(r, "QRY")) {
        qry_values(r, &pk);
        return;
    }
    if (cmd_is(r, "SDC")) {
        msnp_sdc_visit(p, n, pick_value, &pk);
        return;
    }
    int page = cmd_is(r, "PAG");
    if (!cmd_is(r, "MSG") && !cmd_is(r, "NOT") && !cmd_is(r, "IPG") && !page)
        return;
    /* Decoded strings never grow beyond twice their bytes (Latin-1 to
     * UTF-8); the payload is bounded by --max-payload. */
    msnp_vocab_scratch strings = {scratch_room(&scratch->decoded, n * 2 + 16), n * 2 + 16};
    if (!strings.buf)
        return;
    if (cmd_is(r, "MSG")) {
        msnp_payload *pl = scratch_room(&scratch->payload, sizeof *pl);
        if (!pl)
            return;
        msnp_payload_decode(p, n, pl);
        msnp_payload_visit(pl, p, strings, pick_value, &pk);
    } else {
        msnp_xml_note x;
        if (page)
            msnp_page_parse(p, n, &x);
        else
            msnp_notification_parse(p, n, &x);
        msnp_xml_note_visit(&x, page, p, strings, pick_value, &pk);
    }
}

/* Is `name` an argument name somewhere in the command table? */
static int is_arg_name(const char *name, size_t len)
{
    for (size_t i = 0; i < msnp_command_count(); i++) {
        const msnp_command_info *ci = msnp_command_at(i);
        int enc;
        for (unsigned k = 0; k < ci->nforms; k++)
            if (msnp_form_arg_index(&ci->forms[k], name, len, &enc) >= 0)
                return 1;
    }
    return 0;
}

int field_resolve(const char *name, field_ref *out)
{
    memset(out, 0, sizeof *out);
    out->builtin = -1;
    out->vocab = -1;
    for (size_t i = 0; i < NBUILTIN; i++) {
        if (strcmp(name, builtins[i].name) == 0 || strcmp(name, builtins[i].key) == 0) {
            out->builtin = (int)i;
            return 0;
        }
    }
    const char *bare = strncmp(name, "msnp.", 5) == 0 ? name + 5 : name;
    size_t len = strlen(bare);
    for (int id = 0; id < MSNP_V_COUNT; id++) {
        const msnp_vocab_field *f = msnp_vocab((msnp_vocab_id)id);
        if (vocab_per_command((msnp_vocab_id)id) && strcmp(f->name + 5, bare) == 0) {
            out->vocab = id;
            return 0;
        }
    }
    if (len == 0 || len >= sizeof out->arg || !is_arg_name(bare, len))
        return -1;
    memcpy(out->arg, bare, len + 1);
    return 0;
}

void field_values(const field_ref *f, const record *r, field_scratch *scratch, fvalue_fn fn,
                  void *ctx)
{
    if (f->builtin >= 0) {
        builtins[f->builtin].get(r, fn, ctx);
        return;
    }
    if (f->vocab >= 0) {
        vocab_values((msnp_vocab_id)f->vocab, r, scratch, fn, ctx);
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
    for (int id = 0; id < MSNP_V_COUNT; id++) {
        const msnp_vocab_field *f = msnp_vocab((msnp_vocab_id)id);
        field_ref same;
        /* Names a built-in field already has (msnp.mime.content_type) once. */
        if (vocab_per_command((msnp_vocab_id)id) && field_resolve(f->name, &same) == 0 &&
            same.vocab == id)
            fn(ctx, f->name, f->description);
    }
    fn(ctx, "msnp.<argument>",
       "any argument name of the command table (msnp.user, msnp.nick, msnp.status, ...)");
}
