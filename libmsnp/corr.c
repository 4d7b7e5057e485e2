/* Correlation: connections, logins, referrals and switchboard conversations
 * (see corr.h). Events and invitations are in corr_events.c and
 * corr_invite.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corr_internal.h"
#include "msnp/mime.h"
#include "msnp/text.h"

/* Doubly-linked "oldest first" lists: one macro pair instead of six copies.
 * The _VIA forms name the link members, for an entry on two lists. */
#define LIST_APPEND_VIA(first, last, e, prev, next)                                      \
    do {                                                                                 \
        (e)->prev = (last);                                                              \
        (e)->next = NULL;                                                                \
        if (last)                                                                        \
            (last)->next = (e);                                                          \
        else                                                                             \
            (first) = (e);                                                               \
        (last) = (e);                                                                    \
    } while (0)
#define LIST_UNLINK_VIA(first, last, e, prev, next)                                      \
    do {                                                                                 \
        if ((e)->prev)                                                                   \
            (e)->prev->next = (e)->next;                                                 \
        else                                                                             \
            (first) = (e)->next;                                                         \
        if ((e)->next)                                                                   \
            (e)->next->prev = (e)->prev;                                                 \
        else                                                                             \
            (last) = (e)->prev;                                                          \
    } while (0)
#define LIST_APPEND(first, last, e) LIST_APPEND_VIA(first, last, e, prev, next)
#define LIST_UNLINK(first, last, e) LIST_UNLINK_VIA(first, last, e, prev, next)

void msnp_corr_limits_default(msnp_corr_limits *l)
{
    l->max_conns = 65536;
    l->max_logins = 16384;
    l->max_referrals = 16384;
    l->max_sessions = 16384;
    l->max_invites = 4096;
    l->max_pending = 4096;
    l->max_pending_bytes = 4u << 20;
    l->leg_window_ms = 2000;
    l->hash_files = 1;
}

msnp_corr *msnp_corr_new(const msnp_corr_limits *l, msnp_event_fn fn, void *ctx)
{
    msnp_corr *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    if (l)
        c->lim = *l;
    else
        msnp_corr_limits_default(&c->lim);
    c->fn = fn;
    c->ctx = ctx;
    c->next_sid = 1;
    return c;
}

/* ---- small helpers ------------------------------------------------------ */

void corr_copy(char *dst, size_t size, const uint8_t *p, size_t n)
{
    if (size == 0)
        return;
    if (n >= size)
        n = size - 1;
    memcpy(dst, p, n);
    dst[n] = '\0';
}

void corr_set(char *dst, size_t size, const char *src)
{
    corr_copy(dst, size, (const uint8_t *)src, strlen(src));
}

void corr_arg(const msnp_corr_cmd *in, unsigned i, char *dst, size_t size)
{
    msnp_span a = msnp_command_arg(in->cmd, in->pdu, i);
    corr_copy(dst, size, in->base + a.off, a.len);
}

static int cmd_is(const msnp_corr_cmd *in, const char *name)
{
    return in->cmd->info && memcmp(in->cmd->info->name, name, 3) == 0;
}

static int arg_is(const msnp_corr_cmd *in, unsigned i, const char *lit)
{
    return i < in->cmd->nargs &&
           msnp_span_eq(in->base, msnp_command_arg(in->cmd, in->pdu, i), lit);
}

/* The argument named `name` in the matched form, copied; 0 when absent. */
static int named(const msnp_corr_cmd *in, const char *name, char *dst, size_t size)
{
    int i = msnp_command_find_arg(in->cmd, in->pdu, name);
    if (i < 0)
        return 0;
    corr_arg(in, (unsigned)i, dst, size);
    return 1;
}

static void url_decoded(const msnp_corr_cmd *in, const char *name, char *dst, size_t size)
{
    int i = msnp_command_find_arg(in->cmd, in->pdu, name);
    dst[0] = '\0';
    if (i < 0)
        return;
    msnp_span a = msnp_command_arg(in->cmd, in->pdu, (unsigned)i);
    msnp_url_decode(in->base + a.off, a.len, dst, size);
}

/* "1.2.3.4:1863" -> "1.2.3.4"; "[2001:db8::1]:1863" -> "[2001:db8::1]". */
static size_t host_len(const char *ep)
{
    const char *colon = strrchr(ep, ':');
    return colon ? (size_t)(colon - ep) : strlen(ep);
}

int corr_has_member(const sbsess *s, const char *who)
{
    for (unsigned i = 0; i < s->nmembers; i++)
        if (strcmp(s->members[i], who) == 0)
            return 1;
    return 0;
}

void corr_stamp(msnp_time *first, msnp_time *last, uint64_t *ffirst, uint64_t *flast,
                const msnp_corr_cmd *in)
{
    if (*ffirst == 0) {
        *ffirst = in->frame;
        *first = in->ts;
    }
    *flast = in->frame;
    *last = in->ts;
}

/* ---- connections -------------------------------------------------------- */

static cconn *conn_find(const msnp_corr *c, uint64_t conn)
{
    return msnp_idmap_find(&c->conns, conn);
}

static void login_end(msnp_corr *c, login *lg);
static void login_free(msnp_corr *c, login *lg);
static void login_release(msnp_corr *c, login *lg);
static void sess_leave(msnp_corr *c, sbsess *s);
static void leg_drop(cconn *cc);

static void conn_forget(msnp_corr *c, cconn *cc)
{
    if (!cc->ended) {
        if (cc->role == MSNP_ROLE_FTP)
            corr_ftp_end(c, cc);
        if (cc->sess)
            sess_leave(c, cc->sess);
        if (cc->role == MSNP_ROLE_NS && cc->login)
            login_end(c, cc->login);
    }
    leg_drop(cc);
    corr_ftp_unlink(cc);
    login_release(c, cc->login);
    msnp_idmap_remove(&c->conns, cc->conn);
    LIST_UNLINK(c->conn_first, c->conn_last, cc);
    c->nconns--;
    free(cc);
}

static cconn *conn_get(msnp_corr *c, uint64_t conn, msnp_role role, const char *client,
                       const char *server)
{
    /* Commands come in runs on one connection: the last active one is the
     * list's tail, found without a probe and already in place. */
    if (c->conn_last && c->conn_last->conn == conn)
        return c->conn_last;
    cconn *cc = conn_find(c, conn);
    if (cc) {
        /* Most recently active last: the oldest are forgotten first. */
        LIST_UNLINK(c->conn_first, c->conn_last, cc);
        LIST_APPEND(c->conn_first, c->conn_last, cc);
        return cc;
    }
    while (c->nconns >= c->lim.max_conns && c->conn_first) {
        c->st.forgotten++;
        conn_forget(c, c->conn_first);
    }
    cc = calloc(1, sizeof *cc);
    if (!cc)
        return NULL;
    cc->conn = conn;
    cc->role = (uint8_t)role;
    corr_set(cc->client, sizeof cc->client, client ? client : "");
    corr_set(cc->server, sizeof cc->server, server ? server : "");
    if (msnp_idmap_put(&c->conns, conn, cc) != 0) {
        free(cc);
        return NULL;
    }
    LIST_APPEND(c->conn_first, c->conn_last, cc);
    c->nconns++;
    msnp_md5_init(&cc->md5);
    return cc;
}

/* ---- logins ------------------------------------------------------------- */

static void login_end(msnp_corr *c, login *lg)
{
    if (lg->ended)
        return;
    lg->ended = 1;
    corr_queue_summary(c, MSNP_EV_LOGIN_END, &lg->info, lg->info.last_frame, lg->info.last_ts);
    if (lg->refs == 0)
        login_free(c, lg);
}

static void login_free(msnp_corr *c, login *lg)
{
    /* Only eviction frees a login something still refers to. */
    for (cconn *cc = c->conn_first; lg->refs && cc; cc = cc->next) {
        if (cc->login == lg) {
            cc->login = NULL;
            cc->login_forgotten = 1; /* no new login for it: sids stay stable */
        }
    }
    for (referral *r = c->ref_first; lg->refs && r; r = r->next)
        if (r->login == lg)
            r->login = NULL;
    msnp_index_remove(&c->login_hosts, &lg->host_node);
    LIST_UNLINK(c->login_first, c->login_last, lg);
    c->nlogins--;
    free(lg);
}

/* Logins live while a connection or a referral refers to them, and until
 * they are summarised. */
void corr_login_hold(login *lg)
{
    if (lg)
        lg->refs++;
}

static void login_release(msnp_corr *c, login *lg)
{
    if (lg && lg->refs > 0 && --lg->refs == 0 && lg->ended)
        login_free(c, lg);
}

static login *login_new(msnp_corr *c, cconn *cc, const msnp_corr_cmd *in)
{
    while (c->nlogins >= c->lim.max_logins && c->login_first) {
        c->st.forgotten++;
        login *old = c->login_first;
        int referenced = old->refs > 0;
        login_end(c, old); /* frees it when nothing refers to it */
        if (referenced)
            login_free(c, old);
    }
    login *lg = calloc(1, sizeof *lg);
    if (!lg)
        return NULL;
    lg->info.sid = c->next_sid++;
    lg->info.conn = in->conn;
    corr_copy(lg->info.client_addr, sizeof lg->info.client_addr, (const uint8_t *)cc->client,
              host_len(cc->client));
    if (msnp_index_insert(&c->login_hosts, &lg->host_node, lg->info.client_addr) != 0) {
        free(lg);
        return NULL;
    }
    LIST_APPEND(c->login_first, c->login_last, lg);
    c->nlogins++;
    c->st.logins++;
    return lg;
}

static void learn_user(login *lg, const char *user)
{
    if (lg && !lg->info.user[0] && user[0])
        corr_set(lg->info.user, sizeof lg->info.user, user);
}

/* The commands of a notification server that tell who is signed in. */
static void ns_command(cconn *cc, const msnp_corr_cmd *in)
{
    login *lg = cc->login;
    char buf[MSNP_HANDLE_MAX * 3];
    if (cmd_is(in, "USR") && named(in, "user", buf, MSNP_HANDLE_MAX)) {
        if (in->dir == MSNP_DIR_S2C && arg_is(in, 0, "OK")) {
            corr_set(lg->info.user, sizeof lg->info.user, buf);
            url_decoded(in, "nick", lg->info.nick, sizeof lg->info.nick);
            lg->info.login_seen = 1;
        } else {
            learn_user(lg, buf);
        }
        corr_set(cc->user, sizeof cc->user, lg->info.user);
    } else if (cmd_is(in, "CVR") && in->dir == MSNP_DIR_C2S) {
        char name[32] = "", ver[32] = "", os[32] = "", osver[32] = "";
        named(in, "client_name", name, sizeof name);
        named(in, "client_version", ver, sizeof ver);
        named(in, "os_type", os, sizeof os);
        named(in, "os_version", osver, sizeof osver);
        snprintf(lg->info.client, sizeof lg->info.client, "%s %s (%s %s)", name, ver, os, osver);
        if (named(in, "user", buf, MSNP_HANDLE_MAX))
            learn_user(lg, buf);
    } else if (cmd_is(in, "CHL") && in->dir == MSNP_DIR_S2C) {
        named(in, "challenge", cc->challenge, sizeof cc->challenge);
    } else if (cmd_is(in, "REA") && in->dir == MSNP_DIR_S2C &&
               named(in, "user", buf, MSNP_HANDLE_MAX) && strcmp(buf, lg->info.user) == 0) {
        url_decoded(in, "nick", lg->info.nick, sizeof lg->info.nick);
    }
    if (!cc->user[0] && lg->info.user[0])
        corr_set(cc->user, sizeof cc->user, lg->info.user);
}

/* ---- referrals: XFR SB and RNG ------------------------------------------ */

static referral *ref_find(const msnp_corr *c, const char *cookie)
{
    msnp_index_node *n = msnp_index_find(&c->referrals, cookie);
    return n ? (referral *)((char *)n - offsetof(referral, node)) : NULL;
}

static void ref_free(msnp_corr *c, referral *r)
{
    login_release(c, r->login);
    msnp_index_remove(&c->referrals, &r->node);
    LIST_UNLINK(c->ref_first, c->ref_last, r);
    c->nrefs--;
    free(r);
}

static void note_referral(msnp_corr *c, cconn *cc, const msnp_corr_cmd *in, int rng)
{
    char cookie[128];
    if (!named(in, "cookie", cookie, sizeof cookie) || ref_find(c, cookie))
        return;
    while (c->nrefs >= c->lim.max_referrals && c->ref_first) {
        c->st.forgotten++;
        ref_free(c, c->ref_first);
    }
    referral *r = calloc(1, sizeof *r);
    if (!r)
        return;
    corr_set(r->cookie, sizeof r->cookie, cookie);
    r->rng = (uint8_t)rng;
    r->login = cc->login;
    r->sid = cc->login ? cc->login->info.sid : 0;
    named(in, "session_id", r->session_id, sizeof r->session_id);
    named(in, "sb_addr", r->sb_addr, sizeof r->sb_addr);
    r->at = c->now;
    if (msnp_index_insert(&c->referrals, &r->node, r->cookie) != 0) {
        free(r);
        return;
    }
    LIST_APPEND(c->ref_first, c->ref_last, r);
    c->nrefs++;
    corr_login_hold(r->login);
}

/* ---- switchboard conversations ----------------------------------------- */

static void sess_free(msnp_corr *c, sbsess *s);

/* Each session lists the connections pointing at it, so that ending or
 * merging one never walks every connection. */
static void leg_join(sbsess *s, cconn *cc)
{
    cc->sess = s;
    LIST_APPEND_VIA(s->leg_first, s->leg_last, cc, leg_prev, leg_next);
}

static void leg_drop(cconn *cc)
{
    sbsess *s = cc->sess;
    if (!s)
        return;
    LIST_UNLINK_VIA(s->leg_first, s->leg_last, cc, leg_prev, leg_next);
    cc->sess = NULL;
    cc->leg_prev = cc->leg_next = NULL;
}

static sbsess *sess_new(msnp_corr *c)
{
    while (c->nsessions >= c->lim.max_sessions && c->sess_first) {
        sbsess *old = c->sess_first;
        c->st.forgotten++;
        while (old->leg_first)
            leg_drop(old->leg_first);
        sess_free(c, old);
    }
    sbsess *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    LIST_APPEND(c->sess_first, c->sess_last, s);
    c->nsessions++;
    return s;
}

static void sess_free(msnp_corr *c, sbsess *s)
{
    corr_session_moved(c, s, NULL);
    if (s->info.session_id[0])
        msnp_index_remove(&c->sessions, &s->node);
    LIST_UNLINK(c->sess_first, c->sess_last, s);
    c->nsessions--;
    free(s);
}

static void add_participant(sbsess *s, const char *who)
{
    for (unsigned i = 0; i < s->info.nparticipants; i++)
        if (strcmp(s->info.participants[i], who) == 0)
            return;
    if (s->info.nparticipants < MSNP_EV_MAX_TO)
        corr_set(s->info.participants[s->info.nparticipants++], MSNP_HANDLE_MAX, who);
}

static void member_join(msnp_corr *c, cconn *cc, const char *who, const char *nick,
                        const msnp_corr_cmd *in)
{
    sbsess *s = cc->sess;
    if (!who[0] || corr_has_member(s, who))
        return;
    if (s->nmembers < MSNP_EV_MAX_TO)
        corr_set(s->members[s->nmembers++], MSNP_HANDLE_MAX, who);
    add_participant(s, who);
    corr_queue_member(c, cc, MSNP_EV_JOIN, who, nick, 0, in);
}

static void member_leave(msnp_corr *c, cconn *cc, const char *who, int timeout,
                         const msnp_corr_cmd *in)
{
    sbsess *s = cc->sess;
    for (unsigned i = 0; i < s->nmembers; i++) {
        if (strcmp(s->members[i], who) == 0) {
            memmove(s->members[i], s->members[i + 1],
                    (s->nmembers - i - 1) * sizeof s->members[0]);
            s->nmembers--;
            corr_queue_member(c, cc, MSNP_EV_LEAVE, who, NULL, timeout, in);
            return;
        }
    }
}

/* A leg learns its session id: join the conversation other legs are in. */
static void sess_set_id(msnp_corr *c, cconn *cc, const char *id)
{
    sbsess *s = cc->sess;
    if (!id[0] || s->info.session_id[0])
        return;
    msnp_index_node *n = msnp_index_find(&c->sessions, id);
    sbsess *other = n ? (sbsess *)((char *)n - offsetof(sbsess, node)) : NULL;
    if (other && other != s) {
        /* Merge this leg's conversation into the known one. */
        for (unsigned i = 0; i < s->nmembers; i++)
            if (!corr_has_member(other, s->members[i]) && other->nmembers < MSNP_EV_MAX_TO)
                snprintf(other->members[other->nmembers++], MSNP_HANDLE_MAX, "%s",
                         s->members[i]);
        for (unsigned i = 0; i < s->info.nparticipants; i++)
            add_participant(other, s->info.participants[i]);
        for (unsigned i = 0; i < s->info.nconns && other->info.nconns < MSNP_EV_MAX_LEGS; i++) {
            unsigned k = other->info.nconns++;
            other->info.conns[k] = s->info.conns[i];
            memcpy(other->info.link[k], s->info.link[i], sizeof other->info.link[k]);
            memcpy(other->info.users[k], s->info.users[i], sizeof other->info.users[k]);
        }
        other->info.messages += s->info.messages;
        other->info.typing += s->info.typing;
        other->info.invites += s->info.invites;
        other->info.others += s->info.others;
        if (!other->info.sid)
            other->info.sid = s->info.sid;
        if (s->info.first_frame && s->info.first_frame < other->info.first_frame) {
            other->info.first_frame = s->info.first_frame;
            other->info.first_ts = s->info.first_ts;
        }
        other->open_legs += s->open_legs;
        while (s->leg_first) {
            cconn *k = s->leg_first;
            leg_drop(k);
            leg_join(other, k);
        }
        corr_session_moved(c, s, other);
        sess_free(c, s);
        corr_session_named(c, other);
        return;
    }
    corr_set(s->info.session_id, sizeof s->info.session_id, id);
    if (msnp_index_insert(&c->sessions, &s->node, s->info.session_id) != 0)
        s->info.session_id[0] = '\0';
    else
        corr_session_named(c, s);
}

static void sess_leave(msnp_corr *c, sbsess *s)
{
    if (s->open_legs > 0)
        s->open_legs--;
    if (s->open_legs == 0) {
        corr_queue_summary(c, MSNP_EV_SB_END, &s->info, s->info.last_frame, s->info.last_ts);
        while (s->leg_first)
            leg_drop(s->leg_first);
        sess_free(c, s);
    }
}

/* Tie a switchboard leg to the login that sent its client there. */
static void sb_link(msnp_corr *c, cconn *cc, const char *cookie, int rng)
{
    referral *r = cookie[0] ? ref_find(c, cookie) : NULL;
    if (r && r->rng == rng) {
        cc->login = r->login;
        corr_login_hold(cc->login);
        cc->linked_by = rng ? "RNG cookie" : "XFR cookie";
        if (r->session_id[0])
            sess_set_id(c, cc, r->session_id);
        ref_free(c, r);
    } else {
        /* No referral in the capture: the one login of this client address
         * and account, if there is exactly one. */
        login *found = NULL;
        char host[sizeof found->info.client_addr];
        corr_copy(host, sizeof host, (const uint8_t *)cc->client, host_len(cc->client));
        int n = 0;
        for (msnp_index_node *e = msnp_index_find(&c->login_hosts, host); e;
             e = msnp_index_find_next(e)) {
            login *lg = (login *)((char *)e - offsetof(login, host_node));
            if (lg->ended)
                continue;
            if (lg->info.user[0] && cc->user[0] && strcmp(lg->info.user, cc->user) != 0)
                continue;
            found = lg;
            n++;
        }
        if (n == 1) {
            cc->login = found;
            corr_login_hold(found);
            cc->linked_by = "client address";
        }
    }
    if (cc->login) {
        learn_user(cc->login, cc->user);
        cc->login->info.switchboards++;
        c->st.linked_switchboards++;
        if (cc->sess && !cc->sess->info.sid)
            cc->sess->info.sid = cc->login->info.sid;
    }
    sbsess *s = cc->sess;
    for (unsigned i = 0; i < s->info.nconns; i++) {
        if (s->info.conns[i] == cc->conn) {
            snprintf(s->info.link[i], sizeof s->info.link[i], "%s",
                     cc->linked_by ? cc->linked_by : "none");
            corr_set(s->info.users[i], sizeof s->info.users[i], cc->user);
        }
    }
}

/* A leg picked up after its USR or ANS: its own typing notifications name
 * its account (TypingUser), and then its login may be found by address. */
static void learn_leg_user(cconn *cc, const msnp_corr_cmd *in, const msnp_mime *m)
{
    const uint8_t *p = in->base + in->pdu->payload.off;
    if (!m || !msnp_span_ieq(p, m->content_type, "text/x-msmsgscontrol"))
        return;
    const msnp_field *f = msnp_fields_find(&m->headers, p, "TypingUser");
    if (!f || !f->value.len || !memchr(p + f->value.off, '@', f->value.len))
        return;
    corr_copy(cc->user, sizeof cc->user, p + f->value.off, f->value.len);
}

static void sb_command(msnp_corr *c, cconn *cc, const msnp_corr_cmd *in)
{
    sbsess *s = cc->sess;
    corr_stamp(&s->info.first_ts, &s->info.last_ts, &s->info.first_frame, &s->info.last_frame,
               in);
    char who[MSNP_HANDLE_MAX], nick[MSNP_HANDLE_MAX * 3], buf[128];
    if (in->dir == MSNP_DIR_C2S && (cmd_is(in, "USR") || cmd_is(in, "ANS")) &&
        named(in, "user", who, sizeof who)) {
        corr_set(cc->user, sizeof cc->user, who);
        buf[0] = '\0';
        named(in, "cookie", buf, sizeof buf);
        if (cmd_is(in, "ANS")) {
            char id[32];
            if (named(in, "session_id", id, sizeof id))
                sess_set_id(c, cc, id);
        }
        if (!cc->linked_by)
            sb_link(c, cc, buf, cmd_is(in, "ANS"));
    } else if (in->dir == MSNP_DIR_S2C && cmd_is(in, "CAL") && named(in, "session_id", buf, 32)) {
        sess_set_id(c, cc, buf);
    } else if (in->dir == MSNP_DIR_S2C && (cmd_is(in, "USR") || cmd_is(in, "ANS")) &&
               arg_is(in, 0, "OK")) {
        if (named(in, "user", who, sizeof who) && !cc->user[0])
            corr_set(cc->user, sizeof cc->user, who);
        url_decoded(in, "nick", nick, sizeof nick);
        member_join(c, cc, cc->user, cmd_is(in, "USR") ? nick : "", in);
    } else if (in->dir == MSNP_DIR_S2C && (cmd_is(in, "IRO") || cmd_is(in, "JOI")) &&
               named(in, "user", who, sizeof who)) {
        url_decoded(in, "nick", nick, sizeof nick);
        member_join(c, cc, who, nick, in);
    } else if (in->dir == MSNP_DIR_S2C && cmd_is(in, "BYE") && named(in, "user", who, sizeof who)) {
        member_leave(c, cc, who, arg_is(in, 1, "1"), in);
    } else if (in->dir == MSNP_DIR_C2S && cmd_is(in, "OUT") && cc->user[0]) {
        member_leave(c, cc, cc->user, 0, in);
    } else if (cmd_is(in, "MSG") && in->pdu->has_payload) {
        msnp_mime mime;
        const msnp_mime *m;
        if (in->mime)
            m = in->mime->headers.count ? in->mime : NULL;
        else
            m = msnp_mime_parse(in->base + in->pdu->payload.off, in->pdu->payload.len,
                                &mime) == 0
                    ? &mime
                    : NULL;
        if (in->dir == MSNP_DIR_C2S && !cc->user[0])
            learn_leg_user(cc, in, m);
        /* Tie a leg picked up mid-conversation to its login by address,
         * again whenever a new login has appeared since the last try. */
        if (!cc->linked_by && cc->user[0] && cc->link_tried != c->st.logins) {
            cc->link_tried = c->st.logins;
            sb_link(c, cc, "", 0);
        }
        const char *from = cc->user[0] ? cc->user : NULL;
        nick[0] = '\0';
        if (in->dir == MSNP_DIR_S2C && named(in, "user", who, sizeof who)) {
            from = who;
            url_decoded(in, "nick", nick, sizeof nick);
        }
        corr_invite_message(c, cc, in, m, from);
        corr_queue_message(c, cc, in, m, from, nick);
    }
}

/* ---- the entry points --------------------------------------------------- */

login *corr_login_of_conn(const msnp_corr *c, uint64_t conn)
{
    const cconn *cc = conn_find(c, conn);
    return cc ? cc->login : NULL;
}

static void describe(const cconn *cc, msnp_corr_note *note)
{
    memset(note, 0, sizeof *note);
    if (!cc)
        return;
    if (cc->login)
        note->sid = cc->login->info.sid;
    else if (cc->inv)
        note->sid = cc->inv->info.sid;
    note->user = cc->user[0] ? cc->user : NULL;
    note->session_id = cc->sess && cc->sess->info.session_id[0] ? cc->sess->info.session_id : NULL;
    note->linked_by = cc->linked_by;
    note->challenge = cc->challenge[0] ? cc->challenge : NULL;
}

void msnp_corr_describe(const msnp_corr *c, uint64_t conn, msnp_corr_note *note)
{
    describe(conn_find(c, conn), note);
}

/* State nothing will ask for again is dropped as capture time passes, so that
 * memory follows the traffic open at once rather than the length of the
 * capture (the limits only cap the worst case). A switchboard cookie is used
 * within seconds of XFR or RNG, or never (a ring not answered, a conversation
 * not started); once it goes, the login it held may go too. Invitations go
 * in corr_invites_expire(). */
enum {
    SWEEP_EVERY_S = 10,
    REFERRAL_TTL_S = 600
};

int corr_older_than(msnp_time t, msnp_time now, int64_t seconds)
{
    return now.sec > t.sec && (uint64_t)now.sec - (uint64_t)t.sec > (uint64_t)seconds;
}

static void corr_expire(msnp_corr *c)
{
    if (!corr_older_than(c->swept, c->now, SWEEP_EVERY_S) && c->swept.sec <= c->now.sec)
        return;
    c->swept = c->now;
    while (c->ref_first && corr_older_than(c->ref_first->at, c->now, REFERRAL_TTL_S))
        ref_free(c, c->ref_first);
    corr_invites_expire(c);
}

void msnp_corr_command(msnp_corr *c, const msnp_corr_cmd *in, msnp_corr_note *note)
{
    c->now = in->ts;
    corr_expire(c);
    cconn *cc = conn_get(c, in->conn, in->role, in->client, in->server);
    if (!cc) {
        memset(note, 0, sizeof *note);
        return;
    }
    if (cc->role == MSNP_ROLE_UNKNOWN && in->role != MSNP_ROLE_UNKNOWN)
        cc->role = (uint8_t)in->role;
    switch (cc->role) {
    case MSNP_ROLE_NS:
        if (!cc->login && !cc->login_forgotten) {
            cc->login = login_new(c, cc, in);
            corr_login_hold(cc->login);
            cc->linked_by = "notification server";
        }
        if (cc->login) {
            login *lg = cc->login;
            corr_stamp(&lg->info.first_ts, &lg->info.last_ts, &lg->info.first_frame,
                       &lg->info.last_frame, in);
            ns_command(cc, in);
            if (in->dir == MSNP_DIR_S2C && cmd_is(in, "XFR") && arg_is(in, 0, "SB"))
                note_referral(c, cc, in, 0);
            else if (in->dir == MSNP_DIR_S2C && cmd_is(in, "RNG"))
                note_referral(c, cc, in, 1);
        }
        break;
    case MSNP_ROLE_SB:
        if (!cc->sess) {
            sbsess *s = sess_new(c);
            if (!s)
                break;
            leg_join(s, cc);
            cc->sess->open_legs++;
            if (cc->sess->info.nconns < MSNP_EV_MAX_LEGS)
                cc->sess->info.conns[cc->sess->info.nconns++] = cc->conn;
            c->st.switchboards++;
        }
        sb_command(c, cc, in);
        break;
    case MSNP_ROLE_FTP:
        corr_ftp_command(c, cc, in);
        break;
    default:
        break;
    }
    corr_release(c, 0);
    describe(cc, note); /* still there: only the limits and conn_end forget one */
}

void msnp_corr_ftp_data(msnp_corr *c, uint64_t conn, const char *client, const char *server,
                        const uint8_t *p, size_t n)
{
    cconn *cc = conn_get(c, conn, MSNP_ROLE_FTP, client, server);
    if (!cc || cc->ended)
        return;
    if (c->fn && c->lim.hash_files) /* the digest goes out only in events */
        msnp_md5_update(&cc->md5, p, n);
    cc->ftp_bytes += n;
}

void msnp_corr_ftp_abort(msnp_corr *c, uint64_t conn)
{
    cconn *cc = conn_find(c, conn);
    if (cc)
        cc->ftp_aborted = 1;
}

void msnp_corr_conn_end(msnp_corr *c, uint64_t conn, msnp_time ts)
{
    c->now = ts;
    cconn *cc = conn_find(c, conn);
    if (cc) {
        if (cc->role == MSNP_ROLE_FTP)
            corr_ftp_end(c, cc);
        if (cc->sess) {
            sbsess *s = cc->sess;
            leg_drop(cc);
            sess_leave(c, s);
        }
        if (cc->role == MSNP_ROLE_NS && cc->login)
            login_end(c, cc->login);
        cc->ended = 1;
        conn_forget(c, cc);
    }
    corr_release(c, 0);
}

void msnp_corr_flush(msnp_corr *c)
{
    while (c->conn_first)
        conn_forget(c, c->conn_first);
    for (login *lg = c->login_first, *next; lg; lg = next) {
        next = lg->next;
        login_end(c, lg);
    }
    while (c->sess_first) {
        sbsess *s = c->sess_first;
        s->open_legs = 1;
        sess_leave(c, s);
    }
    corr_invites_flush(c);
    corr_release(c, 1);
}

const msnp_corr_stats *msnp_corr_get_stats(const msnp_corr *c)
{
    return &c->st;
}

void msnp_corr_free(msnp_corr *c)
{
    if (!c)
        return;
    while (c->conn_first) {
        cconn *cc = c->conn_first;
        cc->ended = 1;
        conn_forget(c, cc);
    }
    while (c->login_first)
        login_free(c, c->login_first);
    while (c->ref_first)
        ref_free(c, c->ref_first);
    while (c->sess_first)
        sess_free(c, c->sess_first);
    corr_invites_free(c);
    while (c->q_first) {
        pending *p = c->q_first;
        c->q_first = p->next;
        free(p->buf);
        free(p->summary);
        free(p);
    }
    while (c->spare) {
        pending *p = c->spare;
        c->spare = p->next;
        free(p->buf);
        free(p);
    }
    msnp_idmap_free(&c->conns);
    msnp_index_free(&c->login_hosts);
    msnp_index_free(&c->referrals);
    msnp_index_free(&c->sessions);
    msnp_index_free(&c->invites);
    msnp_index_free(&c->auth);
    free(c);
}
