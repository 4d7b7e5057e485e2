/* X-MMS-IM-Format, the formatting header of text/plain instant messages
 * (protocol reference §6.3):
 *   X-MMS-IM-Format: FN=<font, URL-encoded>; EF=<effects>; CO=<colour>;
 *                    CS=<charset>; PF=<pitch+family>[; RL=1]
 * Parameters are split at ';' with or without a following space; names are
 * matched case-insensitively; the first occurrence of a parameter wins. */
#ifndef MSNP_IMFORMAT_H
#define MSNP_IMFORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/codes.h"
#include "msnp/span.h"

#ifdef __cplusplus
extern "C" {
#endif

/* EF letters. */
enum {
    MSNP_EF_BOLD = 1u << 0,      /* B */
    MSNP_EF_ITALIC = 1u << 1,    /* I */
    MSNP_EF_UNDERLINE = 1u << 2, /* U */
    MSNP_EF_STRIKEOUT = 1u << 3  /* S */
};

/* Which parameters were present (even with an empty value). */
enum {
    MSNP_FMT_HAS_FN = 1u << 0,
    MSNP_FMT_HAS_EF = 1u << 1,
    MSNP_FMT_HAS_CO = 1u << 2,
    MSNP_FMT_HAS_CS = 1u << 3,
    MSNP_FMT_HAS_PF = 1u << 4,
    MSNP_FMT_HAS_RL = 1u << 5
};

/* What is odd about the header (bits of msnp_im_format.issues). */
enum {
    MSNP_FMT_ISSUE_FN_NOT_FIRST = 1u << 0, /* mid-2003 servers closed the switchboard [1] */
    MSNP_FMT_ISSUE_UNKNOWN_PARAM = 1u << 1,
    MSNP_FMT_ISSUE_DUPLICATE = 1u << 2,
    MSNP_FMT_ISSUE_NO_EQUALS = 1u << 3, /* a parameter without '=' */
    MSNP_FMT_ISSUE_BAD_EFFECTS = 1u << 4,
    MSNP_FMT_ISSUE_BAD_COLOR = 1u << 5,
    MSNP_FMT_ISSUE_BAD_CHARSET = 1u << 6,
    MSNP_FMT_ISSUE_BAD_PITCH_FAMILY = 1u << 7,
    MSNP_FMT_ISSUE_BAD_RL = 1u << 8 /* RL with a value other than 1 */
};
#define MSNP_FMT_ISSUE_COUNT 9

typedef struct msnp_im_format {
    /* Raw parameter values (spans into the payload). */
    msnp_span font;         /* FN, URL-encoded: see msnp_im_format_font() */
    msnp_span effects;      /* EF */
    msnp_span color;        /* CO */
    msnp_span charset;      /* CS */
    msnp_span pitch_family; /* PF */
    msnp_span rtl;          /* RL */
    uint8_t present;        /* MSNP_FMT_HAS_* */
    uint8_t effect_bits;    /* MSNP_EF_* */
    uint8_t color_valid;
    uint8_t charset_valid;
    uint8_t pitch_family_valid;
    uint8_t right_to_left; /* RL=1 */
    uint8_t charset_code;  /* the Windows charset byte */
    uint8_t pitch_family_code;
    uint32_t color_rgb; /* CO is a Windows COLORREF (0x00BBGGRR); this is 0xRRGGBB */
    uint32_t issues;    /* MSNP_FMT_ISSUE_* */
} msnp_im_format;

/* Parse the value of an X-MMS-IM-Format header; `value` is a span into base. */
void msnp_im_format_parse(const uint8_t *base, msnp_span value, msnp_im_format *out);

/* The font name URL-decoded into dst (NUL-terminated, truncated to size).
 * Returns the decoded length. */
size_t msnp_im_format_font(const uint8_t *base, const msnp_im_format *f, char *dst, size_t size);

/* "#rrggbb" of a valid colour into out[8]. */
void msnp_im_format_color_hex(uint32_t rgb, char out[8]);

/* The family (high nibble of PF) and pitch (low nibble). */
static inline uint8_t msnp_pf_family(uint8_t pf)
{
    return (uint8_t)(pf >> 4);
}
static inline uint8_t msnp_pf_pitch(uint8_t pf)
{
    return (uint8_t)(pf & 0x0F);
}

/* Windows charset bytes, font families and pitches (§6.3 tables). */
extern const msnp_code_table msnp_format_charset_table;
extern const msnp_code_table msnp_format_family_table;
extern const msnp_code_table msnp_format_pitch_table;

/* A plain-language sentence per MSNP_FMT_ISSUE_* bit (code = the bit). */
extern const msnp_code_table msnp_format_issue_table;

#ifdef __cplusplus
}
#endif
#endif
