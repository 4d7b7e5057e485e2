/* Link, IP and TCP decoding; see netdecode.h. Every read is bounded by the
 * captured length; no length field is trusted for reading. */
#include "netdecode.h"

#include <stdio.h>
#include <string.h>

#include "msnp/text.h"

#define ETH_IPV4 0x0800u
#define ETH_IPV6 0x86DDu
#define ETH_VLAN 0x8100u   /* 802.1Q */
#define ETH_QINQ 0x88A8u   /* 802.1ad */
#define ETH_QINQ_OLD 0x9100u /* pre-standard QinQ */
#define ETH_PPPOE 0x8864u  /* PPPoE session stage */

#define PPP_IPV4 0x0021u
#define PPP_IPV6 0x0057u

#define ARPHRD_NETLINK 824u

#define IPPROTO_TCP_ 6u

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(((unsigned)p[0] << 8) | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint32_t rd32le(const uint8_t *p)
{
    return ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) | ((uint32_t)p[1] << 8) | p[0];
}

/* TCP header at q: avail bytes captured, wire bytes according to IP. */
static net_result decode_tcp(const uint8_t *q, uint32_t avail, uint32_t wire, int tso,
                             tcp_segment *seg)
{
    if (avail < 20)
        return (wire < 20 && !tso) ? NET_BAD_HEADER : NET_TRUNCATED;
    seg->sport = rd16(q);
    seg->dport = rd16(q + 2);
    seg->seq = rd32(q + 4);
    seg->ack = rd32(q + 8);
    seg->flags = q[13];
    seg->window = rd16(q + 14);
    uint32_t doff = (uint32_t)(q[12] >> 4) * 4u;
    if (doff < 20 || doff > wire)
        return NET_BAD_HEADER;
    if (doff > avail)
        return NET_TRUNCATED;
    seg->tcp_header = q;
    seg->tcp_header_len = (uint16_t)doff;
    seg->payload = q + doff;
    seg->payload_len = wire - doff;
    seg->captured = avail - doff;
    seg->tso = (uint8_t)tso;
    return NET_TCP;
}

static net_result decode_ipv4(const uint8_t *p, uint32_t len, tcp_segment *seg)
{
    if (len < 1)
        return NET_TRUNCATED;
    if ((p[0] >> 4) != 4)
        return NET_BAD_HEADER;
    if (len < 20)
        return NET_TRUNCATED;
    uint32_t ihl = (uint32_t)(p[0] & 0x0f) * 4u;
    if (ihl < 20)
        return NET_BAD_HEADER;
    seg->ip_version = 4;
    seg->src.family = 4;
    memcpy(seg->src.bytes, p + 12, 4);
    seg->dst.family = 4;
    memcpy(seg->dst.bytes, p + 16, 4);
    uint32_t total = rd16(p + 2);
    int tso = 0;
    if (total == 0) { /* TSO/GSO: the kernel left the length for the NIC */
        tso = 1;
        total = len;
    }
    if (len < ihl)
        return NET_TRUNCATED;
    if (total < ihl)
        return NET_BAD_HEADER;
    uint32_t avail = len < total ? len : total; /* trims link-layer padding */
    if (p[9] != IPPROTO_TCP_)
        return NET_NOT_TCP;
    if (rd16(p + 6) & 0x3fffu) /* MF or a fragment offset */
        return NET_FRAGMENT;
    return decode_tcp(p + ihl, avail - ihl, total - ihl, tso, seg);
}

static int ipv6_ext_header(uint8_t nh)
{
    switch (nh) {
    case 0:   /* hop-by-hop options */
    case 43:  /* routing */
    case 44:  /* fragment */
    case 51:  /* authentication header */
    case 60:  /* destination options */
    case 135: /* mobility */
    case 139: /* HIP */
    case 140: /* shim6 */
        return 1;
    default:
        return 0;
    }
}

static net_result decode_ipv6(const uint8_t *p, uint32_t len, tcp_segment *seg)
{
    if (len < 1)
        return NET_TRUNCATED;
    if ((p[0] >> 4) != 6)
        return NET_BAD_HEADER;
    if (len < 40)
        return NET_TRUNCATED;
    seg->ip_version = 6;
    seg->src.family = 6;
    memcpy(seg->src.bytes, p + 8, 16);
    seg->dst.family = 6;
    memcpy(seg->dst.bytes, p + 24, 16);
    uint32_t wire = rd16(p + 4);
    int tso = 0;
    if (wire == 0) { /* jumbogram or TSO/GSO: take what was captured */
        tso = 1;
        wire = len - 40;
    }
    uint8_t nh = p[6];
    const uint8_t *q = p + 40;
    uint32_t avail = len - 40;
    if (avail > wire)
        avail = wire;
    for (;;) {
        uint32_t hl;
        if (nh == IPPROTO_TCP_)
            return decode_tcp(q, avail, wire, tso, seg);
        if (!ipv6_ext_header(nh))
            return NET_NOT_TCP;
        if (avail < 2)
            return wire < 2 ? NET_BAD_HEADER : NET_TRUNCATED;
        if (nh == 44)
            hl = 8;
        else if (nh == 51)
            hl = ((uint32_t)q[1] + 2u) * 4u;
        else
            hl = ((uint32_t)q[1] + 1u) * 8u;
        if (hl > wire)
            return NET_BAD_HEADER;
        if (hl > avail)
            return NET_TRUNCATED;
        if (nh == 44) {
            uint32_t off = rd16(q + 2) >> 3;
            int more = q[3] & 1;
            if (off != 0 || more) /* a real fragment; atomic ones pass */
                return (q[0] == IPPROTO_TCP_ || ipv6_ext_header(q[0])) ? NET_FRAGMENT
                                                                       : NET_NOT_TCP;
        }
        nh = q[0];
        q += hl;
        avail -= hl;
        wire -= hl;
    }
}

/* IP with the version taken from the first nibble (raw IP link types). */
static net_result decode_ip_any(const uint8_t *p, uint32_t len, tcp_segment *seg)
{
    if (len < 1)
        return NET_TRUNCATED;
    switch (p[0] >> 4) {
    case 4:
        return decode_ipv4(p, len, seg);
    case 6:
        return decode_ipv6(p, len, seg);
    default:
        return NET_NOT_IP;
    }
}

/* Payload of an Ethernet-style type field: VLAN tags (stacked), PPPoE
 * session, 802.2 LLC/SNAP, then IPv4/IPv6. */
static net_result decode_ethertype(uint32_t type, const uint8_t *p, uint32_t len,
                                   tcp_segment *seg)
{
    for (;;) {
        switch (type) {
        case ETH_IPV4:
            return decode_ipv4(p, len, seg);
        case ETH_IPV6:
            return decode_ipv6(p, len, seg);
        case ETH_VLAN:
        case ETH_QINQ:
        case ETH_QINQ_OLD:
            if (len < 4)
                return NET_TRUNCATED;
            type = rd16(p + 2);
            p += 4;
            len -= 4;
            continue;
        case ETH_PPPOE: {
            if (len < 8)
                return NET_TRUNCATED;
            if (p[0] != 0x11 || p[1] != 0x00) /* version 1, type 1, session data */
                return NET_NOT_IP;
            uint32_t plen = rd16(p + 4); /* PPP protocol field + payload */
            uint32_t proto = rd16(p + 6);
            p += 8;
            len -= 8;
            if (plen >= 2 && plen - 2 < len)
                len = plen - 2;
            if (proto == PPP_IPV4)
                return decode_ipv4(p, len, seg);
            if (proto == PPP_IPV6)
                return decode_ipv6(p, len, seg);
            return NET_NOT_IP;
        }
        default:
            if (type <= 1500) { /* 802.3 length: maybe LLC + SNAP with an ethertype */
                static const uint8_t snap[6] = {0xAA, 0xAA, 0x03, 0, 0, 0};
                uint32_t have = len < 6 ? len : 6;
                if (memcmp(p, snap, have) != 0)
                    return NET_NOT_IP;
                if (len < 8)
                    return NET_TRUNCATED;
                if (type >= 8 && type < len)
                    len = type; /* trim padding */
                type = rd16(p + 6);
                if (type <= 1500)
                    return NET_NOT_IP;
                p += 8;
                len -= 8;
                continue;
            }
            return NET_NOT_IP;
        }
    }
}

static int af_inet(uint32_t af)
{
    return af == 2;
}

static int af_inet6(uint32_t af)
{
    return af == 10 || af == 24 || af == 28 || af == 30; /* Linux, Net/OpenBSD, FreeBSD, Darwin */
}

/* DLT_NULL / DLT_LOOP: a 4-byte address family, either byte order. */
static net_result decode_loopback(const uint8_t *p, uint32_t len, tcp_segment *seg)
{
    if (len < 4)
        return NET_TRUNCATED;
    uint32_t be = rd32(p), le = rd32le(p);
    if (af_inet(be) || af_inet(le))
        return decode_ipv4(p + 4, len - 4, seg);
    if (af_inet6(be) || af_inet6(le))
        return decode_ipv6(p + 4, len - 4, seg);
    return NET_NOT_IP;
}

net_result net_decode(int dlt, const uint8_t *pkt, uint32_t caplen, tcp_segment *seg)
{
    memset(seg, 0, sizeof *seg);
    if (!pkt)
        caplen = 0;
    switch (dlt) {
    case NET_DLT_EN10MB:
        if (caplen < 14)
            return NET_TRUNCATED;
        return decode_ethertype(rd16(pkt + 12), pkt + 14, caplen - 14, seg);
    case NET_DLT_LINUX_SLL:
        if (caplen < 16)
            return NET_TRUNCATED;
        if (rd16(pkt + 2) == ARPHRD_NETLINK)
            return NET_NOT_IP;
        return decode_ethertype(rd16(pkt + 14), pkt + 16, caplen - 16, seg);
    case NET_DLT_LINUX_SLL2:
        if (caplen < 20)
            return NET_TRUNCATED;
        if (rd16(pkt + 8) == ARPHRD_NETLINK)
            return NET_NOT_IP;
        return decode_ethertype(rd16(pkt), pkt + 20, caplen - 20, seg);
    case NET_DLT_RAW:
    case NET_DLT_RAW_OPENBSD:
    case NET_LINKTYPE_RAW:
        return decode_ip_any(pkt, caplen, seg);
    case NET_DLT_IPV4:
        return decode_ipv4(pkt, caplen, seg);
    case NET_DLT_IPV6:
        return decode_ipv6(pkt, caplen, seg);
    case NET_DLT_NULL:
    case NET_DLT_LOOP:
        return decode_loopback(pkt, caplen, seg);
    default:
        return NET_LINK_UNSUPPORTED;
    }
}

const char *net_result_name(net_result r)
{
    switch (r) {
    case NET_TCP: return "tcp";
    case NET_NOT_IP: return "not-ip";
    case NET_NOT_TCP: return "not-tcp";
    case NET_FRAGMENT: return "fragment";
    case NET_TRUNCATED: return "truncated";
    case NET_BAD_HEADER: return "bad-header";
    case NET_LINK_UNSUPPORTED: return "link-unsupported";
    case NET_RESULT_COUNT: break;
    }
    return "unknown";
}

/* v in decimal at p; returns the digits written. Every connection formats
 * its two endpoints, which snprintf made a visible share of a run. */
static size_t put_decimal(char *p, unsigned v)
{
    char tmp[20];
    char *first = msnp_u64_digits(v, tmp + sizeof tmp);
    size_t n = (size_t)(tmp + sizeof tmp - first);
    memcpy(p, first, n);
    return n;
}

static size_t dotted_quad(char *p, const uint8_t *b)
{
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        if (i)
            p[n++] = '.';
        n += put_decimal(p + n, b[i]);
    }
    p[n] = '\0';
    return n;
}

/* The address into tmp (at least NET_ADDR_MAX bytes); returns its length. */
static size_t addr_text(const net_addr *a, char *tmp)
{
    const uint8_t *b = a->bytes;
    if (a->family == 4)
        return dotted_quad(tmp, b);
    if (a->family != 6) {
        tmp[0] = '?';
        tmp[1] = '\0';
        return 1;
    }
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(b, mapped, 12) == 0) {
        memcpy(tmp, "::ffff:", 7);
        return 7 + dotted_quad(tmp + 7, b + 12);
    }
    unsigned g[8];
    for (size_t i = 0; i < 8; i++)
        g[i] = ((unsigned)b[2 * i] << 8) | b[2 * i + 1];
    int best = -1, best_len = 1; /* a single zero group is not compressed */
    for (int i = 0; i < 8;) {
        if (g[i] != 0) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j;
    }
    size_t n = 0;
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            tmp[n++] = ':';
            if (i == 0)
                tmp[n++] = ':';
            i += best_len - 1;
            continue;
        }
        n += (size_t)snprintf(tmp + n, NET_ADDR_MAX - n, "%x", g[i]);
        if (i < 7)
            tmp[n++] = ':';
    }
    tmp[n] = '\0';
    return n;
}

static size_t copy_out(const char *text, size_t n, char *buf, size_t size)
{
    if (size > 0) {
        size_t k = n < size - 1 ? n : size - 1;
        memcpy(buf, text, k);
        buf[k] = '\0';
    }
    return n;
}

size_t net_format_addr(const net_addr *a, char *buf, size_t size)
{
    char tmp[NET_ADDR_MAX];
    size_t n = addr_text(a, tmp);
    return copy_out(tmp, n, buf, size);
}

size_t net_format_endpoint(const net_addr *a, uint16_t port, char *buf, size_t size)
{
    char out[NET_ENDPOINT_MAX + 8];
    size_t k = 0;
    if (a->family == 6)
        out[k++] = '[';
    k += addr_text(a, out + k);
    if (a->family == 6)
        out[k++] = ']';
    out[k++] = ':';
    k += put_decimal(out + k, port);
    return copy_out(out, k, buf, size);
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t sum)
{
    size_t i;
    for (i = 0; i + 1 < n; i += 2) {
        sum += ((uint32_t)p[i] << 8) | p[i + 1];
        sum = (sum & 0xffffu) + (sum >> 16);
    }
    if (i < n) {
        sum += (uint32_t)p[i] << 8;
        sum = (sum & 0xffffu) + (sum >> 16);
    }
    return sum;
}

int net_tcp_checksum(const tcp_segment *seg)
{
    if (!seg->tcp_header || seg->tso || seg->captured < seg->payload_len)
        return -1;
    uint32_t tcp_len = (uint32_t)seg->tcp_header_len + seg->payload_len;
    uint8_t pseudo[40];
    size_t plen;
    if (seg->ip_version == 4) {
        memcpy(pseudo, seg->src.bytes, 4);
        memcpy(pseudo + 4, seg->dst.bytes, 4);
        pseudo[8] = 0;
        pseudo[9] = IPPROTO_TCP_;
        pseudo[10] = (uint8_t)(tcp_len >> 8);
        pseudo[11] = (uint8_t)tcp_len;
        plen = 12;
    } else if (seg->ip_version == 6) {
        memcpy(pseudo, seg->src.bytes, 16);
        memcpy(pseudo + 16, seg->dst.bytes, 16);
        pseudo[32] = (uint8_t)(tcp_len >> 24);
        pseudo[33] = (uint8_t)(tcp_len >> 16);
        pseudo[34] = (uint8_t)(tcp_len >> 8);
        pseudo[35] = (uint8_t)tcp_len;
        pseudo[36] = pseudo[37] = pseudo[38] = 0;
        pseudo[39] = IPPROTO_TCP_;
        plen = 40;
    } else {
        return -1;
    }
    uint32_t sum = sum16(pseudo, plen, 0);
    /* header and payload are contiguous in the packet */
    sum = sum16(seg->tcp_header, tcp_len, sum);
    return sum == 0xffffu ? 1 : 0;
}
