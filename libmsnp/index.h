/* An intrusive hash index from strings to entries (internal to libmsnp).
 * Entries embed an msnp_index_node and own their key; the index only links
 * them. It grows by doubling; removal is O(1) given the entry. */
#ifndef MSNP_INDEX_H
#define MSNP_INDEX_H

#include <stddef.h>
#include <stdint.h>

typedef struct msnp_index_node {
    struct msnp_index_node *next;
    const char *key; /* NUL-terminated, stored in the entry */
    uint32_t hash;
} msnp_index_node;

typedef struct msnp_index {
    msnp_index_node **buckets;
    size_t nbuckets; /* power of two, or 0 before the first insert */
    size_t count;
} msnp_index;

uint32_t msnp_index_hash(const char *key);
void msnp_index_free(msnp_index *ix); /* frees the buckets, not the entries */
/* Returns -1 when memory runs out (the node is then not linked). */
int msnp_index_insert(msnp_index *ix, msnp_index_node *node, const char *key);
msnp_index_node *msnp_index_find(const msnp_index *ix, const char *key);
void msnp_index_remove(msnp_index *ix, msnp_index_node *node);

#endif
