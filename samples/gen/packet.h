/* msnpgen — link, IPv4/IPv6 and TCP header construction with checksums. */
#ifndef MSNPGEN_PACKET_H
#define MSNPGEN_PACKET_H

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

#define TCPF_FIN 0x01
#define TCPF_SYN 0x02
#define TCPF_RST 0x04
#define TCPF_PSH 0x08
#define TCPF_ACK 0x10

/* Largest frame we ever build: link (20) + IPv6 (40) + TCP with options
 * (28) + payload (mss <= 65000). */
#define FRAME_MAX (20 + 40 + 28 + 65000 + 64)

typedef struct {
    const endpoint_t *src, *dst;
    int outgoing;        /* sent by the capturing host */
    uint8_t src_mac[6], dst_mac[6];
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t window;
    uint16_t mss_opt;    /* nonzero: SYN options MSS,NOP,NOP,SACK_PERM */
    uint16_t ip_id;
    uint8_t ttl;
    const uint8_t *payload;
    size_t len;
} tcp_packet_t;

/* The libpcap LINKTYPE_ value of a link type. */
uint32_t link_dlt(int link);

/* Build a complete frame into out (FRAME_MAX bytes); returns its length. */
size_t build_frame(uint8_t *out, int link, uint16_t vlan_id, const tcp_packet_t *p);

/* Internet checksum helpers (exposed for tests). */
uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n);
uint16_t csum_fold(uint32_t sum);

#endif
