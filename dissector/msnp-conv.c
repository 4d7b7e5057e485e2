/* Per-connection state of the msnp plugin, and how it stays stable when
 * Wireshark dissects a frame again.
 *
 * The first pass over a capture (PINFO_FD_VISITED false) is the only one that
 * changes state: the framing state of each direction (libmsnp's framer is
 * plain data), the connection's classification (msnp_conn) and the pending
 * requests (msnp_txn_tracker). Every frame keeps a snapshot of its
 * direction's framing state as it was before the frame, and every PDU a
 * record of what the first pass learnt (its parser context, its pairing).
 * Any later dissection of the frame, in any order, replays the frame from its
 * snapshot and reads the records: the same PDUs, the same fields. */
#include <epan/conversation.h>
#include <epan/dissectors/packet-tcp.h>
#include <epan/packet.h>
#include <epan/proto_data.h>

#include "packet-msnp.h"

/* What the first pass keeps of each frame and side of a connection: the
 * framing state before the frame, and its PDUs' records. Kept in the
 * connection, one array in frame order, rather than as per-frame proto data:
 * a third of the memory, and a frame's framing state, usually the same as
 * the previous frame's, is shared with it. */
typedef struct msnp_frame_entry {
    guint32 frame;
    guint32 side;
    const msnp_framer *start;
    msnp_pdu_rec *first; /* linked by next */
} msnp_frame_entry;

/* p_add_proto_data key (pinfo scope): one pass per side. */
enum { KEY_PASS = 2 };

msnp_conv *msnp_conv_attach(conversation_t *c)
{
    msnp_conv *conv = conversation_get_proto_data(c, proto_msnp);
    if (!conv) {
        conv = wmem_new0(wmem_file_scope(), msnp_conv);
        conv->frames = wmem_array_sized_new(wmem_file_scope(), sizeof(msnp_frame_entry), 4);
        msnp_conn_init(&conv->conn);
        msnp_txn_init(&conv->txn, conv->slots, MSNP_TXN_PENDING_MAX);
        conversation_add_proto_data(c, proto_msnp, conv);
    }
    return conv;
}

msnp_conv *msnp_conv_lookup(packet_info *pinfo)
{
    return msnp_conv_attach(find_or_create_conversation(pinfo));
}

/* TCP's view of the connection: who opened it, when the handshake is in the
 * capture; and the preference's ports as a weaker hint. */
static void learn_endpoints(msnp_conv *conv, packet_info *pinfo, const msnp_limits *limits)
{
    struct tcp_analysis *tcpd =
        pinfo->ptype == PT_TCP ? get_tcp_conversation_data(NULL, pinfo) : NULL;
    guint32 server_port = tcpd ? tcpd->server_port : 0;
    if (server_port && conv->port[0] != conv->port[1]) {
        if (server_port == conv->port[0] || server_port == conv->port[1])
            msnp_conn_set_client(&conv->conn, server_port == conv->port[0] ? 1 : 0);
    }
    gboolean p0 = dissector_get_uint_handle(find_dissector_table("tcp.port"), conv->port[0]) ==
                  msnp_tcp_handle;
    gboolean p1 = dissector_get_uint_handle(find_dissector_table("tcp.port"), conv->port[1]) ==
                  msnp_tcp_handle;
    if (p0 != p1)
        msnp_conn_hint_server(&conv->conn, p0 ? 0 : 1);
    /* A stream whose opening the capture holds starts at a command; one
     * picked up mid-session starts wherever the capture does. */
    msnp_stream_start start = server_port ? MSNP_START_AT_COMMAND : MSNP_START_MIDSTREAM;
    for (int s = 0; s < 2; s++)
        msnp_framer_init(&conv->framer[s], limits, start);
}

int msnp_conv_side(msnp_conv *conv, packet_info *pinfo, const msnp_limits *limits)
{
    if (!conv->sides_known) {
        copy_address_wmem(wmem_file_scope(), &conv->addr[0], &pinfo->src);
        copy_address_wmem(wmem_file_scope(), &conv->addr[1], &pinfo->dst);
        conv->port[0] = pinfo->srcport;
        conv->port[1] = pinfo->destport;
        conv->sides_known = TRUE;
        learn_endpoints(conv, pinfo, limits);
    }
    if (addresses_equal(&pinfo->src, &conv->addr[0]) && pinfo->srcport == conv->port[0])
        return 0;
    return 1;
}

/* The first pass's entry of (frame, side), or NULL. Entries are in frame
 * order; the first pass asks about a frame newer than all of them, which the
 * last entry tells at once. */
static msnp_frame_entry *find_entry(msnp_conv *conv, guint32 frame, int side)
{
    msnp_frame_entry *e = wmem_array_get_raw(conv->frames);
    guint lo = 0, hi = wmem_array_get_count(conv->frames);
    if (hi && e[hi - 1].frame < frame)
        return NULL;
    while (lo < hi) { /* the first entry of a frame >= `frame` */
        guint mid = lo + (hi - lo) / 2;
        if (e[mid].frame < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    guint n = wmem_array_get_count(conv->frames);
    for (; lo < n && e[lo].frame == frame; lo++) {
        if (e[lo].side == (guint32)side)
            return &e[lo];
    }
    return NULL;
}

/* The side's framing state now, as a snapshot shared with the previous
 * frame's when it is the same. The scan hint is left out: every use of a
 * snapshot clears it first. */
static const msnp_framer *snapshot(msnp_conv *conv, int side)
{
    msnp_framer now = conv->framer[side];
    now.scanned = 0;
    const msnp_framer *last = conv->snapshot[side];
    if (!last || memcmp(last, &now, sizeof now) != 0)
        conv->snapshot[side] = last = wmem_memdup(wmem_file_scope(), &now, sizeof now);
    return last;
}

msnp_pass *msnp_pass_get(packet_info *pinfo, msnp_conv *conv, int side)
{
    msnp_pass *pass = p_get_proto_data(pinfo->pool, pinfo, proto_msnp, KEY_PASS + side);
    if (pass && pass->conv == conv)
        return pass;
    pass = wmem_new0(pinfo->pool, msnp_pass);
    pass->conv = conv;
    pass->side = side;
    const msnp_frame_entry *fe = find_entry(conv, pinfo->num, side);
    if (!fe && !PINFO_FD_VISITED(pinfo)) {
        /* The frame's first dissection: the only one that moves state on. */
        pass->first_pass = TRUE;
        msnp_frame_entry e = {pinfo->num, (guint32)side, snapshot(conv, side), NULL};
        pass->entry = wmem_array_get_count(conv->frames);
        wmem_array_append_one(conv->frames, e);
        pass->framer = &conv->framer[side];
    } else if (fe) {
        /* Any later one, even before the frame is marked visited. */
        pass->replay = *fe->start;
        pass->framer = &pass->replay;
        pass->cursor = fe->first;
    } else {
        /* Never seen on the first pass (a preference changed since): frame
         * from the next command line on, without touching any state. */
        msnp_framer_init(&pass->replay, NULL, MSNP_START_MIDSTREAM);
        pass->framer = &pass->replay;
    }
    p_add_proto_data(pinfo->pool, pinfo, proto_msnp, KEY_PASS + side, pass);
    return pass;
}

msnp_pdu_rec *msnp_pass_record(msnp_pass *pass, packet_info *pinfo)
{
    msnp_pdu_rec *rec;
    if (!pass->first_pass) {
        if (pass->cursor) {
            rec = pass->cursor;
            pass->cursor = rec->next;
            return rec;
        }
        /* More PDUs than the first pass saw: a record for this dissection
         * only, without pairing. */
        rec = wmem_new0(pinfo->pool, msnp_pdu_rec);
        rec->frame = pinfo->num;
        return rec;
    }
    rec = wmem_new0(wmem_file_scope(), msnp_pdu_rec);
    rec->frame = pinfo->num;
    if (pass->last) {
        pass->last->next = rec;
    } else {
        msnp_frame_entry *e = wmem_array_index(pass->conv->frames, pass->entry);
        e->first = rec;
    }
    pass->last = rec;
    return rec;
}

/* The connection as far as it is known; where the traffic has not told the
 * client side, the preference's port, then the first sender, as msnpdump
 * does when a connection ends unsettled. Where the traffic has not told the
 * role yet (a notification server's first lines look like a dispatch
 * server's), the announcement of the connection does, if the traffic allows
 * it: msnpdump waits for the server's answer instead, which a single pass
 * cannot. */
static msnp_conn settled(const msnp_conv *conv)
{
    msnp_conn copy = conv->conn;
    if (!msnp_conn_settled(&copy)) {
        copy.detect = MSNP_DETECT_YES; /* labelling only: detection is separate */
        msnp_conn_settle(&copy);
    }
    const msnp_expected *e = conv->expected;
    if (e && msnp_conn_role(&copy) == MSNP_ROLE_UNKNOWN && (copy.roles & e->roles))
        copy.roles &= e->roles;
    return copy;
}

msnp_role msnp_conv_role(const msnp_conv *conv)
{
    msnp_conn c = settled(conv);
    return msnp_conn_role(&c);
}

msnp_dir msnp_conv_dir(const msnp_conv *conv, int side)
{
    msnp_conn c = settled(conv);
    return msnp_conn_dir(&c, side);
}

int msnp_conv_client_side(const msnp_conv *conv)
{
    msnp_conn c = settled(conv);
    return c.client_side > 0 ? 1 : 0;
}

msnp_parse_ctx msnp_conv_parse_ctx(const msnp_conv *conv, int side, guint8 in_syn_dump)
{
    msnp_conn c = settled(conv);
    msnp_role role = msnp_conn_role(&c);
    msnp_dir dir = msnp_conn_dir(&c, side);
    msnp_parse_ctx ctx;
    ctx.roles = role == MSNP_ROLE_UNKNOWN ? c.roles : (uint8_t)role;
    ctx.dirs = dir == MSNP_DIR_UNKNOWN ? MSNP_D_ANY : (uint8_t)dir;
    ctx.in_syn_dump = in_syn_dump;
    ctx.meaning_only = 1; /* what a line shows; msnp_conn_command learns */
    return ctx;
}

/* Nanoseconds since the epoch, wrapping (never overflowing) for the absurd
 * times a damaged capture may hold: differences stay right for real ones. */
static gint64 nstime_ns(const nstime_t *t)
{
    return (gint64)((guint64)(gint64)t->secs * 1000000000u + (guint64)(gint64)t->nsecs);
}

void msnp_conv_pair(msnp_conv *conv, int side, packet_info *pinfo, const guint8 *base,
                    const msnp_pdu *pdu, const msnp_command *cmd, msnp_pdu_rec *rec)
{
    /* The tag that comes back with a reply is the request's record itself:
     * file-scoped, so it outlives the first pass. */
    msnp_txn_line(&conv->txn, msnp_conv_role(conv), msnp_conv_dir(conv, side), base, pdu, cmd,
                  (guint64)(uintptr_t)rec, nstime_ns(&pinfo->abs_ts), &rec->txn);
    if (cmd->info)
        memcpy(rec->cmd, cmd->info->name, 4);
    /* The request's record is the first pass's own (file scope), not const. */
    msnp_pdu_rec *request = (msnp_pdu_rec *)(uintptr_t)msnp_pdu_rec_request(rec);
    if (request && rec->txn.first && !request->response_frame)
        request->response_frame = pinfo->num;
}

const msnp_pdu_rec *msnp_pdu_rec_request(const msnp_pdu_rec *rec)
{
    if (rec->txn.kind != MSNP_TXN_REPLY || !rec->txn.matched)
        return NULL;
    return (const msnp_pdu_rec *)(uintptr_t)rec->txn.tag;
}

nstime_t msnp_pdu_rec_response_time(const msnp_pdu_rec *rec, const nstime_t *now)
{
    /* Seconds and nanoseconds of one sign, as nstime_delta() gives them. */
    gint64 ns = (gint64)((guint64)nstime_ns(now) - (guint64)rec->txn.when);
    nstime_t t;
    t.secs = (time_t)(ns / 1000000000);
    t.nsecs = (int)(ns % 1000000000);
    return t;
}
