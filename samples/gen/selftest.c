/* msnpgen unit checks: escapes, payload length substitution, payload line
 * joining, MSNFTP block layout, checksums, address formatting, scenario
 * error messages, determinism and the HTTP gateway transport. Run by ctest as
 * gen.selftest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "gateway.h"
#include "msnftp.h"
#include "packet.h"
#include "plan.h"
#include "population.h"
#include "scenario.h"
#include "util.h"

static int failures;

#define CHECK(cond)                                                                     \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
            failures++;                                                                 \
        }                                                                               \
    } while (0)

static int parse(scenario_t *sc, const char *text, char *err, size_t errlen)
{
    return scenario_parse(sc, "t.msnp", text, strlen(text), err, errlen);
}

/* Wire bytes of the n-th send event. */
static int ev_bytes(const scenario_t *sc, size_t n, const char *want, size_t wantlen)
{
    size_t k = 0;
    for (size_t i = 0; i < sc->nevs; i++) {
        const event_t *e = &sc->evs[i];
        if (e->kind != EV_SEND && e->kind != EV_RAW)
            continue;
        if (k++ != n)
            continue;
        if (e->len != wantlen || memcmp(sc->arena.data + e->off, want, wantlen) != 0) {
            fprintf(stderr, "event %zu: got %u bytes: ", n, e->len);
            fwrite(sc->arena.data + e->off, 1, e->len, stderr);
            fputc('\n', stderr);
            return 0;
        }
        return 1;
    }
    return 0;
}

#define EVB(sc, n, lit) ev_bytes(sc, n, lit, sizeof(lit) - 1)

static void test_escapes(void)
{
    buf_t b = {0};
    const char *err = NULL;
    const char *in = "a\\r\\n\\t\\0\\s\\\\\\x41\\xfF";
    CHECK(unescape(in, strlen(in), &b, &err) == 0);
    CHECK(b.len == 9 && !memcmp(b.data, "a\r\n\t\0 \\A\xff", 9));
    b.len = 0;
    CHECK(unescape("\\q", 2, &b, &err) < 0);
    CHECK(unescape("\\x4", 3, &b, &err) < 0);
    CHECK(unescape("ab\\", 3, &b, &err) < 0);
    b.len = 0;
    escape_text((const uint8_t *)"A\\\r\x7f~ \xc3\xa9", 8, &b);
    static const char want[] = "A\\\\\\x0D\\x7F~ \\xC3\\xA9";
    CHECK(b.len == sizeof want - 1 && !memcmp(b.data, want, sizeof want - 1));
    buf_free(&b);
}

static void test_payloads(void)
{
    scenario_t sc;
    char err[512];
    int rc = parse(&sc,
                   "conn ns 192.0.2.1:1025 207.46.1.1:1863\n"
                   "ns > QRY 10 msmsgs@msnmsgr.com {len}\n"
                   "  | d0c1178c689350104350d99f8c36ed9c\n"
                   "ns < MSG Hotmail Hotmail {len}\n"
                   "  | A: 1\n"
                   "  |\n"
                   "# a comment between payload lines does not end the payload\n"
                   "  | body\n"
                   "  |\n"
                   "ns >lf MSG 2 N {len}\n"
                   "  |lf A: 1\n"
                   "  |lf\n"
                   "  | x\n"
                   "ns > MSG 3 U {len} {len}\n"
                   "  |raw \\x00\\x01\n"
                   "  |x \\x02\\sé\n"
                   "ns >x SDC 4 x \\x41 0\n"
                   "ns >raw GARBAGE\\r\n"
                   "ns > \n"
                   "ns >\n"
                   "ns > UUX 5 {len}\n",
                   err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    CHECK(EVB(&sc, 0, "QRY 10 msmsgs@msnmsgr.com 32\r\nd0c1178c689350104350d99f8c36ed9c"));
    CHECK(EVB(&sc, 1, "MSG Hotmail Hotmail 14\r\nA: 1\r\n\r\nbody\r\n"));
    CHECK(EVB(&sc, 2, "MSG 2 N 7\nA: 1\n\nx"));
    CHECK(EVB(&sc, 3, "MSG 3 U 6 6\r\n\x00\x01\x02 \xc3\xa9"));
    CHECK(EVB(&sc, 4, "SDC 4 x A 0\r\n"));
    CHECK(EVB(&sc, 5, "GARBAGE\r"));
    CHECK(EVB(&sc, 6, "\r\n"));
    CHECK(EVB(&sc, 7, "\r\n"));
    CHECK(EVB(&sc, 8, "UUX 5 0\r\n"));
    CHECK(sc.evs[0].text_len == 28);
    CHECK(sc.evs[5].kind == EV_RAW);
    scenario_free(&sc);
}

static void test_errors(void)
{
    static const struct {
        const char *text;
        const char *msg;
    } cases[] = {
        {"conn a 192.0.2.1:1 192.0.2.2:2\nb > VER\n", "t.msnp:2: unknown directive or connection 'b'"},
        {"  | x\n", "t.msnp:1: payload line without a preceding send line"},
        {"conn a 192.0.2.1:1 192.0.2.2:2\na >x A\\q\n", "t.msnp:2: unknown escape"},
        {"repeat 2\n", "t.msnp:1: repeat without 'end'"},
        {"conn a 192.0.2.1:1 [::1]:2\n", "t.msnp:1: client and server must both be"},
        {"conn a 192.0.2.1:99999 192.0.2.2:2\n", "t.msnp:1: bad client endpoint"},
        {"conn a 192.0.2.1:1 192.0.2.2:2\na >raw X\n  | y\n", "t.msnp:3: raw sends cannot"},
        {"conn a 192.0.2.1:1 192.0.2.2:2\na >= X\n", "t.msnp:2: unknown send marker '>='"},
        {"loss 1.5\n", "t.msnp:1: bad probability"},
        {"conn fin 192.0.2.1:1 192.0.2.2:2\n", "t.msnp:1: invalid connection name 'fin'"},
        {"conn a 192.0.2.1:1 192.0.2.2:2\na >msnftp ../x 10\n", "t.msnp:2: bad MSNFTP file name"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        scenario_t sc;
        char err[512] = "";
        int rc = parse(&sc, cases[i].text, err, sizeof err);
        if (rc != GEN_EXIT_SCENARIO || strncmp(err, cases[i].msg, strlen(cases[i].msg)) != 0) {
            fprintf(stderr, "case %zu: rc %d, message '%s', want '%s'\n", i, rc, err,
                    cases[i].msg);
            failures++;
        }
        scenario_free(&sc);
    }
    /* Errors found while planning carry the line too. */
    scenario_t sc;
    char err[512] = "";
    int rc = parse(&sc, "conn a 192.0.2.1:1 192.0.2.2:2\na > X\nfin a\n\na > Y\n", err,
                   sizeof err);
    CHECK(rc == 0);
    plan_t pl;
    rc = plan_build(&pl, &sc, &sc.set, err, sizeof err);
    CHECK(rc == GEN_EXIT_SCENARIO && !strcmp(err, "t.msnp:5: connection already closed 'a'"));
    plan_free(&pl);
    scenario_free(&sc);
}

static void test_msnftp(void)
{
    scenario_t sc;
    char err[512];
    int rc = parse(&sc,
                   "conn ft 198.51.100.20:2051 192.0.2.10:6891 local=server\n"
                   "ft > TFR\n"
                   "ft <msnftp notes.txt 5000 end\n"
                   "ft <msnftp other.bin 100 upto=10 block=4\n",
                   err, sizeof err);
    CHECK(rc == 0);
    if (rc)
        return;
    plan_t pl;
    CHECK(plan_build(&pl, &sc, &sc.set, err, sizeof err) == 0);
    const buf_t *s2c = &pl.streams[1];
    uint8_t content[5000];
    msnftp_content(sc.set.seed, "notes.txt", content, sizeof content);
    /* 5000 = 2045 + 2045 + 910 */
    CHECK(s2c->len == 3 * 3 + 5000 + 3 + (3 * 3 + 10));
    const uint8_t *p = s2c->data;
    CHECK(p[0] == 0x00 && p[1] == 0xfd && p[2] == 0x07);
    CHECK(!memcmp(p + 3, content, 2045));
    p += 2048;
    CHECK(p[0] == 0x00 && p[1] == 0xfd && p[2] == 0x07);
    CHECK(!memcmp(p + 3, content + 2045, 2045));
    p += 2048;
    CHECK(p[0] == 0x00 && p[1] == 0x8e && p[2] == 0x03);
    CHECK(!memcmp(p + 3, content + 4090, 910));
    p += 913;
    CHECK(p[0] == 0x01 && p[1] == 0x00 && p[2] == 0x00);
    p += 3;
    CHECK(p[0] == 0 && p[1] == 4 && p[2] == 0 && p[7] == 0 && p[8] == 4 && p[14] == 0 &&
          p[15] == 2 && p[16] == 0);
    /* Records: TFR, binary 5000/3, end, binary 10/3 */
    CHECK(pl.nrecs == 4);
    CHECK(pl.recs[1].kind == REC_BINARY && pl.recs[1].n1 == 5000 && pl.recs[1].n2 == 3);
    CHECK(pl.recs[2].kind == REC_BINARY_END);
    CHECK(pl.recs[3].kind == REC_BINARY && pl.recs[3].n1 == 10 && pl.recs[3].n2 == 3);
    /* content depends only on (seed, name): prefixes agree */
    uint8_t small[10];
    msnftp_content(sc.set.seed, "notes.txt", small, sizeof small);
    CHECK(!memcmp(small, content, sizeof small));
    CHECK(msnftp_block_count(4100, 2045) == 3 && msnftp_block_count(4090, 2045) == 2);
    plan_free(&pl);
    scenario_free(&sc);
}

static void test_checksum(void)
{
    /* Classic IPv4 header example; its checksum is 0xb861. */
    uint8_t h[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                     0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
    CHECK(csum_fold(csum_add(0, h, 20)) == 0xb861);
    /* A built frame verifies to zero over the IP header. */
    endpoint_t a, b;
    CHECK(endpoint_parse("192.0.2.10:1026", &a) == 0);
    CHECK(endpoint_parse("207.46.106.145:1863", &b) == 0);
    tcp_packet_t tp;
    memset(&tp, 0, sizeof tp);
    tp.src = &a;
    tp.dst = &b;
    tp.outgoing = 1;
    tp.seq = 1;
    tp.flags = TCPF_ACK | TCPF_PSH;
    tp.ttl = 128;
    tp.payload = (const uint8_t *)"PNG\r\n";
    tp.len = 5;
    uint8_t frame[FRAME_MAX];
    size_t n = build_frame(frame, LINK_ETHERNET, 0, &tp);
    CHECK(n == 14 + 20 + 20 + 5);
    CHECK(csum_fold(csum_add(0, frame + 14, 20)) == 0);
    /* TCP: pseudo-header + segment sums to 0xffff */
    uint8_t ph[12];
    memcpy(ph, a.addr, 4);
    memcpy(ph + 4, b.addr, 4);
    ph[8] = 0;
    ph[9] = 6;
    ph[10] = 0;
    ph[11] = 25;
    CHECK(csum_fold(csum_add(csum_add(0, ph, 12), frame + 34, 25)) == 0);
}

static void test_addresses(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"192.0.2.1:1863", "192.0.2.1:1863"},
        {"[2001:DB8:0:0:0:0:0:1]:1863", "[2001:db8::1]:1863"},
        {"[2001:db8:0:1:0:0:0:1]:80", "[2001:db8:0:1::1]:80"},
        {"[2001:db8:0:0:1:0:0:1]:80", "[2001:db8::1:0:0:1]:80"},
        {"[::]:1", "[::]:1"},
        {"[::1]:2", "[::1]:2"},
        {"[2001:db8:1:2:3:4:5:0]:3", "[2001:db8:1:2:3:4:5:0]:3"},
        {"[fe80::]:4", "[fe80::]:4"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        endpoint_t ep;
        char out[64];
        CHECK(endpoint_parse(cases[i].in, &ep) == 0);
        endpoint_format(&ep, out, sizeof out);
        if (strcmp(out, cases[i].out)) {
            fprintf(stderr, "address %s -> %s, want %s\n", cases[i].in, out, cases[i].out);
            failures++;
        }
    }
    endpoint_t ep;
    CHECK(endpoint_parse("192.0.2.1", &ep) < 0);
    CHECK(endpoint_parse("[::1:2", &ep) < 0);
    CHECK(endpoint_parse("192.0.2.1:0x10", &ep) < 0);
}

static void test_numbers(void)
{
    int64_t ns;
    uint32_t ppm;
    uint64_t u;
    CHECK(parse_seconds("0.250", &ns) == 0 && ns == 250000000);
    CHECK(parse_seconds("2", &ns) == 0 && ns == 2000000000);
    CHECK(parse_seconds(".000001", &ns) == 0 && ns == 1000);
    CHECK(parse_seconds("1e3", &ns) < 0 && parse_seconds("-1", &ns) < 0);
    CHECK(parse_prob("0.05", &ppm) == 0 && ppm == 50000);
    CHECK(parse_prob("1", &ppm) == 0 && ppm == 1000000);
    CHECK(parse_prob("1.1", &ppm) < 0);
    CHECK(parse_u64("0x10", &u) == 0 && u == 16);
    CHECK(parse_u64("18446744073709551616", &u) < 0);
    CHECK(parse_utc("2003-07-03T15:00:00Z", &ns) == 0 && ns == INT64_C(1057244400) * NS_PER_SEC);
    CHECK(parse_utc("2003-07-03T15:00:00.5Z", &ns) == 0 &&
          ns == INT64_C(1057244400) * NS_PER_SEC + 500000000);
    char buf[64];
    format_utc(INT64_C(1057244400) * NS_PER_SEC + 1000, buf, sizeof buf);
    CHECK(!strcmp(buf, "2003-07-03T15:00:00.000001Z"));
    /* the PRNG is splitmix64: first output for state 0 */
    rng_t r = {0};
    CHECK(rng_next(&r) == UINT64_C(0xe220a8397b1dcdaf));
}

static int same_pkt(const pkt_t *a, const pkt_t *b)
{
    return a->t == b->t && a->key == b->key && a->off == b->off && a->conn == b->conn &&
           a->seq == b->seq && a->ack == b->ack && a->len == b->len && a->side == b->side &&
           a->flags == b->flags && a->syn == b->syn && a->lost == b->lost && a->rtx == b->rtx;
}

static void test_determinism(void)
{
    const char *text = "conn a 192.0.2.1:1025 207.46.1.1:1863\n"
                       "repeat 20\n"
                       "a > PNG\n"
                       "a < QNG\n"
                       "a > MSG 1 N {len}\n"
                       "  | 0123456789012345678901234567890123456789\n"
                       "end\n"
                       "fin a server\n";
    scenario_t sc;
    char err[512];
    CHECK(parse(&sc, text, err, sizeof err) == 0);
    settings_t set = sc.set;
    set.split_mode = SPLIT_RANDOM;
    set.reorder_ppm = set.retransmit_ppm = 200000;
    set.loss_ppm = 100000;
    plan_t p1, p2, p3;
    CHECK(plan_build(&p1, &sc, &set, err, sizeof err) == 0);
    CHECK(plan_build(&p2, &sc, &set, err, sizeof err) == 0);
    CHECK(p1.npkts == p2.npkts);
    for (size_t i = 0; i < p1.npkts && i < p2.npkts; i++)
        CHECK(same_pkt(&p1.pkts[i], &p2.pkts[i]));
    /* Turning loss off changes nothing but the lost flags, and the copies of
     * lost segments: the receiver got those and acknowledged them, so with
     * loss they are never retransmitted. The planned segments come first
     * (same in both), the retransmitted copies after them. */
    set.loss_ppm = 0;
    CHECK(plan_build(&p3, &sc, &set, err, sizeof err) == 0);
    CHECK(p3.npkts > p1.npkts);
    size_t n0 = 0;
    while (n0 < p1.npkts && !p1.pkts[n0].rtx)
        n0++;
    int lost = 0;
    for (size_t i = 0; i < n0 && i < p3.npkts; i++) {
        lost += p1.pkts[i].lost;
        pkt_t q = p1.pkts[i];
        q.lost = 0;
        CHECK(same_pkt(&q, &p3.pkts[i]));
    }
    CHECK(lost > 0);
    size_t k = n0, extra = 0;
    for (size_t i = n0; i < p3.npkts; i++) {
        pkt_t q = p3.pkts[i];
        if (k < p1.npkts) {
            q.key = p1.pkts[k].key;
            if (same_pkt(&q, &p1.pkts[k])) {
                k++;
                continue;
            }
        }
        /* a copy only the lossless plan has: of a segment the lossy one lost */
        int of_lost = 0;
        for (size_t j = 0; j < n0; j++) {
            const pkt_t *o = &p1.pkts[j];
            of_lost |= o->lost && o->conn == q.conn && o->side == q.side &&
                       o->off < q.off + q.len && q.off < o->off + o->len;
        }
        CHECK(q.rtx && of_lost);
        extra++;
    }
    CHECK(k == p1.npkts && extra > 0);
    /* Data segments of one direction cover the stream contiguously. */
    uint64_t next[2] = {0, 0};
    for (size_t i = 0; i < p3.npkts; i++) {
        const pkt_t *p = &p3.pkts[i];
        if (!p->len || p->rtx)
            continue;
        CHECK(p->off == next[p->side]);
        CHECK(p->seq - p3.pkts[0].seq - 1 == (uint32_t)p->off || p->side == 1);
        next[p->side] = p->off + p->len;
    }
    CHECK(next[0] == p3.streams[0].len && next[1] == p3.streams[1].len);
    plan_free(&p1);
    plan_free(&p2);
    plan_free(&p3);
    scenario_free(&sc);
}

/* Scenario text -> plan; returns plan_build's status, message in err. */
static int plan_text(const char *text, scenario_t *sc, plan_t *pl, char *err, size_t errlen)
{
    int rc = parse(sc, text, err, errlen);
    if (rc)
        return rc;
    return plan_build(pl, sc, &sc->set, err, errlen);
}

/* The n-th HTTP message (head + body) of a stream starting at *pos. */
static int next_http(const buf_t *st, size_t *pos, const char **head, size_t *headlen,
                     const char **body, size_t *bodylen)
{
    const char *p = (const char *)st->data + *pos;
    size_t left = st->len - *pos;
    const char *end = NULL;
    for (size_t i = 0; i + 4 <= left; i++)
        if (!memcmp(p + i, "\r\n\r\n", 4)) {
            end = p + i + 4;
            break;
        }
    if (!end)
        return 0;
    const char *cl = strstr(p, "Content-Length: ");
    if (!cl || cl > end)
        return 0;
    size_t n = (size_t)strtoul(cl + 16, NULL, 10);
    *head = p;
    *headlen = (size_t)(end - p);
    *body = end;
    *bodylen = n;
    *pos += *headlen + n;
    return *pos <= st->len;
}

static void test_gateway(void)
{
    char date[40];
    http_date(INT64_C(1057248000) * NS_PER_SEC + 999999999, date, sizeof date);
    CHECK(!strcmp(date, "Thu, 03 Jul 2003 16:00:00 GMT"));
    http_date(INT64_C(951868799) * NS_PER_SEC, date, sizeof date);
    CHECK(!strcmp(date, "Tue, 29 Feb 2000 23:59:59 GMT"));

    static const struct {
        const char *text;
        const char *msg;
    } bad_parse[] = {
        {"gateway g XX host\n", "t.msnp:1: usage: gateway NAME NS|SB TARGET"},
        {"gateway http NS host\n", "t.msnp:1: invalid connection name 'http'"},
        {"gateway g NS a&b\n", "t.msnp:1: bad gateway target"},
        {"conn a 192.0.2.1:1 192.0.2.2:80\nhttp a a\n", "t.msnp:2: 'a' is not a gateway session"},
        {"gateway g NS h\nhttp g g\n", "t.msnp:2: 'g' is a gateway session, not a TCP"},
        {"gateway g NS h\ng >msnftp x 10\n", "t.msnp:2: MSNFTP data cannot be sent over"},
        {"gateway g NS h\nfin g\n", "t.msnp:2: 'g' is a gateway session: fin its TCP"},
    };
    for (size_t i = 0; i < sizeof bad_parse / sizeof bad_parse[0]; i++) {
        scenario_t sc;
        char err[512] = "";
        int rc = parse(&sc, bad_parse[i].text, err, sizeof err);
        if (rc != GEN_EXIT_SCENARIO ||
            strncmp(err, bad_parse[i].msg, strlen(bad_parse[i].msg)) != 0) {
            fprintf(stderr, "gateway parse case %zu: rc %d, '%s', want '%s'\n", i, rc, err,
                    bad_parse[i].msg);
            failures++;
        }
        scenario_free(&sc);
    }
    static const char base[] = "conn a 192.0.2.1:1040 207.46.110.18:80\n"
                               "conn b 192.0.2.1:1041 207.46.110.19:80\n"
                               "gateway g NS messenger.hotmail.com\n";
    static const struct {
        const char *text;
        const char *msg;
    } bad_plan[] = {
        {"g > VER 1 MSNP8\n", "t.msnp:4: a gateway session sends only inside an 'http'"},
        {"http a g\ng > VER 1 MSNP8\ng < VER 1 MSNP8\ng > CVR 2\n",
         "t.msnp:7: in an exchange the client"},
        {"http a g\nwait 1\n", "t.msnp:4: the first request of a gateway session carries"},
        {"http a g close\ng > VER 1 MSNP8\nhttp a g\n", "t.msnp:6: the gateway ended this"},
        {"http a g\ng > VER 1 MSNP8\nhttp b g\n", "t.msnp:6: a gateway session continues at"},
        {"\n", "t.msnp:3: gateway session never opened"},
        {"http a g\ng > VER 1 MSNP8\nfin a\nhttp a g\n", "t.msnp:7: connection already closed"},
    };
    for (size_t i = 0; i < sizeof bad_plan / sizeof bad_plan[0]; i++) {
        char text[512], err[512] = "";
        snprintf(text, sizeof text, "%s%s", base, bad_plan[i].text);
        scenario_t sc;
        plan_t pl;
        memset(&pl, 0, sizeof pl);
        int rc = plan_text(text, &sc, &pl, err, sizeof err);
        if (rc != GEN_EXIT_SCENARIO ||
            strncmp(err, bad_plan[i].msg, strlen(bad_plan[i].msg)) != 0) {
            fprintf(stderr, "gateway plan case %zu: rc %d, '%s', want '%s'\n", i, rc, err,
                    bad_plan[i].msg);
            failures++;
        }
        plan_free(&pl);
        scenario_free(&sc);
    }

    /* Two sessions on one TCP connection, a poll, a second TCP connection. */
    static const char text[] = "conn a 192.0.2.1:1040 207.46.110.18:80\n"
                               "conn c 192.0.2.1:1045 207.46.110.18:80\n"
                               "gateway g NS messenger.hotmail.com\n"
                               "gateway s SB 207.46.108.37\n"
                               "http a g\n"
                               "g > VER 1 MSNP8 CVR0\n"
                               "g < VER 1 MSNP8 CVR0\n"
                               "http a s\n"
                               "s > USR 1 a@b.c 1.2.3\n"
                               "s > CAL 2 x@y.z\n"
                               "s < USR 1 OK a@b.c A\n"
                               "s < CAL 2 RINGING 42\n"
                               "http a g\n"
                               "http c g close\n"
                               "g > OUT\n";
    scenario_t sc;
    plan_t pl;
    char err[512] = "";
    CHECK(plan_text(text, &sc, &pl, err, sizeof err) == 0);
    for (int k = 0; k < 4; k++) { /* NUL-terminate the streams for the string functions */
        buf_putc(&pl.streams[k], 0);
        pl.streams[k].len--;
    }
    const buf_t *req = &pl.streams[0], *resp = &pl.streams[1];
    const char *h, *b;
    size_t hl, bl, qpos = 0, rpos = 0;
    static const char open_head[] =
        "POST http://gateway.messenger.hotmail.com/gateway/gateway.dll?Action=open&Server=NS"
        "&IP=messenger.hotmail.com HTTP/1.1\r\nAccept: */*\r\nAccept-Language: en-us\r\n"
        "Accept-Encoding: gzip, deflate\r\nUser-Agent: MSMSGS\r\n"
        "Host: gateway.messenger.hotmail.com\r\nConnection: Keep-Alive\r\n"
        "Pragma: no-cache\r\nContent-Type: application/x-msn-messenger\r\n"
        "Content-Length: 18\r\n\r\n";
    CHECK(next_http(req, &qpos, &h, &hl, &b, &bl));
    CHECK(hl == sizeof open_head - 1 && !memcmp(h, open_head, hl));
    CHECK(bl == 18 && !memcmp(b, "VER 1 MSNP8 CVR0\r\n", 18));
    CHECK(next_http(resp, &rpos, &h, &hl, &b, &bl));
    static const char resp_head[] = "HTTP/1.1 200 OK\r\nServer: Microsoft-IIS/5.0\r\n"
                                    "Date: Thu, 03 Jul 2003 15:00:00 GMT\r\n"
                                    "X-MSN-Messenger: SessionID=";
    CHECK(!strncmp(h, resp_head, sizeof resp_head - 1));
    char sid1[32] = "", sid2[32] = "", quoted[160];
    sscanf(h + sizeof resp_head - 1, "%31[0-9.]", sid1);
    CHECK(!strcmp(sid1, pl.gws[2].first_sid));
    CHECK(strstr(h, "; GW-IP=207.46.110.18\r\n") != NULL);
    /* the SB session opens on the same connection, two commands each way */
    CHECK(next_http(req, &qpos, &h, &hl, &b, &bl));
    CHECK(strstr(h, "Action=open&Server=SB&IP=207.46.108.37 HTTP/1.1\r\n") != NULL);
    CHECK(bl == 32 && !memcmp(b, "USR 1 a@b.c 1.2.3\r\nCAL 2 x@y.z\r\n", 32));
    CHECK(next_http(resp, &rpos, &h, &hl, &b, &bl));
    CHECK(bl == 36 && !memcmp(b, "USR 1 OK a@b.c A\r\nCAL 2 RINGING 42\r\n", 36));
    /* the NS session polls, quoting the SessionID of its last response */
    CHECK(next_http(req, &qpos, &h, &hl, &b, &bl));
    snprintf(quoted, sizeof quoted, "POST http://207.46.110.18/gateway/gateway.dll?Action=poll"
                                    "&SessionID=%s HTTP/1.1\r\n", sid1);
    CHECK(!strncmp(h, quoted, strlen(quoted)) && bl == 0 && strstr(h, "Host: 207.46.110.18\r\n"));
    CHECK(next_http(resp, &rpos, &h, &hl, &b, &bl));
    sscanf(strstr(h, "SessionID=") + 10, "%31[0-9.]", sid2);
    CHECK(bl == 0 && strcmp(sid1, sid2) != 0 && !strncmp(sid1, sid2, strchr(sid1, '.') - sid1));
    CHECK(qpos == req->len && rpos == resp->len);
    /* ... and goes on over the second TCP connection, where the gateway ends it */
    qpos = rpos = 0;
    CHECK(next_http(&pl.streams[2], &qpos, &h, &hl, &b, &bl));
    snprintf(quoted, sizeof quoted, "?SessionID=%s HTTP/1.1\r\n", sid2);
    CHECK(strstr(h, quoted) != NULL && bl == 5 && !memcmp(b, "OUT\r\n", 5));
    CHECK(next_http(&pl.streams[3], &rpos, &h, &hl, &b, &bl));
    CHECK(strstr(h, "; GW-IP=207.46.110.18; Session=close\r\n") != NULL && bl == 0);
    /* records: of the sessions, pointing into the carriers' streams */
    size_t nrec[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < pl.nrecs; i++) {
        const record_t *r = &pl.recs[i];
        const buf_t *st = &pl.streams[r->carrier * 2 + r->side];
        nrec[r->conn]++;
        CHECK(r->conn >= 2 && r->carrier < 2 && r->hstart < r->hend && r->hend <= r->start);
        CHECK(r->end <= st->len &&
              !memcmp(st->data + r->start, sc.arena.data + r->aoff, r->alen));
    }
    CHECK(nrec[0] == 0 && nrec[1] == 0 && nrec[2] == 3 && nrec[3] == 4);
    /* the truth lists them as two logical connections */
    FILE *f = tmpfile();
    CHECK(f && write_truth_records(&pl, f) == 0);
    char truth[2048] = "";
    if (f) {
        rewind(f);
        truth[fread(truth, 1, sizeof truth - 1, f)] = '\0';
        fclose(f);
    }
    char want[1024];
    snprintf(want, sizeof want,
             "conn a 192.0.2.1:1040 207.46.110.18:80\n"
             "conn c 192.0.2.1:1045 207.46.110.18:80\n"
             "gateway g 192.0.2.1:1040 207.46.110.18:80 NS messenger.hotmail.com %s\n"
             "c2s VER 1 MSNP8 CVR0\ns2c VER 1 MSNP8 CVR0\nc2s OUT\n"
             "gateway s 192.0.2.1:1040 207.46.110.18:80 SB 207.46.108.37 %s\n"
             "c2s USR 1 a@b.c 1.2.3\nc2s CAL 2 x@y.z\ns2c USR 1 OK a@b.c A\n"
             "s2c CAL 2 RINGING 42\n",
             sid1, pl.gws[3].first_sid);
    if (strcmp(truth, want)) {
        fprintf(stderr, "gateway truth:\n%s\nwant:\n%s\n", truth, want);
        failures++;
    }
    plan_free(&pl);
    scenario_free(&sc);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    buf_t b = {0};
    char tmp[65536];
    size_t k;
    if (!f)
        return NULL;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_append(&b, tmp, k);
    fclose(f);
    buf_putc(&b, 0);
    *n = b.len - 1;
    return (char *)b.data;
}

/* Count "key": N in the counts file. */
static long long count_of(const char *json, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = json ? strstr(json, pat) : NULL;
    return p ? atoll(p + strlen(pat)) : -1;
}

/* Population mode: deterministic, streamed in time order, and its counts
 * agree with its own ground truth. */
static void test_population(void)
{
    char dir[] = "/tmp/msnpgen-selftest-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return;
    }
    char cap[2][96], tru[2][96], cnt[2][96];
    pop_opts_t po;
    pop_opts_default(&po);
    po.users = 12;
    po.arrival_ns = 20 * NS_PER_SEC;
    settings_t set;
    settings_default(&set);
    set.seed = 99;
    for (int k = 0; k < 2; k++) {
        snprintf(cap[k], sizeof cap[k], "%s/p%d.pcap", dir, k);
        snprintf(tru[k], sizeof tru[k], "%s/p%d.truth", dir, k);
        snprintf(cnt[k], sizeof cnt[k], "%s/p%d.json", dir, k);
        CHECK(population_run(&po, &set, cap[k], tru[k], cnt[k], 0) == 0);
    }
    size_t n[2], m[2], q;
    char *c0 = slurp(cap[0], &n[0]), *c1 = slurp(cap[1], &n[1]);
    char *t0 = slurp(tru[0], &m[0]), *t1 = slurp(tru[1], &m[1]);
    char *js = slurp(cnt[0], &q);
    CHECK(c0 && c1 && n[0] == n[1] && !memcmp(c0, c1, n[0]));
    CHECK(t0 && t1 && m[0] == m[1] && !memcmp(t0, t1, m[0]));
    /* packets in non-decreasing time order (pcap, microseconds) */
    if (c0 && n[0] > 24) {
        uint64_t prev = 0, pk = 0;
        for (size_t o = 24; o + 16 <= n[0];) {
            const uint8_t *h = (const uint8_t *)c0 + o;
            uint64_t ts = (uint64_t)(h[0] | h[1] << 8 | h[2] << 16 | (uint32_t)h[3] << 24) *
                              1000000u +
                          (uint32_t)(h[4] | h[5] << 8 | h[6] << 16 | (uint32_t)h[7] << 24);
            uint32_t len = (uint32_t)(h[8] | h[9] << 8 | h[10] << 16 | (uint32_t)h[11] << 24);
            CHECK(ts >= prev);
            prev = ts;
            pk++;
            o += 16 + len;
        }
        CHECK((long long)pk == count_of(js, "packets"));
    }
    /* commands and connections of the counts = lines of the truth */
    long long lines = 0, conns = 0;
    for (const char *p = t0; p && *p;) {
        if (!strncmp(p, "c2s ", 4) || !strncmp(p, "s2c ", 4))
            lines++;
        else if (!strncmp(p, "conn ", 5))
            conns++;
        const char *e = strchr(p, '\n');
        p = e ? e + 1 : p + strlen(p);
    }
    CHECK(lines > 1000 && lines == count_of(js, "commands"));
    CHECK(conns >= 36 && conns == count_of(js, "connections"));
    CHECK(count_of(js, "users") == 12 && count_of(js, "text_messages") > 0);
    free(c0);
    free(c1);
    free(t0);
    free(t1);
    free(js);
    for (int k = 0; k < 2; k++) {
        remove(cap[k]);
        remove(tru[k]);
        remove(cnt[k]);
    }
    remove(dir);
}

int main(void)
{
    test_escapes();
    test_payloads();
    test_errors();
    test_msnftp();
    test_checksum();
    test_addresses();
    test_numbers();
    test_determinism();
    test_gateway();
    test_population();
    if (failures) {
        fprintf(stderr, "msnpgen selftest: %d failure(s)\n", failures);
        return 1;
    }
    puts("msnpgen selftest: all checks passed");
    return 0;
}
