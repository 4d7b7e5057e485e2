/* Teaching knowledge shared by both faces (msnpdump's explain view, the
 * plugin): where a line stands in the protocol's procedures (signing in,
 * starting or joining a conversation, the challenge, the keep-alive, an
 * MSNFTP transfer), how each command is answered and which errors it can
 * get, the line shape of every form, and plain-language sentences for error
 * replies, acknowledgement modes and MSG payloads.
 *
 * Tables and pure functions: no state, no allocation, no I/O. Whatever
 * context a caller follows across lines (which request a reply answers, how
 * far a SYN dump has gone, which cookie came from where) stays with the
 * caller. Protocol reference §3, §5, §7, §9, §11. */
#ifndef MSNP_EXPLAIN_H
#define MSNP_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/commands.h"
#include "msnp/framer.h"
#include "msnp/parse.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Procedures and their steps ------------------------------------------ */

typedef enum msnp_procedure_id {
    MSNP_PROC_REFERRAL,  /* DS: VER, CVR, USR TWN I -> XFR NS (§3.1, §9.1) */
    MSNP_PROC_LOGIN,     /* NS: VER, CVR, USR TWN I/S, Passport, USR TWN S/OK */
    MSNP_PROC_LOGIN_MD5, /* the legacy MD5 login of MSNP2-7 */
    MSNP_PROC_CALL,      /* caller: XFR SB, USR, CAL, JOI (§9.5) */
    MSNP_PROC_ANSWER,    /* callee: RNG, ANS, IRO..., ANS OK (§9.6) */
    MSNP_PROC_CHALLENGE, /* CHL, QRY, QRY (§3.4) */
    MSNP_PROC_KEEPALIVE, /* PNG, QNG (§3.4) */
    MSNP_PROC_TRANSFER,  /* MSNFTP: VER, VER, USR, FIL, TFR, data, BYE (§7) */
    MSNP_PROC_COUNT
} msnp_procedure_id;

typedef struct msnp_procedure {
    const char *name;  /* stable identifier for machine output: "login" */
    const char *title; /* "signing in at the notification server" */
    uint8_t steps;     /* numbered 1..steps */
    uint8_t offstage;  /* a step no captured connection carries (the Passport
                          HTTPS exchange), or 0 */
} msnp_procedure;

/* One line's part in a procedure. A line is this step when its connection's
 * role is in `roles`, its sender's direction in `dirs`, its command is `cmd`,
 * its leading arguments fit `match` (msnp_form.match's language) and, when
 * `kind` is not 0, the request/response pairing (trid.h) classified it as
 * that msnp_txn_kind. */
typedef struct msnp_step {
    uint8_t procedure; /* msnp_procedure_id */
    uint8_t number;
    uint8_t roles;     /* MSNP_R_* */
    uint8_t dirs;      /* MSNP_D_* */
    uint8_t kind;      /* msnp_txn_kind, or 0 for any */
    const char *cmd;   /* "USR"; "" for the MSNFTP file data */
    const char *match; /* NULL: any arguments */
    const char *text;  /* what the line does at this step */
    const char *next;  /* requests: what answers it at this step; else NULL */
} msnp_step;

const msnp_procedure *msnp_procedure_get(unsigned id); /* NULL past the end */

/* The step a command line is, or NULL. role may be MSNP_ROLE_UNKNOWN (the
 * matched form's roles are used) and dir MSNP_DIR_UNKNOWN (no step then). */
const msnp_step *msnp_step_find(msnp_role role, msnp_dir dir, unsigned txn_kind,
                                const uint8_t *base, const msnp_pdu *pdu,
                                const msnp_command *cmd);
/* The MSNFTP step that carries the file as binary blocks. */
const msnp_step *msnp_step_file_data(void);

size_t msnp_step_count(void);
const msnp_step *msnp_step_at(size_t i);

/* ---- How each command is answered, and the errors it can get -------------- */

#define MSNP_GUIDE_MAX_ERRORS 10

typedef struct msnp_command_guide {
    const char *name;     /* "ADD" */
    const char *exchange; /* how a request is answered, or, for lines only a
                             server sends, what they answer or when they come */
    uint16_t errors[MSNP_GUIDE_MAX_ERRORS]; /* codes its requests can get, 0-ended */
} msnp_command_guide;

/* NULL for a name without a guide row (every command of the table has one:
 * tests/unit/test_explain.c checks it). */
const msnp_command_guide *msnp_command_guide_find(const char *name, size_t len);
size_t msnp_command_guide_count(void);
const msnp_command_guide *msnp_command_guide_at(size_t i);

/* What answers a request that is answered only when it fails (PAG, PGD;
 * for MSG the acknowledgement mode says it: msnp_ack_mode_find), or NULL. */
const char *msnp_failure_answer(const char *name, size_t len);

/* The error codes any request can get, whatever the command (server trouble,
 * syntax, not logged in), 0-ended. */
extern const uint16_t msnp_general_errors[];

/* The shape of a form's line, as docs/commands.md writes it: literal tokens
 * as they are, arguments as <name>, optional ones in [...], repeated ones
 * with "...", alternatives as <name=A|B>:
 *   "USR <TrID> TWN I <user>", "ADD 0 RL <list_version> <user> <nick%>".
 * NUL-terminated, truncated to size. Returns the length written. */
size_t msnp_form_syntax(const char *cmd, const msnp_form *f, char *out, size_t size);

/* ---- Sentences ------------------------------------------------------------ */

/* An acknowledgement mode of a client MSG (§5). */
typedef struct msnp_ack_mode {
    const char *mode;    /* "N" */
    const char *name;    /* "negative only" */
    const char *answer;  /* what the switchboard answers: "NAK TrID if delivery fails, else nothing" */
    const char *use;     /* what clients use it for */
    uint8_t era;         /* msnp_era */
} msnp_ack_mode;

const msnp_ack_mode *msnp_ack_mode_find(const uint8_t *v, size_t len);
size_t msnp_ack_mode_count(void);
const msnp_ack_mode *msnp_ack_mode_at(size_t i);

/* "error 215 (ERR_ALREADY_THERE): already there: ...; the server closes the
 * connection after it" — the error table's glossary line for a code, or a
 * sentence saying the code is unknown. Returns the length written. */
size_t msnp_explain_error(unsigned code, char *out, size_t size);

/* What an MSG payload carries, in one sentence, from the payload decoders:
 * "instant message (text/plain): “Hi Bob”, font Arial, bold", "typing
 * notification (text/x-msmsgscontrol): alice@hotmail.com is typing",
 * "invitation (text/x-msmsgsinvite): INVITE, cookie 61582: File Transfer of
 * notes.txt, 5000 bytes; ...". p[0..n) is the payload (n may be 0). The text
 * may contain capture bytes (names, message text, UTF-8 or not): escape it
 * for the medium. Returns the length written. */
size_t msnp_explain_msg_payload(const uint8_t *p, size_t n, char *out, size_t size);

/* The same for the XML documents of NOT and IPG (page = 0) and PAG (page = 1). */
size_t msnp_explain_xml_payload(const uint8_t *p, size_t n, int page, char *out, size_t size);

#ifdef __cplusplus
}
#endif
#endif
