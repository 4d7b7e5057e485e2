/* application/x-msnmsgrp2p — MSNC1/P2P of Messenger 6.0 and later (MSNP9+),
 * NOT MSNP8 (protocol reference §6.3 [L]): display pictures, custom emoticons,
 * the newer file transfer. Header "P2P-Dest: <handle>"; the body is a 48-byte
 * little-endian binary header, the data, and a 4-byte big-endian
 * application-id footer. Every read is bounds-checked. */
#ifndef MSNP_P2P_H
#define MSNP_P2P_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/codes.h"
#include "msnp/mime.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MSNP_P2P_HEADER_LEN 48
#define MSNP_P2P_FOOTER_LEN 4

enum {
    MSNP_P2P_ISSUE_SHORT_HEADER = 1u << 0, /* body shorter than 48 bytes: nothing decoded */
    MSNP_P2P_ISSUE_DATA_TRUNCATED = 1u << 1, /* MessageLength runs past the body */
    MSNP_P2P_ISSUE_NO_FOOTER = 1u << 2,      /* fewer than 4 bytes after the data */
    MSNP_P2P_ISSUE_TRAILING = 1u << 3,       /* bytes after the footer */
    MSNP_P2P_ISSUE_NO_DEST = 1u << 4         /* no P2P-Dest header */
};

typedef struct msnp_p2p {
    msnp_span dest;   /* P2P-Dest header */
    msnp_span header; /* the 48 binary bytes */
    uint8_t has_header;
    uint32_t session_id; /* 0: the data is MSNSLP text */
    uint32_t identifier;
    uint64_t offset;
    uint64_t total_size;
    uint32_t message_length;
    uint32_t flags;
    uint32_t ack_identifier;
    uint32_t ack_unique_id;
    uint64_t ack_data_size;
    msnp_span data; /* MessageLength bytes, clipped to the body */
    uint8_t has_footer;
    uint32_t app_id;     /* the footer, big-endian */
    msnp_span slp_line;  /* session 0: the first line of the MSNSLP text, e.g.
                            "INVITE MSNMSGR:bob@hotmail.com MSNSLP/1.0" */
    uint32_t issues;     /* MSNP_P2P_ISSUE_* */
} msnp_p2p;

/* Decode the binary part `body` of payload p (spans relative to p). Every
 * member but `dest` is reset: zero the struct, or set dest, first. */
void msnp_p2p_decode_body(const uint8_t *p, msnp_span body, msnp_p2p *out);

/* The whole MSG payload: P2P-Dest header and body. */
void msnp_p2p_decode(const uint8_t *p, size_t n, const msnp_mime *m, msnp_p2p *out);

extern const msnp_code_table msnp_p2p_issue_table;

#ifdef __cplusplus
}
#endif
#endif
