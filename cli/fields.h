/* Record fields by name: the vocabulary that -Y filters, -T fields -e columns
 * and the Wireshark plugin share. "msnp.cmd" and "cmd" name the same field
 * (msnpdump's JSON key is the name without "msnp."); every argument name of
 * the command table is a field too (msnp.user, msnp.nick, msnp.cookie, ...),
 * and so is every value libmsnp's payload decoders name (msnp.msg.text,
 * msnp.invite.cookie, msnp.qry.verified, ...: the vocabulary of payload.h). */
#ifndef MSNPDUMP_FIELDS_H
#define MSNPDUMP_FIELDS_H

#include <stddef.h>

#include "records.h"
#include "scratch.h"

typedef enum fvalue_type { FV_STR, FV_NUM } fvalue_type;

typedef struct fvalue {
    fvalue_type type;
    const char *s; /* FV_STR: bytes (not NUL-terminated), maybe capture bytes */
    size_t n;
    double num;    /* FV_NUM */
} fvalue;

/* Return nonzero to stop the enumeration. */
typedef int (*fvalue_fn)(void *ctx, const fvalue *v);

typedef struct field_ref {
    int builtin;       /* index into the built-in table, or -1 */
    int vocab;         /* a decoded payload value (msnp_vocab_id, payload.h), or -1 */
    char arg[40];      /* otherwise an argument name (without "msnp.") */
} field_ref;

/* 0 when name is a known field, -1 otherwise. */
int field_resolve(const char *name, field_ref *out);

/* Buffers field_values() keeps from one record to the next, so that payload
 * fields cost no allocation per command: the decoded payload, its decoded
 * strings, and a value put together (hex digits, "key: value"). Start it
 * zeroed; field_scratch_free() releases it. */
typedef struct field_scratch {
    scratch_buf payload, decoded, text;
} field_scratch;

void field_scratch_free(field_scratch *s);

/* Call fn for every value the field has in r (none, one, or several). A
 * value is valid while fn runs. */
void field_values(const field_ref *f, const record *r, field_scratch *s, fvalue_fn fn,
                  void *ctx);

/* The list of field names, for --help and errors ("msnp.cmd", ...). */
void field_list(void (*fn)(void *ctx, const char *name, const char *text), void *ctx);

#endif
