/* The correlator's event queue: events leave in capture order; a message
 * waits (within limits) until every open leg of its conversation has shown
 * it, so that it is reported once with all its frames. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corr_internal.h"
#include "msnp/mime.h"

/* Released events are kept for reuse, a few, with their payload buffers:
 * otherwise an event and a copy of its payload are allocated per message.
 * A spare keeps a buffer of at most CORR_KEEP_PAYLOAD bytes, at least
 * CORR_MIN_PAYLOAD, so the spares keep at most 64 x 2 KiB between them. */
enum { SPARE_MAX = 64, CORR_MIN_PAYLOAD = 512, CORR_KEEP_PAYLOAD = 2048 };

static pending *pend_new(msnp_corr *c, msnp_event_kind kind, uint64_t frame, msnp_time ts)
{
    pending *p = c->spare;
    if (p) {
        c->spare = p->next;
        c->nspare--;
    } else if ((p = malloc(sizeof *p)) == NULL) {
        return NULL;
    } else {
        p->buf = NULL;
        p->buf_cap = 0;
    }
    memset(p, 0, offsetof(pending, to));
    p->ev.kind = kind;
    p->ev.frame = frame;
    p->ev.ts = ts;
    p->seq = ++c->q_seq;
    if (c->q_last)
        c->q_last->next = p;
    else
        c->q_first = p;
    c->q_last = p;
    c->q_count++;
    return p;
}

static void add_leg(pending *p, uint64_t conn, uint64_t frame)
{
    if (p->ev.nlegs < MSNP_EV_MAX_LEGS) {
        p->ev.conns[p->ev.nlegs] = conn;
        p->ev.frames[p->ev.nlegs] = frame;
        p->ev.nlegs++;
    }
}

/* The event's copy of its conversation's session id. */
static void set_session_id(pending *p, const sbsess *s)
{
    memcpy(p->session_id, s->info.session_id, sizeof p->session_id);
    p->ev.session_id = p->session_id;
}

/* Who, in what conversation, on which login: the parts every event has. */
static void fill_context(pending *p, const cconn *cc)
{
    p->ev.sid = cc->login ? cc->login->info.sid : 0;
    if (cc->sess && cc->sess->info.session_id[0])
        set_session_id(p, cc->sess);
}

static void set_from(pending *p, const char *from, const char *nick)
{
    if (from && from[0]) {
        corr_set(p->from, sizeof p->from, from);
        p->ev.from = p->from;
    }
    if (nick && nick[0]) {
        corr_set(p->nick, sizeof p->nick, nick);
        p->ev.from_nick = p->nick;
    }
}

void corr_queue_member(msnp_corr *c, cconn *cc, msnp_event_kind kind, const char *who,
                       const char *nick, int timeout, const msnp_corr_cmd *in)
{
    if (!c->fn)
        return; /* nobody listens: no events to keep in order */
    pending *p = pend_new(c, kind, in->frame, in->ts);
    if (!p)
        return;
    fill_context(p, cc);
    set_from(p, who, nick);
    p->ev.leave_timeout = (uint8_t)timeout;
    add_leg(p, cc->conn, in->frame);
    /* A caller is in its conversation with USR's OK, a moment before CAL's
     * RINGING names the conversation: its join waits for the name (at most
     * the leg window), to carry the session id of the lines that follow. */
    if (kind == MSNP_EV_JOIN && cc->sess && !p->ev.session_id) {
        p->sess = cc->sess;
        p->awaits_id = 1;
    } else {
        p->final = 1;
    }
}

void corr_queue_summary(msnp_corr *c, msnp_event_kind kind, const void *info, uint64_t frame,
                        msnp_time ts)
{
    if (!c->fn)
        return;
    size_t size = kind == MSNP_EV_LOGIN_END ? sizeof(msnp_login_info)
                  : kind == MSNP_EV_SB_END  ? sizeof(msnp_sb_info)
                                            : sizeof(msnp_invite_info);
    void *copy = malloc(size);
    pending *p = copy ? pend_new(c, kind, frame, ts) : NULL;
    if (!p) {
        free(copy);
        return;
    }
    memcpy(copy, info, size);
    p->summary = copy;
    switch (kind) {
    case MSNP_EV_LOGIN_END:
        p->ev.login = copy;
        p->ev.sid = p->ev.login->sid;
        break;
    case MSNP_EV_SB_END:
        p->ev.sb = copy;
        p->ev.sid = p->ev.sb->sid;
        break;
    default:
        p->ev.invite = copy;
        p->ev.sid = p->ev.invite->sid;
        break;
    }
    p->final = 1;
}

/* Eight bytes a step: every message of a conversation with two legs is
 * hashed. Only compared within one run, so byte order does not matter. */
static uint32_t hash_bytes(uint32_t seed, const uint8_t *p, size_t n)
{
    uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 29;
    }
    uint64_t tail = 0;
    memcpy(&tail, p + i, n - i);
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53ULL;
    return (uint32_t)(h ^ (h >> 32));
}

static msnp_event_kind kind_of(const uint8_t *payload, const msnp_mime *m)
{
    if (!m)
        return MSNP_EV_OTHER;
    if (msnp_span_ieq(payload, m->content_type, "text/plain"))
        return MSNP_EV_MESSAGE;
    if (msnp_span_ieq(payload, m->content_type, "text/x-msmsgscontrol"))
        return MSNP_EV_TYPING;
    if (msnp_span_ieq(payload, m->content_type, "text/x-msmsgsinvite"))
        return MSNP_EV_INVITE;
    return MSNP_EV_OTHER;
}

static void legs_link(msnp_corr *c, pending *p)
{
    pending **head = &c->legs[p->hash & (CORR_LEG_BUCKETS - 1)];
    p->leg_next = *head;
    if (p->leg_next)
        p->leg_next->leg_pprev = &p->leg_next;
    p->leg_pprev = head;
    *head = p;
}

static void legs_unlink(pending *p)
{
    if (!p->leg_pprev)
        return;
    *p->leg_pprev = p->leg_next;
    if (p->leg_next)
        p->leg_next->leg_pprev = p->leg_pprev;
    p->leg_pprev = NULL;
    p->leg_next = NULL;
}

/* The same message already waiting for this leg? The oldest, if several. */
static pending *find_leg(msnp_corr *c, const cconn *cc, uint32_t h, const char *from,
                         const uint8_t *payload, uint32_t n)
{
    pending *oldest = NULL;
    for (pending *p = c->legs[h & (CORR_LEG_BUCKETS - 1)]; p; p = p->leg_next) {
        if (p->final || p->sess != cc->sess || p->hash != h || p->ev.payload_len != n ||
            (oldest && oldest->seq < p->seq) || memcmp(p->payload, payload, n) != 0 ||
            strcmp(p->from, from ? from : "") != 0)
            continue;
        int seen = 0;
        for (unsigned i = 0; i < p->ev.nlegs; i++)
            seen |= p->ev.conns[i] == cc->conn;
        if (!seen)
            oldest = p;
    }
    return oldest;
}

void corr_queue_message(msnp_corr *c, cconn *cc, const msnp_corr_cmd *in, const msnp_mime *m,
                        const char *from, const char *nick)
{
    if (!c->fn)
        return;
    const uint8_t *payload = in->base + in->pdu->payload.off;
    uint32_t n = in->pdu->payload.len;
    uint32_t h = hash_bytes(hash_bytes(2166136261u, (const uint8_t *)(from ? from : ""),
                                       from ? strlen(from) : 0),
                            payload, n);
    pending *p = cc->sess ? find_leg(c, cc, h, from, payload, n) : NULL;
    if (p) {
        add_leg(p, cc->conn, in->frame);
        c->st.duplicate_legs++;
        if (p->ev.nlegs >= p->expect)
            p->final = 1;
        return;
    }
    p = pend_new(c, kind_of(payload, m), in->frame, in->ts);
    if (!p)
        return;
    if (n > p->buf_cap || !p->buf) {
        uint32_t cap = n < CORR_MIN_PAYLOAD ? CORR_MIN_PAYLOAD : n;
        free(p->buf);
        p->buf_cap = 0;
        if ((p->buf = malloc(cap)) == NULL) {
            p->final = 1;
            return;
        }
        p->buf_cap = cap;
        c->st.payload_buffers++;
    }
    p->payload = p->buf;
    memcpy(p->payload, payload, n);
    p->ev.payload = p->payload;
    p->ev.payload_len = n;
    c->q_bytes += n;
    p->hash = h;
    p->sess = cc->sess;
    fill_context(p, cc);
    set_from(p, from, nick);
    add_leg(p, cc->conn, in->frame);
    c->st.messages++;
    sbsess *s = cc->sess;
    if (s) {
        p->ev.to_known = s->nmembers > 0;
        for (unsigned i = 0; i < s->nmembers && p->ev.nto < MSNP_EV_MAX_TO; i++) {
            if (from && strcmp(s->members[i], from) == 0)
                continue;
            memcpy(p->to[p->ev.nto], s->members[i], sizeof p->to[0]);
            p->ev.to[p->ev.nto] = p->to[p->ev.nto];
            p->ev.nto++;
        }
        uint32_t *count = p->ev.kind == MSNP_EV_MESSAGE  ? &s->info.messages
                          : p->ev.kind == MSNP_EV_TYPING ? &s->info.typing
                          : p->ev.kind == MSNP_EV_INVITE ? &s->info.invites
                                                         : &s->info.others;
        (*count)++;
    }
    p->expect = s ? s->open_legs : 1;
    if (p->expect <= 1)
        p->final = 1;
    else
        legs_link(c, p);
}

void corr_session_moved(msnp_corr *c, const sbsess *from, sbsess *to)
{
    for (pending *p = c->q_first; p; p = p->next) {
        if (p->sess != from)
            continue;
        p->sess = to;
        if (!to && p->awaits_id) { /* it will have no name: no reason to wait */
            p->awaits_id = 0;
            p->final = 1;
        }
    }
}

void corr_session_named(msnp_corr *c, const sbsess *s)
{
    for (pending *p = c->q_first; p; p = p->next) {
        if (!p->awaits_id || p->sess != s)
            continue;
        set_session_id(p, s);
        p->awaits_id = 0;
        p->final = 1;
    }
}

static int64_t ms_between(msnp_time a, msnp_time b)
{
    return (b.sec - a.sec) * 1000 + ((int64_t)b.usec - (int64_t)a.usec) / 1000;
}

void corr_release(msnp_corr *c, int all)
{
    while (c->q_first) {
        pending *p = c->q_first;
        int go = all || p->final || c->q_count > c->lim.max_pending ||
                 c->q_bytes > c->lim.max_pending_bytes ||
                 ms_between(p->ev.ts, c->now) > (int64_t)c->lim.leg_window_ms;
        if (!go)
            break;
        c->q_first = p->next;
        if (!c->q_first)
            c->q_last = NULL;
        c->q_count--;
        c->q_bytes -= p->ev.payload_len;
        legs_unlink(p);
        if (c->fn)
            c->fn(c->ctx, &p->ev);
        free(p->summary);
        if (c->nspare < SPARE_MAX) {
            if (p->buf_cap > CORR_KEEP_PAYLOAD) {
                free(p->buf);
                p->buf = NULL;
                p->buf_cap = 0;
            }
            p->next = c->spare;
            c->spare = p;
            c->nspare++;
        } else {
            free(p->buf);
            free(p);
        }
    }
}
