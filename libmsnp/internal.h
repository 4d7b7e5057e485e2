/* Declarations shared between libmsnp's own files, not part of the API. */
#ifndef MSNP_INTERNAL_H
#define MSNP_INTERNAL_H

#include <stddef.h>

#include "msnp/commands.h"

/* The rows of command_table.c, sorted by name. */
const msnp_command_info *msnp_command_table(size_t *count);

#endif
