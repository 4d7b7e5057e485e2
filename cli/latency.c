/* Response times in fixed memory, and their percentiles (see latency.h). */
#include "latency.h"

#include <stdlib.h>
#include <string.h>

static unsigned top_bit(uint64_t v)
{
    unsigned b = 0;
    while (v >>= 1)
        b++;
    return b;
}

unsigned latency_bucket_of(uint64_t us)
{
    if (us < LATENCY_SUB)
        return (unsigned)us;
    unsigned e = top_bit(us);
    if (e > LATENCY_TOP_BIT)
        return LATENCY_BUCKETS - 1;
    unsigned sub = (unsigned)(us >> (e - LATENCY_SUB_BITS)) & (LATENCY_SUB - 1);
    return LATENCY_SUB + (e - LATENCY_SUB_BITS) * LATENCY_SUB + sub;
}

uint64_t latency_bucket_top(unsigned b)
{
    if (b < LATENCY_SUB)
        return b;
    if (b >= LATENCY_BUCKETS - 1)
        return UINT64_MAX;
    unsigned e = (b - LATENCY_SUB) / LATENCY_SUB + LATENCY_SUB_BITS;
    unsigned sub = (b - LATENCY_SUB) % LATENCY_SUB;
    return ((uint64_t)(LATENCY_SUB + sub + 1) << (e - LATENCY_SUB_BITS)) - 1;
}

void latency_add(latency *l, int64_t us)
{
    if (us < 0) {
        l->negative++;
        return;
    }
    uint64_t v = (uint64_t)us;
    if (!l->count || v < l->min)
        l->min = v;
    if (v > l->max)
        l->max = v;
    if (l->count < LATENCY_EXACT)
        l->exact[l->count] = v;
    l->count++;
    l->bucket[latency_bucket_of(v)]++;
}

static int u64_order(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

uint64_t latency_percentile(const latency *l, unsigned p)
{
    if (!l->count)
        return 0;
    uint64_t rank = (l->count * p + 99) / 100, seen = 0;
    if (rank == 0)
        rank = 1;
    if (rank > l->count)
        rank = l->count;
    if (l->count <= LATENCY_EXACT) {
        uint64_t sorted[LATENCY_EXACT];
        memcpy(sorted, l->exact, l->count * sizeof sorted[0]);
        qsort(sorted, l->count, sizeof sorted[0], u64_order);
        return sorted[rank - 1];
    }
    for (unsigned b = 0; b < LATENCY_BUCKETS; b++) {
        seen += l->bucket[b];
        if (seen >= rank) {
            uint64_t v = latency_bucket_top(b);
            return v > l->max ? l->max : v < l->min ? l->min : v;
        }
    }
    return l->max;
}
