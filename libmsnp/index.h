/* Hash indexes internal to libmsnp:
 * - msnp_index, intrusive, from strings to entries: entries embed an
 *   msnp_index_node and own their key; the index only links them. It grows
 *   by doubling; removal is O(1) given the entry.
 * - msnp_idmap, from a caller's numbers (connection ids) to pointers: open
 *   addressing in one array, so that a lookup touches no entry but the one
 *   found. */
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
/* Keys may repeat: the next entry with n's key, or NULL. */
msnp_index_node *msnp_index_find_next(const msnp_index_node *n);
void msnp_index_remove(msnp_index *ix, msnp_index_node *node);

typedef struct msnp_idmap_slot {
    uint64_t id;
    void *value; /* NULL: empty */
} msnp_idmap_slot;

typedef struct msnp_idmap {
    msnp_idmap_slot *slots;
    size_t cap; /* power of two, or 0 before the first put */
    size_t count;
} msnp_idmap;

void *msnp_idmap_find(const msnp_idmap *m, uint64_t id);
/* value must not be NULL; an id already there gets the new value. Returns
 * -1 when memory runs out (nothing changed). */
int msnp_idmap_put(msnp_idmap *m, uint64_t id, void *value);
void msnp_idmap_remove(msnp_idmap *m, uint64_t id);
void msnp_idmap_free(msnp_idmap *m);

#endif
