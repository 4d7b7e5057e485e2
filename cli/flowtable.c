/* Flow table: Robin Hood hashing with backward-shift deletion, plus an
 * activity-ordered intrusive list. See flowtable.h. */
#include "flowtable.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct slot {
    flow *f;       /* NULL: empty */
    uint32_t hash; /* f->hash, cached to avoid touching the flow while probing */
} slot;

struct flowtable {
    slot *slots;
    size_t cap;     /* power of two */
    size_t max_cap; /* capacity that holds max_flows at the load limit */
    size_t count;
    size_t max_flows;
    uint64_t next_id;
    uint64_t seed;
    flow *lru_head; /* least recently touched */
    flow *lru_tail; /* most recently touched */
    flow *spare;    /* recycled flow structs, linked by lru_next */
};

#define MIN_CAP 64u
#define MAX_FLOWS_LIMIT ((size_t)1 << 28)

/* Load limit 3/4: count <= cap - cap / 4. */
static size_t load_limit(size_t cap)
{
    return cap - cap / 4;
}

static uint64_t fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

static uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint64_t endpoint_hash(uint64_t seed, const net_addr *a, uint16_t port)
{
    uint64_t h = seed ^ ((uint64_t)a->family << 16) ^ port;
    if (a->family == 4) {
        uint32_t v4;
        memcpy(&v4, a->bytes, 4);
        return fmix64(h ^ ((uint64_t)v4 << 24));
    }
    h = fmix64(h ^ load64(a->bytes));
    return fmix64(h ^ load64(a->bytes + 8));
}

/* Symmetric: the same value for both directions of a connection. */
static uint32_t pair_hash(const flowtable *t, const net_addr *a, uint16_t pa,
                          const net_addr *b, uint16_t pb)
{
    uint64_t x = endpoint_hash(t->seed, a, pa), y = endpoint_hash(t->seed, b, pb);
    uint64_t lo = x < y ? x : y, hi = x < y ? y : x;
    uint64_t h = fmix64(lo + 0x9e3779b97f4a7c15ULL * (hi | 1) + hi);
    return (uint32_t)(h ^ (h >> 32));
}

static int match(const flow *f, const tcp_segment *s, int *side)
{
    if (f->port[0] == s->sport && f->port[1] == s->dport && net_addr_equal(&f->addr[0], &s->src) &&
        net_addr_equal(&f->addr[1], &s->dst)) {
        *side = 0;
        return 1;
    }
    if (f->port[0] == s->dport && f->port[1] == s->sport && net_addr_equal(&f->addr[0], &s->dst) &&
        net_addr_equal(&f->addr[1], &s->src)) {
        *side = 1;
        return 1;
    }
    return 0;
}

static size_t probe_dist(const flowtable *t, size_t i, uint32_t hash)
{
    return (i - (hash & (t->cap - 1))) & (t->cap - 1);
}

flowtable *flowtable_new(size_t max_flows)
{
    if (max_flows < 1)
        max_flows = 1;
    if (max_flows > MAX_FLOWS_LIMIT)
        max_flows = MAX_FLOWS_LIMIT;
    flowtable *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->max_flows = max_flows;
    size_t mc = MIN_CAP;
    while (load_limit(mc) < max_flows)
        mc <<= 1;
    t->max_cap = mc;
    t->cap = MIN_CAP;
    t->slots = calloc(t->cap, sizeof *t->slots);
    if (!t->slots) {
        free(t);
        return NULL;
    }
    /* A per-table seed keeps crafted captures from forcing long probe runs;
     * output order never depends on it (iteration follows the list). */
    t->seed = fmix64((uint64_t)(uintptr_t)t ^ ((uint64_t)time(NULL) << 20) ^
                     0x6a09e667f3bcc909ULL);
    return t;
}

static void slot_insert(slot *slots, size_t cap, flow *f, uint32_t hash)
{
    size_t mask = cap - 1, i = hash & mask, d = 0;
    slot cur = {f, hash};
    for (;;) {
        if (!slots[i].f) {
            slots[i] = cur;
            return;
        }
        size_t dd = (i - (slots[i].hash & mask)) & mask;
        if (dd < d) { /* Robin Hood: the richer entry moves on */
            slot tmp = slots[i];
            slots[i] = cur;
            cur = tmp;
            d = dd;
        }
        i = (i + 1) & mask;
        d++;
    }
}

static int grow(flowtable *t)
{
    size_t ncap = t->cap * 2;
    slot *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return 0;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].f)
            slot_insert(ns, ncap, t->slots[i].f, t->slots[i].hash);
    free(t->slots);
    t->slots = ns;
    t->cap = ncap;
    return 1;
}

static void lru_unlink(flowtable *t, flow *f)
{
    if (f->lru_prev)
        f->lru_prev->lru_next = f->lru_next;
    else
        t->lru_head = f->lru_next;
    if (f->lru_next)
        f->lru_next->lru_prev = f->lru_prev;
    else
        t->lru_tail = f->lru_prev;
    f->lru_prev = f->lru_next = NULL;
}

static void lru_append(flowtable *t, flow *f)
{
    f->lru_next = NULL;
    f->lru_prev = t->lru_tail;
    if (t->lru_tail)
        t->lru_tail->lru_next = f;
    else
        t->lru_head = f;
    t->lru_tail = f;
}

flow *flowtable_get(flowtable *t, const tcp_segment *s, int *side, int create, int *created)
{
    int sd = 0;
    if (created)
        *created = 0;
    /* The flow touched last is most often this packet's too (a segment and
     * its ACK, a burst of one connection): found without hashing. Flows are
     * made only when none matches, so it is the one the probe would find. */
    flow *last = t->lru_tail;
    if (last && match(last, s, &sd)) {
        if (side)
            *side = sd;
        return last;
    }
    uint32_t hash = pair_hash(t, &s->src, s->sport, &s->dst, s->dport);
    size_t mask = t->cap - 1, i = hash & mask, d = 0;
    for (;;) {
        const slot *sl = &t->slots[i];
        if (!sl->f || probe_dist(t, i, sl->hash) < d)
            break;
        if (sl->hash == hash && match(sl->f, s, &sd)) {
            if (side)
                *side = sd;
            return sl->f;
        }
        i = (i + 1) & mask;
        d++;
    }
    if (!create || t->count >= t->max_flows)
        return NULL;
    if (t->count + 1 > load_limit(t->cap) && t->cap < t->max_cap) {
        /* keep going at a higher load if growing fails, while a slot stays free */
        if (!grow(t) && t->count + 2 > t->cap)
            return NULL;
    }
    flow *f = t->spare;
    if (f)
        t->spare = f->lru_next;
    else if (!(f = malloc(sizeof *f)))
        return NULL;
    memset(f, 0, sizeof *f);
    f->addr[0] = s->src;
    f->addr[1] = s->dst;
    f->port[0] = s->sport;
    f->port[1] = s->dport;
    f->id = ++t->next_id;
    f->hash = hash;
    slot_insert(t->slots, t->cap, f, hash);
    t->count++;
    lru_append(t, f);
    if (side)
        *side = 0;
    if (created)
        *created = 1;
    return f;
}

void flowtable_touch(flowtable *t, flow *f, uint64_t frame, int64_t ts)
{
    if (!f->touched) {
        f->touched = 1;
        f->first_frame = frame;
        f->first_ts = ts;
    }
    f->last_frame = frame;
    f->last_ts = ts;
    f->packets++;
    if (t->lru_tail != f) {
        lru_unlink(t, f);
        lru_append(t, f);
    }
}

flow *flowtable_oldest(flowtable *t)
{
    return t->lru_head;
}

void flowtable_remove(flowtable *t, flow *f)
{
    size_t mask = t->cap - 1, i = f->hash & mask;
    while (t->slots[i].f != f) {
        if (!t->slots[i].f)
            return; /* not in this table */
        i = (i + 1) & mask;
    }
    /* backward-shift deletion: pull followers one slot closer to home */
    size_t j = (i + 1) & mask;
    while (t->slots[j].f && probe_dist(t, j, t->slots[j].hash) > 0) {
        t->slots[i] = t->slots[j];
        i = j;
        j = (j + 1) & mask;
    }
    t->slots[i].f = NULL;
    t->slots[i].hash = 0;
    t->count--;
    lru_unlink(t, f);
    tcp_half_discard(&f->half[0]);
    tcp_half_discard(&f->half[1]);
    f->lru_next = t->spare;
    t->spare = f;
}

uint64_t flowtable_take_id(flowtable *t)
{
    return ++t->next_id;
}

size_t flowtable_count(const flowtable *t)
{
    return t->count;
}

size_t flowtable_capacity(const flowtable *t)
{
    return t->cap;
}

int flowtable_full(const flowtable *t)
{
    return t->count >= t->max_flows;
}

void flowtable_foreach(flowtable *t, void (*fn)(flow *, void *), void *ctx)
{
    flow *f = t->lru_head;
    while (f) {
        flow *next = f->lru_next;
        fn(f, ctx);
        f = next;
    }
}

void flowtable_free(flowtable *t, void (*on_free)(flow *, void *), void *ctx)
{
    if (!t)
        return;
    flow *f = t->lru_head;
    while (f) {
        flow *next = f->lru_next;
        if (on_free)
            on_free(f, ctx);
        tcp_half_discard(&f->half[0]);
        tcp_half_discard(&f->half[1]);
        free(f);
        f = next;
    }
    while (t->spare) {
        flow *next = t->spare->lru_next;
        free(t->spare);
        t->spare = next;
    }
    free(t->slots);
    free(t);
}
