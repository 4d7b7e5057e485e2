/* msnpdump: decode MSNP (MSN Messenger protocol 8) from pcap/pcapng captures.
 * Options and exit statuses are documented in usage() and the README. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decoder.h"
#include "outbuf.h"
#include "records.h"

enum {
    EXIT_OK = 0,
    EXIT_USAGE = 1,
    EXIT_INPUT = 3,     /* cannot open or parse the input */
    EXIT_READ = 14,     /* truncated input or read error; records so far written */
    EXIT_WRITE = 15     /* output could not be written */
};

static const char *progname = "msnpdump";

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: %s [options] -r FILE\n"
            "Decode MSN Messenger (MSNP8) traffic from a pcap or pcapng capture: one record per\n"
            "command with its meaning, plus anomalies and a record per connection.\n"
            "\n"
            "  -r FILE            capture to read (pcap or pcapng); '-' reads standard input\n"
            "  -T text|jsonl      output format (default text)\n"
            "  -c N               stop after N packets\n"
            "  -q                 no summary on standard error\n"
            "  --port LIST        ports that identify the server side when the traffic does not\n"
            "                     (comma-separated; default 1863). MSNP is found on any port.\n"
            "  --max-line N       longest command line accepted, bytes (default %u)\n"
            "  --max-payload N    largest payload accepted, bytes (default %u)\n"
            "  --max-flows N      connections tracked at once (default %u)\n"
            "  -h, --help         this help\n"
            "  --version          version\n"
            "\n"
            "Exit status: 0 success, 1 usage error, 3 cannot open or parse the input,\n"
            "14 truncated input or read error (records decoded so far are written),\n"
            "15 output write error.\n",
            progname, MSNP_DEFAULT_MAX_LINE, MSNP_DEFAULT_MAX_PAYLOAD, 1u << 16);
}

static int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    if (!*s)
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || s[0] == '-' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_ports(const char *s, decoder_options *o)
{
    o->nports = 0;
    char buf[256];
    if (strlen(s) >= sizeof buf)
        return -1;
    strcpy(buf, s);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        uint64_t v;
        if (parse_u64(tok, 1, 65535, &v) != 0 || o->nports == DECODER_MAX_PORTS)
            return -1;
        o->ports[o->nports++] = (uint16_t)v;
    }
    return o->nports ? 0 : -1;
}

static int supported_link(int dlt)
{
    static const int ok[] = {NET_DLT_NULL,      NET_DLT_EN10MB,    NET_DLT_RAW,
                             NET_DLT_RAW_OPENBSD, NET_LINKTYPE_RAW, NET_DLT_LOOP,
                             NET_DLT_LINUX_SLL, NET_DLT_IPV4,      NET_DLT_IPV6,
                             NET_DLT_LINUX_SLL2};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (ok[i] == dlt)
            return 1;
    return 0;
}

static void summary(const decoder_stats *st)
{
    fprintf(stderr, "%s: %" PRIu64 " packets, %" PRIu64 " TCP", progname, st->packets,
            st->tcp_packets);
    static const char *why[NET_RESULT_COUNT] = {
        [NET_NOT_IP] = "not IP", [NET_NOT_TCP] = "IP but not TCP",
        [NET_FRAGMENT] = "IP fragments (not reassembled)", [NET_TRUNCATED] = "cut before the TCP header",
        [NET_BAD_HEADER] = "bad headers", [NET_LINK_UNSUPPORTED] = "unsupported link type"};
    for (int i = 1; i < NET_RESULT_COUNT; i++)
        if (st->not_tcp[i])
            fprintf(stderr, ", %" PRIu64 " %s", st->not_tcp[i], why[i]);
    fprintf(stderr, "\n%s: %" PRIu64 " TCP connections: %" PRIu64 " MSNP", progname, st->tcp_conns,
            st->msnp_conns);
    static const char *roles[5] = {"unknown role", "DS", "NS", "SB", "MSNFTP"};
    const char *sep = " (";
    for (int i = 0; i < 5; i++) {
        if (st->role_conns[i]) {
            fprintf(stderr, "%s%" PRIu64 " %s", sep, st->role_conns[i], roles[i]);
            sep = ", ";
        }
    }
    if (sep[0] == ',')
        fputc(')', stderr);
    fprintf(stderr, ", %" PRIu64 " other", st->other_conns);
    if (st->evicted)
        fprintf(stderr, ", %" PRIu64 " dropped at the flow limit", st->evicted);
    fprintf(stderr, "\n%s: %" PRIu64 " commands, %" PRIu64 " MSNFTP data blocks; %" PRIu64
            " anomalies: %" PRIu64 " gaps (%" PRIu64 " bytes missing), %" PRIu64
            " malformed lines, %" PRIu64 " bytes skipped, %" PRIu64 " oversize, %" PRIu64
            " truncated, %" PRIu64 " unknown commands\n",
            progname, st->commands, st->ftp_blocks, st->anomalies, st->gaps, st->gap_bytes,
            st->malformed, st->skipped_bytes, st->oversize, st->truncated, st->unknown_commands);
    if (st->dup_bytes || st->conflicts || st->ignored_segments || st->cut_segments)
        fprintf(stderr,
                "%s: TCP: %" PRIu64 " retransmitted bytes dropped (%" PRIu64
                " retransmissions differ from the first copy), %" PRIu64
                " segments ignored, %" PRIu64 " segments cut by the snapshot length\n",
                progname, st->dup_bytes, st->conflicts, st->ignored_segments, st->cut_segments);
}

int main(int argc, char **argv)
{
    const char *file = NULL, *format = "text";
    uint64_t max_packets = 0;
    int quiet = 0;
    decoder_options opt;
    decoder_options_default(&opt);

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t v;
#define NEED_VALUE                                                                       \
    do {                                                                                 \
        if (!val) {                                                                      \
            fprintf(stderr, "%s: option %s needs a value\n", progname, a);               \
            return EXIT_USAGE;                                                           \
        }                                                                                \
        i++;                                                                             \
    } while (0)
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--version")) {
            printf("msnpdump %s (libmsnp %s, %s)\n", MSNP_VERSION_STRING, MSNP_VERSION_STRING,
                   pcap_lib_version());
            return EXIT_OK;
        } else if (!strcmp(a, "-r")) {
            NEED_VALUE;
            file = val;
        } else if (!strcmp(a, "-T")) {
            NEED_VALUE;
            format = val;
            if (strcmp(format, "text") && strcmp(format, "jsonl")) {
                fprintf(stderr, "%s: unknown output format '%s' (text or jsonl)\n", progname,
                        format);
                return EXIT_USAGE;
            }
        } else if (!strcmp(a, "-c")) {
            NEED_VALUE;
            if (parse_u64(val, 1, UINT64_MAX, &max_packets) != 0) {
                fprintf(stderr, "%s: -c needs a positive number\n", progname);
                return EXIT_USAGE;
            }
        } else if (!strcmp(a, "-q")) {
            quiet = 1;
        } else if (!strcmp(a, "--port")) {
            NEED_VALUE;
            if (parse_ports(val, &opt) != 0) {
                fprintf(stderr, "%s: --port needs a comma-separated list of ports (1-65535)\n",
                        progname);
                return EXIT_USAGE;
            }
        } else if (!strcmp(a, "--max-line")) {
            NEED_VALUE;
            if (parse_u64(val, 16, 1u << 24, &v) != 0) {
                fprintf(stderr, "%s: --max-line needs a number from 16 to 16777216\n", progname);
                return EXIT_USAGE;
            }
            opt.limits.max_line = (uint32_t)v;
        } else if (!strcmp(a, "--max-payload")) {
            NEED_VALUE;
            if (parse_u64(val, 0, 1u << 30, &v) != 0) {
                fprintf(stderr, "%s: --max-payload needs a number from 0 to 1073741824\n",
                        progname);
                return EXIT_USAGE;
            }
            opt.limits.max_payload = (uint32_t)v;
        } else if (!strcmp(a, "--max-flows")) {
            NEED_VALUE;
            if (parse_u64(val, 1, 1u << 26, &v) != 0) {
                fprintf(stderr, "%s: --max-flows needs a number from 1 to 67108864\n", progname);
                return EXIT_USAGE;
            }
            opt.max_flows = (size_t)v;
        } else {
            fprintf(stderr, "%s: unknown option '%s' (see %s --help)\n", progname, a, progname);
            return EXIT_USAGE;
        }
#undef NEED_VALUE
    }
    if (!file) {
        fprintf(stderr, "%s: no input: give a capture with -r FILE (or -r - for stdin)\n",
                progname);
        usage(stderr);
        return EXIT_USAGE;
    }

    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    if (!pc) {
        fprintf(stderr, "%s: cannot read %s: %s\n", progname, strcmp(file, "-") ? file : "stdin",
                errbuf);
        return EXIT_INPUT;
    }
    int dlt = pcap_datalink(pc);
    if (!supported_link(dlt)) {
        const char *name = pcap_datalink_val_to_name(dlt);
        fprintf(stderr,
                "%s: %s: link type %d (%s) is not supported; supported: Ethernet (with VLAN tags), "
                "Linux cooked v1 and v2, raw IP, BSD/OpenBSD loopback\n",
                progname, file, dlt, name ? name : "unnamed");
        pcap_close(pc);
        return EXIT_INPUT;
    }

    outbuf out;
    if (outbuf_init(&out, stdout, 1u << 16) != 0) {
        fprintf(stderr, "%s: out of memory\n", progname);
        pcap_close(pc);
        return EXIT_INPUT;
    }
    writer w;
    if (!strcmp(format, "jsonl"))
        writer_jsonl_init(&w, &out);
    else
        writer_text_init(&w, &out);
    decoder *d = decoder_new(&opt, &w);
    if (!d) {
        fprintf(stderr, "%s: out of memory\n", progname);
        pcap_close(pc);
        return EXIT_INPUT;
    }

    int status = EXIT_OK;
    uint64_t frame = 0;
    struct pcap_pkthdr *h;
    const u_char *data;
    for (;;) {
        if (max_packets && frame >= max_packets)
            break;
        int r = pcap_next_ex(pc, &h, &data);
        if (r == PCAP_ERROR_BREAK)
            break;
        if (r != 1) {
            fprintf(stderr, "%s: %s: read error after %" PRIu64 " packets: %s\n", progname,
                    strcmp(file, "-") ? file : "stdin", frame, pcap_geterr(pc));
            status = EXIT_READ;
            break;
        }
        frame++;
        uint32_t caplen = h->caplen;
        decoder_packet(d, frame, (int64_t)h->ts.tv_sec, (uint32_t)h->ts.tv_usec, dlt, data,
                       caplen);
        if (out.failed)
            break;
    }
    decoder_finish(d);
    w.finish(&w);
    if (outbuf_flush(&out) != 0 || out.failed) {
        fprintf(stderr, "%s: cannot write the output: %s\n", progname, strerror(errno));
        status = EXIT_WRITE;
    }
    if (!quiet)
        summary(decoder_get_stats(d));
    decoder_free(d);
    outbuf_free(&out);
    pcap_close(pc);
    return status;
}
