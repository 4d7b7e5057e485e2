/* Classic pcap records read in large blocks (see pcapblock.h). */
#include "pcapblock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC_MICRO 0xa1b2c3d4u
#define MAGIC_NANO 0xa1b23c4du
#define RECORD_HEADER 16u
/* The first allocation; a record that does not fit grows the buffer to
 * what the largest record needs, so one file costs at most ~257 KiB. */
#define INITIAL_BLOCK (64u * 1024u)
#define LARGEST_BLOCK (RECORD_HEADER + PCAPBLOCK_MAX_CAPLEN)

static uint32_t host_u32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static int32_t host_i32(const uint8_t *p)
{
    int32_t v;
    memcpy(&v, p, 4);
    return v;
}

static uint16_t host_u16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

/* The link types msnpdump decodes (LINKTYPE_ values as in the file header);
 * libpcap allows records of up to PCAPBLOCK_MAX_CAPLEN bytes for each, and
 * more for some others (D-Bus: 128 MiB), which are left to it. */
static int standard_link(uint32_t linktype)
{
    switch (linktype) {
    case 0:   /* NULL */
    case 1:   /* ETHERNET */
    case 101: /* RAW */
    case 108: /* LOOP */
    case 113: /* LINUX_SLL */
    case 228: /* IPV4 */
    case 229: /* IPV6 */
    case 276: /* LINUX_SLL2 */
        return 1;
    default:
        return 0;
    }
}

int pcapblock_usable(const uint8_t header[24], int *nano)
{
    uint32_t magic = host_u32(header);
    if (magic != MAGIC_MICRO && magic != MAGIC_NANO)
        return 0;
    /* Before 2.4 libpcap may swap caplen and len; leave those files to it. */
    uint16_t major = host_u16(header + 4), minor = host_u16(header + 6);
    if (major != 2 || minor < 4 || !standard_link(host_u32(header + 20)))
        return 0;
    *nano = magic == MAGIC_NANO;
    return 1;
}

int pcapblock_init(pcapblock *r, FILE *fp, uint32_t snapshot, int nano)
{
    memset(r, 0, sizeof *r);
    r->buf = malloc(INITIAL_BLOCK);
    if (!r->buf)
        return -1;
    r->cap = INITIAL_BLOCK;
    r->fp = fp;
    r->snapshot = snapshot;
    r->nano = nano;
    return 0;
}

void pcapblock_free(pcapblock *r)
{
    free(r->buf);
    r->buf = NULL;
}

size_t pcapblock_buffered(const pcapblock *r)
{
    return r->end - r->start;
}

/* Make at least want bytes readable unless the file ends first; returns how
 * many are. -1 on a read error or when the buffer cannot grow. */
static long fill(pcapblock *r, size_t want, char *err, size_t errsize)
{
    size_t have = r->end - r->start;
    if (have >= want || r->eof)
        return (long)have;
    if (want > r->cap) {
        uint8_t *bigger = realloc(r->buf, LARGEST_BLOCK);
        if (!bigger) {
            snprintf(err, errsize, "out of memory");
            return -1;
        }
        r->buf = bigger;
        r->cap = LARGEST_BLOCK;
    }
    memmove(r->buf, r->buf + r->start, have);
    r->start = 0;
    r->end = have;
    while (r->end < want && !r->eof) {
        size_t got = fread(r->buf + r->end, 1, r->cap - r->end, r->fp);
        r->end += got;
        if (got == 0) {
            if (ferror(r->fp)) {
                snprintf(err, errsize, "error reading dump file: %s", strerror(errno));
                return -1;
            }
            r->eof = 1;
        }
    }
    return (long)(r->end - r->start);
}

int pcapblock_next(pcapblock *r, pcapblock_record *rec, char *err, size_t errsize)
{
    long have = fill(r, RECORD_HEADER, err, errsize);
    if (have < 0)
        return -1;
    if (have == 0)
        return 0;
    if ((size_t)have < RECORD_HEADER) {
        snprintf(err, errsize, "truncated dump file; tried to read %u header bytes, only got %ld",
                 RECORD_HEADER, have);
        return -1;
    }
    const uint8_t *h = r->buf + r->start;
    /* The stamp fields are signed 32-bit numbers to libpcap. */
    int64_t sec = host_i32(h), frac = host_i32(h + 4);
    uint32_t caplen = host_u32(h + 8), len = host_u32(h + 12);
    if (caplen > PCAPBLOCK_MAX_CAPLEN) {
        if (caplen > r->snapshot)
            snprintf(err, errsize, "invalid packet capture length %u, bigger than snaplen of %d",
                     caplen, (int)r->snapshot);
        else
            snprintf(err, errsize, "invalid packet capture length %u, bigger than maximum of %u",
                     caplen, PCAPBLOCK_MAX_CAPLEN);
        return -1;
    }
    have = fill(r, RECORD_HEADER + (size_t)caplen, err, errsize);
    if (have < 0)
        return -1;
    size_t data_have = (size_t)have - RECORD_HEADER;
    if (data_have < caplen) {
        /* libpcap reads a record longer than the snapshot length in two
         * steps and names the step that came up short. */
        uint32_t tried = caplen > r->snapshot && data_have < r->snapshot ? r->snapshot : caplen;
        snprintf(err, errsize, "truncated dump file; tried to read %u captured bytes, only got %zu",
                 tried, data_have);
        return -1;
    }
    h = r->buf + r->start;
    rec->sec = sec;
    rec->usec = r->nano ? frac / 1000 : frac;
    rec->caplen = caplen > r->snapshot ? r->snapshot : caplen;
    rec->len = len;
    rec->data = h + RECORD_HEADER;
    r->start += RECORD_HEADER + caplen;
    return 1;
}
