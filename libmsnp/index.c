/* Intrusive string hash index (see index.h). */
#include "index.h"

#include <stdlib.h>
#include <string.h>

uint32_t msnp_index_hash(const char *key)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h ^= *p;
        h *= 16777619u;
    }
    return h;
}

void msnp_index_free(msnp_index *ix)
{
    free(ix->buckets);
    memset(ix, 0, sizeof *ix);
}

static int grow(msnp_index *ix)
{
    size_t n = ix->nbuckets ? ix->nbuckets * 2 : 64;
    msnp_index_node **b = calloc(n, sizeof *b);
    if (!b)
        return -1;
    for (size_t i = 0; i < ix->nbuckets; i++) {
        msnp_index_node *e = ix->buckets[i];
        while (e) {
            msnp_index_node *next = e->next;
            size_t j = e->hash & (n - 1);
            e->next = b[j];
            b[j] = e;
            e = next;
        }
    }
    free(ix->buckets);
    ix->buckets = b;
    ix->nbuckets = n;
    return 0;
}

int msnp_index_insert(msnp_index *ix, msnp_index_node *node, const char *key)
{
    if ((ix->count + 1) * 4 > ix->nbuckets * 3 && grow(ix) != 0 && ix->nbuckets == 0)
        return -1;
    node->key = key;
    node->hash = msnp_index_hash(key);
    size_t j = node->hash & (ix->nbuckets - 1);
    node->next = ix->buckets[j];
    ix->buckets[j] = node;
    ix->count++;
    return 0;
}

msnp_index_node *msnp_index_find(const msnp_index *ix, const char *key)
{
    if (!ix->nbuckets)
        return NULL;
    uint32_t h = msnp_index_hash(key);
    for (msnp_index_node *e = ix->buckets[h & (ix->nbuckets - 1)]; e; e = e->next)
        if (e->hash == h && strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

msnp_index_node *msnp_index_find_next(const msnp_index_node *n)
{
    for (msnp_index_node *e = n->next; e; e = e->next)
        if (e->hash == n->hash && strcmp(e->key, n->key) == 0)
            return e;
    return NULL;
}

void msnp_index_remove(msnp_index *ix, msnp_index_node *node)
{
    if (!ix->nbuckets)
        return;
    msnp_index_node **pp = &ix->buckets[node->hash & (ix->nbuckets - 1)];
    while (*pp && *pp != node)
        pp = &(*pp)->next;
    if (*pp) {
        *pp = node->next;
        ix->count--;
    }
}

/* ---- msnp_idmap: linear probing, backward-shift deletion ---------------- */

static size_t idmap_home(uint64_t id, size_t cap)
{
    id ^= id >> 33;
    id *= 0xff51afd7ed558ccdULL;
    id ^= id >> 33;
    return (size_t)id & (cap - 1);
}

void *msnp_idmap_find(const msnp_idmap *m, uint64_t id)
{
    if (!m->cap)
        return NULL;
    for (size_t i = idmap_home(id, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (!m->slots[i].value)
            return NULL;
        if (m->slots[i].id == id)
            return m->slots[i].value;
    }
}

static void idmap_place(msnp_idmap_slot *slots, size_t cap, uint64_t id, void *value)
{
    size_t i = idmap_home(id, cap);
    while (slots[i].value && slots[i].id != id)
        i = (i + 1) & (cap - 1);
    slots[i].id = id;
    slots[i].value = value;
}

int msnp_idmap_put(msnp_idmap *m, uint64_t id, void *value)
{
    if ((m->count + 1) * 2 > m->cap) { /* load at most 1/2: short probes */
        size_t cap = m->cap ? m->cap * 2 : 64;
        msnp_idmap_slot *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return -1;
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].value)
                idmap_place(slots, cap, m->slots[i].id, m->slots[i].value);
        free(m->slots);
        m->slots = slots;
        m->cap = cap;
    }
    if (!msnp_idmap_find(m, id))
        m->count++;
    idmap_place(m->slots, m->cap, id, value);
    return 0;
}

void msnp_idmap_remove(msnp_idmap *m, uint64_t id)
{
    if (!m->cap)
        return;
    size_t mask = m->cap - 1, i = idmap_home(id, m->cap);
    while (m->slots[i].value && m->slots[i].id != id)
        i = (i + 1) & mask;
    if (!m->slots[i].value)
        return;
    m->count--;
    /* Pull back every later entry of the run that may move closer home. */
    for (size_t j = (i + 1) & mask; m->slots[j].value; j = (j + 1) & mask) {
        size_t home = idmap_home(m->slots[j].id, m->cap);
        if (((j - home) & mask) >= ((j - i) & mask)) {
            m->slots[i] = m->slots[j];
            i = j;
        }
    }
    m->slots[i].value = NULL;
    m->slots[i].id = 0;
}

void msnp_idmap_free(msnp_idmap *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}
