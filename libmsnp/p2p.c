/* The MSNC1 binary header (protocol reference §6.3 [L]). Its layout is a
 * table: name, offset, width; every field is little-endian. */
#include "msnp/p2p.h"

#include <stddef.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
    uint8_t at, width; /* within the 48 bytes */
    size_t offset;     /* of the msnp_p2p member (uint32_t or uint64_t) */
} layout[] = {
    {0, 4, offsetof(msnp_p2p, session_id)},
    {4, 4, offsetof(msnp_p2p, identifier)},
    {8, 8, offsetof(msnp_p2p, offset)},
    {16, 8, offsetof(msnp_p2p, total_size)},
    {24, 4, offsetof(msnp_p2p, message_length)},
    {28, 4, offsetof(msnp_p2p, flags)},
    {32, 4, offsetof(msnp_p2p, ack_identifier)},
    {36, 4, offsetof(msnp_p2p, ack_unique_id)},
    {40, 8, offsetof(msnp_p2p, ack_data_size)},
};

static const msnp_code_name issues[] = {
    {MSNP_P2P_ISSUE_SHORT_HEADER, "P2P body shorter than its 48-byte binary header"},
    {MSNP_P2P_ISSUE_DATA_TRUNCATED, "P2P MessageLength runs past the end of the payload"},
    {MSNP_P2P_ISSUE_NO_FOOTER, "P2P message without its 4-byte footer"},
    {MSNP_P2P_ISSUE_TRAILING, "bytes after the P2P footer"},
    {MSNP_P2P_ISSUE_NO_DEST, "P2P message without a P2P-Dest header"},
};
const msnp_code_table msnp_p2p_issue_table = {"p2p_issue", issues, N(issues)};

static uint64_t load_le(const uint8_t *s, unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = width; i-- > 0;)
        v = v << 8 | s[i];
    return v;
}

void msnp_p2p_decode_body(const uint8_t *p, msnp_span body, msnp_p2p *out)
{
    msnp_span dest = out->dest;
    memset(out, 0, sizeof *out);
    out->dest = dest;
    if (body.len < MSNP_P2P_HEADER_LEN) {
        out->issues |= MSNP_P2P_ISSUE_SHORT_HEADER;
        return;
    }
    const uint8_t *h = p + body.off;
    out->has_header = 1;
    out->header.off = body.off;
    out->header.len = MSNP_P2P_HEADER_LEN;
    for (size_t i = 0; i < N(layout); i++) {
        uint64_t v = load_le(h + layout[i].at, layout[i].width);
        if (layout[i].width == 4) {
            uint32_t v32 = (uint32_t)v;
            memcpy((uint8_t *)out + layout[i].offset, &v32, sizeof v32);
        } else {
            memcpy((uint8_t *)out + layout[i].offset, &v, sizeof v);
        }
    }
    uint32_t rest = body.len - MSNP_P2P_HEADER_LEN;
    uint32_t data_len = out->message_length;
    if (data_len > rest) {
        data_len = rest;
        out->issues |= MSNP_P2P_ISSUE_DATA_TRUNCATED;
    }
    out->data.off = body.off + MSNP_P2P_HEADER_LEN;
    out->data.len = data_len;
    uint32_t after = rest - data_len;
    if (after >= MSNP_P2P_FOOTER_LEN) {
        const uint8_t *f = p + out->data.off + data_len;
        out->has_footer = 1;
        out->app_id = (uint32_t)f[0] << 24 | (uint32_t)f[1] << 16 | (uint32_t)f[2] << 8 | f[3];
        if (after > MSNP_P2P_FOOTER_LEN)
            out->issues |= MSNP_P2P_ISSUE_TRAILING;
    } else if (!(out->issues & MSNP_P2P_ISSUE_DATA_TRUNCATED)) {
        out->issues |= MSNP_P2P_ISSUE_NO_FOOTER;
    }
    if (out->session_id == 0 && out->offset == 0 && data_len > 0) {
        /* SessionID 0 carries MSNSLP text whose first line names the request. */
        const uint8_t *d = p + out->data.off;
        uint32_t k = 0;
        while (k < data_len && d[k] != '\r' && d[k] != '\n')
            k++;
        out->slp_line.off = out->data.off;
        out->slp_line.len = k;
    }
}

void msnp_p2p_decode(const uint8_t *p, size_t n, const msnp_mime *m, msnp_p2p *out)
{
    (void)n;
    memset(out, 0, sizeof *out);
    const msnp_field *dest = msnp_fields_find(&m->headers, p, "P2P-Dest");
    if (dest)
        out->dest = dest->value;
    msnp_p2p_decode_body(p, m->body, out);
    if (!dest)
        out->issues |= MSNP_P2P_ISSUE_NO_DEST;
}
