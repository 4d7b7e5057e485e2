/* libmsnp's text helpers: msnp_printable_ascii takes eight bytes a step and
 * must say exactly what a byte-by-byte test says, wherever the odd byte is. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "msnp/text.h"

static int printable_bytewise(const uint8_t *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < 0x20 || s[i] > 0x7e)
            return 0;
    return 1;
}

/* Any value at any place of lines of every length up to three words and a
 * tail, the line otherwise printable. */
static void test_every_byte_everywhere(void)
{
    uint8_t line[27];
    unsigned mismatches = 0, checks = 0;
    for (size_t len = 0; len <= sizeof line; len++) {
        for (size_t pos = 0; pos < len; pos++) {
            for (int v = 0; v < 256; v++) {
                memset(line, 'A', len);
                line[pos] = (uint8_t)v;
                checks++;
                if (msnp_printable_ascii(line, len) != printable_bytewise(line, len))
                    mismatches++;
            }
        }
    }
    CHECK_MSG(mismatches == 0, "%u of %u lines judged otherwise than byte by byte", mismatches,
              checks);
}

/* Two odd bytes in one word (a borrow or a carry of one next to the other),
 * and random words of near-printable bytes. */
static void test_pairs_and_random(void)
{
    uint8_t w[8];
    unsigned mismatches = 0;
    for (int a = 0; a < 8; a++)
        for (int b = 0; b < 8; b++)
            for (int va = 0; va < 256; va += 3)
                for (int vb = 0; vb < 256; vb++) {
                    memset(w, 'x', sizeof w);
                    w[a] = (uint8_t)va;
                    w[b] = (uint8_t)vb;
                    if (msnp_printable_ascii(w, 8) != printable_bytewise(w, 8))
                        mismatches++;
                }
    for (int k = 0; k < 200000; k++) {
        for (int i = 0; i < 8; i++)
            w[i] = check_rand() % 4 ? (uint8_t)(0x1e + check_rand() % 0x63)
                                    : (uint8_t)check_rand();
        if (msnp_printable_ascii(w, 8) != printable_bytewise(w, 8))
            mismatches++;
    }
    CHECK_EQ(mismatches, 0);
    CHECK(msnp_printable_ascii((const uint8_t *)"MSG 5 N 133", 11));
    CHECK(!msnp_printable_ascii((const uint8_t *)"Heidi \xe2\x98\xba", 9));
    CHECK(!msnp_printable_ascii((const uint8_t *)"line\r\n", 6));
    CHECK(msnp_printable_ascii(NULL, 0));
}

int main(void)
{
    test_every_byte_everywhere();
    test_pairs_and_random();
    return check_exit("test_text");
}
