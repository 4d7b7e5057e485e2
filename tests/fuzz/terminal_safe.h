/* Output that reaches a terminal: only printable text and line ends. The
 * property msnpdump's text output must have whatever the capture holds
 * (escape.h): no C0 control byte but LF, no DEL, valid UTF-8, no C1 control
 * characters (U+0080-U+009F, which some terminals take for ESC [ etc.), and no
 * bidirectional embedding, override or isolate (U+202A-U+202E, U+2066-U+2069,
 * which reorder what the reader sees). */
#ifndef MSNP_FUZZ_TERMINAL_SAFE_H
#define MSNP_FUZZ_TERMINAL_SAFE_H

#include <stddef.h>
#include <stdint.h>

/* NULL when s[0..n) is safe to print; else what is not, with *where set to
 * its byte offset. */
const char *terminal_safe_check(const uint8_t *s, size_t n, size_t *where);

#endif
