/* Correlation: switchboards tied to their login by XFR and RNG cookies, a
 * message seen on two legs reported once, an invitation tied to its MSNFTP
 * transfer, rosters, and limits. Lines are fed as msnpdump feeds them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "msnp/corr.h"
#include "msnp/md5.h"

#define MAX_EVENTS 64

typedef struct seen {
    msnp_event_kind kind;
    char from[64];
    char to[4][64];
    unsigned nto, nlegs;
    uint32_t sid;
    char session_id[32];
    uint64_t frames[MSNP_EV_MAX_LEGS];
    msnp_invite_info inv;
    msnp_sb_info sb;
    msnp_login_info login;
} seen;

static seen events[MAX_EVENTS];
static unsigned nevents;

static void on_event(void *ctx, const msnp_event *ev)
{
    (void)ctx;
    if (nevents == MAX_EVENTS)
        return;
    seen *s = &events[nevents++];
    memset(s, 0, sizeof *s);
    s->kind = ev->kind;
    s->sid = ev->sid;
    if (ev->from)
        snprintf(s->from, sizeof s->from, "%s", ev->from);
    for (unsigned i = 0; i < ev->nto && i < 4; i++)
        snprintf(s->to[i], sizeof s->to[i], "%s", ev->to[i]);
    s->nto = ev->nto;
    s->nlegs = ev->nlegs;
    memcpy(s->frames, ev->frames, sizeof s->frames);
    if (ev->session_id)
        snprintf(s->session_id, sizeof s->session_id, "%s", ev->session_id);
    if (ev->invite)
        s->inv = *ev->invite;
    if (ev->sb)
        s->sb = *ev->sb;
    if (ev->login)
        s->login = *ev->login;
}

/* Frame and parse a line (plus payload) the way msnpdump does, then feed it. */
static uint64_t frame_no;
static int64_t clock_jump; /* seconds added to every later command's time */

static msnp_corr_note feed(msnp_corr *c, uint64_t conn, msnp_role role, msnp_dir dir,
                           const char *line, const char *payload)
{
    static uint8_t buf[8192];
    int n = snprintf((char *)buf, sizeof buf, "%s\r\n%s", line, payload ? payload : "");
    msnp_framer f;
    msnp_framer_init(&f, NULL, MSNP_START_AT_COMMAND);
    msnp_pdu pdu;
    msnp_corr_note note;
    memset(&note, 0, sizeof note);
    if (msnp_framer_next(&f, buf, (size_t)n, &pdu) != MSNP_PDU) {
        CHECK_MSG(0, "did not frame: %s", line);
        return note;
    }
    msnp_parse_ctx ctx = {(uint8_t)role, (uint8_t)dir, 0, 0};
    msnp_command cmd;
    msnp_parse_command(&ctx, buf, &pdu, &cmd);
    frame_no++;
    static const char *const ends[][2] = {{"", ""},
                                          {"192.0.2.10:1026", "207.46.106.145:1863"},
                                          {"192.0.2.10:1030", "207.46.108.37:1863"},
                                          {"198.51.100.20:2811", "207.46.106.146:1863"},
                                          {"198.51.100.20:2815", "207.46.108.37:1863"},
                                          {"198.51.100.20:2820", "192.0.2.10:6891"}};
    msnp_corr_cmd in = {conn,  role,    dir, ends[conn][0], ends[conn][1], frame_no,
                        {(int64_t)(1000 + frame_no) + clock_jump, 0}, buf, &pdu, &cmd, NULL};
    msnp_corr_command(c, &in, &note);
    return note;
}

#define NS_A 1
#define SB_A 2
#define NS_B 3
#define SB_B 4
#define FT 5

static const char text_payload[] = "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                                   "\r\nhello";

/* "MSG 3 N" + the payload's length */
static char *with_len(const char *head, const char *payload)
{
    static char line[256];
    snprintf(line, sizeof line, "%s %zu", head, strlen(payload));
    return line;
}

static void test_two_legs_and_transfer(void)
{
    nevents = 0;
    msnp_corr *c = msnp_corr_new(NULL, on_event, NULL);
    const msnp_role NS = MSNP_ROLE_NS, SB = MSNP_ROLE_SB;
    const msnp_dir C2S = MSNP_DIR_C2S, S2C = MSNP_DIR_S2C;

    msnp_corr_note n = feed(c, NS_A, NS, S2C, "USR 7 OK alice@hotmail.com Alice 1 0", NULL);
    CHECK_EQ(n.sid, 1);
    feed(c, NS_A, NS, C2S, "XFR 12 SB", NULL);
    feed(c, NS_A, NS, S2C, "XFR 12 SB 207.46.108.37:1863 CKI 1.2.3", NULL);
    n = feed(c, SB_A, SB, C2S, "USR 1 alice@hotmail.com 1.2.3", NULL);
    CHECK_EQ(n.sid, 1);
    CHECK(n.linked_by && !strcmp(n.linked_by, "XFR cookie"));
    feed(c, SB_A, SB, S2C, "USR 1 OK alice@hotmail.com Alice", NULL);
    feed(c, SB_A, SB, C2S, "CAL 2 bob@hotmail.com", NULL);
    n = feed(c, SB_A, SB, S2C, "CAL 2 RINGING 9001", NULL);
    CHECK(n.session_id && !strcmp(n.session_id, "9001"));

    /* bob's login is seen mid-session: its account comes from its switchboard */
    feed(c, NS_B, NS, S2C, "RNG 9001 207.46.108.37:1863 CKI 4.5.6 alice@hotmail.com Alice", NULL);
    n = feed(c, SB_B, SB, C2S, "ANS 1 bob@hotmail.com 4.5.6 9001", NULL);
    CHECK_EQ(n.sid, 2);
    CHECK(n.linked_by && !strcmp(n.linked_by, "RNG cookie"));
    feed(c, SB_B, SB, S2C, "IRO 1 1 1 alice@hotmail.com Alice", NULL);
    feed(c, SB_B, SB, S2C, "ANS 1 OK", NULL);
    feed(c, SB_A, SB, S2C, "JOI bob@hotmail.com Bob", NULL);

    /* one message, two legs */
    unsigned before = nevents;
    feed(c, SB_A, SB, C2S, with_len("MSG 3 N", text_payload), text_payload);
    CHECK_EQ(nevents, before); /* waits for its other leg */
    feed(c, SB_B, SB, S2C, with_len("MSG alice@hotmail.com Alice", text_payload), text_payload);
    CHECK_EQ(nevents, before + 1);
    const seen *m = &events[nevents - 1];
    CHECK(m->kind == MSNP_EV_MESSAGE && !strcmp(m->from, "alice@hotmail.com"));
    CHECK(m->nto == 1 && !strcmp(m->to[0], "bob@hotmail.com"));
    CHECK(m->nlegs == 2 && m->frames[1] == m->frames[0] + 1);
    CHECK(!strcmp(m->session_id, "9001"));

    /* the same words again are another message */
    feed(c, SB_A, SB, C2S, with_len("MSG 4 N", text_payload), text_payload);
    feed(c, SB_B, SB, S2C, with_len("MSG alice@hotmail.com Alice", text_payload), text_payload);
    CHECK_EQ(nevents, before + 2);

    /* an invitation and its transfer */
    static const char inv[] = "MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinvite; "
                              "charset=UTF-8\r\n\r\nApplication-Name: File Transfer\r\n"
                              "Application-GUID: {5D3E02AB-6190-11d3-BBBB-00C04F795683}\r\n"
                              "Invitation-Command: INVITE\r\nInvitation-Cookie: 58213\r\n"
                              "Application-File: a.txt\r\nApplication-FileSize: 10\r\n\r\n";
    static const char acc[] = "MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinvite; "
                              "charset=UTF-8\r\n\r\nInvitation-Command: ACCEPT\r\n"
                              "Invitation-Cookie: 58213\r\nIP-Address: 192.0.2.10\r\n"
                              "Port: 6891\r\nAuthCookie: 777\r\n\r\n";
    feed(c, SB_A, SB, C2S, with_len("MSG 5 N", inv), inv);
    feed(c, SB_B, SB, S2C, with_len("MSG alice@hotmail.com Alice", inv), inv);
    feed(c, SB_A, SB, C2S, with_len("MSG 6 N", acc), acc);
    feed(c, SB_B, SB, S2C, with_len("MSG alice@hotmail.com Alice", acc), acc);
    msnp_corr_ftp_data(c, FT, "198.51.100.20:2820", "192.0.2.10:6891",
                       (const uint8_t *)"0123456789", 10); /* before its commands */
    feed(c, FT, MSNP_ROLE_FTP, C2S, "VER MSNFTP", NULL);
    n = feed(c, FT, MSNP_ROLE_FTP, C2S, "USR bob@hotmail.com 777", NULL);
    CHECK_EQ(n.sid, 1);
    CHECK(n.linked_by && !strcmp(n.linked_by, "AuthCookie"));
    feed(c, FT, MSNP_ROLE_FTP, S2C, "FIL 10", NULL);
    feed(c, FT, MSNP_ROLE_FTP, C2S, "BYE 16777989", NULL);
    msnp_corr_conn_end(c, FT, (msnp_time){2000, 0});
    const seen *e = &events[nevents - 1];
    CHECK(e->kind == MSNP_EV_INVITE_END);
    CHECK(!strcmp(e->inv.outcome, "transferred") && e->inv.bytes == 10 && e->inv.md5_valid);
    CHECK(!strcmp(e->inv.file, "a.txt") && !strcmp(e->inv.inviter, "alice@hotmail.com"));
    CHECK(!strcmp(e->inv.invitee, "bob@hotmail.com") && e->inv.port == 6891);
    uint8_t md5[16];
    msnp_md5("0123456789", 10, md5);
    CHECK(memcmp(md5, e->inv.md5, 16) == 0);

    /* the conversation ends with its last leg */
    msnp_corr_conn_end(c, SB_B, (msnp_time){2001, 0});
    unsigned k = nevents;
    msnp_corr_conn_end(c, SB_A, (msnp_time){2002, 0});
    const seen *sb = NULL;
    for (unsigned i = k; i < nevents; i++)
        if (events[i].kind == MSNP_EV_SB_END)
            sb = &events[i];
    CHECK(sb && sb->sb.nconns == 2 && sb->sb.messages == 2 && sb->sb.invites == 2);
    CHECK(sb && !strcmp(sb->sb.session_id, "9001") && sb->sb.nparticipants == 2);
    msnp_corr_flush(c);
    int logins = 0;
    for (unsigned i = 0; i < nevents; i++) {
        if (events[i].kind != MSNP_EV_LOGIN_END)
            continue;
        logins++;
        const msnp_login_info *l = &events[i].login;
        if (l->sid == 1)
            CHECK(!strcmp(l->user, "alice@hotmail.com") && l->login_seen && l->transfers == 1);
        else
            CHECK(!strcmp(l->user, "bob@hotmail.com") && !l->login_seen && l->switchboards == 1);
    }
    CHECK_EQ(logins, 2);
    msnp_corr_free(c);
}

/* A message seen on one leg only is released after the leg window, and by a
 * full queue; limits on remembered logins are kept. */
static void test_limits(void)
{
    nevents = 0;
    msnp_corr_limits lim;
    msnp_corr_limits_default(&lim);
    lim.max_logins = 4;
    lim.max_pending = 2;
    msnp_corr *c = msnp_corr_new(&lim, on_event, NULL);
    for (uint64_t i = 1; i <= 20; i++)
        feed(c, 1 + (i % 5), MSNP_ROLE_NS, MSNP_DIR_C2S, "PNG", NULL);
    const msnp_corr_stats *st = msnp_corr_get_stats(c);
    CHECK_MSG(st->logins == 5 && st->forgotten >= 1, "logins %llu forgotten %llu", (unsigned long long)st->logins, (unsigned long long)st->forgotten);
    msnp_corr_flush(c);
    msnp_corr_free(c);
}

/* A switchboard cookie nobody uses is forgotten after ten minutes of capture
 * time, and with it the ended login it kept: memory follows the traffic open
 * at once, not the capture's length. A cookie used in time still links. */
static void test_unused_cookie_expires(void)
{
    nevents = 0;
    clock_jump = 0;
    msnp_corr *c = msnp_corr_new(NULL, on_event, NULL);
    const msnp_role NS = MSNP_ROLE_NS, SB = MSNP_ROLE_SB;
    const msnp_dir C2S = MSNP_DIR_C2S, S2C = MSNP_DIR_S2C;
    feed(c, NS_A, NS, S2C, "USR 7 OK alice@hotmail.com Alice 1 0", NULL);
    feed(c, NS_A, NS, S2C, "XFR 12 SB 207.46.108.37:1863 CKI 1.2.3", NULL);
    feed(c, NS_A, NS, S2C, "XFR 13 SB 207.46.108.37:1863 CKI 7.8.9", NULL);
    msnp_corr_note n = feed(c, SB_A, SB, C2S, "USR 1 alice@hotmail.com 7.8.9", NULL);
    CHECK(n.linked_by && !strcmp(n.linked_by, "XFR cookie"));
    msnp_corr_conn_end(c, NS_A, (msnp_time){1100, 0});
    clock_jump = 601;
    n = feed(c, SB_B, SB, C2S, "USR 1 alice@hotmail.com 1.2.3", NULL);
    CHECK_MSG(!(n.linked_by && !strcmp(n.linked_by, "XFR cookie")) && n.sid == 0,
              "an expired cookie linked (by %s) to login S%u", n.linked_by ? n.linked_by : "-",
              n.sid);
    msnp_corr_flush(c);
    msnp_corr_free(c);
    clock_jump = 0;
}

/* Each message's event carries its own payload, though the copies are made
 * in buffers kept from earlier messages: a conversation of many messages
 * allocates a few, and one larger than a kept buffer gets its own. */
static char sent_payload[4096];
static unsigned payloads_checked, payloads_wrong;

static void on_message_payload(void *ctx, const msnp_event *ev)
{
    (void)ctx;
    if (ev->kind != MSNP_EV_MESSAGE)
        return;
    payloads_checked++;
    if (ev->payload_len != strlen(sent_payload) ||
        memcmp(ev->payload, sent_payload, ev->payload_len) != 0)
        payloads_wrong++;
}

static void test_message_copies_reused(void)
{
    msnp_corr *c = msnp_corr_new(NULL, on_message_payload, NULL);
    const msnp_role SB = MSNP_ROLE_SB;
    payloads_checked = payloads_wrong = 0;
    feed(c, SB_A, SB, MSNP_DIR_C2S, "USR 1 alice@hotmail.com 1.2.3", NULL);
    feed(c, SB_A, SB, MSNP_DIR_S2C, "USR 1 OK alice@hotmail.com Alice", NULL);
    char body[3000];
    for (unsigned i = 0; i < 400; i++) {
        size_t len = i == 200 ? sizeof body - 1 : 1 + (size_t)check_rand() % 300;
        memset(body, 'a' + (int)(i % 26), len);
        body[len] = '\0';
        snprintf(sent_payload, sizeof sent_payload,
                 "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n%s", body);
        feed(c, SB_A, SB, MSNP_DIR_C2S, with_len("MSG 2 N", sent_payload), sent_payload);
        msnp_corr_flush(c);
    }
    CHECK_EQ(payloads_checked, 400);
    CHECK_EQ(payloads_wrong, 0);
    /* The first message's buffer, the large one's, one after it, and one
     * more: nobody is called, so Alice's join waits for a session id until
     * the first flush, and its event, without a buffer, joins the spares. */
    const msnp_corr_stats *st = msnp_corr_get_stats(c);
    CHECK_MSG(st->payload_buffers == 4, "%llu buffers for 400 messages, one at a time",
              (unsigned long long)st->payload_buffers);
    msnp_corr_free(c);
}

/* A caller is in its conversation (USR's OK) before CAL's RINGING names it:
 * its join waits for the name, at most the leg window, so that it carries
 * the session id of the lines after it. */
static void test_caller_join_named(void)
{
    const msnp_role NS = MSNP_ROLE_NS, SB = MSNP_ROLE_SB;
    const msnp_dir C2S = MSNP_DIR_C2S, S2C = MSNP_DIR_S2C;

    nevents = 0;
    msnp_corr *c = msnp_corr_new(NULL, on_event, NULL);
    feed(c, NS_A, NS, S2C, "USR 7 OK alice@hotmail.com Alice 1 0", NULL);
    feed(c, NS_A, NS, S2C, "XFR 12 SB 207.46.108.37:1863 CKI 1.2.3", NULL);
    feed(c, SB_A, SB, C2S, "USR 1 alice@hotmail.com 1.2.3", NULL);
    feed(c, SB_A, SB, S2C, "USR 1 OK alice@hotmail.com Alice", NULL);
    CHECK_EQ(nevents, 0); /* waiting for the name */
    feed(c, SB_A, SB, S2C, "CAL 2 RINGING 11752013", NULL);
    CHECK_EQ(nevents, 1);
    CHECK(events[0].kind == MSNP_EV_JOIN && !strcmp(events[0].from, "alice@hotmail.com"));
    CHECK_STR(events[0].session_id, "11752013");
    feed(c, SB_A, SB, S2C, "JOI bob@hotmail.com Bob", NULL);
    CHECK_EQ(nevents, 2);
    CHECK_STR(events[1].from, "bob@hotmail.com");
    CHECK_STR(events[1].session_id, "11752013");
    msnp_corr_free(c);

    /* Nobody called: the join goes without a name once the leg window has
     * passed (commands here are a second apart), still before what follows. */
    nevents = 0;
    c = msnp_corr_new(NULL, on_event, NULL);
    feed(c, SB_B, SB, S2C, "USR 1 OK bob@hotmail.com Bob", NULL);
    feed(c, SB_B, SB, C2S, with_len("MSG 2 N", text_payload), text_payload);
    CHECK_EQ(nevents, 0);
    feed(c, SB_B, SB, C2S, with_len("MSG 3 N", text_payload), text_payload);
    feed(c, SB_B, SB, C2S, with_len("MSG 4 N", text_payload), text_payload);
    CHECK(nevents >= 2);
    CHECK(events[0].kind == MSNP_EV_JOIN && !strcmp(events[0].from, "bob@hotmail.com"));
    CHECK_STR(events[0].session_id, "");
    CHECK(events[1].kind == MSNP_EV_MESSAGE);
    msnp_corr_free(c);

    /* The connection ends first: the join goes with it, unnamed. */
    nevents = 0;
    c = msnp_corr_new(NULL, on_event, NULL);
    feed(c, SB_B, SB, S2C, "USR 1 OK bob@hotmail.com Bob", NULL);
    msnp_corr_conn_end(c, SB_B, (msnp_time){1000 + (int64_t)frame_no + clock_jump, 0});
    CHECK(nevents >= 1);
    CHECK(events[0].kind == MSNP_EV_JOIN && events[0].session_id[0] == '\0');
    msnp_corr_free(c);
}

/* A transfer whose invitation is not in the capture is reported on its own,
 * with the frames and time of its connection's commands (not frame 0 and the
 * epoch). */
static void test_orphan_transfer_times(void)
{
    nevents = 0;
    clock_jump = 0;
    msnp_corr *c = msnp_corr_new(NULL, on_event, NULL);
    const msnp_dir C2S = MSNP_DIR_C2S, S2C = MSNP_DIR_S2C;
    uint64_t first = frame_no + 1;
    feed(c, FT, MSNP_ROLE_FTP, C2S, "VER MSNFTP", NULL);
    feed(c, FT, MSNP_ROLE_FTP, S2C, "VER MSNFTP", NULL);
    feed(c, FT, MSNP_ROLE_FTP, C2S, "USR bob@hotmail.com 4242", NULL);
    feed(c, FT, MSNP_ROLE_FTP, S2C, "FIL 4", NULL);
    msnp_corr_ftp_data(c, FT, "198.51.100.20:2820", "192.0.2.10:6891", (const uint8_t *)"abcd",
                       4);
    feed(c, FT, MSNP_ROLE_FTP, C2S, "BYE 16777989", NULL);
    uint64_t last = frame_no;
    msnp_corr_conn_end(c, FT, (msnp_time){(int64_t)(1000 + last) + 1, 0});
    CHECK(nevents >= 1);
    const seen *e = nevents ? &events[nevents - 1] : NULL;
    CHECK(e && e->kind == MSNP_EV_INVITE_END);
    if (e && e->kind == MSNP_EV_INVITE_END) {
        CHECK(!strcmp(e->inv.outcome, "transferred") && e->inv.bytes == 4);
        CHECK(!e->inv.inviter[0] && !strcmp(e->inv.auth_cookie, "4242"));
        CHECK_EQ(e->inv.first_frame, first);
        CHECK_EQ(e->inv.last_frame, last);
        CHECK_EQ(e->inv.first_ts.sec, (int64_t)(1000 + first));
        CHECK_EQ(e->inv.last_ts.sec, (int64_t)(1000 + last));
    }
    msnp_corr_flush(c);
    msnp_corr_free(c);
}

int main(void)
{
    test_two_legs_and_transfer();
    test_limits();
    test_unused_cookie_expires();
    test_message_copies_reused();
    test_caller_join_named();
    test_orphan_transfer_times();
    return check_exit("test_corr");
}
