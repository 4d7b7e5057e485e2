/* Labelled masks: equal secrets get equal masks (see redact.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msnp/redact.h"

enum { MIN_SLOTS = 64, MAX_SLOTS = 1u << 24 };

typedef struct slot {
    uint64_t digest; /* 0: empty */
    uint32_t label;
} slot;

struct msnp_labeler {
    slot *slots;
    uint32_t mask; /* slots - 1 */
    uint32_t used;
    uint32_t next_label;
};

static uint32_t round_slots(uint32_t slots)
{
    uint32_t n = MIN_SLOTS;
    while (n < slots && n < MAX_SLOTS)
        n <<= 1;
    return n;
}

size_t msnp_labeler_bytes(uint32_t slots)
{
    return sizeof(msnp_labeler) + (size_t)round_slots(slots) * sizeof(slot);
}

msnp_labeler *msnp_labeler_new(uint32_t slots)
{
    msnp_labeler *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    uint32_t n = round_slots(slots);
    l->slots = calloc(n, sizeof *l->slots);
    if (!l->slots) {
        free(l);
        return NULL;
    }
    l->mask = n - 1;
    l->next_label = 1;
    return l;
}

void msnp_labeler_free(msnp_labeler *l)
{
    if (!l)
        return;
    free(l->slots);
    free(l);
}

/* FNV-1a, then a finaliser that spreads every input bit over the word. */
static uint64_t digest(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h ? h : 1;
}

static uint32_t label_of(msnp_labeler *l, const uint8_t *p, size_t n)
{
    uint64_t d = digest(p, n);
    uint32_t i = (uint32_t)d & l->mask;
    while (l->slots[i].digest) {
        if (l->slots[i].digest == d)
            return l->slots[i].label;
        i = (i + 1) & l->mask;
    }
    /* Full at three quarters: start afresh rather than probe forever. */
    if (l->used >= l->mask / 4 * 3) {
        memset(l->slots, 0, ((size_t)l->mask + 1) * sizeof *l->slots);
        l->used = 0;
        i = (uint32_t)d & l->mask;
    }
    l->slots[i].digest = d;
    l->slots[i].label = l->next_label;
    l->used++;
    if (l->next_label < UINT32_MAX)
        l->next_label++;
    return l->slots[i].label;
}

static void mask_labelled(void *ctx, uint8_t *p, size_t n)
{
    char tag[16];
    int k = snprintf(tag, sizeof tag, "#%u", (unsigned)label_of(ctx, p, n));
    memset(p, MSNP_REDACT_MASK, n);
    /* At least one '*' before the label, so a mask never reads as a number. */
    if (k > 0 && (size_t)k < n)
        memcpy(p + n - (size_t)k, tag, (size_t)k);
}

msnp_masker msnp_labeler_masker(msnp_labeler *l)
{
    msnp_masker m = {mask_labelled, l};
    return m;
}
