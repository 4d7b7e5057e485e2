/* Builds the fuzzers' seed corpora from capture files: each capture's packets,
 * segments, reassembled streams and payloads, written in the input format of
 * every harness (see the comment at the top of each fuzz_*.c).
 *
 * Usage: make_seeds OUTDIR CAPTURE...
 * Writes OUTDIR/<target>/<capture>-<what>-<n> for the targets pipeline, pcapblock,
 * netdecode, tcp_reasm, framer_split, framer_gap, command, mime, payload and
 * safe_name (the file names invitations announce).
 * Exit status 0, or 1 when a capture cannot be read or nothing was written. */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_links.h"
#include "msnp/framer.h"
#include "netdecode.h"
#include "tcp_reasm.h"

#define MAX_FLOWS 64
#define MAX_STREAM (64u << 10)  /* bytes of a direction kept as a seed */
#define MAX_PACKETS 48          /* netdecode seeds per capture */
#define MAX_PAYLOADS 64         /* mime/payload seeds per capture */
#define MAX_RECORDS 2048        /* segments in a tcp_reasm seed */

static const char *outdir;
static size_t written;
static const uint8_t none[1]; /* an empty header */

static void make_dir(const char *path)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "make_seeds: cannot create %s: %s\n", path, strerror(errno));
        exit(1);
    }
}

static void write_seed(const char *target, const char *stem, const char *what, size_t n,
                       const uint8_t *head, size_t head_len, const uint8_t *body,
                       size_t body_len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", outdir, target);
    make_dir(path);
    snprintf(path, sizeof path, "%s/%s/%s-%s-%zu", outdir, target, stem, what, n);
    FILE *fp = fopen(path, "wb");
    if (!fp || fwrite(head, 1, head_len, fp) != head_len ||
        fwrite(body, 1, body_len, fp) != body_len || fclose(fp) != 0) {
        fprintf(stderr, "make_seeds: cannot write %s\n", path);
        exit(1);
    }
    written++;
}

/* ---- flows and their reassembled directions ---------------------------- */

typedef struct stream {
    uint8_t *b;
    size_t len, cap;
    int syn;
} stream;

typedef struct seed_flow {
    net_addr addr[2];
    uint16_t port[2];
    tcp_half half[2];
    stream dir[2];
    uint32_t base[2];   /* first sequence number seen per side */
    int have_base[2];
    uint8_t rec[MAX_RECORDS][8];
    size_t nrec;
} seed_flow;

static void append(stream *s, const uint8_t *p, size_t n)
{
    if (s->len + n > MAX_STREAM)
        n = MAX_STREAM - s->len;
    if (s->len + n > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + n)
            cap *= 2;
        uint8_t *b = realloc(s->b, cap);
        if (!b)
            exit(1);
        s->b = b;
        s->cap = cap;
    }
    memcpy(s->b + s->len, p, n);
    s->len += n;
}

static void on_data(void *ctx, int side, const uint8_t *p, size_t n, uint64_t frame)
{
    (void)frame;
    append(&((seed_flow *)ctx)->dir[side], p, n);
}

static void on_gap(void *ctx, int side, uint64_t missing, uint64_t frame)
{
    (void)ctx, (void)side, (void)missing, (void)frame;
}

static void on_end(void *ctx, int side, int reason, uint64_t frame)
{
    (void)ctx, (void)side, (void)reason, (void)frame;
}

static const tcp_sink sink = {on_data, on_gap, on_end};

static seed_flow *flows[MAX_FLOWS];
static size_t nflows;
static tcp_budget budget;

static seed_flow *flow_of(const tcp_segment *s, int *side)
{
    for (size_t i = 0; i < nflows; i++) {
        seed_flow *f = flows[i];
        for (int k = 0; k < 2; k++) {
            if (net_addr_equal(&f->addr[k], &s->src) && f->port[k] == s->sport &&
                net_addr_equal(&f->addr[!k], &s->dst) && f->port[!k] == s->dport) {
                *side = k;
                return f;
            }
        }
    }
    if (nflows == MAX_FLOWS)
        return NULL;
    seed_flow *f = calloc(1, sizeof *f);
    if (!f)
        exit(1);
    f->addr[0] = s->src;
    f->addr[1] = s->dst;
    f->port[0] = s->sport;
    f->port[1] = s->dport;
    tcp_half_init(&f->half[0], 0, &budget);
    tcp_half_init(&f->half[1], 1, &budget);
    flows[nflows++] = f;
    *side = 0;
    return f;
}

/* One tcp_reasm harness record (fuzz_tcp_reasm.c): sequence numbers relative
 * to each side's first, where they fit in 16 signed bits. */
static void add_record(seed_flow *f, int side, const tcp_segment *s)
{
    if (!f->have_base[side]) {
        f->base[side] = s->seq;
        f->have_base[side] = 1;
    }
    if (f->nrec == MAX_RECORDS)
        return;
    int32_t rel = (int32_t)(s->seq - f->base[side]);
    int32_t rack = f->have_base[!side] ? (int32_t)(s->ack - f->base[!side]) : 0;
    if (rel < -32768 || rel > 32767 || rack < -32768 || rack > 32767)
        return;
    uint8_t *r = f->rec[f->nrec++];
    r[0] = (uint8_t)((side << 3) | ((s->flags & TCP_SYN) ? 0x10 : 0) |
                     ((s->flags & TCP_FIN) ? 0x20 : 0) | ((s->flags & TCP_RST) ? 0x40 : 0) |
                     ((s->flags & TCP_ACK) ? 0x80 : 0));
    r[1] = (uint8_t)((uint32_t)rel >> 8);
    r[2] = (uint8_t)rel;
    uint32_t len = s->payload_len % 4096;
    r[3] = (uint8_t)(len >> 8);
    r[4] = (uint8_t)len;
    r[5] = (uint8_t)((uint32_t)rack >> 8);
    r[6] = (uint8_t)rack;
    r[7] = s->captured < s->payload_len && s->payload_len
               ? (uint8_t)(0x80 | (uint64_t)s->captured * 128 / s->payload_len)
               : 0;
}

/* ---- per-stream seeds ---------------------------------------------------- */

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static size_t payloads_written;

static const uint8_t *find(const uint8_t *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(p + i, lit, k) == 0)
            return p + i;
    return NULL;
}

static void stream_seeds(const char *stem, const stream *st, size_t n)
{
    if (st->len == 0)
        return;
    uint8_t start = st->syn ? 0 : 1;
    uint8_t split[8] = {start, 0, 0, (uint8_t)n, 0x5e, 0xed, (uint8_t)(n * 7), 0x99};
    write_seed("framer_split", stem, "stream", n, split, sizeof split, st->b, st->len);
    uint8_t cmd[3] = {(uint8_t)(start << 7), (uint8_t)n, 40};
    write_seed("command", stem, "stream", n, cmd, sizeof cmd, st->b, st->len);

    /* The gap falls in the middle of the first payload; its payloads seed
     * the MIME and payload decoders. */
    uint32_t g = (uint32_t)(st->len / 2), m = 7;
    int gap_set = 0;
    msnp_framer f;
    msnp_framer_init(&f, NULL, st->syn ? MSNP_START_AT_COMMAND : MSNP_START_MIDSTREAM);
    size_t off = 0;
    while (off < st->len) {
        msnp_pdu p;
        msnp_frame_result r = msnp_framer_next(&f, st->b + off, st->len - off, &p);
        if (r == MSNP_NEED_MORE)
            break;
        if (r == MSNP_PDU && p.kind == MSNP_PDU_COMMAND && p.has_payload && p.payload.len > 4) {
            if (!gap_set) {
                g = (uint32_t)(off + p.payload.off + p.payload.len / 2);
                m = p.payload.len / 4;
                gap_set = 1;
            }
            const uint8_t *pl = st->b + off + p.payload.off;
            const uint8_t *af = find(pl, p.payload.len, "Application-File: ");
            if (af) {
                size_t k = 0, room = p.payload.len - (size_t)(af + 18 - pl);
                while (k < room && af[18 + k] != '\r' && af[18 + k] != '\n')
                    k++;
                uint8_t size = 255;
                write_seed("safe_name", stem, "file", payloads_written, &size, 1, af + 18, k);
            }
            if (payloads_written < MAX_PAYLOADS) {
                write_seed("mime", stem, "payload", payloads_written, none, 0,
                           st->b + off + p.payload.off, p.payload.len);
                write_seed("payload", stem, "payload", payloads_written, none, 0,
                           st->b + off + p.payload.off, p.payload.len);
                payloads_written++;
            }
        }
        off += p.len;
    }
    uint8_t gap[9] = {start, 0, 0, 0, 0, 0, 0, (uint8_t)(m >> 8), (uint8_t)m};
    put_u32(gap + 3, g);
    write_seed("framer_gap", stem, "stream", n, gap, sizeof gap, st->b, st->len);
}

static int link_index(int dlt)
{
    for (size_t i = 0; i < FUZZ_NLINKS; i++)
        if (fuzz_link_types[i] == dlt)
            return (int)i;
    return -1;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int seed_capture(const char *path)
{
    const char *stem = base_name(path);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "make_seeds: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    uint8_t *file = NULL;
    size_t flen = 0, cap = 0, got;
    do {
        if (flen == cap) {
            cap = cap ? cap * 2 : 1u << 16;
            file = realloc(file, cap);
            if (!file)
                exit(1);
        }
        got = fread(file + flen, 1, cap - flen, fp);
        flen += got;
    } while (got);
    fclose(fp);
    write_seed("pipeline", stem, "capture", 0, none, 0, file, flen);
    write_seed("pcapblock", stem, "capture", 0, none, 0, file, flen);
    free(file);

    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline(path, errbuf);
    if (!pc) {
        fprintf(stderr, "make_seeds: %s: %s\n", path, errbuf);
        return -1;
    }
    int dlt = pcap_datalink(pc);
    int li = link_index(dlt);
    tcp_budget_init(&budget);
    nflows = 0;
    payloads_written = 0;
    size_t packets = 0;
    uint64_t frame = 0;
    struct pcap_pkthdr *h;
    const u_char *pkt;
    while (pcap_next_ex(pc, &h, &pkt) == 1) {
        frame++;
        tcp_segment s;
        if (li < 0 || net_decode(dlt, pkt, h->caplen, &s) != NET_TCP)
            continue;
        if (packets < MAX_PACKETS && (packets < 8 || s.payload_len > 0)) {
            uint8_t sel = (uint8_t)li;
            write_seed("netdecode", stem, "packet", packets++, &sel, 1, pkt, h->caplen);
        }
        int side;
        seed_flow *f = flow_of(&s, &side);
        if (!f)
            continue;
        if (s.flags & TCP_SYN)
            f->dir[side].syn = 1;
        add_record(f, side, &s);
        tcp_reasm_packet(f->half, side, &s, frame, &sink, f);
    }
    pcap_close(pc);

    for (size_t i = 0; i < nflows; i++) {
        seed_flow *f = flows[i];
        for (int k = 0; k < 2; k++)
            tcp_half_close(&f->half[k], TCP_END_FLUSH, frame, &sink, f);
        uint8_t head[9] = {0};
        put_u32(head + 1, f->base[0] - 1u);
        put_u32(head + 5, f->base[1] - 1u);
        write_seed("tcp_reasm", stem, "flow", i, head, sizeof head, &f->rec[0][0], f->nrec * 8);
        for (int k = 0; k < 2; k++) {
            stream_seeds(stem, &f->dir[k], i * 2 + (size_t)k);
            free(f->dir[k].b);
            tcp_half_discard(&f->half[k]);
        }
        free(f);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: make_seeds OUTDIR CAPTURE...\n");
        return 1;
    }
    outdir = argv[1];
    make_dir(outdir);
    int status = 0;
    for (int i = 2; i < argc; i++)
        if (seed_capture(argv[i]) != 0)
            status = 1;
    fprintf(stderr, "make_seeds: %zu seeds from %d captures in %s\n", written, argc - 2, outdir);
    return status || written == 0;
}
