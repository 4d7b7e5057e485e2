/* Correlation across the connections of one capture (protocol reference
 * §10): which notification-server login each switchboard and file transfer
 * belongs to, who is in each conversation, who sent each message to whom
 * (once, even when several legs of one conversation are in the capture),
 * and which invitation each MSNFTP connection carries out.
 *
 * The caller feeds every command in capture order, with the connection's
 * settled role and direction, and gets back what is known of the connection
 * (its login session id "sid", its local account). Conversation events
 * (messages, typing, joins, leaves, invitations) come out through a callback,
 * in capture order; a message seen on one leg waits a little (bounded) for
 * its other legs so that it is reported once with all its frames.
 *
 * State is bounded by msnp_corr_limits; past a limit the oldest entries are
 * forgotten and counted (msnp_corr_stats). Allocation happens per entity
 * (login, conversation, invitation), never per command. No I/O. */
#ifndef MSNP_CORR_H
#define MSNP_CORR_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/commands.h"
#include "msnp/framer.h"
#include "msnp/mime.h"
#include "msnp/parse.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MSNP_HANDLE_MAX 130  /* user handle <= 129 bytes + NUL (ref. §2.1) */
#define MSNP_EV_MAX_TO 16    /* recipients listed per message */
#define MSNP_EV_MAX_LEGS 8   /* connections one message is seen on */

typedef struct msnp_time {
    int64_t sec;
    uint32_t usec;
} msnp_time;

typedef struct msnp_corr_limits {
    uint32_t max_conns;     /* connections remembered at once */
    uint32_t max_logins;    /* NS logins remembered */
    uint32_t max_referrals; /* XFR SB / RNG cookies waiting for their switchboard */
    uint32_t max_sessions;  /* switchboard conversations */
    uint32_t max_invites;   /* invitations */
    uint32_t max_pending;   /* events waiting for the other legs of a message */
    uint32_t max_pending_bytes;
    uint32_t leg_window_ms; /* how long a message waits for its other legs */
    /* MD5 of every MSNFTP transfer (msnp_invite_info.md5): on by default; a
     * caller that never shows it saves the hashing, the largest single cost
     * on captures with file transfers. */
    uint8_t hash_files;
} msnp_corr_limits;

void msnp_corr_limits_default(msnp_corr_limits *l);

/* One command of one connection, as the caller saw it. */
typedef struct msnp_corr_cmd {
    uint64_t conn; /* the caller's connection number (its uid) */
    msnp_role role;
    msnp_dir dir;
    const char *client, *server; /* endpoints as "IP:PORT" / "[IPv6]:PORT" */
    uint64_t frame;
    msnp_time ts;
    const uint8_t *base;
    const msnp_pdu *pdu;
    const msnp_command *cmd;
    /* MSG: the payload's MIME block as msnp_mime_parse() left it, when the
     * caller has parsed it already (headers.count 0: it did not parse);
     * NULL, and the correlator parses it itself. */
    const msnp_mime *mime;
} msnp_corr_cmd;

/* What the correlator knows of a connection. Strings live until the
 * connection is forgotten (msnp_corr_conn_end + flush), copy them to keep. */
typedef struct msnp_corr_note {
    uint32_t sid;           /* NS login session, 1, 2, ...; 0 unknown */
    const char *user;       /* the local account on this connection, or NULL */
    const char *session_id; /* switchboard session id, or NULL */
    const char *linked_by;  /* how the connection was tied to its login */
    const char *challenge;  /* NS: the last CHL challenge sent, or NULL */
} msnp_corr_note;

typedef struct msnp_login_info msnp_login_info;
typedef struct msnp_sb_info msnp_sb_info;
typedef struct msnp_invite_info msnp_invite_info;

typedef enum msnp_event_kind {
    MSNP_EV_MESSAGE, /* text/plain: a chat message */
    MSNP_EV_TYPING,  /* text/x-msmsgscontrol */
    MSNP_EV_INVITE,  /* text/x-msmsgsinvite: INVITE, ACCEPT or CANCEL */
    MSNP_EV_OTHER,   /* another content type on a switchboard */
    MSNP_EV_JOIN,    /* someone is in or joins the conversation */
    MSNP_EV_LEAVE,   /* someone left */
    MSNP_EV_LOGIN_END,  /* a notification-server login is over: ev->login */
    MSNP_EV_SB_END,     /* a conversation is over (all its legs): ev->sb */
    MSNP_EV_INVITE_END  /* an invitation reached its outcome: ev->invite */
} msnp_event_kind;

/* Strings and the payload are valid during the callback only. */
typedef struct msnp_event {
    msnp_event_kind kind;
    uint32_t sid;
    const char *session_id; /* NULL when not known */
    uint64_t frame;         /* the first frame it was seen in */
    msnp_time ts;
    const char *from;       /* sender, or who joined/left; NULL if unknown */
    const char *from_nick;  /* URL-decoded friendly name, or NULL */
    const char *to[MSNP_EV_MAX_TO];
    unsigned nto;
    uint8_t to_known;       /* the recipients are known (a roster was seen) */
    uint8_t leave_timeout;  /* LEAVE: the server dropped them ("BYE user 1") */
    const uint8_t *payload; /* MSG payload (MIME), NULL for the others */
    uint32_t payload_len;
    uint64_t conns[MSNP_EV_MAX_LEGS];  /* connections (uids) it was seen on */
    uint64_t frames[MSNP_EV_MAX_LEGS]; /* and the frame on each */
    unsigned nlegs;
    const msnp_login_info *login;   /* MSNP_EV_LOGIN_END */
    const msnp_sb_info *sb;         /* MSNP_EV_SB_END */
    const msnp_invite_info *invite; /* MSNP_EV_INVITE_END */
} msnp_event;

typedef void (*msnp_event_fn)(void *ctx, const msnp_event *ev);

typedef struct msnp_corr msnp_corr;

/* fn may be NULL when only msnp_corr_note is wanted: no events are then
 * prepared (nor file digests computed). */
msnp_corr *msnp_corr_new(const msnp_corr_limits *l, msnp_event_fn fn, void *ctx);
void msnp_corr_free(msnp_corr *c);

/* Feed one command (in capture order); *note says what is known of its
 * connection after it. Call with time that never goes backwards by much:
 * waiting messages are released by capture time. */
void msnp_corr_command(msnp_corr *c, const msnp_corr_cmd *in, msnp_corr_note *note);

/* File data of an MSNFTP connection, in stream order (block contents). It may
 * come before the connection's commands are fed: framing runs ahead of the
 * settled, capture-order stream of commands. */
void msnp_corr_ftp_data(msnp_corr *c, uint64_t conn, const char *client, const char *server,
                        const uint8_t *p, size_t n);
/* An MSNFTP abort block (01 00 00). */
void msnp_corr_ftp_abort(msnp_corr *c, uint64_t conn);

/* What is known of a connection now (zeroed note if nothing). */
void msnp_corr_describe(const msnp_corr *c, uint64_t conn, msnp_corr_note *note);

/* The connection is over: its waiting events may go, its state may be
 * summarised and forgotten later. */
void msnp_corr_conn_end(msnp_corr *c, uint64_t conn, msnp_time ts);

/* End of capture (or of patience): release every waiting event. */
void msnp_corr_flush(msnp_corr *c);

/* ---- summaries, delivered with the *_END events ----------------------- */

struct msnp_login_info {
    uint32_t sid;
    uint64_t conn;
    char user[MSNP_HANDLE_MAX];
    char nick[MSNP_HANDLE_MAX * 3]; /* URL-decoded friendly name */
    char client[96];                /* from CVR: client name and version, OS */
    char client_addr[64];
    uint64_t first_frame, last_frame;
    msnp_time first_ts, last_ts;
    uint8_t login_seen;    /* USR … OK was in the capture */
    uint32_t switchboards; /* switchboard connections tied to it */
    uint32_t transfers;    /* MSNFTP connections tied to it */
};

struct msnp_sb_info {
    char session_id[32];      /* "" when never seen */
    uint32_t sid;             /* of the first leg with a known login */
    uint64_t conns[MSNP_EV_MAX_LEGS];
    char link[MSNP_EV_MAX_LEGS][32]; /* per leg: how it was tied to its login */
    char users[MSNP_EV_MAX_LEGS][MSNP_HANDLE_MAX]; /* per leg: its local account */
    unsigned nconns;
    char participants[MSNP_EV_MAX_TO][MSNP_HANDLE_MAX]; /* everyone seen in it */
    unsigned nparticipants;
    uint64_t first_frame, last_frame;
    msnp_time first_ts, last_ts;
    uint32_t messages, typing, invites, others;
};

struct msnp_invite_info {
    char cookie[24];
    char session_id[32];
    uint32_t sid;
    uint64_t sb_conn;
    char inviter[MSNP_HANDLE_MAX], invitee[MSNP_HANDLE_MAX];
    char app[64];       /* Application-Name */
    char app_guid[48];
    char file[256];     /* Application-File, as sent (UTF-8) */
    uint64_t size;      /* Application-FileSize */
    uint8_t has_size;
    const char *outcome; /* invited, accepted, declined, cancelled, transferred,
                            incomplete, aborted */
    char cancel_code[32];
    char ip[48];        /* where the other side connects (ACCEPT) */
    uint32_t port;
    char auth_cookie[24];
    uint64_t first_frame, last_frame;
    msnp_time first_ts, last_ts;
    uint64_t ftp_conn;  /* 0: no MSNFTP connection matched */
    uint64_t bytes;     /* file bytes transferred */
    uint8_t md5[16];
    uint8_t md5_valid;  /* md5 is the digest of the whole announced file (never set when
                         * msnp_corr_limits.hash_files is off) */
};

typedef struct msnp_corr_stats {
    uint64_t logins, switchboards, linked_switchboards, transfers, linked_transfers;
    uint64_t messages, duplicate_legs, invites;
    uint64_t forgotten; /* entries dropped to stay within the limits */
    uint64_t payload_buffers; /* buffers allocated for message copies (reused) */
} msnp_corr_stats;

const msnp_corr_stats *msnp_corr_get_stats(const msnp_corr *c);

#ifdef __cplusplus
}
#endif
#endif
