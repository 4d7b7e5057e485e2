/* MD5 (libmsnp/md5.c) against RFC 1321's test suite and digests computed
 * independently (Python's hashlib), and the CHL/QRY check (challenge.c)
 * against the published vectors: the reference's two MSNP8 vectors (§3.4)
 * and, for the MSNP11 algorithm, the vectors of Eclipse ECF's ChallengeTest,
 * KDE Kopete's challengetest.cpp and em-msn's challenge_spec.rb. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "msnp/challenge.h"
#include "msnp/commands.h"
#include "msnp/md5.h"
#include "msnp/payload.h"
#include "payload_testutil.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void hex_of(const void *data, size_t len, char out[33])
{
    uint8_t d[MSNP_MD5_LEN];
    msnp_md5(data, len, d);
    msnp_hex_lower(d, sizeof d, out);
}

static void test_md5(void)
{
    /* RFC 1321, appendix A.5. */
    static const struct {
        const char *in, *digest;
    } rfc[] = {
        {"", "d41d8cd98f00b204e9800998ecf8427e"},
        {"a", "0cc175b9c0f1b6a831c399e269772661"},
        {"abc", "900150983cd24fb0d6963f7d28e17f72"},
        {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
        {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
        {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
         "d174ab98d277d9f5a5611c2c9f419d9f"},
        {"1234567890123456789012345678901234567890123456789012345678901234567890123456789"
         "0",
         "57edf4a22be3c955ac49da2e2107b67a"},
    };
    char hex[33];
    for (size_t i = 0; i < N(rfc); i++) {
        uint8_t *p = exact_copy(rfc[i].in, strlen(rfc[i].in));
        hex_of(p, strlen(rfc[i].in), hex);
        CHECK_STR(hex, rfc[i].digest);
        /* The same fed in two pieces split at every offset. */
        for (size_t k = 0; k <= strlen(rfc[i].in); k++) {
            msnp_md5_ctx m;
            uint8_t d[16];
            msnp_md5_init(&m);
            msnp_md5_update(&m, p, k);
            msnp_md5_update(&m, p + k, strlen(rfc[i].in) - k);
            msnp_md5_final(&m, d);
            msnp_hex_lower(d, 16, hex);
            CHECK_STR(hex, rfc[i].digest);
        }
        free(p);
    }
    /* Padding boundaries (56 and 64 mod 64), from hashlib.md5(b"a" * n). */
    static const struct {
        size_t n;
        const char *digest;
    } as[] = {
        {55, "ef1772b6dff9a122358552954ad0df65"},  {56, "3b0c8ac703f828b04c6c197006d17218"},
        {63, "b06521f39153d618550606be297466d5"},  {64, "014842d480b571495a4a0363793f7367"},
        {65, "c743a45e0d2e6a95cb859adae0248435"},  {119, "8a7bd0732ed6a28ce75f6dabc90e1613"},
        {120, "5f61c0ccad4cac44c75ff505e1f1e537"}, {127, "020406e1d05cdc2aa287641f7ae2cc39"},
        {128, "e510683b3f5ffe4093d021808bc6ff70"},
    };
    static uint8_t a[1000000];
    memset(a, 'a', sizeof a);
    for (size_t i = 0; i < N(as); i++) {
        hex_of(a, as[i].n, hex);
        CHECK_MSG(strcmp(hex, as[i].digest) == 0, "md5(a * %zu) = %s", as[i].n, hex);
    }
    /* A million 'a's, in uneven pieces. */
    msnp_md5_ctx m;
    uint8_t d[16];
    msnp_md5_init(&m);
    for (size_t off = 0, step = 1; off < sizeof a; off += step, step = step * 3 % 1021 + 1)
        msnp_md5_update(&m, a + off, off + step > sizeof a ? sizeof a - off : step);
    msnp_md5_final(&m, d);
    msnp_hex_lower(d, 16, hex);
    CHECK_STR(hex, "7707d6ae4e027c70eea2a935c2296f21");
}

typedef struct vector {
    const char *product_id, *challenge, *answer;
} vector;

static const vector vectors[] = {
    /* §3.4: the official MSNP8 pair, two published vectors. */
    {"msmsgs@msnmsgr.com", "29409134351025259292", "d0c1178c689350104350d99f8c36ed9c"},
    {"msmsgs@msnmsgr.com", "22299241447072743325", "20dba7e6e9817826b9cd5240cc8add99"},
    /* Eclipse ECF ChallengeTest (PROD0090YUAUV{2B); the first is also NINA
     * wiki's worked example and em-msn's MSNP11 spec. */
    {"PROD0090YUAUV{2B", "22210219642164014968", "85ecb0db8f32113df79ce0892b9a102c"},
    {"PROD0090YUAUV{2B", "36819795137093047918", "e7ad3cb09d3e9e4e7c720175984809e9"},
    {"PROD0090YUAUV{2B", "21948129323261853323", "59bcf63ed21f44906c3d3e121ddbed65"},
    {"PROD0090YUAUV{2B", "41525959199453244913", "dcb8ff529e4dd12cc43389851128d2db"},
    /* KDE Kopete protocols/msn/tests/challengetest.cpp (MSNP11 and MSNP13 pairs). */
    {"PROD0101{0RM?UBW", "13038318816579321232", "5f6ae998b8fa70c37b62980f71a0e736"},
    {"PROD0101{0RM?UBW", "23055170411503520698", "934ab429609709f4fe70e5fa930993c2"},
    {"PROD0101{0RM?UBW", "37819769320541083311", "40575bf9740af7cad8671211e417d0cb"},
    {"PROD0101{0RM?UBW", "93662730714769834295", "003ed1b1be3ca0d81f83a587ebbe3675"},
    {"PROD01065C%ZFN6F", "15570131571988941333", "47d2b1e24f85947bdd29b3bfe29f027b"},
    {"PROD01065C%ZFN6F", "93662730714769834295", "1fd1345b59d9e2c1af131e00b51ddb96"},
    {"PROD01065C%ZFN6F", "13038318816579321232", "f52409e13833d91f66af73abfced22bf"},
    {"PROD01065C%ZFN6F", "23055170411503520698", "780ee59b51acfd094658a55181fed7ca"},
    /* em-msn spec/msn/challenge_spec.rb (its default pair, PROD0113H11T8$X_),
     * including a 27-digit challenge (other padding). */
    {"PROD0113H11T8$X_", "11533365622852247127", "f086d1ded067186deca8dba2231602cf"},
    {"PROD0113H11T8$X_", "237191752526424888127371168", "65b6b623c649c25629af048d34066040"},
};

static void verify(const char *chl, const char *id, const char *answer, msnp_qry_result *r)
{
    /* Exact-size copies: any over-read is caught by the sanitizers. */
    uint8_t *c = chl ? exact_copy(chl, strlen(chl)) : NULL;
    uint8_t *i = exact_copy(id, strlen(id));
    uint8_t *a = exact_copy(answer, strlen(answer));
    msnp_qry_verify(c, chl ? strlen(chl) : 0, i, strlen(id), a, strlen(answer), r);
    free(c);
    free(i);
    free(a);
}

static void test_vectors(void)
{
    msnp_qry_result r;
    for (size_t k = 0; k < N(vectors); k++) {
        const vector *v = &vectors[k];
        verify(v->challenge, v->product_id, v->answer, &r);
        CHECK_MSG(r.status == MSNP_QRY_VERIFIED, "%s %s: %s, expected %s", v->product_id,
                  v->challenge, msnp_qry_status_name((msnp_qry_status)r.status), r.expected);
        CHECK_STR(r.expected, v->answer);
        CHECK_EQ(r.issues, 0);
        /* One wrong digit anywhere fails. */
        char wrong[33];
        strcpy(wrong, v->answer);
        size_t at = (k * 7) % 32;
        wrong[at] = wrong[at] == '0' ? '1' : '0';
        verify(v->challenge, v->product_id, wrong, &r);
        CHECK_EQ(r.status, MSNP_QRY_WRONG);
        /* A different challenge gives a different answer. */
        char other[40];
        snprintf(other, sizeof other, "%s1", v->challenge);
        verify(other, v->product_id, v->answer, &r);
        CHECK_EQ(r.status, MSNP_QRY_WRONG);
    }
}

static void test_statuses(void)
{
    msnp_qry_result r;
    const char *chl = "29409134351025259292", *id = "msmsgs@msnmsgr.com";
    verify(chl, id, "D0C1178C689350104350D99F8C36ED9C", &r);
    CHECK(r.status == MSNP_QRY_VERIFIED && r.issues == MSNP_QRY_ISSUE_UPPERCASE);
    verify(chl, id, "d0c1178c689350104350d99f8c36ed9", &r); /* 31 digits */
    CHECK_EQ(r.status, MSNP_QRY_MALFORMED);
    verify(chl, id, "d0c1178c689350104350d99f8c36ed9cc", &r);
    CHECK_EQ(r.status, MSNP_QRY_MALFORMED);
    verify(chl, id, "g0c1178c689350104350d99f8c36ed9c", &r);
    CHECK_EQ(r.status, MSNP_QRY_MALFORMED);
    verify(chl, "PROD9999XXXXXXXX", "d0c1178c689350104350d99f8c36ed9c", &r);
    CHECK(r.status == MSNP_QRY_UNKNOWN_CLIENT && r.client == NULL && r.expected[0] == '\0');
    verify(NULL, id, "d0c1178c689350104350d99f8c36ed9c", &r);
    CHECK(r.status == MSNP_QRY_NO_CHALLENGE && r.client && r.expected[0] == '\0');
    verify("12ab", id, "d0c1178c689350104350d99f8c36ed9c", &r);
    CHECK(r.status == MSNP_QRY_WRONG && (r.issues & MSNP_QRY_ISSUE_ODD_CHALLENGE));
    verify("", id, "00000000000000000000000000000000", &r);
    CHECK_EQ(r.status, MSNP_QRY_WRONG);
    /* Product ids compare exactly (they are case-sensitive strings). */
    verify(chl, "MSMSGS@MSNMSGR.COM", "d0c1178c689350104350d99f8c36ed9c", &r);
    CHECK_EQ(r.status, MSNP_QRY_UNKNOWN_CLIENT);
    /* A long hostile challenge is fine (both algorithms stream it). */
    static char longc[20000];
    memset(longc, '\xff', sizeof longc - 1);
    verify(longc, "PROD0090YUAUV{2B", "00000000000000000000000000000000", &r);
    CHECK(r.status == MSNP_QRY_WRONG && strlen(r.expected) == 32);
    verify(longc, id, "00000000000000000000000000000000", &r);
    CHECK(r.status == MSNP_QRY_WRONG && strlen(r.expected) == 32);
    for (int s = 0; s <= MSNP_QRY_NO_CHALLENGE; s++)
        CHECK(strcmp(msnp_qry_status_name((msnp_qry_status)s), "?") != 0 &&
              strcmp(msnp_qry_status_text((msnp_qry_status)s), "?") != 0);
}

static void test_table(void)
{
    size_t n = msnp_qry_client_count();
    CHECK(n >= 6);
    for (size_t i = 0; i < n; i++) {
        const msnp_qry_client *c = msnp_qry_client_at(i);
        CHECK(c && strlen(c->key) == 16 && c->client && c->client[0]);
        CHECK(msnp_qry_client_find((const uint8_t *)c->product_id, strlen(c->product_id)) == c);
        /* The MD5 pairs are MSNP8's (§3.4); the others are later versions. */
        CHECK((c->algorithm == MSNP_QRY_ALG_MD5) == (c->era == MSNP_ERA_MSNP8));
        CHECK((c->era == MSNP_ERA_MSNP8) == (c->since == NULL));
    }
    CHECK(msnp_qry_client_at(n) == NULL);
    /* Every product id of §3.4 is there with its key. */
    static const char *const ref[][2] = {
        {"msmsgs@msnmsgr.com", "Q1P7W2E4J9R8U3S5"}, {"PROD0038W!61ZTF9", "VT6PX?UQTM4WM%YR"},
        {"PROD0058#7IL2{QD", "QHDCY@7R1TB6W?5B"},   {"PROD0061VRRZH@4F", "JXQ6J@TUOGYV@N0M"},
        {"PROD00504RLUG%WL", "I2EBK%PYNLZL5_J4"},   {"PROD0076ENE8*@AW", "CEQJ8}OE0!WTSWII"},
    };
    for (size_t i = 0; i < N(ref); i++) {
        const msnp_qry_client *c = msnp_qry_client_find((const uint8_t *)ref[i][0], strlen(ref[i][0]));
        CHECK_MSG(c && strcmp(c->key, ref[i][1]) == 0 && c->algorithm == MSNP_QRY_ALG_MD5, "%s",
                  ref[i][0]);
    }
    const msnp_qry_client *later =
        msnp_qry_client_find((const uint8_t *)"PROD0090YUAUV{2B", 16);
    CHECK(later && later->algorithm == MSNP_QRY_ALG_MSNP11 && strcmp(later->since, "MSNP11+") == 0);
}

static void test_visit(void)
{
    /* login.msnp's pair, and what the faces are told. */
    static const char buf[] = "29409134351025259292msmsgs@msnmsgr.comd0c1178c689350104350d99f8c36ed9c";
    const uint8_t *b = (const uint8_t *)buf;
    msnp_qry_result r;
    msnp_qry_verify(b, 20, b + 20, 18, b + 38, 32, &r);
    static collector c;
    collector_init(&c, b, sizeof buf - 1, NULL, 0);
    msnp_qry_visit(&r, b + 20, 18, b + 38, 32, collect, &c);
    CHECK(!c.out_of_bounds && !c.bad_field);
    CHECK(got_str(&c, MSNP_V_QRY_CLIENT_ID, "msmsgs@msnmsgr.com"));
    CHECK(got_str(&c, MSNP_V_QRY_ANSWER, "d0c1178c689350104350d99f8c36ed9c"));
    CHECK(got_str(&c, MSNP_V_QRY_EXPECTED, "d0c1178c689350104350d99f8c36ed9c"));
    CHECK(got(&c, MSNP_V_QRY_VERIFIED, 0) && got(&c, MSNP_V_QRY_VERIFIED, 0)->u == 1);
    CHECK(got_str(&c, MSNP_V_QRY_STATUS, "verified"));
    CHECK(got_str(&c, MSNP_V_QRY_CLIENT, "MSN Messenger 5 or 6 (the official client)"));
    CHECK(!got(&c, MSNP_V_QRY_SINCE, 0));
    /* Unknown client: no verified field at all. */
    msnp_qry_verify(b, 20, (const uint8_t *)"PROD0000", 8, b + 38, 32, &r);
    collector_init(&c, NULL, 0, NULL, 0);
    msnp_qry_visit(&r, (const uint8_t *)"PROD0000", 8, b + 38, 32, collect, &c);
    CHECK(!got(&c, MSNP_V_QRY_VERIFIED, 0) && got_str(&c, MSNP_V_QRY_STATUS, "unknown client"));
    /* A later product id carries its versions. */
    static const char later[] = "15570131571988941333PROD0090YUAUV{2Bd8d8cb2c2043a603d8286a3343143ee1";
    const uint8_t *l = (const uint8_t *)later;
    msnp_qry_verify(l, 20, l + 20, 16, l + 36, 32, &r);
    CHECK_EQ(r.status, MSNP_QRY_VERIFIED); /* later-version.msnp's pair */
    collector_init(&c, l, sizeof later - 1, NULL, 0);
    msnp_qry_visit(&r, l + 20, 16, l + 36, 32, collect, &c);
    CHECK(got_str(&c, MSNP_V_QRY_SINCE, "MSNP11+"));
}

int main(void)
{
    test_md5();
    test_vectors();
    test_statuses();
    test_table();
    test_visit();
    return check_exit("test_challenge");
}
