/* Escaping bytes that come from a capture, so that nothing in it can reach
 * the analyst's terminal as a control sequence and JSON stays valid. */
#ifndef MSNPDUMP_ESCAPE_H
#define MSNPDUMP_ESCAPE_H

#include <stddef.h>
#include <stdint.h>

#include "outbuf.h"

/* Inside a JSON string: valid UTF-8 as is (with JSON's escapes for '"', '\'
 * and control characters); a byte that is not valid UTF-8 as the four
 * characters \xNN (written \\xNN in JSON). */
void esc_json(outbuf *o, const uint8_t *s, size_t n);
/* True when esc_json would write s unchanged. */
int esc_json_plain(const uint8_t *s, size_t n);
/* ob_write for bytes known to need no escaping, with esc_json's signature. */
void ob_write_bytes(outbuf *o, const uint8_t *s, size_t n);
void esc_json_str(outbuf *o, const char *s);

/* For a terminal: printable ASCII and valid UTF-8 pass; control characters
 * (C0, DEL, C1), bidirectional overrides and invalid bytes become \xNN or
 * \u{NNNN}; a backslash is doubled so the escapes stay unambiguous. */
void esc_text(outbuf *o, const uint8_t *s, size_t n);
void esc_text_str(outbuf *o, const char *s);
/* A -T fields value: as esc_text, but TAB, CR and LF as tshark -T fields
 * writes them (\t, \r, \n), so that both faces print the same column for
 * the same text. (tshark leaves the other controls raw and a backslash
 * single; here they stay escaped, since the column reaches a terminal.)
 * `quote` (0: none), the character around the column (-E quote), is
 * written \<quote> inside it, where tshark writes it bare. */
void esc_field(outbuf *o, const uint8_t *s, size_t n, char quote);

#endif
