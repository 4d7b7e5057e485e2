/* pcount — the floor: the cheapest possible pass over a capture with
 * libpcap, counting packets and captured bytes. Every decoder that reads
 * through libpcap pays at least this. Build: cc -O2 pcount.c -lpcap
 *
 *   pcount FILE      prints "PACKETS packets, BYTES bytes" */
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    char err[PCAP_ERRBUF_SIZE];
    if (argc != 2) {
        fprintf(stderr, "usage: pcount FILE\n");
        return 1;
    }
    pcap_t *p = pcap_open_offline(argv[1], err);
    if (!p) {
        fprintf(stderr, "pcount: %s\n", err);
        return 3;
    }
    struct pcap_pkthdr *h;
    const unsigned char *data;
    unsigned long long packets = 0, bytes = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        packets++;
        bytes += h->caplen;
    }
    if (rc == PCAP_ERROR) {
        fprintf(stderr, "pcount: %s\n", pcap_geterr(p));
        pcap_close(p);
        return 14;
    }
    pcap_close(p);
    printf("%llu packets, %llu bytes\n", packets, bytes);
    return 0;
}
