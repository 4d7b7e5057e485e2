/* Small text helpers shared by both faces. */
#ifndef MSNP_TEXT_H
#define MSNP_TEXT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Percent-decode src into dst (at most size-1 bytes, NUL-terminated).
 * Invalid escapes are copied as they are. Returns the decoded length (the
 * decoded text may contain any byte, including NUL and control bytes). */
size_t msnp_url_decode(const uint8_t *src, size_t len, char *dst, size_t size);

/* Length of the longest prefix of s[0..len) that is valid UTF-8 from the
 * first byte, i.e. the length of the valid sequence at s (0 if invalid). */
size_t msnp_utf8_seq_len(const uint8_t *s, size_t len);

/* The code point of the valid sequence of k bytes at s (k from
 * msnp_utf8_seq_len). */
uint32_t msnp_utf8_decode(const uint8_t *s, size_t k);

/* Code points a terminal may act on (C1 controls) or that reorder what the
 * reader sees (bidirectional overrides, isolates and marks): no output and
 * no file name carries them as they are. */
int msnp_cp_terminal_unsafe(uint32_t cp);

/* True when every byte of s[0..len) is printable ASCII (0x20-0x7e): text
 * that is the same whether converted to UTF-8 or escaped for display. */
int msnp_printable_ascii(const uint8_t *s, size_t len);

/* v in decimal, written backwards so that its last digit is at end[-1];
 * returns where its first digit is (20 bytes before end suffice). Cheaper
 * than printf for the numbers every record carries. */
char *msnp_u64_digits(uint64_t v, char *end);

#ifdef __cplusplus
}
#endif
#endif
