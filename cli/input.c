/* Capture input (see input.h). */
#define _GNU_SOURCE /* fopencookie: libpcap reads a gzip stream as a FILE */
#include "input.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "pcapblock.h"

typedef struct source {
    const char *name;
    pcap_t *pc;
    gzFile gz;      /* gzip-compressed (or standard input, read through zlib) */
    FILE *fp;       /* what libpcap reads */
    uint64_t total; /* file size when known */
    int dlt;
    int done;
    int have;       /* hdr/data hold the next packet */
    struct pcap_pkthdr *hdr;
    const u_char *data;
    uint64_t packets;
    int blocks;     /* records come from block, not from pcap_next_ex */
    pcapblock block;
    struct pcap_pkthdr block_hdr;
} source;

struct input {
    source *src;
    unsigned n;
    int last; /* the file whose packet was returned last, -1 none */
};

static ssize_t gz_read(void *cookie, char *buf, size_t size)
{
    unsigned want = size > (1u << 30) ? 1u << 30 : (unsigned)size;
    int r = gzread((gzFile)cookie, buf, want);
    return r < 0 ? -1 : r;
}

static int gz_close(void *cookie)
{
    return gzclose((gzFile)cookie) == Z_OK ? 0 : -1;
}

/* The first bytes of a regular file, for its format; 0 if there are fewer. */
static int peek_header(FILE *fp, uint8_t *head, size_t n)
{
    size_t got = fread(head, 1, n, fp);
    rewind(fp);
    return got == n;
}

/* A FILE that yields the decompressed bytes of fd (zlib passes plain data
 * through untouched, so standard input may be either). */
static FILE *open_gz(source *s, int fd)
{
    s->gz = gzdopen(fd, "rb");
    if (!s->gz)
        return NULL;
    gzbuffer(s->gz, 1u << 17);
    cookie_io_functions_t io = {gz_read, NULL, NULL, gz_close};
    FILE *fp = fopencookie(s->gz, "rb", io);
    if (!fp) {
        gzclose(s->gz);
        s->gz = NULL;
    }
    return fp;
}

static int open_one(source *s, const char *name, char *err, size_t errsize)
{
    char pe[PCAP_ERRBUF_SIZE] = "";
    int nano = 0;
    s->name = name;
    if (strcmp(name, "-") == 0) {
        s->name = "standard input";
        s->fp = open_gz(s, dup(STDIN_FILENO));
    } else {
        FILE *raw = fopen(name, "rb");
        if (!raw) {
            snprintf(err, errsize, "cannot read %s: %s", name, strerror(errno));
            return -1;
        }
        struct stat st;
        int regular = fstat(fileno(raw), &st) == 0 && S_ISREG(st.st_mode);
        if (regular)
            s->total = (uint64_t)st.st_size;
        uint8_t head[24] = {0};
        int whole = regular && peek_header(raw, head, sizeof head);
        if (!regular || (head[0] == 0x1f && head[1] == 0x8b)) {
            /* gzip; or a pipe (`-r <(zcat ...)`), whose first bytes cannot be
             * read twice: zlib passes plain data through as it is. */
            s->fp = open_gz(s, dup(fileno(raw)));
            fclose(raw);
        } else {
            s->fp = raw;
            s->blocks = whole && pcapblock_usable(head, &nano);
        }
    }
    if (!s->fp) {
        snprintf(err, errsize, "cannot read %s: %s", s->name, strerror(errno));
        return -1;
    }
    s->pc = pcap_fopen_offline_with_tstamp_precision(s->fp, PCAP_TSTAMP_PRECISION_MICRO, pe);
    if (!s->pc) {
        snprintf(err, errsize, "cannot read %s: %s", s->name, pe);
        fclose(s->fp);
        s->fp = NULL;
        return -1;
    }
    s->dlt = pcap_datalink(s->pc);
    /* libpcap has read and checked the file header; the records of a plain
     * classic pcap file are read here, in large blocks (pcapblock.h). */
    if (s->blocks && pcapblock_init(&s->block, s->fp, (uint32_t)pcap_snapshot(s->pc), nano) != 0) {
        snprintf(err, errsize, "%s: out of memory", s->name);
        pcap_close(s->pc);
        s->pc = NULL;
        s->blocks = 0;
        return -1;
    }
    return 0;
}

input *input_open(const char *const *files, size_t nfiles, char *err, size_t errsize)
{
    if (nfiles == 0 || nfiles > INPUT_MAX_FILES) {
        snprintf(err, errsize, "between 1 and %d input files, please", INPUT_MAX_FILES);
        return NULL;
    }
    input *in = calloc(1, sizeof *in);
    if (!in || !(in->src = calloc(nfiles, sizeof *in->src))) {
        free(in);
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    in->last = -1;
    for (size_t i = 0; i < nfiles; i++) {
        if (open_one(&in->src[i], files[i], err, errsize) != 0) {
            in->n = (unsigned)i;
            input_close(in);
            return NULL;
        }
    }
    in->n = (unsigned)nfiles;
    return in;
}

/* The next record of s from whichever reader has the file: 1, 0 at its end,
 * -1 with the reader's message in why. */
static int next_record(source *s, char *why, size_t whysize)
{
    if (!s->blocks) {
        int r = pcap_next_ex(s->pc, &s->hdr, &s->data);
        if (r == 1)
            return 1;
        if (r == PCAP_ERROR_BREAK)
            return 0;
        snprintf(why, whysize, "%s", pcap_geterr(s->pc));
        return -1;
    }
    pcapblock_record rec;
    int r = pcapblock_next(&s->block, &rec, why, whysize);
    if (r == 1) {
        s->block_hdr.ts.tv_sec = (time_t)rec.sec;
        s->block_hdr.ts.tv_usec = (suseconds_t)rec.usec;
        s->block_hdr.caplen = rec.caplen;
        s->block_hdr.len = rec.len;
        s->hdr = &s->block_hdr;
        s->data = rec.data;
    }
    return r;
}

/* Make s hold its next packet; 0 at its end, -1 on error. */
static int fill(source *s, char *err, size_t errsize)
{
    if (s->done || s->have)
        return s->have;
    char why[PCAP_ERRBUF_SIZE];
    int r = next_record(s, why, sizeof why);
    if (r == 1) {
        s->have = 1;
        return 1;
    }
    s->done = 1;
    if (r == 0)
        return 0;
    snprintf(err, errsize, "%s: read error after %llu packets: %s", s->name,
             (unsigned long long)s->packets, why);
    return -1;
}

static int earlier(const struct pcap_pkthdr *a, const struct pcap_pkthdr *b)
{
    if (a->ts.tv_sec != b->ts.tv_sec)
        return a->ts.tv_sec < b->ts.tv_sec;
    return a->ts.tv_usec < b->ts.tv_usec;
}

int input_next(input *in, input_packet *pkt, char *err, size_t errsize)
{
    if (in->last >= 0)
        in->src[in->last].have = 0;
    in->last = -1;
    int best = -1;
    for (unsigned i = 0; i < in->n; i++) {
        source *s = &in->src[i];
        int r = fill(s, err, errsize);
        if (r < 0)
            return -1; /* the next call goes on with the other files */
        if (r == 1 && (best < 0 || earlier(s->hdr, in->src[best].hdr)))
            best = (int)i;
    }
    if (best < 0)
        return 0;
    source *s = &in->src[best];
    s->packets++;
    in->last = best;
    pkt->sec = (int64_t)s->hdr->ts.tv_sec;
    pkt->usec = (uint32_t)s->hdr->ts.tv_usec;
    pkt->dlt = s->dlt;
    pkt->data = s->data;
    pkt->caplen = s->hdr->caplen;
    pkt->len = s->hdr->len;
    pkt->file = (unsigned)best;
    return 1;
}

void input_progress(const input *in, uint64_t *done, uint64_t *total)
{
    *done = *total = 0;
    for (unsigned i = 0; i < in->n; i++) {
        const source *s = &in->src[i];
        if (!s->total)
            continue;
        *total += s->total;
        long pos = s->gz ? (long)gzoffset(s->gz) : (s->fp ? ftell(s->fp) : -1);
        if (s->blocks && pos > 0)
            pos -= (long)pcapblock_buffered(&s->block);
        if (s->done)
            *done += s->total;
        else if (pos > 0)
            *done += (uint64_t)pos;
    }
}

int input_dlt(const input *in, unsigned i)
{
    return i < in->n ? in->src[i].dlt : -1;
}

const char *input_name(const input *in, unsigned i)
{
    return i < in->n ? in->src[i].name : "";
}

unsigned input_count(const input *in)
{
    return in->n;
}

void input_close(input *in)
{
    if (!in)
        return;
    for (unsigned i = 0; i < in->n; i++) {
        if (in->src[i].pc)
            pcap_close(in->src[i].pc); /* closes the FILE, and the gzFile through it */
        if (in->src[i].blocks)
            pcapblock_free(&in->src[i].block);
    }
    free(in->src);
    free(in);
}
