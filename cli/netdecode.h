/* Link, IP and TCP decoding of one captured packet into a TCP segment view.
 *
 * Input is untrusted: every read is checked against caplen, and length fields
 * are used only to trim (Ethernet padding) or to report how much the snapshot
 * length cut, never to read further. No allocation, no I/O, no libpcap: the
 * caller passes the raw bytes and the link type (libpcap DLT/LINKTYPE value).
 *
 * Not verified by default: IP and TCP checksums (like tshark; offloaded
 * transmit checksums are usually wrong in captures). net_tcp_checksum() checks
 * one on request.
 */
#ifndef MSNPDUMP_NETDECODE_H
#define MSNPDUMP_NETDECODE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Link types understood (libpcap DLT_* / LINKTYPE_* numbers). */
enum {
    NET_DLT_NULL = 0,        /* BSD loopback: 4-byte AF in host byte order */
    NET_DLT_EN10MB = 1,      /* Ethernet, 802.1Q/802.1ad/QinQ, PPPoE session */
    NET_DLT_RAW = 12,        /* raw IP (DLT_RAW on most systems) */
    NET_DLT_RAW_OPENBSD = 14, /* raw IP (DLT_RAW on OpenBSD) */
    NET_LINKTYPE_RAW = 101,  /* LINKTYPE_RAW, as stored in files */
    NET_DLT_LOOP = 108,      /* OpenBSD loopback: 4-byte AF, network order */
    NET_DLT_LINUX_SLL = 113, /* Linux cooked capture v1 */
    NET_DLT_IPV4 = 228,      /* raw IPv4 */
    NET_DLT_IPV6 = 229,      /* raw IPv6 */
    NET_DLT_LINUX_SLL2 = 276 /* Linux cooked capture v2 */
};

/* TCP header flags (tcp_segment.flags). */
#define TCP_FIN 0x01u
#define TCP_SYN 0x02u
#define TCP_RST 0x04u
#define TCP_PSH 0x08u
#define TCP_ACK 0x10u
#define TCP_URG 0x20u
#define TCP_ECE 0x40u
#define TCP_CWR 0x80u

typedef struct net_addr {
    uint8_t family;    /* 4 or 6; 0 = unset */
    uint8_t bytes[16]; /* IPv4 uses bytes[0..3], the rest is zero */
} net_addr;

typedef struct tcp_segment {
    net_addr src, dst;
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;          /* TCP_FIN ... TCP_CWR */
    uint8_t ip_version;     /* 4 or 6 */
    uint16_t window;        /* raw window field (unscaled) */
    const uint8_t *payload; /* points into the packet */
    uint32_t payload_len;   /* on the wire, from the IP length fields */
    uint32_t captured;      /* <= payload_len: fewer when the snapshot length cut the packet */
    /* For net_tcp_checksum(): the TCP header and the IP payload length. */
    const uint8_t *tcp_header;
    uint16_t tcp_header_len; /* data offset * 4 */
    uint8_t tso;             /* IP length field was 0 (TSO/GSO capture): length taken from caplen */
} tcp_segment;

typedef enum net_result {
    NET_TCP = 0,          /* *seg is filled */
    NET_NOT_IP,           /* link layer carries something else (ARP, ...) */
    NET_NOT_TCP,          /* IP, but not TCP (UDP, ICMP, ESP, no next header ...) */
    NET_FRAGMENT,         /* an IPv4 or IPv6 fragment (not reassembled) */
    NET_TRUNCATED,        /* caplen ends before the headers needed do */
    NET_BAD_HEADER,       /* impossible version/length/offset field */
    NET_LINK_UNSUPPORTED, /* unknown link type */
    NET_RESULT_COUNT
} net_result;

/* Decode one packet. On NET_TCP, *seg describes the segment and its payload
 * points into pkt. On NET_NOT_TCP, NET_FRAGMENT, and on NET_TRUNCATED or
 * NET_BAD_HEADER found at the TCP layer, seg->src/dst/ip_version are still
 * set (family 0 when the IP header was not reached). */
net_result net_decode(int dlt, const uint8_t *pkt, uint32_t caplen, tcp_segment *seg);

/* "tcp", "not-ip", "not-tcp", "fragment", "truncated", "bad-header",
 * "link-unsupported". */
const char *net_result_name(net_result r);

/* Longest outputs, NUL included: "[ffff:...:ffff]:65535" and the address
 * alone. */
#define NET_ENDPOINT_MAX 48
#define NET_ADDR_MAX 46

/* "1.2.3.4:1863", "[2001:db8::1]:1863" (RFC 5952: lower case, longest run of
 * two or more zero groups compressed, first one on a tie; ::ffff:a.b.c.d for
 * IPv4-mapped addresses). snprintf semantics: always NUL-terminates when
 * size > 0 and returns the length the full text needs. */
size_t net_format_endpoint(const net_addr *a, uint16_t port, char *buf, size_t size);
/* The address alone: "1.2.3.4", "2001:db8::1"; "?" for an unset family. */
size_t net_format_addr(const net_addr *a, char *buf, size_t size);

/* 1 when both addresses are equal (family and bytes). Inline: the flow
 * table compares addresses for every packet. */
static inline int net_addr_equal(const net_addr *a, const net_addr *b)
{
    if (a->family != b->family)
        return 0;
    if (a->family == 4) {
        uint32_t x, y;
        memcpy(&x, a->bytes, 4);
        memcpy(&y, b->bytes, 4);
        return x == y;
    }
    return memcmp(a->bytes, b->bytes, 16) == 0;
}

/* TCP checksum of a decoded segment: 1 good, 0 bad, -1 cannot tell (payload
 * cut by the snapshot length, or TSO capture). */
int net_tcp_checksum(const tcp_segment *seg);

#ifdef __cplusplus
}
#endif
#endif
