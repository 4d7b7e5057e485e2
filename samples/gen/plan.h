/* msnpgen — turns scenario events into timed TCP packets (handshake,
 * segmentation, ACKs, close) and ground-truth records. */
#ifndef MSNPGEN_PLAN_H
#define MSNPGEN_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "gateway.h"
#include "scenario.h"
#include "util.h"

typedef struct {
    int64_t t;    /* capture time, ns since the epoch */
    uint64_t key; /* creation order: tie-breaker for equal times */
    uint64_t off; /* stream offset of the payload */
    uint32_t conn;
    uint32_t seq, ack;
    uint32_t len;
    uint8_t side; /* sender */
    uint8_t flags;
    uint8_t syn;  /* carries the SYN options */
    uint8_t lost; /* left out of the capture (--loss) */
    uint8_t rtx;  /* retransmitted copy */
} pkt_t;

enum { REC_LINE, REC_RAW, REC_BINARY, REC_BINARY_END };

typedef struct {
    uint32_t conn;       /* the truth block: a TCP connection or a gateway session */
    uint32_t carrier;    /* the TCP connection whose stream holds the bytes */
    uint8_t side;
    uint8_t kind;
    uint64_t start, end; /* byte range in the carrier's stream of that direction */
    uint64_t hstart, hend; /* gateway: the HTTP header that frames the record's body */
    uint64_t aoff;       /* REC_LINE: line text in the scenario arena */
    uint32_t alen;
    uint64_t n1, n2;     /* REC_RAW: bytes; REC_BINARY: data bytes, blocks */
} record_t;

typedef struct {
    const scenario_t *sc;
    settings_t set; /* effective settings (scenario + command line) */
    pkt_t *pkts;
    size_t npkts, cappkts;
    record_t *recs;
    size_t nrecs, caprecs;
    buf_t *streams;  /* [conn * 2 + side]: every byte sent in that direction */
    gw_session_t *gws; /* [conn]: state of the gateway sessions (CONN_GATEWAY) */
    void *priv;
} plan_t;

/* Returns 0 or GEN_EXIT_SCENARIO (message in err, "path:line: ..."). */
int plan_build(plan_t *pl, const scenario_t *sc, const settings_t *set, char *err,
               size_t errlen);
/* Sort the packets into capture order (time, then creation order). */
void plan_sort(plan_t *pl);
/* Release what only planning and the truth need (send histories, truth
 * records); the packets and streams stay, so the capture can be written. */
void plan_trim(plan_t *pl);
void plan_free(plan_t *pl);

#endif
