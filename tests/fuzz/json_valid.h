/* Strict validation of one JSON text (RFC 8259): exactly one value, strings
 * of valid UTF-8 without raw control characters, escapes and numbers as the
 * grammar has them, nesting at most 64 deep. The output checker of the
 * pipeline harness and the hostile-capture tests' contract: every line msnpdump
 * writes with -T jsonl is one JSON object. */
#ifndef MSNP_FUZZ_JSON_VALID_H
#define MSNP_FUZZ_JSON_VALID_H

#include <stddef.h>
#include <stdint.h>

/* NULL when s[0..n) is one JSON object (surrounding blanks allowed); else
 * what is wrong, with *where set to the byte offset where it was found. */
const char *json_object_check(const uint8_t *s, size_t n, size_t *where);

#endif
