/* Unit tests for cli/netdecode.c: every link type, VLAN stacks, PPPoE,
 * LLC/SNAP, IPv4 options/padding/fragments, IPv6 extension headers, TSO,
 * snapshot-length cuts, truncation at every byte offset (run under ASan:
 * each decode gets an exactly sized heap copy), bad headers, endpoint
 * formatting and the TCP checksum. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netdecode.h"

#include "check.h"

/* ---- packet building ------------------------------------------------------ */

typedef struct buf {
    uint8_t b[4096];
    size_t n;
} buf;

static void put8(buf *b, unsigned v) { b->b[b->n++] = (uint8_t)v; }
static void put16(buf *b, unsigned v) { put8(b, v >> 8); put8(b, v); }
static void put32(buf *b, uint32_t v) { put16(b, v >> 16); put16(b, v & 0xffff); }
static void put(buf *b, const void *p, size_t n) { memcpy(b->b + b->n, p, n); b->n += n; }
static void set16(buf *b, size_t at, unsigned v) { b->b[at] = (uint8_t)(v >> 8); b->b[at + 1] = (uint8_t)v; }

static const uint8_t SRC4[4] = {10, 0, 0, 2};
static const uint8_t DST4[4] = {192, 0, 2, 129};
static const uint8_t SRC6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02};
static const uint8_t DST6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x81};

static const char PAYLOAD[] = "MSG 4 N 133\r\nMIME-Version: 1.0\r\n";
#define PLEN ((uint32_t)(sizeof PAYLOAD - 1))

/* TCP header (with optlen bytes of NOP options) + payload. */
static void tcp_part(buf *b, uint8_t flags, unsigned optlen, const void *pl, size_t plen)
{
    put16(b, 56640);
    put16(b, 1863);
    put32(b, 0xfffffff0u);
    put32(b, 0x01020304u);
    put8(b, (uint8_t)(((20 + optlen) / 4) << 4));
    put8(b, flags);
    put16(b, 65535);
    put16(b, 0); /* checksum, filled by fix_checksum when needed */
    put16(b, 0);
    for (unsigned i = 0; i < optlen; i++)
        put8(b, 1);
    put(b, pl, plen);
}

/* IPv4 header with ihl_extra option bytes; total length = header + l4len. */
static void ipv4_hdr(buf *b, unsigned ihl_extra, uint8_t proto, size_t l4len, unsigned frag)
{
    put8(b, 0x40 | ((20 + ihl_extra) / 4));
    put8(b, 0);
    put16(b, (unsigned)(20 + ihl_extra + l4len));
    put16(b, 0x1234);
    put16(b, frag);
    put8(b, 64);
    put8(b, proto);
    put16(b, 0);
    put(b, SRC4, 4);
    put(b, DST4, 4);
    for (unsigned i = 0; i < ihl_extra; i++)
        put8(b, 1);
}

static void ipv6_hdr(buf *b, uint8_t nh, size_t plen)
{
    put32(b, 0x60000000u);
    put16(b, (unsigned)plen);
    put8(b, nh);
    put8(b, 64);
    put(b, SRC6, 16);
    put(b, DST6, 16);
}

/* IPv4 + TCP + PAYLOAD. */
static void ip4_tcp(buf *b)
{
    ipv4_hdr(b, 0, 6, 20 + PLEN, 0x4000);
    tcp_part(b, TCP_PSH | TCP_ACK, 0, PAYLOAD, PLEN);
}

static void ip6_tcp(buf *b)
{
    ipv6_hdr(b, 6, 20 + PLEN);
    tcp_part(b, TCP_PSH | TCP_ACK, 0, PAYLOAD, PLEN);
}

static void eth(buf *b, unsigned type)
{
    static const uint8_t mac[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    put(b, mac, 12);
    put16(b, type);
}

/* ---- decoding helpers ---------------------------------------------------------- */

/* Decode from an exactly sized heap copy so that ASan sees any overread. */
static net_result decode_copy(int dlt, const uint8_t *p, size_t n, tcp_segment *seg)
{
    uint8_t *copy = malloc(n ? n : 1);
    if (n)
        memcpy(copy, p, n);
    net_result r = net_decode(dlt, copy, (uint32_t)n, seg);
    if (r == NET_TCP) {
        CHECK(seg->captured <= seg->payload_len);
        CHECK(seg->payload >= copy);
        CHECK(seg->payload + seg->captured <= copy + n);
        if (seg->captured) /* touch every captured byte */
            for (uint32_t i = 0; i < seg->captured; i++)
                CHECK(seg->payload[i] == p[(size_t)(seg->payload - copy) + i]);
    }
    if (r == NET_TCP) { /* rebase into the caller's buffer before freeing the copy */
        seg->payload = p + (seg->payload - copy);
        seg->tcp_header = p + (seg->tcp_header - copy);
    }
    free(copy);
    return r;
}

static void expect_tcp(int dlt, const buf *b, int v6, const char *what)
{
    tcp_segment s;
    net_result r = decode_copy(dlt, b->b, b->n, &s);
    if (r != NET_TCP)
        fprintf(stderr, "  (%s: %s)\n", what, net_result_name(r));
    CHECK_EQ(r, NET_TCP);
    if (r != NET_TCP)
        return;
    CHECK_EQ(s.ip_version, v6 ? 6 : 4);
    CHECK_EQ(s.src.family, v6 ? 6 : 4);
    CHECK(memcmp(s.src.bytes, v6 ? SRC6 : SRC4, v6 ? 16 : 4) == 0);
    CHECK(memcmp(s.dst.bytes, v6 ? DST6 : DST4, v6 ? 16 : 4) == 0);
    CHECK_EQ(s.sport, 56640);
    CHECK_EQ(s.dport, 1863);
    CHECK_EQ(s.seq, 0xfffffff0u);
    CHECK_EQ(s.ack, 0x01020304u);
    CHECK_EQ(s.flags, TCP_PSH | TCP_ACK);
    CHECK_EQ(s.window, 65535);
    CHECK_EQ(s.payload_len, PLEN);
    CHECK_EQ(s.captured, PLEN);
    CHECK_EQ(s.tso, 0);
}

/* For every caplen 0..n: below hdr_end TRUNCATED, at or above NET_TCP with
 * captured = caplen - hdr_end (payload_len unchanged). */
static void truncation_sweep(int dlt, const buf *b, size_t hdr_end, uint32_t payload_len,
                             const char *what)
{
    int bad = 0;
    for (size_t cl = 0; cl <= b->n; cl++) {
        tcp_segment s;
        net_result r = decode_copy(dlt, b->b, cl, &s);
        if (cl < hdr_end) {
            if (r != NET_TRUNCATED)
                bad++;
        } else if (r != NET_TCP || s.payload_len != payload_len ||
                   s.captured != (uint32_t)(cl - hdr_end < payload_len ? cl - hdr_end
                                                                      : payload_len)) {
            bad++;
        }
    }
    if (bad)
        fprintf(stderr, "  truncation sweep %s: %d bad offsets\n", what, bad);
    CHECK_EQ(bad, 0);
}

/* ---- tests ------------------------------------------------------------------------ */

static void test_ethernet(void)
{
    buf b = {.n = 0};
    eth(&b, 0x0800);
    ip4_tcp(&b);
    expect_tcp(NET_DLT_EN10MB, &b, 0, "eth ipv4");
    truncation_sweep(NET_DLT_EN10MB, &b, 14 + 20 + 20, PLEN, "eth ipv4");

    buf c = {.n = 0};
    eth(&c, 0x86DD);
    ip6_tcp(&c);
    expect_tcp(NET_DLT_EN10MB, &c, 1, "eth ipv6");
    truncation_sweep(NET_DLT_EN10MB, &c, 14 + 40 + 20, PLEN, "eth ipv6");

    /* padding: a 6-byte payload in a 60-byte frame */
    buf d = {.n = 0};
    eth(&d, 0x0800);
    ipv4_hdr(&d, 0, 6, 20 + 6, 0);
    tcp_part(&d, TCP_ACK | TCP_PSH, 0, "PNG\r\n!", 6);
    while (d.n < 60)
        put8(&d, 0xEE);
    tcp_segment s;
    CHECK_EQ(decode_copy(NET_DLT_EN10MB, d.b, d.n, &s), NET_TCP);
    CHECK_EQ(s.payload_len, 6);
    CHECK_EQ(s.captured, 6);
    CHECK(memcmp(s.payload, "PNG\r\n!", 6) == 0);

    /* pure ACK with padding: zero payload */
    buf e = {.n = 0};
    eth(&e, 0x0800);
    ipv4_hdr(&e, 0, 6, 20, 0);
    tcp_part(&e, TCP_ACK, 0, "", 0);
    while (e.n < 60)
        put8(&e, 0);
    CHECK_EQ(decode_copy(NET_DLT_EN10MB, e.b, e.n, &s), NET_TCP);
    CHECK_EQ(s.payload_len, 0);
    CHECK_EQ(s.captured, 0);

    /* ARP */
    buf f = {.n = 0};
    eth(&f, 0x0806);
    for (int i = 0; i < 28; i++)
        put8(&f, 0);
    CHECK_EQ(decode_copy(NET_DLT_EN10MB, f.b, f.n, &s), NET_NOT_IP);
}

static void test_vlan(void)
{
    static const unsigned stacks[][3] = {
        {0x8100, 0, 0}, {0x88a8, 0x8100, 0}, {0x9100, 0x8100, 0x8100}, {0x88a8, 0x88a8, 0x8100}};
    for (size_t k = 0; k < sizeof stacks / sizeof stacks[0]; k++) {
        for (int v6 = 0; v6 <= 1; v6++) {
            buf b = {.n = 0};
            size_t ntags = 0;
            while (ntags < 3 && stacks[k][ntags])
                ntags++;
            eth(&b, stacks[k][0]);
            for (size_t i = 0; i < ntags; i++) {
                put16(&b, 0x2000 | (unsigned)(100 + i)); /* PCP 1, VID */
                put16(&b, i + 1 < ntags ? stacks[k][i + 1] : (v6 ? 0x86DD : 0x0800));
            }
            if (v6)
                ip6_tcp(&b);
            else
                ip4_tcp(&b);
            char what[64];
            snprintf(what, sizeof what, "vlan stack %zu v6=%d", k, v6);
            expect_tcp(NET_DLT_EN10MB, &b, v6, what);
            truncation_sweep(NET_DLT_EN10MB, &b, 14 + 4 * ntags + (v6 ? 40 : 20) + 20, PLEN, what);
        }
    }
}

static void test_pppoe_and_snap(void)
{
    buf b = {.n = 0};
    eth(&b, 0x8864);
    put8(&b, 0x11);
    put8(&b, 0);
    put16(&b, 0x0042);
    put16(&b, 2 + 20 + 20 + PLEN);
    put16(&b, 0x0021);
    ip4_tcp(&b);
    expect_tcp(NET_DLT_EN10MB, &b, 0, "pppoe v4");
    truncation_sweep(NET_DLT_EN10MB, &b, 14 + 8 + 40, PLEN, "pppoe v4");

    buf c = {.n = 0};
    eth(&c, 0x8864);
    put8(&c, 0x11);
    put8(&c, 0);
    put16(&c, 0x0042);
    put16(&c, 2 + 40 + 20 + PLEN);
    put16(&c, 0x0057);
    ip6_tcp(&c);
    expect_tcp(NET_DLT_EN10MB, &c, 1, "pppoe v6");

    /* PPP LCP inside PPPoE */
    buf d = {.n = 0};
    eth(&d, 0x8864);
    put8(&d, 0x11);
    put8(&d, 0);
    put16(&d, 1);
    put16(&d, 6);
    put16(&d, 0xc021);
    put32(&d, 0x01010004);
    tcp_segment s;
    CHECK_EQ(decode_copy(NET_DLT_EN10MB, d.b, d.n, &s), NET_NOT_IP);

    /* 802.3 + LLC/SNAP + IPv4 */
    buf e = {.n = 0};
    eth(&e, 8 + 20 + 20 + PLEN);
    static const uint8_t snap[8] = {0xAA, 0xAA, 0x03, 0, 0, 0, 0x08, 0x00};
    put(&e, snap, 8);
    ip4_tcp(&e);
    expect_tcp(NET_DLT_EN10MB, &e, 0, "llc/snap");
    truncation_sweep(NET_DLT_EN10MB, &e, 14 + 8 + 40, PLEN, "llc/snap");

    /* 802.3 + LLC (STP) */
    buf f = {.n = 0};
    eth(&f, 38);
    put8(&f, 0x42);
    put8(&f, 0x42);
    put8(&f, 0x03);
    for (int i = 0; i < 35; i++)
        put8(&f, 0);
    CHECK_EQ(decode_copy(NET_DLT_EN10MB, f.b, f.n, &s), NET_NOT_IP);
}

static void test_cooked_raw_loop(void)
{
    for (int v6 = 0; v6 <= 1; v6++) {
        const size_t ip_tcp = (v6 ? 40u : 20u) + 20u;
        /* SLL */
        buf b = {.n = 0};
        put16(&b, 0);     /* to us */
        put16(&b, 1);     /* ARPHRD_ETHER */
        put16(&b, 6);
        for (int i = 0; i < 8; i++)
            put8(&b, (unsigned)i);
        put16(&b, v6 ? 0x86DD : 0x0800);
        if (v6)
            ip6_tcp(&b);
        else
            ip4_tcp(&b);
        expect_tcp(NET_DLT_LINUX_SLL, &b, v6, "sll");
        truncation_sweep(NET_DLT_LINUX_SLL, &b, 16 + ip_tcp, PLEN, "sll");

        /* SLL with a VLAN tag left in place */
        buf bv = {.n = 0};
        put16(&bv, 4);
        put16(&bv, 1);
        put16(&bv, 6);
        for (int i = 0; i < 8; i++)
            put8(&bv, 0);
        put16(&bv, 0x8100);
        put16(&bv, 7);
        put16(&bv, v6 ? 0x86DD : 0x0800);
        if (v6)
            ip6_tcp(&bv);
        else
            ip4_tcp(&bv);
        expect_tcp(NET_DLT_LINUX_SLL, &bv, v6, "sll vlan");

        /* SLL2 */
        buf c = {.n = 0};
        put16(&c, v6 ? 0x86DD : 0x0800);
        put16(&c, 0);
        put32(&c, 3);  /* ifindex */
        put16(&c, 1);  /* ARPHRD_ETHER */
        put8(&c, 4);   /* outgoing */
        put8(&c, 6);
        for (int i = 0; i < 8; i++)
            put8(&c, (unsigned)i);
        if (v6)
            ip6_tcp(&c);
        else
            ip4_tcp(&c);
        expect_tcp(NET_DLT_LINUX_SLL2, &c, v6, "sll2");
        truncation_sweep(NET_DLT_LINUX_SLL2, &c, 20 + ip_tcp, PLEN, "sll2");

        /* raw IP, all raw link types */
        buf d = {.n = 0};
        if (v6)
            ip6_tcp(&d);
        else
            ip4_tcp(&d);
        static const int raws[] = {NET_DLT_RAW, NET_DLT_RAW_OPENBSD, NET_LINKTYPE_RAW};
        for (size_t i = 0; i < 3; i++) {
            expect_tcp(raws[i], &d, v6, "raw");
            truncation_sweep(raws[i], &d, ip_tcp, PLEN, "raw");
        }
        expect_tcp(v6 ? NET_DLT_IPV6 : NET_DLT_IPV4, &d, v6, "ipv4/ipv6 dlt");
        truncation_sweep(v6 ? NET_DLT_IPV6 : NET_DLT_IPV4, &d, ip_tcp, PLEN, "ipv4/ipv6 dlt");
        tcp_segment s;
        /* the wrong one of DLT_IPV4/DLT_IPV6 */
        CHECK_EQ(decode_copy(v6 ? NET_DLT_IPV4 : NET_DLT_IPV6, d.b, d.n, &s), NET_BAD_HEADER);

        /* DLT_NULL: host byte order either way; DLT_LOOP: network order */
        static const uint32_t afs4[] = {2};
        static const uint32_t afs6[] = {10, 24, 28, 30};
        const uint32_t *afs = v6 ? afs6 : afs4;
        size_t naf = v6 ? 4 : 1;
        for (size_t i = 0; i < naf; i++) {
            for (int le = 0; le <= 1; le++) {
                buf e = {.n = 0};
                uint32_t af = afs[i];
                if (le) {
                    put8(&e, af);
                    put8(&e, 0);
                    put8(&e, 0);
                    put8(&e, 0);
                } else {
                    put32(&e, af);
                }
                if (v6)
                    ip6_tcp(&e);
                else
                    ip4_tcp(&e);
                expect_tcp(NET_DLT_NULL, &e, v6, "null");
                expect_tcp(NET_DLT_LOOP, &e, v6, "loop");
                truncation_sweep(NET_DLT_NULL, &e, 4 + ip_tcp, PLEN, "null");
            }
        }
    }
    /* DLT_NULL with an unknown family */
    buf f = {.n = 0};
    put32(&f, 7);
    ip4_tcp(&f);
    tcp_segment s;
    CHECK_EQ(decode_copy(NET_DLT_NULL, f.b, f.n, &s), NET_NOT_IP);
    /* raw with version 5 */
    buf g = {.n = 0};
    ip4_tcp(&g);
    g.b[0] = 0x55;
    CHECK_EQ(decode_copy(NET_DLT_RAW, g.b, g.n, &s), NET_NOT_IP);
    /* SLL netlink */
    buf h = {.n = 0};
    put16(&h, 4);
    put16(&h, 824);
    put16(&h, 0);
    for (int i = 0; i < 8; i++)
        put8(&h, 0);
    put16(&h, 0x0800);
    ip4_tcp(&h);
    CHECK_EQ(decode_copy(NET_DLT_LINUX_SLL, h.b, h.n, &s), NET_NOT_IP);
    /* unknown link types */
    CHECK_EQ(decode_copy(105, g.b, g.n, &s), NET_LINK_UNSUPPORTED);
    CHECK_EQ(decode_copy(-1, g.b, g.n, &s), NET_LINK_UNSUPPORTED);
    CHECK_EQ(net_decode(NET_DLT_EN10MB, NULL, 100, &s), NET_TRUNCATED);
}

static void test_ipv4_details(void)
{
    tcp_segment s;
    /* IP options and TCP options */
    buf b = {.n = 0};
    ipv4_hdr(&b, 12, 6, 32 + PLEN, 0);
    tcp_part(&b, TCP_SYN, 12, PAYLOAD, PLEN);
    CHECK_EQ(decode_copy(NET_DLT_RAW, b.b, b.n, &s), NET_TCP);
    CHECK_EQ(s.flags, TCP_SYN);
    CHECK_EQ(s.tcp_header_len, 32);
    CHECK_EQ(s.payload_len, PLEN);
    CHECK(memcmp(s.payload, PAYLOAD, PLEN) == 0);
    truncation_sweep(NET_DLT_RAW, &b, 32 + 32, PLEN, "ipv4 options");

    /* fragments */
    static const struct { unsigned frag; net_result r; } frags[] = {
        {0x2000, NET_FRAGMENT}, /* MF */
        {0x0001, NET_FRAGMENT}, /* offset 8 */
        {0x1fff, NET_FRAGMENT},
        {0x4000, NET_TCP},      /* DF only */
        {0x8000, NET_TCP},      /* reserved bit: not a fragment */
    };
    for (size_t i = 0; i < sizeof frags / sizeof frags[0]; i++) {
        buf c = {.n = 0};
        ipv4_hdr(&c, 0, 6, 20 + PLEN, frags[i].frag);
        tcp_part(&c, TCP_ACK, 0, PAYLOAD, PLEN);
        CHECK_EQ(decode_copy(NET_DLT_RAW, c.b, c.n, &s), frags[i].r);
        CHECK_EQ(s.src.family, 4); /* addresses are known for fragments too */
    }
    /* UDP fragment is "not TCP" */
    buf u = {.n = 0};
    ipv4_hdr(&u, 0, 17, 8, 0x2000);
    put32(&u, 0);
    put32(&u, 0);
    CHECK_EQ(decode_copy(NET_DLT_RAW, u.b, u.n, &s), NET_NOT_TCP);

    /* bad headers */
    buf d = {.n = 0};
    ip4_tcp(&d);
    d.b[0] = 0x44; /* IHL 4 */
    CHECK_EQ(decode_copy(NET_DLT_RAW, d.b, d.n, &s), NET_BAD_HEADER);
    d.b[0] = 0x45;
    set16(&d, 2, 19); /* total length < IHL */
    CHECK_EQ(decode_copy(NET_DLT_RAW, d.b, d.n, &s), NET_BAD_HEADER);
    set16(&d, 2, 30); /* room for only 10 bytes of TCP */
    CHECK_EQ(decode_copy(NET_DLT_RAW, d.b, d.n, &s), NET_BAD_HEADER);
    set16(&d, 2, 20 + 20 + PLEN);
    d.b[20 + 12] = 0x40; /* data offset 4 */
    CHECK_EQ(decode_copy(NET_DLT_RAW, d.b, d.n, &s), NET_BAD_HEADER);
    d.b[20 + 12] = 0xf0; /* 60 bytes > TCP length on the wire (20 + PLEN = 53) */
    CHECK_EQ(decode_copy(NET_DLT_RAW, d.b, d.n, &s), NET_BAD_HEADER);
    d.b[20 + 12] = 0x50;
    CHECK_EQ(decode_copy(NET_DLT_RAW, d.b, d.n, &s), NET_TCP);
    /* IHL larger than the capture */
    d.b[0] = 0x4f;
    CHECK_EQ(decode_copy(NET_DLT_RAW, d.b, 40, &s), NET_TRUNCATED);

    /* snapshot length cut: IP says more than captured */
    buf e = {.n = 0};
    ip4_tcp(&e);
    CHECK_EQ(decode_copy(NET_DLT_RAW, e.b, 40 + 10, &s), NET_TCP);
    CHECK_EQ(s.payload_len, PLEN);
    CHECK_EQ(s.captured, 10);

    /* TSO: total length 0, length from caplen */
    set16(&e, 2, 0);
    CHECK_EQ(decode_copy(NET_DLT_RAW, e.b, e.n, &s), NET_TCP);
    CHECK_EQ(s.tso, 1);
    CHECK_EQ(s.payload_len, PLEN);
    CHECK_EQ(s.captured, PLEN);
    CHECK_EQ(net_tcp_checksum(&s), -1);

    /* UDP, ICMP */
    buf f = {.n = 0};
    ipv4_hdr(&f, 0, 1, 8, 0);
    put32(&f, 0x08000000);
    put32(&f, 0);
    CHECK_EQ(decode_copy(NET_DLT_RAW, f.b, f.n, &s), NET_NOT_TCP);
}

/* IPv6 with a chain of extension headers before TCP. */
static void ip6_chain(buf *b, const uint8_t *chain, size_t nchain, unsigned frag_word)
{
    size_t start = b->n;
    ipv6_hdr(b, nchain ? chain[0] : 6, 0);
    for (size_t i = 0; i < nchain; i++) {
        uint8_t next = i + 1 < nchain ? chain[i + 1] : 6;
        switch (chain[i]) {
        case 44:
            put8(b, next);
            put8(b, 0);
            put16(b, frag_word);
            put32(b, 0xabcdef01u);
            break;
        case 51: /* AH: 12 bytes fixed + 12 ICV = 24 bytes, len field 4 */
            put8(b, next);
            put8(b, 4);
            put16(b, 0);
            for (int k = 0; k < 20; k++)
                put8(b, (unsigned)k);
            break;
        default: /* 16-byte option/routing header */
            put8(b, next);
            put8(b, 1);
            for (int k = 0; k < 14; k++)
                put8(b, chain[i] == 43 ? 0 : 1);
            break;
        }
    }
    tcp_part(b, TCP_ACK | TCP_PSH, 0, PAYLOAD, PLEN);
    set16(b, start + 4, (unsigned)(b->n - start - 40));
}

static void test_ipv6_ext(void)
{
    tcp_segment s;
    static const uint8_t c1[] = {0, 60, 43, 60};
    static const uint8_t c2[] = {0, 44};
    static const uint8_t c3[] = {51};
    static const uint8_t c4[] = {44, 51, 60};
    struct { const uint8_t *c; size_t n; size_t ext; } ok[] = {
        {c1, 4, 64}, {c2, 2, 24}, {c3, 1, 24}, {c4, 3, 48}, {NULL, 0, 0}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        buf b = {.n = 0};
        ip6_chain(&b, ok[i].c, ok[i].n, 0); /* atomic fragment: offset 0, M 0 */
        expect_tcp(NET_DLT_RAW, &b, 1, "ipv6 ext chain");
        truncation_sweep(NET_DLT_RAW, &b, 40 + ok[i].ext + 20, PLEN, "ipv6 ext chain");
        buf e = {.n = 0};
        eth(&e, 0x86DD);
        ip6_chain(&e, ok[i].c, ok[i].n, 0);
        truncation_sweep(NET_DLT_EN10MB, &e, 14 + 40 + ok[i].ext + 20, PLEN, "eth ipv6 ext chain");
    }
    /* real fragments */
    buf b = {.n = 0};
    ip6_chain(&b, c2, 2, 0x0001); /* M */
    CHECK_EQ(decode_copy(NET_DLT_RAW, b.b, b.n, &s), NET_FRAGMENT);
    CHECK_EQ(s.src.family, 6);
    b.n = 0;
    ip6_chain(&b, c2, 2, 0x0010); /* offset 2 */
    CHECK_EQ(decode_copy(NET_DLT_RAW, b.b, b.n, &s), NET_FRAGMENT);
    /* ESP, no next header, UDP */
    static const uint8_t nh[] = {50, 59, 17, 58};
    for (size_t i = 0; i < sizeof nh; i++) {
        buf c = {.n = 0};
        ipv6_hdr(&c, nh[i], 16);
        for (int k = 0; k < 16; k++)
            put8(&c, 0);
        CHECK_EQ(decode_copy(NET_DLT_RAW, c.b, c.n, &s), NET_NOT_TCP);
    }
    /* an extension header longer than the payload length says */
    buf d = {.n = 0};
    ip6_chain(&d, c1, 4, 0);
    set16(&d, 4, 30);
    CHECK_EQ(decode_copy(NET_DLT_RAW, d.b, d.n, &s), NET_BAD_HEADER);
    /* payload length 0 (jumbo/TSO): taken from the capture */
    buf e = {.n = 0};
    ip6_tcp(&e);
    set16(&e, 4, 0);
    CHECK_EQ(decode_copy(NET_DLT_RAW, e.b, e.n, &s), NET_TCP);
    CHECK_EQ(s.payload_len, PLEN);
    CHECK_EQ(s.tso, 1);
    /* padding after an IPv6 packet is trimmed */
    buf f = {.n = 0};
    eth(&f, 0x86DD);
    ip6_tcp(&f);
    put32(&f, 0xdeadbeef);
    CHECK_EQ(decode_copy(NET_DLT_EN10MB, f.b, f.n, &s), NET_TCP);
    CHECK_EQ(s.payload_len, PLEN);
    CHECK_EQ(s.captured, PLEN);
}

static void test_format(void)
{
    char buf_[NET_ENDPOINT_MAX];
    net_addr a = {.family = 4, .bytes = {1, 2, 3, 4}};
    CHECK_EQ(net_format_endpoint(&a, 1863, buf_, sizeof buf_), 12);
    CHECK_STR(buf_, "1.2.3.4:1863");
    CHECK_EQ(net_format_addr(&a, buf_, sizeof buf_), 7);
    CHECK_STR(buf_, "1.2.3.4");
    a = (net_addr){.family = 4, .bytes = {255, 255, 255, 255}};
    net_format_endpoint(&a, 65535, buf_, sizeof buf_);
    CHECK_STR(buf_, "255.255.255.255:65535");

    static const struct { uint8_t b[16]; const char *text; } v6[] = {
        {{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, "2001:db8::1"},
        {{0}, "::"},
        {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, "::1"},
        {{0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "1::"},
        {{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1}, "2001:db8:0:1:1:1:1:1"},
        {{0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, "2001:0:0:1::1"},
        {{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1}, "2001:db8::1:0:0:1"},
        {{0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x1a, 0x2b, 0xff, 0xfe, 0x3c, 0x4d, 0x5e},
         "fe80::21a:2bff:fe3c:4d5e"},
        {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
          0xff},
         "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
        {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1}, "::ffff:192.0.2.1"},
        {{0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3}, "1:0:0:2::3"},
        {{0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0}, "1:2:3:4:5:6:7:0"},
        {{0, 0, 0, 0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6}, "::1:2:3:4:5:6"},
        {{0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, "1:0:0:1::1"},
    };
    for (size_t i = 0; i < sizeof v6 / sizeof v6[0]; i++) {
        net_addr x = {.family = 6};
        memcpy(x.bytes, v6[i].b, 16);
        net_format_addr(&x, buf_, sizeof buf_);
        CHECK_STR(buf_, v6[i].text);
        char want[64];
        snprintf(want, sizeof want, "[%s]:1863", v6[i].text);
        CHECK_EQ(net_format_endpoint(&x, 1863, buf_, sizeof buf_), strlen(want));
        CHECK_STR(buf_, want);
    }
    /* longest possible endpoint fits NET_ENDPOINT_MAX */
    net_addr m = {.family = 6};
    memset(m.bytes, 0xff, 16);
    CHECK_EQ(net_format_endpoint(&m, 65535, buf_, sizeof buf_) + 1, NET_ENDPOINT_MAX);
    /* small buffers: truncated, NUL-terminated, full length returned */
    char small[5];
    memset(small, 'x', sizeof small);
    CHECK_EQ(net_format_endpoint(&a, 1863, small, sizeof small), strlen("255.255.255.255:1863"));
    CHECK_STR(small, "255.");
    CHECK_EQ(net_format_endpoint(&a, 1863, NULL, 0), strlen("255.255.255.255:1863"));
    net_addr none = {0};
    net_format_endpoint(&none, 1, buf_, sizeof buf_);
    CHECK_STR(buf_, "?:1");
    /* equality */
    net_addr p = {.family = 4, .bytes = {1, 2, 3, 4}}, q = p;
    q.bytes[10] = 9; /* beyond an IPv4 address: ignored */
    CHECK(net_addr_equal(&p, &q));
    q.family = 6;
    CHECK(!net_addr_equal(&p, &q));
}

/* Independent checksum for the test: RFC 1071 over the given pieces. */
static uint16_t csum(const uint8_t *pseudo, size_t pn, const uint8_t *p, size_t n)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < pn; i += 2)
        sum += (uint32_t)(pseudo[i] << 8 | pseudo[i + 1]);
    for (size_t i = 0; i < n; i++)
        sum += (i & 1) ? p[i] : (uint32_t)p[i] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void test_checksum(void)
{
    tcp_segment s;
    buf b = {.n = 0};
    ip4_tcp(&b);
    uint8_t ps[12];
    memcpy(ps, SRC4, 4);
    memcpy(ps + 4, DST4, 4);
    ps[8] = 0;
    ps[9] = 6;
    ps[10] = 0;
    ps[11] = (uint8_t)(20 + PLEN);
    set16(&b, 20 + 16, csum(ps, 12, b.b + 20, 20 + PLEN));
    CHECK_EQ(decode_copy(NET_DLT_RAW, b.b, b.n, &s), NET_TCP);
    CHECK_EQ(net_tcp_checksum(&s), 1);
    b.b[b.n - 1] ^= 1;
    CHECK_EQ(decode_copy(NET_DLT_RAW, b.b, b.n, &s), NET_TCP);
    CHECK_EQ(net_tcp_checksum(&s), 0);
    CHECK_EQ(decode_copy(NET_DLT_RAW, b.b, b.n - 1, &s), NET_TCP);
    CHECK_EQ(net_tcp_checksum(&s), -1);

    buf c = {.n = 0};
    ip6_tcp(&c);
    uint8_t ps6[40] = {0};
    memcpy(ps6, SRC6, 16);
    memcpy(ps6 + 16, DST6, 16);
    ps6[35] = (uint8_t)(20 + PLEN);
    ps6[39] = 6;
    set16(&c, 40 + 16, csum(ps6, 40, c.b + 40, 20 + PLEN));
    CHECK_EQ(decode_copy(NET_DLT_RAW, c.b, c.n, &s), NET_TCP);
    CHECK_EQ(net_tcp_checksum(&s), 1);
    c.b[40 + 4] ^= 0x80;
    CHECK_EQ(decode_copy(NET_DLT_RAW, c.b, c.n, &s), NET_TCP);
    CHECK_EQ(net_tcp_checksum(&s), 0);
}

static void test_names(void)
{
    CHECK_STR(net_result_name(NET_TCP), "tcp");
    CHECK_STR(net_result_name(NET_NOT_IP), "not-ip");
    CHECK_STR(net_result_name(NET_NOT_TCP), "not-tcp");
    CHECK_STR(net_result_name(NET_FRAGMENT), "fragment");
    CHECK_STR(net_result_name(NET_TRUNCATED), "truncated");
    CHECK_STR(net_result_name(NET_BAD_HEADER), "bad-header");
    CHECK_STR(net_result_name(NET_LINK_UNSUPPORTED), "link-unsupported");
    CHECK_STR(net_result_name((net_result)99), "unknown");
}

static uint32_t rnd(void)
{
    return check_rand();
}

/* Mutate valid packets at random (deterministic seed): must never read out
 * of bounds; results must be self-consistent. */
static void test_fuzz(void)
{
    buf base[6];
    int dlts[6] = {NET_DLT_EN10MB, NET_DLT_EN10MB, NET_DLT_RAW, NET_DLT_LINUX_SLL2, NET_DLT_NULL,
                   NET_DLT_EN10MB};
    for (int i = 0; i < 6; i++)
        base[i].n = 0;
    eth(&base[0], 0x0800);
    ip4_tcp(&base[0]);
    eth(&base[1], 0x8100);
    put16(&base[1], 5);
    put16(&base[1], 0x86DD);
    static const uint8_t ch[] = {0, 44, 60};
    ip6_chain(&base[1], ch, 3, 0);
    ip6_chain(&base[2], ch, 3, 0);
    put16(&base[3], 0x0800);
    put16(&base[3], 0);
    put32(&base[3], 1);
    put16(&base[3], 1);
    put8(&base[3], 0);
    put8(&base[3], 6);
    put32(&base[3], 0);
    put32(&base[3], 0);
    ip4_tcp(&base[3]);
    put32(&base[4], 2);
    ip4_tcp(&base[4]);
    eth(&base[5], 0x8864);
    put8(&base[5], 0x11);
    put8(&base[5], 0);
    put16(&base[5], 1);
    put16(&base[5], 2 + 40 + 20 + PLEN);
    put16(&base[5], 0x0057);
    ip6_tcp(&base[5]);
    long tcp = 0;
    for (int it = 0; it < 60000; it++) {
        int k = (int)(rnd() % 6);
        buf m = base[k];
        int nmut = 1 + (int)(rnd() % 4);
        for (int j = 0; j < nmut; j++) {
            size_t at = rnd() % m.n;
            switch (rnd() % 3) {
            case 0: m.b[at] = (uint8_t)rnd(); break;
            case 1: m.b[at] ^= (uint8_t)(1u << (rnd() % 8)); break;
            default: m.b[at] = (rnd() & 1) ? 0 : 0xff; break;
            }
        }
        size_t cl = (rnd() & 1) ? m.n : rnd() % (m.n + 1);
        tcp_segment s;
        if (decode_copy(dlts[k], m.b, cl, &s) == NET_TCP)
            tcp++;
    }
    CHECK(tcp > 1000); /* the mutations leave many packets decodable */
}

int main(void)
{
    check_rng_state = 0x853c49e6748fea9bULL;
    test_ethernet();
    test_vlan();
    test_pppoe_and_snap();
    test_cooked_raw_loop();
    test_ipv4_details();
    test_ipv6_ext();
    test_format();
    test_checksum();
    test_names();
    test_fuzz();
    return check_exit("test_netdecode");
}
