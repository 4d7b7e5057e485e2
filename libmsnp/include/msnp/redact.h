/* Credentials in MSNP traffic, and masking them (msnpdump --redact).
 *
 * One table says what is a secret, for both faces:
 *   - command arguments, by the command table's argument names: the Passport
 *     ticket of USR TWN S (t=...&p=...), the switchboard cookies of XFR SB,
 *     RNG, the switchboard's USR and ANS, the MSNFTP USR's AuthCookie, the
 *     hash of legacy MD5 logins and the ticket and signed nonce of later
 *     versions' SSO logins;
 *   - "Name: value" fields of payloads: MSPAuth and MSPProf (the Passport
 *     cookies of the profile message, protocol reference §6.2), AuthCookie
 *     (invitation ACCEPT, §6.3), and the HTTP credential headers a gateway
 *     carrier may show (Authorization, Cookie, ...).
 * Not secrets: the server's USR TWN S parameters (lc=...,tpf=...), CHL
 * challenges and QRY answers (they prove the client program, not the user),
 * session ids, Invitation-Cookie, the profile's sid and kv.
 *
 * Masking keeps every byte where it is: a secret of n bytes becomes n bytes,
 * so every span computed on the original stays valid for the masked copy.
 * The masking itself is the caller's (msnp_masker): plain '*' bytes, or
 * msnp_labeler's "****#3", which gives equal secrets equal masks so that a
 * redacted output still shows which switchboard used which cookie.
 * No I/O; msnp_labeler allocates once, at creation. */
#ifndef MSNP_REDACT_H
#define MSNP_REDACT_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/framer.h"
#include "msnp/parse.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MSNP_REDACT_MASK '*'

/* A command argument that is a credential: command, argument name (as in the
 * command table's forms), what it is. */
typedef struct msnp_secret_arg {
    char cmd[4];
    const char *arg;
    const char *what;
} msnp_secret_arg;

/* A "Name: value" field whose value is a credential (names compare
 * case-insensitively). */
typedef struct msnp_secret_field {
    const char *name;
    const char *what;
} msnp_secret_field;

size_t msnp_secret_arg_count(void);
const msnp_secret_arg *msnp_secret_arg_at(size_t i);
size_t msnp_secret_field_count(void);
const msnp_secret_field *msnp_secret_field_at(size_t i);

/* Is argument `name` (name_len bytes, without the '%' or "..." marks) of
 * command `cmd` (3 bytes) a credential? */
int msnp_secret_arg_is(const uint8_t *cmd, const char *name, size_t name_len);
/* Is a field of this name a credential? */
int msnp_secret_field_is(const uint8_t *name, size_t len);

/* How a secret is masked: mask(ctx, p, n) overwrites p[0..n) with n bytes
 * (never a CR, LF or space, so lines and tokens stay where they were). A
 * NULL masker or mask function fills with MSNP_REDACT_MASK. */
typedef struct msnp_masker {
    void (*mask)(void *ctx, uint8_t *p, size_t n);
    void *ctx;
} msnp_masker;

/* Mask the credentials of one framed command, in buf: a copy of the PDU's
 * pdu->len bytes that the caller owns (pdu's spans are relative to it).
 * `cmd` is its parse with `ctx` (NULL: any role and direction). Arguments
 * are masked by the name every form that fits the line under ctx gives
 * them; a line of a command that carries secrets but fits none of its forms
 * has every argument masked that is not the TrID, a handle, an address or a
 * keyword of the command's forms. The payload is masked as by
 * msnp_redact_payload(). Returns the number of bytes masked. */
size_t msnp_redact_pdu(const msnp_parse_ctx *ctx, const msnp_command *cmd, const msnp_pdu *pdu,
                       uint8_t *buf, const msnp_masker *m);

/* A payload (MIME header block and body): the values of secret fields in the
 * header block, and in the body too unless it is text/plain (a message's
 * text is someone's words, not a field list). */
size_t msnp_redact_payload(uint8_t *p, size_t n, const msnp_masker *m);

/* Capture bytes that did not frame or parse (anomaly samples, bytes skipped
 * while resynchronising; they may start or end mid-line): secret fields on
 * any line, lines of commands that carry secrets masked as lines that fit no
 * form, and any token shaped like a Passport ticket (t=...&p=...). */
size_t msnp_redact_bytes(uint8_t *p, size_t n, const msnp_masker *m);

/* ---- labelled masks ------------------------------------------------------ */

/* Gives each distinct secret a number, in the order secrets are masked, and
 * masks it as '*' bytes ending in "#number" (all '*' when the secret is too
 * short to hold the label). Bounded: `slots` secrets are remembered (a
 * power of two is used); when the table fills it is emptied, so a secret
 * seen again after that gets a new number (a lost link, never a false one).
 * Only 64-bit digests of the secrets are kept. */
typedef struct msnp_labeler msnp_labeler;

msnp_labeler *msnp_labeler_new(uint32_t slots);
void msnp_labeler_free(msnp_labeler *l);
/* The masker to pass to msnp_redact_*(). */
msnp_masker msnp_labeler_masker(msnp_labeler *l);
/* Bytes allocated for `slots` (for memory budgets). */
size_t msnp_labeler_bytes(uint32_t slots);

#ifdef __cplusplus
}
#endif
#endif
