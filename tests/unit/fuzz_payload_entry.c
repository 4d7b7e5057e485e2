/* Every payload decoder on one input (see fuzz_payload_entry.h). The same
 * bytes are read as an MSG payload under every content type (so the fuzzer
 * need not discover the type names to reach each decoder), as an invitation
 * body, an X-MMS-IM-Format value, NOT/IPG/PAG XML, a P2P body, an RFC 2047
 * subject, a QRY (split by the first bytes), and as MSNFTP lines and blocks. */
#include "fuzz_payload_entry.h"

#include <string.h>

#include "msnp/payload.h"
#include "msnp/text.h"

typedef struct bounds {
    const uint8_t *base;
    size_t size;
    const char *scratch;
    size_t scratch_size;
} bounds;

static int within(const void *ptr, size_t len, const void *base, size_t size)
{
    const uint8_t *p = ptr, *b = base;
    return b && p >= b && len <= size && (size_t)(p - b) <= size - len;
}

static void check_value(void *ctx, const msnp_vocab_value *v)
{
    const bounds *b = ctx;
    if ((size_t)v->id >= MSNP_V_COUNT || v->field != msnp_vocab(v->id))
        __builtin_trap();
    if ((size_t)v->span.off + v->span.len > b->size || (size_t)v->key.off + v->key.len > b->size)
        __builtin_trap();
    if (v->str && v->str_len && !within(v->str, v->str_len, b->base, b->size) &&
        !within(v->str, v->str_len, b->scratch, b->scratch_size) &&
        v->str[v->str_len] != '\0') /* constants (names, texts) end in a NUL */
        __builtin_trap();
}

static void check_span(msnp_span s, size_t size)
{
    if ((size_t)s.off + s.len > size)
        __builtin_trap();
}

static msnp_payload pl;
static msnp_xml_note xn;
static msnp_invite inv;
static msnp_ftp_transfer ftp;
static char scratch[512];
static char text[256];

static void fuzz_msg(const uint8_t *d, size_t n)
{
    bounds b = {d, n, scratch, sizeof scratch};
    msnp_vocab_scratch sc = {scratch, sizeof scratch};
    msnp_payload_decode(d, n, &pl);
    msnp_payload_visit(&pl, d, sc, check_value, &b);
    check_span(pl.mime.body, n);
    /* The same MIME structure under every content type. */
    msnp_mime mime = pl.mime;
    for (size_t i = 0; i < msnp_content_type_count(); i++) {
        const msnp_content_type *t = msnp_content_type_at(i);
        memset(&pl, 0, sizeof pl);
        pl.mime = mime;
        pl.type = t;
        pl.kind = t->kind;
        t->decode(d, n, &pl);
        msnp_payload_visit(&pl, d, sc, check_value, &b);
        if (pl.kind == MSNP_PK_TEXT)
            msnp_text_to_utf8(d, &pl.u.text, text, sizeof text);
    }
}

static void fuzz_pieces(const uint8_t *d, size_t n)
{
    bounds b = {d, n, scratch, sizeof scratch};
    msnp_vocab_scratch sc = {scratch, sizeof scratch};
    msnp_span all = {0, (uint32_t)(n > UINT32_MAX ? UINT32_MAX : n)};

    msnp_invite_decode_fields(d, n, &inv);
    check_span(inv.file, n);

    msnp_im_format f;
    msnp_im_format_parse(d, all, &f);
    msnp_im_format_font(d, &f, text, sizeof text);

    msnp_notification_parse(d, n, &xn);
    msnp_xml_note_visit(&xn, 0, d, sc, check_value, &b);
    msnp_page_parse(d, n, &xn);
    msnp_xml_note_visit(&xn, 1, d, sc, check_value, &b);
    msnp_xml_decode(d, all, text, sizeof text);

    msnp_rfc2047_decode(d, n, text, sizeof text);
    msnp_url_decode(d, n, text, sizeof text);
    msnp_sdc_visit(d, n, check_value, &b);

    msnp_p2p p2p;
    memset(&p2p, 0, sizeof p2p);
    msnp_p2p_decode_body(d, all, &p2p);
    check_span(p2p.data, n);
    check_span(p2p.slp_line, n);
}

/* First byte: length of the challenge; second: which product id; the rest is
 * the answer. */
static void fuzz_qry(const uint8_t *d, size_t n)
{
    if (n < 2)
        return;
    size_t clen = d[0] < n - 2 ? d[0] : n - 2;
    const msnp_qry_client *c = msnp_qry_client_at(d[1] % (msnp_qry_client_count() + 1));
    const char *id = c ? c->product_id : "PROD-unknown";
    msnp_qry_result r;
    msnp_qry_verify(d + 2, clen, (const uint8_t *)id, strlen(id), d + 2 + clen, n - 2 - clen, &r);
    bounds b = {d, n, NULL, 0};
    msnp_qry_visit(&r, (const uint8_t *)id, strlen(id), d + 2 + clen, n - 2 - clen, check_value,
                   &b);
}

/* Lines split at LF; a line starting with 0x00 or 0x01 is a block. */
static void fuzz_ftp(const uint8_t *d, size_t n)
{
    msnp_ftp_init(&ftp);
    for (size_t pos = 0; pos < n;) {
        const uint8_t *lf = memchr(d + pos, '\n', n - pos);
        size_t end = lf ? (size_t)(lf - d) : n;
        if (d[pos] <= 1)
            msnp_ftp_block(&ftp, d[pos], d + pos + 1, end - pos - 1);
        else if (d[pos] == 2)
            msnp_ftp_gap(&ftp, end - pos);
        else
            msnp_ftp_line(&ftp, d + pos, end - pos);
        pos = end + 1;
    }
    msnp_ftp_end(&ftp);
    char md5[MSNP_MD5_HEX_LEN + 1];
    msnp_ftp_md5_hex(&ftp, md5);
    bounds b = {d, n, NULL, 0};
    msnp_ftp_visit(&ftp, check_value, &b);
}

int msnp_fuzz_payload(const uint8_t *data, size_t size)
{
    fuzz_msg(data, size);
    fuzz_pieces(data, size);
    fuzz_qry(data, size);
    fuzz_ftp(data, size);
    return 0;
}
