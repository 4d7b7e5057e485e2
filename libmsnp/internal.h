/* Declarations shared between libmsnp's own files, not part of the API. */
#ifndef MSNP_INTERNAL_H
#define MSNP_INTERNAL_H

#include <stddef.h>

#include "msnp/commands.h"

/* printf checking of a helper's format string, where the compiler offers it
 * (without it clang's -Wformat-nonliteral flags the helper's vsnprintf). */
#if defined(__GNUC__)
#define MSNP_PRINTF(fmt, first) __attribute__((format(printf, fmt, first)))
#else
#define MSNP_PRINTF(fmt, first)
#endif

/* The rows of command_table.c, sorted by name. */
const msnp_command_info *msnp_command_table(size_t *count);

#endif
