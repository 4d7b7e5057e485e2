/* msnpgen — pcap / pcapng writers through a large output buffer. */
#ifndef MSNPGEN_PCAPOUT_H
#define MSNPGEN_PCAPOUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
    FILE *f;
    int own; /* fclose on close */
    int format;
    uint8_t *buf;
    size_t len, cap;
    int err;
    uint64_t packets;
} pcapw_t;

#define PCAP_SNAPLEN 262144u

/* path "-" writes to stdout. Returns 0, or -1 (errno set). */
int pcapw_open(pcapw_t *w, const char *path, int format, uint32_t dlt);
/* ts_ns: nanoseconds since the epoch. */
void pcapw_packet(pcapw_t *w, int64_t ts_ns, const uint8_t *data, size_t len);
/* Flush and close; returns 0 or -1 if any write failed. */
int pcapw_close(pcapw_t *w);

#endif
