/* cli/holdq.c: records leave in the order they came with the bytes they came
 * with, the byte count follows what is held, and a queue in steady use keeps
 * its slots' buffers instead of allocating one per record. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "holdq.h"

enum { MODEL_MAX = 20000 };

/* What the test pushed, to compare with what comes out. */
typedef struct expect {
    rec_type type;
    uint64_t frame;
    uint32_t len;
    uint8_t fill;
    int has_detail;
} expect;

static expect model[MODEL_MAX];
static size_t model_head, model_count;
static uint8_t src[4096];

/* A command of len bytes (or an anomaly with a sample), every byte fill. */
static int push_one(holdq *q, uint64_t frame, rec_type type, uint32_t len, uint8_t fill,
                    int with_detail)
{
    msnp_pdu pdu;
    record r;
    memset(&pdu, 0, sizeof pdu);
    memset(&r, 0, sizeof r);
    memset(src, fill, len);
    r.type = type;
    r.frame = frame;
    r.detail = with_detail ? "detail text" : NULL;
    if (type == REC_COMMAND) {
        pdu.len = len;
        r.pdu = &pdu;
        r.base = src;
    } else {
        r.kind = "test_anomaly";
        r.sample = src;
        r.sample_len = len;
    }
    if (holdq_push(q, &r, NULL, 0) != 0)
        return -1;
    expect *e = &model[(model_head + model_count) % MODEL_MAX];
    e->type = type;
    e->frame = frame;
    e->len = len;
    e->fill = fill;
    e->has_detail = with_detail;
    model_count++;
    return 0;
}

static size_t model_bytes(void)
{
    size_t n = 0;
    for (size_t i = 0; i < model_count; i++) {
        const expect *e = &model[(model_head + i) % MODEL_MAX];
        n += e->len + (e->has_detail ? strlen("detail text") + 1 : 0);
    }
    return n;
}

static int pop_one(holdq *q)
{
    held *h = holdq_front(q);
    CHECK(h != NULL && model_count > 0);
    if (!h || !model_count)
        return -1;
    const expect *e = &model[model_head];
    CHECK_EQ(h->type, e->type);
    CHECK_EQ(h->frame, e->frame);
    CHECK_EQ(h->nbytes, e->len);
    if (e->type == REC_COMMAND)
        CHECK_EQ(h->pdu.len, e->len);
    int same = 1;
    for (uint32_t i = 0; i < h->nbytes; i++)
        same &= h->bytes[i] == e->fill;
    CHECK_MSG(same, "frame %llu: bytes changed while held", (unsigned long long)e->frame);
    CHECK_EQ(h->detail != NULL, e->has_detail);
    if (h->detail)
        CHECK_STR(h->detail, "detail text");
    holdq_pop(q);
    model_head = (model_head + 1) % MODEL_MAX;
    model_count--;
    return 0;
}

/* Random pushes and pops, sizes from empty to past the kept size, through
 * growth and wrap-around: order, contents and the byte count hold. */
static void test_order_and_contents(void)
{
    holdq q;
    holdq_init(&q, 4096, 8u << 20);
    model_head = model_count = 0;
    uint64_t frame = 0;
    for (int step = 0; step < 60000; step++) {
        unsigned r = check_rand();
        int push = model_count == 0 || (model_count < 3000 && r % 100 < 55);
        if (push) {
            uint32_t len = (r >> 8) % 4 == 0 ? (r >> 12) % 3000 : (r >> 12) % 300;
            rec_type type = (r >> 24) % 8 == 0 ? REC_ANOMALY : REC_COMMAND;
            frame++;
            if (push_one(&q, frame, type, len, (uint8_t)frame, (r >> 28) % 5 == 0) != 0) {
                CHECK(!"push failed");
                break;
            }
        } else {
            pop_one(&q);
        }
        if (step % 997 == 0)
            CHECK_EQ(q.bytes, model_bytes());
        CHECK_EQ(q.count, model_count);
    }
    while (model_count)
        pop_one(&q);
    CHECK_EQ(q.bytes, 0);
    CHECK(holdq_front(&q) == NULL);
    /* Buffers past the kept size were let go with their records. */
    CHECK(holdq_kept_bytes(&q) <= q.cap * (size_t)HOLDQ_KEEP_MAX);
    holdq_free(&q);
}

/* Once every slot has held a command line, more lines of usual sizes go
 * into the buffers the slots already have. */
static void test_steady_state_reuses_buffers(void)
{
    holdq q;
    holdq_init(&q, 4096, 8u << 20);
    model_head = model_count = 0;
    uint64_t frame = 0;
    for (int i = 0; i < 128; i++) /* every slot of a 128-slot ring */
        push_one(&q, ++frame, REC_COMMAND, 40, 'a', 0);
    while (model_count)
        pop_one(&q);
    size_t cap = q.cap;
    uint64_t made = q.buffers_made;
    CHECK_EQ(cap, 128);
    CHECK_EQ(made, 128);
    for (int i = 0; i < 20000; i++) {
        uint32_t len = 1 + check_rand() % HOLDQ_MIN_BUF;
        frame++;
        push_one(&q, frame, REC_COMMAND, len, (uint8_t)frame, 0);
        if (model_count > 50)
            while (model_count > 10)
                pop_one(&q);
    }
    while (model_count)
        pop_one(&q);
    CHECK_EQ(q.cap, cap);
    CHECK_MSG(q.buffers_made == made, "%llu buffers allocated for lines that fit the slots' own",
              (unsigned long long)(q.buffers_made - made));
    CHECK(holdq_kept_bytes(&q) <= cap * (size_t)HOLDQ_MIN_BUF);
    holdq_free(&q);
}

/* The ring has no more slots than the records it may hold and the one over
 * the limit (every slot may keep a buffer); past that, it still takes more. */
static void test_slots_follow_the_item_limit(void)
{
    holdq q;
    holdq_init(&q, 100, 8u << 20);
    model_head = model_count = 0;
    for (int i = 1; i <= 101; i++)
        push_one(&q, (uint64_t)i, REC_COMMAND, 40, 'z', 0);
    CHECK_EQ(q.cap, 101);
    CHECK(holdq_over_limit(&q));
    push_one(&q, 102, REC_COMMAND, 40, 'z', 0);
    CHECK_EQ(q.count, 102);
    CHECK(q.cap >= 102);
    while (model_count)
        pop_one(&q);
    CHECK_EQ(q.bytes, 0);
    holdq_free(&q);
}

/* The limits report the count and bytes the queue holds. */
static void test_limits(void)
{
    holdq q;
    holdq_init(&q, 3, 1000);
    model_head = model_count = 0;
    for (int i = 1; i <= 3; i++)
        push_one(&q, (uint64_t)i, REC_COMMAND, 100, 'x', 0);
    CHECK(!holdq_over_limit(&q));
    push_one(&q, 4, REC_COMMAND, 100, 'x', 0);
    CHECK(holdq_over_limit(&q)); /* four items, three allowed */
    pop_one(&q);
    CHECK(!holdq_over_limit(&q));
    pop_one(&q);
    push_one(&q, 5, REC_ANOMALY, 800, 'y', 1);
    CHECK_EQ(q.bytes, 1012); /* two lines of 100, a sample of 800, a detail of 12 */
    CHECK(holdq_over_limit(&q));
    holdq_free(&q);
}

int main(void)
{
    test_order_and_contents();
    test_steady_state_reuses_buffers();
    test_slots_follow_the_item_limit();
    test_limits();
    return check_exit("test_holdq");
}
