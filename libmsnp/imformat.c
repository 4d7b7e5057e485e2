/* X-MMS-IM-Format (protocol reference §6.3): each parameter is a row of a
 * table that says where its value goes and how it is checked. */
#include "msnp/imformat.h"

#include <stddef.h>
#include <string.h>

#include "msnp/mime.h"
#include "msnp/text.h"
#include "payload_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* §6.3 CS: the reference lists these standard Windows *_CHARSET constants
 * ("not re-verified here" there); other values are shown as numbers. */
static const msnp_code_name charsets[] = {
    {0x00, "ANSI"},         {0x01, "default"},      {0x02, "symbol"},
    {0x80, "Shift-JIS"},    {0x81, "Hangul"},       {0x86, "GB2312"},
    {0x88, "Big5"},         {0xA1, "Greek"},        {0xA2, "Turkish"},
    {0xB1, "Hebrew"},       {0xB2, "Arabic"},       {0xBA, "Baltic"},
    {0xCC, "Cyrillic"},     {0xDE, "Thai"},         {0xEE, "East European"},
    {0xFF, "OEM"},
};
const msnp_code_table msnp_format_charset_table = {"format_charset", charsets, N(charsets)};

/* §6.3 PF, high nibble. */
static const msnp_code_name families[] = {
    {0, "don't care"}, {1, "roman"},  {2, "swiss"},
    {3, "modern"},     {4, "script"}, {5, "decorative"},
};
const msnp_code_table msnp_format_family_table = {"format_family", families, N(families)};

/* §6.3 PF, low nibble. */
static const msnp_code_name pitches[] = {
    {0, "default pitch"},
    {1, "fixed pitch"},
    {2, "variable pitch"},
};
const msnp_code_table msnp_format_pitch_table = {"format_pitch", pitches, N(pitches)};

static const msnp_code_name issues[] = {
    {MSNP_FMT_ISSUE_FN_NOT_FIRST,
     "FN is not the first format parameter (mid-2003 servers closed the switchboard for "
     "this; one source)"},
    {MSNP_FMT_ISSUE_UNKNOWN_PARAM, "unknown format parameter"},
    {MSNP_FMT_ISSUE_DUPLICATE, "a format parameter is repeated (the first one is used)"},
    {MSNP_FMT_ISSUE_NO_EQUALS, "a format parameter without '='"},
    {MSNP_FMT_ISSUE_BAD_EFFECTS, "EF holds letters other than B, I, U and S"},
    {MSNP_FMT_ISSUE_BAD_COLOR, "CO is not a colour of at most six hex digits"},
    {MSNP_FMT_ISSUE_BAD_CHARSET, "CS is not a hex byte"},
    {MSNP_FMT_ISSUE_BAD_PITCH_FAMILY, "PF is not a hex byte"},
    {MSNP_FMT_ISSUE_BAD_RL, "RL has a value other than 1"},
};
const msnp_code_table msnp_format_issue_table = {"format_issue", issues, N(issues)};

typedef void (*param_check)(const uint8_t *base, msnp_im_format *f);

static void check_effects(const uint8_t *base, msnp_im_format *f)
{
    static const struct {
        uint8_t letter, bit;
    } letters[] = {{'B', MSNP_EF_BOLD},
                   {'I', MSNP_EF_ITALIC},
                   {'U', MSNP_EF_UNDERLINE},
                   {'S', MSNP_EF_STRIKEOUT}};
    for (uint32_t i = 0; i < f->effects.len; i++) {
        uint8_t c = base[f->effects.off + i];
        size_t k = 0;
        while (k < N(letters) && letters[k].letter != c)
            k++;
        if (k < N(letters))
            f->effect_bits |= letters[k].bit;
        else
            f->issues |= MSNP_FMT_ISSUE_BAD_EFFECTS;
    }
}

static void check_color(const uint8_t *base, msnp_im_format *f)
{
    /* A COLORREF is 0x00BBGGRR written in hex without leading zeros: "ff" is
     * red, "ff0000" blue. More than six digits cannot be a colour. */
    uint64_t bgr;
    if (f->color.len > 6 || msnp_parse_hex(base, f->color, 0xFFFFFF, &bgr) != MSNP_NUM_OK) {
        f->issues |= MSNP_FMT_ISSUE_BAD_COLOR;
        return;
    }
    f->color_valid = 1;
    f->color_rgb = (uint32_t)((bgr & 0xFF) << 16 | (bgr & 0xFF00) | (bgr >> 16 & 0xFF));
}

static void check_charset(const uint8_t *base, msnp_im_format *f)
{
    uint64_t v;
    if (msnp_parse_hex(base, f->charset, 0xFF, &v) != MSNP_NUM_OK) {
        f->issues |= MSNP_FMT_ISSUE_BAD_CHARSET;
        return;
    }
    f->charset_valid = 1;
    f->charset_code = (uint8_t)v;
}

static void check_pitch_family(const uint8_t *base, msnp_im_format *f)
{
    uint64_t v;
    if (msnp_parse_hex(base, f->pitch_family, 0xFF, &v) != MSNP_NUM_OK) {
        f->issues |= MSNP_FMT_ISSUE_BAD_PITCH_FAMILY;
        return;
    }
    f->pitch_family_valid = 1;
    f->pitch_family_code = (uint8_t)v;
}

static void check_rtl(const uint8_t *base, msnp_im_format *f)
{
    if (msnp_span_eq(base, f->rtl, "1"))
        f->right_to_left = 1;
    else
        f->issues |= MSNP_FMT_ISSUE_BAD_RL;
}

static const struct param {
    const char *name;
    uint8_t has;
    size_t offset; /* of the msnp_span member */
    param_check check;
} params[] = {
    {"FN", MSNP_FMT_HAS_FN, offsetof(msnp_im_format, font), NULL},
    {"EF", MSNP_FMT_HAS_EF, offsetof(msnp_im_format, effects), check_effects},
    {"CO", MSNP_FMT_HAS_CO, offsetof(msnp_im_format, color), check_color},
    {"CS", MSNP_FMT_HAS_CS, offsetof(msnp_im_format, charset), check_charset},
    {"PF", MSNP_FMT_HAS_PF, offsetof(msnp_im_format, pitch_family), check_pitch_family},
    {"RL", MSNP_FMT_HAS_RL, offsetof(msnp_im_format, rtl), check_rtl},
};

static int is_blank(uint8_t c)
{
    return c == ' ' || c == '\t';
}

static msnp_span trim(const uint8_t *base, uint32_t a, uint32_t b)
{
    while (a < b && is_blank(base[a]))
        a++;
    while (b > a && is_blank(base[b - 1]))
        b--;
    msnp_span s = {a, b - a};
    return s;
}

void msnp_im_format_parse(const uint8_t *base, msnp_span value, msnp_im_format *out)
{
    memset(out, 0, sizeof *out);
    uint32_t end = value.off + value.len;
    unsigned index = 0;
    for (uint32_t pos = value.off; pos < end; index++) {
        const uint8_t *semi = memchr(base + pos, ';', end - pos);
        uint32_t stop = semi ? (uint32_t)(semi - base) : end;
        msnp_span item = trim(base, pos, stop);
        pos = semi ? stop + 1 : end;
        if (item.len == 0) {
            index--; /* "a;;b" or a trailing ';' is not a parameter */
            continue;
        }
        const uint8_t *eq = memchr(base + item.off, '=', item.len);
        if (!eq) {
            out->issues |= MSNP_FMT_ISSUE_NO_EQUALS;
            continue;
        }
        uint32_t eq_at = (uint32_t)(eq - base);
        msnp_span name = trim(base, item.off, eq_at);
        size_t k = 0;
        while (k < N(params) && !msnp_span_ieq(base, name, params[k].name))
            k++;
        if (k == N(params)) {
            out->issues |= MSNP_FMT_ISSUE_UNKNOWN_PARAM;
            continue;
        }
        if (out->present & params[k].has) {
            out->issues |= MSNP_FMT_ISSUE_DUPLICATE;
            continue;
        }
        if (params[k].has == MSNP_FMT_HAS_FN && index != 0)
            out->issues |= MSNP_FMT_ISSUE_FN_NOT_FIRST;
        out->present |= params[k].has;
        msnp_span v = trim(base, eq_at + 1, item.off + item.len);
        memcpy((uint8_t *)out + params[k].offset, &v, sizeof v);
        if (params[k].check)
            params[k].check(base, out);
    }
}

size_t msnp_im_format_font(const uint8_t *base, const msnp_im_format *f, char *dst, size_t size)
{
    return msnp_url_decode(base + f->font.off, f->font.len, dst, size);
}

void msnp_im_format_color_hex(uint32_t rgb, char out[8])
{
    static const char digits[] = "0123456789abcdef";
    out[0] = '#';
    for (int i = 0; i < 6; i++)
        out[1 + i] = digits[rgb >> (20 - 4 * i) & 0xF];
    out[7] = '\0';
}
