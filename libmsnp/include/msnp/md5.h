/* MD5 (RFC 1321), written from the RFC: the digest behind the MSNP8 challenge
 * answer (QRY, protocol reference §3.4) and the checksum msnpdump reports for a
 * file carried over MSNFTP (§7). Incremental, no allocation. MD5 is used here
 * to reproduce what the protocol computes, not for security. */
#ifndef MSNP_MD5_H
#define MSNP_MD5_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MSNP_MD5_LEN 16
#define MSNP_MD5_HEX_LEN 32

typedef struct msnp_md5 {
    uint32_t state[4]; /* A, B, C, D */
    uint64_t bytes;    /* message length so far */
    uint8_t block[64]; /* pending input, bytes % 64 of it */
} msnp_md5_ctx;

void msnp_md5_init(msnp_md5_ctx *m);
void msnp_md5_update(msnp_md5_ctx *m, const void *data, size_t len);
/* Pads, writes the digest and leaves m finished (re-init before reuse).
 * Finalise a copy to read the digest of a stream that goes on. */
void msnp_md5_final(msnp_md5_ctx *m, uint8_t digest[MSNP_MD5_LEN]);

/* One-shot digest. */
void msnp_md5(const void *data, size_t len, uint8_t digest[MSNP_MD5_LEN]);

/* Lower-case hex of n bytes into out (2n characters and a NUL). */
void msnp_hex_lower(const uint8_t *in, size_t n, char *out);

#ifdef __cplusplus
}
#endif
#endif
