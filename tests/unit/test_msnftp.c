/* MSNFTP transfer state (libmsnp/msnftp.c): the filetransfer sample's
 * transfer fed line by line and block by block, its MD5 against md5sum of the
 * committed file, and every way a transfer can end. Usage:
 * test_msnftp [samples/captures/filetransfer.files/notes.txt] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "msnp/msnftp.h"
#include "msnp/payload.h"
#include "payload_testutil.h"

static msnp_ftp_command line(msnp_ftp_transfer *t, const char *s)
{
    uint8_t *p = exact_copy(s, strlen(s));
    msnp_ftp_command c = msnp_ftp_line(t, p, strlen(s));
    free(p);
    return c;
}

/* Send `size` bytes of data in blocks of at most 2045, as §7 describes. */
static void send_blocks(msnp_ftp_transfer *t, const uint8_t *data, size_t size)
{
    for (size_t off = 0; off < size;) {
        size_t k = size - off < 2045 ? size - off : 2045;
        uint8_t *b = exact_copy(data + off, k);
        msnp_ftp_block(t, 0, b, k);
        free(b);
        off += k;
    }
}

static void test_sample_transfer(const char *path)
{
    static uint8_t file[5000];
    const char *want_md5 = "a1335b06f55e1cc56c58368365bb9b2e"; /* md5sum of notes.txt */
    size_t n = 0;
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (f) {
        n = fread(file, 1, sizeof file, f);
        fclose(f);
    }
    if (n != sizeof file) {
        /* Without the sample, a known file: 5000 bytes of 'a'.  */
        memset(file, 'a', sizeof file);
        n = sizeof file;
        want_md5 = NULL;
    }
    msnp_ftp_transfer t;
    msnp_ftp_init(&t);
    CHECK_EQ(line(&t, "VER MSNFTP"), MSNP_FTP_CMD_VER);
    CHECK_EQ(line(&t, "VER MSNFTP"), MSNP_FTP_CMD_VER);
    CHECK_EQ(line(&t, "USR bob@hotmail.com 1927433"), MSNP_FTP_CMD_USR);
    CHECK_EQ(line(&t, "FIL 5000"), MSNP_FTP_CMD_FIL);
    CHECK_EQ(msnp_ftp_get_outcome(&t), MSNP_FTP_PENDING);
    CHECK_EQ(line(&t, "TFR"), MSNP_FTP_CMD_TFR);
    send_blocks(&t, file, n);
    CHECK_EQ(line(&t, "BYE 16777989"), MSNP_FTP_CMD_BYE);
    msnp_ftp_end(&t);
    CHECK_EQ(t.issues, 0);
    CHECK(t.have_cookie && t.auth_cookie == 1927433);
    CHECK(t.blocks == 3 && t.bytes == 5000 && t.size == 5000);
    CHECK_EQ(msnp_ftp_get_outcome(&t), MSNP_FTP_COMPLETE);
    CHECK(t.bye_text && strncmp(t.bye_text, "file received successfully", 26) == 0);
    char md5[33];
    CHECK(msnp_ftp_md5_hex(&t, md5));
    if (want_md5)
        CHECK_STR(md5, want_md5);
    else
        CHECK_STR(md5, "7aaa7dec709fa4fa82f3746abfd80bdb"); /* hashlib.md5(b"a" * 5000) */
    /* The digest can be read while the transfer goes on (a copy is finalised). */
    CHECK(msnp_ftp_md5_hex(&t, md5));

    static collector c;
    collector_init(&c, NULL, 0, NULL, 0);
    msnp_ftp_visit(&t, collect, &c);
    CHECK(!c.bad_field && !c.out_of_bounds);
    CHECK(got(&c, MSNP_V_FTP_SIZE, 0)->u == 5000 && got(&c, MSNP_V_FTP_BLOCKS, 0)->u == 3);
    CHECK(got(&c, MSNP_V_FTP_AUTH_COOKIE, 0)->u == 1927433);
    CHECK(got_str(&c, MSNP_V_FTP_OUTCOME, "complete"));
    CHECK(got_str(&c, MSNP_V_FTP_MD5, md5));
    CHECK(got(&c, MSNP_V_FTP_BYE_CODE, 0)->u == 16777989 && got(&c, MSNP_V_FTP_BYE_CODE, 0)->text);
    CHECK(!got(&c, MSNP_V_FTP_MISSING, 0));
}

static void test_endings(void)
{
    static uint8_t data[4100];
    memset(data, 'x', sizeof data);
    msnp_ftp_transfer t;
    char md5[33];

    /* §7's example: 4100 bytes as 2045 + 2045 + 10. */
    msnp_ftp_init(&t);
    line(&t, "FIL 4100");
    send_blocks(&t, data, sizeof data);
    CHECK(t.blocks == 3 && msnp_ftp_get_outcome(&t) == MSNP_FTP_COMPLETE);
    /* A 01 block after the whole file is not an abort (§13 leaves open whether
     * senders send one). */
    msnp_ftp_block(&t, 1, NULL, 0);
    CHECK_EQ(msnp_ftp_get_outcome(&t), MSNP_FTP_COMPLETE);

    /* Aborted by the sender half-way. */
    msnp_ftp_init(&t);
    line(&t, "FIL 4100");
    send_blocks(&t, data, 2045);
    msnp_ftp_block(&t, 1, NULL, 0);
    CHECK_EQ(msnp_ftp_get_outcome(&t), MSNP_FTP_ABORTED);
    CHECK(!msnp_ftp_md5_hex(&t, md5) && md5[0] == '\0');
    send_blocks(&t, data, 10);
    CHECK(t.issues & MSNP_FTP_ISSUE_DATA_AFTER_END);

    /* Cancelled by the receiver; an LF-only client's CCL arrives as "CCL". */
    msnp_ftp_init(&t);
    line(&t, "FIL 4100");
    send_blocks(&t, data, 100);
    CHECK_EQ(line(&t, "CCL"), MSNP_FTP_CMD_CCL);
    CHECK_EQ(msnp_ftp_get_outcome(&t), MSNP_FTP_CANCELLED);
    msnp_ftp_end(&t);
    CHECK_EQ(msnp_ftp_get_outcome(&t), MSNP_FTP_CANCELLED);

    /* The connection ends early. */
    msnp_ftp_init(&t);
    line(&t, "FIL 4100");
    send_blocks(&t, data, 4000);
    CHECK_EQ(msnp_ftp_get_outcome(&t), MSNP_FTP_PENDING);
    msnp_ftp_end(&t);
    CHECK_EQ(msnp_ftp_get_outcome(&t), MSNP_FTP_INCOMPLETE);
    CHECK(!msnp_ftp_md5_hex(&t, md5));

    /* Capture loss: all sent, not all seen: complete but no MD5. */
    msnp_ftp_init(&t);
    line(&t, "FIL 4100");
    send_blocks(&t, data, 2045);
    msnp_ftp_gap(&t, 2045);
    send_blocks(&t, data, 10);
    CHECK_EQ(msnp_ftp_get_outcome(&t), MSNP_FTP_COMPLETE);
    CHECK(t.missing == 2045 && (t.issues & MSNP_FTP_ISSUE_GAP));
    CHECK(!msnp_ftp_md5_hex(&t, md5));

    /* More data than announced: counted, not hashed. */
    msnp_ftp_init(&t);
    line(&t, "FIL 10");
    send_blocks(&t, data, 30);
    CHECK(t.bytes == 10 && t.overrun == 20 && (t.issues & MSNP_FTP_ISSUE_OVERRUN));
    CHECK(msnp_ftp_md5_hex(&t, md5));
    CHECK_STR(md5, "336311a016184326ddbdd61edd4eeb52"); /* hashlib.md5(b"x" * 10) */

    /* A block above 2045 bytes; data before FIL; an empty file. */
    msnp_ftp_init(&t);
    msnp_ftp_block(&t, 0, data, 3000);
    CHECK(t.issues == (MSNP_FTP_ISSUE_DATA_BEFORE_FIL | MSNP_FTP_ISSUE_BLOCK_TOO_LONG));
    CHECK_EQ(msnp_ftp_get_outcome(&t), MSNP_FTP_PENDING);
    msnp_ftp_init(&t);
    line(&t, "FIL 0");
    CHECK_EQ(msnp_ftp_get_outcome(&t), MSNP_FTP_COMPLETE);
    CHECK(msnp_ftp_md5_hex(&t, md5));
    CHECK_STR(md5, "d41d8cd98f00b204e9800998ecf8427e");
}

static void test_lines(void)
{
    msnp_ftp_transfer t;
    msnp_ftp_init(&t);
    CHECK_EQ(line(&t, "FIL"), MSNP_FTP_CMD_FIL);
    CHECK_EQ(line(&t, "FIL 99999999999999999999999"), MSNP_FTP_CMD_FIL);
    CHECK(t.issues == MSNP_FTP_ISSUE_BAD_FIL && !t.have_size);
    CHECK_EQ(line(&t, "FIL  18446744073709551615"), MSNP_FTP_CMD_FIL); /* doubled space */
    CHECK(t.have_size && t.size == UINT64_MAX);
    line(&t, "FIL 5");
    CHECK((t.issues & MSNP_FTP_ISSUE_SECOND_FIL) && t.size == UINT64_MAX);
    line(&t, "USR bob@hotmail.com");
    line(&t, "USR bob@hotmail.com cookie");
    CHECK((t.issues & MSNP_FTP_ISSUE_BAD_USR) && !t.have_cookie);
    line(&t, "BYE x");
    CHECK(t.issues & MSNP_FTP_ISSUE_BAD_BYE);
    line(&t, "BYE 2164261682");
    CHECK(t.have_bye && t.bye_text && strstr(t.bye_text, "cancelled"));
    line(&t, "BYE 12345");
    CHECK((t.issues & MSNP_FTP_ISSUE_UNKNOWN_BYE) && t.bye_text == NULL);
    CHECK_EQ(line(&t, "BYE"), MSNP_FTP_CMD_BYE);
    CHECK_EQ(line(&t, "VER 1 MSNFTP"), MSNP_FTP_CMD_VER); /* Miranda's form */
    CHECK_EQ(line(&t, ""), MSNP_FTP_CMD_NONE);
    CHECK_EQ(line(&t, "   "), MSNP_FTP_CMD_NONE);
    CHECK_EQ(line(&t, "MSG 1 N 3"), MSNP_FTP_CMD_NONE);
    CHECK_EQ(line(&t, "fil 3"), MSNP_FTP_CMD_NONE); /* commands are case-sensitive */
    for (int o = MSNP_FTP_PENDING; o <= MSNP_FTP_CANCELLED; o++)
        CHECK(strcmp(msnp_ftp_outcome_name((msnp_ftp_outcome)o), "?") != 0);

    /* Hostile lines: random bytes, every prefix of a valid exchange. */
    check_rng_state = 0xf17e5ull;
    char buf[64];
    for (int round = 0; round < 2000; round++) {
        size_t n = check_rand() % sizeof buf;
        for (size_t i = 0; i < n; i++)
            buf[i] = (char)(check_rand() % 3 ? "FILBYECTRUS 0123456789"[check_rand() % 22]
                                             : (char)check_rand());
        uint8_t *p = exact_copy(buf, n);
        msnp_ftp_line(&t, p, n);
        free(p);
    }
}

int main(int argc, char **argv)
{
    test_sample_transfer(argc > 1 ? argv[1] : NULL);
    test_endings();
    test_lines();
    return check_exit("test_msnftp");
}
