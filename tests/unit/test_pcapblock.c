/* cli/pcapblock.c against libpcap itself: well-formed classic pcap files of
 * every kind the block reader takes, each cut at every byte, and damaged
 * ones, through the fuzz harness that reads them with both readers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pcapblock.h"

typedef struct file {
    uint8_t *b;
    size_t n, cap;
} file;

static void put(file *f, const void *p, size_t n)
{
    if (f->n + n > f->cap) {
        f->cap = (f->n + n) * 2;
        f->b = realloc(f->b, f->cap);
        if (!f->b)
            abort();
    }
    memcpy(f->b + f->n, p, n);
    f->n += n;
}

static void put32(file *f, uint32_t v)
{
    put(f, &v, 4);
}

static void header(file *f, uint32_t magic, uint16_t minor, uint32_t snaplen)
{
    uint16_t major = 2;
    put32(f, magic);
    put(f, &major, 2);
    put(f, &minor, 2);
    put32(f, 0);
    put32(f, 0);
    put32(f, snaplen);
    put32(f, 1); /* Ethernet */
}

static void record(file *f, uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t len)
{
    put32(f, sec);
    put32(f, frac);
    put32(f, caplen);
    put32(f, len);
    for (uint32_t i = 0; i < caplen; i++) {
        uint8_t b = (uint8_t)(i * 7 + caplen);
        put(f, &b, 1);
    }
}

/* The fuzz harness (tests/fuzz/fuzz_pcapblock.c) reads the file with both
 * readers and aborts at the first difference; count what it was given. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned files;

static void compare(uint8_t *data, size_t n)
{
    LLVMFuzzerTestOneInput(data, n);
    files++;
}

static void well_formed(void)
{
    static const struct {
        uint32_t magic, snaplen;
    } kinds[] = {
        {0xa1b2c3d4u, 262144}, {0xa1b23c4du, 262144}, {0xa1b2c3d4u, 100},
        {0xa1b2c3d4u, 0},      {0xa1b2c3d4u, 0xffffffffu},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        file f = {0};
        header(&f, kinds[k].magic, 4, kinds[k].snaplen);
        record(&f, 1000, 999999, 60, 60);
        record(&f, 1001, 1999999999u, 1514, 1514);     /* a nanosecond stamp */
        record(&f, 0x80000000u, 0xfffffff0u, 0, 0);    /* negative stamps */
        record(&f, 1002, 5, 70000, 70000);             /* bigger than the first block */
        record(&f, 1003, 6, 300, 200);                 /* caplen above len */
        compare(f.b, f.n);
        /* Cut off at every byte after the file header. */
        for (size_t cut = 24; cut < f.n; cut += cut < 24 + 200 ? 1 : 97)
            compare(f.b, cut);
        free(f.b);
    }
}

static void damaged(void)
{
    for (int round = 0; round < 3000; round++) {
        file f = {0};
        header(&f, round % 3 ? 0xa1b2c3d4u : 0xa1b23c4du, 4, round % 5 ? 65535 : 200);
        for (int i = 0; i < 6; i++)
            record(&f, 1000u + (uint32_t)i, (uint32_t)i, 40u + (uint32_t)i * 50, 1000);
        /* Overwrite one record-header word with something hostile. */
        static const uint32_t hostile[] = {0,     1,        199,     200,         201,
                                           65535, 65536,    262144,  262145,      0x7fffffffu,
                                           0x80000000u, 0xffffffffu, 1u << 20};
        size_t at = 24 + check_rand() % (f.n - 24 - 4);
        uint32_t v = hostile[check_rand() % (sizeof hostile / sizeof hostile[0])];
        memcpy(f.b + at, &v, 4);
        compare(f.b, f.n);
        free(f.b);
    }
}

int main(void)
{
    well_formed();
    damaged();
    {
        int nano;
        uint8_t h[24] = {0};
        uint32_t swapped = 0xd4c3b2a1u;
        memcpy(h, &swapped, 4);
        CHECK(!pcapblock_usable(h, &nano)); /* other byte order: libpcap's */
        uint32_t kuznetzov = 0xa1b2cd34u;
        memcpy(h, &kuznetzov, 4);
        CHECK(!pcapblock_usable(h, &nano)); /* patched format: libpcap's */
        uint32_t micro = 0xa1b2c3d4u, dbus = 231;
        uint16_t v[2] = {2, 4};
        memcpy(h, &micro, 4);
        memcpy(h + 4, v, 4);
        memcpy(h + 20, &dbus, 4);
        CHECK(!pcapblock_usable(h, &nano)); /* records up to 128 MiB: libpcap's */
        uint32_t ethernet = 1;
        memcpy(h + 20, &ethernet, 4);
        CHECK(pcapblock_usable(h, &nano));
    }
    CHECK(files > 3000);
    return check_exit("pcapblock");
}
