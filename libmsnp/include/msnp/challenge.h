/* CHL/QRY: the server's challenge and the client's answer (protocol reference
 * §3.4). MSNP8 clients answer with the lower-case hex of MD5(challenge ||
 * client key), the key belonging to the product id on the QRY line. Product
 * ids of MSNP11 and later (PROD0090..., PROD0101..., ...) use a different
 * algorithm, implemented here too (it is not part of the reference: see
 * challenge.c for its sources and tests/unit for the published vectors). */
#ifndef MSNP_CHALLENGE_H
#define MSNP_CHALLENGE_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/codes.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MSNP_QRY_ANSWER_LEN 32

typedef enum msnp_qry_algorithm {
    MSNP_QRY_ALG_MD5 = 0, /* MD5(challenge || key): MSNP6-10, including MSNP8 */
    MSNP_QRY_ALG_MSNP11   /* the MSNP11+ algorithm: MD5 plus a 64-bit mixing step */
} msnp_qry_algorithm;

typedef struct msnp_qry_client {
    const char *product_id; /* as on the QRY line */
    const char *key;
    uint8_t algorithm; /* msnp_qry_algorithm */
    uint8_t era;       /* msnp_era (commands.h) of the product id */
    const char *since; /* for later-version ids: "MSNP11+", ...; NULL for MSNP8's */
    const char *client; /* which client the product id claims, in plain words */
} msnp_qry_client;

typedef enum msnp_qry_status {
    MSNP_QRY_VERIFIED = 0,    /* the answer is the right one */
    MSNP_QRY_WRONG,           /* a known product id, but not the right answer */
    MSNP_QRY_UNKNOWN_CLIENT,  /* product id not in the table: cannot be checked */
    MSNP_QRY_MALFORMED,       /* the answer is not 32 hex digits */
    MSNP_QRY_NO_CHALLENGE     /* the challenge was not seen */
} msnp_qry_status;

enum {
    MSNP_QRY_ISSUE_UPPERCASE = 1u << 0, /* hex digits in upper case (clients send lower) */
    MSNP_QRY_ISSUE_ODD_CHALLENGE = 1u << 1 /* challenge is not all decimal digits */
};

typedef struct msnp_qry_result {
    uint8_t status;                 /* msnp_qry_status */
    const msnp_qry_client *client;  /* NULL for an unknown product id */
    char expected[MSNP_QRY_ANSWER_LEN + 1]; /* the right answer, when client and challenge known */
    uint32_t issues;                /* MSNP_QRY_ISSUE_* */
} msnp_qry_result;

/* Check a QRY: challenge from the CHL line, client id from the QRY line, the
 * 32-byte payload as answer. challenge may be NULL (not seen). */
void msnp_qry_verify(const uint8_t *challenge, size_t challenge_len, const uint8_t *client_id,
                     size_t client_id_len, const uint8_t *answer, size_t answer_len,
                     msnp_qry_result *out);

/* The right answer of client c to a challenge, as 32 lower-case hex digits and
 * a NUL. */
void msnp_qry_answer(const msnp_qry_client *c, const uint8_t *challenge, size_t challenge_len,
                     char out[MSNP_QRY_ANSWER_LEN + 1]);

/* The product id table. */
const msnp_qry_client *msnp_qry_client_find(const uint8_t *id, size_t len);
size_t msnp_qry_client_count(void);
const msnp_qry_client *msnp_qry_client_at(size_t i);

extern const msnp_code_table msnp_qry_issue_table;

/* "verified", "wrong", ... and a sentence saying what that means. */
const char *msnp_qry_status_name(msnp_qry_status s);
const char *msnp_qry_status_text(msnp_qry_status s);

#ifdef __cplusplus
}
#endif
#endif
