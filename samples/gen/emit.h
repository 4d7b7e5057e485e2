/* msnpgen — writes a planned (and sorted) packet list as a capture file,
 * and the ground truth. */
#ifndef MSNPGEN_EMIT_H
#define MSNPGEN_EMIT_H

#include <stdio.h>

#include "plan.h"

#define TRUTH_HEADER "# msnpgen ground truth v1\n"

/* Returns 0, or -1 on an I/O error (errno-style message printed by caller). */
int write_capture(const plan_t *pl, const char *path);

/* Per-connection frame state of one plan: IP ids and host MAC addresses. */
typedef struct {
    uint16_t *ipid;
    uint8_t (*macs)[6];
} emit_state_t;

void emit_state_init(emit_state_t *es, const plan_t *pl);
void emit_state_free(emit_state_t *es);
/* Build the frame of packet p (of plan pl) into frame (FRAME_MAX bytes);
 * returns its length. Packets of one plan must be built in capture order. */
size_t emit_frame(const plan_t *pl, emit_state_t *es, const pkt_t *p, int link,
                  uint16_t vlan_id, uint8_t *frame);

/* Ground truth (format in samples/README.md). Returns 0 or -1. */
int write_truth(const plan_t *pl, const char *path);
/* The connection headers and records of one plan, without the file header. */
int write_truth_records(const plan_t *pl, FILE *f);

/* Walk the truth: every connection (declaration order), then its records in
 * send order, each with prefix 0 (none), 1 (lost) or 2 (resync). */
typedef struct {
    void (*conn)(void *ctx, const plan_t *pl, size_t c);
    void (*rec)(void *ctx, const plan_t *pl, const record_t *r, int prefix);
} truth_visitor_t;
void truth_walk(const plan_t *pl, const truth_visitor_t *v, void *ctx);

#endif
