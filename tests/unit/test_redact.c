/* libmsnp/redact.c and redact_label.c: what is a secret, and masking it.
 *
 * - Every argument the command table names like a credential (cookie, ticket,
 *   md5_hash) is in the secret table, and every secret of the table names an
 *   argument of some form of its command.
 * - Every form's example line: the secret arguments become masks of their own
 *   length, everything else stays byte for byte; read with an unknown
 *   direction, a ticket is still masked (it also fits the server's form).
 * - Lines that fit no form, payloads (profile, invitation, text), and bytes
 *   that did not parse.
 * - Labels: equal secrets, equal masks; different ones, different masks; a
 *   table that fills starts again without reusing a number. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "msnp/commands.h"
#include "msnp/framer.h"
#include "msnp/parse.h"
#include "msnp/redact.h"

/* Frame one line (with CRLF and, if given, a payload) into buf. */
static int frame(const char *line, const char *payload, uint8_t *buf, size_t cap, msnp_pdu *pdu)
{
    size_t n = (size_t)snprintf((char *)buf, cap, "%s\r\n%s", line, payload ? payload : "");
    msnp_framer fr;
    msnp_framer_init(&fr, NULL, MSNP_START_AT_COMMAND);
    memset(pdu, 0, sizeof *pdu);
    return msnp_framer_next(&fr, buf, n, pdu) == MSNP_PDU && pdu->kind == MSNP_PDU_COMMAND ? 0 : -1;
}

static int is_mask(const uint8_t *p, size_t n)
{
    if (n == 0 || p[0] != MSNP_REDACT_MASK)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] != MSNP_REDACT_MASK && p[i] != '#' && !(p[i] >= '0' && p[i] <= '9'))
            return 0;
    return 1;
}

static int name_is(const char *name, size_t len, const char *lit)
{
    return strlen(lit) == len && memcmp(name, lit, len) == 0;
}

/* The argument names of a form, one by one: (name, length) pairs. */
static size_t next_name(const char *args, size_t *pos, const char **w)
{
    while (args[*pos] == ' ')
        (*pos)++;
    *w = args + *pos;
    size_t n = 0;
    while (args[*pos] && args[*pos] != ' ') {
        (*pos)++;
        n++;
    }
    if (n && (*w)[n - 1] == '%')
        n--;
    if (n > 3 && memcmp(*w + n - 3, "...", 3) == 0)
        n -= 3;
    return n;
}

static void check_table_covers_credential_names(void)
{
    static const char *const credential_like[] = {"cookie", "ticket", "md5_hash"};
    size_t used[16] = {0};
    CHECK(msnp_secret_arg_count() <= 16);
    for (size_t i = 0; i < msnp_command_count(); i++) {
        const msnp_command_info *ci = msnp_command_at(i);
        for (unsigned f = 0; f < ci->nforms; f++) {
            size_t pos = 0;
            const char *w;
            size_t n;
            while ((n = next_name(ci->forms[f].args, &pos, &w)) != 0) {
                for (size_t k = 0; k < sizeof credential_like / sizeof credential_like[0]; k++)
                    if (name_is(w, n, credential_like[k]))
                        CHECK_MSG(msnp_secret_arg_is((const uint8_t *)ci->name, w, n),
                                  "%s's argument %s is not in the secret table", ci->name,
                                  credential_like[k]);
                for (size_t s = 0; s < msnp_secret_arg_count(); s++) {
                    const msnp_secret_arg *a = msnp_secret_arg_at(s);
                    if (!memcmp(a->cmd, ci->name, 3) && name_is(w, n, a->arg))
                        used[s]++;
                }
            }
        }
    }
    for (size_t s = 0; s < msnp_secret_arg_count(); s++)
        CHECK_MSG(used[s] > 0, "secret %s %s names no argument of the table",
                  msnp_secret_arg_at(s)->cmd, msnp_secret_arg_at(s)->arg);
    /* CHL and QRY prove the client program, not the user. */
    CHECK(!msnp_secret_arg_is((const uint8_t *)"QRY", "response", 8));
    CHECK(!msnp_secret_arg_is((const uint8_t *)"CHL", "challenge", 9));
    CHECK(!msnp_secret_arg_is((const uint8_t *)"USR", "passport_params", 15));
}

/* Every example line without a payload, masked as its own form says. */
static void check_examples(void)
{
    uint8_t buf[1024], orig[1024];
    unsigned masked_lines = 0;
    for (size_t i = 0; i < msnp_command_count(); i++) {
        const msnp_command_info *ci = msnp_command_at(i);
        if (ci->payload != MSNP_PL_NONE)
            continue;
        for (unsigned f = 0; f < ci->nforms; f++) {
            const msnp_form *form = &ci->forms[f];
            msnp_pdu pdu;
            if (frame(form->example, NULL, buf, sizeof buf, &pdu) != 0)
                continue;
            uint8_t dir = form->dirs == MSNP_D_ANY ? MSNP_D_C2S : form->dirs;
            msnp_parse_ctx ctx = {form->roles, dir, (form->flags & MSNP_F_SYN_DUMP) != 0, 0};
            msnp_command cmd;
            msnp_parse_command(&ctx, buf, &pdu, &cmd);
            if (cmd.form != form)
                continue; /* test_tables says why */
            memcpy(orig, buf, pdu.len);
            size_t n = msnp_redact_pdu(&ctx, &cmd, &pdu, buf, NULL);
            size_t want = 0;
            for (unsigned a = 0; a < cmd.nargs; a++) {
                const char *name;
                int enc;
                size_t nl = msnp_command_arg_name(&cmd, a, &name, &enc);
                msnp_span s = msnp_command_arg(&cmd, &pdu, a);
                int secret = nl && msnp_secret_arg_is((const uint8_t *)ci->name, name, nl);
                if (secret) {
                    want += s.len;
                    CHECK_MSG(is_mask(buf + s.off, s.len), "%s: %.*s not masked", form->example,
                              (int)nl, name);
                } else {
                    CHECK_MSG(!memcmp(buf + s.off, orig + s.off, s.len), "%s: %.*s changed",
                              form->example, (int)nl, name);
                }
            }
            CHECK_MSG(n == want, "%s: %zu bytes masked, %zu expected", form->example, n, want);
            CHECK_MSG(!memcmp(buf, orig, pdu.tok[0].len) && buf[pdu.len - 1] == '\n' &&
                          buf[pdu.len - 2] == '\r',
                      "%s: command or line end changed", form->example);
            masked_lines += want > 0;
        }
    }
    /* USR (ticket, MD5, SSO, SB, FTP), ANS, RNG (2), XFR (2) */
    CHECK_MSG(masked_lines >= 10, "%u example lines had secrets", masked_lines);
}

static void check_line(const char *line, uint8_t roles, uint8_t dirs, const char *want)
{
    uint8_t buf[512];
    msnp_pdu pdu;
    CHECK_MSG(frame(line, NULL, buf, sizeof buf, &pdu) == 0, "%s does not frame", line);
    msnp_parse_ctx ctx = {roles, dirs, 0, 0};
    msnp_command cmd;
    msnp_parse_command(&ctx, buf, &pdu, &cmd);
    msnp_redact_pdu(&ctx, &cmd, &pdu, buf, NULL);
    CHECK_MSG(pdu.line_len == strlen(want) && !memcmp(buf, want, pdu.line_len), "%s -> %.*s", line,
              (int)pdu.line_len, buf);
}

static void check_lines(void)
{
    /* direction unknown: the ticket fits the server's form too */
    check_line("USR 7 TWN S t=ab*c!&p=xy$$", MSNP_R_NS, MSNP_D_ANY,
               "USR 7 TWN S **************");
    /* known: the server's parameters stay */
    check_line("USR 6 TWN S lc=1033,id=507,tpf=43f8", MSNP_R_NS, MSNP_D_S2C,
               "USR 6 TWN S lc=1033,id=507,tpf=43f8");
    /* fits no form: everything but TrID, handles, addresses and keywords */
    check_line("USR 8 TWN S t=abc&p=def extra", MSNP_R_NS, MSNP_D_C2S,
               "USR 8 TWN S *********** *****");
    check_line("ANS 5 bob@hotmail.com 849102291.520491113 11752013", MSNP_R_NS, MSNP_D_C2S,
               "ANS 5 bob@hotmail.com ******************* ********");
    /* a later version's extra arguments stay */
    check_line("XFR 19 SB 207.46.108.37:1863 CKI 1726.1050 U messenger.msn.com 1", MSNP_R_NS,
               MSNP_D_S2C, "XFR 19 SB 207.46.108.37:1863 CKI ********* U messenger.msn.com 1");
    /* not a credential */
    check_line("CHL 0 29409134351025259292", MSNP_R_NS, MSNP_D_S2C, "CHL 0 29409134351025259292");
    check_line("CAL 2 RINGING 11752013", MSNP_R_SB, MSNP_D_S2C, "CAL 2 RINGING 11752013");
}

static void check_payload(const char *payload, const char *want)
{
    uint8_t buf[1024];
    size_t n = strlen(payload);
    memcpy(buf, payload, n);
    msnp_redact_payload(buf, n, NULL);
    CHECK_MSG(strlen(want) == n && !memcmp(buf, want, n), "payload:\n%.*s\nwanted:\n%s", (int)n,
              buf, want);
}

static void check_payloads(void)
{
    check_payload("MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsprofile; charset=UTF-8\r\n"
                  "sid: 507\r\nkv: 5\r\nMSPAuth: 53*1hAu$$\r\nmspprof: Ab!c \r\n"
                  "ClientIP: 1.2.3.4\r\n\r\n",
                  "MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsprofile; charset=UTF-8\r\n"
                  "sid: 507\r\nkv: 5\r\nMSPAuth: *********\r\nmspprof: **** \r\n"
                  "ClientIP: 1.2.3.4\r\n\r\n");
    check_payload("MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinvite; charset=UTF-8\r\n\r\n"
                  "Invitation-Command: ACCEPT\r\nInvitation-Cookie: 61582\n"
                  "AuthCookie:1927433\r\n\r\n",
                  "MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinvite; charset=UTF-8\r\n\r\n"
                  "Invitation-Command: ACCEPT\r\nInvitation-Cookie: 61582\n"
                  "AuthCookie:*******\r\n\r\n");
    /* someone's words stay as they are */
    check_payload("MIME-Version: 1.0\r\nContent-Type: Text/Plain ; charset=UTF-8\r\n\r\n"
                  "AuthCookie: 1234\r\nMSPAuth: not really",
                  "MIME-Version: 1.0\r\nContent-Type: Text/Plain ; charset=UTF-8\r\n\r\n"
                  "AuthCookie: 1234\r\nMSPAuth: not really");
    /* more header lines than the MIME parser keeps */
    char big[4096], want[4096];
    size_t n = 0;
    for (int i = 0; i < 60; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "X-F%d: v\r\n", i);
    memcpy(want, big, n);
    n += (size_t)snprintf(big + n, sizeof big - n, "MSPAuth: abc\r\n\r\n");
    snprintf(want + (n - 16), sizeof want - (n - 16), "MSPAuth: ***\r\n\r\n");
    check_payload(big, want);
}

static void check_bytes(const char *in, const char *want)
{
    uint8_t buf[512];
    size_t n = strlen(in);
    memcpy(buf, in, n);
    msnp_redact_bytes(buf, n, NULL);
    CHECK_MSG(strlen(want) == n && !memcmp(buf, want, n), "bytes: %.*s, wanted %s", (int)n, buf,
              want);
}

static void check_unparsed(void)
{
    check_bytes("AuthCookie: 1927433\r\nTypingUser: bob@x",
                "AuthCookie: *******\r\nTypingUser: bob@x");
    check_bytes("USR 9 TWN S t=abc&p=d", "USR 9 TWN S *********");
    check_bytes("RNG 11752013 207.46.108.38:1863 CKI 849.52 alice@hotmail.com Alice",
                "RNG 11752013 207.46.108.38:1863 CKI ****** alice@hotmail.com *****");
    check_bytes("ome text t=abc&p=def more", "ome text *********** more");
    check_bytes("QRY 10 msmsgs@msnmsgr.com 32", "QRY 10 msmsgs@msnmsgr.com 32");
}

static void check_labels(void)
{
    msnp_labeler *l = msnp_labeler_new(64);
    CHECK(l != NULL);
    if (!l)
        return;
    msnp_masker m = msnp_labeler_masker(l);
    uint8_t a[] = "17262740.1050826919.32308", b[] = "17262740.1050826919.32308",
            c[] = "17262740.1050826919.32309", s[] = "12";
    m.mask(m.ctx, a, sizeof a - 1);
    m.mask(m.ctx, b, sizeof b - 1);
    m.mask(m.ctx, c, sizeof c - 1);
    m.mask(m.ctx, s, sizeof s - 1);
    CHECK_STR((char *)a, "***********************#1");
    CHECK_STR((char *)b, "***********************#1");
    CHECK_STR((char *)c, "***********************#2");
    CHECK_STR((char *)s, "**"); /* too short for its label */
    /* Fill the table: numbers go on, an old secret comes back with a new one. */
    char v[32];
    for (int i = 0; i < 200; i++) {
        int n = snprintf(v, sizeof v, "secret-number-%d", i);
        m.mask(m.ctx, (uint8_t *)v, (size_t)n);
    }
    memcpy(a, "17262740.1050826919.32308", sizeof a);
    m.mask(m.ctx, a, sizeof a - 1);
    CHECK_MSG(strcmp((char *)a, "***********************#1") != 0 && is_mask(a, sizeof a - 1),
              "%s", (char *)a);
    msnp_labeler_free(l);
}

int main(void)
{
    check_table_covers_credential_names();
    check_examples();
    check_lines();
    check_payloads();
    check_unparsed();
    check_labels();
    return check_exit("test_redact");
}
