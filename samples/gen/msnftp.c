#include "msnftp.h"

#include <string.h>

#define TAG_FILE UINT64_C(0x66696c65) /* "file" */

void msnftp_content(uint64_t seed, const char *name, uint8_t *out, size_t n)
{
    rng_t r = rng_derive(seed, TAG_FILE, fnv1a64(name, strlen(name)), 0);
    size_t i = 0;
    while (i < n) {
        uint64_t x = rng_next(&r);
        for (int k = 0; k < 8 && i < n; k++, i++) {
            out[i] = (uint8_t)x;
            x >>= 8;
        }
    }
}

void msnftp_block(buf_t *out, const uint8_t *data, size_t len)
{
    uint8_t h[3] = {0x00, (uint8_t)(len & 0xff), (uint8_t)(len >> 8)};
    buf_append(out, h, 3);
    buf_append(out, data, len);
}

void msnftp_end_block(buf_t *out)
{
    static const uint8_t h[3] = {0x01, 0x00, 0x00};
    buf_append(out, h, 3);
}

uint64_t msnftp_block_count(uint64_t n, uint32_t block)
{
    return (n + block - 1) / block;
}
