/* HTTP gateway carriers (see gateway.h). */
#include "gateway.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msnp/gateway.h"

enum {
    FIFO_MAX = 16,    /* requests awaiting their response on one carrier */
    SAMPLE_MAX = 120, /* capture bytes shown with an anomaly */
    NAME_MAX_ = 64    /* Server= and IP= values kept */
};

typedef enum half_state {
    H_HEAD,     /* expecting the head of the next message */
    H_BODY,     /* body_left more bytes of body */
    H_TO_CLOSE, /* a body delimited by the end of the connection */
    H_LOST      /* out of step: looking for the next message head */
} half_state;

typedef struct half {
    uint8_t state;
    uint8_t at_line_start; /* H_LOST: the previous byte ended a line */
    uint8_t close_after;   /* the response said Session=close */
    uint8_t resynced;      /* messages were lost since the last head */
    uint64_t body_left;
    uint64_t lost;         /* H_LOST: bytes skipped so far */
    void *session;         /* the body's session, NULL when it has none */
    uint8_t *head;         /* a head split over segments */
    size_t len, cap;
} half;

struct gw_carrier {
    void *owner;
    gw_carrier *prev, *next; /* every carrier, to forget ended sessions */
    half h[2];
    int client_side; /* -1 until the first message tells */
    uint8_t gateway, plain;
    void *fifo[FIFO_MAX];
    unsigned fifo_first, fifo_n;
};

struct gw_demux {
    gw_callbacks cb;
    msnp_gw_chain *chain;
    gw_carrier *carriers;
    size_t buffered, max_buffered;
    gw_counts counts;
};

gw_demux *gw_demux_new(const gw_callbacks *cb, size_t max_sessions, size_t max_buffered)
{
    gw_demux *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->cb = *cb;
    g->max_buffered = max_buffered;
    g->chain = msnp_gw_chain_new(max_sessions);
    if (!g->chain) {
        free(g);
        return NULL;
    }
    return g;
}

void gw_demux_free(gw_demux *g)
{
    if (!g)
        return;
    while (g->carriers)
        gw_carrier_free(g, g->carriers);
    msnp_gw_chain_free(g->chain);
    free(g);
}

const gw_counts *gw_demux_counts(const gw_demux *g)
{
    return &g->counts;
}

/* No carrier may hold on to a session that is gone. */
static void purge(gw_demux *g, void *session)
{
    for (gw_carrier *c = g->carriers; c; c = c->next) {
        for (int s = 0; s < 2; s++)
            if (c->h[s].session == session)
                c->h[s].session = NULL;
        for (unsigned i = 0; i < c->fifo_n; i++)
            if (c->fifo[(c->fifo_first + i) % FIFO_MAX] == session)
                c->fifo[(c->fifo_first + i) % FIFO_MAX] = NULL;
    }
}

void gw_demux_forget(gw_demux *g, void *session)
{
    msnp_gw_chain_drop(g->chain, session);
    purge(g, session);
}

static void end_session(gw_demux *g, void *session, int evicted)
{
    gw_demux_forget(g, session);
    g->cb.close(g->cb.ctx, session, evicted);
}

int gw_looks_like_http(const uint8_t *p, size_t n)
{
    return msnp_http_looks_like(p, n);
}

gw_carrier *gw_carrier_new(gw_demux *g, void *owner)
{
    gw_carrier *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->owner = owner;
    c->client_side = -1;
    c->next = g->carriers;
    if (g->carriers)
        g->carriers->prev = c;
    g->carriers = c;
    return c;
}

static void drop_head(gw_demux *g, half *h)
{
    g->buffered -= h->cap;
    free(h->head);
    h->head = NULL;
    h->len = h->cap = 0;
}

void gw_carrier_free(gw_demux *g, gw_carrier *c)
{
    if (!c)
        return;
    for (int s = 0; s < 2; s++)
        drop_head(g, &c->h[s]);
    if (c->prev)
        c->prev->next = c->next;
    else
        g->carriers = c->next;
    if (c->next)
        c->next->prev = c->prev;
    free(c);
}

int gw_carrier_is_gateway(const gw_carrier *c)
{
    return c->gateway;
}

static void anomaly(gw_demux *g, gw_carrier *c, int side, const char *kind, const char *detail,
                    uint64_t bytes, const uint8_t *sample, size_t n)
{
    if (sample) {
        const uint8_t *lf = memchr(sample, '\n', n);
        if (lf)
            n = (size_t)(lf - sample);
    }
    g->cb.anomaly(g->cb.ctx, c->owner, side, kind, detail, bytes, sample,
                  n < SAMPLE_MAX ? n : SAMPLE_MAX);
}

static void lose_step(gw_demux *g, gw_carrier *c, int side, const char *detail,
                      const uint8_t *sample, size_t n)
{
    half *h = &c->h[side];
    anomaly(g, c, side, "malformed", detail, 0, sample, n);
    h->state = H_LOST;
    h->at_line_start = 0;
    h->lost = 0;
    h->session = NULL;
    h->close_after = 0;
}

static void copy_value(char *dst, size_t size, const uint8_t *base, msnp_span v)
{
    size_t n = v.len < size - 1 ? v.len : size - 1;
    memcpy(dst, base + v.off, n);
    dst[n] = '\0';
}

static void *open_session(gw_demux *g, gw_carrier *c, const uint8_t *base,
                          const msnp_http_head *m, int opened)
{
    char server[NAME_MAX_] = "", host[NAME_MAX_] = "";
    copy_value(server, sizeof server, base, m->server);
    copy_value(host, sizeof host, base, m->ip);
    void *s = g->cb.open(g->cb.ctx, c->owner, server, host, opened);
    if (s)
        g->counts.sessions++;
    return s;
}

static void key_session(gw_demux *g, void *s, const uint8_t *base, msnp_span sid)
{
    void *evicted = NULL;
    if (msnp_gw_chain_key(g->chain, s, base, sid, &evicted) == 0 && evicted)
        end_session(g, evicted, 1);
}

static void push_request(gw_demux *g, gw_carrier *c, int side, void *s)
{
    if (c->fifo_n == FIFO_MAX) {
        anomaly(g, c, side, "unanswered",
                "more than 16 gateway requests without a response; the oldest is forgotten", 0,
                NULL, 0);
        c->fifo_first = (c->fifo_first + 1) % FIFO_MAX;
        c->fifo_n--;
    }
    c->fifo[(c->fifo_first + c->fifo_n) % FIFO_MAX] = s;
    c->fifo_n++;
}

static void *pop_request(gw_carrier *c, int *found)
{
    *found = c->fifo_n > 0;
    if (!c->fifo_n)
        return NULL;
    void *s = c->fifo[c->fifo_first];
    c->fifo_first = (c->fifo_first + 1) % FIFO_MAX;
    c->fifo_n--;
    return s;
}

static void body_done(gw_demux *g, half *h)
{
    void *s = h->session;
    int close = h->close_after;
    h->state = H_HEAD;
    h->session = NULL;
    h->close_after = 0;
    if (close && s)
        end_session(g, s, 0);
}

/* A complete head on `side`: whose body follows, and how long it is.
 * Returns -1 when the carrier turns out not to be the gateway's. */
static int on_head(gw_demux *g, gw_carrier *c, int side, const uint8_t *base,
                   const msnp_http_head *m)
{
    half *h = &c->h[side];
    if (c->client_side < 0)
        c->client_side = m->is_request ? side : !side;
    int resynced = h->resynced;
    h->resynced = 0;
    if (!m->gateway && !c->gateway) {
        c->plain = 1;
        return -1; /* plain HTTP: not ours */
    }
    if (!c->gateway) {
        c->gateway = 1;
        g->counts.carriers++;
    }
    void *s = NULL;
    if (m->is_request) {
        g->counts.requests++;
        if (m->action == MSNP_GW_OPEN) {
            s = open_session(g, c, base, m, 1);
        } else if (m->session_id.len) {
            s = msnp_gw_chain_find(g->chain, base, m->session_id);
            /* Unknown: a session under way when the capture began, or one
             * whose chain the capture broke (a lost response named this id).
             * Which session it continues is not known: rather than guess, it
             * goes on as a session picked up midway. */
            if (!s) {
                s = open_session(g, c, base, m, 0);
                if (s)
                    key_session(g, s, base, m->session_id);
            }
        }
        push_request(g, c, side, s);
    } else {
        g->counts.responses++;
        int found;
        if (resynced) {
            /* Responses were lost: clients do not pipeline, so this one
             * answers the latest request; the earlier ones' sessions lost
             * their next SessionID. */
            while (c->fifo_n > 1)
                (void)pop_request(c, &found);
        }
        s = pop_request(c, &found);
        if (!found)
            anomaly(g, c, side, "unanswered",
                    "gateway response without a request in the capture", 0, NULL, 0);
        if (m->session_id.len) {
            if (!s && !found)
                s = open_session(g, c, base, m, 0);
            if (s)
                key_session(g, s, base, m->session_id);
        }
        if (m->status != 200) {
            char detail[96];
            snprintf(detail, sizeof detail,
                     "the gateway answered HTTP %u: the body is not MSNP data", m->status);
            anomaly(g, c, side, "http_error", detail, 0, base, m->head_len);
            s = NULL;
        }
        h->close_after = m->session_close;
    }
    h->session = s;
    if (m->chunked) {
        lose_step(g, c, side,
                  "chunked HTTP body, which the gateway does not send; skipped to the next "
                  "message",
                  base, m->head_len);
        return 0;
    }
    if (m->has_length) {
        h->body_left = m->content_length;
        h->state = H_BODY;
    } else if (m->is_request || m->status == 204 || m->status == 304 || m->status < 200) {
        h->body_left = 0;
        h->state = H_BODY;
    } else {
        h->state = H_TO_CLOSE;
    }
    if (h->state == H_BODY && h->body_left == 0)
        body_done(g, h);
    return 0;
}

static void deliver(gw_demux *g, gw_carrier *c, int side, const uint8_t *p, size_t n)
{
    half *h = &c->h[side];
    if (h->session)
        g->cb.data(g->cb.ctx, h->session, side == c->client_side, p, n);
    else if (n)
        g->counts.bodies_dropped += n;
}

/* H_LOST: skip to a line that starts like an HTTP message. */
static size_t resync(gw_demux *g, gw_carrier *c, int side, const uint8_t *p, size_t n)
{
    half *h = &c->h[side];
    for (size_t i = 0; i < n; i++) {
        if (h->at_line_start && msnp_http_looks_like(p + i, n - i) == 1) {
            h->lost += i;
            char detail[120];
            snprintf(detail, sizeof detail,
                     "%llu bytes skipped to the next HTTP message",
                     (unsigned long long)h->lost);
            anomaly(g, c, side, "skipped", detail, h->lost, NULL, 0);
            h->state = H_HEAD;
            h->resynced = 1;
            return i;
        }
        h->at_line_start = p[i] == '\n';
    }
    h->lost += n;
    return n;
}

/* H_HEAD: parse a head from the segment, or from the bytes buffered.
 * Returns bytes consumed, or (size_t)-1 when the carrier is not ours. */
static size_t take_head(gw_demux *g, gw_carrier *c, int side, const uint8_t *p, size_t n)
{
    half *h = &c->h[side];
    msnp_http_head m;
    if (h->len == 0) {
        msnp_http_result r = msnp_http_parse_head(p, n, &m);
        if (r == MSNP_HTTP_HEAD)
            return on_head(g, c, side, p, &m) < 0 ? (size_t)-1 : m.head_len;
        if (r == MSNP_HTTP_BAD) {
            if (!c->gateway)
                return (size_t)-1;
            lose_step(g, c, side,
                      "not an HTTP message head where one was due; skipped to the next message",
                      p, n);
            return 0;
        }
    }
    /* Buffer (within the budget) until the head is complete. */
    size_t room = MSNP_HTTP_MAX_HEAD - h->len;
    size_t k = n < room ? n : room;
    if (h->len + k > h->cap) {
        size_t ncap = h->cap ? h->cap * 2 : 512;
        while (ncap < h->len + k)
            ncap *= 2;
        uint8_t *nb = g->buffered - h->cap + ncap <= g->max_buffered ? realloc(h->head, ncap)
                                                                      : NULL;
        if (!nb) {
            anomaly(g, c, side, "truncated",
                    "an HTTP head split over segments dropped: the memory for partial heads is "
                    "used up",
                    h->len + n, h->len ? h->head : p, h->len ? h->len : n);
            drop_head(g, h);
            h->state = H_LOST;
            h->at_line_start = 0;
            h->lost = 0;
            return n;
        }
        g->buffered += ncap - h->cap;
        h->head = nb;
        h->cap = ncap;
    }
    size_t old = h->len;
    memcpy(h->head + h->len, p, k);
    h->len += k;
    msnp_http_result r = msnp_http_parse_head(h->head, h->len, &m);
    if (r == MSNP_HTTP_NEED_MORE)
        return k;
    size_t used = k;
    int mine = 1;
    if (r == MSNP_HTTP_HEAD) {
        used = m.head_len - old;
        mine = on_head(g, c, side, h->head, &m) == 0;
    } else if (c->gateway) {
        lose_step(g, c, side,
                  "not an HTTP message head where one was due; skipped to the next message",
                  h->head, h->len);
    } else {
        mine = 0;
    }
    drop_head(g, h);
    return mine ? used : (size_t)-1;
}

int gw_carrier_feed(gw_demux *g, gw_carrier *c, int side, const uint8_t *p, size_t n)
{
    if (c->plain)
        return -1;
    half *h = &c->h[side];
    while (n > 0) {
        size_t used;
        switch (h->state) {
        case H_BODY:
            used = n < h->body_left ? n : (size_t)h->body_left;
            deliver(g, c, side, p, used);
            h->body_left -= used;
            if (h->body_left == 0)
                body_done(g, h);
            break;
        case H_TO_CLOSE:
            deliver(g, c, side, p, n);
            used = n;
            break;
        case H_LOST:
            used = resync(g, c, side, p, n);
            break;
        default:
            used = take_head(g, c, side, p, n);
            if (used == (size_t)-1)
                return -1;
            break;
        }
        p += used;
        n -= used;
    }
    return 0;
}

void gw_carrier_gap(gw_demux *g, gw_carrier *c, int side, uint64_t missing)
{
    half *h = &c->h[side];
    if (c->plain)
        return;
    if (h->state == H_BODY && missing <= h->body_left) {
        if (h->session)
            g->cb.gap(g->cb.ctx, h->session, side == c->client_side, missing);
        h->body_left -= missing;
        if (h->body_left == 0)
            body_done(g, h);
        return;
    }
    if (h->state == H_TO_CLOSE) {
        if (h->session)
            g->cb.gap(g->cb.ctx, h->session, side == c->client_side, missing);
        return;
    }
    if (h->state == H_BODY && h->session)
        g->cb.gap(g->cb.ctx, h->session, side == c->client_side, h->body_left);
    /* The gap reaches into a head: the next message is found by its start. */
    drop_head(g, h);
    h->state = H_LOST;
    h->at_line_start = 0;
    h->lost = 0;
    h->session = NULL;
    h->close_after = 0;
}

void gw_carrier_end(gw_demux *g, gw_carrier *c, int side)
{
    half *h = &c->h[side];
    if (c->plain)
        return;
    if (h->state == H_HEAD && h->len) {
        anomaly(g, c, side, "truncated", "the stream ended inside an HTTP head", h->len, h->head,
                h->len);
    } else if (h->state == H_BODY && h->body_left) {
        char detail[120];
        snprintf(detail, sizeof detail,
                 "the stream ended %llu bytes before the end of an HTTP body",
                 (unsigned long long)h->body_left);
        anomaly(g, c, side, "truncated", detail, h->body_left, NULL, 0);
        if (h->session)
            g->cb.gap(g->cb.ctx, h->session, side == c->client_side, h->body_left);
    } else if (h->state == H_LOST && h->lost) {
        char detail[120];
        snprintf(detail, sizeof detail, "%llu bytes skipped: no HTTP message started there",
                 (unsigned long long)h->lost);
        anomaly(g, c, side, "skipped", detail, h->lost, NULL, 0);
    }
    if (h->state == H_TO_CLOSE || (h->state == H_BODY && h->body_left))
        body_done(g, h);
    drop_head(g, h);
    h->state = H_HEAD;
    h->body_left = 0;
}
