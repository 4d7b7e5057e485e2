/* libmsnp's internal indexes: msnp_idmap (connection numbers to entries)
 * against a plain array as the model, through growth and deletions that
 * shift runs back; msnp_index (strings) with duplicate-free insert, find and
 * remove. */
#include <stdint.h>
#include <stdlib.h>

#include "../../libmsnp/index.h"
#include "check.h"

enum { IDS = 4096, OPS = 200000 };

static void test_idmap_model(void)
{
    static int values[IDS];
    static int present[IDS];
    msnp_idmap m = {0};
    size_t count = 0;
    for (unsigned op = 0; op < OPS; op++) {
        /* Ids with the same low bits and large ids: long probe runs. */
        unsigned k = check_rand() % IDS;
        uint64_t id = (uint64_t)k * 1024 + (k & 1 ? UINT64_C(1) << 40 : 0);
        switch (check_rand() % 3) {
        case 0:
        case 1:
            CHECK_EQ(msnp_idmap_put(&m, id, &values[k]), 0);
            count += !present[k];
            present[k] = 1;
            break;
        default:
            msnp_idmap_remove(&m, id);
            count -= present[k];
            present[k] = 0;
            break;
        }
        if (op % 997 == 0) {
            for (unsigned j = 0; j < IDS; j++) {
                uint64_t jd = (uint64_t)j * 1024 + (j & 1 ? UINT64_C(1) << 40 : 0);
                void *want = present[j] ? &values[j] : NULL;
                CHECK_MSG(msnp_idmap_find(&m, jd) == want, "id %u after op %u", j, op);
            }
            CHECK_EQ(m.count, count);
        }
    }
    for (unsigned j = 0; j < IDS; j++)
        msnp_idmap_remove(&m, (uint64_t)j * 1024 + (j & 1 ? UINT64_C(1) << 40 : 0));
    CHECK_EQ(m.count, 0);
    CHECK(msnp_idmap_find(&m, 0) == NULL);
    msnp_idmap_free(&m);
    CHECK(msnp_idmap_find(&m, 5) == NULL); /* usable again after free */
    msnp_idmap_remove(&m, 5);
}

static void test_idmap_id_zero_and_replace(void)
{
    int a, b;
    msnp_idmap m = {0};
    CHECK_EQ(msnp_idmap_put(&m, 0, &a), 0);
    CHECK(msnp_idmap_find(&m, 0) == &a);
    CHECK_EQ(msnp_idmap_put(&m, 0, &b), 0);
    CHECK(msnp_idmap_find(&m, 0) == &b);
    CHECK_EQ(m.count, 1);
    msnp_idmap_free(&m);
}

typedef struct entry {
    msnp_index_node node;
    char key[16];
} entry;

static void test_string_index(void)
{
    static entry e[300];
    msnp_index ix = {0};
    for (int i = 0; i < 300; i++) {
        snprintf(e[i].key, sizeof e[i].key, "cookie%d", i);
        CHECK_EQ(msnp_index_insert(&ix, &e[i].node, e[i].key), 0);
    }
    for (int i = 0; i < 300; i += 2)
        msnp_index_remove(&ix, &e[i].node);
    for (int i = 0; i < 300; i++) {
        msnp_index_node *n = msnp_index_find(&ix, e[i].key);
        CHECK_MSG(n == (i % 2 ? &e[i].node : NULL), "key %s", e[i].key);
    }
    CHECK_EQ(ix.count, 150);
    msnp_index_free(&ix);
}

/* Logins share a client address behind NAT: every entry of a key is found. */
static void test_repeated_keys(void)
{
    static entry e[40];
    msnp_index ix = {0};
    for (int i = 0; i < 40; i++) {
        snprintf(e[i].key, sizeof e[i].key, "10.0.0.%d", i % 4);
        CHECK_EQ(msnp_index_insert(&ix, &e[i].node, e[i].key), 0);
    }
    msnp_index_remove(&ix, &e[5].node); /* one of 10.0.0.1 */
    for (int k = 0; k < 4; k++) {
        char key[16];
        snprintf(key, sizeof key, "10.0.0.%d", k);
        unsigned mask_found = 0, n = 0;
        for (msnp_index_node *x = msnp_index_find(&ix, key); x; x = msnp_index_find_next(x)) {
            entry *en = (entry *)x;
            CHECK_STR(en->key, key);
            mask_found |= 1u << ((en - e) / 4);
            n++;
        }
        CHECK_EQ(n, k == 1 ? 9 : 10);
        CHECK_EQ(mask_found, k == 1 ? 0x3ffu & ~(1u << 1) : 0x3ffu);
    }
    CHECK(msnp_index_find(&ix, "10.0.0.9") == NULL);
    msnp_index_free(&ix);
}

int main(void)
{
    test_idmap_model();
    test_idmap_id_zero_and_replace();
    test_string_index();
    test_repeated_keys();
    return check_exit("test_index");
}
