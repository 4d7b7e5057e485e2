/* Correlation state shared by corr.c (connections, logins, switchboards),
 * corr_events.c (the ordered event queue and leg de-duplication) and
 * corr_invite.c (invitations and MSNFTP transfers). Internal to libmsnp. */
#ifndef MSNP_CORR_INTERNAL_H
#define MSNP_CORR_INTERNAL_H

#include "index.h"
#include "msnp/corr.h"
#include "msnp/md5.h"
#include "msnp/mime.h"

typedef struct login login;
typedef struct sbsess sbsess;
typedef struct invite invite;
typedef struct pending pending;
typedef struct cconn cconn;

enum { CORR_LEG_BUCKETS = 1024 };

/* A notification-server connection: one login session. */
struct login {
    msnp_login_info info;
    msnp_index_node host_node; /* by info.client_addr */
    uint8_t ended;
    unsigned refs; /* connections and referrals that refer to it */
    login *prev, *next; /* all logins, oldest first */
};

/* A switchboard conversation; legs join it when its session id is known. */
struct sbsess {
    msnp_index_node node; /* by session id, once known */
    msnp_sb_info info;
    char members[MSNP_EV_MAX_TO][MSNP_HANDLE_MAX]; /* in it now */
    unsigned nmembers;
    unsigned open_legs;
    cconn *leg_first, *leg_last; /* the connections that point here */
    sbsess *prev, *next;
};

struct cconn {
    /* What every command touches first, in one cache line. */
    uint64_t conn;
    uint8_t role;
    uint8_t ended;
    uint8_t login_forgotten; /* its login was dropped at the limit */
    login *login;   /* NS: its own; SB/FTP: the login it is tied to */
    sbsess *sess;   /* SB */
    struct cconn *prev, *next; /* least recently active first */
    const char *linked_by;
    invite *inv;    /* MSNFTP */
    cconn *leg_prev, *leg_next; /* the other connections of sess */
    uint64_t link_tried; /* logins seen when linking by address was last tried */
    char user[MSNP_HANDLE_MAX];
    char client[64], server[64];
    char challenge[64]; /* NS: the last CHL challenge, for QRY verification */
    /* MSNFTP */
    char ftp_user[MSNP_HANDLE_MAX];
    char ftp_cookie[24];
    uint64_t fil_size, ftp_bytes;
    uint8_t fil_seen, ftp_aborted, ftp_cancelled, ftp_done;
    msnp_md5_ctx md5;
    /* Its commands' frames and times while no invitation is linked: an
     * orphan transfer's record shows when it happened. */
    uint64_t ftp_first_frame, ftp_last_frame;
    msnp_time ftp_first_ts, ftp_last_ts;
};

/* A referral from the NS to a switchboard, waiting for the switchboard. */
typedef struct referral {
    msnp_index_node node; /* by cookie */
    char cookie[128];
    uint8_t rng;          /* RNG (invited) rather than XFR (caller) */
    uint32_t sid;
    login *login;
    char session_id[32];
    char sb_addr[64];
    msnp_time at; /* when the server gave it */
    struct referral *prev, *next;
} referral;

struct invite {
    msnp_index_node node;      /* by session + cookie */
    char key[80];
    msnp_index_node auth_node; /* by AuthCookie, once known */
    msnp_invite_info info;
    uint8_t ended;
    cconn *ftp; /* the MSNFTP connection carrying it out, while it lasts */
    invite *prev, *next;
};

/* An event waiting in the queue (copies of everything it shows). */
struct pending {
    msnp_event ev;
    sbsess *sess;      /* for message legs, and a join awaiting its name */
    unsigned expect;   /* legs expected (open legs of the conversation) */
    uint8_t final;
    uint8_t awaits_id; /* a join waiting for its conversation's session id */
    uint32_t hash;     /* of sender + payload, for leg matching */
    char session_id[32];
    char from[MSNP_HANDLE_MAX];
    char nick[MSNP_HANDLE_MAX];
    uint8_t *payload;
    void *summary; /* a copy of the login, sb or invite info of *_END events */
    pending *next;
    /* Messages are also chained by hash, so that a leg's copy is found
     * without walking the whole queue; seq keeps the queue's order there. */
    pending *leg_next, **leg_pprev;
    uint64_t seq;
    /* Last, and not cleared when allocated: only ev.nto entries are used. */
    char to[MSNP_EV_MAX_TO][MSNP_HANDLE_MAX];
    /* The buffer payload points into; a spare event keeps it (up to
     * CORR_KEEP_PAYLOAD bytes) for the next message's copy. */
    uint8_t *buf;
    uint32_t buf_cap;
};

struct msnp_corr {
    msnp_corr_limits lim;
    msnp_event_fn fn;
    void *ctx;
    msnp_idmap conns; /* cconn by connection number */
    msnp_index referrals, sessions, invites, auth;
    msnp_index login_hosts; /* logins by client address */
    cconn *conn_first, *conn_last;
    size_t nconns;
    login *login_first, *login_last;
    size_t nlogins;
    referral *ref_first, *ref_last;
    size_t nrefs;
    sbsess *sess_first, *sess_last;
    size_t nsessions;
    invite *inv_first, *inv_last;
    size_t ninvites;
    pending *q_first, *q_last;
    size_t q_count, q_bytes;
    pending *spare; /* released, for reuse (corr_events.c) */
    unsigned nspare;
    uint64_t q_seq;
    pending *legs[CORR_LEG_BUCKETS]; /* queued messages by hash & (buckets - 1) */
    uint32_t next_sid;
    msnp_time now;
    msnp_time swept; /* capture time of the last corr_expire() */
    msnp_corr_stats st;
};

/* corr.c */
void corr_copy(char *dst, size_t size, const uint8_t *p, size_t n);
void corr_set(char *dst, size_t size, const char *src); /* truncating copy */
void corr_arg(const msnp_corr_cmd *in, unsigned i, char *dst, size_t size);
int corr_has_member(const sbsess *s, const char *who);
/* The first and last frame and time of something the command belongs to. */
void corr_stamp(msnp_time *first, msnp_time *last, uint64_t *ffirst, uint64_t *flast,
                const msnp_corr_cmd *in);

/* The login a connection is tied to, or NULL; and taking a reference to a
 * login (released when the holder is forgotten). */
login *corr_login_of_conn(const msnp_corr *c, uint64_t conn);
void corr_login_hold(login *lg);

/* corr_events.c */
/* m: the MSG payload's MIME headers, NULL when they do not parse. */
void corr_queue_message(msnp_corr *c, cconn *cc, const msnp_corr_cmd *in, const msnp_mime *m,
                        const char *from, const char *nick);
void corr_queue_member(msnp_corr *c, cconn *cc, msnp_event_kind kind, const char *who,
                       const char *nick, int timeout, const msnp_corr_cmd *in);
void corr_queue_summary(msnp_corr *c, msnp_event_kind kind, const void *info, uint64_t frame,
                        msnp_time ts);
void corr_release(msnp_corr *c, int all);
/* A conversation merged into another (to) or freed (to == NULL): waiting
 * messages follow it. */
void corr_session_moved(msnp_corr *c, const sbsess *from, sbsess *to);
/* The conversation's session id is known now: the joins waiting for it take
 * it and go. */
void corr_session_named(msnp_corr *c, const sbsess *s);

/* corr_invite.c */
void corr_invite_message(msnp_corr *c, cconn *cc, const msnp_corr_cmd *in, const msnp_mime *m,
                         const char *from);
void corr_ftp_command(msnp_corr *c, cconn *cc, const msnp_corr_cmd *in);
void corr_ftp_end(msnp_corr *c, cconn *cc);
/* The connection no longer carries out its invitation (either side may go). */
void corr_ftp_unlink(cconn *cc);
void corr_invites_flush(msnp_corr *c);
/* True when `seconds` of capture time have passed from t to now. */
int corr_older_than(msnp_time t, msnp_time now, int64_t seconds);
/* Free invitations done with for good (see corr_expire() in corr.c). */
void corr_invites_expire(msnp_corr *c);
void corr_invites_free(msnp_corr *c);

#endif
