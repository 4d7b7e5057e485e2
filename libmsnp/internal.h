/* Declarations shared between libmsnp's own files, not part of the API. */
#ifndef MSNP_INTERNAL_H
#define MSNP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/commands.h"

/* printf checking of a helper's format string, where the compiler offers it
 * (without it clang's -Wformat-nonliteral flags the helper's vsnprintf). */
#if defined(__GNUC__)
#define MSNP_PRINTF(fmt, first) __attribute__((format(printf, fmt, first)))
#else
#define MSNP_PRINTF(fmt, first)
#endif

/* Text checked eight bytes a step. MSNP_BYTES_ONES * b has b in every byte;
 * msnp_bytes_below(w, b) sets the top bit of every byte of w below b
 * (b <= 0x80) — and of none before the first such byte: a borrow only flags
 * later bytes. */
#define MSNP_BYTES_ONES 0x0101010101010101u
#define MSNP_BYTES_HIGHS 0x8080808080808080u

static inline uint64_t msnp_bytes_below(uint64_t w, uint8_t b)
{
    return (w - MSNP_BYTES_ONES * b) & ~w & MSNP_BYTES_HIGHS;
}

/* The rows of command_table.c, sorted by name. */
const msnp_command_info *msnp_command_table(size_t *count);

#endif
