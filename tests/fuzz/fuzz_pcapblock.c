/* Fuzz target: msnpdump's block reader of classic pcap files
 * (cli/pcapblock.c) against libpcap's own reader.
 *
 * Input: the capture file. Where libpcap opens it and the block reader takes
 * it over (pcapblock_usable: host byte order, format 2.4, micro- or
 * nanosecond stamps), both read it to the end.
 *
 * Property: record by record the same stamps, lengths and bytes; the same
 * end (end of file or error) at the same record, with the same message. */
#define _GNU_SOURCE /* fmemopen */
#include <pcap/pcap.h>
#include <string.h>

#include "fuzz_common.h"
#include "pcapblock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int nano = 0;
    if (size < 24 || !pcapblock_usable(data, &nano))
        return 0;
    /* fmemopen wants a writable buffer; each reader gets its own stream. */
    uint8_t *copy = malloc(size);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    char pe[PCAP_ERRBUF_SIZE] = "";
    FILE *a = fmemopen(copy, size, "rb");
    pcap_t *pc = a ? pcap_fopen_offline_with_tstamp_precision(a, PCAP_TSTAMP_PRECISION_MICRO, pe)
                   : NULL;
    if (!pc) {
        /* libpcap refuses the file header: msnpdump never reads records. */
        if (a)
            fclose(a);
        free(copy);
        return 0;
    }
    FILE *b = fmemopen(copy, size, "rb");
    FUZZ_CHECK(b != NULL, "fmemopen failed");
    FUZZ_CHECK(fseek(b, 24, SEEK_SET) == 0, "cannot seek past the file header");
    pcapblock blk;
    FUZZ_CHECK(pcapblock_init(&blk, b, (uint32_t)pcap_snapshot(pc), nano) == 0, "out of memory");
    for (unsigned count = 0;; count++) {
        struct pcap_pkthdr *h;
        const u_char *d;
        int ra = pcap_next_ex(pc, &h, &d);
        int want = ra == 1 ? 1 : ra == PCAP_ERROR_BREAK ? 0 : -1;
        pcapblock_record rec;
        char err[PCAP_ERRBUF_SIZE] = "";
        int rb = pcapblock_next(&blk, &rec, err, sizeof err);
        FUZZ_CHECK(rb == want, "record %u: block reader %d (%s), libpcap %d (%s)", count, rb, err,
                   ra, want < 0 ? pcap_geterr(pc) : "");
        if (want == 0)
            break;
        if (want < 0) {
            FUZZ_CHECK(strcmp(err, pcap_geterr(pc)) == 0, "record %u: \"%s\", libpcap \"%s\"",
                       count, err, pcap_geterr(pc));
            break;
        }
        FUZZ_CHECK((int64_t)h->ts.tv_sec == rec.sec && (int64_t)h->ts.tv_usec == rec.usec,
                   "record %u: stamp %lld.%lld, libpcap %lld.%lld", count, (long long)rec.sec,
                   (long long)rec.usec, (long long)h->ts.tv_sec, (long long)h->ts.tv_usec);
        FUZZ_CHECK(h->caplen == rec.caplen && h->len == rec.len,
                   "record %u: lengths %u/%u, libpcap %u/%u", count, rec.caplen, rec.len,
                   h->caplen, h->len);
        FUZZ_CHECK(memcmp(d, rec.data, rec.caplen) == 0, "record %u: bytes differ", count);
    }
    pcapblock_free(&blk);
    fclose(b);
    pcap_close(pc);
    free(copy);
    return 0;
}
