/* CHL/QRY answers (protocol reference §3.4).
 *
 * The MD5 pairs are the reference's (§3.4; Escargot's misc.py, Gaim, msnlib,
 * ...). The MSNP11+ pairs come from Escargot's table (front/msn/misc.py,
 * _QRY_ID_CODES), which groups them by the newest version that accepted them;
 * a client is named only where a source says which client used the id: KDE
 * Kopete's challenge tests and code (PROD0101 = MSN Messenger 7.0.0813,
 * PROD01065 = Windows Live Messenger 8, PROD0113 = 8.1.0168, PROD0114 =
 * 8.1.0178, PROD0118 = the 8.5 beta) and Escargot (PROD0120 = WLM 2009).
 *
 * The MSNP11 algorithm follows the NINA wiki's "MSNP11/Challenges" page
 * (formerly MSNPiki). The unit tests check it against the vectors published
 * with three implementations: Eclipse ECF's ChallengeTest (PROD0090; its first
 * is also the wiki's worked example), Kopete's challengetest.cpp (PROD0101,
 * PROD01065) and em-msn's challenge_spec.rb (PROD0113). */
#include "msnp/challenge.h"

#include <string.h>

#include "msnp/commands.h"
#include "msnp/md5.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define THIRD_PARTY "a third-party client (product id accepted by MSNP6-10 servers; the client "\
                    "is not named in the reference)"

static const msnp_qry_client clients[] = {
    {"msmsgs@msnmsgr.com", "Q1P7W2E4J9R8U3S5", MSNP_QRY_ALG_MD5, MSNP_ERA_MSNP8, NULL,
     "MSN Messenger 5 or 6 (the official client)"},
    {"PROD0038W!61ZTF9", "VT6PX?UQTM4WM%YR", MSNP_QRY_ALG_MD5, MSNP_ERA_MSNP8, NULL,
     "a third-party client (Gaim, msnlib, SIM, Trillian emulation)"},
    {"PROD0058#7IL2{QD", "QHDCY@7R1TB6W?5B", MSNP_QRY_ALG_MD5, MSNP_ERA_MSNP8, NULL,
     THIRD_PARTY},
    {"PROD0061VRRZH@4F", "JXQ6J@TUOGYV@N0M", MSNP_QRY_ALG_MD5, MSNP_ERA_MSNP8, NULL,
     THIRD_PARTY},
    {"PROD00504RLUG%WL", "I2EBK%PYNLZL5_J4", MSNP_QRY_ALG_MD5, MSNP_ERA_MSNP8, NULL,
     THIRD_PARTY},
    {"PROD0076ENE8*@AW", "CEQJ8}OE0!WTSWII", MSNP_QRY_ALG_MD5, MSNP_ERA_MSNP8, NULL,
     THIRD_PARTY},
    {"PROD0090YUAUV{2B", "YMM8C_H7KCQ2S_KL", MSNP_QRY_ALG_MSNP11, MSNP_ERA_LATER, "MSNP11+",
     "a client of MSNP11-12"},
    {"PROD0101{0RM?UBW", "CFHUR$52U_{VIX5T", MSNP_QRY_ALG_MSNP11, MSNP_ERA_LATER, "MSNP11+",
     "MSN Messenger 7.0"},
    {"PROD01065C%ZFN6F", "O4BG@C7BWLYQX?5G", MSNP_QRY_ALG_MSNP11, MSNP_ERA_LATER, "MSNP13+",
     "Windows Live Messenger 8"},
    {"PROD0112J1LW7%NB", "RH96F{PHI8PPX_TJ", MSNP_QRY_ALG_MSNP11, MSNP_ERA_LATER, "MSNP13+",
     "a client of MSNP13-14"},
    {"PROD0113H11T8$X_", "RG@XY*28Q5QHS%Q5", MSNP_QRY_ALG_MSNP11, MSNP_ERA_LATER, "MSNP15+",
     "Windows Live Messenger 8.1"},
    {"PROD0114ES4Z%Q5W", "PK}_A_0N_K%O?A9S", MSNP_QRY_ALG_MSNP11, MSNP_ERA_LATER, "MSNP15+",
     "Windows Live Messenger 8.1"},
    {"PROD0118R6%2WYOS", "YIXPX@5I2P0UT*LK", MSNP_QRY_ALG_MSNP11, MSNP_ERA_LATER, "MSNP15+",
     "a Windows Live Messenger 8.5 beta"},
    {"PROD0119GSJUC$18", "ILTXC!4IXB5FB*PX", MSNP_QRY_ALG_MSNP11, MSNP_ERA_LATER, "MSNP15+",
     "a client of MSNP15 and later"},
    {"PROD0120PW!CCV9@", "C1BX{V4W}Q3*10SM", MSNP_QRY_ALG_MSNP11, MSNP_ERA_LATER, "MSNP15+",
     "Windows Live Messenger 2009"},
};

static const struct {
    const char *name, *text;
} statuses[] = {
    [MSNP_QRY_VERIFIED] = {"verified", "the answer is the one computed from the challenge and "
                                       "the key of the claimed client: it verifies"},
    [MSNP_QRY_WRONG] = {"wrong", "the answer is not the right one for the claimed client: "
                                 "the server answers 540 and disconnects"},
    [MSNP_QRY_UNKNOWN_CLIENT] = {"unknown client",
                                 "the product id is not a known one: the answer cannot be "
                                 "checked"},
    [MSNP_QRY_MALFORMED] = {"malformed", "the answer is not 32 hex digits"},
    [MSNP_QRY_NO_CHALLENGE] = {"no challenge",
                               "the challenge (CHL) was not seen: the answer cannot be "
                               "checked"},
};

static const msnp_code_name issues[] = {
    {MSNP_QRY_ISSUE_UPPERCASE, "the answer has upper-case hex digits (clients send lower case)"},
    {MSNP_QRY_ISSUE_ODD_CHALLENGE, "the challenge is not all decimal digits"},
};
const msnp_code_table msnp_qry_issue_table = {"qry_issue", issues, N(issues)};

const char *msnp_qry_status_name(msnp_qry_status s)
{
    return (size_t)s < N(statuses) ? statuses[s].name : "?";
}

const char *msnp_qry_status_text(msnp_qry_status s)
{
    return (size_t)s < N(statuses) ? statuses[s].text : "?";
}

const msnp_qry_client *msnp_qry_client_find(const uint8_t *id, size_t len)
{
    for (size_t i = 0; i < N(clients); i++)
        if (strlen(clients[i].product_id) == len && memcmp(clients[i].product_id, id, len) == 0)
            return &clients[i];
    return NULL;
}

size_t msnp_qry_client_count(void)
{
    return N(clients);
}

const msnp_qry_client *msnp_qry_client_at(size_t i)
{
    return i < N(clients) ? &clients[i] : NULL;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Byte i of challenge || product id, padded with '0' to a multiple of 8. */
static uint8_t padded_at(const uint8_t *chl, size_t clen, const char *id, size_t idlen, size_t i)
{
    if (i < clen)
        return chl[i];
    if (i - clen < idlen)
        return (uint8_t)id[i - clen];
    return '0';
}

static uint32_t padded_le32(const uint8_t *chl, size_t clen, const char *id, size_t idlen,
                            size_t i)
{
    uint8_t b[4];
    for (unsigned k = 0; k < 4; k++)
        b[k] = padded_at(chl, clen, id, idlen, i + k);
    return le32(b);
}

/* The MSNP11 mixing step: the MD5 of challenge+key (as four little-endian
 * words) is XORed with a 64-bit value computed from the challenge+product id
 * string (as little-endian words) under the masked MD5 words, modulo 2^31-1. */
static void msnp11_answer(const msnp_qry_client *c, const uint8_t *chl, size_t clen,
                          uint8_t digest[MSNP_MD5_LEN])
{
    const uint64_t mod = 0x7FFFFFFF, magic = 0x0E79A9C1;
    msnp_md5_ctx m;
    msnp_md5_init(&m);
    msnp_md5_update(&m, chl, clen);
    msnp_md5_update(&m, c->key, strlen(c->key));
    msnp_md5_final(&m, digest);
    uint64_t h[4];
    for (unsigned i = 0; i < 4; i++)
        h[i] = le32(digest + 4 * i) & 0x7FFFFFFF;

    size_t idlen = strlen(c->product_id);
    size_t total = (clen + idlen + 7) / 8 * 8;
    uint64_t high = 0, low = 0;
    for (size_t i = 0; i < total; i += 8) {
        uint64_t w0 = padded_le32(chl, clen, c->product_id, idlen, i);
        uint64_t w1 = padded_le32(chl, clen, c->product_id, idlen, i + 4);
        uint64_t temp = (w0 * magic) % mod;
        temp = (h[0] * (temp + high) + h[1]) % mod;
        high = (w1 + temp) % mod;
        high = (h[2] * high + h[3]) % mod;
        low = low + high + temp;
    }
    high = (high + h[1]) % mod;
    low = (low + h[3]) % mod;
    for (unsigned i = 0; i < 4; i++) {
        uint32_t word = le32(digest + 4 * i) ^ (uint32_t)(i % 2 == 0 ? high : low);
        for (unsigned k = 0; k < 4; k++)
            digest[4 * i + k] = (uint8_t)(word >> (8 * k));
    }
}

void msnp_qry_answer(const msnp_qry_client *c, const uint8_t *challenge, size_t challenge_len,
                     char out[MSNP_QRY_ANSWER_LEN + 1])
{
    uint8_t digest[MSNP_MD5_LEN];
    if (c->algorithm == MSNP_QRY_ALG_MSNP11) {
        msnp11_answer(c, challenge, challenge_len, digest);
    } else {
        msnp_md5_ctx m;
        msnp_md5_init(&m);
        msnp_md5_update(&m, challenge, challenge_len);
        msnp_md5_update(&m, c->key, strlen(c->key));
        msnp_md5_final(&m, digest);
    }
    msnp_hex_lower(digest, MSNP_MD5_LEN, out);
}

static int hex_digit(uint8_t c, int *upper)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
        return 1;
    if (c >= 'A' && c <= 'F') {
        *upper = 1;
        return 1;
    }
    return 0;
}

void msnp_qry_verify(const uint8_t *challenge, size_t challenge_len, const uint8_t *client_id,
                     size_t client_id_len, const uint8_t *answer, size_t answer_len,
                     msnp_qry_result *out)
{
    memset(out, 0, sizeof *out);
    out->client = msnp_qry_client_find(client_id, client_id_len);
    int upper = 0, well_formed = answer_len == MSNP_QRY_ANSWER_LEN;
    for (size_t i = 0; well_formed && i < answer_len; i++)
        well_formed = hex_digit(answer[i], &upper);
    if (upper)
        out->issues |= MSNP_QRY_ISSUE_UPPERCASE;
    if (challenge) {
        for (size_t i = 0; i < challenge_len; i++)
            if (challenge[i] < '0' || challenge[i] > '9')
                out->issues |= MSNP_QRY_ISSUE_ODD_CHALLENGE;
        if (out->client)
            msnp_qry_answer(out->client, challenge, challenge_len, out->expected);
    }
    if (!well_formed) {
        out->status = MSNP_QRY_MALFORMED;
    } else if (!out->client) {
        out->status = MSNP_QRY_UNKNOWN_CLIENT;
    } else if (!challenge) {
        out->status = MSNP_QRY_NO_CHALLENGE;
    } else {
        int same = 1;
        for (size_t i = 0; i < MSNP_QRY_ANSWER_LEN; i++) {
            uint8_t a = answer[i];
            if (a >= 'A' && a <= 'F')
                a = (uint8_t)(a + 32);
            same &= a == (uint8_t)out->expected[i];
        }
        out->status = same ? MSNP_QRY_VERIFIED : MSNP_QRY_WRONG;
    }
}
