/* The contact list and presence state of one login (roster.h): a SYN dump
 * with BPR lines after their LST, edits confirmed and refused, a list over
 * the caps, a dump cut short, presence flapping past the timeline cap, and
 * lines that cannot be trusted. Lines are framed and parsed as msnpdump does
 * (msnp_conn tracks the dump, so the parser sees the TrID-less dump forms). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "msnp/conn.h"
#include "msnp/framer.h"
#include "msnp/roster.h"

typedef struct feeder {
    msnp_roster *r;
    msnp_conn conn;
    uint64_t frame;
} feeder;

static void feeder_init(feeder *f, const msnp_roster_limits *l)
{
    memset(f, 0, sizeof *f);
    f->r = msnp_roster_new(l);
    msnp_conn_init(&f->conn);
    msnp_conn_set_client(&f->conn, 0);
    f->conn.roles = MSNP_R_NS;
}

#define C2S 0
#define S2C 1

/* One line (and its payload) from the client (C2S) or the server (S2C). */
static void feed(feeder *f, int side, const char *line, const char *payload)
{
    static uint8_t buf[8192];
    int n = snprintf((char *)buf, sizeof buf, "%s\r\n%s", line, payload ? payload : "");
    msnp_framer fr;
    msnp_framer_init(&fr, NULL, MSNP_START_AT_COMMAND);
    msnp_pdu pdu;
    if (msnp_framer_next(&fr, buf, (size_t)n, &pdu) != MSNP_PDU) {
        CHECK_MSG(0, "did not frame: %s", line);
        return;
    }
    msnp_command cmd;
    msnp_conn_command(&f->conn, side, buf, &pdu, &cmd);
    f->frame++;
    msnp_roster_cmd in = {side == C2S ? MSNP_DIR_C2S : MSNP_DIR_S2C,
                          f->frame,
                          {(int64_t)(1057244400 + f->frame), 0},
                          buf,
                          &pdu,
                          &cmd};
    msnp_roster_command(f->r, &in);
    memset(buf, 'X', sizeof buf); /* the roster keeps copies, never the caller's bytes */
}

static void feed_lines(feeder *f, int side, const char *const *lines)
{
    for (; *lines; lines++)
        feed(f, side, *lines, NULL);
}

/* The contact's text fields as C strings (they are bytes in the roster). */
static const char *str(const msnp_roster *r, msnp_rtext t)
{
    static char out[4][512];
    static int k;
    char *o = out[k++ % 4];
    snprintf(o, sizeof out[0], "%.*s", (int)t.len, (const char *)msnp_roster_str(r, t));
    return o;
}

static const msnp_roster_contact *contact(const msnp_roster *r, const char *account)
{
    const msnp_roster_contact *c = msnp_roster_find(r, account);
    CHECK_MSG(c != NULL, "no contact %s", account);
    return c;
}

static int prop(const msnp_roster *r, const msnp_roster_contact *c, const char *name,
                const char **value)
{
    for (unsigned i = 0; i < MSNP_ROSTER_MAX_PROPS; i++) {
        const char *n = msnp_roster_prop_name(i);
        if (n && !strcmp(n, name) && (c->props_present >> i & 1)) {
            *value = str(r, c->props[i]);
            return 1;
        }
    }
    return 0;
}

static const char profile[] =
    "MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsprofile; charset=UTF-8\r\n"
    "LoginTime: 1057244402\r\nEmailEnabled: 1\r\nMemberIdHigh: 84736\r\n"
    "MemberIdLow: -1937302094\r\nlang_preference: 1033\r\npreferredEmail: alice@hotmail.com\r\n"
    "country: US\r\nPostalCode: \r\nGender: \r\nKid: 0\r\nAge: \r\nBDayPre: \r\nBirthday: \r\n"
    "Wallet: \r\nFlags: 1027\r\nsid: 507\r\nkv: 5\r\nMSPAuth: 53*1hAu8$$\r\n"
    "ClientIP: 203.0.113.7\r\nClientPort: 516\r\n\r\n";

static const char *const login_dump[] = {
    "SYN 8 74 5 3",
    "GTC A",
    "BLP AL",
    "PRP PHH 1%20(425)%20555-0100",
    "PRP MOB N",
    "LSG 0 Other%20Contacts 0",
    "LSG 1 Coworkers 0",
    "LSG 2 Friends 0",
    "LST bob@hotmail.com Bob 11 0,2",
    "BPR PHH 1%20(425)%20555-0199",
    "BPR MOB Y",
    "LST carol@msn.com Carol%20%E2%98%BA 11 1",
    "LST dave@hotmail.com dave@hotmail.com 3 0",
    "BPR PHW 1%20(425)%20555-0123",
    "LST mallory@hotmail.com mallory@hotmail.com 12",
    "LST erin@hotmail.com Erin 8",
    NULL};

static void signed_in(feeder *f)
{
    feed(f, C2S, "CVR 5 0x0409 winnt 5.1 i386 MSNMSGR 5.0.0540 MSMSGS alice@hotmail.com", NULL);
    feed(f, S2C, "USR 7 OK alice@hotmail.com Alice%20A. 1 0", NULL);
    char line[64];
    snprintf(line, sizeof line, "MSG Hotmail Hotmail %zu", strlen(profile));
    feed(f, S2C, line, profile);
    feed(f, C2S, "SYN 8 0", NULL);
    feed_lines(f, S2C, login_dump);
}

static void test_dump_with_bpr(void)
{
    feeder f;
    feeder_init(&f, NULL);
    signed_in(&f);
    msnp_roster *r = f.r;
    CHECK_EQ(r->dump, MSNP_DUMP_RECEIVING); /* BPRs may still follow the last LST */
    feed(&f, C2S, "CHG 9 NLN 0", NULL);
    CHECK_EQ(r->dump, MSNP_DUMP_RECEIVING); /* a client line does not end it */
    feed(&f, S2C, "CHG 9 NLN 0", NULL);
    CHECK_EQ(r->dump, MSNP_DUMP_COMPLETE);

    CHECK_STR(str(r, r->account), "alice@hotmail.com");
    CHECK_EQ(r->account_from, MSNP_ACCOUNT_USR_OK);
    CHECK_STR(str(r, r->nick), "Alice A.");
    CHECK_STR(str(r, r->client[MSNP_CVR_CLIENT_NAME]), "MSNMSGR");
    CHECK_STR(str(r, r->client[MSNP_CVR_CLIENT_VERSION]), "5.0.0540");
    CHECK_STR(str(r, r->client[MSNP_CVR_LOCALE]), "0x0409");
    CHECK(r->profile_len == strlen(profile));
    CHECK(msnp_profile_valid(&r->profile, MSNP_PRO_LOGIN_TIME));
    CHECK_EQ(r->profile.login_time_value, 1057244402);
    CHECK_EQ(r->profile.client_port_value, 1026); /* 516 byte-swapped */

    CHECK_EQ(r->list_version, 74);
    CHECK_EQ(r->cached_version, 0);
    CHECK(r->has_cached_version);
    CHECK_EQ(r->announced_contacts, 5);
    CHECK_EQ(r->announced_groups, 3);
    CHECK_EQ(r->dump_contacts, 5);
    CHECK_EQ(r->dump_groups, 3);
    CHECK_STR(r->gtc, "A");
    CHECK_STR(r->blp, "AL");
    CHECK_EQ(r->ngroups, 3);
    CHECK_STR(str(r, r->groups[0].name), "Other Contacts");

    const char *v;
    const msnp_roster_contact *bob = contact(r, "bob@hotmail.com");
    const msnp_roster_contact *carol = contact(r, "carol@msn.com");
    const msnp_roster_contact *dave = contact(r, "dave@hotmail.com");
    if (bob && carol && dave) {
        CHECK_EQ(bob->lists, 11);
        CHECK_EQ(bob->groups, (1u << 0) | (1u << 2));
        CHECK(prop(r, bob, "PHH", &v) && !strcmp(v, "1 (425) 555-0199"));
        CHECK(prop(r, bob, "MOB", &v) && !strcmp(v, "Y"));
        CHECK(!prop(r, bob, "PHW", &v));
        /* BPR after an LST belongs to that LST, not the one before it */
        CHECK_EQ(carol->props_present, 0);
        CHECK_STR(str(r, carol->nick), "Carol \xE2\x98\xBA");
        CHECK(prop(r, dave, "PHW", &v) && !strcmp(v, "1 (425) 555-0123"));
        CHECK(!prop(r, dave, "PHH", &v));
        CHECK(bob->flags & MSNP_RC_IN_DUMP);
    }
    CHECK_EQ(contact(r, "mallory@hotmail.com")->groups, 0);
    CHECK_EQ(contact(r, "erin@hotmail.com")->lists, 8);
    /* own properties from the dump's PRP lines */
    CHECK(r->props_present != 0);
    CHECK(msnp_roster_find(r, "BOB@Hotmail.com") == bob); /* accounts ignore case */

    CHECK_EQ(r->nstatus, 1);
    CHECK_EQ(r->status[0].outcome, MSNP_RO_DONE);
    CHECK(r->status[0].request_seen);
    CHECK_EQ(r->status[0].frame, 21);
    CHECK_EQ(r->status[0].reply_frame, 22);
    CHECK_EQ(r->dropped.unparsed + r->dropped.orphans + r->dropped.contacts, 0);
    msnp_roster_free(r);
}

/* Edits change the list only when the server confirms them; an error reply
 * leaves it as it was. */
static void test_edits(void)
{
    feeder f;
    feeder_init(&f, NULL);
    signed_in(&f);
    msnp_roster *r = f.r;
    static const struct {
        int side;
        const char *line;
    } script[] = {
        {S2C, "CHG 9 NLN 0"},
        {C2S, "ADD 14 FL frank@hotmail.com frank@hotmail.com 0"},
        {S2C, "ADD 14 FL 77 frank@hotmail.com frank@hotmail.com 0"},
        {S2C, "ILN 14 NLN frank@hotmail.com Frank 0"},
        {C2S, "ADD 17 AL bob@hotmail.com bob@hotmail.com"},
        {S2C, "215 17"},
        {C2S, "ADD 27 FL a@b a@b 0"},
        {S2C, "201 27"},
        {C2S, "RMG 33 0"},
        {S2C, "230 33"},
        {C2S, "BLP 26 AL"},
        {S2C, "218 26"},
        {C2S, "ADG 18 Family 0"},
        {S2C, "ADG 18 81 Family 3 0"},
        {C2S, "REG 19 3 Family%20%26%20Friends 0"},
        {S2C, "REG 19 82 3 Family%20%26%20Friends 0"},
        {C2S, "ADD 20 FL frank@hotmail.com frank@hotmail.com 3"},
        {S2C, "ADD 20 FL 83 frank@hotmail.com frank@hotmail.com 3"},
        {C2S, "REM 21 FL frank@hotmail.com 0"},
        {S2C, "REM 21 FL 84 frank@hotmail.com 0"},
        {C2S, "RMG 22 3"},
        {S2C, "RMG 22 85 3"},
        {S2C, "ADD 0 RL 86 grace@hotmail.com Grace"},
        {S2C, "REM 0 RL 87 mallory@hotmail.com"},
        {C2S, "REA 11 alice@hotmail.com Alice%20(lunch)"},
        {S2C, "REA 11 88 alice@hotmail.com Alice%20(lunch)"},
        {S2C, "BLP 25 89 BL"}, /* its request is not in the capture */
        {C2S, "REM 40 AL dave@hotmail.com"}, /* no reply */
        {C2S, "PRP 41 PHH"},
        {S2C, "PRP 41 90 PHH"},
        {S2C, "BPR 91 bob@hotmail.com PHM 555"},
    };
    for (size_t i = 0; i < sizeof script / sizeof script[0]; i++)
        feed(&f, script[i].side, script[i].line, NULL);

    const msnp_roster_contact *bob = contact(r, "bob@hotmail.com");
    CHECK_EQ(bob->lists, 11); /* the refused ADD AL changed nothing */
    CHECK(msnp_roster_find(r, "a@b") == NULL); /* a refused ADD adds no one */
    CHECK_EQ(r->ngroups, 3); /* group 3 came and went; group 0 survived the refused RMG */
    CHECK_STR(r->blp, "BL");
    const msnp_roster_contact *frank = contact(r, "frank@hotmail.com");
    /* added to FL in groups 0 and 3, removed from 0, then group 3 deleted:
     * only in that group, so off the forward list */
    CHECK_EQ(frank->lists, 0);
    CHECK_EQ(frank->groups, 0);
    CHECK(frank->flags & MSNP_RC_LISTED);
    CHECK_STR(frank->status, "NLN");
    CHECK_EQ(contact(r, "grace@hotmail.com")->lists, 8);
    CHECK_STR(str(r, contact(r, "grace@hotmail.com")->nick), "Grace");
    CHECK_EQ(contact(r, "mallory@hotmail.com")->lists, 4);
    CHECK_STR(str(r, r->nick), "Alice (lunch)");
    CHECK_EQ(r->list_version, 91);
    CHECK_EQ(r->props_present & 1, 0); /* PRP PHH without a value cleared it */
    const char *v;
    CHECK(prop(r, bob, "PHM", &v) && !strcmp(v, "555"));

    /* the edit log, in order */
    static const struct {
        const char *cmd;
        msnp_roster_outcome outcome;
        unsigned error;
        int by_server, request_seen;
    } want[] = {
        {"ADD", MSNP_RO_DONE, 0, 0, 1},   {"ADD", MSNP_RO_FAILED, 215, 0, 1},
        {"ADD", MSNP_RO_FAILED, 201, 0, 1}, {"RMG", MSNP_RO_FAILED, 230, 0, 1},
        {"BLP", MSNP_RO_FAILED, 218, 0, 1}, {"ADG", MSNP_RO_DONE, 0, 0, 1},
        {"REG", MSNP_RO_DONE, 0, 0, 1},   {"ADD", MSNP_RO_DONE, 0, 0, 1},
        {"REM", MSNP_RO_DONE, 0, 0, 1},   {"RMG", MSNP_RO_DONE, 0, 0, 1},
        {"ADD", MSNP_RO_DONE, 0, 1, 0},   {"REM", MSNP_RO_DONE, 0, 1, 0},
        {"REA", MSNP_RO_DONE, 0, 0, 1},   {"BLP", MSNP_RO_DONE, 0, 0, 0},
        {"REM", MSNP_RO_NO_REPLY, 0, 0, 1}, {"PRP", MSNP_RO_DONE, 0, 0, 1},
        {"BPR", MSNP_RO_DONE, 0, 1, 0},
    };
    CHECK_EQ(r->nedits, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < r->nedits && i < sizeof want / sizeof want[0]; i++) {
        const msnp_roster_edit *e = &r->edits[i];
        CHECK_STR(e->cmd, want[i].cmd);
        CHECK_MSG(e->outcome == want[i].outcome, "edit %zu: outcome %d", i, e->outcome);
        CHECK_EQ(e->error_code, want[i].error);
        CHECK_EQ(e->by_server, want[i].by_server);
        CHECK_EQ(e->request_seen, want[i].request_seen);
    }
    CHECK_STR(r->edits[1].list, "AL");
    CHECK_STR(str(r, r->edits[1].account), "bob@hotmail.com");
    CHECK_EQ(r->edits[1].reply_frame, r->edits[1].frame + 1);
    CHECK_EQ(r->edits[5].group_id, 3); /* ADG: the id the server gave */
    CHECK_STR(str(r, r->edits[6].text), "Family & Friends");
    CHECK_EQ(r->edits[0].list_version, 77);
    msnp_roster_free(r);
}

/* More contacts than the cap: the rest are counted, and a dropped contact's
 * BPR lines do not land on the contact before it. */
static void test_over_cap(void)
{
    msnp_roster_limits l;
    msnp_roster_limits_default(&l);
    l.max_contacts = 3;
    l.max_groups = 2;
    feeder f;
    feeder_init(&f, &l);
    msnp_roster *r = f.r;
    static const char *const dump[] = {"SYN 3 10 5 3",
                                       "LSG 0 Other%20Contacts 0",
                                       "LSG 1 Coworkers 0",
                                       "LSG 2 Friends 0",
                                       "LST a@x.com A 1 0",
                                       "LST b@x.com B 1 0",
                                       "LST c@x.com C 1 1",
                                       "BPR PHH 111",
                                       "LST d@x.com D 1 1",
                                       "BPR PHH 222",
                                       "LST e@x.com E 9 2",
                                       "BPR MOB Y",
                                       NULL};
    feed_lines(&f, S2C, dump);
    feed(&f, S2C, "NLN NLN d@x.com D 0", NULL);
    feed(&f, S2C, "NLN NLN a@x.com A 0", NULL);
    msnp_roster_end(r);
    CHECK_EQ(r->dump, MSNP_DUMP_COMPLETE); /* every line came; not every one was kept */
    CHECK_EQ(r->ncontacts, 3);
    CHECK_EQ(r->dropped.contacts, 2);
    CHECK_EQ(r->ngroups, 2);
    CHECK_EQ(r->dropped.groups, 1);
    CHECK_EQ(r->dropped.orphans, 0);
    CHECK_EQ(r->dropped.presence, 1); /* d@x.com has no room */
    CHECK_EQ(r->npresence, 1);
    const char *v;
    const msnp_roster_contact *c = contact(r, "c@x.com");
    CHECK(prop(r, c, "PHH", &v) && !strcmp(v, "111"));
    CHECK(!prop(r, c, "MOB", &v));
    msnp_roster_free(r);

    /* the text budget: what does not fit is counted; a contact whose name
     * does not fit is not kept */
    l.max_contacts = 100;
    l.max_text = 60;
    feeder_init(&f, &l);
    r = f.r;
    feed(&f, S2C, "SYN 3 10 4 0", NULL);
    feed(&f, S2C, "LST a-rather-long-account-name@example.com Someone 1", NULL); /* 38 + 7 */
    feed(&f, S2C, "LST c@x.com A%20nickname%20too%20long%20for%20what%20is%20left 1", NULL);
    feed(&f, S2C, "LST b@x.com Bee 1", NULL); /* 7 fit, 3 do not */
    feed(&f, S2C, "LST d@x.com D 1", NULL);
    CHECK_EQ(r->ncontacts, 3);
    CHECK_EQ(r->dropped.text, 3);
    CHECK_EQ(r->dropped.contacts, 1);
    CHECK_EQ(r->text_len, 59);
    CHECK_STR(str(r, contact(r, "a-rather-long-account-name@example.com")->nick), "Someone");
    CHECK_EQ(contact(r, "c@x.com")->nick.len, 0);
    CHECK_EQ(contact(r, "c@x.com")->lists, 1);
    msnp_roster_free(r);
}

static void test_cut_short(void)
{
    feeder f;
    feeder_init(&f, NULL);
    msnp_roster *r = f.r;
    static const char *const dump[] = {"SYN 8 74 4 2", "GTC A", "BLP AL", "LSG 0 Other 0",
                                       "LSG 1 Work 0", "LST a@x.com A 11 0", "LST b@x.com B 3 1",
                                       NULL};
    feed_lines(&f, S2C, dump);
    CHECK_EQ(r->dump, MSNP_DUMP_RECEIVING);
    feed(&f, S2C, "CHG 9 NLN 0", NULL);
    CHECK_EQ(r->dump, MSNP_DUMP_CUT_SHORT);
    CHECK_EQ(r->announced_contacts, 4);
    CHECK_EQ(r->dump_contacts, 2);
    CHECK_EQ(r->dump_groups, 2);
    CHECK_EQ(r->ncontacts, 2);
    /* the connection ending inside a dump cuts it short too */
    feed(&f, S2C, "SYN 10 75 3 0", NULL);
    feed(&f, S2C, "LST c@x.com C 8", NULL);
    CHECK_EQ(r->dump, MSNP_DUMP_RECEIVING);
    msnp_roster_end(r);
    CHECK_EQ(r->dump, MSNP_DUMP_CUT_SHORT);
    /* a new dump replaced the list: a and b are no longer on it */
    CHECK_EQ(contact(r, "a@x.com")->lists, 0);
    CHECK(!(contact(r, "a@x.com")->flags & MSNP_RC_LISTED));
    CHECK_EQ(contact(r, "c@x.com")->lists, 8);
    CHECK_EQ(r->list_version, 75);
    msnp_roster_free(r);

    /* "SYN 8 74": the cached list is current, nothing follows */
    feeder_init(&f, NULL);
    r = f.r;
    feed(&f, C2S, "SYN 8 74", NULL);
    feed(&f, S2C, "SYN 8 74", NULL);
    CHECK_EQ(r->dump, MSNP_DUMP_CURRENT);
    CHECK_EQ(r->cached_version, 74);
    msnp_roster_free(r);

    /* a capture that begins inside the dump: its lines, without the SYN */
    feeder_init(&f, NULL);
    r = f.r;
    f.conn.side[1].in_syn_dump = 1; /* as msnpdump's connection state would not know */
    feed(&f, S2C, "LST a@x.com A 11 0", NULL);
    feed(&f, S2C, "BPR PHH 1", NULL);
    feed(&f, S2C, "ILN 9 NLN a@x.com A 0", NULL);
    msnp_roster_end(r);
    CHECK_EQ(r->dump, MSNP_DUMP_NO_SYN);
    CHECK_EQ(r->announced, 0);
    CHECK_EQ(contact(r, "a@x.com")->lists, 11);
    CHECK_EQ(contact(r, "a@x.com")->props_present != 0, 1);
    msnp_roster_free(r);
}

/* A contact flapping on and off: every change in order until the cap, the
 * rest counted; the contact's last status is always the latest. */
static void test_presence_flapping(void)
{
    msnp_roster_limits l;
    msnp_roster_limits_default(&l);
    l.max_presence = 6;
    feeder f;
    feeder_init(&f, &l);
    msnp_roster *r = f.r;
    feed(&f, S2C, "ILN 9 AWY bob@hotmail.com Bob 268435492", NULL);
    for (int i = 0; i < 5; i++) {
        feed(&f, S2C, "NLN NLN bob@hotmail.com Bob%20(back) 268435492", NULL);
        feed(&f, S2C, "FLN bob@hotmail.com", NULL);
    }
    CHECK_EQ(r->npresence, 6);
    CHECK_EQ(r->dropped.presence, 5);
    CHECK_STR(r->presence[0].cmd, "ILN");
    CHECK_STR(r->presence[0].status, "AWY");
    CHECK_STR(str(r, r->presence[0].nick), "Bob");
    for (int i = 1; i < 6; i++) {
        CHECK_STR(r->presence[i].cmd, i % 2 ? "NLN" : "FLN");
        CHECK_STR(r->presence[i].status, i % 2 ? "NLN" : "FLN");
        CHECK_EQ(r->presence[i].frame, (uint64_t)i + 1);
    }
    CHECK_STR(str(r, r->presence[1].nick), "Bob (back)");
    CHECK(r->presence[2].nick.len == 0);
    CHECK_EQ(r->presence[1].client_id, 268435492);
    const msnp_roster_contact *bob = contact(r, "bob@hotmail.com");
    CHECK_STR(bob->status, "FLN");
    CHECK(!(bob->flags & MSNP_RC_LISTED)); /* seen, but no list said so */
    CHECK(bob->flags & MSNP_RC_PRESENCE);
    /* a repeated name is stored once */
    uint32_t used = r->text_len;
    feed(&f, S2C, "NLN NLN bob@hotmail.com Bob%20(back) 268435492", NULL);
    CHECK_EQ(r->text_len, used);
    /* a later version's NLN (with an MSNObject) is read the same way */
    feed(&f, S2C, "NLN IDL carol@msn.com Carol 1073856572 %3Cmsnobj%2F%3E", NULL);
    CHECK_STR(contact(r, "carol@msn.com")->status, "IDL");
    msnp_roster_free(r);
}

static void test_own_status(void)
{
    feeder f;
    feeder_init(&f, NULL);
    msnp_roster *r = f.r;
    feed(&f, C2S, "CHG 14 HDN 0", NULL);
    feed(&f, S2C, "CHG 14 HDN 0", NULL);
    feed(&f, C2S, "CHG 15 FLN 0", NULL);
    feed(&f, S2C, "201 15", NULL);
    feed(&f, S2C, "CHG 0 NLN 0", NULL);
    feed(&f, S2C, "CHG 16 AWY 28", NULL); /* its request is not in the capture */
    CHECK_EQ(r->nstatus, 4);
    CHECK_STR(r->status[0].status, "HDN");
    CHECK_EQ(r->status[0].outcome, MSNP_RO_DONE);
    CHECK_STR(r->status[1].status, "FLN");
    CHECK_EQ(r->status[1].outcome, MSNP_RO_FAILED);
    CHECK_EQ(r->status[1].error_code, 201);
    CHECK_EQ(r->status[1].reply_frame, 4);
    CHECK(r->status[2].by_server);
    CHECK(!r->status[3].request_seen);
    CHECK_EQ(r->status[3].client_id, 28);
    msnp_roster_free(r);
}

/* Lines whose values cannot be right are counted and not used. */
static void test_untrusted(void)
{
    feeder f;
    feeder_init(&f, NULL);
    msnp_roster *r = f.r;
    feed(&f, S2C, "SYN 8 74 6 1", NULL);
    feed(&f, S2C, "BPR PHH 555", NULL); /* before any LST */
    feed(&f, S2C, "LSG 99 Far 0", NULL); /* group id past 63 */
    feed(&f, S2C, "LST a@x.com A 99 0", NULL); /* list bits past RL */
    feed(&f, S2C, "LST b@x.com B 1 0,,2", NULL);
    feed(&f, S2C, "LST c@x.com C 1 0,64", NULL);
    feed(&f, S2C, "LST d@x.com D 3", NULL);
    feed(&f, S2C, "BPR XYZ 1", NULL); /* not a property */
    feed(&f, S2C, "LST e@x.com E 3 0", NULL);
    msnp_roster_end(r);
    CHECK_EQ(r->dropped.orphans, 1);
    CHECK_EQ(r->dropped.unparsed, 5);
    CHECK_EQ(r->ngroups, 0);
    CHECK(msnp_roster_find(r, "a@x.com") == NULL);
    CHECK(msnp_roster_find(r, "b@x.com") == NULL);
    CHECK_EQ(contact(r, "d@x.com")->props_present, 0);
    CHECK_EQ(r->dump_contacts, 5); /* received, though not all trusted */
    CHECK_EQ(r->dump, MSNP_DUMP_CUT_SHORT);
    msnp_roster_free(r);
}

int main(void)
{
    test_dump_with_bpr();
    test_edits();
    test_over_cap();
    test_cut_short();
    test_presence_flapping();
    test_own_status();
    test_untrusted();
    return check_exit("test_roster");
}
