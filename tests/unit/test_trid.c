/* Request/response pairing (libmsnp/trid.c): every exchange shape of the
 * protocol reference, lines framed and parsed by the real framer and
 * connection classifier, the way both faces feed them. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "msnp/msnp.h"
#include "msnp/trid.h"

#define C ">" /* client to server */
#define S "<" /* server to client */

typedef struct step {
    const char *dir;  /* C or S */
    const char *line; /* without CR LF; a payload follows after a '|' */
} step;

typedef struct result {
    msnp_txn txn;
    char line[96];
} result;

enum { MAX_STEPS = 80 };

/* Frame and parse each step on one connection (side 0 the client, as after a
 * handshake) and pair it; the tag of step i is i + 1, its time 1000 * (i + 1). */
static size_t run(const step *steps, size_t n, msnp_txn_slot *slots, size_t nslots,
                  result *out)
{
    msnp_conn conn;
    msnp_txn_tracker t;
    msnp_conn_init(&conn);
    msnp_conn_set_client(&conn, 0);
    msnp_txn_init(&t, slots, nslots);
    for (size_t i = 0; i < n && i < MAX_STEPS; i++) {
        uint8_t buf[512];
        const char *bar = strchr(steps[i].line, '|');
        size_t line_len = bar ? (size_t)(bar - steps[i].line) : strlen(steps[i].line);
        size_t len = 0;
        memcpy(buf, steps[i].line, line_len);
        len = line_len;
        buf[len++] = '\r';
        buf[len++] = '\n';
        if (bar) {
            size_t pl = strlen(bar + 1);
            memcpy(buf + len, bar + 1, pl);
            len += pl;
        }
        msnp_framer f;
        msnp_framer_init(&f, NULL, MSNP_START_AT_COMMAND);
        msnp_pdu pdu;
        msnp_frame_result r = msnp_framer_next(&f, buf, len, &pdu);
        CHECK_MSG(r == MSNP_PDU && pdu.len == len, "step %zu does not frame: %s", i,
                  steps[i].line);
        int side = strcmp(steps[i].dir, C) == 0 ? 0 : 1;
        msnp_command cmd;
        msnp_conn_command(&conn, side, buf, &pdu, &cmd);
        msnp_txn_line(&t, msnp_conn_role(&conn), msnp_conn_dir(&conn, side), buf, &pdu, &cmd,
                      i + 1, 1000 * (int64_t)(i + 1), &out[i].txn);
        snprintf(out[i].line, sizeof out[i].line, "%.*s", (int)line_len, steps[i].line);
    }
    return n;
}

#define KIND(r, k) CHECK_MSG((r).txn.kind == (k), "%s: kind %s", (r).line, \
                             msnp_txn_kind_name((msnp_txn_kind)(r).txn.kind))

/* A reply to the request of step `req` (1-based tag). */
static void check_reply(const result *r, uint64_t req, int first, int final)
{
    CHECK_MSG(r->txn.kind == MSNP_TXN_REPLY, "%s: kind %s", r->line,
              msnp_txn_kind_name((msnp_txn_kind)r->txn.kind));
    CHECK_MSG(r->txn.matched && r->txn.tag == req, "%s: matched %d tag %llu, expected %llu",
              r->line, r->txn.matched, (unsigned long long)r->txn.tag, (unsigned long long)req);
    CHECK_MSG(r->txn.when == 1000 * (int64_t)req, "%s: when %lld", r->line,
              (long long)r->txn.when);
    if (first >= 0)
        CHECK_MSG(r->txn.first == first, "%s: first %d", r->line, r->txn.first);
    if (final >= 0)
        CHECK_MSG(r->txn.final == final, "%s: final %d", r->line, r->txn.final);
}

static void check_request(const result *r, msnp_txn_expect expect)
{
    KIND(*r, MSNP_TXN_REQUEST);
    CHECK_MSG(r->txn.expect == expect, "%s: expect %d, wanted %d", r->line, r->txn.expect,
              expect);
}

static msnp_txn_slot slots[16];
static result res[MAX_STEPS];

static void test_login(void)
{
    static const step s[] = {
        {C, "VER 1 MSNP8 CVR0"},                                     /* 1 */
        {S, "VER 1 MSNP8 CVR0"},                                     /* 2 */
        {C, "CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 5.0.0540 MSMSGS alice@hotmail.com"},
        {S, "CVR 2 5.0.0540 5.0.0540 1.0.0863 http://x/SetupDl.exe http://messenger.msn.com"},
        {C, "USR 3 TWN I alice@hotmail.com"},                        /* 5 */
        {S, "USR 3 TWN S lc=1033,id=507"},                           /* 6 */
        {C, "USR 4 TWN S t=abc&p=def"},                              /* 7 */
        {S, "USR 4 OK alice@hotmail.com Alice 1 0"},                 /* 8 */
        {S, "MSG Hotmail Hotmail 5|ab\r\nc"},                        /* 9 */
        {S, "CHL 0 29409134351025259292"},                           /* 10 */
        {C, "QRY 5 msmsgs@msnmsgr.com 32|d0c1178c689350104350d99f8c36ed9c"},
        {S, "QRY 5"},                                                /* 12 */
        {C, "PNG"},                                                  /* 13 */
        {S, "QNG"},                                                  /* 14 */
        {S, "QNG"},                                                  /* 15: no PNG left */
        {C, "OUT"},                                                  /* 16 */
    };
    size_t n = run(s, sizeof s / sizeof s[0], slots, 16, res);
    CHECK_EQ(n, 16);
    check_request(&res[0], MSNP_EXPECT_REPLY);
    CHECK(res[0].txn.has_trid && res[0].txn.trid == 1);
    check_reply(&res[1], 1, 1, 1);
    check_request(&res[2], MSNP_EXPECT_REPLY);
    check_reply(&res[3], 3, 1, 1);
    check_reply(&res[5], 5, 1, 1);
    check_reply(&res[7], 7, 1, 1);
    KIND(res[8], MSNP_TXN_ASYNC);
    KIND(res[9], MSNP_TXN_ASYNC);
    check_request(&res[10], MSNP_EXPECT_REPLY);
    check_reply(&res[11], 11, 1, 1);
    check_request(&res[12], MSNP_EXPECT_REPLY);
    CHECK(!res[12].txn.has_trid);
    check_reply(&res[13], 13, 1, 1);
    KIND(res[14], MSNP_TXN_REPLY);
    CHECK(!res[14].txn.matched);
    check_request(&res[15], MSNP_EXPECT_NONE);
}

static void test_dispatch_referral(void)
{
    static const step s[] = {
        {C, "VER 1 MSNP8 CVR0"},
        {S, "VER 1 MSNP8 CVR0"},
        {C, "USR 3 TWN I alice@hotmail.com"},
        {S, "XFR 3 NS 207.46.106.145:1863 0 207.46.104.20:1863"},
    };
    run(s, 4, slots, 16, res);
    check_reply(&res[3], 3, 1, 1);
}

static void test_syn_dump(void)
{
    static const step s[] = {
        {C, "SYN 8 0"},                          /* 1 */
        {S, "SYN 8 26 2 2"},                     /* 2 */
        {S, "GTC A"},                            /* 3 */
        {S, "BLP AL"},                           /* 4 */
        {S, "PRP PHH 555%20123%204567"},         /* 5 */
        {S, "LSG 0 Other%20Contacts 0"},         /* 6 */
        {S, "LSG 1 Coworkers 0"},                /* 7 */
        {S, "LST bob@hotmail.com Bob 11 0"},     /* 8 */
        {S, "BPR PHH 555%20987%206543"},         /* 9 */
        {S, "LST mallory@hotmail.com mallory@hotmail.com 12"}, /* 10 */
        {S, "NLN NLN bob@hotmail.com Bob 0"},    /* 11: the dump is over */
        {C, "SYN 9 26"},                         /* 12 */
        {S, "SYN 9 26"},                         /* 13: up to date, nothing follows */
    };
    run(s, sizeof s / sizeof s[0], slots, 16, res);
    check_reply(&res[1], 1, 1, 0);
    CHECK(res[1].txn.multi);
    for (int i = 2; i <= 9; i++) {
        check_reply(&res[i], 1, 0, 0);
        CHECK_EQ(res[i].txn.line, i - 1);
        CHECK_EQ(res[i].txn.trid, 8);
        CHECK(res[i].txn.multi);
    }
    KIND(res[10], MSNP_TXN_ASYNC);
    check_reply(&res[12], 12, 1, 1);
}

static void test_syn_dump_without_request(void)
{
    /* Picked up mid-dump: the lines are still replies, of an unseen SYN. */
    static const step s[] = {
        {S, "LST bob@hotmail.com Bob 11 0"},
        {S, "BPR PHH 555%20987%206543"},
    };
    run(s, 2, slots, 16, res);
    KIND(res[0], MSNP_TXN_REPLY);
    CHECK(!res[0].txn.matched && res[0].txn.multi);
    KIND(res[1], MSNP_TXN_REPLY);

    /* Picked up after the SYN request: the reply still opens the dump. */
    static const step t[] = {
        {S, "SYN 8 26 1 1"},
        {S, "GTC A"},
        {S, "LSG 0 Other%20Contacts 0"},
        {S, "LST bob@hotmail.com Bob 11 0"},
        {S, "FLN carol@msn.com"},
    };
    run(t, 5, slots, 16, res);
    for (int i = 0; i < 4; i++) {
        KIND(res[i], MSNP_TXN_REPLY);
        CHECK(!res[i].txn.matched && res[i].txn.multi);
        CHECK_EQ(res[i].txn.line, i);
        CHECK_EQ(res[i].txn.trid, 8);
    }
    CHECK(res[0].txn.first && !res[0].txn.final);
    KIND(res[4], MSNP_TXN_ASYNC);
}

static void test_chg_iln(void)
{
    static const step s[] = {
        {C, "CHG 9 NLN 0"},                              /* 1 */
        {S, "CHG 9 NLN 0"},                              /* 2 */
        {S, "ILN 9 NLN bob@hotmail.com Bob 268435492"},  /* 3 */
        {S, "ILN 9 AWY carol@msn.com Carol%20%E2%98%BA 0"},
        {S, "NLN BSY bob@hotmail.com Bob 268435492"},    /* 5 */
        {S, "CHG 0 NLN 0"},                              /* 6: server-forced */
    };
    run(s, sizeof s / sizeof s[0], slots, 16, res);
    check_reply(&res[1], 1, 1, 0);
    check_reply(&res[2], 1, 0, 0);
    check_reply(&res[3], 1, 0, 0);
    CHECK_EQ(res[3].txn.line, 2);
    KIND(res[4], MSNP_TXN_ASYNC);
    KIND(res[5], MSNP_TXN_ASYNC);
}

static void test_trid_zero_request(void)
{
    /* Some tools number from 0: the echo then answers, it is no push. */
    static const step s[] = {
        {C, "CHG 0 NLN 0"},
        {S, "CHG 0 NLN 0"},
    };
    run(s, 2, slots, 16, res);
    check_request(&res[0], MSNP_EXPECT_REPLY);
    check_reply(&res[1], 1, 1, 0);
}

static void test_add_followups(void)
{
    static const step s[] = {
        {C, "ADD 13 FL dave@hotmail.com dave@hotmail.com 0"},           /* 1 */
        {S, "ADD 13 FL 28 dave@hotmail.com dave@hotmail.com 0"},        /* 2 */
        {S, "ILN 13 NLN dave@hotmail.com Dave 0"},                      /* 3 */
        {S, "BPR 29 dave@hotmail.com PHH 555"},                         /* 4 */
        {S, "BPR 29 erin@hotmail.com PHH 556"},                         /* 5: not Dave's */
        {C, "ADD 14 AL dave@hotmail.com dave@hotmail.com"},             /* 6 */
        {S, "ADD 14 AL 29 dave@hotmail.com dave@hotmail.com"},          /* 7 */
        {S, "ADD 0 RL 30 erin@hotmail.com Erin"},                       /* 8 */
        {C, "ADD 18 FL a@b a@b 0"},                                     /* 9 */
        {S, "201 18"},                                                  /* 10 */
        {S, "201 18"},                                                  /* 11: answered already */
    };
    run(s, sizeof s / sizeof s[0], slots, 16, res);
    check_reply(&res[1], 1, 1, 0);
    check_reply(&res[2], 1, 0, 0);
    check_reply(&res[3], 1, 0, 0);
    KIND(res[4], MSNP_TXN_ASYNC);
    CHECK(!res[3].txn.final && res[3].txn.multi);
    check_reply(&res[6], 6, 1, 1);
    CHECK(!res[6].txn.multi); /* ADD AL: nothing follows */
    KIND(res[7], MSNP_TXN_ASYNC);
    check_reply(&res[9], 9, 1, 1);
    CHECK(!res[9].txn.multi); /* an error ends the exchange at once */
    KIND(res[10], MSNP_TXN_REPLY);
    CHECK(!res[10].txn.matched);
}

static void test_switchboard(void)
{
    static const step s[] = {
        {C, "ANS 1 bob@hotmail.com 849102291.520491113 11752013"},   /* 1 */
        {S, "IRO 1 1 2 alice@hotmail.com Alice"},                    /* 2 */
        {S, "IRO 1 2 2 carol@msn.com Carol"},                        /* 3 */
        {S, "ANS 1 OK"},                                             /* 4 */
        {S, "MSG alice@hotmail.com Alice 2|hi"},                     /* 5 */
        {C, "MSG 2 U 2|hi"},                                         /* 6 */
        {C, "MSG 3 N 2|hi"},                                         /* 7 */
        {C, "MSG 4 A 2|hi"},                                         /* 8 */
        {S, "ACK 4"},                                                /* 9 */
        {S, "NAK 3"},                                                /* 10 */
        {C, "CAL 5 dave@hotmail.com"},                               /* 11 */
        {S, "217 5"},                                                /* 12 */
        {S, "JOI erin@hotmail.com Erin"},                            /* 13 */
        {S, "BYE erin@hotmail.com"},                                 /* 14 */
        {C, "OUT"},                                                  /* 15 */
    };
    run(s, sizeof s / sizeof s[0], slots, 16, res);
    check_request(&res[0], MSNP_EXPECT_REPLY);
    check_reply(&res[1], 1, 1, 0);
    check_reply(&res[2], 1, 0, 0);
    check_reply(&res[3], 1, 0, 1);
    CHECK_EQ(res[3].txn.line, 2);
    KIND(res[4], MSNP_TXN_ASYNC);
    check_request(&res[5], MSNP_EXPECT_NONE);
    check_request(&res[6], MSNP_EXPECT_ON_FAILURE);
    check_request(&res[7], MSNP_EXPECT_REPLY);
    check_reply(&res[8], 8, 1, 1);
    check_reply(&res[9], 7, 1, 1);
    check_reply(&res[11], 11, 1, 1);
    KIND(res[12], MSNP_TXN_ASYNC);
    KIND(res[13], MSNP_TXN_ASYNC);
    check_request(&res[14], MSNP_EXPECT_NONE);
}

static void test_ans_alone(void)
{
    static const step s[] = {
        {C, "ANS 1 bob@hotmail.com 849102291.520491113 11752013"},
        {S, "ANS 1 OK"},
    };
    run(s, 2, slots, 16, res);
    check_reply(&res[1], 1, 1, 1);
}

static void test_msnftp(void)
{
    static const step s[] = {
        {C, "VER MSNFTP"},                 /* 1 */
        {S, "VER MSNFTP"},                 /* 2 */
        {C, "USR bob@hotmail.com 1927433"},/* 3 */
        {S, "FIL 4100"},                   /* 4 */
        {C, "TFR"},                        /* 5 */
        {C, "BYE 16777989"},               /* 6 */
    };
    run(s, sizeof s / sizeof s[0], slots, 16, res);
    check_request(&res[0], MSNP_EXPECT_REPLY);
    check_reply(&res[1], 1, 1, 1);
    check_request(&res[2], MSNP_EXPECT_REPLY);
    check_reply(&res[3], 3, 1, 1);
    check_request(&res[4], MSNP_EXPECT_NONE);
    check_request(&res[5], MSNP_EXPECT_NONE);
}

static void test_reused_trid_and_eviction(void)
{
    /* A TrID used again names the newer request; with two slots the
     * oldest pending request is forgotten. */
    static const step s[] = {
        {C, "XFR 7 SB"},                                  /* 1 */
        {C, "XFR 7 SB"},                                  /* 2 */
        {S, "XFR 7 SB 207.46.108.37:1863 CKI 1.2.3"},     /* 3 */
        {C, "URL 8 INBOX"},                               /* 4 */
        {C, "URL 9 INBOX"},                               /* 5 */
        {C, "URL 10 INBOX"},                              /* 6: evicts 8 */
        {S, "URL 8 /cgi-bin/HoTMaiL https://login 2"},    /* 7 */
        {S, "URL 10 /cgi-bin/HoTMaiL https://login 2"},   /* 8 */
    };
    msnp_txn_slot two[2];
    run(s, sizeof s / sizeof s[0], two, 2, res);
    check_reply(&res[2], 2, 1, 1);
    KIND(res[6], MSNP_TXN_REPLY);
    CHECK(!res[6].txn.matched);
    check_reply(&res[7], 6, 1, 1);
}

static void test_many_slots(void)
{
    /* The first 64 slots are found through the tracker's in-use mask, more
     * by reading them all: the same rules either way. Of 66 pending
     * requests, 64 slots forget the two oldest and 65 the oldest. */
    static char lines[69][48];
    static step s[69];
    for (int i = 0; i < 66; i++) {
        snprintf(lines[i], sizeof lines[i], "URL %d INBOX", i + 1);
        s[i].dir = C;
        s[i].line = lines[i];
    }
    static const int answered[3] = {1, 2, 66};
    for (int k = 0; k < 3; k++) {
        snprintf(lines[66 + k], sizeof lines[0], "URL %d /cgi-bin/HoTMaiL https://login 2",
                 answered[k]);
        s[66 + k].dir = S;
        s[66 + k].line = lines[66 + k];
    }
    static msnp_txn_slot many[65];
    run(s, 69, many, 64, res);
    CHECK(!res[66].txn.matched);
    CHECK(!res[67].txn.matched);
    check_reply(&res[68], 66, 1, 1);
    run(s, 69, many, 65, res);
    CHECK(!res[66].txn.matched);
    check_reply(&res[67], 2, 1, 1);
    check_reply(&res[68], 66, 1, 1);
}

static void test_no_slots(void)
{
    static const step s[] = {
        {C, "CAL 2 bob@hotmail.com"},
        {S, "CAL 2 RINGING 11752013"},
    };
    run(s, 2, NULL, 0, res);
    check_request(&res[0], MSNP_EXPECT_REPLY);
    KIND(res[1], MSNP_TXN_REPLY);
    CHECK(!res[1].txn.matched);
}

int main(void)
{
    test_login();
    test_dispatch_referral();
    test_syn_dump();
    test_syn_dump_without_request();
    test_chg_iln();
    test_trid_zero_request();
    test_add_followups();
    test_switchboard();
    test_ans_alone();
    test_msnftp();
    test_reused_trid_and_eviction();
    test_many_slots();
    test_no_slots();
    CHECK(strcmp(msnp_txn_kind_name(MSNP_TXN_ASYNC), "async") == 0);
    return check_exit("test_trid");
}
