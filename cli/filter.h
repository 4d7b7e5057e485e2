/* -Y display filters over records, in Wireshark's syntax for the part users
 * type most:
 *   field                         the field has a value
 *   field == value, !=, <, <=, >, >=   (also eq ne lt le gt ge)
 *   field contains "text"         substring
 *   field matches "regex"         POSIX extended; "(?i)" prefix: ignore case
 *   a && b, a || b, !a, (a)       (also and, or, not)
 * Values are "quoted strings" (\" and \\ escapes), numbers or bare words. A
 * field with several values (msnp.arg) matches when any value does; != is
 * true when the field is there and no value equals it. */
#ifndef MSNPDUMP_FILTER_H
#define MSNPDUMP_FILTER_H

#include <stddef.h>

#include "fields.h"
#include "records.h"

typedef struct filter filter;

/* NULL on a syntax error, with a message (and position) in err. */
filter *filter_compile(const char *expr, char *err, size_t errsize);
/* scratch: the caller's buffers for payload fields (fields.h), reused. */
int filter_match(const filter *f, const record *r, field_scratch *scratch);
void filter_free(filter *f);

#endif
