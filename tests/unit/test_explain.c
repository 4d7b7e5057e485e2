/* The teaching tables of libmsnp/explain*.c against the command and error
 * tables: one guide row per command, error codes that exist, procedure steps
 * that are complete and each reachable by a real line (a form's example,
 * through the framer and the parser), line shapes, and the sentences for
 * errors, acknowledgement modes and payloads. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "msnp/errors.h"
#include "msnp/explain.h"
#include "msnp/msnp.h"

/* ---- Guides -------------------------------------------------------------- */

static void check_guides(void)
{
    CHECK_EQ(msnp_command_guide_count(), msnp_command_count());
    for (size_t i = 0; i < msnp_command_guide_count(); i++) {
        const msnp_command_guide *g = msnp_command_guide_at(i);
        CHECK_MSG(msnp_command_lookup((const uint8_t *)g->name, strlen(g->name)) != NULL,
                  "guide row %s: no such command", g->name);
        if (i)
            CHECK_MSG(strcmp(msnp_command_guide_at(i - 1)->name, g->name) < 0,
                      "guide rows not sorted at %s", g->name);
        CHECK_MSG(g->exchange && strlen(g->exchange) > 20, "%s: no exchange text", g->name);
        for (unsigned k = 0; k < MSNP_GUIDE_MAX_ERRORS && g->errors[k]; k++)
            CHECK_MSG(msnp_error_lookup(g->errors[k]) != NULL, "%s: error %u not in the table",
                      g->name, (unsigned)g->errors[k]);
    }
    for (size_t i = 0; i < msnp_command_count(); i++) {
        const msnp_command_info *ci = msnp_command_at(i);
        const msnp_command_guide *g = msnp_command_guide_find(ci->name, 3);
        CHECK_MSG(g && !strcmp(g->name, ci->name), "%s: no guide row", ci->name);
    }
    CHECK(msnp_command_guide_find("ZZZ", 3) == NULL);
    CHECK(msnp_command_guide_find("AD", 2) == NULL);
    for (unsigned k = 0; msnp_general_errors[k]; k++)
        CHECK_MSG(msnp_error_lookup(msnp_general_errors[k]) != NULL, "general error %u",
                  (unsigned)msnp_general_errors[k]);
    CHECK(msnp_failure_answer("PAG", 3) != NULL);
    CHECK(msnp_failure_answer("ADD", 3) == NULL);
}

/* ---- Steps --------------------------------------------------------------- */

/* Frame and parse a form's example (payload filled with 'x') as `dir` on a
 * connection of `role`; returns the step msnp_step_find gives it. */
static const msnp_step *step_of_example(const msnp_form *f, msnp_role role, msnp_dir dir,
                                        unsigned kind)
{
    static uint8_t buf[4096];
    size_t len = strlen(f->example);
    size_t plen = 0;
    const char *sp = strrchr(f->example, ' ');
    size_t al = strlen(f->args);
    if (al >= 11 && !strcmp(f->args + al - 11, "payload_len") && sp)
        plen = (size_t)strtoul(sp + 1, NULL, 10);
    if (len + 2 + plen > sizeof buf)
        return NULL;
    memcpy(buf, f->example, len);
    memcpy(buf + len, "\r\n", 2);
    memset(buf + len + 2, 'x', plen);
    msnp_framer fr;
    msnp_framer_init(&fr, NULL, MSNP_START_AT_COMMAND);
    msnp_pdu pdu;
    if (msnp_framer_next(&fr, buf, len + 2 + plen, &pdu) != MSNP_PDU)
        return NULL;
    msnp_parse_ctx ctx = {(uint8_t)role, (uint8_t)dir, (uint8_t)((f->flags & MSNP_F_SYN_DUMP) != 0), 0};
    msnp_command cmd;
    msnp_parse_command(&ctx, buf, &pdu, &cmd);
    return msnp_step_find(role, dir, kind, buf, &pdu, &cmd);
}

static unsigned lowest_bit(unsigned v)
{
    return v & (~v + 1);
}

static void check_steps(void)
{
    unsigned data_steps = 0;
    for (size_t i = 0; i < msnp_step_count(); i++) {
        const msnp_step *s = msnp_step_at(i);
        const msnp_procedure *p = msnp_procedure_get(s->procedure);
        CHECK_MSG(p != NULL, "step %zu: procedure %u", i, (unsigned)s->procedure);
        if (!p)
            continue;
        CHECK_MSG(s->number >= 1 && s->number <= p->steps && s->number != p->offstage,
                  "%s step %u of %u", p->name, (unsigned)s->number, (unsigned)p->steps);
        CHECK_MSG(s->text && s->text[0], "%s step %u: no text", p->name, (unsigned)s->number);
        CHECK_MSG(!s->next || (s->dirs & MSNP_D_C2S) || s->procedure == MSNP_PROC_TRANSFER,
                  "%s step %u: only requests say what answers them", p->name,
                  (unsigned)s->number);
        if (!s->cmd[0]) {
            data_steps++;
            CHECK(msnp_step_file_data() == s);
            continue;
        }
        const msnp_command_info *ci = msnp_command_lookup((const uint8_t *)s->cmd, 3);
        CHECK_MSG(ci != NULL, "%s step %u: no command %s", p->name, (unsigned)s->number, s->cmd);
        if (!ci)
            continue;
        /* Some real line of this command is this step. */
        int reached = 0;
        for (unsigned k = 0; k < ci->nforms && !reached; k++) {
            const msnp_form *f = &ci->forms[k];
            unsigned roles = f->roles & s->roles, dirs = f->dirs & s->dirs;
            if (!roles || !dirs)
                continue;
            msnp_dir dir = (msnp_dir)lowest_bit(dirs);
            unsigned kind = s->kind ? s->kind
                            : dir == MSNP_DIR_C2S ? (unsigned)MSNP_TXN_REQUEST
                                                  : (unsigned)MSNP_TXN_REPLY;
            reached = step_of_example(f, (msnp_role)lowest_bit(roles), dir, kind) == s;
        }
        CHECK_MSG(reached, "%s step %u (%s %s): no form's example is this step", p->name,
                  (unsigned)s->number, s->cmd, s->match ? s->match : "");
    }
    CHECK_EQ(data_steps, 1);
    /* Every numbered step but the offstage one has a line. */
    for (unsigned id = 0; id < MSNP_PROC_COUNT; id++) {
        const msnp_procedure *p = msnp_procedure_get(id);
        CHECK(p && p->name && p->title && p->steps > 0);
        for (unsigned n = 1; p && n <= p->steps; n++) {
            int found = 0;
            for (size_t i = 0; i < msnp_step_count(); i++)
                found |= msnp_step_at(i)->procedure == id && msnp_step_at(i)->number == n;
            CHECK_MSG(found || n == p->offstage, "%s: step %u has no line", p->name, n);
        }
    }
    CHECK(msnp_procedure_get(MSNP_PROC_COUNT) == NULL);
}

/* A line that is no step: a notification server's NLN. */
static void check_no_step(void)
{
    const msnp_command_info *ci = msnp_command_lookup((const uint8_t *)"NLN", 3);
    CHECK(ci != NULL);
    if (ci)
        CHECK(step_of_example(&ci->forms[0], MSNP_ROLE_NS, MSNP_DIR_S2C, MSNP_TXN_ASYNC) ==
              NULL);
    /* The login's USR TWN I is step 3 of 5 on a notification server, step 3
     * of 3 on a dispatch server. */
    ci = msnp_command_lookup((const uint8_t *)"USR", 3);
    if (!ci)
        return;
    const msnp_step *ns = step_of_example(&ci->forms[0], MSNP_ROLE_NS, MSNP_DIR_C2S,
                                          MSNP_TXN_REQUEST);
    const msnp_step *ds = step_of_example(&ci->forms[0], MSNP_ROLE_DS, MSNP_DIR_C2S,
                                          MSNP_TXN_REQUEST);
    CHECK(ns && ns->procedure == MSNP_PROC_LOGIN && ns->number == 3);
    CHECK(ds && ds->procedure == MSNP_PROC_REFERRAL && ds->number == 3);
    /* Direction unknown: no step. */
    CHECK(step_of_example(&ci->forms[0], MSNP_ROLE_NS, MSNP_DIR_UNKNOWN, MSNP_TXN_REQUEST) ==
          NULL);
}

/* ---- Line shapes ----------------------------------------------------------- */

static void check_syntax(void)
{
    char buf[512];
    for (size_t i = 0; i < msnp_command_count(); i++) {
        const msnp_command_info *ci = msnp_command_at(i);
        for (unsigned k = 0; k < ci->nforms; k++) {
            const msnp_form *f = &ci->forms[k];
            size_t n = msnp_form_syntax(ci->name, f, buf, sizeof buf);
            CHECK_MSG(n == strlen(buf) && !strncmp(buf, ci->name, 3), "%s form %u: %s",
                      ci->name, k + 1, buf);
            CHECK_MSG((strstr(buf, "<TrID>") != NULL) == (f->trid == MSNP_TRID_PRESENT),
                      "%s form %u: %s", ci->name, k + 1, buf);
        }
    }
    const msnp_command_info *add = msnp_command_lookup((const uint8_t *)"ADD", 3);
    if (add) {
        msnp_form_syntax("ADD", &add->forms[0], buf, sizeof buf);
        CHECK_STR(buf, "ADD 0 RL <list_version> <user> <nick%>");
        msnp_form_syntax("ADD", &add->forms[1], buf, sizeof buf);
        CHECK_STR(buf, "ADD 0 <list=FL|AL|BL> <list_version> <user> <nick%> [<group_id>]");
        /* Truncation keeps a terminated string. */
        CHECK_EQ(msnp_form_syntax("ADD", &add->forms[0], buf, 8), 7);
        CHECK_STR(buf, "ADD 0 R");
    }
    const msnp_command_info *ver = msnp_command_lookup((const uint8_t *)"VER", 3);
    if (ver) {
        msnp_form_syntax("VER", &ver->forms[0], buf, sizeof buf);
        CHECK_STR(buf, "VER <TrID> <version>...");
    }
}

/* ---- Sentences ------------------------------------------------------------- */

static void check_sentences(void)
{
    char out[1024];
    msnp_explain_error(215, out, sizeof out);
    CHECK(strstr(out, "error 215 (ERR_ALREADY_THERE)") != NULL);
    /* A fatal code says the server disconnects, once. */
    msnp_explain_error(911, out, sizeof out);
    const char *d = strstr(out, "disconnect");
    CHECK(d && !strstr(d + 1, "disconnect") && !strstr(out, "closes the connection"));
    msnp_explain_error(999, out, sizeof out);
    CHECK(strstr(out, "does not know") != NULL);

    static const char *const modes[] = {"U", "N", "A", "D", "S"};
    for (size_t i = 0; i < 5; i++) {
        const msnp_ack_mode *a = msnp_ack_mode_find((const uint8_t *)modes[i], 1);
        CHECK_MSG(a && !strcmp(a->mode, modes[i]) && a->answer[0], "ack mode %s", modes[i]);
    }
    CHECK(msnp_ack_mode_find((const uint8_t *)"X", 1) == NULL);
    CHECK(msnp_ack_mode_find((const uint8_t *)"NN", 2) == NULL);
    CHECK_EQ(msnp_ack_mode_count(), 5);

    static const char text[] = "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                               "X-MMS-IM-Format: FN=Arial; EF=B; CO=ff; CS=0; PF=22\r\n\r\n"
                               "Hi Bob";
    msnp_explain_msg_payload((const uint8_t *)text, sizeof text - 1, out, sizeof out);
    CHECK_MSG(strstr(out, "text/plain") && strstr(out, "\"Hi Bob\"") &&
                  strstr(out, "font Arial") && strstr(out, "bold"),
              "%s", out);

    static const char typing[] = "MIME-Version: 1.0\r\nContent-Type: text/x-msmsgscontrol\r\n"
                                 "TypingUser: alice@hotmail.com\r\n\r\n\r\n";
    msnp_explain_msg_payload((const uint8_t *)typing, sizeof typing - 1, out, sizeof out);
    CHECK_MSG(strstr(out, "alice@hotmail.com is typing") != NULL, "%s", out);

    static const char invite[] =
        "MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinvite; charset=UTF-8\r\n\r\n"
        "Application-Name: File Transfer\r\n"
        "Application-GUID: {5D3E02AB-6190-11d3-BBBB-00C04F795683}\r\n"
        "Invitation-Command: INVITE\r\nInvitation-Cookie: 61582\r\n"
        "Application-File: notes.txt\r\nApplication-FileSize: 4100\r\nConnectivity: N\r\n\r\n";
    msnp_explain_msg_payload((const uint8_t *)invite, sizeof invite - 1, out, sizeof out);
    CHECK_MSG(strstr(out, "INVITE, cookie 61582") && strstr(out, "notes.txt, 4100 bytes"), "%s",
              out);

    msnp_explain_msg_payload((const uint8_t *)"hello", 5, out, sizeof out);
    CHECK_MSG(strstr(out, "without a MIME header") != NULL, "%s", out);
    msnp_explain_msg_payload(NULL, 0, out, sizeof out);
    CHECK_STR(out, "no payload bytes");

    /* A long message is quoted in part; a small buffer is never overrun. */
    static char longmsg[4096];
    size_t n = (size_t)snprintf(longmsg, sizeof longmsg,
                                "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n");
    memset(longmsg + n, 'z', 3000);
    size_t ln = msnp_explain_msg_payload((const uint8_t *)longmsg, n + 3000, out, sizeof out);
    CHECK_MSG(ln < 400 && strstr(out, "...") && strstr(out, "3000 bytes"), "%s", out);
    char tiny[8];
    memset(tiny, '#', sizeof tiny);
    size_t tn = msnp_explain_msg_payload((const uint8_t *)text, sizeof text - 1, tiny, sizeof tiny);
    CHECK(tn == 7 && tiny[7] == '\0');

    static const char note[] = "<NOTIFICATION id=\"1\"><MSG><ACTION url=\"a?b=1&amp;c=2\"/><BODY>"
                               "<TEXT>Hello &amp; bye</TEXT></BODY></MSG></NOTIFICATION>";
    msnp_explain_xml_payload((const uint8_t *)note, sizeof note - 1, 0, out, sizeof out);
    CHECK_MSG(strstr(out, "\"Hello & bye\"") && strstr(out, "a?b=1&c=2"), "%s", out);
}

int main(void)
{
    check_guides();
    check_steps();
    check_no_step();
    check_syntax();
    check_sentences();
    return check_exit("test_explain");
}
