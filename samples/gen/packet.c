#include "packet.h"

#include <string.h>

/* AF_INET6 as written by macOS/Darwin in DLT_NULL headers; Wireshark and
 * libpcap accept 24, 28 and 30. */
#define NULL_AF_INET 2
#define NULL_AF_INET6 30

uint32_t link_dlt(int link)
{
    switch (link) {
    case LINK_ETHERNET:
    case LINK_VLAN:
        return 1;
    case LINK_SLL:
        return 113;
    case LINK_SLL2:
        return 276;
    case LINK_RAW:
        return 101;
    case LINK_NULL:
        return 0;
    default:
        return 1;
    }
}

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
    uint64_t s = sum;
    size_t i = 0;
    for (; i + 1 < n; i += 2)
        s += (uint32_t)p[i] << 8 | p[i + 1];
    if (i < n)
        s += (uint32_t)p[i] << 8;
    while (s >> 32)
        s = (s & 0xffffffffu) + (s >> 32);
    return (uint32_t)s;
}

uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static size_t link_header(uint8_t *o, int link, uint16_t vlan_id, const tcp_packet_t *p)
{
    uint16_t etype = p->src->family == 4 ? 0x0800 : 0x86dd;
    switch (link) {
    case LINK_ETHERNET:
        memcpy(o, p->dst_mac, 6);
        memcpy(o + 6, p->src_mac, 6);
        put16(o + 12, etype);
        return 14;
    case LINK_VLAN:
        memcpy(o, p->dst_mac, 6);
        memcpy(o + 6, p->src_mac, 6);
        put16(o + 12, 0x8100);
        put16(o + 14, vlan_id & 0x0fff); /* PCP 0, DEI 0 */
        put16(o + 16, etype);
        return 18;
    case LINK_SLL:
        put16(o, p->outgoing ? 4 : 0); /* LINUX_SLL_OUTGOING / LINUX_SLL_HOST */
        put16(o + 2, 1);               /* ARPHRD_ETHER */
        put16(o + 4, 6);
        memcpy(o + 6, p->src_mac, 6);
        o[12] = o[13] = 0;
        put16(o + 14, etype);
        return 16;
    case LINK_SLL2:
        put16(o, etype);
        put16(o + 2, 0);
        put32(o + 4, 2); /* interface index */
        put16(o + 8, 1); /* ARPHRD_ETHER */
        o[10] = p->outgoing ? 4 : 0;
        o[11] = 6;
        memcpy(o + 12, p->src_mac, 6);
        o[18] = o[19] = 0;
        return 20;
    case LINK_NULL: {
        uint32_t af = p->src->family == 4 ? NULL_AF_INET : NULL_AF_INET6;
        o[0] = (uint8_t)af; /* little-endian host order */
        o[1] = (uint8_t)(af >> 8);
        o[2] = (uint8_t)(af >> 16);
        o[3] = (uint8_t)(af >> 24);
        return 4;
    }
    case LINK_RAW:
    default:
        return 0;
    }
}

size_t build_frame(uint8_t *out, int link, uint16_t vlan_id, const tcp_packet_t *p)
{
    size_t l2 = link_header(out, link, vlan_id, p);
    int v4 = p->src->family == 4;
    size_t iph = v4 ? 20 : 40;
    size_t tcph = p->mss_opt ? 28 : 20;
    uint8_t *ip = out + l2;
    uint8_t *tcp = ip + iph;
    size_t tcplen = tcph + p->len;

    /* TCP header */
    put16(tcp, p->src->port);
    put16(tcp + 2, p->dst->port);
    put32(tcp + 4, p->seq);
    put32(tcp + 8, p->ack);
    tcp[12] = (uint8_t)((tcph / 4) << 4);
    tcp[13] = p->flags;
    put16(tcp + 14, p->window);
    put16(tcp + 16, 0);
    put16(tcp + 18, 0);
    if (p->mss_opt) {
        tcp[20] = 2;
        tcp[21] = 4;
        put16(tcp + 22, p->mss_opt);
        tcp[24] = 1;
        tcp[25] = 1;
        tcp[26] = 4;
        tcp[27] = 2;
    }
    if (p->len)
        memcpy(tcp + tcph, p->payload, p->len);

    /* IP header and the pseudo-header sum */
    uint32_t sum = 0;
    uint8_t ph[4];
    if (v4) {
        ip[0] = 0x45;
        ip[1] = 0;
        put16(ip + 2, (uint32_t)(iph + tcplen));
        put16(ip + 4, p->ip_id);
        put16(ip + 6, 0x4000); /* DF */
        ip[8] = p->ttl;
        ip[9] = 6;
        put16(ip + 10, 0);
        memcpy(ip + 12, p->src->addr, 4);
        memcpy(ip + 16, p->dst->addr, 4);
        put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
        sum = csum_add(sum, ip + 12, 8);
        ph[0] = 0;
        ph[1] = 6;
        put16(ph + 2, (uint32_t)tcplen);
        sum = csum_add(sum, ph, 4);
    } else {
        put32(ip, 0x60000000u);
        put16(ip + 4, (uint32_t)tcplen);
        ip[6] = 6;
        ip[7] = p->ttl;
        memcpy(ip + 8, p->src->addr, 16);
        memcpy(ip + 24, p->dst->addr, 16);
        sum = csum_add(sum, ip + 8, 32);
        put32(ph, (uint32_t)tcplen);
        sum = csum_add(sum, ph, 4);
        uint8_t nh[4] = {0, 0, 0, 6};
        sum = csum_add(sum, nh, 4);
    }
    /* The pseudo-header is an even number of bytes, so the TCP bytes can be
     * summed on after it. */
    sum = csum_add(sum, tcp, tcplen);
    put16(tcp + 16, csum_fold(sum));

    size_t total = l2 + iph + tcplen;
    /* Frames received over Ethernet are padded to the 60-byte minimum (the
     * IP total length tells the real size); sent ones are captured short. */
    if ((link == LINK_ETHERNET || link == LINK_VLAN) && !p->outgoing && total < 60) {
        memset(out + total, 0, 60 - total);
        total = 60;
    }
    return total;
}
