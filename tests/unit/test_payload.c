/* MSG payload decoders (libmsnp/payload.c and the typed decoders): the
 * reference's example payloads with their exact byte counts (§9.1, §9.5,
 * §9.7), the payloads of the sample scenarios, hostile and truncated
 * variants, and the field vocabulary. Usage: test_payload [docs/payloads.md] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "msnp/commands.h"
#include "msnp/payload.h"
#include "msnp/values.h"
#include "payload_testutil.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static msnp_payload pl; /* large: static */
static collector col;
static char scratch[4096];

/* Decode a payload from an exact heap copy and visit it; returns the copy
 * (the spans in pl refer to it): the caller frees it. */
static uint8_t *decode_n(const char *s, size_t n)
{
    uint8_t *p = exact_copy(s, n);
    msnp_payload_decode(p, n, &pl);
    collector_init(&col, p, n, scratch, sizeof scratch);
    msnp_vocab_scratch sc = {scratch, sizeof scratch};
    msnp_payload_visit(&pl, p, sc, collect, &col);
    CHECK(!col.out_of_bounds && !col.bad_field);
    return p;
}

static uint8_t *decode(const char *s)
{
    return decode_n(s, strlen(s));
}

/* ---- The reference's examples, byte for byte ------------------------------------ */

#define CRLF "\r\n"

/* §9.1: 221 bytes with CRLF line ends. */
static const char ref_mail_initial[] =
    "MIME-Version: 1.0" CRLF "Content-Type: text/x-msmsgsinitialemailnotification; charset=UTF-8" CRLF
    CRLF "Inbox-Unread: 3" CRLF "Folders-Unread: 0" CRLF "Inbox-URL: /cgi-bin/HoTMaiL" CRLF
    "Folders-URL: /cgi-bin/folders" CRLF "Post-URL: http://www.hotmail.com" CRLF CRLF;

/* §9.5: typing 90 bytes, text 124 bytes (123 characters: é is two bytes). */
static const char ref_typing[] = "MIME-Version: 1.0" CRLF "Content-Type: text/x-msmsgscontrol" CRLF
                                 "TypingUser: alice@hotmail.com" CRLF CRLF CRLF;
static const char ref_text[] = "MIME-Version: 1.0" CRLF "Content-Type: text/plain; charset=UTF-8" CRLF
                               "X-MMS-IM-Format: FN=Arial; EF=B; CO=ff; CS=0; PF=22" CRLF CRLF
                               "Hi Bob \xc3\xa9";

/* §9.7: the invitation, the two ACCEPTs and the refusal: 292, 181, 241, 148. */
#define INVITE_HEAD "MIME-Version: 1.0" CRLF "Content-Type: text/x-msmsgsinvite; charset=UTF-8" CRLF CRLF
static const char ref_invite[] =
    INVITE_HEAD "Application-Name: File Transfer" CRLF
                "Application-GUID: {5D3E02AB-6190-11d3-BBBB-00C04F795683}" CRLF
                "Invitation-Command: INVITE" CRLF "Invitation-Cookie: 61582" CRLF
                "Application-File: notes.txt" CRLF "Application-FileSize: 4100" CRLF
                "Connectivity: N" CRLF CRLF;
static const char ref_accept_receiver[] =
    INVITE_HEAD "Invitation-Command: ACCEPT" CRLF "Invitation-Cookie: 61582" CRLF
                "Launch-Application: FALSE" CRLF "Request-Data: IP-Address:" CRLF CRLF;
static const char ref_accept_sender[] =
    INVITE_HEAD "Invitation-Command: ACCEPT" CRLF "Invitation-Cookie: 61582" CRLF
                "IP-Address: 198.51.100.20" CRLF "Port: 6891" CRLF "AuthCookie: 1927433" CRLF
                "Launch-Application: FALSE" CRLF "Request-Data: IP-Address:" CRLF CRLF;
static const char ref_cancel[] = INVITE_HEAD "Invitation-Command: CANCEL" CRLF
                                             "Invitation-Cookie: 61582" CRLF
                                             "Cancel-Code: REJECT" CRLF CRLF;

static void test_reference_lengths(void)
{
    CHECK_EQ(strlen(ref_mail_initial), 221);
    CHECK_EQ(strlen(ref_typing), 90);
    CHECK_EQ(strlen(ref_text), 124);
    CHECK_EQ(strlen(ref_invite), 292);
    CHECK_EQ(strlen(ref_accept_receiver), 181);
    CHECK_EQ(strlen(ref_accept_sender), 241);
    CHECK_EQ(strlen(ref_cancel), 148);
}

static void test_mail_initial(void)
{
    uint8_t *p = decode(ref_mail_initial);
    CHECK_EQ(pl.kind, MSNP_PK_MAIL_INITIAL);
    CHECK_EQ(pl.issues, 0);
    const msnp_mail *m = &pl.u.mail;
    CHECK_EQ(m->issues, 0);
    CHECK_EQ(m->inbox_unread_value, 3);
    CHECK_EQ(m->folders_unread_value, 0);
    CHECK(span_is(p, m->inbox_url, "/cgi-bin/HoTMaiL"));
    CHECK(span_is(p, m->folders_url, "/cgi-bin/folders"));
    CHECK(span_is(p, m->post_url, "http://www.hotmail.com"));
    CHECK(got_str(&col, MSNP_V_MSG_KIND, "mail_initial"));
    CHECK(got(&col, MSNP_V_MAIL_INBOX_UNREAD, 0) && got(&col, MSNP_V_MAIL_INBOX_UNREAD, 0)->u == 3);
    CHECK(got_str(&col, MSNP_V_MIME_CONTENT_TYPE, "text/x-msmsgsinitialemailnotification"));
    CHECK(got_str(&col, MSNP_V_MIME_CHARSET, "UTF-8"));
    CHECK_EQ(got_count(&col, MSNP_V_MIME_HEADER), 2);
    CHECK_EQ(got_count(&col, MSNP_V_MIME_BODY_FIELD), 5);
    CHECK_EQ(got_count(&col, MSNP_V_PAYLOAD_ISSUE), 0);
    CHECK(!got(&col, MSNP_V_MSG_SINCE, 0));
    free(p);
}

static void test_typing(void)
{
    uint8_t *p = decode(ref_typing);
    CHECK_EQ(pl.kind, MSNP_PK_TYPING);
    CHECK_EQ(pl.issues | pl.u.typing.issues, 0);
    CHECK(span_is(p, pl.u.typing.user, "alice@hotmail.com"));
    CHECK(got_str(&col, MSNP_V_TYPING_USER, "alice@hotmail.com"));
    free(p);
    /* No TypingUser, and a body that is not a single line end. */
    p = decode("MIME-Version: 1.0\r\nContent-Type: text/x-msmsgscontrol\r\n\r\nxyz");
    CHECK(pl.u.typing.issues == (MSNP_TYPING_ISSUE_NO_USER | MSNP_TYPING_ISSUE_ODD_BODY));
    free(p);
    /* LF-only client: body one LF. */
    p = decode("MIME-Version: 1.0\nContent-Type: text/x-msmsgscontrol\nTypingUser: bob@x.com\n\n\n");
    CHECK_EQ(pl.u.typing.issues, 0);
    CHECK(pl.issues == MSNP_PAYLOAD_ISSUE_LF_ONLY);
    free(p);
}

static void test_text_and_format(void)
{
    uint8_t *p = decode(ref_text);
    const msnp_text_msg *t = &pl.u.text;
    CHECK_EQ(pl.kind, MSNP_PK_TEXT);
    CHECK_EQ(pl.issues | t->issues, 0);
    CHECK(span_is(p, t->text, "Hi Bob \xc3\xa9"));
    CHECK_EQ(t->charset, MSNP_TEXT_UTF8);
    CHECK(t->has_format);
    const msnp_im_format *f = &t->format;
    CHECK_EQ(f->issues, 0);
    CHECK(span_is(p, f->font, "Arial"));
    CHECK_EQ(f->effect_bits, MSNP_EF_BOLD);
    CHECK(f->color_valid && f->color_rgb == 0xFF0000); /* CO=ff is red (BGR) */
    CHECK(f->charset_valid && f->charset_code == 0);
    CHECK(f->pitch_family_valid && f->pitch_family_code == 0x22);
    CHECK_EQ(msnp_pf_family(f->pitch_family_code), 2);
    CHECK_EQ(msnp_pf_pitch(f->pitch_family_code), 2);
    CHECK(got_str(&col, MSNP_V_MSG_TEXT, "Hi Bob \xc3\xa9"));
    CHECK(got_str(&col, MSNP_V_FORMAT_FONT, "Arial"));
    CHECK(got(&col, MSNP_V_FORMAT_BOLD, 0)->u == 1 && got(&col, MSNP_V_FORMAT_ITALIC, 0)->u == 0);
    CHECK(got(&col, MSNP_V_FORMAT_COLOR, 0)->u == 0xFF0000);
    CHECK(got(&col, MSNP_V_FORMAT_CHARSET, 0)->text &&
          strcmp(got(&col, MSNP_V_FORMAT_CHARSET, 0)->text, "ANSI") == 0);
    CHECK(strcmp(got(&col, MSNP_V_FORMAT_FAMILY, 0)->text, "swiss") == 0);
    CHECK(strcmp(got(&col, MSNP_V_FORMAT_PITCH, 0)->text, "variable pitch") == 0);
    char hex[8];
    msnp_im_format_color_hex(f->color_rgb, hex);
    CHECK_STR(hex, "#ff0000");
    free(p);

    /* chat.msnp: a URL-encoded font, italic, CO=ff0000 (blue). */
    p = decode("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
               "X-MMS-IM-Format: FN=Comic%20Sans%20MS; EF=I; CO=ff0000; CS=0; PF=0\r\n\r\n"
               "Hey Alice! Lunch at 12:30?\r\nMSG 5 N 12\r\n(that line above is text, not a "
               "command)");
    CHECK_EQ(pl.u.text.issues, 0);
    CHECK(got_str(&col, MSNP_V_FORMAT_FONT, "Comic Sans MS"));
    CHECK(pl.u.text.format.color_rgb == 0x0000FF);
    CHECK(pl.u.text.format.effect_bits == MSNP_EF_ITALIC);
    CHECK(got_str(&col, MSNP_V_MSG_TEXT,
                  "Hey Alice! Lunch at 12:30?\r\nMSG 5 N 12\r\n(that line above is text, not a "
                  "command)"));
    free(p);

    /* chat.msnp: CO=800000 is navy (BGR 0x800000 = blue 0x80), EF empty. */
    p = decode("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
               "X-MMS-IM-Format: FN=Verdana; EF=; CO=800000; CS=0; PF=22\r\n\r\nhi all");
    CHECK_EQ(pl.u.text.format.issues, 0);
    CHECK(pl.u.text.format.color_rgb == 0x000080 && pl.u.text.format.effect_bits == 0);
    CHECK(got_str(&col, MSNP_V_FORMAT_EFFECTS, ""));
    free(p);

    /* chat.msnp, dave's third-party client: LF-only, no space after ';', no
     * format header, a User-Agent. */
    p = decode("MIME-Version: 1.0\nContent-Type: text/plain;charset=UTF-8\nUser-Agent: "
               "Gaim/0.75\n\r\nCan I get a copy too?");
    CHECK_EQ(pl.kind, MSNP_PK_TEXT);
    CHECK(span_is(p, pl.mime.charset, "UTF-8") && pl.u.text.charset == MSNP_TEXT_UTF8);
    CHECK(!pl.u.text.has_format);
    CHECK(span_is(p, pl.u.text.text, "Can I get a copy too?"));
    CHECK(span_is(p, pl.user_agent, "Gaim/0.75"));
    CHECK(got_str(&col, MSNP_V_MIME_USER_AGENT, "Gaim/0.75"));
    CHECK(pl.issues & MSNP_PAYLOAD_ISSUE_LF_ONLY);
    free(p);

    /* Bare text/plain is ISO-8859-1: converted to UTF-8 when reported. */
    p = decode("MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\ncaf\xe9");
    CHECK_EQ(pl.u.text.charset, MSNP_TEXT_LATIN1);
    CHECK_EQ(pl.u.text.issues, 0);
    CHECK(got_str(&col, MSNP_V_MSG_TEXT, "caf\xc3\xa9"));
    free(p);

    /* Declared UTF-8 that is not; odd case everywhere; a charset in quotes. */
    p = decode("mime-version: 1.0\r\nCONTENT-TYPE: TEXT/PLAIN; CHARSET=\"utf-8\"\r\n"
               "x-mms-im-format: fn=Tahoma; ef=BIUS; co=0; cs=cc; pf=31; rl=1\r\n\r\n\xff\xfe");
    CHECK_EQ(pl.kind, MSNP_PK_TEXT);
    CHECK(pl.u.text.issues == MSNP_TEXT_ISSUE_NOT_UTF8);
    CHECK_EQ(pl.u.text.format.effect_bits, 0xF);
    CHECK(pl.u.text.format.right_to_left);
    CHECK(strcmp(msnp_code_text(&msnp_format_charset_table, pl.u.text.format.charset_code),
                 "Cyrillic") == 0);
    CHECK(strcmp(got(&col, MSNP_V_FORMAT_FAMILY, 0)->text, "modern") == 0);
    CHECK(strcmp(got(&col, MSNP_V_FORMAT_PITCH, 0)->text, "fixed pitch") == 0);
    CHECK(got_issue(&col, "the message declares UTF-8 but its text is not valid UTF-8"));
    free(p);

    /* No empty line after the headers: no body. */
    p = decode("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n");
    CHECK(pl.u.text.issues & MSNP_TEXT_ISSUE_NO_SEPARATOR);
    CHECK_EQ(pl.u.text.text.len, 0);
    free(p);
}

static void format_of(const char *value, msnp_im_format *f)
{
    uint8_t *p = exact_copy(value, strlen(value));
    msnp_span all = {0, (uint32_t)strlen(value)};
    msnp_im_format_parse(p, all, f);
    free(p);
}

static void test_format_edge_cases(void)
{
    msnp_im_format f;
    format_of("EF=B; FN=Arial", &f);
    CHECK(f.issues == MSNP_FMT_ISSUE_FN_NOT_FIRST && f.effect_bits == MSNP_EF_BOLD);
    format_of("FN=Arial;EF=I;CO=ff", &f); /* no spaces */
    CHECK(f.issues == 0 && f.effect_bits == MSNP_EF_ITALIC && f.color_rgb == 0xFF0000);
    format_of(" ; ;FN=A;;", &f); /* empty items are not parameters */
    CHECK_EQ(f.issues, 0);
    format_of("FN=A; XX=1", &f);
    CHECK(f.issues == MSNP_FMT_ISSUE_UNKNOWN_PARAM);
    format_of("FN=A; FN=B", &f);
    CHECK(f.issues == MSNP_FMT_ISSUE_DUPLICATE);
    format_of("FN=A; EF", &f);
    CHECK(f.issues == MSNP_FMT_ISSUE_NO_EQUALS);
    format_of("FN=A; EF=BX", &f);
    CHECK(f.issues == MSNP_FMT_ISSUE_BAD_EFFECTS && f.effect_bits == MSNP_EF_BOLD);
    format_of("FN=A; CO=1234567", &f);
    CHECK(f.issues == MSNP_FMT_ISSUE_BAD_COLOR && !f.color_valid);
    format_of("FN=A; CO=99999999999999999999999999", &f);
    CHECK(f.issues == MSNP_FMT_ISSUE_BAD_COLOR);
    format_of("FN=A; CO=", &f);
    CHECK(f.issues == MSNP_FMT_ISSUE_BAD_COLOR);
    format_of("FN=A; CO=00ff00", &f); /* leading zeros are allowed too */
    CHECK(f.color_valid && f.color_rgb == 0x00FF00);
    format_of("FN=A; CS=100", &f);
    CHECK(f.issues == MSNP_FMT_ISSUE_BAD_CHARSET);
    format_of("FN=A; CS=80", &f);
    CHECK(f.charset_code == 0x80 &&
          strcmp(msnp_code_text(&msnp_format_charset_table, 0x80), "Shift-JIS") == 0);
    format_of("FN=A; PF=zz", &f);
    CHECK(f.issues == MSNP_FMT_ISSUE_BAD_PITCH_FAMILY);
    format_of("FN=A; RL=0", &f);
    CHECK(f.issues == MSNP_FMT_ISSUE_BAD_RL && !f.right_to_left);
    format_of("", &f);
    CHECK(f.issues == 0 && f.present == 0);
    /* Truncation of the URL-decoded font never overruns. */
    char small[4];
    uint8_t *p = exact_copy("FN=Comic%20Sans", 15);
    msnp_span all = {0, 15};
    msnp_im_format_parse(p, all, &f);
    CHECK_EQ(msnp_im_format_font(p, &f, small, sizeof small), 3);
    CHECK_STR(small, "Com");
    free(p);
}

/* ---- Invitations ------------------------------------------------------------ */

static void test_invitations_reference(void)
{
    uint8_t *p = decode(ref_invite);
    const msnp_invite *inv = &pl.u.invite;
    CHECK_EQ(pl.kind, MSNP_PK_INVITE);
    CHECK_EQ(pl.issues | inv->issues, 0);
    CHECK_EQ(inv->command_code, MSNP_INVITE_CMD_INVITE);
    CHECK_EQ(inv->cookie_value, 61582);
    CHECK(inv->file_transfer);
    CHECK(inv->app_text && strcmp(inv->app_text, "file transfer (MSNFTP)") == 0);
    CHECK(span_is(p, inv->app_name, "File Transfer"));
    CHECK(span_is(p, inv->file, "notes.txt"));
    CHECK_EQ(inv->file_size_value, 4100);
    CHECK(span_is(p, inv->connectivity, "N"));
    CHECK(got_str(&col, MSNP_V_INVITE_COMMAND, "INVITE"));
    CHECK(got(&col, MSNP_V_INVITE_COOKIE, 0)->u == 61582);
    CHECK(got(&col, MSNP_V_INVITE_SIZE, 0)->u == 4100);
    CHECK(got_str(&col, MSNP_V_INVITE_FILE, "notes.txt"));
    CHECK(got(&col, MSNP_V_INVITE_APP_GUID, 0)->text &&
          strcmp(got(&col, MSNP_V_INVITE_APP_GUID, 0)->text, "file transfer (MSNFTP)") == 0);
    CHECK(got(&col, MSNP_V_INVITE_FILE_TRANSFER, 0)->u == 1);
    CHECK_EQ(got_count(&col, MSNP_V_MIME_BODY_FIELD), 7);
    free(p);

    p = decode(ref_accept_receiver);
    inv = &pl.u.invite;
    CHECK_EQ(inv->issues, 0);
    CHECK_EQ(inv->command_code, MSNP_INVITE_CMD_ACCEPT);
    CHECK(span_is(p, inv->launch_application, "FALSE"));
    CHECK(span_is(p, inv->request_data, "IP-Address:"));
    CHECK(!inv->file_transfer);
    free(p);

    p = decode(ref_accept_sender);
    inv = &pl.u.invite;
    CHECK_EQ(inv->issues, 0);
    CHECK(span_is(p, inv->ip_address, "198.51.100.20"));
    CHECK_EQ(inv->port_value, 6891);
    CHECK_EQ(inv->auth_cookie_value, 1927433);
    CHECK_EQ(inv->portx_check, MSNP_PORTX_ABSENT); /* §9.7's ACCEPT has no PortX */
    CHECK(!got(&col, MSNP_V_INVITE_PORTX_OK, 0));
    CHECK(got(&col, MSNP_V_INVITE_AUTH_COOKIE, 0)->u == 1927433);
    free(p);

    p = decode(ref_cancel);
    inv = &pl.u.invite;
    CHECK_EQ(inv->issues, 0);
    CHECK_EQ(inv->command_code, MSNP_INVITE_CMD_CANCEL);
    CHECK(inv->cancel_text && strcmp(inv->cancel_text, "the user declined") == 0);
    CHECK(strcmp(got(&col, MSNP_V_INVITE_CANCEL_CODE, 0)->text, "the user declined") == 0);
    free(p);
}

static void test_invitations_sample_and_ports(void)
{
    /* filetransfer.msnp: alice's ACCEPT with PortX = 6891 ^ 0x3141 = 11178. */
    uint8_t *p = decode(INVITE_HEAD "Invitation-Command: ACCEPT\r\nInvitation-Cookie: 61582\r\n"
                                    "IP-Address: 192.0.2.10\r\nPort: 6891\r\nPortX: 11178\r\n"
                                    "AuthCookie: 1927433\r\nLaunch-Application: FALSE\r\n"
                                    "Request-Data: IP-Address:\r\n\r\n");
    CHECK_EQ(pl.u.invite.issues, 0);
    CHECK_EQ(pl.u.invite.portx_check, MSNP_PORTX_AGREES);
    CHECK(got(&col, MSNP_V_INVITE_PORTX, 0)->u == 11178);
    CHECK(got(&col, MSNP_V_INVITE_PORTX_OK, 0)->u == 1);
    free(p);
    CHECK_EQ(6892 ^ MSNP_PORTX_KEY, 11181); /* §6.3's second example */

    /* A mismatch; an internal port; bad numbers. */
    p = decode(INVITE_HEAD "Invitation-Command: ACCEPT\r\nInvitation-Cookie: 1\r\nPort: 6891\r\n"
                           "PortX: 11179\r\nPortX-Internal: 11181\r\nIP-Address-Internal: "
                           "10.0.0.2\r\n\r\n");
    CHECK(pl.u.invite.issues == MSNP_INVITE_ISSUE_PORTX_MISMATCH);
    CHECK_EQ(pl.u.invite.portx_check, MSNP_PORTX_DISAGREES);
    CHECK_EQ(pl.u.invite.internal_port, 6892);
    CHECK(got(&col, MSNP_V_INVITE_PORTX_OK, 0)->u == 0);
    CHECK(got(&col, MSNP_V_INVITE_PORT_INTERNAL, 0)->u == 6892);
    CHECK(got_str(&col, MSNP_V_INVITE_IP_INTERNAL, "10.0.0.2"));
    CHECK(got_issue(&col, "PortX is not Port XOR 0x3141"));
    free(p);

    p = decode(INVITE_HEAD "Invitation-Command: ACCEPT\r\nInvitation-Cookie: 4294967296\r\n"
                           "Port: 0\r\nPortX: 70000\r\nAuthCookie: 12x\r\n\r\n");
    uint32_t want = MSNP_INVITE_ISSUE_BAD_COOKIE | MSNP_INVITE_ISSUE_BAD_PORT |
                    MSNP_INVITE_ISSUE_BAD_PORTX | MSNP_INVITE_ISSUE_BAD_AUTH_COOKIE;
    CHECK_EQ(pl.u.invite.issues, want);
    CHECK(!got(&col, MSNP_V_INVITE_COOKIE, 0) && !got(&col, MSNP_V_INVITE_PORT, 0));
    free(p);

    /* PortX alone. */
    p = decode(INVITE_HEAD "Invitation-Command: ACCEPT\r\nInvitation-Cookie: 5\r\nPortX: 11178\r\n\r\n");
    CHECK_EQ(pl.u.invite.portx_check, MSNP_PORTX_ALONE);
    CHECK_EQ(pl.u.invite.issues, 0);
    free(p);
}

static void test_invitations_hostile(void)
{
    /* Giant and boundary file sizes: bounded parse, no overflow. */
    uint8_t *p = decode(INVITE_HEAD "Invitation-Command: INVITE\r\nInvitation-Cookie: 7\r\n"
                                    "Application-GUID: {5d3e02ab-6190-11D3-bbbb-00c04f795683}\r\n"
                                    "Application-File: a\r\n"
                                    "Application-FileSize: 999999999999999999999999999999\r\n\r\n");
    CHECK(pl.u.invite.issues == MSNP_INVITE_ISSUE_BAD_FILE_SIZE);
    CHECK(pl.u.invite.file_transfer); /* the GUID matches whatever its case */
    CHECK(!got(&col, MSNP_V_INVITE_SIZE, 0));
    free(p);
    p = decode(INVITE_HEAD "Invitation-Command: INVITE\r\nInvitation-Cookie: 7\r\n"
                           "Application-GUID: {5D3E02AB-6190-11d3-BBBB-00C04F795683}\r\n"
                           "Application-File: a\r\nApplication-FileSize: 18446744073709551615\r\n\r\n");
    CHECK_EQ(pl.u.invite.issues, 0);
    CHECK(pl.u.invite.file_size_value == UINT64_MAX);
    free(p);
    p = decode(INVITE_HEAD "Invitation-Command: INVITE\r\nInvitation-Cookie: 7\r\n"
                           "Application-GUID: {5D3E02AB-6190-11d3-BBBB-00C04F795683}\r\n"
                           "Application-File: a\r\nApplication-FileSize: 18446744073709551616\r\n\r\n");
    CHECK(pl.u.invite.issues == MSNP_INVITE_ISSUE_BAD_FILE_SIZE);
    free(p);
    p = decode(INVITE_HEAD "Invitation-Command: INVITE\r\nInvitation-Cookie: 7\r\n"
                           "Application-GUID: {5D3E02AB-6190-11d3-BBBB-00C04F795683}\r\n"
                           "Application-FileSize: -5\r\n\r\n");
    CHECK(pl.u.invite.issues ==
          (MSNP_INVITE_ISSUE_BAD_FILE_SIZE | MSNP_INVITE_ISSUE_FT_WITHOUT_FILE));
    free(p);

    /* Missing and duplicate fields; the first one wins. */
    p = decode(INVITE_HEAD "Invitation-Cookie: 1\r\nInvitation-Cookie: 2\r\n\r\n");
    CHECK(pl.u.invite.issues ==
          (MSNP_INVITE_ISSUE_NO_COMMAND | MSNP_INVITE_ISSUE_DUPLICATE_FIELD));
    CHECK_EQ(pl.u.invite.cookie_value, 1);
    free(p);
    p = decode(INVITE_HEAD "Invitation-Command: MAYBE\r\n\r\n");
    CHECK(pl.u.invite.issues ==
          (MSNP_INVITE_ISSUE_UNKNOWN_COMMAND | MSNP_INVITE_ISSUE_NO_COOKIE));
    CHECK_EQ(pl.u.invite.command_code, MSNP_INVITE_CMD_OTHER);
    free(p);
    p = decode(INVITE_HEAD "Invitation-Command: INVITE\r\nInvitation-Cookie: 3\r\n\r\n");
    CHECK(pl.u.invite.issues == MSNP_INVITE_ISSUE_INVITE_WITHOUT_APP);
    free(p);
    p = decode(INVITE_HEAD "Invitation-Command: CANCEL\r\nInvitation-Cookie: 3\r\n\r\n");
    CHECK(pl.u.invite.issues == MSNP_INVITE_ISSUE_CANCEL_WITHOUT_CODE);
    free(p);
    p = decode(INVITE_HEAD "Invitation-Command: CANCEL\r\nInvitation-Cookie: 3\r\n"
                           "Cancel-Code: BORED\r\n\r\n");
    CHECK(pl.u.invite.issues == MSNP_INVITE_ISSUE_UNKNOWN_CANCEL_CODE);
    CHECK(!got(&col, MSNP_V_INVITE_CANCEL_CODE, 0)->text);
    free(p);
    /* A file name that is not UTF-8. */
    p = decode(INVITE_HEAD "Invitation-Command: INVITE\r\nInvitation-Cookie: 3\r\n"
                           "Application-GUID: {5D3E02AB-6190-11d3-BBBB-00C04F795683}\r\n"
                           "Application-File: \xe9t\xe9.txt\r\nApplication-FileSize: 1\r\n\r\n");
    CHECK(pl.u.invite.issues == MSNP_INVITE_ISSUE_FILE_NOT_UTF8);
    free(p);

    /* Voice invitation fields (§6.3, one source); odd case and LF-only. */
    p = decode("MIME-Version: 1.0\nContent-Type: text/x-msmsgsinvite; charset=UTF-8\n\n"
               "invitation-command: INVITE\ninvitation-cookie: 99\n"
               "application-guid: {02D3C01F-BF30-4825-A83A-DE7AF41648AA}\n"
               "Session-Protocol: SM1\nSession-ID: {A0B1}\nContext-Data: Requested:SIP_A,;\n"
               "Conn-Type: Direct-Connect\nSip-Capability: 1\nPublic-IP: 203.0.113.9\n"
               "Private-IP: 10.0.0.9\nAvm-Support: 7\nAvm-Request: 2\n\n");
    CHECK_EQ(pl.u.invite.issues, 0);
    CHECK(pl.u.invite.app_text && strncmp(pl.u.invite.app_text, "voice conversation", 18) == 0);
    CHECK(span_is(p, pl.u.invite.context_data, "Requested:SIP_A,;"));
    CHECK(got_str(&col, MSNP_V_INVITE_SESSION_PROTOCOL, "SM1"));
    CHECK(got_str(&col, MSNP_V_INVITE_AVM_REQUEST, "2"));
    CHECK(got_str(&col, MSNP_V_INVITE_PUBLIC_IP, "203.0.113.9"));
    free(p);

    /* Fields in the header block (no empty line) are still found. */
    p = decode("MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinvite\r\n"
               "Invitation-Command: CANCEL\r\nInvitation-Cookie: 8\r\nCancel-Code: TIMEOUT\r\n");
    CHECK(pl.u.invite.issues == MSNP_INVITE_ISSUE_FIELDS_IN_HEADER);
    CHECK_EQ(pl.u.invite.cookie_value, 8);
    CHECK(span_is(p, pl.u.invite.cancel_code, "TIMEOUT"));
    free(p);

    /* More lines than the field list keeps. */
    char big[8192];
    size_t n = (size_t)snprintf(big, sizeof big, INVITE_HEAD "Invitation-Command: INVITE\r\n");
    for (int i = 0; i < MSNP_MIME_MAX_FIELDS + 3; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "X-%d: y\r\n", i);
    p = decode_n(big, n);
    CHECK(pl.u.invite.issues & MSNP_INVITE_ISSUE_TOO_MANY_FIELDS);
    free(p);
}

/* ---- Profile, mail, system, caps ------------------------------------------------ */

/* login.msnp's profile: every §6.2 field, empty values with a trailing space. */
static const char sample_profile[] =
    "MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsprofile; charset=UTF-8\r\n"
    "LoginTime: 1057244402\r\nEmailEnabled: 1\r\nMemberIdHigh: 84736\r\n"
    "MemberIdLow: -1937302094\r\nlang_preference: 1033\r\npreferredEmail: alice@hotmail.com\r\n"
    "country: US\r\nPostalCode: \r\nGender: \r\nKid: 0\r\nAge: \r\nBDayPre: \r\nBirthday: \r\n"
    "Wallet: \r\nFlags: 1027\r\nsid: 507\r\nkv: 5\r\n"
    "MSPAuth: 53*1hAu8ADuD3TEwdXoOMi08sD*2!cMrntTwVMTjoB3p6stWTqzbkKZPVQzA5NOt19SLI60PY!b8K4YhC!"
    "Ooo5ug$$\r\nClientIP: 203.0.113.7\r\nClientPort: 516\r\n\r\n";

static void test_profile(void)
{
    uint8_t *p = decode(sample_profile);
    const msnp_profile *pr = &pl.u.profile;
    CHECK_EQ(pl.kind, MSNP_PK_PROFILE);
    CHECK_EQ(pl.issues | pr->issues, 0);
    CHECK_EQ(pr->present, (1ull << (MSNP_PRO_ABCH_MIGRATED)) - 1); /* every MSNP8 field */
    CHECK_EQ(pr->login_time_value, 1057244402);
    CHECK_EQ(pr->member_id_high_value, 84736);
    CHECK_EQ(pr->member_id_low_value, 0x8c871db2u); /* -1937302094 as 32 bits */
    CHECK(pr->member_id == 0x00014b008c871db2ull);
    CHECK_EQ(pr->lang_value, 1033);
    CHECK_EQ(pr->flags_value, 1027);
    CHECK_EQ(pr->sid_value, 507);
    CHECK_EQ(pr->client_port_wire, 516);
    CHECK_EQ(pr->client_port_value, 1026); /* 0x0204 swapped: alice's NAT port */
    CHECK(span_is(p, pr->client_ip, "203.0.113.7"));
    CHECK(msnp_profile_has(pr, MSNP_PRO_POSTAL_CODE) && pr->postal_code.len == 0);
    CHECK(got(&col, MSNP_V_PROFILE_LOGIN_TIME, 0)->u == 1057244402);
    CHECK(got(&col, MSNP_V_PROFILE_CLIENT_PORT, 0)->u == 1026);
    CHECK(got(&col, MSNP_V_PROFILE_MEMBER_ID, 0)->u == 0x00014b008c871db2ull);
    CHECK(strcmp(got(&col, MSNP_V_PROFILE_LANG_PREFERENCE, 0)->text,
                 "English (United States)") == 0);
    CHECK(got_str(&col, MSNP_V_PROFILE_PREFERRED_EMAIL, "alice@hotmail.com"));
    CHECK(got_str(&col, MSNP_V_PROFILE_POSTAL_CODE, ""));
    CHECK_EQ(got_count(&col, MSNP_V_PAYLOAD_ISSUE), 0);
    free(p);
    CHECK_EQ(msnp_client_port_unswap(0x1234), 0x3412);

    /* The same member id printed unsigned; a later-version profile. */
    p = decode("MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsprofile; charset=UTF-8\r\n"
               "LoginTime: 1131992402\r\nMemberIdHigh: 84736\r\nMemberIdLow: 2357665202\r\n"
               "ClientPort: 4112\r\nABCHMigrated: 1\r\n\r\n");
    CHECK(pl.u.profile.issues == MSNP_PROFILE_ISSUE_LATER_FIELDS);
    CHECK(pl.u.profile.member_id == 0x00014b008c871db2ull);
    CHECK_EQ(pl.u.profile.client_port_value, 0x1010);
    CHECK(got_str(&col, MSNP_V_PROFILE_ABCH_MIGRATED, "1"));
    free(p);

    /* Out-of-range numbers, a duplicate, no LoginTime. */
    p = decode("MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsprofile\r\nMemberIdLow: "
               "4294967296\r\nMemberIdHigh: -2147483649\r\nClientPort: 65536\r\nsid: 1\r\n"
               "sid: 2\r\nFlags: 99999999999999999999\r\n\r\n");
    CHECK(pl.u.profile.issues ==
          (MSNP_PROFILE_ISSUE_BAD_MEMBER_ID | MSNP_PROFILE_ISSUE_BAD_CLIENT_PORT |
           MSNP_PROFILE_ISSUE_BAD_NUMBER | MSNP_PROFILE_ISSUE_DUPLICATE_FIELD |
           MSNP_PROFILE_ISSUE_NO_LOGIN_TIME));
    CHECK_EQ(pl.u.profile.sid_value, 1);
    CHECK(!got(&col, MSNP_V_PROFILE_MEMBER_ID, 0) && !got(&col, MSNP_V_PROFILE_CLIENT_PORT, 0));
    free(p);
    /* Over the HTTP gateway ClientPort is 0 [1]; -2147483648 is a valid half. */
    p = decode("MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsprofile\r\nLoginTime: 1\r\n"
               "ClientPort: 0\r\nMemberIdHigh: -2147483648\r\nMemberIdLow: 0\r\n\r\n");
    CHECK_EQ(pl.u.profile.issues, 0);
    CHECK(pl.u.profile.member_id == 0x8000000000000000ull);
    free(p);
}

static void test_mail_notices(void)
{
    /* login.msnp's new-mail notice with an RFC 2047 subject. */
    uint8_t *p = decode("MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsemailnotification; "
                        "charset=UTF-8\r\n\r\nFrom: Bob\r\nMessage-URL: /cgi-bin/getmsg?msg=MSG1057245012"
                        ".23&start=2310&len=3045&curmbox=ACTIVE\r\nPost-URL: https://loginnet.passport"
                        ".com/ppsecure/md5auth.srf?lc=1033\r\nSubject: "
                        "=?\"us-ascii\"?Q?Lunch_tomorrow=3F?=\r\nDest-Folder: ACTIVE\r\n"
                        "From-Addr: bob@hotmail.com\r\nid: 2\r\n\r\n");
    CHECK_EQ(pl.kind, MSNP_PK_MAIL_NEW);
    CHECK_EQ(pl.u.mail.issues, 0);
    CHECK(span_is(p, pl.u.mail.from_addr, "bob@hotmail.com"));
    CHECK(got_str(&col, MSNP_V_MAIL_SUBJECT, "Lunch tomorrow?"));
    CHECK(got_str(&col, MSNP_V_MAIL_FROM, "Bob"));
    CHECK(got_str(&col, MSNP_V_MAIL_ID, "2"));
    CHECK(got_str(&col, MSNP_V_MAIL_DEST_FOLDER, "ACTIVE"));
    free(p);

    p = decode("MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsactivemailnotification; "
               "charset=UTF-8\r\n\r\nSrc-Folder: ACTIVE\r\nDest-Folder: trAsH\r\nMessage-Delta: "
               "-2\r\n\r\n");
    CHECK_EQ(pl.kind, MSNP_PK_MAIL_ACTIVE);
    CHECK_EQ(pl.u.mail.issues, 0);
    CHECK_EQ(pl.u.mail.message_delta_value, -2);
    CHECK(got(&col, MSNP_V_MAIL_MESSAGE_DELTA, 0)->i == -2);
    free(p);

    /* Missing, foreign and malformed fields. */
    p = decode("MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinitialemailnotification\r\n\r\n"
               "Inbox-Unread: lots\r\nFolders-Unread: 1\r\nSubject: x\r\n\r\n");
    CHECK(pl.u.mail.issues == (MSNP_MAIL_ISSUE_BAD_COUNT | MSNP_MAIL_ISSUE_MISSING |
                               MSNP_MAIL_ISSUE_FOREIGN));
    CHECK(!got(&col, MSNP_V_MAIL_INBOX_UNREAD, 0) && got(&col, MSNP_V_MAIL_FOLDERS_UNREAD, 0));
    free(p);
    p = decode("MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsactivemailnotification\r\n\r\n"
               "Src-Folder: a\r\nDest-Folder: b\r\nMessage-Delta: 2147483648\r\n\r\n");
    CHECK(pl.u.mail.issues == MSNP_MAIL_ISSUE_BAD_DELTA);
    free(p);
}

static void rfc2047(const char *in, const char *want, size_t size)
{
    char out[256];
    uint8_t *p = exact_copy(in, strlen(in));
    size_t n = msnp_rfc2047_decode(p, strlen(in), out, size);
    CHECK_MSG(n == strlen(want) && strcmp(out, want) == 0, "%s -> \"%s\", want \"%s\"", in, out,
              want);
    free(p);
}

static void test_rfc2047(void)
{
    rfc2047("plain", "plain", 256);
    rfc2047("=?utf-8?Q?caf=C3=A9?=", "caf\xc3\xa9", 256);
    rfc2047("=?ISO-8859-1?q?caf=E9?=", "caf\xc3\xa9", 256);
    rfc2047("=?utf-8?B?SGVsbG8=?=", "Hello", 256);
    rfc2047("=?iso-8859-1?b?6Q==?=", "\xc3\xa9", 256);
    rfc2047("=?utf-8?Q?a?= =?utf-8?Q?b?=", "ab", 256);   /* blanks between words vanish */
    rfc2047("=?utf-8?Q?a?= x =?utf-8?Q?b?=", "a x b", 256);
    rfc2047("=?koi8-r?Q?x?=", "=?koi8-r?Q?x?=", 256);    /* unknown charset: as it is */
    rfc2047("=?utf-8?X?x?=", "=?utf-8?X?x?=", 256);      /* unknown encoding */
    rfc2047("=?utf-8?Q?a=ZZ?=", "=?utf-8?Q?a=ZZ?=", 256); /* malformed escape */
    rfc2047("=?utf-8?B?a!b?=", "=?utf-8?B?a!b?=", 256);
    rfc2047("=?utf-8?Q?unterminated", "=?utf-8?Q?unterminated", 256);
    rfc2047("=?", "=?", 256);
    rfc2047("a=?b", "a=?b", 256);
    rfc2047("=?utf-8?Q?caf=C3=A9?=", "caf", 5); /* never half a character */
    rfc2047("=?iso-8859-1?Q?=E9=E9?=", "\xc3\xa9", 4);
    char one[1];
    CHECK_EQ(msnp_rfc2047_decode((const uint8_t *)"abc", 3, one, 1), 0);
    CHECK_EQ(msnp_rfc2047_decode((const uint8_t *)"abc", 3, one, 0), 0);
}

static void test_system_and_caps(void)
{
    /* edge.msnp: maintenance in 5 minutes, then bytes that look like commands. */
    static const char sys[] = "MIME-Version: 1.0\r\nContent-Type: application/x-msmsgssystemmessage"
                              "\r\n\r\nType: 1\r\nArg1: 5\r\n\r\nOUT OTH\r\nQNG\r\n\x00\xff\xfe";
    uint8_t *p = decode_n(sys, sizeof sys - 1);
    CHECK_EQ(pl.kind, MSNP_PK_SYSTEM);
    CHECK_EQ(pl.u.system.issues, 0);
    CHECK(pl.u.system.type_value == 1 && pl.u.system.arg1_value == 5);
    CHECK(got(&col, MSNP_V_SYSTEM_TYPE, 0)->text != NULL);
    CHECK(got(&col, MSNP_V_SYSTEM_ARG1, 0)->u == 5);
    free(p);
    p = decode("MIME-Version: 1.0\r\nContent-Type: application/x-msmsgssystemmessage\r\n\r\n"
               "Type: 7\r\nArg1: soon\r\n\r\n");
    CHECK(pl.u.system.issues ==
          (MSNP_SYSTEM_ISSUE_UNKNOWN_TYPE | MSNP_SYSTEM_ISSUE_BAD_ARG1));
    free(p);
    p = decode("MIME-Version: 1.0\r\nContent-Type: application/x-msmsgssystemmessage\r\n\r\n");
    CHECK(pl.u.system.issues == MSNP_SYSTEM_ISSUE_NO_TYPE);
    free(p);

    p = decode("MIME-Version: 1.0\r\nContent-Type: text/x-clientcaps\r\n\r\n"
               "Client-Name: Gaim/0.78\r\nChat-Logging: Y\r\n\r\n");
    CHECK_EQ(pl.kind, MSNP_PK_CLIENTCAPS);
    CHECK_EQ(pl.u.caps.issues, 0);
    CHECK(got_str(&col, MSNP_V_CAPS_CLIENT_NAME, "Gaim/0.78"));
    CHECK(got_str(&col, MSNP_V_CAPS_CHAT_LOGGING, "Y") &&
          got(&col, MSNP_V_CAPS_CHAT_LOGGING, 0)->text);
    free(p);
    p = decode("MIME-Version: 1.0\r\nContent-Type: text/x-clientcaps\r\n\r\nChat-Logging: maybe\r\n");
    CHECK(pl.u.caps.issues ==
          (MSNP_CAPS_ISSUE_NO_CLIENT_NAME | MSNP_CAPS_ISSUE_BAD_CHAT_LOGGING));
    free(p);
}

/* ---- Later types ------------------------------------------------------------------ */

static size_t put_le(uint8_t *b, uint64_t v, unsigned width)
{
    for (unsigned i = 0; i < width; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    return width;
}

/* A P2P message: headers, the 48-byte header, data, the footer. */
static size_t build_p2p(uint8_t *b, uint32_t session, uint32_t msglen_field, const char *data,
                        int footer)
{
    size_t n = (size_t)sprintf((char *)b, "MIME-Version: 1.0\r\nContent-Type: "
                                          "application/x-msnmsgrp2p\r\nP2P-Dest: "
                                          "bob@hotmail.com\r\n\r\n");
    size_t dlen = strlen(data);
    n += put_le(b + n, session, 4);
    n += put_le(b + n, 0x11223344, 4);
    n += put_le(b + n, 0, 8);
    n += put_le(b + n, dlen, 8);
    n += put_le(b + n, msglen_field, 4);
    n += put_le(b + n, 0x20, 4);
    n += put_le(b + n, 0xAABBCCDD, 4);
    n += put_le(b + n, 7, 4);
    n += put_le(b + n, 0x0102030405060708ull, 8);
    memcpy(b + n, data, dlen);
    n += dlen;
    if (footer) {
        static const uint8_t app[4] = {1, 2, 3, 4}; /* big-endian 0x01020304 */
        memcpy(b + n, app, 4);
        n += 4;
    }
    return n;
}

static void test_p2p(void)
{
    uint8_t msg[512];
    const char *slp = "INVITE MSNMSGR:bob@hotmail.com MSNSLP/1.0\r\nTo: <msnmsgr:bob@hotmail.com>\r\n";
    size_t n = build_p2p(msg, 0, (uint32_t)strlen(slp), slp, 1);
    uint8_t *p = decode_n((const char *)msg, n);
    const msnp_p2p *x = &pl.u.p2p;
    CHECK_EQ(pl.kind, MSNP_PK_P2P);
    CHECK(pl.issues == MSNP_PAYLOAD_ISSUE_LATER_TYPE);
    CHECK_EQ(x->issues, 0);
    CHECK(x->has_header && x->has_footer && x->app_id == 0x01020304);
    CHECK(x->identifier == 0x11223344 && x->flags == 0x20 && x->ack_identifier == 0xAABBCCDD);
    CHECK(x->ack_data_size == 0x0102030405060708ull && x->total_size == strlen(slp));
    CHECK(span_is(p, x->slp_line, "INVITE MSNMSGR:bob@hotmail.com MSNSLP/1.0"));
    CHECK(span_is(p, x->dest, "bob@hotmail.com"));
    CHECK(got_str(&col, MSNP_V_MSG_SINCE, "MSNP9+"));
    CHECK(got_str(&col, MSNP_V_P2P_SLP, "INVITE MSNMSGR:bob@hotmail.com MSNSLP/1.0"));
    CHECK(got(&col, MSNP_V_P2P_FLAGS, 0)->u == 0x20);
    CHECK(got(&col, MSNP_V_P2P_APP_ID, 0)->u == 0x01020304);
    CHECK(got(&col, MSNP_V_P2P_SESSION_ID, 0)->u == 0 &&
          got(&col, MSNP_V_P2P_MESSAGE_LENGTH, 0)->u == strlen(slp));
    CHECK(got(&col, MSNP_V_P2P_DATA, 0)->str_len == strlen(slp));
    free(p);

    /* Every prefix: short header, truncated data, missing footer; never a
     * read past the end (the copies are exact-size heap blocks). */
    size_t body = n - 48 - strlen(slp) - 4;
    for (size_t k = 0; k <= n; k++) {
        p = decode_n((const char *)msg, k);
        if (k >= body && pl.kind == MSNP_PK_P2P) {
            uint32_t got_issues = pl.u.p2p.issues;
            if (k < body + 48)
                CHECK(got_issues & MSNP_P2P_ISSUE_SHORT_HEADER);
            else if (k < body + 48 + strlen(slp))
                CHECK(got_issues & MSNP_P2P_ISSUE_DATA_TRUNCATED);
            else if (k < n)
                CHECK(got_issues & MSNP_P2P_ISSUE_NO_FOOTER);
        }
        free(p);
    }
    /* A MessageLength far beyond the payload; trailing bytes; no P2P-Dest. */
    n = build_p2p(msg, 9, 0xFFFFFFFF, "data", 1);
    p = decode_n((const char *)msg, n);
    CHECK(pl.u.p2p.issues == MSNP_P2P_ISSUE_DATA_TRUNCATED);
    CHECK_EQ(pl.u.p2p.data.len, 8);
    CHECK(!pl.u.p2p.slp_line.len);
    free(p);
    n = build_p2p(msg, 9, 2, "data", 1);
    p = decode_n((const char *)msg, n);
    CHECK(pl.u.p2p.issues == MSNP_P2P_ISSUE_TRAILING);
    free(p);
    p = decode("MIME-Version: 1.0\r\nContent-Type: application/x-msnmsgrp2p\r\n\r\nshort");
    CHECK(pl.u.p2p.issues == (MSNP_P2P_ISSUE_SHORT_HEADER | MSNP_P2P_ISSUE_NO_DEST));
    free(p);
}

static void test_later_types(void)
{
    uint8_t *p = decode("MIME-Version: 1.0\r\nContent-Type: text/x-mms-emoticon\r\n\r\n"
                        "(bee)\t<msnobj Creator=\"a@b.c\"/>\t:yes:\t<msnobj Type=\"2\"/>\t");
    CHECK_EQ(pl.kind, MSNP_PK_EMOTICON);
    CHECK(pl.issues == MSNP_PAYLOAD_ISSUE_LATER_TYPE);
    CHECK_EQ(pl.u.emoticon.count, 2);
    CHECK(span_is(p, pl.u.emoticon.e[1].shortcut, ":yes:"));
    CHECK(got_str(&col, MSNP_V_EMOTICON_OBJECT, "<msnobj Creator=\"a@b.c\"/>"));
    free(p);
    p = decode("MIME-Version: 1.0\r\nContent-Type: text/x-mms-animemoticon\r\n\r\nlonely\t");
    CHECK_EQ(pl.kind, MSNP_PK_ANIMEMOTICON);
    CHECK(pl.u.emoticon.issues == MSNP_EMOTICON_ISSUE_ODD_COUNT);
    free(p);
    char many[2048];
    size_t n = (size_t)snprintf(many, sizeof many,
                                "MIME-Version: 1.0\r\nContent-Type: text/x-mms-emoticon\r\n\r\n");
    for (int i = 0; i < MSNP_EMOTICON_MAX + 2; i++)
        n += (size_t)snprintf(many + n, sizeof many - n, "s%d\to%d\t", i, i);
    p = decode_n(many, n);
    CHECK(pl.u.emoticon.issues == MSNP_EMOTICON_ISSUE_TOO_MANY);
    CHECK_EQ(pl.u.emoticon.count, MSNP_EMOTICON_MAX);
    free(p);

    p = decode("MIME-Version: 1.0\r\nContent-Type: text/x-msnmsgr-datacast\r\n\r\nID: 1\r\n\r\n");
    CHECK_EQ(pl.kind, MSNP_PK_DATACAST);
    CHECK(pl.u.datacast.id_valid && pl.u.datacast.id_value == 1);
    CHECK(strcmp(got(&col, MSNP_V_DATACAST_ID, 0)->text, "nudge") == 0);
    free(p);
    p = decode("MIME-Version: 1.0\r\nContent-Type: text/x-msnmsgr-datacast\r\n\r\nID: x\r\n\r\n");
    CHECK(pl.u.datacast.issues == MSNP_DATACAST_ISSUE_BAD_ID);
    free(p);

    static const struct {
        const char *type;
        uint8_t kind;
        const char *since;
    } opaque[] = {
        {"application/x-ms-ink", MSNP_PK_INK, "MSNP9+"},
        {"image/gif", MSNP_PK_INK_GIF, "MSNP9+"},
        {"text/x-keepalive", MSNP_PK_KEEPALIVE, "MSNP9+"},
        {"text/x-msmsgsinitialmdatanotification", MSNP_PK_INITIAL_MDATA, "MSNP11+"},
        {"text/x-msmsgsoimnotification", MSNP_PK_OIM, "MSNP11+"},
    };
    for (size_t i = 0; i < N(opaque); i++) {
        char buf[256];
        snprintf(buf, sizeof buf, "MIME-Version: 1.0\r\nContent-Type: %s\r\n\r\nMail-Data: x\r\n",
                 opaque[i].type);
        p = decode(buf);
        CHECK_EQ(pl.kind, opaque[i].kind);
        CHECK(pl.issues == MSNP_PAYLOAD_ISSUE_LATER_TYPE);
        CHECK(got_str(&col, MSNP_V_MSG_SINCE, opaque[i].since));
        CHECK(span_is(p, pl.u.later.body, "Mail-Data: x\r\n"));
        free(p);
    }
}

/* ---- Dispatch and the MIME layer ----------------------------------------------- */

static void test_content_type_table(void)
{
    CHECK_EQ(msnp_content_type_count(), MSNP_PK_COUNT - 1);
    uint32_t kinds = 0;
    for (size_t i = 0; i < msnp_content_type_count(); i++) {
        const msnp_content_type *t = msnp_content_type_at(i);
        uint8_t *p = exact_copy(t->media_type, strlen(t->media_type));
        msnp_span s = {0, (uint32_t)strlen(t->media_type)};
        CHECK(msnp_content_type_find(p, s) == t);
        for (uint32_t k = 0; k < s.len; k++) /* case-insensitive */
            if (p[k] >= 'a' && p[k] <= 'z')
                p[k] = (uint8_t)(p[k] - 32);
        CHECK(msnp_content_type_find(p, s) == t);
        free(p);
        CHECK_MSG(!(kinds & (1u << t->kind)), "kind %u twice", t->kind);
        kinds |= 1u << t->kind;
        CHECK(t->name && t->summary && t->decode);
        CHECK((t->era == MSNP_ERA_MSNP8) == (t->since == NULL));
        CHECK(t->roles == MSNP_R_NS || t->roles == MSNP_R_SB);
    }
    CHECK(msnp_content_type_at(msnp_content_type_count()) == NULL);
    /* §6.2: the system message is application/, and text/ is not it. */
    uint8_t *p = exact_copy("text/x-msmsgssystemmessage", 26);
    msnp_span s = {0, 26};
    CHECK(msnp_content_type_find(p, s) == NULL);
    free(p);
}

static void test_mime_level(void)
{
    uint8_t *p = decode("MIME-Version: 1.0\r\nContent-Type: application/x-unheard-of\r\n\r\nx");
    CHECK_EQ(pl.kind, MSNP_PK_UNKNOWN);
    CHECK(pl.issues == MSNP_PAYLOAD_ISSUE_UNKNOWN_TYPE);
    CHECK(got_str(&col, MSNP_V_MIME_CONTENT_TYPE, "application/x-unheard-of"));
    CHECK(!got(&col, MSNP_V_MSG_KIND, 0));
    free(p);
    p = decode("X"); /* edge.msnp: MSG 3 U 1 with the payload "X" */
    CHECK(pl.issues == MSNP_PAYLOAD_ISSUE_NO_MIME);
    free(p);
    p = decode_n("", 0);
    CHECK(pl.issues == MSNP_PAYLOAD_ISSUE_NO_MIME && pl.kind == MSNP_PK_UNKNOWN);
    free(p);
    p = decode("Content-Type: text/plain\r\n\r\nhi");
    CHECK(pl.issues == MSNP_PAYLOAD_ISSUE_NO_MIME_VERSION && pl.kind == MSNP_PK_TEXT);
    free(p);
    p = decode("MIME-Version: 1.0\r\nbogus line\r\n\r\nhi");
    CHECK(pl.issues == (MSNP_PAYLOAD_ISSUE_NO_CONTENT_TYPE | MSNP_PAYLOAD_ISSUE_BAD_HEADER_LINE));
    free(p);
    /* Chunked long messages of later clients; P4-Context. */
    p = decode("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nMessage-ID: "
               "{X}\r\nChunks: 3\r\nP4-Context: Bobby\r\n\r\npart one");
    CHECK(pl.issues == MSNP_PAYLOAD_ISSUE_CHUNKED);
    CHECK(got_str(&col, MSNP_V_MIME_CHUNKS, "3"));
    CHECK(got_str(&col, MSNP_V_MIME_P4_CONTEXT, "Bobby"));
    CHECK(got_issue(&col, msnp_code_text(&msnp_payload_issue_table, MSNP_PAYLOAD_ISSUE_CHUNKED)));
    const collected *h = got(&col, MSNP_V_MIME_HEADER, 2);
    CHECK(h && strcmp(h->key, "Message-ID") == 0 && strcmp(h->str, "{X}") == 0);
    free(p);
}

/* ---- Hostile input ---------------------------------------------------------------- */

static const char *const corpus[] = {
    ref_mail_initial, ref_typing, ref_text, ref_invite, ref_accept_receiver, ref_accept_sender,
    ref_cancel, sample_profile,
    "MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsemailnotification\r\n\r\nSubject: "
    "=?utf-8?B?SGVsbG8=?= =?iso-8859-1?Q?=E9?=\r\nFrom: x\r\n\r\n",
    "MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsactivemailnotification\r\n\r\nSrc-Folder: "
    "a\r\nDest-Folder: b\r\nMessage-Delta: -1\r\n\r\n",
    "MIME-Version: 1.0\r\nContent-Type: application/x-msmsgssystemmessage\r\n\r\nType: 1\r\n"
    "Arg1: 5\r\n\r\n",
    "MIME-Version: 1.0\r\nContent-Type: text/x-clientcaps\r\n\r\nClient-Name: Gaim/0.78\r\n"
    "Chat-Logging: Y\r\n\r\n",
    "MIME-Version: 1.0\r\nContent-Type: text/x-mms-emoticon\r\n\r\n(a)\t<msnobj/>\t",
    "MIME-Version: 1.0\r\nContent-Type: text/x-msnmsgr-datacast\r\n\r\nID: 1\r\n\r\n",
    "MIME-Version: 1.0\nContent-Type: text/plain;charset=UTF-8\nUser-Agent: Gaim/0.75\n\nhi",
    "MIME-Version: 1.0\r\nContent-Type: text/plain\r\nX-MMS-IM-Format: FN=A%20B; EF=BIUS; "
    "CO=123456; CS=EE; PF=12; RL=1\r\n\r\n\xe9\xe8",
};

/* Decode p[0..n) and visit it with a small scratch buffer: bounds only. */
static void decode_hostile(const uint8_t *src, size_t n)
{
    uint8_t *p = exact_copy(src, n);
    static char small[16];
    msnp_payload_decode(p, n, &pl);
    collector_init(&col, p, n, small, sizeof small);
    msnp_vocab_scratch sc = {small, sizeof small};
    msnp_payload_visit(&pl, p, sc, collect, &col);
    CHECK(!col.out_of_bounds && !col.bad_field);
    free(p);
}

static void test_hostile(void)
{
    /* Every prefix of every payload. */
    for (size_t c = 0; c < N(corpus); c++) {
        size_t n = strlen(corpus[c]);
        for (size_t k = 0; k <= n; k++)
            decode_hostile((const uint8_t *)corpus[c], k);
    }
    /* Random byte flips with a fixed seed. */
    check_rng_state = 0x5eed5eed12345ull;
    uint8_t buf[1024];
    for (int round = 0; round < 3000; round++) {
        const char *src = corpus[check_rand() % N(corpus)];
        size_t n = strlen(src);
        memcpy(buf, src, n);
        int flips = 1 + (int)(check_rand() % 6);
        for (int f = 0; f < flips; f++) {
            size_t at = check_rand() % n;
            switch (check_rand() % 4) {
            case 0: buf[at] = (uint8_t)check_rand(); break;
            case 1: buf[at] = ':'; break;
            case 2: buf[at] = '\n'; break;
            default: buf[at] = ';'; break;
            }
        }
        decode_hostile(buf, n);
    }
    /* Random bytes. */
    for (int round = 0; round < 500; round++) {
        size_t n = check_rand() % sizeof buf;
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)check_rand();
        decode_hostile(buf, n);
    }
}

/* ---- The vocabulary ---------------------------------------------------------------- */

static void test_vocabulary(const char *doc_path)
{
    for (int i = 0; i < MSNP_V_COUNT; i++) {
        const msnp_vocab_field *f = msnp_vocab((msnp_vocab_id)i);
        CHECK_MSG(f && f->name && strncmp(f->name, "msnp.", 5) == 0, "vocabulary row %d", i);
        if (!f || !f->name)
            continue;
        CHECK_MSG(f->label && f->label[0] && f->description && f->description[0], "%s", f->name);
        CHECK_MSG(msnp_vocab_find(f->name) == f, "%s twice", f->name);
        int integer = f->type == MSNP_VT_UINT || f->type == MSNP_VT_HEX || f->type == MSNP_VT_INT;
        CHECK_MSG(integer ? (f->bits == 8 || f->bits == 16 || f->bits == 32 || f->bits == 64)
                          : (f->type == MSNP_VT_TIME || f->bits == 0),
                  "%s bits", f->name);
        if (f->table)
            CHECK_MSG(msnp_value_table_find(f->table, strlen(f->table)) ||
                          msnp_code_table_find(f->table),
                      "%s: table %s", f->name, f->table);
        CHECK_MSG(!f->keyed || i == MSNP_V_MIME_HEADER || i == MSNP_V_MIME_BODY_FIELD, "%s",
                  f->name);
        /* Names are lower-case words joined by '.' and '_'. */
        for (const char *c = f->name; *c; c++)
            CHECK_MSG((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.' ||
                          *c == '_',
                      "%s", f->name);
    }
    CHECK(msnp_vocab(MSNP_V_COUNT) == NULL);
    CHECK(msnp_vocab_find("msnp.nonesuch") == NULL);
    /* The names the issue and the plugin brief use. */
    static const char *const promised[] = {
        "msnp.mime.content_type", "msnp.msg.text",      "msnp.invite.command",
        "msnp.invite.cookie",     "msnp.invite.app_guid", "msnp.invite.file",
        "msnp.invite.size",       "msnp.invite.port",   "msnp.invite.portx",
        "msnp.invite.auth_cookie", "msnp.qry.verified", "msnp.qry.client",
        "msnp.qry.client_id",     "msnp.profile.client_port", "msnp.format.font",
        "msnp.format.effects",    "msnp.format.color",  "msnp.format.charset",
        "msnp.format.pitch_family", "msnp.typing.user",
    };
    for (size_t i = 0; i < N(promised); i++)
        CHECK_MSG(msnp_vocab_find(promised[i]), "%s", promised[i]);
    for (size_t i = 0; i < msnp_code_table_count(); i++) {
        const msnp_code_table *t = msnp_code_table_at(i);
        CHECK(t && msnp_code_table_find(t->name) == t && t->count > 0);
    }

    /* docs/payloads.md lists every name. */
    if (!doc_path)
        return;
    FILE *f = fopen(doc_path, "rb");
    CHECK_MSG(f != NULL, "cannot open %s", doc_path);
    if (!f)
        return;
    static char doc[1 << 18];
    size_t len = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[len] = '\0';
    for (int i = 0; i < MSNP_V_COUNT; i++) {
        char quoted[96];
        snprintf(quoted, sizeof quoted, "`%s`", msnp_vocab((msnp_vocab_id)i)->name);
        CHECK_MSG(strstr(doc, quoted) != NULL, "%s is not in %s", quoted, doc_path);
    }
    for (size_t i = 0; i < msnp_content_type_count(); i++) {
        char quoted[96];
        snprintf(quoted, sizeof quoted, "`%s`", msnp_content_type_at(i)->media_type);
        CHECK_MSG(strstr(doc, quoted) != NULL, "%s is not in %s", quoted, doc_path);
    }
}

int main(int argc, char **argv)
{
    test_reference_lengths();
    test_mail_initial();
    test_typing();
    test_text_and_format();
    test_format_edge_cases();
    test_invitations_reference();
    test_invitations_sample_and_ports();
    test_invitations_hostile();
    test_profile();
    test_mail_notices();
    test_rfc2047();
    test_system_and_caps();
    test_p2p();
    test_later_types();
    test_content_type_table();
    test_mime_level();
    test_hostile();
    test_vocabulary(argc > 1 ? argv[1] : NULL);
    return check_exit("test_payload");
}
