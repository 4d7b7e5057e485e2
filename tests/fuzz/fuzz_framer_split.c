/* Fuzz target: the framer gives the same PDUs however the stream is cut.
 *
 * Input: 8 bytes of parameters, then the stream.
 *   byte 0   bit 0: the stream starts mid-session (MSNP_START_MIDSTREAM);
 *            bit 1: small limits from bytes 1 and 2 (else the defaults)
 *   byte 1   max_line = 16 + byte        (with bit 1)
 *   byte 2   max_payload = byte * 8      (with bit 1)
 *   bytes 3-7  seed of the cut points: chunks of 1 to 3 bytes, of up to 64,
 *            or of up to 4096 bytes, in proportions the seed also picks
 *
 * Oracle: the stream framed whole and framed chunk by chunk (the caller keeps
 * the unconsumed bytes and appends, as framer.h asks) give equal PDU lists
 * once adjacent skipped runs are merged, including what the last NEED_MORE
 * said about the bytes left at the end. Along the way every answer satisfies
 * pdu_check(); every byte is consumed exactly once; a NEED_MORE that asked for
 * `need` bytes is answered NEED_MORE again while fewer have been added; and,
 * in the chunked run, the framer never reads a byte it was not given (the
 * rest of the buffer is poisoned under ASan). */
#include <stdlib.h>
#include <string.h>

#include "framed_list.h"
#include "fuzz_common.h"
#include "msnp/framer.h"
#include "pdu_check.h"

#define PARAM_BYTES 8

static void frame_whole(const uint8_t *s, size_t n, const msnp_limits *lim,
                        msnp_stream_start start, framed_list *out)
{
    msnp_framer f;
    msnp_framer_init(&f, lim, start);
    size_t off = 0;
    msnp_pdu p;
    while (off < n) {
        msnp_frame_result r = msnp_framer_next(&f, s + off, n - off, &p);
        pdu_check(&f.limits, s + off, n - off, r, &p);
        if (r == MSNP_NEED_MORE)
            break;
        framed_add(out, off, r, &p);
        off += p.len;
    }
    if (off < n)
        framed_add_rest(out, off, n - off, &p);
}

static size_t next_chunk(uint64_t *rng, unsigned mix)
{
    uint64_t v = fuzz_next(rng);
    unsigned pick = (unsigned)(v & 7);
    size_t r = (size_t)(v >> 8);
    if (pick < (mix & 7))
        return 1 + r % 3;
    if (pick < ((mix >> 3) & 7) + (mix & 7))
        return 1 + r % 64;
    return 1 + r % 4096;
}

/* The caller's buffer is a copy of the stream in which only the bytes the
 * framer was given are readable. */
static void frame_chunked(const uint8_t *s, size_t n, const msnp_limits *lim,
                          msnp_stream_start start, uint64_t seed, framed_list *out)
{
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf)
        abort();
    memcpy(buf, s, n);
    FUZZ_POISON(buf, n);
    unsigned mix = (unsigned)(seed >> 40);
    msnp_framer f;
    msnp_framer_init(&f, lim, start);
    size_t off = 0, have = 0;
    msnp_pdu last;        /* the last NEED_MORE */
    memset(&last, 0, sizeof last);
    uint64_t asked = 0;   /* need of the last NEED_MORE */
    size_t asked_at = 0;  /* `have` when it was asked */
    while (have < n) {
        size_t chunk = next_chunk(&seed, mix);
        size_t add = chunk < n - have ? chunk : n - have;
        FUZZ_UNPOISON(buf + have, add);
        have += add;
        for (;;) {
            msnp_pdu p;
            msnp_frame_result r = msnp_framer_next(&f, buf + off, have - off, &p);
            pdu_check(&f.limits, buf + off, have - off, r, &p);
            if (asked > 1 && have - asked_at < asked)
                FUZZ_CHECK(r == MSNP_NEED_MORE,
                           "asked for %llu more bytes at %zu, answered %d after %zu",
                           (unsigned long long)asked, asked_at, r, have - asked_at);
            if (r == MSNP_NEED_MORE) {
                last = p;
                if (asked == 0 || have - asked_at >= asked) {
                    asked = p.need;
                    asked_at = have;
                }
                break;
            }
            asked = 0;
            framed_add(out, off, r, &p);
            FUZZ_POISON(buf + off, p.len);
            off += p.len;
            if (off == have)
                break;
        }
    }
    if (off < n)
        framed_add_rest(out, off, n - off, &last);
    FUZZ_UNPOISON(buf, n);
    free(buf);
}

static void check_tiles(const framed_list *l, size_t n, const char *what)
{
    uint64_t at = 0;
    for (size_t i = 0; i < l->n; i++) {
        FUZZ_CHECK(l->v[i].off == at, "%s: entry %zu starts at %llu, previous ended at %llu",
                   what, i, (unsigned long long)l->v[i].off, (unsigned long long)at);
        at += l->v[i].len;
    }
    FUZZ_CHECK(at == n, "%s: %llu of %zu bytes accounted for", what, (unsigned long long)at, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_reader in = {data, size};
    uint8_t mode = fuzz_u8(&in);
    uint8_t line_sel = fuzz_u8(&in), payload_sel = fuzz_u8(&in);
    uint64_t seed = 0;
    for (int i = 0; i < PARAM_BYTES - 3; i++)
        seed = seed << 8 | fuzz_u8(&in);
    msnp_stream_start start = (mode & 1) ? MSNP_START_MIDSTREAM : MSNP_START_AT_COMMAND;
    msnp_limits lim;
    msnp_limits_default(&lim);
    if (mode & 2) {
        lim.max_line = 16u + line_sel;
        lim.max_payload = payload_sel * 8u;
    }

    framed_list whole = {0}, chunked = {0};
    frame_whole(in.p, in.n, &lim, start, &whole);
    frame_chunked(in.p, in.n, &lim, start, seed * 0x9e3779b97f4a7c15ULL ^ seed, &chunked);
    check_tiles(&whole, in.n, "whole");
    check_tiles(&chunked, in.n, "chunked");
    framed_merge_runs(&whole);
    framed_merge_runs(&chunked);
    size_t d = framed_first_difference(&whole, 0, &chunked, 0);
    if (d != whole.n || d != chunked.n) {
        framed_print("whole", &whole, d > 2 ? d - 2 : 0, 6);
        framed_print("chunked", &chunked, d > 2 ? d - 2 : 0, 6);
        FUZZ_CHECK(0, "framing the stream whole and in chunks differs at PDU %zu", d);
    }
    framed_free(&whole);
    framed_free(&chunked);
    return 0;
}
