/* HTTP gateway heads and SessionID chains (see gateway.h). */
#include "msnp/gateway.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"

static uint8_t lower(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

static int ieq(const uint8_t *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    if (n != k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (lower(p[i]) != lower((uint8_t)lit[i]))
            return 0;
    return 1;
}

static msnp_span span_of(const uint8_t *base, const uint8_t *a, const uint8_t *b)
{
    return (msnp_span){(uint32_t)(a - base), (uint32_t)(b - a)};
}

static msnp_span trim(const uint8_t *base, const uint8_t *a, const uint8_t *b)
{
    while (a < b && (*a == ' ' || *a == '\t'))
        a++;
    while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
        b--;
    return span_of(base, a, b);
}

static const char *const methods[] = {"POST ", "GET ", "HEAD ", "PUT ", "OPTIONS ", "DELETE "};

int msnp_http_looks_like(const uint8_t *buf, size_t len)
{
    static const char response[] = "HTTP/1.";
    int shorter = 0;
    const char *const *m = methods;
    for (size_t i = 0; i <= sizeof methods / sizeof methods[0]; i++) {
        const char *w = i < sizeof methods / sizeof methods[0] ? m[i] : response;
        size_t k = strlen(w), n = len < k ? len : k;
        if (memcmp(buf, w, n) == 0) {
            if (n == k)
                return 1;
            shorter = 1;
        }
    }
    return shorter ? -1 : 0;
}

/* The end of the head: just past the empty line (CRLF CRLF, or LF LF). */
static const uint8_t *head_end(const uint8_t *buf, size_t len)
{
    const uint8_t *p = buf, *end = buf + len;
    while (p < end) {
        const uint8_t *lf = memchr(p, '\n', (size_t)(end - p));
        if (!lf)
            return NULL;
        /* an empty line: LF right after the previous line's LF (with an optional CR) */
        if (lf > buf && (lf[-1] == '\n' || (lf[-1] == '\r' && lf - 1 > buf && lf[-2] == '\n')))
            return lf + 1;
        p = lf + 1;
    }
    return NULL;
}

/* Query parameters of a gateway.dll target: Action, Server, IP, SessionID. */
static void parse_query(const uint8_t *base, msnp_span target, msnp_http_head *h)
{
    const uint8_t *t = base + target.off, *end = t + target.len;
    static const char dll[] = "/gateway.dll";
    const uint8_t *q = memchr(t, '?', target.len);
    const uint8_t *path_end = q ? q : end;
    size_t k = sizeof dll - 1;
    if ((size_t)(path_end - t) < k || !ieq(path_end - k, k, dll))
        return;
    h->gateway = 1;
    h->action = MSNP_GW_SEND;
    if (!q)
        return;
    const uint8_t *p = q + 1;
    while (p < end) {
        const uint8_t *amp = memchr(p, '&', (size_t)(end - p));
        const uint8_t *stop = amp ? amp : end;
        const uint8_t *eq = memchr(p, '=', (size_t)(stop - p));
        if (eq) {
            msnp_span v = span_of(base, eq + 1, stop);
            size_t nl = (size_t)(eq - p);
            if (ieq(p, nl, "Action")) {
                const uint8_t *a = eq + 1;
                size_t al = (size_t)(stop - a);
                h->action = ieq(a, al, "open")   ? MSNP_GW_OPEN
                            : ieq(a, al, "poll") ? MSNP_GW_POLL
                                                 : MSNP_GW_OTHER;
            } else if (ieq(p, nl, "Server")) {
                h->server = v;
            } else if (ieq(p, nl, "IP")) {
                h->ip = v;
            } else if (ieq(p, nl, "SessionID")) {
                h->session_id = v;
            }
        }
        p = stop + 1;
    }
}

/* X-MSN-Messenger: SessionID=954547325.13160; GW-IP=207.46.110.18[; Session=close] */
static void parse_messenger(const uint8_t *base, msnp_span v, msnp_http_head *h)
{
    const uint8_t *p = base + v.off, *end = p + v.len;
    h->gateway = 1;
    while (p < end) {
        const uint8_t *semi = memchr(p, ';', (size_t)(end - p));
        const uint8_t *stop = semi ? semi : end;
        const uint8_t *eq = memchr(p, '=', (size_t)(stop - p));
        if (eq) {
            msnp_span name = trim(base, p, eq), val = trim(base, eq + 1, stop);
            const uint8_t *n = base + name.off;
            if (ieq(n, name.len, "SessionID"))
                h->session_id = val;
            else if (ieq(n, name.len, "GW-IP"))
                h->gw_ip = val;
            else if (ieq(n, name.len, "Session") && ieq(base + val.off, val.len, "close"))
                h->session_close = 1;
        }
        p = stop + 1;
    }
}

/* The start line: "METHOD target HTTP/1.x" or "HTTP/1.x NNN reason". */
static int parse_start(const uint8_t *buf, const uint8_t *eol, msnp_http_head *h)
{
    size_t n = (size_t)(eol - buf);
    if (n >= 12 && memcmp(buf, "HTTP/1.", 7) == 0 && buf[8] == ' ') {
        const uint8_t *c = buf + 9;
        for (int i = 0; i < 3; i++)
            if (c[i] < '0' || c[i] > '9')
                return -1;
        h->status = (uint16_t)((c[0] - '0') * 100 + (c[1] - '0') * 10 + (c[2] - '0'));
        return 0;
    }
    const uint8_t *sp = memchr(buf, ' ', n);
    if (!sp || sp == buf)
        return -1;
    for (const uint8_t *p = buf; p < sp; p++)
        if (*p < 'A' || *p > 'Z')
            return -1;
    const uint8_t *sp2 = memchr(sp + 1, ' ', (size_t)(eol - sp - 1));
    if (!sp2 || (size_t)(eol - sp2) < 9 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0)
        return -1;
    h->is_request = 1;
    h->method = span_of(buf, buf, sp);
    h->target = span_of(buf, sp + 1, sp2);
    return 0;
}

static int parse_length(const uint8_t *p, msnp_span v, uint64_t *out)
{
    if (v.len == 0 || v.len > 19)
        return -1;
    uint64_t x = 0;
    for (uint32_t i = 0; i < v.len; i++) {
        uint8_t c = p[v.off + i];
        if (c < '0' || c > '9')
            return -1;
        x = x * 10 + (uint64_t)(c - '0');
    }
    *out = x;
    return 0;
}

msnp_http_result msnp_http_parse_head(const uint8_t *buf, size_t len, msnp_http_head *h)
{
    memset(h, 0, sizeof *h);
    if (msnp_http_looks_like(buf, len) == 0)
        return MSNP_HTTP_BAD;
    size_t window = len < MSNP_HTTP_MAX_HEAD ? len : MSNP_HTTP_MAX_HEAD;
    const uint8_t *end = head_end(buf, window);
    if (!end)
        return len >= MSNP_HTTP_MAX_HEAD ? MSNP_HTTP_BAD : MSNP_HTTP_NEED_MORE;
    h->head_len = (uint32_t)(end - buf);
    const uint8_t *eol = memchr(buf, '\n', (size_t)(end - buf));
    const uint8_t *line_end = eol > buf && eol[-1] == '\r' ? eol - 1 : eol;
    if (parse_start(buf, line_end, h) != 0)
        return MSNP_HTTP_BAD;
    if (h->is_request)
        parse_query(buf, h->target, h);
    for (const uint8_t *p = eol + 1; p < end;) {
        const uint8_t *lf = memchr(p, '\n', (size_t)(end - p));
        const uint8_t *stop = lf > p && lf[-1] == '\r' ? lf - 1 : lf;
        const uint8_t *colon = memchr(p, ':', (size_t)(stop - p));
        if (colon) {
            size_t nl = (size_t)(colon - p);
            msnp_span v = trim(buf, colon + 1, stop);
            if (ieq(p, nl, "Content-Length")) {
                uint64_t x;
                if (parse_length(buf, v, &x) != 0 || (h->has_length && x != h->content_length))
                    return MSNP_HTTP_BAD; /* a body we could not delimit */
                h->content_length = x;
                h->has_length = 1;
            } else if (ieq(p, nl, "Transfer-Encoding")) {
                h->chunked = !ieq(buf + v.off, v.len, "identity");
            } else if (ieq(p, nl, "Content-Type")) {
                const uint8_t *semi = memchr(buf + v.off, ';', v.len);
                h->content_type = semi ? trim(buf, buf + v.off, semi) : v;
            } else if (ieq(p, nl, "X-MSN-Messenger") && !h->is_request) {
                parse_messenger(buf, v, h);
            }
        }
        p = lf + 1;
    }
    if (ieq(buf + h->content_type.off, h->content_type.len, "application/x-msn-messenger"))
        h->gateway = 1;
    return MSNP_HTTP_HEAD;
}

/* ---- the SessionID chain ------------------------------------------------ */

#define KEY_MAX 64 /* SessionIDs look like "954547325.13160" */

typedef struct entry {
    msnp_index_node by_sid, by_ptr;
    char sid[KEY_MAX];
    char ptr[2 * sizeof(void *) + 3];
    void *session;
    struct entry *prev, *next; /* least recently keyed first */
} entry;

struct msnp_gw_chain {
    msnp_index sids, ptrs;
    entry *head, *tail;
    size_t count, max;
};

msnp_gw_chain *msnp_gw_chain_new(size_t max_sessions)
{
    msnp_gw_chain *c = calloc(1, sizeof *c);
    if (c)
        c->max = max_sessions ? max_sessions : 1;
    return c;
}

void msnp_gw_chain_free(msnp_gw_chain *c)
{
    if (!c)
        return;
    for (entry *e = c->head; e;) {
        entry *next = e->next;
        free(e);
        e = next;
    }
    msnp_index_free(&c->sids);
    msnp_index_free(&c->ptrs);
    free(c);
}

static void unlink_entry(msnp_gw_chain *c, entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        c->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        c->tail = e->prev;
    e->prev = e->next = NULL;
}

static void append(msnp_gw_chain *c, entry *e)
{
    e->prev = c->tail;
    e->next = NULL;
    if (c->tail)
        c->tail->next = e;
    else
        c->head = e;
    c->tail = e;
}

static entry *by_session(const msnp_gw_chain *c, const void *session)
{
    char key[sizeof ((entry *)0)->ptr];
    snprintf(key, sizeof key, "%p", session);
    msnp_index_node *n = msnp_index_find(&c->ptrs, key);
    return n ? (entry *)((char *)n - offsetof(entry, by_ptr)) : NULL;
}

static void sid_key(char *dst, const uint8_t *base, msnp_span sid)
{
    size_t n = sid.len < KEY_MAX - 1 ? sid.len : KEY_MAX - 1;
    memcpy(dst, base + sid.off, n);
    dst[n] = '\0';
}

void *msnp_gw_chain_find(msnp_gw_chain *c, const uint8_t *base, msnp_span sid)
{
    char key[KEY_MAX];
    sid_key(key, base, sid);
    msnp_index_node *n = msnp_index_find(&c->sids, key);
    return n ? ((entry *)n)->session : NULL;
}

static void drop_entry(msnp_gw_chain *c, entry *e)
{
    if (e->sid[0])
        msnp_index_remove(&c->sids, &e->by_sid);
    msnp_index_remove(&c->ptrs, &e->by_ptr);
    unlink_entry(c, e);
    c->count--;
    free(e);
}

int msnp_gw_chain_key(msnp_gw_chain *c, void *session, const uint8_t *base, msnp_span sid,
                      void **evicted)
{
    *evicted = NULL;
    entry *e = by_session(c, session);
    if (!e) {
        if (c->count >= c->max && c->head) {
            *evicted = c->head->session;
            drop_entry(c, c->head);
        }
        e = calloc(1, sizeof *e);
        if (!e)
            return -1;
        e->session = session;
        snprintf(e->ptr, sizeof e->ptr, "%p", session);
        if (msnp_index_insert(&c->ptrs, &e->by_ptr, e->ptr) != 0) {
            free(e);
            return -1;
        }
        append(c, e);
        c->count++;
    } else {
        if (e->sid[0])
            msnp_index_remove(&c->sids, &e->by_sid);
        e->sid[0] = '\0';
        unlink_entry(c, e);
        append(c, e);
    }
    /* Another session holding this id (a capture that reuses ids) loses it. */
    char key[KEY_MAX];
    sid_key(key, base, sid);
    msnp_index_node *old = msnp_index_find(&c->sids, key);
    if (old) {
        entry *o = (entry *)old;
        msnp_index_remove(&c->sids, old);
        o->sid[0] = '\0';
    }
    memcpy(e->sid, key, sizeof key);
    if (e->sid[0] && msnp_index_insert(&c->sids, &e->by_sid, e->sid) != 0) {
        e->sid[0] = '\0';
        return -1;
    }
    return 0;
}

void msnp_gw_chain_drop(msnp_gw_chain *c, void *session)
{
    entry *e = by_session(c, session);
    if (e)
        drop_entry(c, e);
}

size_t msnp_gw_chain_count(const msnp_gw_chain *c)
{
    return c->count;
}
