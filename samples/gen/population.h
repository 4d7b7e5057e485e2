/* msnpgen — population mode: a large, realistic capture of many users,
 * generated and written as a stream (memory bounded by the number of users
 * online at once, not by the capture size). Format of the per-user
 * scenarios and of the counts file: samples/README.md, "Population mode". */
#ifndef MSNPGEN_POPULATION_H
#define MSNPGEN_POPULATION_H

#include <stdint.h>

#include "scenario.h"

typedef struct {
    uint64_t users;     /* number of users (each: DS + NS login, chats, ...) */
    int64_t arrival_ns; /* mean time between two users' logins */
    int64_t session_ns; /* mean session window (chats start within it) */
    int64_t dump_user;  /* >= 0: print that user's scenario and stop */
    /* Settings fixed for every user by the command line; the others follow
     * the per-user mix (some users' traffic split, coalesced, reordered,
     * retransmitted). */
    int fix_split, fix_coalesce, fix_reorder, fix_retransmit, fix_loss, fix_acks, fix_mss;
} pop_opts_t;

#define POP_MAX_USERS UINT64_C(1000000)

void pop_opts_default(pop_opts_t *po);

/* Generate the population capture into `out` ("-" = stdout); optionally the
 * full ground truth (`truth`) and the counts (`counts`, JSON). `set` holds
 * the command-line settings (format, link, seed, start, and the fixed ones).
 * Returns a GEN_EXIT_* status (message printed to stderr). */
int population_run(const pop_opts_t *po, const settings_t *set, const char *out,
                   const char *truth, const char *counts, int stats);

#endif
