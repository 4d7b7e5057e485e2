/* Runs the fuzzing entry point (fuzz_payload_entry.c) over seeds, every
 * prefix of them, byte flips and random bytes, so that it is exercised on
 * every build and under the sanitizers, fuzzer or not. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fuzz_payload_entry.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

typedef struct seed {
    const char *data;
    size_t len;
} seed;
#define SEED(s) {s, sizeof(s) - 1}

static const seed seeds[] = {
    SEED("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=Arial; "
         "EF=B; CO=ff; CS=0; PF=22\r\n\r\nHi Bob \xc3\xa9"),
    SEED("MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinvite; charset=UTF-8\r\n\r\n"
         "Invitation-Command: ACCEPT\r\nInvitation-Cookie: 61582\r\nIP-Address: 192.0.2.10\r\n"
         "Port: 6891\r\nPortX: 11178\r\nPortX-Internal: 11181\r\nAuthCookie: 1927433\r\n\r\n"),
    SEED("MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsprofile\r\nLoginTime: 1\r\nMemberIdLow: "
         "-5\r\nClientPort: 516\r\n\r\n"),
    SEED("MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsemailnotification\r\n\r\nSubject: "
         "=?utf-8?B?SGVsbG8=?= =?iso-8859-1?Q?=E9?=\r\n\r\n"),
    SEED("<NOTIFICATION id=\"1\"><TO pid=\"p\" name=\"n\"/><MSG><BODY lang=\"1033\"><TEXT>a &amp; "
         "&#x263A;</TEXT></BODY></MSG></NOTIFICATION>"),
    SEED("<PHONE pri=\"1\"><LOC>HOME</LOC><NUM>1</NUM></PHONE><TEXT>x</TEXT>"),
    SEED("\x14\x00" "29409134351025259292d0c1178c689350104350d99f8c36ed9c"),
    SEED("FIL 10\n\x00" "0123456789\nBYE 16777989\nCCL\n\x01\n"),
};

int main(void)
{
    for (size_t s = 0; s < N(seeds); s++) {
        for (size_t k = 0; k <= seeds[s].len; k++) {
            uint8_t *p = malloc(k ? k : 1);
            memcpy(p, seeds[s].data, k);
            CHECK_EQ(msnp_fuzz_payload(p, k), 0);
            free(p);
        }
    }
    check_rng_state = 0xf022ull;
    uint8_t buf[600];
    for (int round = 0; round < 3000; round++) {
        size_t n;
        if (round % 3) {
            const seed *src = &seeds[check_rand() % N(seeds)];
            n = src->len;
            memcpy(buf, src->data, n);
            for (int f = 0; f < 4; f++)
                buf[check_rand() % (n ? n : 1)] = (uint8_t)check_rand();
        } else {
            n = check_rand() % sizeof buf;
            for (size_t i = 0; i < n; i++)
                buf[i] = (uint8_t)check_rand();
        }
        uint8_t *p = malloc(n ? n : 1);
        memcpy(p, buf, n);
        CHECK_EQ(msnp_fuzz_payload(p, n), 0);
        free(p);
    }
    return check_exit("test_fuzz_payload");
}
