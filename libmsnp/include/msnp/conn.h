/* Per-connection MSNP state: which side is the client, what kind of
 * connection it is (DS, NS, SB, MSNFTP), and the little context the parser
 * needs (inside a SYN dump or not). Protocol reference §10.
 *
 * Sides are the caller's numbering of the two endpoints (0 and 1). */
#ifndef MSNP_CONN_H
#define MSNP_CONN_H

#include <stdint.h>

#include "msnp/commands.h"
#include "msnp/framer.h"
#include "msnp/parse.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum msnp_detect {
    MSNP_DETECT_PENDING = 0, /* no evidence yet */
    MSNP_DETECT_YES,         /* at least one line matched an MSNP form */
    MSNP_DETECT_NO           /* enough non-MSNP data to give up */
} msnp_detect;

typedef struct msnp_conn_side {
    uint32_t syn_contacts_left; /* LST lines still expected in a SYN dump */
    uint32_t syn_groups_left;
    uint8_t in_syn_dump;
    uint32_t strikes;       /* lines matching no form while undetected */
    uint64_t skipped;       /* bytes skipped while undetected */
} msnp_conn_side;

typedef struct msnp_conn {
    uint8_t roles;        /* candidate roles, narrowed by evidence */
    int8_t client_side;   /* -1 unknown, else 0 or 1 */
    uint8_t client_sure;  /* from a handshake or the protocol, not a port */
    int8_t hint_server;   /* -1, or the side a port list says is a server */
    uint8_t detect;       /* msnp_detect */
    uint8_t forced;       /* msnp_conn_settle() gave up waiting for evidence */
    msnp_conn_side side[2];
} msnp_conn;

void msnp_conn_init(msnp_conn *c);

/* The caller saw the TCP handshake: `side` opened the connection. */
void msnp_conn_set_client(msnp_conn *c, int side);

/* A weak hint (e.g. side uses a well-known MSNP port): used only when the
 * protocol does not tell. */
void msnp_conn_hint_server(msnp_conn *c, int side);

/* What the parser is told about a line `side` sends, given what is known. */
msnp_parse_ctx msnp_conn_ctx(const msnp_conn *c, int side);

/* Parse a command PDU that `side` sent, learn from it, fill *cmd. */
void msnp_conn_command(msnp_conn *c, int side, const uint8_t *base, const msnp_pdu *pdu,
                       msnp_command *cmd);

/* Account for skipped bytes (resynchronisation) while detecting. */
void msnp_conn_skipped(msnp_conn *c, int side, uint64_t bytes);

/* The role if one remains, else MSNP_ROLE_UNKNOWN. */
msnp_role msnp_conn_role(const msnp_conn *c);

/* Direction of data sent by `side`. */
msnp_dir msnp_conn_dir(const msnp_conn *c, int side);

/* Role and direction are settled (nothing more to learn for labelling). */
int msnp_conn_settled(const msnp_conn *c);

/* Stop waiting for evidence (end of the connection, or of the caller's
 * patience): the client side falls back to the port hint, then to side 0;
 * a role the traffic did not tell stays MSNP_ROLE_UNKNOWN. */
void msnp_conn_settle(msnp_conn *c);

/* How much output a caller holds back, at most, while connections settle
 * (output stays in capture order); past it the oldest waiting connection is
 * settled. msnpdump and the plugin's msnp.sid use the same bounds so that
 * both give the same answers. */
enum { MSNP_SETTLE_WAIT_ITEMS = 4096, MSNP_SETTLE_WAIT_BYTES = 8u << 20 };

#ifdef __cplusplus
}
#endif
#endif
