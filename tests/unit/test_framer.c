/* The framer: PDUs are the same however the stream is cut, payloads are
 * never taken for commands, caps and resynchronisation behave. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "msnp/framer.h"

#define MAX_PDUS 256

typedef struct rec {
    int result; /* msnp_frame_result */
    int kind, anomaly, block_type;
    size_t len, line_len, payload_off, payload_len;
    uint8_t bytes[4096];
} rec;

typedef struct run {
    rec pdus[MAX_PDUS];
    size_t n;
} run;

static void merge_skips(run *r);

/* Feed `data` in chunks whose boundaries are given by `cuts` (ascending
 * offsets), keeping unconsumed bytes in a caller buffer as a real caller does. */
static void feed(const uint8_t *data, size_t len, const size_t *cuts, size_t ncuts,
                 msnp_stream_start start, const msnp_limits *lim, run *out)
{
    static uint8_t buf[1 << 16];
    size_t have = 0, pos = 0, cut = 0;
    msnp_framer f;
    msnp_framer_init(&f, lim, start);
    out->n = 0;
    while (pos < len || have > 0) {
        size_t next = cut < ncuts ? cuts[cut] : len;
        if (pos < len) {
            if (next <= pos)
                next = pos + 1;
            if (next > len)
                next = len;
            memcpy(buf + have, data + pos, next - pos);
            have += next - pos;
            pos = next;
            cut++;
        }
        for (;;) {
            msnp_pdu p;
            msnp_frame_result r = msnp_framer_next(&f, buf, have, &p);
            if (r == MSNP_NEED_MORE) {
                if (pos == len) {
                    /* End of stream inside a PDU: report the rest once. */
                    if (have && out->n < MAX_PDUS) {
                        rec *e = &out->pdus[out->n++];
                        memset(e, 0, sizeof *e);
                        e->result = -1;
                        e->len = have;
                        memcpy(e->bytes, buf, have < sizeof e->bytes ? have : sizeof e->bytes);
                    }
                    have = 0;
                }
                break;
            }
            if (out->n < MAX_PDUS) {
                rec *e = &out->pdus[out->n++];
                memset(e, 0, sizeof *e);
                e->result = r;
                e->kind = p.kind;
                e->anomaly = p.anomaly;
                e->block_type = p.block_type;
                e->len = p.len;
                e->line_len = p.line_len;
                e->payload_off = p.payload.off;
                e->payload_len = p.payload.len;
                memcpy(e->bytes, buf, p.len < sizeof e->bytes ? p.len : sizeof e->bytes);
            }
            CHECK(p.len > 0 && p.len <= have);
            memmove(buf, buf + p.len, have - p.len);
            have -= p.len;
        }
    }
    merge_skips(out);
}

/* Skipped bytes are reported as they become decidable, so their grouping
 * depends on how the stream was cut; a caller coalesces adjacent skips. */
static void merge_skips(run *r)
{
    size_t o = 0;
    for (size_t i = 0; i < r->n; i++) {
        rec *e = &r->pdus[i];
        if (o > 0 && e->result == MSNP_SKIP && r->pdus[o - 1].result == MSNP_SKIP &&
            e->anomaly == r->pdus[o - 1].anomaly) {
            rec *prev = &r->pdus[o - 1];
            size_t room = sizeof prev->bytes - prev->len;
            memcpy(prev->bytes + prev->len, e->bytes, e->len < room ? e->len : room);
            prev->len += e->len;
            continue;
        }
        if (o != i)
            r->pdus[o] = *e;
        o++;
    }
    r->n = o;
}

static int same_run(const run *a, const run *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        const rec *x = &a->pdus[i], *y = &b->pdus[i];
        if (x->result != y->result || x->kind != y->kind || x->anomaly != y->anomaly ||
            x->len != y->len || x->line_len != y->line_len ||
            x->payload_len != y->payload_len || memcmp(x->bytes, y->bytes, x->len) != 0)
            return 0;
    }
    return 1;
}

static void dump_run(const char *title, const run *r)
{
    fprintf(stderr, "-- %s (%zu PDUs)\n", title, r->n);
    for (size_t i = 0; i < r->n; i++)
        fprintf(stderr, "  [%zu] result %d kind %d anomaly %d len %zu line %.*s\n", i,
                r->pdus[i].result, r->pdus[i].kind, r->pdus[i].anomaly, r->pdus[i].len,
                (int)r->pdus[i].line_len, (const char *)r->pdus[i].bytes);
}

/* Whole-buffer, byte-at-a-time and every two-piece split agree. */
static void check_split_invariance(const char *name, const uint8_t *data, size_t len,
                                   msnp_stream_start start, const msnp_limits *lim)
{
    static run whole, other;
    feed(data, len, NULL, 0, start, lim, &whole);
    static size_t cuts[1 << 14];
    for (size_t i = 0; i < len; i++)
        cuts[i] = i + 1;
    feed(data, len, cuts, len, start, lim, &other);
    CHECK_MSG(same_run(&whole, &other), "%s: byte-at-a-time differs", name);
    if (!same_run(&whole, &other)) {
        dump_run("whole", &whole);
        dump_run("bytewise", &other);
    }
    for (size_t at = 1; at < len; at++) {
        size_t c = at;
        feed(data, len, &c, 1, start, lim, &other);
        if (!same_run(&whole, &other)) {
            CHECK_MSG(0, "%s: split at %zu differs", name, at);
            dump_run("whole", &whole);
            dump_run("split", &other);
            break;
        }
    }
}

static const char ns_session[] =
    "VER 1 MSNP8 CVR0\r\n"
    "CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 5.0.0540 MSMSGS alice@hotmail.com\r\n"
    "USR 7 OK alice@hotmail.com Alice%20A. 1 0\r\n"
    "MSG Hotmail Hotmail 72\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/x-msmsgsprofile; charset=UTF-8\r\n"
    "\r\n"
    "CHL 0 29409134351025259292\r\n"
    "QRY 10 msmsgs@msnmsgr.com 32\r\n"
    "d0c1178c689350104350d99f8c36ed9c"
    "QRY 10\r\n"
    "PNG\n"
    "QNG\r\n"
    "NOT 23\r\n"
    "<NOTIFICATION>\r\nMSG 1 N"
    "OUT\r\n";

static const char sb_session[] =
    "USR 1 alice@hotmail.com 17262740.1050826919.32308\r\n"
    "USR 1 OK alice@hotmail.com Alice\r\n"
    "MSG 4 N 20\r\n"
    "MSG 5 N 3\r\nJOI x y\r\n"
    "MSG bob@hotmail.com Bob 0\r\n"
    "ACK 5\r\n"
    "BYE bob@hotmail.com\r\n";

static void test_sessions(void)
{
    check_split_invariance("ns", (const uint8_t *)ns_session, sizeof ns_session - 1,
                           MSNP_START_AT_COMMAND, NULL);
    check_split_invariance("sb", (const uint8_t *)sb_session, sizeof sb_session - 1,
                           MSNP_START_AT_COMMAND, NULL);

    static run r;
    feed((const uint8_t *)ns_session, sizeof ns_session - 1, NULL, 0, MSNP_START_AT_COMMAND,
         NULL, &r);
    CHECK(r.n == 11);
    if (r.n == 11) {
        CHECK(r.pdus[3].payload_len == 72 && r.pdus[3].line_len == 22);
        CHECK(r.pdus[5].payload_len == 32);
        /* The QRY answer is followed directly by the next command. */
        CHECK(memcmp(r.pdus[6].bytes, "QRY 10\r\n", 8) == 0 && r.pdus[6].payload_len == 0);
        CHECK(r.pdus[7].line_len == 3 && r.pdus[7].len == 4); /* bare LF */
        /* NOT's payload holds "MSG 1 N": it must stay payload. */
        CHECK(r.pdus[9].payload_len == 23);
        CHECK(memcmp(r.pdus[10].bytes, "OUT", 3) == 0);
    }
    feed((const uint8_t *)sb_session, sizeof sb_session - 1, NULL, 0, MSNP_START_AT_COMMAND,
         NULL, &r);
    CHECK(r.n == 6);
    if (r.n == 6) {
        /* The payload is "MSG 5 N 3\r\nJOI x y\r\n": no command in it counts. */
        CHECK(r.pdus[2].payload_len == 20);
        CHECK(memcmp(r.pdus[3].bytes, "MSG bob", 7) == 0 && r.pdus[3].payload_len == 0);
        CHECK(memcmp(r.pdus[4].bytes, "ACK 5", 5) == 0);
    }
}

static void test_caps_and_resync(void)
{
    static run r;
    msnp_limits lim = {64, 100};

    /* A payload above the cap: the line is reported, the claimed bytes are
     * not buffered, the next command is found again. */
    const char *big = "MSG 4 N 4294967295\r\nhello there\r\nACK 4\r\nBYE a@b\r\n";
    feed((const uint8_t *)big, strlen(big), NULL, 0, MSNP_START_AT_COMMAND, &lim, &r);
    CHECK(r.n == 4);
    if (r.n == 4) {
        CHECK(r.pdus[0].result == MSNP_TOO_LONG && r.pdus[0].anomaly == MSNP_ANOM_PAYLOAD_TOO_LONG);
        CHECK(r.pdus[1].result == MSNP_SKIP && r.pdus[1].len == 13);
        CHECK(r.pdus[2].result == MSNP_PDU && memcmp(r.pdus[2].bytes, "ACK 4", 5) == 0);
    }
    check_split_invariance("oversize payload", (const uint8_t *)big, strlen(big),
                           MSNP_START_AT_COMMAND, &lim);

    /* A line above the cap. */
    char longline[400];
    memset(longline, 'A', 200);
    memcpy(longline + 200, "\r\nPNG\r\n", 8);
    feed((const uint8_t *)longline, strlen(longline), NULL, 0, MSNP_START_AT_COMMAND, &lim, &r);
    CHECK(r.n >= 2 && r.pdus[0].result == MSNP_TOO_LONG &&
          r.pdus[0].anomaly == MSNP_ANOM_LINE_TOO_LONG);
    CHECK(r.n >= 2 && memcmp(r.pdus[r.n - 1].bytes, "PNG", 3) == 0);
    size_t total = 0;
    for (size_t i = 0; i < r.n; i++)
        total += r.pdus[i].len;
    CHECK(total == strlen(longline));

    /* Malformed line then resync; lower-case is not a command. */
    const char *mal = "chg 5 NLN 0\r\nhello\r\nCHG 6 NLN 0\r\n";
    feed((const uint8_t *)mal, strlen(mal), NULL, 0, MSNP_START_AT_COMMAND, NULL, &r);
    CHECK(r.n == 3);
    if (r.n == 3) {
        CHECK(r.pdus[0].anomaly == MSNP_ANOM_MALFORMED);
        CHECK(r.pdus[1].anomaly == MSNP_ANOM_NOT_MSNP);
        CHECK(r.pdus[2].kind == MSNP_PDU_COMMAND);
    }

    /* Non-numeric MSG length. */
    const char *badlen = "MSG 4 N abc\r\nbody\r\nPNG\r\n";
    feed((const uint8_t *)badlen, strlen(badlen), NULL, 0, MSNP_START_AT_COMMAND, NULL, &r);
    CHECK(r.n == 3 && r.pdus[0].anomaly == MSNP_ANOM_BAD_LENGTH);

    /* Mid-stream start inside a payload. */
    const char *mid = "ping: 1.0\r\nContent-Type: text/plain\r\n\r\nhiMSG 5 N 2\r\nyo\r\n"
                      "ACK 5\r\n";
    feed((const uint8_t *)mid, strlen(mid), NULL, 0, MSNP_START_MIDSTREAM, NULL, &r);
    /* "hiMSG 5 N 2" is not at a line start: the next command is ACK. */
    CHECK(r.n >= 2 && memcmp(r.pdus[r.n - 1].bytes, "ACK 5", 5) == 0);
    check_split_invariance("midstream", (const uint8_t *)mid, strlen(mid),
                           MSNP_START_MIDSTREAM, NULL);
    const char *mid2 = "MSG 5 N 2\r\nyoACK 5\r\n";
    feed((const uint8_t *)mid2, strlen(mid2), NULL, 0, MSNP_START_MIDSTREAM, NULL, &r);
    CHECK(r.n == 2 && r.pdus[0].payload_len == 2);
}

static void test_msnftp(void)
{
    uint8_t s[8192];
    size_t n = 0;
    const char *head = "VER MSNFTP\r\nFIL 4100\r\n";
    memcpy(s + n, head, strlen(head));
    n += strlen(head);
    size_t left = 4100;
    int blocks = 0;
    while (left) {
        size_t b = left > 2045 ? 2045 : left;
        s[n++] = 0;
        s[n++] = (uint8_t)(b & 0xff);
        s[n++] = (uint8_t)(b >> 8);
        for (size_t i = 0; i < b; i++)
            s[n++] = (uint8_t)(i % 7 == 0 ? '\n' : 'M'); /* looks like lines */
        left -= b;
        blocks++;
    }
    memcpy(s + n, "BYE 16777989\r\n", 14);
    n += 14;
    static run r;
    feed(s, n, NULL, 0, MSNP_START_AT_COMMAND, NULL, &r);
    CHECK(blocks == 3);
    CHECK(r.n == 6);
    if (r.n == 6) {
        CHECK(r.pdus[2].kind == MSNP_PDU_FTP_BLOCK && r.pdus[2].payload_len == 2045);
        CHECK(r.pdus[4].kind == MSNP_PDU_FTP_BLOCK && r.pdus[4].payload_len == 10);
        CHECK(r.pdus[5].kind == MSNP_PDU_COMMAND && memcmp(r.pdus[5].bytes, "BYE", 3) == 0);
    }
    check_split_invariance("msnftp", s, n, MSNP_START_AT_COMMAND, NULL);

    /* Text where file data was expected: a command with a bad_block note,
     * never a block with a made-up header. */
    const uint8_t early[] = "FIL 100\r\n\x00\x02\x00xyBYE 2164261682\r\n";
    feed(early, sizeof early - 1, NULL, 0, MSNP_START_AT_COMMAND, NULL, &r);
    CHECK(r.n == 3 && r.pdus[2].kind == MSNP_PDU_COMMAND &&
          r.pdus[2].anomaly == MSNP_ANOM_BAD_BLOCK && memcmp(r.pdus[2].bytes, "BYE", 3) == 0);

    /* Abort block after a partial transfer. */
    const uint8_t ab[] = "FIL 100\r\n\x00\x02\x00xy\x01\x00\x00" "CCL\r\n";
    feed(ab, sizeof ab - 1, NULL, 0, MSNP_START_AT_COMMAND, NULL, &r);
    CHECK(r.n == 4 && r.pdus[2].kind == MSNP_PDU_FTP_BLOCK && r.pdus[2].block_type == 1);
}

static void test_gap(void)
{
    msnp_framer f;
    msnp_framer_init(&f, NULL, MSNP_START_AT_COMMAND);
    msnp_pdu p;
    const char *a = "MSG 4 N 50\r\nMIME-Version";
    CHECK(msnp_framer_next(&f, (const uint8_t *)a, strlen(a), &p) == MSNP_NEED_MORE);
    CHECK(p.need == 50 - 12);
    msnp_framer_gap(&f);
    const char *b = "rest of body\r\nMSG 5 N 2\r\nhi";
    CHECK(msnp_framer_next(&f, (const uint8_t *)b, strlen(b), &p) == MSNP_SKIP);
    CHECK(p.len == 14);
    CHECK(msnp_framer_next(&f, (const uint8_t *)b + 14, strlen(b) - 14, &p) == MSNP_PDU);
    CHECK(p.payload.len == 2);
}

/* A gap inside a payload whose line is complete: the command is known, the
 * framer skips exactly the rest of the payload and stays in step. */
static void test_gap_in_payload(void)
{
    msnp_framer f;
    msnp_framer_init(&f, NULL, MSNP_START_AT_COMMAND);
    msnp_pdu p;
    const char *a = "MSG 4 N 20\r\nMIME-";
    size_t alen = strlen(a);
    CHECK(msnp_framer_next(&f, (const uint8_t *)a, alen, &p) == MSNP_NEED_MORE);
    CHECK(msnp_framer_gap_in_pdu(&f, (const uint8_t *)a, alen, 10, &p) == 1);
    CHECK(p.kind == MSNP_PDU_COMMAND && p.anomaly == MSNP_ANOM_TRUNCATED);
    CHECK(p.len == alen && p.payload.off == 12 && p.payload.len == 5 && p.missing == 10);
    CHECK(p.declared == 20 && p.ntok == 4);
    /* 20 - 5 - 10 = 5 bytes of tail, then the next command */
    const char *b = "CMD\r\nJOI a@b c\r\n";
    CHECK(msnp_framer_next(&f, (const uint8_t *)b, strlen(b), &p) == MSNP_PDU);
    CHECK(p.kind == MSNP_PDU_PAYLOAD_TAIL && p.len == 5);
    CHECK(msnp_framer_next(&f, (const uint8_t *)b + 5, strlen(b) - 5, &p) == MSNP_PDU);
    CHECK(p.kind == MSNP_PDU_COMMAND && p.line_len == 9);

    /* A gap longer than the rest of the payload: resynchronise after it. */
    msnp_framer_init(&f, NULL, MSNP_START_AT_COMMAND);
    CHECK(msnp_framer_gap_in_pdu(&f, (const uint8_t *)a, alen, 100, &p) == 1);
    CHECK(p.missing == 15 && f.mode == MSNP_MODE_RESYNC);

    /* An incomplete line cannot be reported. */
    msnp_framer_init(&f, NULL, MSNP_START_AT_COMMAND);
    CHECK(msnp_framer_gap_in_pdu(&f, (const uint8_t *)"MSG 4 N", 7, 10, &p) == 0);
    CHECK(f.mode == MSNP_MODE_RESYNC);

    /* An MSNFTP block cut by a gap. */
    msnp_framer_init(&f, NULL, MSNP_START_AT_COMMAND);
    const uint8_t fil[] = "FIL 100\r\n";
    CHECK(msnp_framer_next(&f, fil, sizeof fil - 1, &p) == MSNP_PDU);
    const uint8_t blk[] = {0, 60, 0, 'a', 'b'};
    CHECK(msnp_framer_next(&f, blk, sizeof blk, &p) == MSNP_NEED_MORE);
    CHECK(msnp_framer_gap_in_pdu(&f, blk, sizeof blk, 8, &p) == 1);
    CHECK(p.kind == MSNP_PDU_FTP_BLOCK && p.payload.len == 2 && p.missing == 8);
    CHECK(f.mode == MSNP_MODE_TAIL && f.tail_left == 50 && f.ftp_left == 40);
}

static void test_tokens(void)
{
    msnp_framer f;
    msnp_framer_init(&f, NULL, MSNP_START_AT_COMMAND);
    msnp_pdu p;
    const char *l = "ILN  9 NLN bob@hotmail.com Bob 268435492 \r\n";
    CHECK(msnp_framer_next(&f, (const uint8_t *)l, strlen(l), &p) == MSNP_PDU);
    CHECK(p.ntok == 6 && p.irregular_spacing);
    CHECK(p.tok[1].off == 5 && p.tok[1].len == 1);
    CHECK(p.line_len == strlen(l) - 2 && p.eol_len == 2);
}

/* The tokens of a line as framer.h describes them, written plainly: runs of
 * non-space bytes; leading, trailing and doubled spaces flagged; past
 * MSNP_MAX_TOKENS - 1 tokens the last kept one takes the rest of the line
 * (trailing spaces trimmed, flagged too_many when it holds a space), and
 * spacing after its start is not looked at. */
static void expected_tokens(const uint8_t *l, uint32_t n, msnp_pdu *e, int *control)
{
    memset(e, 0, sizeof *e);
    *control = 0;
    for (uint32_t i = 0; i < n; i++)
        *control |= l[i] < 0x20 || l[i] == 0x7f;
    uint32_t i = 0;
    while (i < n) {
        uint32_t run_start = i;
        while (i < n && l[i] == ' ')
            i++;
        uint32_t spaces = i - run_start;
        if (spaces > 1 || (spaces == 1 && (e->ntok == 0 || i == n)))
            e->irregular_spacing = 1;
        if (i == n)
            break;
        uint32_t start = i;
        if (e->ntok == MSNP_MAX_TOKENS - 1) {
            uint32_t end = n;
            while (end > start && l[end - 1] == ' ')
                end--;
            e->tok[e->ntok].off = start;
            e->tok[e->ntok].len = end - start;
            e->ntok++;
            e->too_many_tokens = memchr(l + start, ' ', end - start) != NULL;
            return;
        }
        while (i < n && l[i] != ' ')
            i++;
        e->tok[e->ntok].off = start;
        e->tok[e->ntok].len = i - start;
        e->ntok++;
    }
}

/* line[0..n), followed by CR LF in the buffer, through a fresh framer: its
 * tokens, spacing flags and control-byte verdict as expected_tokens() has
 * them. Returns the expected token count; *control, whether the line holds
 * control bytes. */
static unsigned check_line_tokens(const uint8_t *line, size_t n, const char *what, unsigned k,
                                  int *control)
{
    msnp_framer f;
    msnp_framer_init(&f, NULL, MSNP_START_AT_COMMAND);
    msnp_pdu got, want;
    memset(&got, 0, sizeof got);
    msnp_framer_next(&f, line, n + 2, &got);
    expected_tokens(line, (uint32_t)n, &want, control);
    CHECK_MSG(got.line_len == n, "%s %u: line_len %u of %zu", what, k, (unsigned)got.line_len,
              n);
    CHECK_MSG(got.ntok == want.ntok && got.irregular_spacing == want.irregular_spacing &&
                  got.too_many_tokens == want.too_many_tokens,
              "%s %u (%zu bytes): %u tokens (irregular %d, too many %d), want %u (%d, %d)",
              what, k, n, (unsigned)got.ntok, got.irregular_spacing, got.too_many_tokens,
              (unsigned)want.ntok, want.irregular_spacing, want.too_many_tokens);
    for (unsigned t = 0; t < want.ntok && t < got.ntok; t++)
        CHECK_MSG(got.tok[t].off == want.tok[t].off && got.tok[t].len == want.tok[t].len,
                  "%s %u token %u: %u+%u, want %u+%u", what, k, t, (unsigned)got.tok[t].off,
                  (unsigned)got.tok[t].len, (unsigned)want.tok[t].off,
                  (unsigned)want.tok[t].len);
    /* Control bytes make the line malformed whatever its tokens. */
    if (*control)
        CHECK_MSG(got.kind == MSNP_PDU_SKIPPED && got.anomaly == MSNP_ANOM_MALFORMED,
                  "%s %u: control bytes not seen", what, k);
    return want.ntok;
}

/* Random lines, short and long, with runs of spaces and control bytes: the
 * framer's sixteen-byte scan must split and flag them as the plain reading
 * does, at every length around its chunk boundaries and at the token limit. */
static void test_token_scan(void)
{
    static const uint8_t alphabet[] = {' ', ' ', ' ', 'a', 'Z', '7', '%', '@', 0x01, '\t',
                                       0x7f, 0xc3, 0xa9, 0x1f, '\r', 0x80, 0xff};
    static const char *const heads[] = {"USR", "ILN", "CHG", "911", "xyz", ""};
    uint32_t seed = 12345;
    unsigned capped = 0, controls = 0;
    for (unsigned k = 0; k < 20000; k++) {
        uint8_t line[700];
        const char *h = heads[k % 6];
        size_t n = strlen(h);
        memcpy(line, h, n);
        seed = seed * 1103515245u + 12345u;
        /* Lengths 0-99 mostly, some up to 600 (beyond the token limit). */
        size_t extra = (k % 10 == 9) ? (seed >> 8) % 600 : (seed >> 8) % 100;
        int plain = (k % 3) != 0; /* without control bytes, to reach the tokens */
        for (size_t j = 0; j < extra; j++) {
            seed = seed * 1103515245u + 12345u;
            line[n++] = alphabet[(seed >> 16) % (plain ? 7 : sizeof alphabet)];
        }
        memcpy(line + n, "\r\n", 2);
        int control;
        capped += check_line_tokens(line, n, "line", k, &control) == MSNP_MAX_TOKENS;
        controls += control;
    }
    CHECK_MSG(capped > 50 && controls > 1000, "only %u capped lines, %u with control bytes",
              capped, controls);

    /* Around the token limit: a doubled space before the last token or not,
     * trailing spaces or not (only lines under the limit flag those). */
    for (unsigned ntok = MSNP_MAX_TOKENS - 3; ntok <= MSNP_MAX_TOKENS + 2; ntok++) {
        for (unsigned variant = 0; variant < 6; variant++) {
            unsigned trail = variant % 3, doubled = variant / 3;
            uint8_t line[400];
            size_t n = 0;
            for (unsigned t = 0; t < ntok; t++) {
                if (t)
                    line[n++] = ' ';
                if (t + 1 == ntok && doubled)
                    line[n++] = ' ';
                n += (size_t)snprintf((char *)line + n, 8, "t%u", t);
            }
            memset(line + n, ' ', trail);
            n += trail;
            memcpy(line + n, "\r\n", 2);
            int control;
            check_line_tokens(line, n, "tokens at the limit, variant", ntok * 10 + variant,
                              &control);
        }
    }
}

int main(void)
{
    test_sessions();
    test_caps_and_resync();
    test_msnftp();
    test_gap();
    test_gap_in_payload();
    test_tokens();
    test_token_scan();
    return check_exit("test_framer");
}
