/* Response times of one kind of request, in fixed memory whatever their
 * number, and their percentiles (the stats view's response-time table).
 *
 * Percentiles are nearest rank: the smallest time with at least p % of the
 * times at or below it. While there are at most LATENCY_EXACT times they are
 * kept as they are and the percentiles are exact; beyond, they come from a
 * log-scale histogram (every doubling of the time cut into 16 buckets, each
 * time below 16 us a bucket of its own): a percentile is then the top of its
 * bucket, at most 6.25 % above the true value, and never above the largest
 * nor below the smallest time seen. Times of 2^40 us (12.7 days) and more
 * share the last bucket. */
#ifndef MSNPDUMP_LATENCY_H
#define MSNPDUMP_LATENCY_H

#include <stdint.h>

enum {
    LATENCY_SUB = 16, /* buckets per doubling */
    LATENCY_SUB_BITS = 4,
    LATENCY_TOP_BIT = 40,
    LATENCY_BUCKETS = LATENCY_SUB + (LATENCY_TOP_BIT - LATENCY_SUB_BITS + 1) * LATENCY_SUB,
    LATENCY_EXACT = 64
};

typedef struct latency {
    uint64_t count;    /* times added (not counting negative ones) */
    uint64_t negative; /* replies stamped before their request (clock steps), left out */
    uint64_t min, max; /* microseconds, valid when count > 0 */
    uint64_t exact[LATENCY_EXACT]; /* the first times, as they are */
    uint32_t bucket[LATENCY_BUCKETS];
} latency;

/* Add a time in microseconds (zero-initialised struct to start). */
void latency_add(latency *l, int64_t us);

/* The p-th percentile (0 < p <= 100) in microseconds; 0 when empty. */
uint64_t latency_percentile(const latency *l, unsigned p);

/* The bucket of a time and the largest time a bucket holds (for tests). */
unsigned latency_bucket_of(uint64_t us);
uint64_t latency_bucket_top(unsigned b);

#endif
