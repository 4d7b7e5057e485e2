/* Incremental framing of one direction of an MSNP byte stream.
 *
 * The contract follows picohttpparser: the caller owns the bytes, the framer
 * reads them and answers with spans (offset + length, relative to the buffer it
 * was given). It never copies, never allocates and never looks past `len`.
 *
 * A PDU is one of:
 *   - a command line (LF or CRLF terminated), plus the payload its last token
 *     announces for the payload commands of the protocol reference §2.4/§2.5;
 *   - an MSNFTP binary block (3-byte header + data), framed after `FIL size`;
 *   - a run of bytes skipped while resynchronising (not MSNP at this point).
 *
 * The caller feeds the unconsumed bytes from the start of the next PDU each
 * time; after MSNP_NEED_MORE it appends more bytes and calls again. The framer
 * remembers how far it already scanned so that re-feeding a growing buffer is
 * linear, not quadratic.
 */
#ifndef MSNP_FRAMER_H
#define MSNP_FRAMER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "msnp/span.h"

#ifdef __cplusplus
extern "C" {
#endif

/* More tokens than this on one line is not MSNP; the last token span then
 * covers the rest of the line so that nothing is lost. */
#define MSNP_MAX_TOKENS 48

#define MSNP_DEFAULT_MAX_LINE 16384u         /* bytes, without CR/LF */
#define MSNP_DEFAULT_MAX_PAYLOAD (1u << 20) /* bytes */

/* An MSNFTP data block carries at most this many bytes (protocol ref. §7). */
#define MSNP_FTP_BLOCK_MAX_DATA 2045u

typedef struct msnp_limits {
    uint32_t max_line;
    uint32_t max_payload;
} msnp_limits;

typedef enum msnp_frame_result {
    MSNP_NEED_MORE = 0, /* nothing consumed; pdu->need more bytes at least */
    MSNP_PDU,           /* a complete PDU of pdu->len bytes */
    MSNP_SKIP,          /* pdu->len bytes are not MSNP; pdu->anomaly says why */
    MSNP_TOO_LONG,      /* a cap was hit; pdu->len bytes consumed, then resync */
} msnp_frame_result;

typedef enum msnp_pdu_kind {
    MSNP_PDU_COMMAND,
    MSNP_PDU_FTP_BLOCK,
    MSNP_PDU_SKIPPED,
    MSNP_PDU_PAYLOAD_TAIL, /* the rest of a payload whose middle was lost */
} msnp_pdu_kind;

/* Why bytes were skipped or a PDU is suspect. Names are the "kind" of the
 * CLI's anomaly records (msnp_anomaly_name). */
typedef enum msnp_anomaly {
    MSNP_ANOM_NONE = 0,
    MSNP_ANOM_MALFORMED,        /* a complete line without command syntax */
    MSNP_ANOM_NOT_MSNP,         /* bytes skipped while looking for a command */
    MSNP_ANOM_LINE_TOO_LONG,    /* no line end within limits.max_line */
    MSNP_ANOM_PAYLOAD_TOO_LONG, /* announced payload above limits.max_payload */
    MSNP_ANOM_BAD_LENGTH,       /* payload command whose length is not a number */
    MSNP_ANOM_BAD_BLOCK,        /* MSNFTP block header that cannot be right */
    MSNP_ANOM_BLOCK_OVERRUN,    /* MSNFTP block longer than 2045 or than FIL left */
    MSNP_ANOM_GAP,              /* bytes missing in the stream (told by caller) */
    MSNP_ANOM_TRUNCATED,        /* the stream ended inside a PDU (told by caller) */
    MSNP_ANOM_COUNT
} msnp_anomaly;

typedef enum msnp_framer_mode {
    MSNP_MODE_LINE,   /* at a command boundary */
    MSNP_MODE_RESYNC, /* looking for the next line that starts like a command */
    MSNP_MODE_FTP_DATA, /* MSNFTP: binary blocks until ftp_left bytes are sent */
    MSNP_MODE_TAIL      /* skipping the rest of a payload cut by a gap */
} msnp_framer_mode;

/* Framing state of one direction. Plain data: copy it to snapshot a stream
 * position (the dissector keeps one per frame for re-dissection). */
typedef struct msnp_framer {
    msnp_limits limits;
    uint8_t mode;       /* msnp_framer_mode */
    uint8_t saw_fil;    /* an MSNFTP FIL was framed: 0x00/0x01 start blocks */
    uint8_t at_line_start; /* RESYNC: offset 0 of the next buffer starts a line */
    uint64_t ftp_left;  /* bytes of file data still expected after FIL */
    uint64_t tail_left; /* MSNP_MODE_TAIL: payload bytes still to skip */
    uint8_t tail_then;  /* mode to return to after the tail */
    uint32_t scanned;   /* bytes of the pending line already known LF-free */
} msnp_framer;

typedef struct msnp_pdu {
    uint8_t kind;        /* msnp_pdu_kind */
    uint8_t anomaly;     /* msnp_anomaly; may be set on a MSNP_PDU too */
    uint8_t eol_len;     /* 2 CRLF, 1 LF, 0 none (cut line) */
    uint8_t has_payload;
    uint8_t irregular_spacing; /* leading, trailing or doubled spaces */
    uint8_t block_type;  /* MSNFTP: 0 data, 1 end/abort */
    uint8_t too_many_tokens; /* the last kept token spans the rest of the line */
    uint16_t ntok;       /* tokens kept in tok[], at most MSNP_MAX_TOKENS */
    uint32_t len;        /* bytes consumed */
    uint32_t line_len;   /* the command line without its CR/LF */
    msnp_span payload;   /* valid when has_payload (MSNFTP: the block data) */
    uint64_t declared;   /* payload length the line announced (saturated) */
    uint64_t need;       /* with MSNP_NEED_MORE: bytes still needed, >= 1 */
    uint64_t missing;    /* payload bytes lost in a gap (msnp_framer_gap_in_pdu) */
    msnp_span tok[MSNP_MAX_TOKENS];
} msnp_pdu;

/* Copy a PDU without the unused tail of its token array (most of its size). */
static inline void msnp_pdu_copy(msnp_pdu *dst, const msnp_pdu *src)
{
    unsigned n = src->ntok < MSNP_MAX_TOKENS ? src->ntok : MSNP_MAX_TOKENS;
    memcpy(dst, src, offsetof(msnp_pdu, tok) + n * sizeof src->tok[0]);
}

/* Start states: a stream seen from its first byte begins at a command; one
 * picked up mid-session (no SYN) may begin inside a line or a payload. */
typedef enum msnp_stream_start {
    MSNP_START_AT_COMMAND,
    MSNP_START_MIDSTREAM
} msnp_stream_start;

void msnp_limits_default(msnp_limits *l);
void msnp_framer_init(msnp_framer *f, const msnp_limits *l, msnp_stream_start start);

/* Frame the next PDU at the start of buf[0..len). */
msnp_frame_result msnp_framer_next(msnp_framer *f, const uint8_t *buf, size_t len,
                                   msnp_pdu *pdu);

/* The stream lost bytes before the next data: forget the partial PDU state
 * and resynchronise at the next line that starts like a command. */
void msnp_framer_gap(msnp_framer *f);

/* The stream lost `missing` bytes right after buf[0..len), an incomplete PDU.
 * When buf holds a complete command line whose payload (or an MSNFTP block
 * header whose data) the gap falls into, the PDU is still known: it is
 * returned in *pdu (payload span = the bytes present, pdu->missing = the
 * bytes lost, anomaly MSNP_ANOM_TRUNCATED) and the framer skips exactly the
 * rest of that payload after the gap, keeping sync (1 is returned; the
 * caller consumes pdu->len = len bytes). Otherwise returns 0 and behaves as
 * msnp_framer_gap(). */
int msnp_framer_gap_in_pdu(msnp_framer *f, const uint8_t *buf, size_t len, uint64_t missing,
                           msnp_pdu *pdu);

/* True when the line at buf (a complete line of line_len bytes, no CR/LF)
 * starts like an MSNP command: used for resynchronisation and detection. */
int msnp_line_looks_like_command(const uint8_t *line, size_t line_len);

const char *msnp_anomaly_name(msnp_anomaly a);
const char *msnp_anomaly_text(msnp_anomaly a);

/* Convenience for token access. */
static inline msnp_span msnp_pdu_token(const msnp_pdu *p, unsigned i)
{
    msnp_span none = {0, 0};
    return i < p->ntok && i < MSNP_MAX_TOKENS ? p->tok[i] : none;
}

#ifdef __cplusplus
}
#endif
#endif
