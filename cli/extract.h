/* --extract DIR: the files carried over MSNFTP, written as they arrive and
 * named, when the transfer ends, after the invitation's file name made safe
 * (no directories, no control characters, no hidden names, no overwriting). */
#ifndef MSNPDUMP_EXTRACT_H
#define MSNPDUMP_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

typedef struct extractor extractor;

/* DIR must exist or be creatable. NULL with a message in err. */
extractor *extractor_new(const char *dir, char *err, size_t errsize);

/* File data of connection `conn`, in stream order. */
void extractor_data(extractor *x, uint64_t conn, const uint8_t *p, size_t n);

/* The transfer on `conn` is over: give its file a name from `file_name`
 * (UTF-8 from the invitation, may be hostile or empty), marked incomplete
 * unless `complete`. Returns the path written (valid until the next call),
 * or NULL when nothing was received or writing failed. */
const char *extractor_finish(extractor *x, uint64_t conn, const char *file_name, int complete);

/* Makes `name` safe as one file name in place-independent form: out gets at
 * most size-1 bytes. Exposed for tests. */
void extractor_safe_name(const char *name, char *out, size_t size);

/* Errors while writing (reported once in the summary). */
uint64_t extractor_errors(const extractor *x);

void extractor_free(extractor *x);

#endif
