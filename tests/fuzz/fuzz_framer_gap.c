/* Fuzz target: msnp_framer_gap_in_pdu() keeps the framer in step when the
 * capture loses bytes inside a payload, and reports exactly what was lost.
 *
 * Input: 9 bytes of parameters, then the stream S.
 *   byte 0     bit 0: start mid-session; bit 1: small limits (bytes 1, 2);
 *              bit 2: the gap length is bytes 7-8 times 257 (long gaps)
 *   byte 1, 2  max_line = 16 + byte, max_payload = byte * 8 (with bit 1)
 *   bytes 3-6  gap position g (modulo |S| + 1)
 *   bytes 7-8  gap length m
 *
 * The caller frames S[0, g) and is left with the pending bytes P = S[p0, g)
 * of an incomplete PDU; then m bytes are lost; msnp_framer_gap_in_pdu(P, m)
 * is called, P is dropped or reported, and framing goes on with S[g+m, |S|).
 *
 * Oracle, against the framing R of the complete stream S:
 *   - when it returns 1, R has a PDU at p0 with the same command line (or
 *     block header; when S itself ends inside that PDU, R's last NEED_MORE
 *     tells the line and the end); the PDU it returns covers exactly P (payload span up to
 *     its end, anomaly truncated); if the gap ends inside that PDU (which
 *     ends at E in S), exactly m bytes are missing, the next E - (g + m) bytes
 *     are a payload tail, and the PDUs from E on are exactly R's from E on;
 *     if the gap runs past E, E - g bytes are missing and the framer
 *     resynchronises;
 *   - when it returns 0, the framer resynchronises, and R does not have, at
 *     p0, a command whose line is in P and whose payload the gap falls into,
 *     nor an MSNFTP data block whose header is in P (framer.h promises that
 *     such a PDU is still reported). */
#include <stdlib.h>
#include <string.h>

#include "framed_list.h"
#include "fuzz_common.h"
#include "msnp/framer.h"
#include "pdu_check.h"

/* Frame s[0, n) with f; entries get stream offsets from `base`. Returns the
 * bytes consumed; with `rest`, the bytes left (an incomplete PDU) become a
 * FRAMED_REST entry. */
static size_t frame_into(msnp_framer *f, const uint8_t *s, size_t n, uint64_t base,
                         framed_list *out, int rest)
{
    size_t off = 0;
    msnp_pdu p;
    while (off < n) {
        msnp_frame_result r = msnp_framer_next(f, s + off, n - off, &p);
        pdu_check(&f->limits, s + off, n - off, r, &p);
        if (r == MSNP_NEED_MORE)
            break;
        framed_add(out, base + off, r, &p);
        off += p.len;
    }
    if (rest && off < n)
        framed_add_rest(out, base + off, n - off, &p);
    return off;
}

/* Where R's PDU at p0 ends: its own end, or, when S ends inside it, where it
 * would have ended (what the framer still needed). */
static uint64_t ref_end(const framed *ref, uint64_t p0)
{
    return p0 + ref->len + (ref->result == FRAMED_REST ? ref->need : 0);
}

/* R's PDU at p0 has a complete command line, or an MSNFTP block header. */
static int ref_has_line(const framed *ref)
{
    if (ref->result == MSNP_PDU)
        return ref->kind == MSNP_PDU_COMMAND || ref->kind == MSNP_PDU_FTP_BLOCK;
    if (ref->result != FRAMED_REST || ref->need == 0)
        return 0;
    return (ref->kind == MSNP_PDU_COMMAND && ref->ntok > 0 && ref->eol_len > 0) ||
           ref->kind == MSNP_PDU_FTP_BLOCK;
}

/* R's PDU at p0 is one whose loss the framer can still report: its line (or
 * block header) is complete in P and the gap starts inside its payload. */
static int reportable(const framed *ref, uint64_t p0, uint64_t g)
{
    if (!ref_has_line(ref) || g >= ref_end(ref, p0))
        return 0;
    if (ref->kind == MSNP_PDU_COMMAND)
        return (ref->has_payload || ref->result == FRAMED_REST) &&
               p0 + ref->line_len + ref->eol_len <= g;
    return ref->block_type == 0 && p0 + 3 <= g;
}

static void check_same_line(const framed *ref, const msnp_pdu *p)
{
    FUZZ_CHECK(p->kind == ref->kind, "reported kind %u, the complete stream has %u", p->kind,
               ref->kind);
    if (p->kind == MSNP_PDU_COMMAND)
        FUZZ_CHECK(p->line_len == ref->line_len && p->eol_len == ref->eol_len &&
                       p->ntok == ref->ntok && p->declared == ref->declared,
                   "reported line %u/%u tokens %u declared %llu; complete stream: %u/%u %u %llu",
                   p->line_len, p->eol_len, p->ntok, (unsigned long long)p->declared,
                   ref->line_len, ref->eol_len, ref->ntok, (unsigned long long)ref->declared);
    uint32_t head = p->kind == MSNP_PDU_COMMAND ? ref->line_len + ref->eol_len : 3u;
    FUZZ_CHECK(p->payload.off == head, "payload starts at %u, not %u", p->payload.off, head);
}

/* After the tail, the gapped framing must be R's from E on. */
static void check_in_step(const framed_list *ref, const framed_list *after, uint64_t resume,
                          uint64_t end)
{
    size_t i = 0;
    uint64_t tail = 0;
    while (i < after->n && after->v[i].kind == MSNP_PDU_PAYLOAD_TAIL &&
           after->v[i].result == MSNP_PDU && after->v[i].off < end) {
        tail += after->v[i].len;
        i++;
    }
    uint64_t expect_tail = end > resume ? end - resume : 0;
    uint64_t have = 0;
    for (size_t k = 0; k < after->n; k++)
        have += after->v[k].len;
    if (have < expect_tail) {
        FUZZ_CHECK(tail == have, "%llu bytes after the gap, %llu of them as payload tail",
                   (unsigned long long)have, (unsigned long long)tail);
        return;
    }
    FUZZ_CHECK(tail == expect_tail, "payload tail of %llu bytes; the payload had %llu left",
               (unsigned long long)tail, (unsigned long long)expect_tail);
    uint64_t total = ref->n ? ref->v[ref->n - 1].off + ref->v[ref->n - 1].len : 0;
    if (end >= total) { /* the stream ends inside (or right at the end of) that PDU */
        FUZZ_CHECK(i == after->n, "%zu PDUs after a payload that ends with the stream",
                   after->n - i);
        return;
    }
    size_t r0 = framed_find(ref, end);
    if (r0 == (size_t)-1) {
        framed_print("complete stream", ref, 0, ref->n);
        FUZZ_CHECK(0, "the payload ends at %llu, where the complete stream has no PDU",
                   (unsigned long long)end);
    }
    framed_list a = {0}, b = {0};
    for (size_t k = r0; k < ref->n; k++)
        framed_append(&a, &ref->v[k]);
    for (size_t k = i; k < after->n; k++)
        framed_append(&b, &after->v[k]);
    framed_merge_runs(&a);
    framed_merge_runs(&b);
    size_t d = framed_first_difference(&a, 0, &b, 0);
    if (d != a.n || d != b.n) {
        framed_print("complete stream from the payload end", &a, d > 2 ? d - 2 : 0, 6);
        framed_print("after the gap", &b, d > 2 ? d - 2 : 0, 6);
        FUZZ_CHECK(0, "out of step after the gap: PDU %zu after offset %llu differs", d,
                   (unsigned long long)end);
    }
    framed_free(&a);
    framed_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_reader in = {data, size};
    uint8_t mode = fuzz_u8(&in);
    uint8_t line_sel = fuzz_u8(&in), payload_sel = fuzz_u8(&in);
    uint32_t gpos = fuzz_u32(&in);
    uint64_t m = fuzz_u16(&in);
    if (mode & 4)
        m *= 257;
    const uint8_t *s = in.p;
    size_t n = in.n;
    uint64_t g = gpos % ((uint64_t)n + 1);
    msnp_stream_start start = (mode & 1) ? MSNP_START_MIDSTREAM : MSNP_START_AT_COMMAND;
    msnp_limits lim;
    msnp_limits_default(&lim);
    if (mode & 2) {
        lim.max_line = 16u + line_sel;
        lim.max_payload = payload_sel * 8u;
    }

    framed_list ref = {0}, after = {0}, before = {0};
    msnp_framer rf;
    msnp_framer_init(&rf, &lim, start);
    frame_into(&rf, s, n, 0, &ref, 1);

    msnp_framer f;
    msnp_framer_init(&f, &lim, start);
    size_t p0 = frame_into(&f, s, (size_t)g, 0, &before, 0);
    size_t plen = (size_t)g - p0;
    uint8_t *pend = malloc(plen ? plen : 1); /* exactly P: reads past it are caught */
    if (!pend)
        abort();
    memcpy(pend, s + p0, plen);
    uint8_t mode_before = f.mode;
    msnp_pdu p;
    int r = msnp_framer_gap_in_pdu(&f, pend, plen, m, &p);
    size_t at = framed_find(&ref, p0);
    const framed *rp = at == (size_t)-1 ? NULL : &ref.v[at];

    if (r == 1) {
        FUZZ_CHECK(rp != NULL && ref_has_line(rp),
                   "a PDU reported at %zu, where the complete stream has none", p0);
        check_same_line(rp, &p);
        FUZZ_CHECK(p.len == plen && p.has_payload && p.anomaly == MSNP_ANOM_TRUNCATED,
                   "len %u (pending %zu) has_payload %u anomaly %u", p.len, plen, p.has_payload,
                   p.anomaly);
        FUZZ_CHECK((uint64_t)p.payload.off + p.payload.len == plen,
                   "payload %u+%u does not end with the pending bytes (%zu)", p.payload.off,
                   p.payload.len, plen);
        uint64_t end = ref_end(rp, p0);
        if (g + m <= end) {
            FUZZ_CHECK(p.missing == m, "missing %llu, the gap was %llu",
                       (unsigned long long)p.missing, (unsigned long long)m);
            if (g + m < n)
                frame_into(&f, s + g + m, n - (size_t)(g + m), g + m, &after, 1);
            check_in_step(&ref, &after, g + m, end);
        } else {
            FUZZ_CHECK(p.missing == end - g, "missing %llu; the PDU lacked %llu",
                       (unsigned long long)p.missing, (unsigned long long)(end - g));
            FUZZ_CHECK(f.mode == MSNP_MODE_RESYNC, "a gap past the PDU leaves mode %u", f.mode);
        }
    } else {
        FUZZ_CHECK(r == 0, "msnp_framer_gap_in_pdu returned %d", r);
        FUZZ_CHECK(f.mode == MSNP_MODE_RESYNC, "not resynchronising after a gap (mode %u)",
                   f.mode);
        if (m > 0 && rp && reportable(rp, p0, g) &&
            (mode_before == MSNP_MODE_LINE || mode_before == MSNP_MODE_FTP_DATA)) {
            framed_print("complete stream", &ref, at, 1);
            FUZZ_CHECK(0,
                       "a gap of %llu bytes at %llu inside the payload of the PDU at %zu "
                       "(framer mode %u) was not reported",
                       (unsigned long long)m, (unsigned long long)g, p0, mode_before);
        }
    }
    free(pend);
    framed_free(&ref);
    framed_free(&after);
    framed_free(&before);
    return 0;
}
