/* Classic pcap records read from a stream in large blocks.
 *
 * libpcap's pcap_next_ex reads every record with two fread calls into its
 * own buffer; on a capture of small packets that is as much work as
 * decoding them. This reader takes over a classic pcap file after libpcap
 * has read and checked its file header, and hands out records that point
 * into one block buffer. It accepts what libpcap accepts and fails where
 * and how it fails (the same error text), for files libpcap reads without
 * adjustments: native byte order, format 2.4, micro- or nanosecond stamps,
 * a link type msnpdump decodes (whose records libpcap limits to
 * PCAPBLOCK_MAX_CAPLEN bytes). input.c asks which files those are
 * (pcapblock_usable) and leaves the rest to libpcap. */
#ifndef MSNPDUMP_PCAPBLOCK_H
#define MSNPDUMP_PCAPBLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* libpcap's limit on a record's captured length for every link type
 * msnpdump decodes (its MAXIMUM_SNAPLEN). */
#define PCAPBLOCK_MAX_CAPLEN 262144u

typedef struct pcapblock_record {
    int64_t sec;
    int64_t usec;
    uint32_t caplen, len;
    const uint8_t *data;
} pcapblock_record;

typedef struct pcapblock {
    FILE *fp;
    uint8_t *buf;
    size_t cap;          /* bytes allocated */
    size_t start, end;   /* unread bytes are buf[start..end) */
    uint32_t snapshot;   /* libpcap's snapshot length for the file */
    int nano;            /* stamps are nanoseconds */
    int eof;
} pcapblock;

/* Does the 24-byte file header describe a file this reader takes over?
 * (magic a1b2c3d4 or a1b23c4d in host byte order, version 2.4 or later, a
 * link type msnpdump decodes). */
int pcapblock_usable(const uint8_t header[24], int *nano);

/* Read fp (positioned just after the file header) with the snapshot length
 * libpcap settled on. 0, or -1 when out of memory. */
int pcapblock_init(pcapblock *r, FILE *fp, uint32_t snapshot, int nano);

/* The next record: 1, 0 at the end of the file, -1 with libpcap's message
 * in err. The record's data stays valid until the next call. */
int pcapblock_next(pcapblock *r, pcapblock_record *rec, char *err, size_t errsize);

/* Bytes read from fp but not yet handed out (for progress reports). */
size_t pcapblock_buffered(const pcapblock *r);

void pcapblock_free(pcapblock *r);

#endif
