/* What a PDU means beyond its command line, as libmsnp decodes it: MSG
 * payloads (instant-message text and format, typing, invitations, profile,
 * mail notices, ...), NOT/IPG/PAG documents, SDC text, the client's QRY
 * checked against the last CHL of its connection, and the state of an MSNFTP
 * transfer when it ends.
 *
 * The fields are libmsnp's payload vocabulary (payload.h), registered row by
 * row, and filled by libmsnp's visitors: msnpdump's -e/-Y fields use the same
 * rows and visitors (cli/fields.c), so a value has one name and one spelling
 * in both faces. The plugin decodes nothing itself. */
#include <string.h>

#include <epan/packet.h> /* first: the other epan headers rely on its types */

#include <epan/charsets.h>
#include <epan/expert.h>
#include <epan/strutil.h>
#include <epan/proto.h>

#include "msnp/challenge.h"
#include "msnp/payload.h"
#include "packet-msnp.h"

/* The CHL challenge kept per connection: as long as msnpdump keeps it
 * (libmsnp's correlator), so that both faces check the same bytes. */
enum { CHALLENGE_MAX = 63 };

static int vocab_hf[MSNP_V_COUNT];
/* Their registrations: whether a filter, colour rule or column refers to
 * one is asked for every MSG (vocab_wanted), of some two hundred fields. */
static header_field_info *vocab_hfi[MSNP_V_COUNT];
static int ett_msnp_meaning = -1;
static expert_field ei_msnp_qry_not_verified = EI_INIT;
static expert_field ei_msnp_invite_cancelled = EI_INIT;
static expert_field ei_msnp_transfer_incomplete = EI_INIT;

/* ---- Registration -------------------------------------------------------------- */

static enum ftenum field_type(const msnp_vocab_field *f)
{
    static const enum ftenum by_bits[] = {FT_UINT8, FT_UINT16, FT_UINT32, FT_UINT64};
    switch (f->type) {
    case MSNP_VT_UINT:
    case MSNP_VT_HEX:
        return by_bits[f->bits == 8 ? 0 : f->bits == 16 ? 1 : f->bits == 32 ? 2 : 3];
    case MSNP_VT_INT:
        return FT_INT32;
    case MSNP_VT_BOOL:
        return FT_BOOLEAN;
    case MSNP_VT_TIME:
        return FT_UINT64; /* seconds since the epoch, as msnpdump writes it */
    case MSNP_VT_BYTES:
        return FT_BYTES;
    default:
        return FT_STRING;
    }
}

static int field_display(const msnp_vocab_field *f)
{
    switch (f->type) {
    case MSNP_VT_UINT:
    case MSNP_VT_INT:
    case MSNP_VT_TIME:
        return BASE_DEC;
    case MSNP_VT_HEX:
        return BASE_HEX;
    default:
        return BASE_NONE;
    }
}

/* "Message: instant message" by content type, made once rather than for
 * every MSG. */
static wmem_map_t *message_labels;

static void make_message_labels(void)
{
    message_labels = wmem_map_new(wmem_epan_scope(), g_direct_hash, g_direct_equal);
    for (size_t i = 0; i < msnp_content_type_count(); i++) {
        const msnp_content_type *t = msnp_content_type_at(i);
        if (t->summary)
            wmem_map_insert(message_labels, t,
                            wmem_strdup_printf(wmem_epan_scope(), "Message: %s", t->summary));
    }
}

void msnp_register_meaning(void)
{
    /* Registration data lives as long as the program: Wireshark keeps
     * pointers into it. */
    hf_register_info *hf = g_new0(hf_register_info, MSNP_V_COUNT);
    int n = 0;
    for (int id = 0; id < MSNP_V_COUNT; id++) {
        const msnp_vocab_field *f = msnp_vocab((msnp_vocab_id)id);
        vocab_hf[id] = -1;
        /* msnp.mime.content_type, .charset and .header are fixed fields of
         * msnp-fields.c: the same names, shown by the MIME subtree. */
        header_field_info *have = proto_registrar_get_byname(f->name);
        if (have) {
            vocab_hf[id] = have->id;
            continue;
        }
        hf[n].p_id = &vocab_hf[id];
        hf[n].hfinfo.name = f->label;
        hf[n].hfinfo.abbrev = f->name;
        hf[n].hfinfo.type = field_type(f);
        hf[n].hfinfo.display = field_display(f);
        hf[n].hfinfo.blurb = f->description;
        HFILL_INIT(hf[n]);
        n++;
    }
    proto_register_field_array(proto_msnp, hf, n);
    make_message_labels();
    for (int id = 0; id < MSNP_V_COUNT; id++)
        vocab_hfi[id] = vocab_hf[id] != -1 ? proto_registrar_get_nth(vocab_hf[id]) : NULL;

    static int *ett[] = {&ett_msnp_meaning};
    proto_register_subtree_array(ett, array_length(ett));

    static ei_register_info ei[] = {
        {&ei_msnp_qry_not_verified,
         {"msnp.qry.not_verified", PI_PROTOCOL, PI_WARN,
          "QRY answer is not MD5(challenge + the claimed client's key)", EXPFILL}},
        {&ei_msnp_invite_cancelled,
         {"msnp.invite.cancelled", PI_SEQUENCE, PI_NOTE, "Invitation cancelled", EXPFILL}},
        {&ei_msnp_transfer_incomplete,
         {"msnp.ftp.incomplete", PI_SEQUENCE, PI_WARN,
          "MSNFTP transfer ended before the size FIL announced", EXPFILL}},
    };
    expert_register_field_array(expert_register_protocol(proto_msnp), ei, array_length(ei));
}

/* ---- First pass: the connection's state ---------------------------------------- */

static gboolean is_cmd(const msnp_pdu_view *v, const char *name)
{
    return v->cmd.info && memcmp(v->cmd.info->name, name, 3) == 0;
}

static void learn_challenge(msnp_conv *conv, const msnp_pdu_view *v)
{
    int i = msnp_command_find_arg(&v->cmd, &v->pdu, "challenge");
    if (i < 0)
        return;
    msnp_span s = msnp_command_arg(&v->cmd, &v->pdu, (unsigned)i);
    /* A new string each time: the QRY records of earlier challenges keep
     * pointing at theirs. */
    conv->challenge = wmem_strndup(wmem_file_scope(), (const char *)v->base + s.off,
                                   MIN(s.len, CHALLENGE_MAX));
}

static void snapshot_transfer(const msnp_conv *conv, msnp_pdu_rec *rec)
{
    rec->ftp = wmem_memdup(wmem_file_scope(), conv->ftp, sizeof *conv->ftp);
}

static void learn_transfer(msnp_conv *conv, const msnp_pdu_view *v, msnp_pdu_rec *rec)
{
    if (!conv->ftp) {
        conv->ftp = wmem_new(wmem_file_scope(), msnp_ftp_transfer);
        msnp_ftp_init(conv->ftp);
    }
    const msnp_pdu *pdu = &v->pdu;
    if (pdu->kind == MSNP_PDU_FTP_BLOCK) {
        msnp_ftp_block(conv->ftp, pdu->block_type, v->base + pdu->payload.off,
                       pdu->has_payload ? pdu->payload.len : 0);
        if (pdu->missing)
            msnp_ftp_gap(conv->ftp, pdu->missing);
        if (pdu->block_type == 1)
            snapshot_transfer(conv, rec);
        return;
    }
    msnp_ftp_command c = msnp_ftp_line(conv->ftp, v->base, pdu->line_len);
    if (c == MSNP_FTP_CMD_BYE || c == MSNP_FTP_CMD_CCL)
        snapshot_transfer(conv, rec);
}

void msnp_meaning_learn(msnp_conv *conv, const msnp_pdu_view *v, msnp_pdu_rec *rec)
{
    if (v->role == MSNP_ROLE_FTP &&
        (v->pdu.kind == MSNP_PDU_FTP_BLOCK || v->pdu.kind == MSNP_PDU_COMMAND)) {
        learn_transfer(conv, v, rec);
        return;
    }
    if (v->pdu.kind != MSNP_PDU_COMMAND)
        return;
    if (is_cmd(v, "CHL") && v->dir == MSNP_DIR_S2C)
        learn_challenge(conv, v);
    else if (is_cmd(v, "QRY") && v->dir == MSNP_DIR_C2S)
        rec->challenge = conv->challenge;
}

/* ---- Every pass: fields and expert items ---------------------------------------- */

typedef struct shown_values {
    tvbuff_t *tvb;
    packet_info *pinfo;
    proto_tree *tree;
    const guint8 *base; /* the PDU's captured bytes */
    guint captured;
    guint span_base;    /* where the decoded bytes start in the PDU */
    gboolean skip_mime; /* the MIME subtree already has the header fields */
} shown_values;

/* Where a value's bytes are in the PDU: its span, or the bytes its string
 * points into; FALSE for computed values. */
static gboolean value_place(const shown_values *sv, const msnp_vocab_value *v, guint *off,
                            guint *len)
{
    if (v->span.len) {
        *off = sv->span_base + v->span.off;
        *len = v->span.len;
        return *off <= sv->captured && *len <= sv->captured - *off;
    }
    if (v->str && v->str_len && v->str >= sv->base && v->str < sv->base + sv->captured &&
        v->str_len <= (size_t)(sv->base + sv->captured - v->str)) {
        *off = (guint)(v->str - sv->base);
        *len = (guint)v->str_len;
        return TRUE;
    }
    return FALSE;
}

static const char *value_text(const shown_values *sv, const msnp_vocab_value *v)
{
    const char *s = msnp_utf8(sv->pinfo->pool, v->str, v->str_len);
    if (!v->field->keyed)
        return s;
    const guint8 *key = sv->base + sv->span_base + v->key.off;
    return wmem_strdup_printf(sv->pinfo->pool, "%s: %s",
                              msnp_utf8(sv->pinfo->pool, key, v->key.len), s);
}

static void show_value(void *ctx, const msnp_vocab_value *v)
{
    shown_values *sv = ctx;
    int hf = vocab_hf[v->id];
    if (hf == -1 || (sv->skip_mime && (v->id == MSNP_V_MIME_CONTENT_TYPE ||
                                       v->id == MSNP_V_MIME_CHARSET ||
                                       v->id == MSNP_V_MIME_HEADER)))
        return;
    guint off = 0, len = 0;
    gboolean on_wire = value_place(sv, v, &off, &len);
    if (on_wire && v->field->keyed && v->key.off + sv->span_base < off) {
        len += off - (sv->span_base + v->key.off); /* "Name: value" */
        off = sv->span_base + v->key.off;
    }
    proto_item *it;
    switch (v->field->type) {
    case MSNP_VT_UINT:
    case MSNP_VT_HEX:
    case MSNP_VT_TIME:
        if (v->field->bits == 64 || v->field->type == MSNP_VT_TIME)
            it = proto_tree_add_uint64(sv->tree, hf, sv->tvb, off, len, v->u);
        else
            it = proto_tree_add_uint(sv->tree, hf, sv->tvb, off, len, (guint32)v->u);
        break;
    case MSNP_VT_INT:
        it = proto_tree_add_int(sv->tree, hf, sv->tvb, off, len, (gint32)v->i);
        break;
    case MSNP_VT_BOOL:
        it = proto_tree_add_boolean(sv->tree, hf, sv->tvb, off, len, (guint32)(v->u != 0));
        break;
    case MSNP_VT_BYTES:
        it = proto_tree_add_bytes(sv->tree, hf, sv->tvb, off, len, v->str);
        break;
    default:
        it = proto_tree_add_string(sv->tree, hf, sv->tvb, off, len, value_text(sv, v));
        break;
    }
    if (v->text) {
        proto_item_append_text(it, " (%s)", v->text);
    }
    if (v->truncated)
        proto_item_append_text(it, " [cut]");
    if (!on_wire)
        proto_item_set_generated(it);
}

static shown_values start_values(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                                 const msnp_pdu_view *v, const char *what)
{
    shown_values sv;
    memset(&sv, 0, sizeof sv);
    sv.tvb = tvb;
    sv.pinfo = pinfo;
    sv.base = v->base;
    sv.captured = tvb_captured_length(tvb);
    sv.span_base = v->pdu.payload.off;
    guint off = MIN(sv.span_base, sv.captured);
    sv.tree = proto_tree_add_subtree(tree, tvb, (gint)off, (gint)MIN(v->pdu.payload.len,
                                                                     sv.captured - off),
                                     ett_msnp_meaning, NULL, what);
    return sv;
}

/* Decoded strings are never longer than twice their bytes (Latin-1 to
 * UTF-8); the payload itself is bounded by msnp.max_payload. */
static msnp_vocab_scratch scratch_for(packet_info *pinfo, guint len)
{
    msnp_vocab_scratch s;
    s.size = (size_t)len * 2 + 16;
    s.buf = wmem_alloc(pinfo->pool, s.size);
    return s;
}

static void cancelled_invitation(packet_info *pinfo, proto_item *where, const guint8 *p,
                                 const msnp_invite *inv)
{
    if (inv->command_code != MSNP_INVITE_CMD_CANCEL)
        return;
    const char *code = inv->cancel_code.len
                           ? MSNP_FORMAT_TEXT(pinfo->pool, p + inv->cancel_code.off,
                                              inv->cancel_code.len)
                           : "none";
    expert_add_info_format(pinfo, where, &ei_msnp_invite_cancelled,
                           "Invitation %s cancelled: Cancel-Code %s (%s)",
                           inv->cookie.len ? MSNP_FORMAT_TEXT(pinfo->pool, p + inv->cookie.off,
                                                              inv->cookie.len)
                                           : "without cookie",
                           code, inv->cancel_text ? inv->cancel_text : "meaning unknown");
}

/* Whether an item of any payload field would be kept (msnp_tree_shown);
 * proto_field_is_referenced() field by field, without its look-ups. */
static gboolean vocab_wanted(proto_tree *tree)
{
    if (!tree)
        return FALSE;
    if (msnp_tree_shown(tree))
        return TRUE;
    for (int id = 0; id < MSNP_V_COUNT; id++)
        if (vocab_hfi[id] && vocab_hfi[id]->ref_type != HF_REF_TYPE_NONE)
            return TRUE;
    return FALSE;
}

static void show_msg(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                     const msnp_pdu_view *v)
{
    const guint8 *p = v->base + v->pdu.payload.off;
    /* Invitations are decoded in any case: a cancelled one is an expert item. */
    if (!vocab_wanted(tree) &&
        !(v->has_mime && msnp_span_ieq(p, v->mime.content_type, "text/x-msmsgsinvite")))
        return;
    msnp_payload *pl = wmem_new(pinfo->pool, msnp_payload);
    msnp_payload_decode(p, v->pdu.payload.len, pl);
    const char *label = pl->type ? wmem_map_lookup(message_labels, pl->type) : NULL;
    shown_values sv = start_values(tvb, pinfo, tree, v, label ? label : "Message");
    sv.skip_mime = TRUE;
    msnp_payload_visit(pl, p, scratch_for(pinfo, v->pdu.payload.len), show_value, &sv);
    if (pl->kind == MSNP_PK_INVITE)
        cancelled_invitation(pinfo, proto_tree_get_parent(sv.tree), p, &pl->u.invite);
}

static void show_note(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                      const msnp_pdu_view *v, int page)
{
    const guint8 *p = v->base + v->pdu.payload.off;
    msnp_xml_note *x = wmem_new(pinfo->pool, msnp_xml_note);
    if (page)
        msnp_page_parse(p, v->pdu.payload.len, x);
    else
        msnp_notification_parse(p, v->pdu.payload.len, x);
    shown_values sv = start_values(tvb, pinfo, tree, v, page ? "Page" : "Notification");
    msnp_xml_note_visit(x, page, p, scratch_for(pinfo, v->pdu.payload.len), show_value, &sv);
}

static void show_sdc(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                     const msnp_pdu_view *v)
{
    shown_values sv = start_values(tvb, pinfo, tree, v, "E-mail invitation");
    msnp_sdc_visit(v->base + v->pdu.payload.off, v->pdu.payload.len, show_value, &sv);
}

static void show_qry(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                     const msnp_pdu_view *v)
{
    if (v->cmd.nargs < 2)
        return;
    msnp_span id = msnp_command_arg(&v->cmd, &v->pdu, 0);
    const guint8 *answer = v->base + v->pdu.payload.off;
    const char *challenge = v->rec ? v->rec->challenge : NULL;
    msnp_qry_result q;
    msnp_qry_verify((const guint8 *)challenge, challenge ? strlen(challenge) : 0,
                    v->base + id.off, id.len, answer, v->pdu.payload.len, &q);
    shown_values sv = start_values(tvb, pinfo, tree, v, "Challenge answer");
    msnp_qry_visit(&q, v->base + id.off, id.len, answer, v->pdu.payload.len, show_value, &sv);
    if (q.status == MSNP_QRY_WRONG || q.status == MSNP_QRY_MALFORMED)
        expert_add_info_format(pinfo, proto_tree_get_parent(sv.tree), &ei_msnp_qry_not_verified,
                               "QRY answer does not verify: %s", msnp_qry_status_text(q.status));
}

static void show_transfer(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                          const msnp_pdu_view *v)
{
    /* The transfer as it stood at this BYE, CCL or end block, judged as if
     * the connection ended here: a dissector never learns where the capture
     * ends. */
    msnp_ftp_transfer t = *v->rec->ftp;
    msnp_ftp_end(&t);
    shown_values sv;
    memset(&sv, 0, sizeof sv);
    sv.tvb = tvb;
    sv.pinfo = pinfo;
    sv.base = v->base;
    sv.captured = tvb_captured_length(tvb);
    proto_item *it;
    sv.tree = proto_tree_add_subtree(tree, tvb, 0, 0, ett_msnp_meaning, &it, "File transfer");
    proto_item_set_generated(it);
    msnp_ftp_visit(&t, show_value, &sv);
    msnp_ftp_outcome o = msnp_ftp_get_outcome(&t);
    if (t.have_size && o != MSNP_FTP_COMPLETE)
        expert_add_info_format(pinfo, it, &ei_msnp_transfer_incomplete,
                               "MSNFTP transfer %s: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                               " bytes",
                               msnp_ftp_outcome_name(o), t.bytes, t.size);
}

void msnp_meaning_tree(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                       const msnp_pdu_view *v)
{
    if (v->rec && v->rec->ftp) {
        show_transfer(tvb, pinfo, tree, v);
        return;
    }
    const msnp_pdu *pdu = &v->pdu;
    if (pdu->kind != MSNP_PDU_COMMAND || !pdu->has_payload || pdu->payload.len == 0 ||
        v->role == MSNP_ROLE_FTP)
        return;
    if (is_cmd(v, "MSG"))
        show_msg(tvb, pinfo, tree, v);
    else if (is_cmd(v, "NOT") || is_cmd(v, "IPG"))
        show_note(tvb, pinfo, tree, v, 0);
    else if (is_cmd(v, "PAG"))
        show_note(tvb, pinfo, tree, v, 1);
    else if (is_cmd(v, "SDC"))
        show_sdc(tvb, pinfo, tree, v);
    else if (is_cmd(v, "QRY") && v->dir != MSNP_DIR_S2C)
        show_qry(tvb, pinfo, tree, v);
}
