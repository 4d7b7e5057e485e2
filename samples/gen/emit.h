/* msnpgen — writes a planned (and sorted) packet list as a capture file,
 * and the ground truth. */
#ifndef MSNPGEN_EMIT_H
#define MSNPGEN_EMIT_H

#include "plan.h"

/* Returns 0, or -1 on an I/O error (errno-style message printed by caller). */
int write_capture(const plan_t *pl, const char *path);

/* Ground truth (format in samples/README.md). Returns 0 or -1. */
int write_truth(const plan_t *pl, const char *path);

#endif
