/* Escaping capture bytes for JSON and for terminals (see escape.h). */
#include "escape.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "msnp/text.h"

static const char hex[] = "0123456789abcdef";

static void put_xnn(outbuf *o, uint8_t b, int json)
{
    char t[5] = {'\\', 'x', hex[b >> 4], hex[b & 15], 0};
    if (json)
        ob_char(o, '\\');
    ob_write(o, t, 4);
}

/* Bytes that JSON and terminals take as they are: printable ASCII but the
 * backslash (and, for JSON, the quote). Runs of them are copied at once. */
static const uint8_t json_plain[256] = {
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
    R16(0), R16(0),                                  /* 0x00-0x1f: controls */
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x20-0x2f: '"' */
    R16(1), R16(1),                                  /* 0x30-0x4f */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x50-0x5f: '\\' */
    R16(1),                                          /* 0x60-0x6f */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, /* 0x70-0x7f: DEL */
    R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0) /* 0x80-: UTF-8 */
#undef R16
};

/* Eight bytes at a time: are they all plain? (Bit tricks on a word: a byte
 * below 0x20, at or above 0x80, or equal to '"', '\\' or DEL sets its high
 * bit in the result.) Most lines and bodies are long runs of plain ASCII. */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

static inline uint64_t has_byte(uint64_t x, uint8_t b)
{
    uint64_t y = x ^ (ONES * b);
    return (y - ONES) & ~y & HIGHS;
}

static inline int word_plain(const uint8_t *s)
{
    uint64_t x;
    memcpy(&x, s, 8);
    uint64_t bad = (x & HIGHS) | ((x - ONES * 0x20) & ~x & HIGHS) | has_byte(x, '"') |
                   has_byte(x, '\\') | has_byte(x, 0x7f);
    return bad == 0;
}

#if defined(__SSE2__)
/* Sixteen bytes a step where the machine has SSE2 (every x86-64): a bit for
 * each byte that is not plain. A signed compare takes bytes at or above
 * 0x80 for negative, so one compare finds them and the controls. */
static inline unsigned block_not_plain(__m128i x)
{
    __m128i low = _mm_cmplt_epi8(x, _mm_set1_epi8(0x20));
    __m128i quote = _mm_cmpeq_epi8(x, _mm_set1_epi8('"'));
    __m128i bslash = _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'));
    __m128i del = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f));
    return (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(low, quote), _mm_or_si128(bslash, del)));
}
#endif

/* The end of the run of plain bytes starting at i. */
static inline size_t plain_run(const uint8_t *s, size_t i, size_t n)
{
#if defined(__SSE2__)
    for (; i + 16 <= n; i += 16) {
        unsigned bad = block_not_plain(_mm_loadu_si128((const __m128i *)(s + i)));
        if (bad)
            return i + (unsigned)__builtin_ctz(bad);
    }
#endif
    while (i + 8 <= n && word_plain(s + i))
        i += 8;
    while (i < n && json_plain[s[i]])
        i++;
    return i;
}

/* Copy the run of plain bytes starting at s[i] to o; returns its end. With
 * SSE2 the bytes are stored as they are checked, sixteen at a time, and
 * only the plain ones are kept, so a run is read once instead of twice. */
static size_t copy_plain(outbuf *o, const uint8_t *s, size_t i, size_t n)
{
#if defined(__SSE2__)
    while (i + 16 <= n && o->cap - o->len >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(s + i));
        _mm_storeu_si128((__m128i *)(void *)(o->buf + o->len), x);
        unsigned bad = block_not_plain(x);
        if (bad) {
            unsigned k = (unsigned)__builtin_ctz(bad);
            o->len += k;
            return i + k;
        }
        o->len += 16;
        i += 16;
    }
#endif
    size_t run = plain_run(s, i, n);
    ob_write(o, s + i, run - i);
    return run;
}

int esc_json_plain(const uint8_t *s, size_t n)
{
    return plain_run(s, 0, n) == n;
}

void ob_write_bytes(outbuf *o, const uint8_t *s, size_t n)
{
    ob_write(o, s, n);
}

void esc_json(outbuf *o, const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        i = copy_plain(o, s, i, n);
        if (i == n)
            break;
        uint8_t c = s[i];
        if (c == '"' || c == '\\') {
            ob_char(o, '\\');
            ob_char(o, (char)c);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            switch (c) {
            case '\n':
                OB_LIT(o, "\\n");
                break;
            case '\r':
                OB_LIT(o, "\\r");
                break;
            case '\t':
                OB_LIT(o, "\\t");
                break;
            default: {
                char t[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                ob_write(o, t, 6);
            }
            }
            i++;
        } else {
            size_t k = msnp_utf8_seq_len(s + i, n - i);
            if (k) {
                ob_write(o, s + i, k);
                i += k;
            } else {
                put_xnn(o, c, 1);
                i++;
            }
        }
    }
}

void esc_json_str(outbuf *o, const char *s)
{
    esc_json(o, (const uint8_t *)s, strlen(s));
}

/* The C escapes tshark -T fields writes for these three (0 for the rest). */
static char tshark_escape(uint8_t c)
{
    switch (c) {
    case '\t':
        return 't';
    case '\r':
        return 'r';
    case '\n':
        return 'n';
    default:
        return 0;
    }
}

/* `quote`: a byte written as \<quote> (0: none). Inlined into each caller
 * with its constants, so that the text views' run scan has no quote test. */
static inline __attribute__((always_inline)) void
esc_terminal(outbuf *o, const uint8_t *s, size_t n, int tshark_controls, uint8_t quote)
{
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        if (quote)
            while (run < n && (json_plain[s[run]] || s[run] == '"') && s[run] != quote)
                run++;
        else
            while (run < n && (json_plain[s[run]] || s[run] == '"'))
                run++;
        if (run > i) {
            ob_write(o, s + i, run - i);
            i = run;
            continue;
        }
        uint8_t c = s[i];
        if (c == '\\' || (c == quote && quote)) {
            char t[2] = {'\\', (char)c};
            ob_write(o, t, 2);
            i++;
            continue;
        }
        if (c < 0x80) {
            char e = tshark_controls ? tshark_escape(c) : 0;
            if (e) {
                char t[2] = {'\\', e};
                ob_write(o, t, 2);
            } else {
                put_xnn(o, c, 0);
            }
            i++;
            continue;
        }
        size_t k = msnp_utf8_seq_len(s + i, n - i);
        if (!k) {
            put_xnn(o, c, 0);
            i++;
            continue;
        }
        uint32_t cp = msnp_utf8_decode(s + i, k);
        if (msnp_cp_terminal_unsafe(cp)) {
            char t[12];
            size_t m = 0;
            t[m++] = '\\';
            t[m++] = 'u';
            t[m++] = '{';
            for (int sh = 12; sh >= 0; sh -= 4)
                t[m++] = hex[(cp >> sh) & 15];
            t[m++] = '}';
            ob_write(o, t, m);
        } else {
            ob_write(o, s + i, k);
        }
        i += k;
    }
}

void esc_text(outbuf *o, const uint8_t *s, size_t n)
{
    esc_terminal(o, s, n, 0, 0);
}

void esc_field(outbuf *o, const uint8_t *s, size_t n, char quote)
{
    esc_terminal(o, s, n, 1, (uint8_t)quote);
}

void esc_text_str(outbuf *o, const char *s)
{
    esc_text(o, (const uint8_t *)s, strlen(s));
}
