/* The command parser: a framed command line -> command, TrID, arguments and
 * the matching form of the command table. Pure: no state, no allocation. */
#ifndef MSNP_PARSE_H
#define MSNP_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/commands.h"
#include "msnp/errors.h"
#include "msnp/framer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the caller already knows about the connection. */
typedef struct msnp_parse_ctx {
    uint8_t roles;       /* candidate roles (MSNP_R_*); MSNP_R_ANY if unknown */
    uint8_t dirs;        /* MSNP_D_C2S, MSNP_D_S2C, or MSNP_D_ANY if unknown */
    uint8_t in_syn_dump; /* the server is in the middle of a SYN dump */
    /* The caller wants the meaning only, not the evidence: matching stops at
     * the form that will be chosen, so match_roles, match_dirs and nmatch
     * cover the forms up to that one only. */
    uint8_t meaning_only;
} msnp_parse_ctx;

/* Whether two contexts parse a line alike: a parse made with one serves the
 * other (callers keep a parse and reuse it while nothing new is known). Both
 * choose the same form whatever meaning_only says. */
static inline int msnp_parse_ctx_same(const msnp_parse_ctx *a, const msnp_parse_ctx *b)
{
    return a->roles == b->roles && a->dirs == b->dirs && a->in_syn_dump == b->in_syn_dump;
}

/* Why a line did not parse cleanly (bits). */
enum {
    MSNP_PI_UNKNOWN_COMMAND = 1u << 0, /* not in the table */
    MSNP_PI_NO_FORM = 1u << 1,         /* known command, arguments fit no form */
    MSNP_PI_UNKNOWN_ERROR = 1u << 2,   /* numeric reply with an unknown code */
    MSNP_PI_LEN_POSITION = 1u << 3     /* payload length not where MSNP8 puts it */
};

typedef struct msnp_command {
    const msnp_command_info *info; /* NULL for error replies and unknowns */
    const msnp_form *form;         /* best matching form, or NULL */
    const msnp_error_info *error;  /* numeric reply with a known code */
    unsigned error_code;           /* numeric reply: its code, else 0 */
    uint8_t is_error;
    uint8_t has_trid;
    uint32_t trid;
    uint8_t first_arg;   /* token index of the first argument */
    uint8_t nargs;       /* arguments = tokens after command and TrID */
    uint8_t match_roles; /* roles of all forms that match (evidence) */
    uint8_t match_dirs;  /* directions of all forms that match (evidence) */
    uint8_t nmatch;      /* how many forms matched (see meaning_only) */
    uint8_t era;         /* msnp_era of the matched form (or the command) */
    uint8_t issues;      /* MSNP_PI_* */
} msnp_command;

/* Parse a MSNP_PDU_COMMAND. base is the buffer the PDU's spans refer to. */
void msnp_parse_command(const msnp_parse_ctx *ctx, const uint8_t *base,
                        const msnp_pdu *pdu, msnp_command *out);

/* The i-th argument's span (i from 0), or {0,0} past the end. */
msnp_span msnp_command_arg(const msnp_command *c, const msnp_pdu *pdu, unsigned i);

/* Name of the i-th argument in the matched form ("user", "nick", ...).
 * Sets *urlenc when the form marks it URL-encoded. Returns the length of the
 * name (0 when the form has no name for it) and points *name at it. */
size_t msnp_command_arg_name(const msnp_command *c, unsigned i, const char **name,
                             int *urlenc);

/* Index of the first argument named `name` (e.g. "user"), or -1. */
int msnp_command_find_arg(const msnp_command *c, const msnp_pdu *pdu, const char *name);

/* Index of the argument named name[0..len) in a form's list of names, or -1;
 * *urlenc set when the form marks it URL-encoded ("nick%"). A variadic last
 * name ("name...") is found at its own index. */
int msnp_form_arg_index(const msnp_form *form, const char *name, size_t len, int *urlenc);

/* True when a line matches `form` (used by tests and the form matcher). */
int msnp_form_matches(const msnp_form *form, const uint8_t *base, const msnp_pdu *pdu,
                      uint8_t roles, uint8_t dirs);

/* Render the meaning of a parsed command into out (NUL-terminated, truncated
 * to size). The text may contain bytes taken from the capture (arguments,
 * URL-decoded names): callers escape it for their medium. Never empty.
 * Returns the length written. */
size_t msnp_render_meaning(const msnp_command *c, const uint8_t *base, const msnp_pdu *pdu,
                           char *out, size_t size);

/* True when `name` is a computed renderer usable as {arg:name} in a meaning
 * template (besides the value tables of values.h). */
int msnp_meaning_renderer_known(const char *name, size_t len);

#ifdef __cplusplus
}
#endif
#endif
