/* MD5 from RFC 1321 §3: four rounds of sixteen steps over 512-bit blocks,
 * little-endian words, length appended in bits. */
#include "msnp/md5.h"

#include <string.h>

static uint32_t rotl(uint32_t x, unsigned s)
{
    return x << s | x >> (32 - s);
}

static uint32_t load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* T[i] = floor(2^32 * |sin(i + 1)|), RFC 1321 §3.4; listed rather than computed so
 * that no floating point is involved. */
static const uint32_t sine_table[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
    0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
    0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
    0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
    0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
    0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
    0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
    0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
    0xeb86d391,
};

/* The four auxiliary functions (RFC 1321 §3.4), F and G in forms with one
 * operation fewer that give the same bits. */
#define MD5_F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MD5_G(x, y, z) ((y) ^ ((z) & ((x) ^ (y))))
#define MD5_H(x, y, z) ((x) ^ (y) ^ (z))
#define MD5_I(x, y, z) ((y) ^ ((x) | ~(z)))

/* a = b + ((a + fn(b,c,d) + X[k] + T[i]) <<< s) */
#define MD5_STEP(fn, a, b, c, d, k, i, s)                                                 \
    (a) = (b) + rotl((a) + fn((b), (c), (d)) + x[k] + sine_table[i], (s))

/* Four steps with the words rotating through a, b, c, d: X[k0..k3], T[i..i+3]
 * and the round's four shifts. Written out so that every index and shift is
 * a constant: the loop with a switch per step took four times as long. */
#define MD5_FOUR(fn, k0, k1, k2, k3, i, s0, s1, s2, s3)                                  \
    MD5_STEP(fn, a, b, c, d, k0, i, s0);                                                 \
    MD5_STEP(fn, d, a, b, c, k1, (i) + 1, s1);                                           \
    MD5_STEP(fn, c, d, a, b, k2, (i) + 2, s2);                                           \
    MD5_STEP(fn, b, c, d, a, k3, (i) + 3, s3)

static void transform(uint32_t state[4], const uint8_t block[64])
{
    uint32_t x[16];
    for (unsigned i = 0; i < 16; i++)
        x[i] = load_le32(block + 4 * i);
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    /* Round 1: X[i]. */
    MD5_FOUR(MD5_F, 0, 1, 2, 3, 0, 7, 12, 17, 22);
    MD5_FOUR(MD5_F, 4, 5, 6, 7, 4, 7, 12, 17, 22);
    MD5_FOUR(MD5_F, 8, 9, 10, 11, 8, 7, 12, 17, 22);
    MD5_FOUR(MD5_F, 12, 13, 14, 15, 12, 7, 12, 17, 22);
    /* Round 2: X[(5i + 1) mod 16]. */
    MD5_FOUR(MD5_G, 1, 6, 11, 0, 16, 5, 9, 14, 20);
    MD5_FOUR(MD5_G, 5, 10, 15, 4, 20, 5, 9, 14, 20);
    MD5_FOUR(MD5_G, 9, 14, 3, 8, 24, 5, 9, 14, 20);
    MD5_FOUR(MD5_G, 13, 2, 7, 12, 28, 5, 9, 14, 20);
    /* Round 3: X[(3i + 5) mod 16]. */
    MD5_FOUR(MD5_H, 5, 8, 11, 14, 32, 4, 11, 16, 23);
    MD5_FOUR(MD5_H, 1, 4, 7, 10, 36, 4, 11, 16, 23);
    MD5_FOUR(MD5_H, 13, 0, 3, 6, 40, 4, 11, 16, 23);
    MD5_FOUR(MD5_H, 9, 12, 15, 2, 44, 4, 11, 16, 23);
    /* Round 4: X[7i mod 16]. */
    MD5_FOUR(MD5_I, 0, 7, 14, 5, 48, 6, 10, 15, 21);
    MD5_FOUR(MD5_I, 12, 3, 10, 1, 52, 6, 10, 15, 21);
    MD5_FOUR(MD5_I, 8, 15, 6, 13, 56, 6, 10, 15, 21);
    MD5_FOUR(MD5_I, 4, 11, 2, 9, 60, 6, 10, 15, 21);
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
}

void msnp_md5_init(msnp_md5_ctx *m)
{
    /* RFC 1321 §3.3: word A = 01 23 45 67 (low-order byte first), ... */
    m->state[0] = 0x67452301;
    m->state[1] = 0xefcdab89;
    m->state[2] = 0x98badcfe;
    m->state[3] = 0x10325476;
    m->bytes = 0;
    memset(m->block, 0, sizeof m->block);
}

void msnp_md5_update(msnp_md5_ctx *m, const void *data, size_t len)
{
    const uint8_t *p = data;
    size_t have = (size_t)(m->bytes % 64);
    m->bytes += len;
    if (have) {
        size_t take = 64 - have < len ? 64 - have : len;
        memcpy(m->block + have, p, take);
        p += take;
        len -= take;
        if (have + take < 64)
            return;
        transform(m->state, m->block);
    }
    for (; len >= 64; p += 64, len -= 64)
        transform(m->state, p);
    if (len)
        memcpy(m->block, p, len);
}

void msnp_md5_final(msnp_md5_ctx *m, uint8_t digest[MSNP_MD5_LEN])
{
    /* RFC 1321 §3.1-3.2: a 1 bit, zeros to 56 mod 64 bytes, then the length in
     * bits as a little-endian 64-bit number (mod 2^64). */
    uint64_t bits = m->bytes * 8;
    static const uint8_t pad[64] = {0x80};
    size_t have = (size_t)(m->bytes % 64);
    msnp_md5_update(m, pad, have < 56 ? 56 - have : 120 - have);
    uint8_t length[8];
    for (unsigned i = 0; i < 8; i++)
        length[i] = (uint8_t)(bits >> (8 * i));
    msnp_md5_update(m, length, 8);
    for (unsigned i = 0; i < 4; i++)
        for (unsigned j = 0; j < 4; j++)
            digest[4 * i + j] = (uint8_t)(m->state[i] >> (8 * j));
}

void msnp_md5(const void *data, size_t len, uint8_t digest[MSNP_MD5_LEN])
{
    msnp_md5_ctx m;
    msnp_md5_init(&m);
    msnp_md5_update(&m, data, len);
    msnp_md5_final(&m, digest);
}

void msnp_hex_lower(const uint8_t *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}
