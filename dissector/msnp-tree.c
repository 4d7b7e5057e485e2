/* The protocol tree of one MSNP PDU (a command line with its payload, an
 * MSNFTP data block, or bytes skipped while resynchronising), its text in
 * the Info column, and the expert items for everything unusual in it.
 * Every item covers exactly the bytes it describes (libmsnp's token spans). */
#include <stdio.h>
#include <string.h>

#include <epan/packet.h> /* first: the other epan headers rely on its types */

#include <epan/charsets.h>
#include <epan/column-utils.h>
#include <epan/expert.h>
#include <epan/strutil.h>

#include "msnp/payload.h"
#include "msnp/text.h"
#include "packet-msnp.h"

/* Longest command text shown per PDU in the Info column. */
enum { INFO_LINE_MAX = 72, MEANING_MAX = 2048 };

/* Arguments that let whoever reads the capture sign in or join: the
 * Passport ticket and the cookies of switchboards and file transfers (named
 * as in libmsnp's command table). */
static const char *const credential_args[] = {"ticket", "cookie", "md5_hash", "response"};
/* Payload headers and invitation fields of the same kind (§6.2, §6.3). */
static const char *const credential_fields[] = {"MSPAuth", "AuthCookie"};

static dissector_table_t media_type_table;
static dissector_handle_t text_lines_handle;

/* Labels that are the same for every PDU that has them, made once: labelling
 * each item from its parts would format them anew for every command line.
 * protocol_name starts the protocol item's label; command_labels maps a
 * command's table row to "Command: SYN (synchronise the contact list)". */
static const char *protocol_name;
static wmem_map_t *command_labels;

void msnp_tree_handoff(void)
{
    media_type_table = find_dissector_table("media_type");
    text_lines_handle = find_dissector("data-text-lines");
    protocol_name = proto_get_protocol_long_name(find_protocol_by_id(proto_msnp));
    command_labels = wmem_map_new(wmem_epan_scope(), g_direct_hash, g_direct_equal);
    for (size_t i = 0; i < msnp_command_count(); i++) {
        const msnp_command_info *ci = msnp_command_at(i);
        if (ci->summary)
            wmem_map_insert(command_labels, ci,
                            wmem_strdup_printf(wmem_epan_scope(), "%s: %s (%s)",
                                               proto_registrar_get_name(hf_msnp_cmd), ci->name,
                                               ci->summary));
    }
}

/* A copy of printable ASCII (no NUL, so no scan for one): the usual text
 * of a field, the same whether converted to UTF-8 or escaped for a label,
 * and much cheaper than either conversion (every PDU shows several). */
static char *ascii_copy(wmem_allocator_t *scope, const guint8 *p, size_t len)
{
    char *s = wmem_alloc(scope, len + 1);
    memcpy(s, p, len);
    s[len] = '\0';
    return s;
}

const char *msnp_utf8(wmem_allocator_t *scope, const guint8 *p, size_t len)
{
    if (msnp_printable_ascii(p, len))
        return ascii_copy(scope, p, len);
    return (const char *)get_utf_8_string(scope, p, (gint)len);
}

/* Text from the capture, valid UTF-8 (invalid bytes become U+FFFD). */
static const char *utf8(packet_info *pinfo, const guint8 *p, size_t len)
{
    return msnp_utf8(pinfo->pool, p, len);
}

/* Text from the capture, safe to show in a label or a column. */
static const char *shown(packet_info *pinfo, const guint8 *p, size_t len)
{
    if (msnp_printable_ascii(p, len))
        return ascii_copy(pinfo->pool, p, len);
    return MSNP_FORMAT_TEXT(pinfo->pool, p, len);
}

/* The same text for a "%.*s" in a label: printable bytes are printed from
 * the capture in place, without the copy a C string would need. */
typedef struct {
    int len;
    const char *text;
} label_text;

static label_text shown_in_place(packet_info *pinfo, const guint8 *p, size_t len)
{
    label_text t;
    if (msnp_printable_ascii(p, len)) {
        t.text = (const char *)p;
        t.len = (int)len;
    } else {
        t.text = MSNP_FORMAT_TEXT(pinfo->pool, p, len);
        t.len = (int)strlen(t.text);
    }
    return t;
}

static gboolean is_one_of(const char *name, size_t len, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && memcmp(list[i], name, len) == 0)
            return TRUE;
    return FALSE;
}

/* ---- Command lines ---------------------------------------------------------- */

/* The role in the protocol item's text (", SB"), nothing while unknown:
 * "%s%s" with ROLE_TEXT(v). */
#define ROLE_TEXT(v)                                                                      \
    ((v)->role != MSNP_ROLE_UNKNOWN ? ", " : ""),                                         \
        ((v)->role != MSNP_ROLE_UNKNOWN ? msnp_role_name((v)->role) : "")

static void add_connection_items(proto_tree *tree, tvbuff_t *tvb, const msnp_pdu_view *v)
{
    proto_item *it;
    it = proto_tree_add_string(tree, hf_msnp_role, tvb, 0, 0, msnp_role_name(v->role));
    proto_item_set_generated(it);
    if (v->dir != MSNP_DIR_UNKNOWN) {
        it = proto_tree_add_string(tree, hf_msnp_dir, tvb, 0, 0, msnp_dir_name(v->dir));
        proto_item_set_generated(it);
    }
    if (v->rec && v->rec->sid && proto_field_is_referenced(tree, hf_msnp_sid)) {
        /* "S12", as msnpdump names the login */
        char sid[24];
        sid[sizeof sid - 1] = '\0';
        char *text = msnp_u64_digits(v->rec->sid, sid + sizeof sid - 1);
        *--text = 'S';
        it = proto_tree_add_string(tree, hf_msnp_sid, tvb, 0, 0, text); /* copied */
        proto_item_set_generated(it);
    }
    const msnp_expected *e = v->conv ? v->conv->expected : NULL;
    if (e) {
        /* Labels made from the fields (no text formatted for every PDU). */
        it = proto_tree_add_uint(tree, hf_msnp_setup_frame, tvb, 0, 0, e->setup_frame);
        proto_item_set_generated(it);
        proto_tree *st = proto_item_add_subtree(it, ett_msnp_setup);
        it = proto_tree_add_string(st, hf_msnp_setup_method, tvb, 0, 0, e->method);
        proto_item_set_generated(it);
    }
}

/* The command line copied once, for C strings of its tokens in place (a NUL
 * after each as it is taken): an allocation per argument cost more than the
 * rest of its item. NULL when the line is not printable ASCII; its tokens are
 * then converted one by one. */
static char *line_copy(packet_info *pinfo, const msnp_pdu_view *v)
{
    if (!msnp_printable_ascii(v->base, v->pdu.line_len))
        return NULL;
    return ascii_copy(pinfo->pool, v->base, v->pdu.line_len);
}

static const char *token_text(packet_info *pinfo, char *copy, const guint8 *base, msnp_span s)
{
    if (!copy)
        return utf8(pinfo, base + s.off, s.len);
    copy[s.off + s.len] = '\0';
    return copy + s.off;
}

/* Each argument is an item of its named field (msnp.user, ...: labelled with
 * the argument's name, URL-decoded where the form says so) with msnp.arg, the
 * bytes as on the wire, beside it for filters, hidden like ip.addr; an
 * argument the form does not name is an msnp.arg labelled "argument N".
 * The hidden copy is made whenever msnp.arg may be read: a filter or column
 * names it, or the tree is shown. The last costs an item per named argument
 * under tshark -T fields, but Wireshark 4.0's tshark does not mark its -e
 * fields as referenced, so `-e msnp.arg` would otherwise print only the
 * arguments no form names. */
static void add_arguments(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo,
                          const msnp_pdu_view *v, char *copy, gboolean *has_payload_len)
{
    const msnp_command *c = &v->cmd;
    if (c->nargs == 0)
        return;
    gboolean arg_wanted = proto_field_is_referenced(tree, hf_msnp_arg);
    msnp_span first = msnp_command_arg(c, &v->pdu, 0);
    proto_item *it = proto_tree_add_uint(tree, hf_msnp_args, tvb, first.off,
                                         v->pdu.line_len - first.off, c->nargs);
    proto_tree *args = proto_item_add_subtree(it, ett_msnp_args);
    for (unsigned i = 0; i < c->nargs; i++) {
        msnp_span s = msnp_command_arg(c, &v->pdu, i);
        const guint8 *wire = v->base + s.off;
        const char *name;
        int urlenc;
        size_t nlen = msnp_command_arg_name(c, i, &name, &urlenc);
        int hf = nlen ? msnp_field_for_arg(name, nlen) : -1;
        if (hf == hf_msnp_payload_len)
            *has_payload_len = TRUE;
        proto_item *item = NULL; /* what expert items about the argument point at */
        if (hf == -1) {
            if (arg_wanted)
                item = proto_tree_add_string_format(
                    args, hf_msnp_arg, tvb, s.off, s.len, utf8(pinfo, wire, s.len),
                    "argument %u: %s", i + 1, shown(pinfo, wire, s.len));
        } else if (arg_wanted || proto_field_is_referenced(tree, hf)) {
            const char *raw = token_text(pinfo, copy, v->base, s);
            const char *value = raw;
            if (urlenc) {
                /* Decoding never makes text longer. */
                char *dec = wmem_alloc(pinfo->pool, s.len + 1);
                size_t dlen = msnp_url_decode(wire, s.len, dec, s.len + 1);
                value = utf8(pinfo, (const guint8 *)dec, dlen);
            }
            if (hf == hf_msnp_payload_len)
                item = proto_tree_add_uint64(args, hf, tvb, s.off, s.len,
                                             msnp_span_u64(v->base, s));
            else if (value != raw && strcmp(value, raw) != 0 && msnp_tree_shown(tree))
                item = proto_tree_add_string_format_value(args, hf, tvb, s.off, s.len, value,
                                                          "%s (on the wire: %s)",
                                                          shown(pinfo, (const guint8 *)value,
                                                                strlen(value)),
                                                          shown(pinfo, wire, s.len));
            else
                item = proto_tree_add_string(args, hf, tvb, s.off, s.len, value);
            if (arg_wanted) {
                proto_item *a = proto_tree_add_string(args, hf_msnp_arg, tvb, s.off, s.len, raw);
                proto_item_set_hidden(a);
            }
        }
        if (!nlen)
            continue;
        if (!item)
            item = it; /* expert items need an item to hang from */
        /* The value stays out of the text: expert summaries group by it. */
        if (is_one_of(name, nlen, credential_args, array_length(credential_args)))
            expert_add_info_format(pinfo, item, &ei_msnp_credential,
                                   "Credential in the clear: %.*s of %.3s", (int)nlen, name,
                                   (const char *)v->base + v->pdu.tok[0].off);
        const msnp_expected *e = v->conv ? v->conv->expected : NULL;
        if (e && e->cookie && nlen == 6 && memcmp(name, "cookie", 6) == 0 &&
            v->dir == MSNP_DIR_C2S &&
            (strlen(e->cookie) != s.len || memcmp(wire, e->cookie, s.len) != 0))
            expert_add_info_format(pinfo, item, &ei_msnp_cookie_mismatch,
                                   "The cookie differs from the one %s announced in frame %u",
                                   e->method, e->setup_frame);
    }
}

static void add_error(proto_tree *tree, proto_item *line, tvbuff_t *tvb, packet_info *pinfo,
                      const msnp_pdu_view *v)
{
    const msnp_command *c = &v->cmd;
    msnp_span code = v->pdu.tok[0];
    proto_item *it = proto_tree_add_uint(tree, hf_msnp_error_code, tvb, code.off, code.len,
                                         c->error_code);
    if (c->error) {
        proto_item *m = proto_tree_add_string(tree, hf_msnp_error_meaning, tvb, code.off,
                                              code.len, c->error->meaning);
        proto_item_set_generated(m);
        expert_add_info_format(pinfo, line, &ei_msnp_error_reply, "Error %u (%s): %s",
                               c->error_code, c->error->name, c->error->meaning);
    } else {
        expert_add_info_format(pinfo, it, &ei_msnp_unknown_error_code,
                               "Error code %u is in no source the plugin knows",
                               c->error_code);
    }
}

static void add_pairing(proto_tree *tree, proto_item *line, tvbuff_t *tvb, packet_info *pinfo,
                        const msnp_pdu_view *v)
{
    const msnp_pdu_rec *rec = v->rec, *request;
    proto_item *it;
    if (!rec)
        return;
    switch (rec->txn.kind) {
    case MSNP_TXN_ASYNC:
        it = proto_tree_add_boolean(tree, hf_msnp_async, tvb, 0, 0, TRUE);
        proto_item_set_generated(it);
        break;
    case MSNP_TXN_REQUEST:
        if (rec->response_frame) {
            it = proto_tree_add_uint(tree, hf_msnp_response_in, tvb, 0, 0, rec->response_frame);
            proto_item_set_generated(it);
        } else if (PINFO_FD_VISITED(pinfo) && rec->txn.expect == MSNP_EXPECT_REPLY) {
            /* Only once the whole capture has been read can "never" be said. */
            expert_add_info(pinfo, line, &ei_msnp_no_response);
        }
        break;
    case MSNP_TXN_REPLY:
        if ((request = msnp_pdu_rec_request(rec)) != NULL) {
            it = proto_tree_add_uint(tree, hf_msnp_response_to, tvb, 0, 0, request->frame);
            proto_item_set_generated(it);
            nstime_t delta = msnp_pdu_rec_response_time(rec, &pinfo->abs_ts);
            it = proto_tree_add_time(tree, hf_msnp_time, tvb, 0, 0, &delta);
            proto_item_set_generated(it);
        }
        if (rec->txn.multi) {
            it = proto_tree_add_uint(tree, hf_msnp_reply_line, tvb, 0, 0, rec->txn.line + 1);
            proto_item_set_generated(it);
        }
        break;
    default:
        break;
    }
}

/* Bodies whose every byte libmsnp's payload decoders show as msnp.* fields
 * (msnp-meaning.c): handing them to Wireshark's text dissector as well would
 * show the same text twice. */
static const gboolean body_shown_as_fields[MSNP_PK_COUNT] = {
    [MSNP_PK_TEXT] = TRUE,         [MSNP_PK_TYPING] = TRUE,      [MSNP_PK_INVITE] = TRUE,
    [MSNP_PK_PROFILE] = TRUE,      [MSNP_PK_MAIL_INITIAL] = TRUE, [MSNP_PK_MAIL_NEW] = TRUE,
    [MSNP_PK_MAIL_ACTIVE] = TRUE,  [MSNP_PK_SYSTEM] = TRUE,      [MSNP_PK_CLIENTCAPS] = TRUE,
};

/* MSG payloads: the MIME header block as fields; a body libmsnp does not
 * decode to the media_type table (Wireshark's own dissectors). */
static void add_mime(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo,
                     const msnp_pdu_view *v)
{
    const msnp_mime *m = &v->mime;
    guint base = v->pdu.payload.off;
    const guint8 *p = v->base + base;
    proto_item *it;
    proto_tree *mt = proto_tree_add_subtree_format(tree, tvb, base, (gint)m->body.off,
                                                   ett_msnp_mime, &it, "MIME header (%u fields)",
                                                   m->headers.count);
    gboolean header_wanted = proto_field_is_referenced(tree, hf_msnp_mime_header);
    gboolean type_wanted = proto_field_is_referenced(tree, hf_msnp_mime_content_type) ||
                           proto_field_is_referenced(tree, hf_msnp_mime_charset);
    for (unsigned i = 0; i < m->headers.count; i++) {
        const msnp_field *f = &m->headers.f[i];
        /* "Name: value" up to the value's end, as msnpdump's msnp.mime.header
         * (an empty value keeps the space after the colon). */
        guint end = MAX(f->value.off + f->value.len, f->name.off + f->name.len + 1);
        proto_item *h = it;
        if (header_wanted || type_wanted)
            h = proto_tree_add_string(mt, hf_msnp_mime_header, tvb, base + f->name.off,
                                      end - f->name.off,
                                      utf8(pinfo, p + f->name.off, end - f->name.off));
        if (type_wanted && msnp_span_ieq(p, f->name, "Content-Type")) {
            proto_tree *ht = proto_item_add_subtree(h, ett_msnp_mime_header);
            proto_tree_add_string(ht, hf_msnp_mime_content_type, tvb,
                                  base + m->content_type.off, m->content_type.len,
                                  utf8(pinfo, p + m->content_type.off, m->content_type.len));
            if (m->charset.len)
                proto_tree_add_string(ht, hf_msnp_mime_charset, tvb, base + m->charset.off,
                                      m->charset.len,
                                      utf8(pinfo, p + m->charset.off, m->charset.len));
        }
        for (size_t k = 0; k < array_length(credential_fields); k++)
            if (msnp_span_ieq(p, f->name, credential_fields[k]))
                expert_add_info_format(pinfo, h, &ei_msnp_credential,
                                       "Credential in the clear: %s header", credential_fields[k]);
    }
    if (m->body.len == 0 || m->body.off + m->body.len > v->pdu.payload.len)
        return;
    tvbuff_t *body = tvb_new_subset_length(tvb, base + m->body.off, m->body.len);

    /* Invitation bodies are field lists too; their AuthCookie is a credential. */
    msnp_fields fields;
    msnp_fields_parse(p + m->body.off, m->body.len, &fields);
    const msnp_field *auth = msnp_fields_find(&fields, p + m->body.off, "AuthCookie");
    if (auth && msnp_span_ieq(p, m->content_type, "text/x-msmsgsinvite"))
        expert_add_info_format(pinfo, it, &ei_msnp_credential,
                               "Credential in the clear: invitation AuthCookie");
    const msnp_content_type *known =
        m->content_type.len ? msnp_content_type_find(p, m->content_type) : NULL;
    if (known && known->kind < MSNP_PK_COUNT && body_shown_as_fields[known->kind])
        return;

    char *type = m->content_type.len
                     ? g_ascii_strdown((const char *)p + m->content_type.off,
                                       (gssize)m->content_type.len)
                     : NULL;
    char *params = NULL;
    const msnp_field *ct = msnp_fields_find(&m->headers, p, "Content-Type");
    if (ct) {
        const guint8 *semi = memchr(p + ct->value.off, ';', ct->value.len);
        if (semi)
            params = wmem_strndup(pinfo->pool, (const char *)semi + 1,
                                  ct->value.off + ct->value.len - (guint)(semi + 1 - p));
    }
    msnp_media_info info;
    memset(&info, 0, sizeof info);
    info.type = MSNP_MEDIA_INFO_OTHER;
    info.media_str = params;
    /* The body's dissector must not rewrite our Info column. */
    col_set_writable(pinfo->cinfo, -1, FALSE);
    int used = type && media_type_table
                   ? dissector_try_string(media_type_table, type, body, pinfo, tree, &info)
                   : 0;
    if (!used && type && g_str_has_prefix(type, "text/") && text_lines_handle)
        used = call_dissector_with_data(text_lines_handle, body, pinfo, tree, &info);
    if (!used)
        call_data_dissector(body, pinfo, tree);
    col_set_writable(pinfo->cinfo, -1, TRUE);
    g_free(type);
}

static void add_payload(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo,
                        const msnp_pdu_view *v, gboolean has_payload_len)
{
    const msnp_pdu *pdu = &v->pdu;
    if (!has_payload_len && (pdu->has_payload || pdu->declared) && pdu->ntok > 1) {
        msnp_span last = pdu->tok[pdu->ntok - 1];
        proto_tree_add_uint64(tree, hf_msnp_payload_len, tvb, last.off, last.len, pdu->declared);
    }
    if (pdu->missing) {
        proto_item *it = proto_tree_add_uint64(tree, hf_msnp_payload_missing, tvb, 0, 0,
                                               pdu->missing);
        proto_item_set_generated(it);
        expert_add_info_format(pinfo, it, &ei_msnp_truncated,
                               "The capture holds %u of the %" G_GUINT64_FORMAT
                               " payload bytes",
                               pdu->payload.len, pdu->declared);
    }
    if (!pdu->has_payload || pdu->payload.len == 0)
        return;
    proto_item *it = proto_tree_add_item(tree, hf_msnp_payload, tvb, pdu->payload.off,
                                         pdu->payload.len, ENC_NA);
    proto_tree *pt = proto_item_add_subtree(it, ett_msnp_payload);
    if (v->has_mime)
        add_mime(pt, tvb, pinfo, v);
}

/* What msnpdump reports as anomaly records, as expert items. */
static void add_command_anomalies(proto_tree *tree, proto_item *line, tvbuff_t *tvb,
                                  packet_info *pinfo, const msnp_pdu_view *v)
{
    const msnp_pdu *pdu = &v->pdu;
    const msnp_command *c = &v->cmd;
    msnp_span last = pdu->tok[pdu->ntok - 1];
    if (pdu->anomaly == MSNP_ANOM_PAYLOAD_TOO_LONG)
        proto_tree_add_expert_format(tree, pinfo, &ei_msnp_payload_too_long, tvb, last.off,
                                     last.len,
                                     "Announced payload of %" G_GUINT64_FORMAT
                                     " bytes exceeds the limit of %u bytes; skipped to the "
                                     "next command line",
                                     pdu->declared, v->limits.max_payload);
    else if (pdu->anomaly == MSNP_ANOM_BAD_LENGTH)
        proto_tree_add_expert(tree, pinfo, &ei_msnp_bad_length, tvb, last.off, last.len);
    if (pdu->anomaly == MSNP_ANOM_BAD_BLOCK)
        expert_add_info_format(pinfo, line, &ei_msnp_bad_block,
                               "A command line where an MSNFTP block was due: the sender "
                               "stopped before the file was complete (or the data is corrupt)");
    if (c->issues & MSNP_PI_UNKNOWN_COMMAND)
        expert_add_info(pinfo, line, &ei_msnp_unknown_command);
    else if (c->issues & MSNP_PI_NO_FORM)
        expert_add_info_format(pinfo, line, &ei_msnp_unexpected_syntax,
                               c->form ? "Valid only for another connection role or direction"
                                       : "Arguments fit none of the command's forms");
    if (c->issues & MSNP_PI_LEN_POSITION)
        expert_add_info(pinfo, line, &ei_msnp_length_position);
    if (pdu->irregular_spacing)
        expert_add_info(pinfo, line, &ei_msnp_irregular_spacing);
    if ((c->form && (c->form->flags & MSNP_F_FATAL)) || (c->error && c->error->fatal))
        expert_add_info(pinfo, line, &ei_msnp_disconnect);
}

static void add_version(proto_tree *tree, proto_item *line, tvbuff_t *tvb, packet_info *pinfo,
                        const msnp_pdu_view *v)
{
    const msnp_command *c = &v->cmd;
    if (c->era == MSNP_ERA_MSNP8 || !c->info)
        return;
    const char *since = c->form && c->form->since ? c->form->since : c->info->since;
    char label[64];
    msnp_era_label(c->era, since, label, sizeof label);
    if (since) {
        proto_item *it = proto_tree_add_string(tree, hf_msnp_since, tvb, 0, v->pdu.line_len,
                                               since);
        proto_item_set_generated(it);
    }
    expert_add_info_format(pinfo, line, &ei_msnp_other_version, "%s", label);
}

/* Appends len bytes of s to the label being built in buf (at *n of
 * ITEM_LABEL_LENGTH), cut where the label ends as Wireshark cuts labels. */
static void label_put(char *buf, size_t *n, const char *s, size_t len)
{
    size_t room = ITEM_LABEL_LENGTH - 1 - *n;
    if (len > room)
        len = room;
    memcpy(buf + *n, s, len);
    *n += len;
    buf[*n] = '\0';
}

/* "MSN Messenger Protocol, NS, s2c: SYN 8 82 16 1", put together here and
 * set whole: a printf format for it costs more than the rest of the item, on
 * every command line (and appending would first make the bare label). */
static void label_command_top(proto_item *top, packet_info *pinfo, const msnp_pdu_view *v,
                              const char *copy)
{
    char label[ITEM_LABEL_LENGTH];
    size_t n = 0;
    label_put(label, &n, protocol_name, strlen(protocol_name));
    if (v->role != MSNP_ROLE_UNKNOWN) {
        const char *role = msnp_role_name(v->role);
        label_put(label, &n, ", ", 2);
        label_put(label, &n, role, strlen(role));
    }
    const char *dir = msnp_dir_name(v->dir);
    label_put(label, &n, ", ", 2);
    label_put(label, &n, dir, strlen(dir));
    label_put(label, &n, ": ", 2);
    size_t shown_len = MIN(v->pdu.line_len, INFO_LINE_MAX);
    if (copy) { /* the line is printable as it is */
        label_put(label, &n, copy, shown_len);
    } else {
        label_text line = shown_in_place(pinfo, v->base, shown_len);
        label_put(label, &n, line.text, (size_t)line.len);
    }
    if (v->pdu.line_len > INFO_LINE_MAX)
        label_put(label, &n, "...", 3);
    proto_item_set_text(top, "%s", label);
}

static void add_command(proto_tree *tree, proto_item *top, tvbuff_t *tvb, packet_info *pinfo,
                        const msnp_pdu_view *v)
{
    const msnp_pdu *pdu = &v->pdu;
    const msnp_command *c = &v->cmd;
    gboolean shown_tree = msnp_tree_shown(tree);
    char *copy = line_copy(pinfo, v); /* before its tokens are cut out of it */
    proto_item *line = proto_tree_add_string(tree, hf_msnp_command_line, tvb, 0, pdu->line_len,
                                             copy ? copy : utf8(pinfo, v->base, pdu->line_len));
    if (shown_tree)
        label_command_top(top, pinfo, v, copy);
    add_connection_items(tree, tvb, v);

    msnp_span cmd = pdu->tok[0];
    proto_item *it;
    const char *label = shown_tree && c->info
                            ? (const char *)wmem_map_lookup(command_labels, c->info)
                            : NULL;
    if (label) /* a known command's letters are its table name */
        it = proto_tree_add_string_format(tree, hf_msnp_cmd, tvb, cmd.off, cmd.len,
                                          c->info->name, "%s", label);
    else if (shown_tree && c->is_error) {
        const char *code = utf8(pinfo, v->base + cmd.off, cmd.len); /* three digits */
        it = proto_tree_add_string_format_value(tree, hf_msnp_cmd, tvb, cmd.off, cmd.len, code,
                                                "%s (error reply)", code);
    } else
        it = proto_tree_add_item(tree, hf_msnp_cmd, tvb, cmd.off, cmd.len, ENC_ASCII);
    if (c->is_error)
        add_error(tree, line, tvb, pinfo, v);
    if (c->has_trid)
        proto_tree_add_uint(tree, hf_msnp_trid, tvb, pdu->tok[1].off, pdu->tok[1].len, c->trid);
    gboolean has_payload_len = FALSE;
    add_arguments(tree, tvb, pinfo, v, copy, &has_payload_len);
    add_payload(tree, tvb, pinfo, v, has_payload_len);

    if (proto_field_is_referenced(tree, hf_msnp_meaning)) {
        char *meaning = wmem_alloc(pinfo->pool, MEANING_MAX);
        size_t mlen = msnp_render_meaning(c, v->base, pdu, meaning, MEANING_MAX);
        it = proto_tree_add_string(tree, hf_msnp_meaning, tvb, 0, pdu->line_len,
                                   utf8(pinfo, (const guint8 *)meaning, mlen));
        proto_item_set_generated(it);
    }

    add_version(tree, line, tvb, pinfo, v);
    add_pairing(tree, line, tvb, pinfo, v);
    add_command_anomalies(tree, line, tvb, pinfo, v);
}

/* ---- MSNFTP blocks and skipped bytes -------------------------------------- */

static void add_block(proto_tree *tree, proto_item *top, tvbuff_t *tvb, packet_info *pinfo,
                      const msnp_pdu_view *v)
{
    const msnp_pdu *pdu = &v->pdu;
    proto_item_append_text(top, "%s%s, MSNFTP %s block", ROLE_TEXT(v),
                           pdu->block_type == 1 ? "end" : "data");
    add_connection_items(tree, tvb, v);
    proto_tree_add_item(tree, hf_msnp_block_type, tvb, 0, 1, ENC_NA);
    if (tvb_captured_length(tvb) >= 3)
        proto_tree_add_item(tree, hf_msnp_block_len, tvb, 1, 2, ENC_LITTLE_ENDIAN);
    if (pdu->has_payload && pdu->payload.len)
        proto_tree_add_item(tree, hf_msnp_block_data, tvb, pdu->payload.off, pdu->payload.len,
                            ENC_NA);
    if (pdu->anomaly == MSNP_ANOM_BLOCK_OVERRUN)
        expert_add_info(pinfo, top, &ei_msnp_block_overrun);
    else if (pdu->anomaly == MSNP_ANOM_BAD_BLOCK)
        expert_add_info(pinfo, top, &ei_msnp_bad_block);
    if (pdu->missing)
        expert_add_info_format(pinfo, top, &ei_msnp_truncated,
                               "The capture holds %u of the block's %" G_GUINT64_FORMAT
                               " data bytes",
                               pdu->payload.len, pdu->declared);
}

static void add_skipped(proto_tree *tree, proto_item *top, tvbuff_t *tvb, packet_info *pinfo,
                        const msnp_pdu_view *v)
{
    const msnp_pdu *pdu = &v->pdu;
    guint len = tvb_captured_length(tvb);
    proto_item_append_text(top, "%s%s, %u bytes skipped", ROLE_TEXT(v), len);
    add_connection_items(tree, tvb, v);
    proto_item *it = proto_tree_add_item(tree, hf_msnp_skipped, tvb, 0, -1, ENC_NA);
    if (v->not_msnp_connection) {
        expert_add_info(pinfo, it, &ei_msnp_not_msnp_connection);
        return;
    }
    switch (pdu->anomaly) {
    case MSNP_ANOM_MALFORMED:
        if (pdu->line_len == 0)
            expert_add_info_format(pinfo, it, &ei_msnp_malformed, "Empty line; skipped");
        else
            expert_add_info(pinfo, it, &ei_msnp_malformed);
        break;
    case MSNP_ANOM_LINE_TOO_LONG:
        expert_add_info_format(pinfo, it, &ei_msnp_line_too_long,
                               "No line end within %u bytes; skipped to the next command line",
                               v->limits.max_line);
        break;
    case MSNP_ANOM_TRUNCATED:
        expert_add_info_format(pinfo, it, &ei_msnp_truncated,
                               "The capture ends inside a command: %u bytes of it", len);
        break;
    default:
        expert_add_info_format(pinfo, it, &ei_msnp_not_msnp,
                               "%u bytes skipped: no MSNP command starts there", len);
        break;
    }
}

proto_item *msnp_tree_pdu(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                          const msnp_pdu_view *v)
{
    proto_item *top = proto_tree_add_item(tree, proto_msnp, tvb, 0, -1, ENC_NA);
    proto_tree *t = proto_item_add_subtree(top, ett_msnp);
    switch (v->pdu.kind) {
    case MSNP_PDU_COMMAND:
        add_command(t, top, tvb, pinfo, v);
        break;
    case MSNP_PDU_FTP_BLOCK:
        add_block(t, top, tvb, pinfo, v);
        break;
    default:
        add_skipped(t, top, tvb, pinfo, v);
        break;
    }
    return top;
}

static const char *skipped_what(const msnp_pdu_view *v)
{
    if (v->not_msnp_connection)
        return "not MSNP";
    switch (v->pdu.anomaly) {
    case MSNP_ANOM_MALFORMED:
        return "malformed line";
    case MSNP_ANOM_LINE_TOO_LONG:
        return "oversize line";
    case MSNP_ANOM_TRUNCATED:
        return "incomplete command";
    default:
        return "skipped";
    }
}

void msnp_info_pdu(packet_info *pinfo, const msnp_pdu_view *v, gboolean first_in_frame)
{
    const char *text;
    if (!pinfo->cinfo)
        return; /* no columns are made (tshark -T fields without _ws.col.*) */
    if (first_in_frame)
        col_clear(pinfo->cinfo, COL_INFO);
    switch (v->pdu.kind) {
    case MSNP_PDU_COMMAND:
        text = shown(pinfo, v->base, MIN(v->pdu.line_len, INFO_LINE_MAX));
        if (v->pdu.line_len > INFO_LINE_MAX)
            text = wmem_strconcat(pinfo->pool, text, "...", NULL);
        break;
    case MSNP_PDU_FTP_BLOCK:
        text = wmem_strdup_printf(pinfo->pool, "[MSNFTP %s block, %u bytes]",
                                  v->pdu.block_type == 1 ? "end" : "data", v->pdu.payload.len);
        break;
    default:
        text = wmem_strdup_printf(pinfo->pool, "[%s, %u bytes]", skipped_what(v),
                                  tvb_captured_length(v->tvb));
        break;
    }
    col_append_sep_str(pinfo->cinfo, COL_INFO, " | ", text);
}
