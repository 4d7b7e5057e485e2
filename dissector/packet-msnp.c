/* packet-msnp.c: MSN Messenger Protocol (MSNP8) — registration, preferences
 * and the entry points: TCP (port preference, expected conversations), the
 * TCP heuristic, and HTTP-gateway bodies (media type
 * application/x-msn-messenger).
 *
 * Framing is libmsnp's: tcp_dissect_pdus asks get_msnp_pdu_len() where the
 * next PDU ends, and the framer answers from the same state msnpdump uses
 * (command lines, payloads of the announced length, MSNFTP blocks after FIL,
 * resynchronisation). The state is per direction and kept in the
 * conversation; msnp-conv.c makes it replayable frame by frame.
 *
 * It replaces the built-in "msnms" dissector on its port (a plugin's hand-off
 * runs after the built-in ones), under its own filter name. */
#include <string.h>

#include <epan/conversation.h>
#include <epan/dissectors/packet-tcp.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/tap.h>

#include "packet-msnp.h"

#define MSNP_TCP_PORTS "1863"

dissector_handle_t msnp_tcp_handle;
static dissector_handle_t msnp_media_handle;

/* Preferences. */
static MSNP_BOOL msnp_desegment = MSNP_TRUE;
static guint msnp_max_line = MSNP_DEFAULT_MAX_LINE;
static guint msnp_max_payload = MSNP_DEFAULT_MAX_PAYLOAD;

static msnp_limits current_limits(void)
{
    msnp_limits l;
    l.max_line = msnp_max_line ? msnp_max_line : MSNP_DEFAULT_MAX_LINE;
    l.max_payload = msnp_max_payload;
    return l;
}

/* ---- One PDU ----------------------------------------------------------------- */

/* The parser's view of one PDU, with what the connection has told. */
static void parse_command(msnp_pass *pass, packet_info *pinfo, msnp_pdu_rec *rec,
                          msnp_pdu_view *v)
{
    msnp_conv *conv = pass->conv;
    int side = pass->side;
    if (pass->first_pass) {
        msnp_command learnt;
        rec->in_syn_dump = conv->conn.side[side].in_syn_dump;
        msnp_conn_command(&conv->conn, side, v->base, &v->pdu, &learnt);
    }
    v->ctx = msnp_conv_parse_ctx(conv, side, rec->in_syn_dump);
    msnp_parse_command(&v->ctx, v->base, &v->pdu, &v->cmd);
    if (pass->first_pass) {
        msnp_conv_pair(conv, side, pinfo, v->base, &v->pdu, &v->cmd, rec);
        msnp_expect_referral(pinfo, v->base, &v->pdu, &v->cmd);
    }
}

/* MSG payloads are MIME; an invitation's ACCEPT names the MSNFTP endpoint. */
static void parse_payload(packet_info *pinfo, msnp_pdu_view *v, gboolean first_pass)
{
    const msnp_pdu *pdu = &v->pdu;
    if (!v->cmd.info || memcmp(v->cmd.info->name, "MSG", 3) != 0 || !pdu->has_payload ||
        pdu->payload.len == 0)
        return;
    const guint8 *p = v->base + pdu->payload.off;
    v->has_mime = msnp_mime_parse(p, pdu->payload.len, &v->mime) == 0;
    if (!v->has_mime || !first_pass ||
        !msnp_span_ieq(p, v->mime.content_type, "text/x-msmsgsinvite"))
        return;
    msnp_fields fields;
    msnp_fields_parse(p + v->mime.body.off, v->mime.body.len, &fields);
    msnp_expect_file_transfer(pinfo, p + v->mime.body.off, &fields);
}

static void show_pdu(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, msnp_pdu_view *v,
                     gboolean first_in_frame)
{
    col_set_str(pinfo->cinfo, COL_PROTOCOL, "MSNP");
    proto_item *top = msnp_tree_pdu(tvb, pinfo, tree, v);
    msnp_meaning_tree(tvb, pinfo, proto_item_get_subtree(top), v);
    msnp_info_pdu(pinfo, v, first_in_frame);
    msnp_tap_pdu(pinfo, v);
}

/* A PDU the framer could not finish: the capture ends inside it, or TCP
 * reassembly is off and the rest is in the next segment. */
static void frame_incomplete(msnp_pass *pass, tvbuff_t *tvb, msnp_pdu_view *v)
{
    guint captured = tvb_captured_length(tvb);
    guint reported = tvb_reported_length(tvb);
    if (reported > captured &&
        msnp_framer_gap_in_pdu(pass->framer, v->base, captured, reported - captured, &v->pdu))
        return; /* a complete line whose payload is cut: still a command */
    memset(&v->pdu, 0, sizeof v->pdu);
    v->pdu.kind = MSNP_PDU_SKIPPED;
    v->pdu.anomaly = MSNP_ANOM_TRUNCATED;
    v->pdu.len = captured;
    msnp_framer_gap(pass->framer);
    /* What follows continues this line: not a place to look for a command. */
    if (reported == captured)
        pass->framer->at_line_start = 0;
}

static int dissect_msnp_pdu(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    msnp_pass *pass = data;
    msnp_conv *conv = pass->conv;
    guint captured = tvb_captured_length(tvb);
    msnp_pdu_view *v = wmem_new0(pinfo->pool, msnp_pdu_view);
    v->tvb = tvb;
    v->base = tvb_get_ptr(tvb, 0, (gint)captured);
    v->conv = conv;
    v->limits = pass->framer->limits;
    msnp_pdu_rec *rec = msnp_pass_record(pass, pinfo);
    v->rec = rec;
    gboolean first_in_frame = !pass->info_started;
    pass->info_started = TRUE;

    if (conv->conn.detect == MSNP_DETECT_NO) {
        v->pdu.kind = MSNP_PDU_SKIPPED;
        v->pdu.len = captured;
        v->not_msnp_connection = TRUE;
    } else {
        pass->framer->scanned = 0; /* the framer's scan hint is for growing buffers */
        if (msnp_framer_next(pass->framer, v->base, captured, &v->pdu) == MSNP_NEED_MORE)
            frame_incomplete(pass, tvb, v);
        if (v->pdu.kind == MSNP_PDU_COMMAND) {
            parse_command(pass, pinfo, rec, v);
            parse_payload(pinfo, v, pass->first_pass);
        } else if (v->pdu.kind == MSNP_PDU_SKIPPED && pass->first_pass) {
            msnp_conn_skipped(&conv->conn, pass->side, v->pdu.len);
        }
    }
    v->role = msnp_conv_role(conv);
    v->dir = msnp_conv_dir(conv, pass->side);
    if (pass->first_pass && !v->not_msnp_connection) {
        msnp_meaning_learn(conv, v, rec);
        msnp_logins_learn(conv, pass->side, v, rec, &pinfo->abs_ts);
    } else if (!pass->first_pass) {
        msnp_logins_first_pass_over();
    }
    show_pdu(tvb, pinfo, tree, v, first_in_frame);
    return (int)captured;
}

/* Where the PDU starting at offset ends, by the framer, without changing its
 * state (tcp_dissect_pdus may ask again about the same bytes). */
static guint get_msnp_pdu_len(packet_info *pinfo, tvbuff_t *tvb, int offset, void *data)
{
    msnp_pass *pass = data;
    guint avail = (guint)tvb_captured_length_remaining(tvb, offset);
    if (pass->conv->conn.detect == MSNP_DETECT_NO)
        return avail;
    msnp_framer probe = *pass->framer;
    probe.scanned = 0;
    msnp_pdu pdu;
    if (msnp_framer_next(&probe, tvb_get_ptr(tvb, offset, (gint)avail), avail, &pdu) !=
        MSNP_NEED_MORE)
        return pdu.len;
    /* need > 1 is exact (a payload or block of known length): the PDU's
     * length, whether or not TCP can reassemble it (without reassembly TCP
     * still learns where the next PDU starts, and a PDU cut by the capture's
     * snapshot length is still shown with the part it has). */
    if (pdu.need > 1 && pdu.need < G_MAXUINT32 - avail)
        return avail + (guint)pdu.need;
    /* need == 1: the line is not complete yet. Ask for one more segment, but
     * never without reassembly: tcp_dissect_pdus would assert. Then the
     * partial line is shown as such, up to the end of the segment as sent
     * (bytes the snapshot length cut off belong to it). */
    if (!msnp_desegment || !pinfo->can_desegment)
        return (guint)tvb_reported_length_remaining(tvb, offset);
    return 0;
}

/* ---- Entry points -------------------------------------------------------------- */

static int dissect_msnp_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    msnp_conv *conv = msnp_conv_lookup(pinfo);
    msnp_limits limits = current_limits();
    int side = msnp_conv_side(conv, pinfo, &limits);
    msnp_pass *pass = msnp_pass_get(pinfo, conv, side);
    (void)data;
    tcp_dissect_pdus(tvb, pinfo, tree, msnp_desegment, 1, get_msnp_pdu_len, dissect_msnp_pdu,
                     pass);
    return (int)tvb_captured_length(tvb);
}

static MSNP_BOOL dissect_msnp_heur(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                                   void *data)
{
    if (!msnp_looks_like_msnp(tvb))
        return MSNP_FALSE;
    /* The rest of the connection comes straight to us. */
    conversation_set_dissector(find_or_create_conversation(pinfo), msnp_tcp_handle);
    dissect_msnp_tcp(tvb, pinfo, tree, data);
    return MSNP_TRUE;
}

/* HTTP gateway (§8): one POST or response body holds whole MSNP commands.
 * Each body is framed on its own; there is no connection state to pair or
 * classify with, so direction comes from HTTP and role stays open. */
static int dissect_msnp_media(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    const msnp_media_info *info = data;
    msnp_parse_ctx ctx = {MSNP_R_ANY, MSNP_D_ANY, 0, 1};
    if (info && MSNP_MEDIA_IS_REQUEST(info))
        ctx.dirs = MSNP_D_C2S;
    else if (info && MSNP_MEDIA_IS_RESPONSE(info))
        ctx.dirs = MSNP_D_S2C;
    msnp_limits l = current_limits();
    msnp_framer framer;
    msnp_framer_init(&framer, &l, MSNP_START_AT_COMMAND);
    guint length = tvb_captured_length(tvb);
    guint offset = 0;
    while (offset < length) {
        tvbuff_t *rest = tvb_new_subset_remaining(tvb, (gint)offset);
        msnp_pdu_view *v = wmem_new0(pinfo->pool, msnp_pdu_view);
        guint avail = length - offset;
        v->base = tvb_get_ptr(rest, 0, (gint)avail);
        v->limits = l;
        v->dir = (msnp_dir)(ctx.dirs == MSNP_D_ANY ? MSNP_DIR_UNKNOWN : ctx.dirs);
        if (msnp_framer_next(&framer, v->base, avail, &v->pdu) == MSNP_NEED_MORE) {
            v->pdu.kind = MSNP_PDU_SKIPPED;
            v->pdu.anomaly = MSNP_ANOM_TRUNCATED;
            v->pdu.len = avail;
        }
        tvbuff_t *pdu_tvb = tvb_new_subset_length(rest, 0, (gint)v->pdu.len);
        v->tvb = pdu_tvb;
        if (v->pdu.kind == MSNP_PDU_COMMAND) {
            msnp_parse_command(&ctx, v->base, &v->pdu, &v->cmd);
            parse_payload(pinfo, v, FALSE);
        }
        /* HTTP's Info text (the request line) stays; the commands follow. */
        show_pdu(pdu_tvb, pinfo, tree, v, FALSE);
        if (v->pdu.len == 0)
            break; /* the framer always consumes; never loop on it if it did not */
        offset += v->pdu.len;
    }
    return (int)length;
}

/* ---- Registration ---------------------------------------------------------------- */

void proto_register_msnp(void)
{
    proto_msnp = proto_register_protocol("MSN Messenger Protocol", "MSNP", "msnp");
    msnp_register_fields();
    msnp_register_meaning();
    msnp_register_logins();

    module_t *msnp_module = prefs_register_protocol(proto_msnp, NULL);
    prefs_register_bool_preference(
        msnp_module, "desegment", "Reassemble MSNP commands spanning multiple TCP segments",
        "Whether a command line and its payload split over several TCP segments are put "
        "together. To use this, also enable \"Allow subdissectors to reassemble TCP streams\" "
        "in the TCP protocol settings.",
        &msnp_desegment);
    prefs_register_uint_preference(
        msnp_module, "max_line", "Longest command line (bytes)",
        "A line without an end within this many bytes is reported as oversize and skipped "
        "(msnpdump --max-line).",
        10, &msnp_max_line);
    prefs_register_uint_preference(
        msnp_module, "max_payload", "Largest payload (bytes)",
        "A payload announced larger than this is reported as oversize and skipped "
        "(msnpdump --max-payload).",
        10, &msnp_max_payload);

    msnp_tcp_handle = register_dissector("msnp", dissect_msnp_tcp, proto_msnp);
    msnp_media_handle = register_dissector("msnp.http", dissect_msnp_media, proto_msnp);
    msnp_tap = register_tap("msnp");
}

void proto_reg_handoff_msnp(void)
{
    /* Replaces msnms on 1863 and makes "msnp.tcp.port" a range preference
     * (and a Decode As entry). */
    dissector_add_uint_range_with_preference("tcp.port", MSNP_TCP_PORTS, msnp_tcp_handle);
    heur_dissector_add("tcp", dissect_msnp_heur, "MSNP over TCP", "msnp_tcp", proto_msnp,
                       HEURISTIC_ENABLE);
    dissector_add_string("media_type", "application/x-msn-messenger", msnp_media_handle);
    msnp_tree_handoff();
}
