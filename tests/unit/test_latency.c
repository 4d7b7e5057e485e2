/* The stats view's response-time histogram (cli/latency.c): buckets that
 * cover every time in order, at most 1/16 wide; exact percentiles for few
 * times; for many, percentiles within the promised 6.25 % above the exact
 * nearest rank, and never outside [min, max]. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "latency.h"

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t exact_rank(uint64_t *v, size_t n, unsigned p)
{
    qsort(v, n, sizeof v[0], u64_cmp);
    size_t rank = (n * p + 99) / 100;
    return v[(rank ? rank : 1) - 1];
}

static void check_buckets(void)
{
    unsigned prev = 0;
    for (uint64_t v = 0; v < ((uint64_t)1 << 42); v = v < 64 ? v + 1 : v + v / 7 + 1) {
        unsigned b = latency_bucket_of(v);
        CHECK_MSG(b >= prev && b < LATENCY_BUCKETS, "value %llu bucket %u after %u",
                  (unsigned long long)v, b, prev);
        CHECK_MSG(v <= latency_bucket_top(b), "value %llu above its bucket's top",
                  (unsigned long long)v);
        if (b > 0 && b < LATENCY_BUCKETS - 1) {
            uint64_t low = latency_bucket_top(b - 1) + 1, top = latency_bucket_top(b);
            CHECK_MSG(v >= low, "value %llu below its bucket", (unsigned long long)v);
            CHECK_MSG((top - low) * 16 <= low, "bucket %u [%llu, %llu] wider than 1/16", b,
                      (unsigned long long)low, (unsigned long long)top);
        }
        prev = b;
    }
    CHECK_EQ(latency_bucket_of(0), 0);
    CHECK_EQ(latency_bucket_of(15), 15);
    CHECK_EQ(latency_bucket_of(UINT64_MAX), LATENCY_BUCKETS - 1);
}

static void check_exact(void)
{
    latency l;
    memset(&l, 0, sizeof l);
    CHECK_EQ(latency_percentile(&l, 50), 0);
    static const int64_t t[] = {80000, 85000, 80000, 120000, 79000, -5};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        latency_add(&l, t[i]);
    CHECK_EQ(l.count, 5);
    CHECK_EQ(l.negative, 1);
    CHECK_EQ(l.min, 79000);
    CHECK_EQ(l.max, 120000);
    CHECK_EQ(latency_percentile(&l, 50), 80000); /* rank 3 of 79 80 80 85 120 */
    CHECK_EQ(latency_percentile(&l, 90), 120000);
    CHECK_EQ(latency_percentile(&l, 20), 79000);
    CHECK_EQ(latency_percentile(&l, 100), 120000);
}

static void check_histogram(void)
{
    enum { N = 20000 };
    static uint64_t v[N];
    latency l;
    memset(&l, 0, sizeof l);
    for (size_t i = 0; i < N; i++) {
        /* spread over five orders of magnitude */
        uint64_t x = 50 + check_rand() % 1000;
        for (unsigned k = check_rand() % 5; k; k--)
            x *= 3 + check_rand() % 8;
        v[i] = x;
        latency_add(&l, (int64_t)x);
    }
    CHECK_EQ(l.count, N);
    static const unsigned ps[] = {1, 50, 90, 99, 100};
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        uint64_t want = exact_rank(v, N, ps[i]), got = latency_percentile(&l, ps[i]);
        CHECK_MSG(got >= want && got <= want + want / 16, "p%u: %llu, exact %llu", ps[i],
                  (unsigned long long)got, (unsigned long long)want);
        CHECK(got >= l.min && got <= l.max);
    }
    /* All equal: every percentile is that value, not a bucket edge. */
    memset(&l, 0, sizeof l);
    for (int i = 0; i < 1000; i++)
        latency_add(&l, 80000);
    CHECK_EQ(latency_percentile(&l, 50), 80000);
    CHECK_EQ(latency_percentile(&l, 99), 80000);
}

int main(void)
{
    check_buckets();
    check_exact();
    check_histogram();
    return check_exit("test_latency");
}
