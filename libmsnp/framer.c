/* Incremental framing of one direction of an MSNP stream (see framer.h). */
#include "msnp/framer.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "msnp/commands.h"
#include "msnp/errors.h"
#include "internal.h"

static const struct {
    const char *name;
    const char *text;
} anomaly_names[MSNP_ANOM_COUNT] = {
    [MSNP_ANOM_NONE] = {"none", "no anomaly"},
    [MSNP_ANOM_MALFORMED] = {"malformed", "line without MSNP command syntax"},
    [MSNP_ANOM_NOT_MSNP] = {"skipped", "bytes skipped while looking for the next command"},
    [MSNP_ANOM_LINE_TOO_LONG] = {"oversize", "line longer than the line limit"},
    [MSNP_ANOM_PAYLOAD_TOO_LONG] = {"oversize", "announced payload longer than the payload limit"},
    [MSNP_ANOM_BAD_LENGTH] = {"bad_length", "payload length is not a decimal number"},
    [MSNP_ANOM_BAD_BLOCK] = {"bad_block", "MSNFTP block header is not valid"},
    [MSNP_ANOM_BLOCK_OVERRUN] = {"block_overrun",
                                 "MSNFTP block longer than 2045 bytes or than the file"},
    [MSNP_ANOM_GAP] = {"gap", "bytes missing from the capture"},
    [MSNP_ANOM_TRUNCATED] = {"truncated", "stream ended inside a command or payload"},
};

const char *msnp_anomaly_name(msnp_anomaly a)
{
    return (unsigned)a < MSNP_ANOM_COUNT ? anomaly_names[a].name : "unknown";
}

const char *msnp_anomaly_text(msnp_anomaly a)
{
    return (unsigned)a < MSNP_ANOM_COUNT ? anomaly_names[a].text : "unknown anomaly";
}

void msnp_limits_default(msnp_limits *l)
{
    l->max_line = MSNP_DEFAULT_MAX_LINE;
    l->max_payload = MSNP_DEFAULT_MAX_PAYLOAD;
}

void msnp_framer_init(msnp_framer *f, const msnp_limits *l, msnp_stream_start start)
{
    memset(f, 0, sizeof *f);
    if (l)
        f->limits = *l;
    else
        msnp_limits_default(&f->limits);
    if (f->limits.max_line == 0)
        f->limits.max_line = 1;
    /* A stream picked up mid-session most often starts at a segment that
     * starts a command, so its first line is a candidate. */
    f->mode = start == MSNP_START_MIDSTREAM ? MSNP_MODE_RESYNC : MSNP_MODE_LINE;
    f->at_line_start = 1;
}

void msnp_framer_gap(msnp_framer *f)
{
    f->mode = MSNP_MODE_RESYNC;
    f->at_line_start = 1;
    f->scanned = 0;
    f->ftp_left = 0;
}

static void reset_pdu(msnp_pdu *p)
{
    p->kind = MSNP_PDU_COMMAND;
    p->anomaly = MSNP_ANOM_NONE;
    p->eol_len = 0;
    p->has_payload = 0;
    p->irregular_spacing = 0;
    p->block_type = 0;
    p->too_many_tokens = 0;
    p->ntok = 0;
    p->len = 0;
    p->line_len = 0;
    p->payload.off = 0;
    p->payload.len = 0;
    p->declared = 0;
    p->need = 0;
    p->missing = 0;
}

/* The first space at or after i in line[0..n), or n. Eight bytes a step
 * where the byte order makes the lowest flagged byte the first space (the
 * zero bytes of the word XOR spaces). */
static uint32_t next_space(const uint8_t *line, uint32_t i, uint32_t n)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, line + i, 8);
        uint64_t hit = msnp_bytes_below(w ^ (MSNP_BYTES_ONES * ' '), 1);
        if (hit)
            return i + (uint32_t)(__builtin_ctzll(hit) >> 3);
    }
#endif
    while (i < n && line[i] != ' ')
        i++;
    return i;
}

/* Split a line on spaces. Runs of spaces separate one token (the draft allows
 * "one or more whitespace"); they are flagged because real traffic uses one. */
static void tokenize(const uint8_t *line, uint32_t n, msnp_pdu *p)
{
    uint32_t i = 0;
    unsigned nt = 0;
    while (i < n) {
        uint32_t run = 0;
        while (i < n && line[i] == ' ') {
            i++;
            run++;
        }
        if (run > 1 || (run == 1 && nt == 0))
            p->irregular_spacing = 1;
        if (i >= n) {
            if (run)
                p->irregular_spacing = 1;
            break;
        }
        uint32_t start = i;
        if (nt == MSNP_MAX_TOKENS - 1) {
            uint32_t end = n;
            while (end > start && line[end - 1] == ' ')
                end--;
            p->tok[nt].off = start;
            p->tok[nt].len = end - start;
            nt++;
            p->too_many_tokens = memchr(line + start, ' ', end - start) != NULL;
            break;
        }
        i = next_space(line, i, n);
        p->tok[nt].off = start;
        p->tok[nt].len = i - start;
        nt++;
    }
    p->ntok = (uint16_t)nt;
}

static int is_upper3(const uint8_t *s)
{
    return s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' &&
           s[2] <= 'Z';
}

static int is_digit3(const uint8_t *s)
{
    return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' &&
           s[2] <= '9';
}

/* Command lines are text: URL encoding keeps control bytes out of them. */
static int has_control_bytes(const uint8_t *s, size_t n)
{
    /* A byte below 0x20, or a zero byte after XOR with 0x7f (DEL). Every
     * line of every capture passes here. */
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (msnp_bytes_below(w, 0x20) | msnp_bytes_below(w ^ (MSNP_BYTES_ONES * 0x7f), 1))
            return 1;
    }
    for (; i < n; i++)
        if (s[i] < 0x20 || s[i] == 0x7f)
            return 1;
    return 0;
}

/* tokenize() and has_control_bytes() in one pass where the machine has SSE2
 * (every x86-64): sixteen bytes a step, a bit per space and per control
 * byte; the tokens are the runs between spaces, found by bit arithmetic
 * instead of a branch per byte (the framer's mispredictions were a seventh
 * of msnpdump's). Returns whether the line has control bytes, or -1 for a
 * line of MSNP_MAX_TOKENS tokens or more, which tokenize() handles (its
 * last token takes the rest of the line). */
#if defined(__SSE2__)
static int scan_line(const uint8_t *line, uint32_t n, msnp_pdu *p)
{
    const __m128i space = _mm_set1_epi8(' ');
    const __m128i below_space = _mm_set1_epi8(0x1f);
    const __m128i del = _mm_set1_epi8(0x7f);
    unsigned starts_seen = 0, ends_seen = 0;
    uint32_t space_before = 1; /* a token may start at 0 */
    uint32_t space_carry = 0;  /* the previous chunk ended in a space */
    uint32_t control = 0, doubled = 0;
    for (uint32_t base = 0; base < n; base += 16) {
        __m128i x;
        uint32_t valid = 0xffff;
        if (n - base >= 16) {
            x = _mm_loadu_si128((const __m128i *)(const void *)(line + base));
        } else {
            /* The tail, padded with spaces: the last token ends at n. */
            uint8_t tail[16];
            memset(tail, ' ', sizeof tail);
            memcpy(tail, line + base, n - base);
            x = _mm_loadu_si128((const __m128i *)(const void *)tail);
            valid = (1u << (n - base)) - 1;
        }
        uint32_t sp = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, space));
        __m128i ctl = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(x, below_space), x),
                                   _mm_cmpeq_epi8(x, del));
        control |= (uint32_t)_mm_movemask_epi8(ctl);
        uint32_t after_space = ((sp << 1) | space_before) & 0xffff;
        uint32_t starts = ~sp & after_space;
        uint32_t ends = sp & ~after_space;
        doubled |= sp & valid & (((sp & valid) << 1) | space_carry);
        space_before = space_carry = (sp >> 15) & 1;
        for (; starts; starts &= starts - 1) {
            if (starts_seen == MSNP_MAX_TOKENS - 1)
                return -1;
            p->tok[starts_seen++].off = base + (uint32_t)__builtin_ctz(starts);
        }
        for (; ends; ends &= ends - 1, ends_seen++)
            p->tok[ends_seen].len =
                base + (uint32_t)__builtin_ctz(ends) - p->tok[ends_seen].off;
    }
    if (ends_seen < starts_seen) /* n a multiple of 16, the line ending in a token */
        p->tok[ends_seen].len = n - p->tok[ends_seen].off;
    p->ntok = (uint16_t)starts_seen;
    p->irregular_spacing = doubled || (n > 0 && (line[0] == ' ' || line[n - 1] == ' '));
    return control != 0;
}
#else
static int scan_line(const uint8_t *line, uint32_t n, msnp_pdu *p)
{
    (void)line;
    (void)n;
    (void)p;
    return -1;
}
#endif

static int command_syntax_ok(const uint8_t *line, const msnp_pdu *p)
{
    if (p->ntok == 0 || p->tok[0].off != 0 || p->tok[0].len != 3)
        return 0;
    return is_upper3(line) || is_digit3(line);
}

/* Where the payload length sits and whether this line announces one. */
static int payload_announced(const msnp_command_info *ci, const uint8_t *line,
                             const msnp_pdu *p, int *bad_length)
{
    *bad_length = 0;
    if (!ci || ci->payload == MSNP_PL_NONE)
        return 0;
    if (p->ntok < 2) {
        *bad_length = ci->payload == MSNP_PL_LAST;
        return 0;
    }
    msnp_span last = p->tok[p->ntok - 1];
    int digits = !p->too_many_tokens && msnp_span_is_digits(line, last);
    switch (ci->payload) {
    case MSNP_PL_LAST:
        if (!digits)
            *bad_length = 1;
        return digits;
    case MSNP_PL_LAST_NUMERIC:
        return digits && p->ntok >= ci->pl_min_tokens;
    default:
        return 0;
    }
}

/* The first bytes of a line that is still incomplete: could it become a
 * command line? (Resynchronisation need not wait for lines that cannot.) */
static int starts_like_command(const uint8_t *s, size_t n)
{
    if (n < 3)
        return 1;
    if (n > 3 && s[3] != ' ' && s[3] != '\r')
        return 0;
    if (is_digit3(s))
        return msnp_error_lookup((unsigned)(s[0] - '0') * 100 + (unsigned)(s[1] - '0') * 10 +
                                 (unsigned)(s[2] - '0')) != NULL;
    return is_upper3(s) && msnp_command_lookup(s, 3) != NULL;
}

int msnp_line_looks_like_command(const uint8_t *line, size_t line_len)
{
    if (line_len < 3 || line_len > UINT32_MAX || has_control_bytes(line, line_len))
        return 0;
    if (line_len > 3 && line[3] != ' ')
        return 0;
    if (is_digit3(line)) {
        unsigned code = (unsigned)(line[0] - '0') * 100 + (unsigned)(line[1] - '0') * 10 +
                        (unsigned)(line[2] - '0');
        if (!msnp_error_lookup(code))
            return 0;
        /* "NNN" or "NNN TrID ...": the TrID must be a number. */
        if (line_len == 3)
            return 1;
        size_t i = 4;
        size_t start = i;
        while (i < line_len && line[i] >= '0' && line[i] <= '9')
            i++;
        return i > start && (i == line_len || line[i] == ' ');
    }
    if (!is_upper3(line))
        return 0;
    const msnp_command_info *ci = msnp_command_lookup(line, 3);
    if (!ci)
        return 0;
    if (ci->payload == MSNP_PL_LAST) {
        size_t j = line_len;
        while (j > 0 && line[j - 1] == ' ')
            j--;
        size_t end = j;
        while (j > 0 && line[j - 1] >= '0' && line[j - 1] <= '9')
            j--;
        return j < end && j > 3 && line[j - 1] == ' ';
    }
    return 1;
}

static msnp_frame_result frame_line(msnp_framer *f, const uint8_t *buf, size_t len,
                                    msnp_pdu *pdu);

static msnp_frame_result frame_ftp_block(msnp_framer *f, const uint8_t *buf, size_t len,
                                         msnp_pdu *pdu)
{
    if (len < 3) {
        pdu->need = 3 - len;
        return MSNP_NEED_MORE;
    }
    if (buf[0] > 1) {
        /* Not a block header: the sender went back to command lines before
         * the file was complete (or the data is corrupt). The mode changes
         * only once that line is complete, so that it is noted whether it
         * arrives whole or in pieces. */
        msnp_frame_result r = frame_line(f, buf, len, pdu);
        if (r == MSNP_NEED_MORE)
            return r;
        f->ftp_left = 0;
        if (f->mode == MSNP_MODE_FTP_DATA)
            f->mode = MSNP_MODE_LINE;
        if (r == MSNP_PDU && pdu->anomaly == MSNP_ANOM_NONE)
            pdu->anomaly = MSNP_ANOM_BAD_BLOCK;
        return r;
    }
    uint32_t dlen = (uint32_t)buf[1] | ((uint32_t)buf[2] << 8);
    pdu->kind = MSNP_PDU_FTP_BLOCK;
    pdu->block_type = buf[0];
    if (buf[0] == 1) {
        /* Sender aborts or ends the transfer: the header carries no data. */
        pdu->len = 3;
        f->ftp_left = 0;
        f->mode = MSNP_MODE_LINE;
        return MSNP_PDU;
    }
    if (len < 3 + (size_t)dlen) {
        pdu->need = 3 + (size_t)dlen - len;
        return MSNP_NEED_MORE;
    }
    pdu->len = 3 + dlen;
    pdu->has_payload = 1;
    pdu->payload.off = 3;
    pdu->payload.len = dlen;
    pdu->declared = dlen;
    if (dlen > MSNP_FTP_BLOCK_MAX_DATA || dlen > f->ftp_left)
        pdu->anomaly = MSNP_ANOM_BLOCK_OVERRUN;
    f->ftp_left -= dlen < f->ftp_left ? dlen : f->ftp_left;
    if (f->ftp_left == 0)
        f->mode = MSNP_MODE_LINE;
    return MSNP_PDU;
}

/* Find the line end within the line limit. Returns the LF index, or -1 with
 * *over set when the limit is exceeded without one. */
static long find_lf(msnp_framer *f, const uint8_t *buf, size_t len, int *over)
{
    /* A line of max_line bytes may be followed by CR LF. */
    size_t window = (size_t)f->limits.max_line + 2;
    size_t lim = len < window ? len : window;
    size_t from = f->scanned < lim ? f->scanned : lim;
    const uint8_t *lf = memchr(buf + from, '\n', lim - from);
    *over = 0;
    if (lf) {
        size_t i = (size_t)(lf - buf);
        size_t line_len = i > 0 && buf[i - 1] == '\r' ? i - 1 : i;
        if (line_len > f->limits.max_line) {
            *over = 1;
            return -1;
        }
        return (long)i;
    }
    f->scanned = (uint32_t)lim;
    if (len >= window)
        *over = 1;
    return -1;
}

static void set_line(msnp_pdu *pdu, const uint8_t *buf, size_t lf)
{
    pdu->eol_len = lf > 0 && buf[lf - 1] == '\r' ? 2 : 1;
    pdu->line_len = (uint32_t)(lf + 1 - pdu->eol_len);
}

static msnp_frame_result frame_line(msnp_framer *f, const uint8_t *buf, size_t len,
                                    msnp_pdu *pdu)
{
    if (f->saw_fil && (buf[0] == 0 || buf[0] == 1))
        return frame_ftp_block(f, buf, len, pdu);

    int over;
    long lf = find_lf(f, buf, len, &over);
    if (lf < 0) {
        if (!over) {
            pdu->need = 1;
            return MSNP_NEED_MORE;
        }
        /* Consume what we looked at; the rest of this line is skipped by
         * resynchronisation. */
        size_t take = len < (size_t)f->limits.max_line + 2 ? len : (size_t)f->limits.max_line + 2;
        pdu->kind = MSNP_PDU_SKIPPED;
        pdu->anomaly = MSNP_ANOM_LINE_TOO_LONG;
        pdu->len = (uint32_t)take;
        pdu->line_len = f->limits.max_line < take ? f->limits.max_line : (uint32_t)take;
        f->mode = MSNP_MODE_RESYNC;
        f->at_line_start = take > 0 && buf[take - 1] == '\n';
        f->scanned = 0;
        return MSNP_TOO_LONG;
    }

    set_line(pdu, buf, (size_t)lf);
    int control = scan_line(buf, pdu->line_len, pdu);
    if (control < 0) {
        tokenize(buf, pdu->line_len, pdu);
        control = has_control_bytes(buf, pdu->line_len);
    }
    size_t line_total = (size_t)lf + 1;
    if (!command_syntax_ok(buf, pdu) || control) {
        pdu->kind = MSNP_PDU_SKIPPED;
        pdu->anomaly = MSNP_ANOM_MALFORMED;
        pdu->len = (uint32_t)line_total;
        f->mode = MSNP_MODE_RESYNC;
        f->at_line_start = 1;
        f->scanned = 0;
        return MSNP_SKIP;
    }

    const msnp_command_info *ci = is_upper3(buf) ? msnp_command_lookup(buf, 3) : NULL;
    int bad_length;
    if (!payload_announced(ci, buf, pdu, &bad_length)) {
        pdu->len = (uint32_t)line_total;
        f->scanned = 0;
        if (bad_length) {
            /* A payload follows, but we cannot tell how long it is. */
            pdu->anomaly = MSNP_ANOM_BAD_LENGTH;
            f->mode = MSNP_MODE_RESYNC;
            f->at_line_start = 0;
        }
        return MSNP_PDU;
    }

    uint64_t declared = msnp_span_u64(buf, pdu->tok[pdu->ntok - 1]);
    pdu->declared = declared;
    if (declared > f->limits.max_payload) {
        pdu->len = (uint32_t)line_total;
        pdu->anomaly = MSNP_ANOM_PAYLOAD_TOO_LONG;
        f->mode = MSNP_MODE_RESYNC;
        f->at_line_start = 0;
        f->scanned = 0;
        return MSNP_TOO_LONG;
    }
    if (len < line_total + declared) {
        pdu->need = line_total + declared - len;
        f->scanned = (uint32_t)lf;
        return MSNP_NEED_MORE;
    }
    pdu->len = (uint32_t)(line_total + declared);
    pdu->has_payload = 1;
    pdu->payload.off = (uint32_t)line_total;
    pdu->payload.len = (uint32_t)declared;
    f->scanned = 0;
    return MSNP_PDU;
}

/* MSNFTP: after "FIL size" the same direction carries binary blocks. */
static void note_fil(msnp_framer *f, const uint8_t *buf, const msnp_pdu *pdu)
{
    if (pdu->ntok == 2 && msnp_span_eq(buf, pdu->tok[0], "FIL") &&
        msnp_span_is_digits(buf, pdu->tok[1])) {
        f->saw_fil = 1;
        f->ftp_left = msnp_span_u64(buf, pdu->tok[1]);
        if (f->ftp_left > 0)
            f->mode = MSNP_MODE_FTP_DATA;
    }
}

/* Skip whole lines that do not start like a command; stop at one that does
 * (switching back to line mode) or at an incomplete line. */
static msnp_frame_result resync(msnp_framer *f, const uint8_t *buf, size_t len, msnp_pdu *pdu)
{
    size_t pos = 0;
    size_t window = (size_t)f->limits.max_line + 2;
    for (;;) {
        if (pos == len)
            break;
        size_t lim = len - pos < window ? len - pos : window;
        const uint8_t *lf = memchr(buf + pos, '\n', lim);
        if (!lf) {
            if (len - pos < window && pos == 0) {
                if (!f->at_line_start) {
                    /* Everything here is the tail of a line we are skipping. */
                    pos = len;
                    break;
                }
                if (!starts_like_command(buf + pos, len - pos)) {
                    pos = len; /* cannot become a command line: skip now */
                    f->at_line_start = 0;
                    break;
                }
                pdu->need = 1;
                return MSNP_NEED_MORE;
            }
            if (len - pos >= window) {
                /* A line longer than any command: skip what we looked at. */
                pos += lim;
                f->at_line_start = 0;
                continue;
            }
            break;
        }
        size_t end = (size_t)(lf - buf);
        size_t line_len = end > pos && buf[end - 1] == '\r' ? end - 1 - pos : end - pos;
        if (f->at_line_start && msnp_line_looks_like_command(buf + pos, line_len)) {
            if (pos == 0) {
                f->mode = MSNP_MODE_LINE;
                f->scanned = 0;
                return frame_line(f, buf, len, pdu);
            }
            break;
        }
        pos = end + 1;
        f->at_line_start = 1;
    }
    if (pos == 0) {
        pdu->need = 1;
        return MSNP_NEED_MORE;
    }
    pdu->kind = MSNP_PDU_SKIPPED;
    pdu->anomaly = MSNP_ANOM_NOT_MSNP;
    pdu->len = (uint32_t)pos;
    f->scanned = 0;
    return MSNP_SKIP;
}

int msnp_framer_gap_in_pdu(msnp_framer *f, const uint8_t *buf, size_t len, uint64_t missing,
                           msnp_pdu *pdu)
{
    reset_pdu(pdu);
    uint64_t total = 0;
    uint8_t then = MSNP_MODE_LINE;
    /* In MSNFTP data mode a first byte over 1 starts a command line (see
     * frame_ftp_block), which is probed as in line mode. */
    int in_block = (f->mode == MSNP_MODE_FTP_DATA && (len == 0 || buf[0] <= 1)) ||
                   (f->mode == MSNP_MODE_LINE && f->saw_fil && len > 0 && buf[0] <= 1);
    if (len > 0 && len < UINT32_MAX && in_block) {
        if (len >= 3 && buf[0] == 0) {
            uint32_t dlen = (uint32_t)buf[1] | ((uint32_t)buf[2] << 8);
            total = 3 + (uint64_t)dlen;
            pdu->kind = MSNP_PDU_FTP_BLOCK;
            pdu->payload.off = 3;
            pdu->declared = dlen;
            uint64_t left = f->ftp_left > dlen ? f->ftp_left - dlen : 0;
            f->ftp_left = left;
            then = left ? MSNP_MODE_FTP_DATA : MSNP_MODE_LINE;
        }
    } else if (len > 0 && len < UINT32_MAX &&
               (f->mode == MSNP_MODE_LINE || f->mode == MSNP_MODE_FTP_DATA)) {
        msnp_pdu probe;
        msnp_framer copy = *f;
        copy.scanned = 0;
        if (msnp_framer_next(&copy, buf, len, &probe) == MSNP_NEED_MORE && probe.ntok > 0 &&
            probe.line_len > 0 && probe.need > 0 && probe.eol_len > 0) {
            *pdu = probe;
            total = len + probe.need;
            pdu->payload.off = (uint32_t)(total - probe.declared);
        }
    }
    if (total == 0 || total <= len || missing == 0) {
        msnp_framer_gap(f);
        return 0;
    }
    uint64_t after = len + missing; /* stream offset, from the PDU start, after the gap */
    pdu->has_payload = 1;
    pdu->anomaly = MSNP_ANOM_TRUNCATED;
    pdu->len = (uint32_t)len;
    pdu->payload.len = (uint32_t)(len - pdu->payload.off);
    pdu->need = 0;
    if (after <= total) {
        pdu->missing = missing;
        f->tail_left = total - after;
        f->tail_then = then;
        f->mode = f->tail_left ? MSNP_MODE_TAIL : then;
        f->at_line_start = 1;
    } else {
        /* The gap runs past the end of this PDU: whatever followed is lost. */
        pdu->missing = total - len;
        msnp_framer_gap(f);
    }
    f->scanned = 0;
    return 1;
}

msnp_frame_result msnp_framer_next(msnp_framer *f, const uint8_t *buf, size_t len,
                                   msnp_pdu *pdu)
{
    reset_pdu(pdu);
    if (len == 0) {
        pdu->need = 1;
        return MSNP_NEED_MORE;
    }
    if (len > UINT32_MAX)
        len = UINT32_MAX;
    msnp_frame_result r;
    switch (f->mode) {
    case MSNP_MODE_TAIL: {
        size_t take = len < f->tail_left ? len : (size_t)f->tail_left;
        pdu->kind = MSNP_PDU_PAYLOAD_TAIL;
        pdu->len = (uint32_t)take;
        f->tail_left -= take;
        if (f->tail_left == 0) {
            f->mode = f->tail_then;
            f->at_line_start = 1;
        }
        return MSNP_PDU;
    }
    case MSNP_MODE_FTP_DATA:
        r = frame_ftp_block(f, buf, len, pdu);
        break;
    case MSNP_MODE_RESYNC:
        r = resync(f, buf, len, pdu);
        break;
    default:
        r = frame_line(f, buf, len, pdu);
        break;
    }
    if (r == MSNP_PDU && pdu->kind == MSNP_PDU_COMMAND)
        note_fil(f, buf, pdu);
    return r;
}
