/* Fuzz target: link, IP and TCP decoding of one packet (cli/netdecode.h).
 *
 * Input: 1 byte choosing the link type (modulo the 10 supported ones and one
 * unsupported), then the captured packet.
 *
 * Properties:
 *   - a TCP segment's header and payload lie inside the captured bytes, the
 *     payload right after the TCP header, captured <= payload_len, the IP
 *     version is the addresses' family; an unsupported link says so;
 *   - the capture length alone decides how much of it is seen: the same
 *     packet cut anywhere before the end of its TCP header decodes as
 *     truncated, and cut anywhere after it decodes to the same segment with
 *     correspondingly fewer payload bytes captured (checked where the IP
 *     length is known, i.e. not a TSO/jumbo capture);
 *   - bytes after the packet (link padding, a larger snapshot) never change
 *     the segment, only add captured bytes up to the length IP announced;
 *   - endpoint and address texts fit NET_ENDPOINT_MAX and NET_ADDR_MAX, hold
 *     only address characters, and are truncated like snprintf;
 *   - net_tcp_checksum says "cannot tell" exactly when the payload is cut or
 *     the capture is TSO. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "fuzz_links.h"
#include "netdecode.h"


static int same_segment(const tcp_segment *a, const tcp_segment *b)
{
    return net_addr_equal(&a->src, &b->src) && net_addr_equal(&a->dst, &b->dst) &&
           a->sport == b->sport && a->dport == b->dport && a->seq == b->seq &&
           a->ack == b->ack && a->flags == b->flags && a->ip_version == b->ip_version &&
           a->window == b->window && a->payload_len == b->payload_len &&
           a->tcp_header_len == b->tcp_header_len && a->tso == b->tso;
}

/* A copy of the packet of exactly n bytes, so reads past it are caught. */
static net_result decode_copy(int dlt, const uint8_t *pkt, uint32_t n, const uint8_t *pad,
                              uint32_t npad, tcp_segment *seg, uint8_t **copy)
{
    uint8_t *c = malloc((size_t)n + npad + 1);
    if (!c)
        abort();
    memcpy(c, pkt, n);
    if (npad)
        memcpy(c + n, pad, npad);
    *copy = c;
    return net_decode(dlt, c, n + npad, seg);
}

static void check_text(const char *buf, size_t size, size_t n, size_t max, const char *what)
{
    FUZZ_CHECK(n < max, "%s text of %zu bytes (limit %zu)", what, n, max);
    size_t have = strlen(buf);
    FUZZ_CHECK(have == (n < size ? n : size - 1), "%s: %zu bytes written, %zu needed, size %zu",
               what, have, n, size);
    for (size_t i = 0; i < have; i++)
        FUZZ_CHECK(strchr("0123456789abcdef.:[]?", buf[i]) != NULL, "%s has '%c'", what, buf[i]);
}

static void check_texts(const tcp_segment *s)
{
    char full[NET_ENDPOINT_MAX], part[8];
    size_t n = net_format_endpoint(&s->src, s->sport, full, sizeof full);
    check_text(full, sizeof full, n, NET_ENDPOINT_MAX, "endpoint");
    size_t k = net_format_endpoint(&s->dst, s->dport, part, sizeof part);
    check_text(part, sizeof part, k, NET_ENDPOINT_MAX, "short endpoint");
    n = net_format_addr(&s->dst, full, sizeof full);
    check_text(full, sizeof full, n, NET_ADDR_MAX, "address");
}

static void check_segment(const uint8_t *pkt, uint32_t caplen, const tcp_segment *s)
{
    FUZZ_CHECK(s->ip_version == 4 || s->ip_version == 6, "IP version %u", s->ip_version);
    FUZZ_CHECK(s->src.family == s->ip_version && s->dst.family == s->ip_version,
               "address families %u/%u for IPv%u", s->src.family, s->dst.family, s->ip_version);
    FUZZ_CHECK(s->tcp_header >= pkt && s->tcp_header_len >= 20 &&
                   s->payload == s->tcp_header + s->tcp_header_len,
               "TCP header at %td, %u bytes; payload at %td", s->tcp_header - pkt,
               s->tcp_header_len, s->payload - pkt);
    FUZZ_CHECK(s->payload <= pkt + caplen && s->captured <= (size_t)(pkt + caplen - s->payload),
               "payload at %td with %u captured bytes in a packet of %u", s->payload - pkt,
               s->captured, caplen);
    FUZZ_CHECK(s->captured <= s->payload_len, "captured %u of %u", s->captured, s->payload_len);
    int sum = net_tcp_checksum(s);
    FUZZ_CHECK(sum == -1 ? (s->tso || s->captured < s->payload_len)
                         : (sum == 0 || sum == 1) && !s->tso && s->captured == s->payload_len,
               "checksum answer %d (tso %u, captured %u of %u)", sum, s->tso, s->captured,
               s->payload_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 65536 + 1)
        return 0;
    int dlt = fuzz_link_types[data[0] % FUZZ_NLINKS];
    const uint8_t *pkt = data + 1;
    uint32_t caplen = (uint32_t)(size - 1);
    tcp_segment seg;
    net_result r = net_decode(dlt, pkt, caplen, &seg);
    FUZZ_CHECK(r >= NET_TCP && r < NET_RESULT_COUNT, "result %d", r);
    FUZZ_CHECK((r == NET_LINK_UNSUPPORTED) == (dlt == FUZZ_UNSUPPORTED_LINK), "link %d: result %s", dlt,
               net_result_name(r));
    FUZZ_CHECK(strcmp(net_result_name(r), "unknown") != 0, "result %d has no name", r);
    if (r != NET_TCP) {
        if (seg.src.family)
            check_texts(&seg);
        return 0;
    }
    check_segment(pkt, caplen, &seg);
    check_texts(&seg);
    if (seg.tso)
        return 0;

    uint32_t hdr_end = (uint32_t)(seg.payload - pkt);
    uint32_t cuts[3] = {hdr_end ? hdr_end - 1 : 0, hdr_end,
                        hdr_end + (caplen - hdr_end) / 2};
    for (int i = 0; i < 3; i++) {
        uint32_t k = cuts[i];
        if (k >= caplen || (i == 0 && hdr_end == 0))
            continue;
        tcp_segment t;
        uint8_t *copy;
        net_result rt = decode_copy(dlt, pkt, k, NULL, 0, &t, &copy);
        if (k < hdr_end) {
            FUZZ_CHECK(rt == NET_TRUNCATED, "cut at %u, before the payload at %u: %s", k,
                       hdr_end, net_result_name(rt));
        } else {
            FUZZ_CHECK(rt == NET_TCP && same_segment(&seg, &t) && t.payload == copy + hdr_end,
                       "cut at %u (payload at %u): %s, or a different segment", k, hdr_end,
                       net_result_name(rt));
            uint32_t want = seg.captured < k - hdr_end ? seg.captured : k - hdr_end;
            FUZZ_CHECK(t.captured == want, "cut at %u: %u bytes captured, expected %u", k,
                       t.captured, want);
        }
        free(copy);
    }

    static const uint8_t pad[32] = {0xaa, 0xaa, 0xaa, 0xaa, 0x45, 0x00, 0x86, 0xdd};
    tcp_segment t;
    uint8_t *copy;
    net_result rt = decode_copy(dlt, pkt, caplen, pad, sizeof pad, &t, &copy);
    FUZZ_CHECK(rt == NET_TCP && same_segment(&seg, &t) && t.payload == copy + hdr_end,
               "padding changed the segment: %s", net_result_name(rt));
    FUZZ_CHECK(t.captured >= seg.captured && t.captured <= t.payload_len &&
                   (seg.captured < seg.payload_len || t.captured == seg.captured),
               "padding: %u bytes captured (before %u of %u)", t.captured, seg.captured,
               seg.payload_len);
    free(copy);
    return 0;
}
