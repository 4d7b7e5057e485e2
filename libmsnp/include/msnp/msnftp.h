/* MSNFTP, the file transfer that follows a text/x-msmsgsinvite negotiation
 * (protocol reference §7): the state of one transfer, fed with the command
 * lines of both directions (VER, USR, FIL, TFR, BYE, CCL) and the binary
 * blocks the framer delivers after FIL. It counts blocks and bytes, hashes the
 * file data incrementally, and says how the transfer ended. Pure state: no
 * I/O, no allocation; writing the file is the caller's business. */
#ifndef MSNP_MSNFTP_H
#define MSNP_MSNFTP_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/codes.h"
#include "msnp/md5.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum msnp_ftp_outcome {
    MSNP_FTP_PENDING = 0, /* not over yet (or no FIL seen) */
    MSNP_FTP_COMPLETE,    /* the sender sent every byte FIL announced */
    MSNP_FTP_INCOMPLETE,  /* the connection ended before that */
    MSNP_FTP_ABORTED,     /* the sender sent a 0x01 block before the end */
    MSNP_FTP_CANCELLED    /* the receiver sent CCL before the end */
} msnp_ftp_outcome;

/* The MSNFTP command lines (§7). */
typedef enum msnp_ftp_command {
    MSNP_FTP_CMD_NONE = 0, /* not an MSNFTP command */
    MSNP_FTP_CMD_VER,
    MSNP_FTP_CMD_USR,
    MSNP_FTP_CMD_FIL,
    MSNP_FTP_CMD_TFR,
    MSNP_FTP_CMD_BYE,
    MSNP_FTP_CMD_CCL
} msnp_ftp_command;

enum {
    MSNP_FTP_ISSUE_BAD_FIL = 1u << 0,        /* FIL without a decimal size */
    MSNP_FTP_ISSUE_SECOND_FIL = 1u << 1,     /* another FIL (ignored) */
    MSNP_FTP_ISSUE_DATA_BEFORE_FIL = 1u << 2,
    MSNP_FTP_ISSUE_OVERRUN = 1u << 3,        /* more data than FIL announced */
    MSNP_FTP_ISSUE_BLOCK_TOO_LONG = 1u << 4, /* a block above 2045 data bytes */
    MSNP_FTP_ISSUE_BAD_BYE = 1u << 5,        /* BYE code not a number */
    MSNP_FTP_ISSUE_UNKNOWN_BYE = 1u << 6,    /* BYE code not in the table */
    MSNP_FTP_ISSUE_BAD_USR = 1u << 7,        /* USR without handle and decimal cookie */
    MSNP_FTP_ISSUE_DATA_AFTER_END = 1u << 8, /* data after an abort block or CCL */
    MSNP_FTP_ISSUE_GAP = 1u << 9             /* file bytes missing from the capture */
};

typedef struct msnp_ftp_transfer {
    uint8_t have_size, have_cookie, tfr_seen, aborted, cancelled, ended, have_bye;
    uint64_t size;        /* FIL */
    uint64_t auth_cookie; /* USR handle cookie: the invitation's AuthCookie */
    uint64_t blocks;      /* data blocks (type 0x00) */
    uint64_t bytes;       /* file bytes received (at most size) */
    uint64_t missing;     /* file bytes lost in capture gaps (counted, not hashed) */
    uint64_t overrun;     /* data bytes beyond size */
    uint64_t bye_code;
    const char *bye_text; /* meaning of the BYE code (value table "ftp_bye"), or NULL */
    msnp_md5_ctx md5;     /* of the file bytes, in order */
    uint32_t issues;      /* MSNP_FTP_ISSUE_* */
} msnp_ftp_transfer;

void msnp_ftp_init(msnp_ftp_transfer *t);

/* A command line of either direction, without its CR/LF. Returns which
 * command it was (MSNP_FTP_CMD_NONE for anything else, which changes
 * nothing). */
msnp_ftp_command msnp_ftp_line(msnp_ftp_transfer *t, const uint8_t *line, size_t len);

/* A binary block: type 0x00 with its data, or 0x01 (end/abort, no data). */
void msnp_ftp_block(msnp_ftp_transfer *t, uint8_t type, const uint8_t *data, size_t len);

/* `missing` bytes of file data were lost in the capture. */
void msnp_ftp_gap(msnp_ftp_transfer *t, uint64_t missing);

/* The connection ended (FIN, RST or end of capture). */
void msnp_ftp_end(msnp_ftp_transfer *t);

msnp_ftp_outcome msnp_ftp_get_outcome(const msnp_ftp_transfer *t);
const char *msnp_ftp_outcome_name(msnp_ftp_outcome o); /* "complete", ... */

/* The MD5 of the file as 32 hex digits and a NUL: returns 1 when it is the
 * MD5 of the whole file (every byte seen, none lost), else 0 and out = "". */
int msnp_ftp_md5_hex(const msnp_ftp_transfer *t, char out[MSNP_MD5_HEX_LEN + 1]);

extern const msnp_code_table msnp_ftp_issue_table;

#ifdef __cplusplus
}
#endif
#endif
