/* msnp.sid: the notification-server login each connection belongs to.
 *
 * libmsnp's correlator numbers the logins (S1, S2, ...) and ties switchboards
 * (XFR SB / RNG cookies) and MSNFTP transfers (invitations) to them. msnpdump
 * feeds it every record in capture order, each parsed with its connection's
 * settled role, and holds every record behind the first one whose connection
 * has not settled yet. The same numbering needs the same feeding, so the first
 * pass keeps the same queue here: a PDU's login is known once its connection
 * and every connection with a PDU before it have settled. In one pass
 * (tshark) the PDUs read before that have no msnp.sid; the second pass (tshark
 * -2, the GUI once the file is read) first settles whatever still waits, as
 * msnpdump does at the end of a capture, so every PDU has its login there. */
#include <string.h>

#include <epan/address_types.h>
#include <epan/to_str.h>
#include <epan/packet.h>

#include "msnp/corr.h"
#include "packet-msnp.h"

/* Past msnpdump's bounds the oldest connection's role is taken as it stands. */
enum { HELD_MAX_ITEMS = MSNP_SETTLE_WAIT_ITEMS, HELD_MAX_BYTES = MSNP_SETTLE_WAIT_BYTES };

typedef struct held_pdu {
    struct held_pdu *next;
    msnp_conv *conv;
    int side;
    msnp_pdu_rec *rec;
    nstime_t time; /* its frame's */
    msnp_pdu pdu;  /* spans relative to bytes */
    guint8 *bytes; /* commands only: the PDU as framed */
} held_pdu;

static struct {
    msnp_corr *corr;
    held_pdu *first, *last;
    guint count;
    gsize bytes;
    guint64 next_uid;
} logins;

static void logins_init(void)
{
    msnp_corr_limits l;
    msnp_corr_limits_default(&l);
    l.hash_files = 0; /* the plugin shows no file digests from here */
    logins.corr = msnp_corr_new(&l, NULL, NULL);
    logins.next_uid = 0;
}

static void logins_cleanup(void)
{
    while (logins.first) {
        held_pdu *h = logins.first;
        logins.first = h->next;
        g_free(h->bytes);
        g_free(h);
    }
    logins.last = NULL;
    logins.count = 0;
    logins.bytes = 0;
    msnp_corr_free(logins.corr);
    logins.corr = NULL;
}

void msnp_register_logins(void)
{
    register_init_routine(logins_init);
    register_cleanup_routine(logins_cleanup);
}

/* "IP:PORT" or "[IPv6]:PORT", as msnpdump writes endpoints. */
static const char *endpoint(const msnp_conv *conv, int side)
{
    char host[WS_INET6_ADDRSTRLEN];
    address_to_str_buf(&conv->addr[side], host, sizeof host);
    return wmem_strdup_printf(wmem_file_scope(),
                              conv->addr[side].type == AT_IPv6 ? "[%s]:%u" : "%s:%u", host,
                              conv->port[side]);
}

/* The connection's number and endpoints for the correlator, made when it
 * is first fed: its role and client side are settled by then, and the
 * correlator keeps the endpoints it first sees. */
static guint64 conn_uid(msnp_conv *conv)
{
    if (!conv->login_uid) {
        conv->login_uid = ++logins.next_uid;
        int client = msnp_conv_client_side(conv);
        conv->login_ends[0] = endpoint(conv, client);
        conv->login_ends[1] = endpoint(conv, !client);
    }
    return conv->login_uid;
}

/* OUT ends a notification-server or switchboard session, whichever side
 * sends it: the server closes the connection next. */
static gboolean ends_session(const msnp_conv *conv, const guint8 *base, const msnp_pdu *pdu)
{
    if (pdu->kind != MSNP_PDU_COMMAND || pdu->tok[0].len != 3 ||
        memcmp(base + pdu->tok[0].off, "OUT", 3) != 0)
        return FALSE;
    msnp_role role = msnp_conv_role(conv);
    return role == MSNP_ROLE_NS || role == MSNP_ROLE_SB;
}

static msnp_time corr_time(const nstime_t *t)
{
    return (msnp_time){(int64_t)t->secs, (uint32_t)(t->nsecs / 1000)};
}

/* `view`: the PDU as the dissector has it now, whose parse serves when the
 * connection has told nothing new since; NULL for a PDU that was held. */
static void feed(msnp_conv *conv, int side, msnp_pdu_rec *rec, const nstime_t *time,
                 const guint8 *base, const msnp_pdu *pdu, const msnp_pdu_view *view)
{
    msnp_corr_note note;
    if (conv->login_ended) {
        rec->sid = conv->login_sid;
        return;
    }
    guint64 uid = conn_uid(conv);
    if (pdu->kind == MSNP_PDU_COMMAND) {
        msnp_parse_ctx ctx = msnp_conv_parse_ctx(conv, side, rec->in_syn_dump);
        msnp_command cmd;
        if (view && msnp_parse_ctx_same(&view->ctx, &ctx))
            cmd = view->cmd;
        else
            msnp_parse_command(&ctx, base, pdu, &cmd);
        msnp_corr_cmd in = {uid,
                            msnp_conv_role(conv),
                            msnp_conv_dir(conv, side),
                            conv->login_ends[0],
                            conv->login_ends[1],
                            rec->frame,
                            corr_time(time),
                            base,
                            pdu,
                            &cmd,
                            view && view->has_mime ? &view->mime : NULL};
        msnp_corr_command(logins.corr, &in, &note);
    } else {
        msnp_corr_describe(logins.corr, uid, &note);
    }
    rec->sid = note.sid;
    /* msnpdump tells the correlator a connection is over at its FIN, which
     * a dissector never sees; without this every conversation's state
     * (several KiB) would stay to the end of the file. */
    if (ends_session(conv, base, pdu)) {
        msnp_corr_conn_end(logins.corr, uid, corr_time(time));
        conv->login_ended = TRUE;
        conv->login_sid = note.sid;
    }
}

static gboolean waits(const held_pdu *h)
{
    return !h->conv->login_forced && !msnp_conn_settled(&h->conv->conn);
}

/* Feeds the queue's front while it may go; `force` (end of the first pass)
 * or a full queue settles the connection that holds it up. */
static void drain(gboolean force)
{
    held_pdu *h;
    while ((h = logins.first) != NULL) {
        gboolean full = logins.count > HELD_MAX_ITEMS || logins.bytes > HELD_MAX_BYTES;
        if (waits(h)) {
            if (!force && !full)
                break;
            h->conv->login_forced = TRUE;
        }
        /* A connection found not to be MSNP is left out, as msnpdump does. */
        if (h->conv->conn.detect != MSNP_DETECT_NO)
            feed(h->conv, h->side, h->rec, &h->time, h->bytes, &h->pdu, NULL);
        logins.first = h->next;
        if (!logins.first)
            logins.last = NULL;
        logins.count--;
        logins.bytes -= h->bytes ? h->pdu.len : 0;
        g_free(h->bytes);
        g_free(h);
    }
}

void msnp_logins_learn(msnp_conv *conv, int side, const msnp_pdu_view *v, msnp_pdu_rec *rec,
                       const nstime_t *time)
{
    if (!logins.corr || v->not_msnp_connection)
        return;
    gboolean settled = conv->login_forced || msnp_conn_settled(&conv->conn);
    if (!logins.first && settled) {
        feed(conv, side, rec, time, v->base, &v->pdu, v);
        return;
    }
    held_pdu *h = g_new0(held_pdu, 1);
    h->conv = conv;
    h->side = side;
    h->rec = rec;
    h->time = *time;
    h->pdu = v->pdu;
    if (v->pdu.kind == MSNP_PDU_COMMAND) {
        h->bytes = g_memdup2(v->base, v->pdu.len);
        logins.bytes += v->pdu.len;
    }
    if (logins.last)
        logins.last->next = h;
    else
        logins.first = h;
    logins.last = h;
    logins.count++;
    drain(FALSE);
}

void msnp_logins_first_pass_over(void)
{
    drain(TRUE);
}
