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
