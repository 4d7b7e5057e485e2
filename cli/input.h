/* Capture input: one or more pcap/pcapng files (or standard input), plain or
 * gzip-compressed, opened with libpcap and merged into one stream of packets
 * in time order (as mergecap does), each packet with its own link type. The
 * records of plain classic pcap files are read in blocks (pcapblock.h). */
#ifndef MSNPDUMP_INPUT_H
#define MSNPDUMP_INPUT_H

#include <stddef.h>
#include <stdint.h>

#define INPUT_MAX_FILES 256

typedef struct input_packet {
    int64_t sec;
    uint32_t usec;
    int dlt;
    const uint8_t *data;
    uint32_t caplen, len;
    unsigned file; /* index of the file it came from */
} input_packet;

typedef struct input input;

/* Open every file ("-" is standard input). On failure returns NULL and
 * writes a message (naming the file) to err. */
input *input_open(const char *const *files, size_t nfiles, char *err, size_t errsize);

/* The next packet in time order: 1, or 0 at the end of every file, or -1 on a
 * read error or truncation (message in err; the packets before it were all
 * returned; other files go on being read after it). */
int input_next(input *in, input_packet *pkt, char *err, size_t errsize);

/* Bytes of compressed/plain input consumed so far and the total, when known
 * (0 for standard input): for progress reports. */
void input_progress(const input *in, uint64_t *done, uint64_t *total);

/* The link type of file i (its first interface), for checks at start. */
int input_dlt(const input *in, unsigned i);
const char *input_name(const input *in, unsigned i);
unsigned input_count(const input *in);

void input_close(input *in);

#endif
