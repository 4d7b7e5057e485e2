/* msnpgen — MSNFTP file content and block framing (protocol reference §7). */
#ifndef MSNPGEN_MSNFTP_H
#define MSNPGEN_MSNFTP_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define MSNFTP_MAX_BLOCK 2045

/* Deterministic pseudo-random file content: a function of (seed, file name)
 * only, so every prefix is stable whatever the size. */
void msnftp_content(uint64_t seed, const char *name, uint8_t *out, size_t n);

/* Append one data block (header 00 LL HH + data) to out. len <= 65535. */
void msnftp_block(buf_t *out, const uint8_t *data, size_t len);
/* Append the abort/end block 01 00 00. */
void msnftp_end_block(buf_t *out);
/* Number of blocks needed for n bytes with at most `block` bytes each. */
uint64_t msnftp_block_count(uint64_t n, uint32_t block);

#endif
