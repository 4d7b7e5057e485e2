/* Request/response pairing on one MSNP connection (protocol reference §2.2,
 * §2.3, §3, §5, §7), shared by both faces: the Wireshark plugin's
 * msnp.response_in / msnp.response_to / msnp.time and msnpdump's "answers the
 * request in frame 12 after 87 ms".
 *
 * Feed every parsed command of one connection, in stream order (both
 * directions interleaved as they happened), with its direction. Each line is
 * classified as
 *   - a request (a client command), with whether an answer is expected;
 *   - a reply, and to which request: the TrID in the line, or, for the lines
 *     that carry none, the exchange they belong to (the SYN dump after
 *     "SYN TrID version contacts groups", BPR lines after an ADD to the
 *     forward list, QNG after PNG, the MSNFTP hand-shake);
 *   - a server push (asynchronous: NLN, RNG, CHL 0, ADD 0 RL, ...).
 * Multi-line replies keep their request: SYN → SYN + GTC/BLP/PRP/LSG/LST/BPR,
 * ANS → IRO... → ANS OK, CHG → CHG + ILN..., ADD FL → ADD + ILN/BPR; every
 * line of them names the same request, `first` marks the line that answered
 * it first and `final` the line known to end it.
 *
 * What the command table says (TrID rules, MSNP_F_ASYNC, MSNP_F_ENDS_REPLY,
 * MSNP_F_SYN_DUMP) decides most of it; the few exchanges that need more (which
 * replies continue over several lines, which TrID-less replies answer which
 * request, which requests are answered only on failure) are small tables in
 * trid.c.
 *
 * Pure C, no allocation: the caller provides the slots that remember pending
 * requests (a handful is enough: clients rarely have more than a few
 * requests outstanding; when all are taken the oldest is forgotten). */
#ifndef MSNP_TRID_H
#define MSNP_TRID_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/commands.h"
#include "msnp/framer.h"
#include "msnp/parse.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum msnp_txn_kind {
    MSNP_TXN_NONE = 0, /* nothing to pair: direction unknown, or not a command */
    MSNP_TXN_REQUEST,  /* a command that asks something of the other side */
    MSNP_TXN_REPLY,    /* a line answering a request (matched or not) */
    MSNP_TXN_ASYNC     /* a server line that answers nothing */
} msnp_txn_kind;

typedef enum msnp_txn_expect {
    MSNP_EXPECT_NONE = 0,   /* never answered (OUT, MSG U, BYE, ...) */
    MSNP_EXPECT_REPLY,      /* always answered */
    MSNP_EXPECT_ON_FAILURE  /* answered only when it fails (MSG N: NAK; PAG) */
} msnp_txn_expect;

/* A pending request. Opaque to callers apart from sizing the array. */
typedef struct msnp_txn_slot {
    uint64_t tag;  /* the caller's id of the request, e.g. its frame number */
    int64_t when;  /* the caller's time of the request, any unit */
    uint64_t age;  /* when it was last used, for forgetting the oldest */
    uint32_t trid;
    uint32_t lines; /* reply lines seen so far */
    char cmd[4];
    uint8_t used;
    uint8_t has_trid;
    uint8_t multi; /* its reply may continue after the first line */
    uint8_t sender; /* direction bit of the request (MSNP_D_*) */
} msnp_txn_slot;

/* An exchange whose lines carry no TrID: the SYN dump, or BPR lines after an
 * ADD FL reply. It names its request by value, not by slot, so that
 * forgetting a slot does not detach it. */
typedef struct msnp_txn_open {
    uint8_t active;
    uint8_t matched;
    char followup[4];    /* follow-ups: the command that follows ("BPR") */
    uint32_t trid;
    uint32_t lines;
    uint64_t tag;
    int64_t when;
    const char *key_arg; /* follow-ups: the argument that ties them ("user") */
    uint64_t key;        /* follow-ups: hash of its value in the reply */
} msnp_txn_open;

typedef struct msnp_txn_tracker {
    msnp_txn_slot *slots;
    size_t nslots;
    /* Bit i: slots[i] is in use (for the first 64 slots). The look-ups read
     * only the slots in use, usually none or one, not all of them. */
    uint64_t in_use;
    uint64_t clock;
    msnp_txn_open dump;     /* the SYN dump in progress */
    msnp_txn_open followup; /* BPR lines after an ADD FL reply */
} msnp_txn_tracker;

/* How one line was classified. Fields that do not apply are 0. */
typedef struct msnp_txn {
    uint8_t kind;     /* msnp_txn_kind */
    uint8_t expect;   /* requests: msnp_txn_expect */
    uint8_t has_trid; /* the line carries a TrID (trid) */
    uint8_t matched;  /* replies: the request was seen (tag, when valid) */
    uint8_t first;    /* replies: the first line answering that request */
    uint8_t final;    /* replies: known to be the last line of the reply */
    uint8_t multi;    /* replies: part of a reply of several lines */
    uint32_t trid;
    uint32_t line;    /* replies: 0-based index of the line in its reply */
    uint64_t tag;     /* replies: the request's tag */
    int64_t when;     /* replies: the request's time */
} msnp_txn;

/* How many requests awaiting an answer a connection remembers, in msnpdump
 * and the plugin alike, so that both pair the same lines; past this the one
 * least recently used is forgotten. */
enum { MSNP_TXN_PENDING_MAX = 8 };

/* Start tracking a connection; slots[0..nslots) belong to the tracker until
 * it is dropped (nslots may be 0: then only TrID-less exchanges pair). */
void msnp_txn_init(msnp_txn_tracker *t, msnp_txn_slot *slots, size_t nslots);

/* Classify the next command of the connection and remember what a later line
 * needs. `dir` is the sender's direction (MSNP_DIR_UNKNOWN is allowed: the
 * matched form's direction is used when it has only one); `role` the
 * connection's role when known. `tag` and `when` identify this line: a reply
 * to it gives them back. base/pdu are what cmd was parsed from. */
void msnp_txn_line(msnp_txn_tracker *t, msnp_role role, msnp_dir dir, const uint8_t *base,
                   const msnp_pdu *pdu, const msnp_command *cmd, uint64_t tag, int64_t when,
                   msnp_txn *out);

/* "request", "reply", "async", "none". */
const char *msnp_txn_kind_name(msnp_txn_kind k);

#ifdef __cplusplus
}
#endif
#endif
