/* The properties of one framer answer (see pdu_check.h). */
#include "pdu_check.h"

#include <string.h>

#include "fuzz_common.h"

static int is_upper3(const uint8_t *s)
{
    for (int i = 0; i < 3; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return 0;
    return 1;
}

static int is_digit3(const uint8_t *s)
{
    for (int i = 0; i < 3; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static void check_line_end(const uint8_t *buf, const msnp_pdu *p)
{
    FUZZ_CHECK(p->eol_len == 1 || p->eol_len == 2, "eol_len %u", p->eol_len);
    FUZZ_CHECK((uint64_t)p->line_len + p->eol_len <= p->len, "line %u + eol %u > len %u",
               p->line_len, p->eol_len, p->len);
    FUZZ_CHECK(buf[p->line_len + p->eol_len - 1u] == '\n', "line does not end in LF");
    FUZZ_CHECK(p->eol_len == 1 || buf[p->line_len] == '\r', "eol_len 2 without CR");
    FUZZ_CHECK(p->eol_len == 2 || p->line_len == 0 || buf[p->line_len - 1] != '\r',
               "a CR before the LF is counted in the line");
    FUZZ_CHECK(memchr(buf, '\n', p->line_len) == NULL, "LF inside a line of %u bytes",
               p->line_len);
}

/* Tokens: non-empty, ascending, inside the line, separated and surrounded by
 * spaces only; together with those spaces they are the whole line. */
static void check_tokens(const uint8_t *buf, const msnp_pdu *p)
{
    FUZZ_CHECK(p->ntok >= 1 && p->ntok <= MSNP_MAX_TOKENS, "ntok %u", p->ntok);
    uint32_t pos = 0;
    for (unsigned i = 0; i < p->ntok; i++) {
        msnp_span t = p->tok[i];
        FUZZ_CHECK(t.len >= 1, "token %u is empty", i);
        FUZZ_CHECK(t.off >= pos && (uint64_t)t.off + t.len <= p->line_len,
                   "token %u at %u+%u outside the line (%u) or before %u", i, t.off, t.len,
                   p->line_len, pos);
        for (uint32_t k = pos; k < t.off; k++)
            FUZZ_CHECK(buf[k] == ' ', "byte %u between tokens is 0x%02x", k, buf[k]);
        FUZZ_CHECK(i == 0 || t.off > pos, "tokens %u and %u are not separated", i - 1, i);
        int last = i + 1 == p->ntok;
        if (!(last && p->too_many_tokens))
            FUZZ_CHECK(memchr(buf + t.off, ' ', t.len) == NULL, "token %u contains a space", i);
        pos = t.off + t.len;
    }
    for (uint32_t k = pos; k < p->line_len; k++)
        FUZZ_CHECK(buf[k] == ' ', "byte %u after the last token is 0x%02x", k, buf[k]);
    int regular = p->tok[0].off == 0 && pos == p->line_len;
    for (unsigned i = 1; i < p->ntok; i++)
        regular &= p->tok[i].off == p->tok[i - 1].off + p->tok[i - 1].len + 1;
    FUZZ_CHECK(p->too_many_tokens || regular == !p->irregular_spacing,
               "irregular_spacing %u but the spacing is %s", p->irregular_spacing,
               regular ? "regular" : "irregular");
}

static void check_command(const msnp_limits *lim, const uint8_t *buf, msnp_frame_result r,
                          const msnp_pdu *p)
{
    check_line_end(buf, p);
    FUZZ_CHECK(p->line_len <= lim->max_line, "line of %u bytes over the limit %u", p->line_len,
               lim->max_line);
    for (uint32_t k = 0; k < p->line_len; k++)
        FUZZ_CHECK(buf[k] >= 0x20 && buf[k] != 0x7f, "control byte 0x%02x in a command line",
                   buf[k]);
    check_tokens(buf, p);
    FUZZ_CHECK(p->tok[0].off == 0 && p->tok[0].len == 3 && (is_upper3(buf) || is_digit3(buf)),
               "a command line that does not start with a command");
    uint32_t head = p->line_len + p->eol_len;
    if (p->has_payload) {
        FUZZ_CHECK(r == MSNP_PDU, "payload with result %d", r);
        FUZZ_CHECK(p->payload.off == head && (uint64_t)p->payload.off + p->payload.len == p->len,
                   "payload %u+%u does not follow the line (%u) up to the end (%u)",
                   p->payload.off, p->payload.len, head, p->len);
        FUZZ_CHECK(p->declared == p->payload.len, "declared %llu, payload %u",
                   (unsigned long long)p->declared, p->payload.len);
        FUZZ_CHECK(p->payload.len <= lim->max_payload, "payload of %u over the limit %u",
                   p->payload.len, lim->max_payload);
    } else if (r == MSNP_PDU) {
        FUZZ_CHECK(p->len == head, "command without payload: len %u, line+eol %u", p->len, head);
    } else {
        FUZZ_CHECK(r == MSNP_TOO_LONG && p->anomaly == MSNP_ANOM_PAYLOAD_TOO_LONG,
                   "command with result %d anomaly %u", r, p->anomaly);
        FUZZ_CHECK(p->declared > lim->max_payload && p->len == head,
                   "oversize payload: declared %llu (limit %u), len %u",
                   (unsigned long long)p->declared, lim->max_payload, p->len);
    }
}

static void check_block(const uint8_t *buf, msnp_frame_result r, const msnp_pdu *p)
{
    FUZZ_CHECK(r == MSNP_PDU && p->len >= 3, "block: result %d len %u", r, p->len);
    FUZZ_CHECK(p->block_type == buf[0] && p->block_type <= 1, "block type %u, first byte %u",
               p->block_type, buf[0]);
    if (p->block_type == 1) {
        FUZZ_CHECK(p->len == 3 && !p->has_payload, "end block of %u bytes", p->len);
        return;
    }
    uint32_t dlen = (uint32_t)buf[1] | (uint32_t)buf[2] << 8;
    FUZZ_CHECK(p->has_payload && p->payload.off == 3 && p->payload.len == dlen &&
                   p->len == 3 + dlen,
               "block header says %u bytes; payload %u+%u, len %u", dlen, p->payload.off,
               p->payload.len, p->len);
    FUZZ_CHECK(dlen <= MSNP_FTP_BLOCK_MAX_DATA || p->anomaly == MSNP_ANOM_BLOCK_OVERRUN,
               "a block of %u bytes is not reported as an overrun", dlen);
}

static void check_skipped(const msnp_limits *lim, const uint8_t *buf, msnp_frame_result r,
                          const msnp_pdu *p)
{
    if (r == MSNP_TOO_LONG) {
        FUZZ_CHECK(p->anomaly == MSNP_ANOM_LINE_TOO_LONG, "too long, anomaly %u", p->anomaly);
        FUZZ_CHECK(p->len == (uint64_t)lim->max_line + 2, "long line cut at %u, limit %u",
                   p->len, lim->max_line);
        FUZZ_CHECK(memchr(buf, '\n', p->len - 1u) == NULL, "a line end inside an overlong line");
        return;
    }
    FUZZ_CHECK(r == MSNP_SKIP, "skipped bytes with result %d", r);
    FUZZ_CHECK(p->anomaly == MSNP_ANOM_MALFORMED || p->anomaly == MSNP_ANOM_NOT_MSNP,
               "skip with anomaly %u", p->anomaly);
    if (p->anomaly == MSNP_ANOM_MALFORMED) {
        FUZZ_CHECK(buf[p->len - 1] == '\n' && memchr(buf, '\n', p->len - 1u) == NULL,
                   "a malformed line of %u bytes is not one whole line", p->len);
        FUZZ_CHECK(p->len <= (uint64_t)lim->max_line + 2, "malformed line of %u over the limit",
                   p->len);
    }
}

void pdu_check(const msnp_limits *lim, const uint8_t *buf, size_t len, msnp_frame_result r,
               const msnp_pdu *p)
{
    if (r == MSNP_NEED_MORE) {
        FUZZ_CHECK(p->need >= 1, "NEED_MORE with need 0");
        return;
    }
    FUZZ_CHECK(r == MSNP_PDU || r == MSNP_SKIP || r == MSNP_TOO_LONG, "result %d", r);
    FUZZ_CHECK(p->len >= 1 && p->len <= len, "consumed %u of %zu bytes", p->len, len);
    switch (p->kind) {
    case MSNP_PDU_COMMAND:
        check_command(lim, buf, r, p);
        break;
    case MSNP_PDU_FTP_BLOCK:
        check_block(buf, r, p);
        break;
    case MSNP_PDU_SKIPPED:
        check_skipped(lim, buf, r, p);
        break;
    case MSNP_PDU_PAYLOAD_TAIL:
        FUZZ_CHECK(r == MSNP_PDU, "payload tail with result %d", r);
        break;
    default:
        FUZZ_CHECK(0, "unknown PDU kind %u", p->kind);
    }
}
