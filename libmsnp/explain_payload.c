/* Sentences for what a line carries: an error reply (the error table's
 * glossary), an acknowledgement mode (§5), an MSG payload (§6, through the
 * payload decoders) and the XML documents of NOT, IPG and PAG (§3.6). See
 * explain.h. */
#include "msnp/explain.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "msnp/errors.h"
#include "msnp/payload.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- A bounded string builder ------------------------------------------- */

typedef struct sentence {
    char *out;
    size_t size, len; /* len stays < size */
} sentence;

static sentence sentence_start(char *out, size_t size)
{
    sentence s = {out, size, 0};
    if (size)
        out[0] = '\0';
    return s;
}

static void add(sentence *s, const char *fmt, ...) MSNP_PRINTF(2, 3);

static void add(sentence *s, const char *fmt, ...)
{
    if (s->len + 1 >= s->size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s->out + s->len, s->size - s->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        s->len += (size_t)n < s->size - s->len ? (size_t)n : s->size - s->len - 1;
}

/* Bytes from the capture, at most `max` of them, with line breaks and tabs
 * turned into spaces so a sentence stays one line. The caller's escaping
 * takes care of everything else. */
static void add_bytes(sentence *s, const uint8_t *p, size_t n, size_t max)
{
    size_t take = n < max ? n : max;
    /* Do not cut a UTF-8 sequence in two. */
    while (take < n && take > 0 && (p[take] & 0xC0) == 0x80)
        take--;
    for (size_t i = 0; i < take && s->len + 1 < s->size; i++) {
        uint8_t c = p[i];
        s->out[s->len++] = c == '\r' || c == '\n' || c == '\t' ? ' ' : (char)c;
    }
    s->out[s->len] = '\0';
    if (take < n)
        add(s, "...");
}

static void add_span(sentence *s, const uint8_t *base, msnp_span v, size_t max)
{
    add_bytes(s, base + v.off, v.len, max);
}

static size_t finish(sentence *s)
{
    return s->len;
}

/* ---- Errors ------------------------------------------------------------- */

size_t msnp_explain_error(unsigned code, char *out, size_t size)
{
    sentence s = sentence_start(out, size);
    const msnp_error_info *e = msnp_error_lookup(code);
    if (!e) {
        add(&s, "error %03u: a code the error table does not know (no source describes it)",
            code);
        return finish(&s);
    }
    add(&s, "error %03u (%s): %s", code, e->name, e->meaning);
    if (e->fatal && !strstr(e->meaning, "disconnect")) /* not twice */
        add(&s, "; the server closes the connection after it");
    if (!e->certain)
        add(&s, "; uncertain: the sources disagree or only one describes it");
    if (e->era == MSNP_ERA_LATER)
        add(&s, "; a code of later protocol versions");
    return finish(&s);
}

/* ---- Acknowledgement modes (§5) ------------------------------------------ */

static const msnp_ack_mode ack_modes[] = {
    {"U", "unacknowledged", "nothing, ever", "typing notifications", MSNP_ERA_MSNP8},
    {"N", "negative only", "NAK with the message's TrID if delivery fails, otherwise nothing",
     "most text messages and invitations", MSNP_ERA_MSNP8},
    {"A", "acknowledged", "ACK with the message's TrID on delivery, NAK on failure",
     "messages whose delivery the client wants confirmed", MSNP_ERA_MSNP8},
    {"D", "data (MSNP9 and later)",
     "ACK on delivery, or error 282 when the P2P data is malformed", "P2P data",
     MSNP_ERA_LATER},
    {"S", "mode S (later clients, meaning unknown)", "not known", "seen on invitations",
     MSNP_ERA_LATER},
};

const msnp_ack_mode *msnp_ack_mode_find(const uint8_t *v, size_t len)
{
    for (size_t i = 0; i < N(ack_modes); i++)
        if (len == 1 && v[0] == (uint8_t)ack_modes[i].mode[0])
            return &ack_modes[i];
    return NULL;
}

size_t msnp_ack_mode_count(void)
{
    return N(ack_modes);
}

const msnp_ack_mode *msnp_ack_mode_at(size_t i)
{
    return i < N(ack_modes) ? &ack_modes[i] : NULL;
}

/* ---- MSG payloads (§6) ------------------------------------------------------ */

enum { SNIPPET = 100 }; /* capture bytes quoted in one sentence, at most */

static void text_message(sentence *s, const uint8_t *p, const msnp_text_msg *t)
{
    char utf8[SNIPPET * 2 + 8];
    msnp_span cut = t->text;
    if (cut.len > SNIPPET)
        cut.len = SNIPPET + 4; /* enough for the last character; add_bytes cuts */
    msnp_text_msg part = *t;
    part.text = cut;
    size_t n = msnp_text_to_utf8(p, &part, utf8, sizeof utf8);
    add(s, ": \"");
    add_bytes(s, (const uint8_t *)utf8, n, SNIPPET); /* "..." when it was cut */
    add(s, "\" (%u byte%s)", (unsigned)t->text.len, t->text.len == 1 ? "" : "s");
    if (t->has_format) {
        const msnp_im_format *f = &t->format;
        if (f->present & MSNP_FMT_HAS_FN) {
            char font[96];
            size_t fl = msnp_im_format_font(p, f, font, sizeof font);
            add(s, ", font ");
            add_bytes(s, (const uint8_t *)font, fl, 40);
        }
        static const struct {
            unsigned bit;
            const char *name;
        } effects[] = {{MSNP_EF_BOLD, "bold"},
                       {MSNP_EF_ITALIC, "italic"},
                       {MSNP_EF_UNDERLINE, "underlined"},
                       {MSNP_EF_STRIKEOUT, "struck out"}};
        for (size_t i = 0; i < N(effects); i++)
            if (f->effect_bits & effects[i].bit)
                add(s, ", %s", effects[i].name);
        if (f->color_valid) {
            char hex[8];
            msnp_im_format_color_hex(f->color_rgb, hex);
            add(s, ", colour %s", hex);
        }
    }
    if (t->charset == MSNP_TEXT_LATIN1)
        add(s, "; no charset given, so the text is ISO-8859-1");
}

static void invitation(sentence *s, const uint8_t *p, const msnp_invite *inv)
{
    add(s, ": ");
    if (inv->command.len)
        add_span(s, p, inv->command, 16);
    else
        add(s, "no Invitation-Command");
    if (inv->cookie.len) {
        add(s, ", cookie ");
        add_span(s, p, inv->cookie, 24);
    }
    switch (inv->command_code) {
    case MSNP_INVITE_CMD_INVITE:
        add(s, ": offers ");
        if (inv->app_name.len)
            add_span(s, p, inv->app_name, 48);
        else
            add(s, "%s", inv->app_text ? inv->app_text : "an application");
        if (inv->file_transfer && inv->file.len) {
            add(s, " of ");
            add_span(s, p, inv->file, 64);
            if (msnp_invite_has(inv, MSNP_INV_FILE_SIZE) &&
                !(inv->issues & MSNP_INVITE_ISSUE_BAD_FILE_SIZE))
                add(s, ", %llu bytes", (unsigned long long)inv->file_size_value);
        }
        add(s, "; the other side answers ACCEPT or CANCEL with the same cookie");
        break;
    case MSNP_INVITE_CMD_ACCEPT:
        if (inv->ip_address.len && inv->port.len) {
            add(s, ": accepts, and listens at ");
            add_span(s, p, inv->ip_address, 48);
            add(s, " port ");
            add_span(s, p, inv->port, 8);
            if (inv->portx_check == MSNP_PORTX_AGREES)
                add(s, " (PortX agrees)");
            else if (inv->portx_check == MSNP_PORTX_DISAGREES)
                add(s, " (PortX does not agree)");
            if (inv->auth_cookie.len) {
                add(s, "; the receiver will present AuthCookie ");
                add_span(s, p, inv->auth_cookie, 24);
                add(s, " in the MSNFTP USR");
            }
        } else {
            add(s, ": the invitee accepts; the sender answers with the address to connect to");
        }
        break;
    case MSNP_INVITE_CMD_CANCEL:
        add(s, ": withdraws or declines the invitation");
        if (inv->cancel_code.len) {
            add(s, ", ");
            add_span(s, p, inv->cancel_code, 24);
            if (inv->cancel_text)
                add(s, " (%s)", inv->cancel_text);
        }
        break;
    default:
        break;
    }
}

static void profile(sentence *s, const uint8_t *p, const msnp_profile *pr)
{
    add(s, ": account data the server sends once after the login");
    if ((pr->present >> MSNP_PRO_CLIENT_IP) & 1) {
        add(s, "; the client's address as the server sees it: ");
        add_span(s, p, pr->client_ip, 48);
        if ((pr->valid >> MSNP_PRO_CLIENT_PORT) & 1)
            add(s, " port %u (the wire's ClientPort %u, its two bytes swapped)",
                (unsigned)pr->client_port_value, (unsigned)pr->client_port_wire);
    }
    if ((pr->valid >> MSNP_PRO_EMAIL_ENABLED) & 1)
        add(s, pr->email_enabled_value ? "; the account has a mailbox"
                                       : "; the account has no mailbox");
}

static void mail(sentence *s, const uint8_t *p, const msnp_mail *m)
{
    if (m->kind == MSNP_MAIL_INITIAL) {
        if ((m->valid >> MSNP_MAIL_INBOX_UNREAD) & 1)
            add(s, ": %u unread in the inbox", (unsigned)m->inbox_unread_value);
        if ((m->valid >> MSNP_MAIL_FOLDERS_UNREAD) & 1)
            add(s, ", %u in other folders", (unsigned)m->folders_unread_value);
        return;
    }
    if (m->kind == MSNP_MAIL_NEW) {
        add(s, ": a message arrived");
        if (m->from.len) {
            add(s, " from ");
            add_span(s, p, m->from, 64);
        }
        if (m->from_addr.len) {
            add(s, " <");
            add_span(s, p, m->from_addr, 64);
            add(s, ">");
        }
        if (m->subject.len) {
            char subj[160];
            size_t n = msnp_rfc2047_decode(p + m->subject.off, m->subject.len, subj,
                                           sizeof subj);
            add(s, ", subject \"");
            add_bytes(s, (const uint8_t *)subj, n, SNIPPET);
            add(s, "\"");
        }
        return;
    }
    add(s, ": ");
    if ((m->valid >> MSNP_MAIL_MESSAGE_DELTA) & 1)
        add(s, "%d message(s) ", (int)m->message_delta_value);
    add(s, "moved");
    if (m->src_folder.len) {
        add(s, " from ");
        add_span(s, p, m->src_folder, 32);
    }
    if (m->dest_folder.len) {
        add(s, " to ");
        add_span(s, p, m->dest_folder, 32);
    }
}

size_t msnp_explain_msg_payload(const uint8_t *p, size_t n, char *out, size_t size)
{
    sentence s = sentence_start(out, size);
    if (n == 0) {
        add(&s, "no payload bytes");
        return finish(&s);
    }
    msnp_payload pl;
    msnp_payload_decode(p, n, &pl);
    if (pl.issues & MSNP_PAYLOAD_ISSUE_NO_MIME) {
        add(&s, "a payload of %zu byte%s without a MIME header, so not a message any client "
                "would show",
            n, n == 1 ? "" : "s");
        return finish(&s);
    }
    if (!pl.type) {
        add(&s, "a message of content type \"");
        add_span(&s, p, pl.mime.content_type, 64);
        add(&s, "\", which the reference does not list (the official client ignores it)");
        return finish(&s);
    }
    add(&s, "%s, %s", pl.type->summary, pl.type->media_type);
    if (pl.type->era != MSNP_ERA_MSNP8)
        add(&s, ", not MSNP8 (%s)", pl.type->since ? pl.type->since : "a later version");
    switch (pl.kind) {
    case MSNP_PK_TEXT:
        text_message(&s, p, &pl.u.text);
        break;
    case MSNP_PK_TYPING:
        if (pl.u.typing.user.len) {
            add(&s, ": ");
            add_span(&s, p, pl.u.typing.user, 64);
            add(&s, " is typing (the other windows show it for a while; nothing answers it)");
        }
        break;
    case MSNP_PK_INVITE:
        invitation(&s, p, &pl.u.invite);
        break;
    case MSNP_PK_PROFILE:
        profile(&s, p, &pl.u.profile);
        break;
    case MSNP_PK_MAIL_INITIAL:
    case MSNP_PK_MAIL_NEW:
    case MSNP_PK_MAIL_ACTIVE:
        mail(&s, p, &pl.u.mail);
        break;
    case MSNP_PK_SYSTEM:
        if (pl.u.system.type_valid && pl.u.system.type_value == 1 && pl.u.system.arg1_valid)
            add(&s, ": the server goes down for maintenance in %u minutes",
                (unsigned)pl.u.system.arg1_value);
        else if (pl.u.system.type_valid)
            add(&s, ": type %u, which no source documents", (unsigned)pl.u.system.type_value);
        break;
    case MSNP_PK_CLIENTCAPS:
        if (pl.u.caps.client_name.len) {
            add(&s, ": the client calls itself ");
            add_span(&s, p, pl.u.caps.client_name, 48);
        }
        if (pl.u.caps.chat_logging_text)
            add(&s, "; chat logging: %s", pl.u.caps.chat_logging_text);
        break;
    default:
        break;
    }
    return finish(&s);
}

/* ---- NOT, IPG, PAG (§3.6) -------------------------------------------------- */

size_t msnp_explain_xml_payload(const uint8_t *p, size_t n, int page, char *out, size_t size)
{
    sentence s = sentence_start(out, size);
    if (n == 0) {
        add(&s, "no payload bytes");
        return finish(&s);
    }
    msnp_xml_note x;
    if (page)
        msnp_page_parse(p, n, &x);
    else
        msnp_notification_parse(p, n, &x);
    add(&s, page ? "page document" : "notification document");
    if (x.issues & MSNP_XML_ISSUE_UNEXPECTED_ROOT)
        add(&s, " with an unexpected root element");
    char text[SNIPPET * 2];
    if (msnp_xml_has(&x, MSNP_XV_FROM_NAME) && x.from_name.len) {
        size_t tn = msnp_xml_decode(p, x.from_name, text, sizeof text);
        add(&s, " from ");
        add_bytes(&s, (const uint8_t *)text, tn, 64);
    }
    if (msnp_xml_has(&x, MSNP_XV_NUM) && x.num.len) {
        add(&s, ", call-back number ");
        add_span(&s, p, x.num, 32);
    }
    if (msnp_xml_has(&x, MSNP_XV_TEXT) && x.text.len) {
        size_t tn = msnp_xml_decode(p, x.text, text, sizeof text);
        add(&s, ": \"");
        add_bytes(&s, (const uint8_t *)text, tn, SNIPPET);
        add(&s, "\"");
    }
    if (msnp_xml_has(&x, MSNP_XV_ACTION_URL) && x.action_url.len) {
        size_t tn = msnp_xml_decode(p, x.action_url, text, sizeof text);
        add(&s, "; link ");
        add_bytes(&s, (const uint8_t *)text, tn, 80);
    }
    return finish(&s);
}
