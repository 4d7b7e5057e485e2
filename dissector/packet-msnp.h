/* The Wireshark plugin `msnp`: what its files share.
 *
 *   packet-msnp.c    registration, preferences, the TCP / heuristic / HTTP
 *                    gateway entry points and the framing loop
 *   msnp-fields.c    header fields (fixed ones and those generated from the
 *                    command table's argument names), subtrees, expert items
 *   msnp-conv.c      per-connection state, per-frame snapshots of the framing
 *                    state, per-command records (pairing results)
 *   msnp-sessions.c  recognising MSNP connections: the heuristic, and the
 *                    expected conversations announced by XFR, RNG and
 *                    file-transfer invitations
 *   msnp-tree.c      the protocol tree of one PDU, its Info text and its
 *                    expert items
 *   msnp-meaning.c   what payloads, the QRY answer and an MSNFTP transfer
 *                    mean: libmsnp's payload vocabulary as fields, and its
 *                    expert items
 *   msnp-logins.c    which login each connection belongs to (msnp.sid), by
 *                    libmsnp's correlator fed as msnpdump feeds it
 *   msnp-stats.c     the tap and the statistics tree (-z msnp,tree)
 *
 * Everything the plugin knows about MSNP comes from libmsnp. */
#ifndef PACKET_MSNP_H
#define PACKET_MSNP_H

#include <epan/conversation.h>
#include <epan/expert.h>
#include <epan/packet.h>

#include "msnp-compat.h"
#include "msnp/msnftp.h"
#include "msnp/msnp.h"
#include "msnp/trid.h"

/* ---- Registration (plugin.c calls these) -------------------------------- */

void proto_register_msnp(void);
void proto_reg_handoff_msnp(void);
void msnp_register_stats(void);

/* ---- Protocol, fields, subtrees, expert items (msnp-fields.c) ----------- */

extern int proto_msnp;

extern int hf_msnp_command_line;
extern int hf_msnp_cmd;
extern int hf_msnp_trid;
extern int hf_msnp_args;
extern int hf_msnp_arg;
extern int hf_msnp_payload_len;
extern int hf_msnp_payload;
extern int hf_msnp_payload_missing;
extern int hf_msnp_error_code;
extern int hf_msnp_error_meaning;
extern int hf_msnp_role;
extern int hf_msnp_dir;
extern int hf_msnp_meaning;
extern int hf_msnp_since;
extern int hf_msnp_async;
extern int hf_msnp_response_in;
extern int hf_msnp_response_to;
extern int hf_msnp_time;
extern int hf_msnp_reply_line;
extern int hf_msnp_mime_header;
extern int hf_msnp_mime_content_type;
extern int hf_msnp_mime_charset;
extern int hf_msnp_block_type;
extern int hf_msnp_block_len;
extern int hf_msnp_block_data;
extern int hf_msnp_skipped;
extern int hf_msnp_setup_frame;
extern int hf_msnp_setup_method;
extern int hf_msnp_sid;

extern int ett_msnp;
extern int ett_msnp_args;
extern int ett_msnp_payload;
extern int ett_msnp_mime;
extern int ett_msnp_mime_header;
extern int ett_msnp_block;
extern int ett_msnp_setup;

extern expert_field ei_msnp_error_reply;
extern expert_field ei_msnp_unknown_error_code;
extern expert_field ei_msnp_malformed;
extern expert_field ei_msnp_not_msnp;
extern expert_field ei_msnp_line_too_long;
extern expert_field ei_msnp_payload_too_long;
extern expert_field ei_msnp_bad_length;
extern expert_field ei_msnp_truncated;
extern expert_field ei_msnp_length_position;
extern expert_field ei_msnp_irregular_spacing;
extern expert_field ei_msnp_unknown_command;
extern expert_field ei_msnp_unexpected_syntax;
extern expert_field ei_msnp_other_version;
extern expert_field ei_msnp_no_response;
extern expert_field ei_msnp_credential;
extern expert_field ei_msnp_disconnect;
extern expert_field ei_msnp_bad_block;
extern expert_field ei_msnp_block_overrun;
extern expert_field ei_msnp_cookie_mismatch;
extern expert_field ei_msnp_not_msnp_connection;

void msnp_register_fields(void);

/* The header field of an argument name of the command table ("user" ->
 * msnp.user), or -1 when the name is unknown. `name` must point into the
 * table (msnp_command_arg_name): answers are cached by its address. */
int msnp_field_for_arg(const char *name, size_t len);

/* ---- Per-connection state (msnp-conv.c) --------------------------------- */

/* How a connection was announced before it opened (msnp-sessions.c). */
typedef struct msnp_expected {
    guint32 setup_frame;
    const char *method; /* "XFR", "RNG" or "invitation" */
    const char *cookie; /* what the client must present, or NULL */
    guint8 roles;       /* what the announcement says the connection is (MSNP_R_*) */
} msnp_expected;

typedef struct msnp_conv {
    gboolean sides_known;
    address addr[2]; /* side 0 sent the first data the plugin saw */
    guint32 port[2];
    msnp_framer framer[2]; /* framing state after the last PDU (first pass) */
    msnp_conn conn;        /* role and client side, learnt on the first pass */
    msnp_txn_tracker txn;
    msnp_txn_slot slots[MSNP_TXN_PENDING_MAX];
    const msnp_expected *expected;
    const char *challenge;  /* NS: the last CHL challenge (first pass) */
    msnp_ftp_transfer *ftp; /* MSNFTP: the transfer so far (first pass) */
    guint64 login_uid;      /* its number for the correlator (msnp-logins.c) */
    const char *login_ends[2]; /* and its client and server "IP:PORT" */
    gboolean login_forced;  /* fed to the correlator with its role unsettled */
    gboolean login_ended;   /* its OUT was fed: the correlator let it go */
    guint32 login_sid;      /* its login then, for anything after the OUT */
    /* The first pass's record of each frame and side (msnp-conv.c), in frame
     * order, and the last framing snapshot taken of each side. */
    wmem_array_t *frames;
    const msnp_framer *snapshot[2];
} msnp_conv;

/* What the first pass learnt about one PDU, for every later pass. One per
 * PDU for the life of the file, so it keeps only what cannot be had again:
 * its frame's time is the dissected frame's, and a reply reaches its request
 * through txn.tag (the request's record) with the request's time in
 * txn.when. */
typedef struct msnp_pdu_rec {
    struct msnp_pdu_rec *next; /* the frame's next PDU of the same side */
    msnp_txn txn;
    const char *challenge; /* the client's QRY: the CHL challenge it answers */
    const msnp_ftp_transfer *ftp; /* MSNFTP BYE, CCL, end block: the transfer then */
    guint32 frame;
    guint32 response_frame; /* requests: the frame of the first reply */
    guint32 sid;            /* the login it belongs to (S1 = 1), 0 unknown */
    char cmd[4];            /* the command, for the request's statistics */
    guint8 in_syn_dump;     /* the parser's context when it was framed */
} msnp_pdu_rec;

/* One frame's dissection of one side of a connection. */
typedef struct msnp_pass {
    msnp_conv *conv;
    int side;
    gboolean first_pass;  /* the frame's first dissection: state may change */
    msnp_framer *framer;  /* the state to frame the next PDU with */
    msnp_framer replay;   /* later passes: the frame's snapshot, advanced */
    guint entry;          /* first pass: the frame's place in conv->frames */
    msnp_pdu_rec *last;   /* first pass: the frame's last PDU record so far */
    msnp_pdu_rec *cursor; /* later passes: the next PDU's record */
    gboolean info_started; /* a PDU of this dissection is in the Info column */
} msnp_pass;

/* The state of a conversation, created on first use; and of the packet's. */
msnp_conv *msnp_conv_attach(conversation_t *c);
msnp_conv *msnp_conv_lookup(packet_info *pinfo);

/* Which side sent this packet. The first data of a connection sets up both
 * sides: endpoints, what TCP knows of the handshake, and framers with these
 * limits. */
int msnp_conv_side(msnp_conv *conv, packet_info *pinfo, const msnp_limits *limits);

/* This frame's pass over `side` of conv: created on the first call of a
 * dissection, shared by the later calls of the same dissection (a frame that
 * completes a reassembled PDU is dissected once for it and once for the rest
 * of the segment). */
msnp_pass *msnp_pass_get(packet_info *pinfo, msnp_conv *conv, int side);

/* The record of the PDU about to be dissected. */
msnp_pdu_rec *msnp_pass_record(msnp_pass *pass, packet_info *pinfo);

/* The parser's context with what is known of the connection: on the first
 * pass what was learnt so far, later the whole connection (as msnpdump does
 * once a connection is settled). */
msnp_parse_ctx msnp_conv_parse_ctx(const msnp_conv *conv, int side, guint8 in_syn_dump);
msnp_role msnp_conv_role(const msnp_conv *conv);
msnp_dir msnp_conv_dir(const msnp_conv *conv, int side);
int msnp_conv_client_side(const msnp_conv *conv);

/* A reply's request, when the first pass saw it; NULL otherwise. */
const msnp_pdu_rec *msnp_pdu_rec_request(const msnp_pdu_rec *rec);

/* A paired reply's time after its request; `now` is the reply's frame time. */
nstime_t msnp_pdu_rec_response_time(const msnp_pdu_rec *rec, const nstime_t *now);

/* First pass: pair a parsed command (libmsnp/trid.c) and link the request
 * and reply records. */
void msnp_conv_pair(msnp_conv *conv, int side, packet_info *pinfo, const guint8 *base,
                    const msnp_pdu *pdu, const msnp_command *cmd, msnp_pdu_rec *rec);

/* ---- Recognising connections (msnp-sessions.c) -------------------------- */

extern dissector_handle_t msnp_tcp_handle;

/* Does this segment start an MSNP session (or look like the middle of
 * one)? Protocol reference §10. */
gboolean msnp_looks_like_msnp(tvbuff_t *tvb);

/* First pass: XFR SB, XFR NS, RNG and file-transfer ACCEPTs announce where
 * the next connection of the session will go. */
void msnp_expect_referral(packet_info *pinfo, const guint8 *base, const msnp_pdu *pdu,
                          const msnp_command *cmd);
void msnp_expect_file_transfer(packet_info *pinfo, const guint8 *body, const msnp_fields *fields);

/* ---- The tree of one PDU (msnp-tree.c) ---------------------------------- */

/* Whether Wireshark shows this tree (tshark -V, -T fields or pdml, the packet
 * selected in the GUI): then every item is made and labelled. Otherwise it
 * keeps only the items of fields a filter, colour rule or column refers to
 * (proto_field_is_referenced) and fakes the rest, so work that would only
 * feed those items is skipped: the text of a label, a decoded value. */
static inline gboolean msnp_tree_shown(proto_tree *tree)
{
    return tree && PTREE_DATA(tree)->visible;
}

typedef struct msnp_pdu_view {
    tvbuff_t *tvb;      /* the PDU (captured bytes may be fewer than reported) */
    const guint8 *base; /* its captured bytes */
    msnp_pdu pdu;
    msnp_command cmd;   /* PDU kind COMMAND only */
    msnp_parse_ctx ctx; /* what cmd was parsed with */
    msnp_role role;
    msnp_dir dir;
    const msnp_pdu_rec *rec;    /* NULL without a connection (HTTP gateway) */
    const msnp_conv *conv;      /* NULL likewise */
    gboolean not_msnp_connection; /* msnp_conn gave up: the bytes are shown raw */
    msnp_limits limits;           /* the caps the PDU was framed with */
    gboolean has_mime;            /* MSG payload with a header block: mime */
    msnp_mime mime;               /* spans relative to the payload */
} msnp_pdu_view;

/* Looks up the media_type table and the text dissector (at hand-off). */
void msnp_tree_handoff(void);

/* Adds the PDU's subtree and expert items; returns the protocol item. */
proto_item *msnp_tree_pdu(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                          const msnp_pdu_view *v);

/* Text from the capture as valid UTF-8 (invalid bytes become U+FFFD). */
const char *msnp_utf8(wmem_allocator_t *scope, const guint8 *p, size_t len);

/* Appends the PDU to the Info column. */
void msnp_info_pdu(packet_info *pinfo, const msnp_pdu_view *v, gboolean first_in_frame);

/* ---- Meaning (msnp-meaning.c) ------------------------------------------- */

void msnp_register_meaning(void);

/* First pass: what the PDU changes (the connection's last CHL, its MSNFTP
 * transfer), and what its record keeps of it for every later pass. */
void msnp_meaning_learn(msnp_conv *conv, const msnp_pdu_view *v, msnp_pdu_rec *rec);

/* The meaning fields and expert items of the PDU, under tree. */
void msnp_meaning_tree(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                       const msnp_pdu_view *v);

/* ---- Logins (msnp-logins.c) --------------------------------------------- */

void msnp_register_logins(void);

/* First pass: the PDU in capture order (`time`: its frame's); its record's
 * sid is set now or once the connections before it have settled. */
void msnp_logins_learn(msnp_conv *conv, int side, const msnp_pdu_view *v, msnp_pdu_rec *rec,
                       const nstime_t *time);

/* A later pass has begun: settle and feed what still waits. */
void msnp_logins_first_pass_over(void);

/* ---- Statistics (msnp-stats.c) ------------------------------------------ */

extern int msnp_tap;

/* Queues a command for the tap (only when someone listens). */
void msnp_tap_pdu(packet_info *pinfo, const msnp_pdu_view *v);

#endif
