/* The HTTP gateway: heads (libmsnp/gateway.c), SessionID chains, and the
 * carrier demultiplexer (cli/gateway.c): bodies reach their session in
 * order however the carrier's bytes are cut, plain HTTP is refused, and
 * what cannot be attributed is dropped rather than guessed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gateway.h"
#include "msnp/gateway.h"

#define U8(s) ((const uint8_t *)(s))

static msnp_http_result parse(const char *s, msnp_http_head *h)
{
    return msnp_http_parse_head(U8(s), strlen(s), h);
}

static int span_is(const char *base, msnp_span s, const char *want)
{
    return s.len == strlen(want) && memcmp(base + s.off, want, s.len) == 0;
}

static void test_heads(void)
{
    msnp_http_head h;
    const char *open = "POST http://gateway.messenger.hotmail.com/gateway/gateway.dll?"
                       "Action=open&Server=NS&IP=messenger.hotmail.com HTTP/1.1\r\n"
                       "Content-Type: application/x-msn-messenger\r\n"
                       "Content-Length: 18\r\n\r\nVER 1 MSNP8 CVR0\r\n";
    CHECK_EQ(parse(open, &h), MSNP_HTTP_HEAD);
    CHECK(h.is_request && h.gateway && h.has_length);
    CHECK_EQ(h.content_length, 18);
    CHECK_EQ(h.action, MSNP_GW_OPEN);
    CHECK(span_is(open, h.server, "NS"));
    CHECK(span_is(open, h.ip, "messenger.hotmail.com"));
    CHECK_EQ(h.head_len, strlen(open) - 18);

    const char *resp = "HTTP/1.1 200 OK\r\nX-MSN-Messenger: SessionID=954547325.13160; "
                       "GW-IP=207.46.110.18; Session=close\r\nContent-Length: 0\r\n\r\n";
    CHECK_EQ(parse(resp, &h), MSNP_HTTP_HEAD);
    CHECK(!h.is_request && h.gateway && h.session_close);
    CHECK_EQ(h.status, 200);
    CHECK(span_is(resp, h.session_id, "954547325.13160"));
    CHECK(span_is(resp, h.gw_ip, "207.46.110.18"));

    const char *poll = "POST http://207.46.110.18/gateway/gateway.dll?Action=poll&SessionID=1.2 "
                       "HTTP/1.1\n\n";
    CHECK_EQ(parse(poll, &h), MSNP_HTTP_HEAD); /* LF-only lines */
    CHECK_EQ(h.action, MSNP_GW_POLL);
    CHECK(span_is(poll, h.session_id, "1.2"));
    CHECK(!h.has_length);

    /* Not the gateway, but HTTP. */
    CHECK_EQ(parse("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n", &h), MSNP_HTTP_HEAD);
    CHECK(!h.gateway);
    /* Incomplete, malformed, conflicting lengths, too long. */
    CHECK_EQ(parse("POST /gateway/gateway.dll HTTP/1.1\r\nContent-Len", &h), MSNP_HTTP_NEED_MORE);
    CHECK_EQ(parse("VER 1 MSNP8 CVR0\r\n", &h), MSNP_HTTP_BAD);
    CHECK_EQ(parse("POST nospace\r\n\r\n", &h), MSNP_HTTP_BAD);
    CHECK_EQ(parse("HTTP/1.1 2x0 OK\r\n\r\n", &h), MSNP_HTTP_BAD);
    CHECK_EQ(parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", &h),
             MSNP_HTTP_BAD);
    CHECK_EQ(parse("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", &h),
             MSNP_HTTP_BAD);
    size_t big = MSNP_HTTP_MAX_HEAD + 10;
    char *huge = malloc(big + 1);
    memcpy(huge, "HTTP/1.1 200 OK\r\nX: ", 20);
    memset(huge + 20, 'a', big - 20);
    huge[big] = '\0';
    CHECK_EQ(msnp_http_parse_head(U8(huge), big, &h), MSNP_HTTP_BAD);
    CHECK_EQ(msnp_http_parse_head(U8(huge), 1000, &h), MSNP_HTTP_NEED_MORE);
    free(huge);

    CHECK_EQ(msnp_http_looks_like(U8("PO"), 2), -1);
    CHECK_EQ(msnp_http_looks_like(U8("POST "), 5), 1);
    CHECK_EQ(msnp_http_looks_like(U8("PNG\r\n"), 5), 0);
    CHECK_EQ(msnp_http_looks_like(U8("HTTP/1.0 200"), 12), 1);
}

static void test_chain(void)
{
    int a, b, c;
    void *ev;
    msnp_gw_chain *ch = msnp_gw_chain_new(2);
    const char *ids = "1.1 1.2 2.1 3.1";
    msnp_span s11 = {0, 3}, s12 = {4, 3}, s21 = {8, 3}, s31 = {12, 3};
    CHECK_EQ(msnp_gw_chain_key(ch, &a, U8(ids), s11, &ev), 0);
    CHECK(ev == NULL);
    CHECK(msnp_gw_chain_find(ch, U8(ids), s11) == &a);
    /* the next id replaces the old one */
    CHECK_EQ(msnp_gw_chain_key(ch, &a, U8(ids), s12, &ev), 0);
    CHECK(msnp_gw_chain_find(ch, U8(ids), s11) == NULL);
    CHECK(msnp_gw_chain_find(ch, U8(ids), s12) == &a);
    CHECK_EQ(msnp_gw_chain_key(ch, &b, U8(ids), s21, &ev), 0);
    CHECK_EQ(msnp_gw_chain_count(ch), 2);
    /* full: the least recently keyed (a) is forgotten */
    CHECK_EQ(msnp_gw_chain_key(ch, &c, U8(ids), s31, &ev), 0);
    CHECK(ev == &a);
    CHECK(msnp_gw_chain_find(ch, U8(ids), s12) == NULL);
    CHECK_EQ(msnp_gw_chain_count(ch), 2);
    /* an id taken over by another session leaves the first without one */
    CHECK_EQ(msnp_gw_chain_key(ch, &c, U8(ids), s21, &ev), 0);
    CHECK(msnp_gw_chain_find(ch, U8(ids), s21) == &c);
    msnp_gw_chain_drop(ch, &b);
    msnp_gw_chain_drop(ch, &c);
    CHECK_EQ(msnp_gw_chain_count(ch), 0);
    msnp_gw_chain_free(ch);
}

/* ---- the demultiplexer -------------------------------------------------- */

typedef struct session {
    char server[8], host[64];
    int opened, closed, evicted;
    char stream[2][2048]; /* [0] client, [1] server */
    size_t len[2];
    uint64_t gaps[2];
} session;

typedef struct world {
    session s[16];
    int n;
    int anomalies;
    char last_kind[32];
} world;

static void *cb_open(void *ctx, void *carrier, const char *server, const char *host, int opened)
{
    world *w = ctx;
    (void)carrier;
    if (w->n == 16)
        return NULL;
    session *s = &w->s[w->n++];
    memset(s, 0, sizeof *s);
    snprintf(s->server, sizeof s->server, "%s", server);
    snprintf(s->host, sizeof s->host, "%s", host);
    s->opened = opened;
    return s;
}

static void cb_data(void *ctx, void *sp, int from_client, const uint8_t *p, size_t n)
{
    session *s = sp;
    (void)ctx;
    int d = from_client ? 0 : 1;
    CHECK(!s->closed);
    if (s->len[d] + n < sizeof s->stream[d]) {
        memcpy(s->stream[d] + s->len[d], p, n);
        s->len[d] += n;
    }
}

static void cb_gap(void *ctx, void *sp, int from_client, uint64_t missing)
{
    session *s = sp;
    (void)ctx;
    s->gaps[from_client ? 0 : 1] += missing;
}

static void cb_close(void *ctx, void *sp, int evicted)
{
    session *s = sp;
    (void)ctx;
    s->closed = 1;
    s->evicted = evicted;
}

static void cb_anomaly(void *ctx, void *carrier, int side, const char *kind, const char *detail,
                       uint64_t bytes, const uint8_t *sample, size_t n)
{
    world *w = ctx;
    (void)carrier, (void)side, (void)detail, (void)bytes, (void)sample, (void)n;
    w->anomalies++;
    snprintf(w->last_kind, sizeof w->last_kind, "%s", kind);
}

static const char *const client_msgs[] = {
    "POST http://gateway.messenger.hotmail.com/gateway/gateway.dll?Action=open&Server=NS&IP="
    "messenger.hotmail.com HTTP/1.1\r\nContent-Type: application/x-msn-messenger\r\n"
    "Content-Length: 18\r\n\r\nVER 1 MSNP8 CVR0\r\n",
    "POST http://207.46.110.18/gateway/gateway.dll?Action=open&Server=SB&IP=207.46.108.37 "
    "HTTP/1.1\r\nContent-Length: 31\r\n\r\nUSR 1 alice@hotmail.com 12345\r\n",
    "POST http://207.46.110.18/gateway/gateway.dll?SessionID=10.2 HTTP/1.1\r\n"
    "Content-Length: 9\r\n\r\nSYN 2 0\r\n",
    "POST http://207.46.110.18/gateway/gateway.dll?Action=poll&SessionID=20.2 HTTP/1.1\r\n"
    "Content-Length: 0\r\n\r\n",
};
static const char *const server_msgs[] = {
    "HTTP/1.1 200 OK\r\nX-MSN-Messenger: SessionID=10.2; GW-IP=207.46.110.18\r\n"
    "Content-Length: 18\r\n\r\nVER 1 MSNP8 CVR0\r\n",
    "HTTP/1.1 200 OK\r\nX-MSN-Messenger: SessionID=20.2; GW-IP=207.46.110.18\r\n"
    "Content-Length: 47\r\n\r\nUSR 1 OK alice@hotmail.com Alice\r\nJOI bob Bob\r\n",
    "HTTP/1.1 200 OK\r\nX-MSN-Messenger: SessionID=10.3; GW-IP=207.46.110.18\r\n"
    "Content-Length: 14\r\n\r\nSYN 2 41 0 0\r\n",
    "HTTP/1.1 200 OK\r\nX-MSN-Messenger: SessionID=20.3; GW-IP=207.46.110.18; Session=close\r\n"
    "Content-Length: 9\r\n\r\nBYE bob\r\n",
};

/* One exchange after another, each message cut into pieces of at most `chunk`. */
static void run_exchanges(gw_demux *g, gw_carrier *c, size_t chunk)
{
    for (size_t i = 0; i < 4; i++) {
        const char *msgs[2] = {client_msgs[i], server_msgs[i]};
        for (int side = 0; side < 2; side++) {
            const uint8_t *p = U8(msgs[side]);
            size_t n = strlen(msgs[side]);
            while (n) {
                size_t k = n < chunk ? n : chunk;
                CHECK_EQ(gw_carrier_feed(g, c, side, p, k), 0);
                p += k;
                n -= k;
            }
        }
    }
}

static void test_demux(size_t chunk)
{
    world w;
    memset(&w, 0, sizeof w);
    gw_callbacks cb = {&w, cb_open, cb_data, cb_gap, cb_close, cb_anomaly};
    gw_demux *g = gw_demux_new(&cb, 16, 1 << 20);
    int owner;
    gw_carrier *c = gw_carrier_new(g, &owner);
    run_exchanges(g, c, chunk);
    CHECK_MSG(w.n == 2, "chunk %zu: %d sessions", chunk, w.n);
    CHECK_EQ(w.anomalies, 0);
    CHECK(gw_carrier_is_gateway(c));
    if (w.n == 2) {
        session *ns = &w.s[0], *sb = &w.s[1];
        CHECK_STR(ns->server, "NS");
        CHECK_STR(ns->host, "messenger.hotmail.com");
        CHECK_STR(sb->server, "SB");
        CHECK(ns->opened && sb->opened);
        CHECK_EQ(ns->len[0], 27);
        CHECK(memcmp(ns->stream[0], "VER 1 MSNP8 CVR0\r\nSYN 2 0\r\n", 27) == 0);
        CHECK(memcmp(ns->stream[1], "VER 1 MSNP8 CVR0\r\nSYN 2 41 0 0\r\n", 32) == 0);
        CHECK(memcmp(sb->stream[1], "USR 1 OK alice@hotmail.com Alice\r\nJOI bob Bob\r\nBYE bob\r\n",
                     56) == 0);
        CHECK(sb->closed && !sb->evicted); /* Session=close */
        CHECK(!ns->closed);
    }
    const gw_counts *k = gw_demux_counts(g);
    CHECK_EQ(k->requests, 4);
    CHECK_EQ(k->responses, 4);
    CHECK_EQ(k->carriers, 1);
    gw_carrier_free(g, c);
    gw_demux_free(g);
}

static void test_plain_http(void)
{
    world w;
    memset(&w, 0, sizeof w);
    gw_callbacks cb = {&w, cb_open, cb_data, cb_gap, cb_close, cb_anomaly};
    gw_demux *g = gw_demux_new(&cb, 16, 1 << 20);
    int owner;
    gw_carrier *c = gw_carrier_new(g, &owner);
    const char *get = "GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n";
    CHECK_EQ(gw_carrier_feed(g, c, 0, U8(get), strlen(get)), -1);
    CHECK_EQ(gw_carrier_feed(g, c, 1, U8("HTTP/1.1 200 OK\r\n\r\n"), 19), -1);
    CHECK(!gw_carrier_is_gateway(c));
    CHECK_EQ(w.n, 0);
    gw_carrier_free(g, c);
    gw_demux_free(g);
}

/* A lost response head: its body is dropped, not given to anyone; the next
 * request names an id nobody knows, so its session goes on as a new one. */
static void test_losses(void)
{
    world w;
    memset(&w, 0, sizeof w);
    gw_callbacks cb = {&w, cb_open, cb_data, cb_gap, cb_close, cb_anomaly};
    gw_demux *g = gw_demux_new(&cb, 16, 1 << 20);
    int owner;
    gw_carrier *c = gw_carrier_new(g, &owner);
    CHECK_EQ(gw_carrier_feed(g, c, 0, U8(client_msgs[0]), strlen(client_msgs[0])), 0);
    /* the first 10 bytes of the response are lost */
    gw_carrier_gap(g, c, 1, 10);
    CHECK_EQ(gw_carrier_feed(g, c, 1, U8(server_msgs[0]) + 10, strlen(server_msgs[0]) - 10), 0);
    CHECK_EQ(w.n, 1);
    CHECK_EQ(w.s[0].len[1], 0); /* nothing of the lost response reached the session */
    CHECK_EQ(gw_carrier_feed(g, c, 0, U8(client_msgs[2]), strlen(client_msgs[2])), 0);
    CHECK_EQ(w.n, 2);
    if (w.n == 2) {
        CHECK(!w.s[1].opened); /* picked up midway */
        CHECK_EQ(w.s[1].len[0], 9);
    }
    /* A gap inside a body: the session is told, the next message is in step. */
    CHECK_EQ(gw_carrier_feed(g, c, 1, U8(server_msgs[2]), strlen(server_msgs[2]) - 5), 0);
    gw_carrier_gap(g, c, 1, 5);
    CHECK_EQ(w.s[1].gaps[1], 5);
    CHECK_EQ(gw_carrier_feed(g, c, 1, U8(server_msgs[0]), 20), 0); /* a head comes next */
    /* Chunked bodies are not the gateway's: reported, skipped to the next message. */
    const char *chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n";
    gw_carrier_end(g, c, 1);
    int before = w.anomalies;
    CHECK_EQ(gw_carrier_feed(g, c, 1, U8(chunked), strlen(chunked)), 0);
    CHECK(w.anomalies > before);
    gw_carrier_free(g, c);
    gw_demux_free(g);
}

/* Any bytes at all: no crash, no session closed twice (cb_data checks). */
static void test_noise(void)
{
    for (int round = 0; round < 300; round++) {
        world w;
        memset(&w, 0, sizeof w);
        gw_callbacks cb = {&w, cb_open, cb_data, cb_gap, cb_close, cb_anomaly};
        gw_demux *g = gw_demux_new(&cb, 4, 4096);
        int owner;
        gw_carrier *c = gw_carrier_new(g, &owner);
        for (int step = 0; step < 40; step++) {
            const char *src = step % 2 ? server_msgs[check_rand() % 4] : client_msgs[check_rand() % 4];
            size_t n = strlen(src);
            uint8_t buf[512];
            size_t k = n < sizeof buf ? n : sizeof buf;
            memcpy(buf, src, k);
            for (int flips = check_rand() % 4; flips > 0; flips--)
                buf[check_rand() % k] = (uint8_t)check_rand();
            size_t off = check_rand() % (k + 1);
            if (check_rand() % 5 == 0)
                gw_carrier_gap(g, c, step % 2, check_rand() % 300);
            if (gw_carrier_feed(g, c, step % 2, buf + off, k - off) != 0)
                break;
        }
        gw_carrier_end(g, c, 0);
        gw_carrier_end(g, c, 1);
        gw_carrier_free(g, c);
        gw_demux_free(g);
    }
}

int main(void)
{
    test_heads();
    test_chain();
    for (size_t chunk = 1; chunk <= 64; chunk++)
        test_demux(chunk);
    test_demux(100000);
    test_plain_http();
    test_losses();
    test_noise();
    return check_exit("test_gateway");
}
