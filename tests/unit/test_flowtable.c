/* Unit tests for cli/flowtable.c: side numbering, growth by rehashing,
 * deletion (backward shift) against a model under heavy load, eviction and
 * activity order, the max_flows limit, foreach with removal, ids, and that
 * removing a flow frees its reassembly memory. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flowtable.h"

#include "check.h"

static uint32_t rnd(void)
{
    return check_rand();
}

/* Client k (10.x.y.z:port) to server 192.0.2.1:1863; IPv6 when v6. */
static tcp_segment seg_k(uint32_t k, int v6, int reverse)
{
    tcp_segment s;
    memset(&s, 0, sizeof s);
    net_addr c = {0}, srv = {0};
    if (v6) {
        c.family = srv.family = 6;
        c.bytes[0] = 0x20;
        c.bytes[1] = 0x01;
        c.bytes[12] = (uint8_t)(k >> 24);
        c.bytes[13] = (uint8_t)(k >> 16);
        c.bytes[14] = (uint8_t)(k >> 8);
        c.bytes[15] = (uint8_t)k;
        srv.bytes[0] = 0x20;
        srv.bytes[1] = 0x01;
        srv.bytes[15] = 1;
    } else {
        c.family = srv.family = 4;
        c.bytes[0] = 10;
        c.bytes[1] = (uint8_t)(k >> 16);
        c.bytes[2] = (uint8_t)(k >> 8);
        c.bytes[3] = (uint8_t)k;
        srv.bytes[0] = 192;
        srv.bytes[2] = 2;
        srv.bytes[3] = 1;
    }
    uint16_t cport = (uint16_t)(1024 + (k >> 24) * 7 + (k & 7));
    if (reverse) {
        s.src = srv;
        s.dst = c;
        s.sport = 1863;
        s.dport = cport;
    } else {
        s.src = c;
        s.dst = srv;
        s.sport = cport;
        s.dport = 1863;
    }
    return s;
}

static void test_sides_and_ids(void)
{
    flowtable *t = flowtable_new(100);
    CHECK(t != NULL);
    int side = -1, created = -1;
    /* the server speaks first: it becomes side 0 */
    tcp_segment s = seg_k(1, 0, 1);
    CHECK(flowtable_get(t, &s, &side, 0, &created) == NULL);
    CHECK_EQ(created, 0);
    flow *f = flowtable_get(t, &s, &side, 1, &created);
    CHECK(f != NULL);
    CHECK_EQ(created, 1);
    CHECK_EQ(side, 0);
    CHECK_EQ(f->id, 1);
    CHECK_EQ(f->port[0], 1863);
    CHECK(net_addr_equal(&f->addr[0], &s.src));
    CHECK(f->half[0].budget == NULL); /* zeroed: the caller initialises the halves */
    CHECK_EQ(f->half[0].state, TCP_HALF_NEW);
    CHECK(f->app == NULL);
    tcp_segment r = seg_k(1, 0, 0);
    CHECK(flowtable_get(t, &r, &side, 1, &created) == f);
    CHECK_EQ(side, 1);
    CHECK_EQ(created, 0);
    CHECK(flowtable_get(t, &s, &side, 1, NULL) == f);
    CHECK_EQ(side, 0);
    /* IPv4 addresses compare on 4 bytes only */
    tcp_segment g = r;
    g.src.bytes[9] = 0x55;
    CHECK(flowtable_get(t, &g, &side, 0, NULL) == f);
    CHECK_EQ(side, 1);
    /* same numbers over IPv6: another flow */
    tcp_segment v = seg_k(1, 1, 0);
    flow *f2 = flowtable_get(t, &v, &side, 1, &created);
    CHECK(f2 && f2 != f);
    CHECK_EQ(f2->id, 2);
    /* port differs: another flow */
    tcp_segment p = r;
    p.sport++;
    flow *f3 = flowtable_get(t, &p, &side, 1, NULL);
    CHECK(f3 && f3 != f && f3 != f2);
    CHECK_EQ(f3->id, 3);
    /* a connection to itself: always side 0 */
    tcp_segment self = r;
    self.dst = self.src;
    self.dport = self.sport;
    flow *f4 = flowtable_get(t, &self, &side, 1, NULL);
    CHECK(f4 != NULL);
    CHECK(flowtable_get(t, &self, &side, 0, NULL) == f4);
    CHECK_EQ(side, 0);
    CHECK_EQ(flowtable_count(t), 4);
    /* ids keep growing when structs are recycled */
    flowtable_remove(t, f3);
    CHECK(flowtable_get(t, &p, &side, 0, NULL) == NULL);
    flow *f5 = flowtable_get(t, &p, &side, 1, NULL);
    CHECK_EQ(f5->id, 5);
    CHECK_EQ(flowtable_count(t), 4);
    /* touch */
    flowtable_touch(t, f, 10, 1000);
    flowtable_touch(t, f, 12, 1500);
    CHECK_EQ(f->first_frame, 10);
    CHECK_EQ(f->last_frame, 12);
    CHECK_EQ(f->first_ts, 1000);
    CHECK_EQ(f->last_ts, 1500);
    CHECK_EQ(f->packets, 2);
    flowtable_free(t, NULL, NULL);
}

static void test_growth(void)
{
    const uint32_t n = 100000;
    flowtable *t = flowtable_new(n);
    size_t cap0 = flowtable_capacity(t);
    CHECK(cap0 >= 1 && (cap0 & (cap0 - 1)) == 0);
    flow **fs = malloc(n * sizeof *fs);
    for (uint32_t k = 0; k < n; k++) {
        tcp_segment s = seg_k(k, (int)(k & 1), (int)(k % 3 == 0));
        int created = 0;
        fs[k] = flowtable_get(t, &s, NULL, 1, &created);
        CHECK(fs[k] != NULL && created);
        size_t cap = flowtable_capacity(t);
        CHECK((cap & (cap - 1)) == 0);
        CHECK(flowtable_count(t) <= cap - cap / 4);
    }
    CHECK_EQ(flowtable_count(t), n);
    CHECK(flowtable_capacity(t) > cap0);
    CHECK(flowtable_full(t));
    int bad = 0;
    for (uint32_t k = 0; k < n; k++) {
        int side = -1;
        tcp_segment s = seg_k(k, (int)(k & 1), 0);
        if (flowtable_get(t, &s, &side, 0, NULL) != fs[k] || side != (k % 3 == 0 ? 1 : 0))
            bad++;
        if (fs[k]->id != k + 1)
            bad++;
    }
    CHECK_EQ(bad, 0);
    /* full: no more creation until something goes */
    tcp_segment extra = seg_k(n + 5, 0, 0);
    CHECK(flowtable_get(t, &extra, NULL, 1, NULL) == NULL);
    flowtable_remove(t, flowtable_oldest(t));
    CHECK(flowtable_get(t, &extra, NULL, 1, NULL) != NULL);
    /* remove every other flow; the others are still found */
    for (uint32_t k = 1; k < n; k += 2)
        flowtable_remove(t, fs[k]);
    bad = 0;
    for (uint32_t k = 2; k < n; k++) {
        tcp_segment s = seg_k(k, (int)(k & 1), 0);
        flow *f = flowtable_get(t, &s, NULL, 0, NULL);
        if ((k & 1) ? f != NULL : f != fs[k])
            bad++;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(flowtable_count(t), n / 2);
    free(fs);
    flowtable_free(t, NULL, NULL);
}

/* Random inserts, lookups and removals in a small key space against a
 * model, at the load limit of a small table (long probe runs, many
 * backward shifts). */
static void test_model(void)
{
    enum { KEYS = 300, MAXF = 96 };
    for (int round = 0; round < 4; round++) {
        flowtable *t = flowtable_new(MAXF);
        flow *model[KEYS] = {0};
        size_t count = 0;
        int bad = 0;
        for (int it = 0; it < 200000; it++) {
            uint32_t k = rnd() % KEYS;
            tcp_segment s = seg_k(k * 2654435761u, (int)(k % 5 == 0), (int)(rnd() & 1));
            int op = (int)(rnd() % 3);
            if (op == 0) { /* get-or-create */
                int created = 0;
                flow *f = flowtable_get(t, &s, NULL, 1, &created);
                if (model[k]) {
                    if (f != model[k] || created)
                        bad++;
                } else if (count < MAXF) {
                    if (!f || !created)
                        bad++;
                    model[k] = f;
                    count++;
                } else if (f) {
                    bad++;
                }
            } else if (op == 1) { /* lookup, the flow touched now and then: the
                                    * last touched one is found first */
                flow *f = flowtable_get(t, &s, NULL, 0, NULL);
                if (f != model[k])
                    bad++;
                if (f && (rnd() & 1))
                    flowtable_touch(t, f, (uint64_t)it + 1, it);
            } else if (model[k]) { /* remove */
                flowtable_remove(t, model[k]);
                model[k] = NULL;
                count--;
            }
            if (flowtable_count(t) != count)
                bad++;
        }
        /* every key agrees at the end */
        for (uint32_t k = 0; k < KEYS; k++) {
            tcp_segment s = seg_k(k * 2654435761u, (int)(k % 5 == 0), 0);
            if (flowtable_get(t, &s, NULL, 0, NULL) != model[k])
                bad++;
        }
        CHECK_EQ(bad, 0);
        CHECK_EQ(flowtable_capacity(t), 128); /* 96 flows at load 3/4 */
        flowtable_free(t, NULL, NULL);
    }
}

static void test_lru(void)
{
    flowtable *t = flowtable_new(5);
    CHECK(flowtable_oldest(t) == NULL);
    flow *f[6];
    for (uint32_t k = 1; k <= 5; k++) {
        tcp_segment s = seg_k(k, 0, 0);
        f[k] = flowtable_get(t, &s, NULL, 1, NULL);
        flowtable_touch(t, f[k], k, (int64_t)k * 10);
    }
    CHECK(flowtable_oldest(t) == f[1]);
    flowtable_touch(t, f[3], 6, 60);
    flowtable_touch(t, f[1], 7, 70);
    flowtable_touch(t, f[1], 8, 80); /* already the most recent */
    /* order now: 2 4 5 3 1 */
    static const int order[] = {2, 4, 5, 3, 1};
    tcp_segment s6 = seg_k(6, 0, 0);
    CHECK(flowtable_get(t, &s6, NULL, 1, NULL) == NULL); /* full */
    for (int i = 0; i < 5; i++) {
        flow *o = flowtable_oldest(t);
        CHECK(o == f[order[i]]);
        flowtable_remove(t, o);
    }
    CHECK(flowtable_oldest(t) == NULL);
    CHECK_EQ(flowtable_count(t), 0);
    /* idle expiry by capture time, as the CLI would do it */
    for (uint32_t k = 1; k <= 5; k++) {
        tcp_segment s = seg_k(k, 0, 0);
        f[k] = flowtable_get(t, &s, NULL, 1, NULL);
        flowtable_touch(t, f[k], k, (int64_t)k * 100);
    }
    int64_t now = 450, timeout = 200;
    int expired = 0;
    flow *o;
    while ((o = flowtable_oldest(t)) && o->last_ts + timeout < now) {
        flowtable_remove(t, o);
        expired++;
    }
    CHECK_EQ(expired, 2);
    CHECK_EQ(flowtable_count(t), 3);
    flowtable_free(t, NULL, NULL);
}

static void remove_even(flow *f, void *ctx)
{
    flowtable *t = ctx;
    if (f->id % 2 == 0)
        flowtable_remove(t, f);
}

static void count_flow(flow *f, void *ctx)
{
    (void)f;
    ++*(int *)ctx;
}

static void collect_ids(flow *f, void *ctx)
{
    uint64_t **p = ctx;
    *(*p)++ = f->id;
}

static void test_foreach_and_free(void)
{
    tcp_budget b;
    tcp_budget_init(&b);
    flowtable *t = flowtable_new(1000);
    for (uint32_t k = 0; k < 500; k++) {
        tcp_segment s = seg_k(k, 0, 0);
        flow *f = flowtable_get(t, &s, NULL, 1, NULL);
        flowtable_touch(t, f, k, 0);
    }
    flowtable_foreach(t, remove_even, t);
    CHECK_EQ(flowtable_count(t), 250);
    int n = 0;
    flowtable_foreach(t, count_flow, &n);
    CHECK_EQ(n, 250);
    uint64_t ids[250], *p = ids;
    flowtable_foreach(t, collect_ids, &p);
    int ordered = 1;
    for (int i = 0; i < 250; i++)
        if (ids[i] != (uint64_t)(2 * i + 1))
            ordered = 0;
    CHECK(ordered); /* least recently touched first */

    /* reassembly memory held by a flow is released with it */
    tcp_segment s = seg_k(1, 0, 0);
    int side = 0;
    flow *f = flowtable_get(t, &s, &side, 1, NULL);
    tcp_half_init(&f->half[0], 0, &b);
    tcp_half_init(&f->half[1], 1, &b);
    static const uint8_t bytes[300] = {1};
    s.seq = 1000;
    s.flags = TCP_ACK;
    s.payload = bytes;
    s.payload_len = s.captured = 100;
    tcp_reasm_packet(f->half, side, &s, 1, NULL, NULL);
    s.seq = 1200;
    tcp_reasm_packet(f->half, side, &s, 2, NULL, NULL);
    CHECK_EQ(b.held_total, 100);
    CHECK(b.history_total > 0);
    flowtable_remove(t, f);
    CHECK_EQ(b.held_total, 0);
    CHECK_EQ(b.history_total, 0);

    /* and at teardown, after on_free saw every flow */
    s = seg_k(3, 0, 0);
    f = flowtable_get(t, &s, &side, 1, NULL);
    tcp_half_init(&f->half[0], 0, &b);
    tcp_half_init(&f->half[1], 1, &b);
    s.seq = 1;
    s.flags = TCP_ACK;
    s.payload = bytes;
    s.payload_len = s.captured = 10;
    tcp_reasm_packet(f->half, side, &s, 1, NULL, NULL);
    s.seq = 100;
    tcp_reasm_packet(f->half, side, &s, 2, NULL, NULL);
    CHECK_EQ(b.held_total, 10);
    int freed = 0;
    flowtable_free(t, count_flow, &freed);
    CHECK_EQ(freed, 251); /* 250 + the one just created (its key had been removed) */
    CHECK_EQ(b.held_total, 0);
    CHECK_EQ(b.history_total, 0);
}

static void test_limits(void)
{
    flowtable *t = flowtable_new(0); /* at least one flow */
    tcp_segment s1 = seg_k(1, 0, 0), s2 = seg_k(2, 0, 0);
    CHECK(flowtable_get(t, &s1, NULL, 1, NULL) != NULL);
    CHECK(flowtable_get(t, &s2, NULL, 1, NULL) == NULL);
    CHECK(flowtable_full(t));
    flowtable_free(t, NULL, NULL);
    flowtable_free(NULL, NULL, NULL);
}

int main(void)
{
    check_rng_state = 0x2545f4914f6cdd1dULL;
    test_sides_and_ids();
    test_growth();
    test_model();
    test_lru();
    test_foreach_and_free();
    test_limits();
    return check_exit("test_flowtable");
}
