/* The chats view: conversations as people had them. One record per message
 * (once, with every leg's frame), typing notification, join, leave and
 * invitation, from the correlator's events, in capture order. */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "msnp/payload.h"
#include "records.h"
#include "scratch.h"
#include "timefmt.h"
#include "views.h"

typedef struct chats_writer {
    writer w;
    int jsonl;
    timefmt time;
    /* A message's text as UTF-8, kept for the next message: twice the
     * largest message's text at most, which the framer's payload limit
     * bounds. */
    scratch_buf text;
} chats_writer;

/* The text of a message as UTF-8 (ISO-8859-1 when no charset is given), in
 * cw->text until the next message; NULL when it has none or no room. */
static const char *message_text(chats_writer *cw, const msnp_event *ev, msnp_text_msg *t,
                                size_t *len)
{
    msnp_mime m;
    if (msnp_mime_parse(ev->payload, ev->payload_len, &m) != 0)
        return NULL;
    msnp_text_decode(ev->payload, ev->payload_len, &m, t);
    return scratch_text_utf8(&cw->text, ev->payload, t, len);
}

static const char *kind_name(msnp_event_kind k)
{
    static const char *const names[] = {
        [MSNP_EV_MESSAGE] = "message", [MSNP_EV_TYPING] = "typing",
        [MSNP_EV_INVITE] = "invitation", [MSNP_EV_OTHER] = "other",
        [MSNP_EV_JOIN] = "join", [MSNP_EV_LEAVE] = "leave"};
    return (unsigned)k < sizeof names / sizeof names[0] && names[k] ? names[k] : "event";
}

/* ---- JSON Lines --------------------------------------------------------- */

static void json_common(outbuf *o, const msnp_event *ev)
{
    ob_write(o, "{\"type\":\"", 9);
    ob_str(o, kind_name(ev->kind));
    ob_write(o, "\",\"ts\":", 7);
    ob_ts(o, ev->ts.sec, ev->ts.usec);
    view_json_sid(o, ev->sid);
    ob_write(o, ",\"uid\":\"C", 9);
    ob_u64(o, ev->conns[0]);
    ob_char(o, '"');
    if (ev->session_id)
        view_json_str(o, "session_id", ev->session_id);
}

static void json_to_and_frames(outbuf *o, const msnp_event *ev)
{
    ob_str(o, ",\"to\":[");
    for (unsigned i = 0; i < ev->nto; i++) {
        if (i)
            ob_char(o, ',');
        ob_char(o, '"');
        esc_json_str(o, ev->to[i]);
        ob_char(o, '"');
    }
    ob_char(o, ']');
    if (!ev->to_known)
        ob_str(o, ",\"to_known\":false");
    view_json_legs(o, ev);
}

static void json_message(chats_writer *cw, const msnp_event *ev)
{
    outbuf *o = cw->w.out;
    json_common(o, ev);
    if (ev->from)
        view_json_str(o, "from", ev->from);
    if (ev->from_nick)
        view_json_str(o, "from_nick", ev->from_nick);
    json_to_and_frames(o, ev);
    msnp_text_msg t;
    size_t len = 0;
    const char *text = message_text(cw, ev, &t, &len);
    if (text) {
        ob_str(o, ",\"text\":\"");
        esc_json(o, (const uint8_t *)text, len);
        ob_char(o, '"');
        if (t.has_format)
            view_json_format(o, ev->payload, &t.format);
    }
    ob_write(o, "}\n", 2);
}

static void json_simple(outbuf *o, const msnp_event *ev)
{
    json_common(o, ev);
    if (ev->from)
        view_json_str(o, ev->kind == MSNP_EV_JOIN || ev->kind == MSNP_EV_LEAVE ? "user" : "from",
                      ev->from);
    if (ev->from_nick)
        view_json_str(o, "nick", ev->from_nick);
    if (ev->kind == MSNP_EV_LEAVE && ev->leave_timeout)
        ob_str(o, ",\"reason\":\"dropped by the server\"");
    if (ev->kind == MSNP_EV_TYPING || ev->kind == MSNP_EV_OTHER)
        json_to_and_frames(o, ev);
    if (ev->kind == MSNP_EV_OTHER) {
        msnp_mime m;
        if (msnp_mime_parse(ev->payload, ev->payload_len, &m) == 0 && m.content_type.len) {
            ob_str(o, ",\"content_type\":\"");
            esc_json(o, ev->payload + m.content_type.off, m.content_type.len);
            ob_char(o, '"');
        }
    }
    ob_write(o, "}\n", 2);
}

static void json_invitation(outbuf *o, const msnp_event *ev)
{
    json_common(o, ev);
    if (ev->from)
        view_json_str(o, "from", ev->from);
    json_to_and_frames(o, ev);
    msnp_mime m;
    msnp_invite inv;
    if (msnp_mime_parse(ev->payload, ev->payload_len, &m) == 0) {
        msnp_invite_decode(ev->payload, ev->payload_len, &m, &inv);
        view_json_invite_fields(o, ev->payload, &inv);
    }
    ob_write(o, "}\n", 2);
}

/* ---- text ------------------------------------------------------------- */

static void text_line_start(chats_writer *cw, const msnp_event *ev)
{
    outbuf *o = cw->w.out;
    timefmt_heading(&cw->time, o, ev->ts.sec);
    ob_char(o, '[');
    timefmt_write(&cw->time, o, ev->ts.sec, ev->ts.usec);
    ob_str(o, "] ");
}

static void text_who(outbuf *o, const char *who)
{
    if (who)
        esc_text_str(o, who);
    else
        ob_str(o, "(unknown)");
}

static void text_to(outbuf *o, const msnp_event *ev)
{
    ob_str(o, " \xe2\x86\x92 "); /* → */
    if (!ev->nto) {
        ob_str(o, ev->to_known ? "(nobody else)" : "(unknown)");
        return;
    }
    for (unsigned i = 0; i < ev->nto; i++) {
        if (i)
            ob_str(o, ", ");
        esc_text_str(o, ev->to[i]);
    }
}

/* Message text: continuation lines indented under the first. */
static void text_body(outbuf *o, const char *text, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && text[j] != '\n' && text[j] != '\r')
            j++;
        esc_text(o, (const uint8_t *)text + i, j - i);
        if (j + 1 < len && text[j] == '\r' && text[j + 1] == '\n')
            j++;
        if (j + 1 < len)
            ob_str(o, "\n    ");
        i = j + 1;
    }
}

static void text_event(chats_writer *cw, const msnp_event *ev)
{
    outbuf *o = cw->w.out;
    text_line_start(cw, ev);
    switch (ev->kind) {
    case MSNP_EV_MESSAGE: {
        text_who(o, ev->from);
        text_to(o, ev);
        ob_str(o, ": ");
        msnp_text_msg t;
        size_t len = 0;
        const char *text = message_text(cw, ev, &t, &len);
        if (text)
            text_body(o, text, len);
        break;
    }
    case MSNP_EV_TYPING:
        ob_str(o, "... ");
        text_who(o, ev->from);
        ob_str(o, " is typing");
        break;
    case MSNP_EV_JOIN:
    case MSNP_EV_LEAVE:
        ob_str(o, "* ");
        text_who(o, ev->from);
        if (ev->from_nick && ev->from_nick[0]) {
            ob_str(o, " (");
            esc_text_str(o, ev->from_nick);
            ob_char(o, ')');
        }
        ob_str(o, ev->kind == MSNP_EV_JOIN ? " is in the conversation"
                  : ev->leave_timeout     ? " was dropped from the conversation by the server"
                                          : " left the conversation");
        break;
    case MSNP_EV_INVITE: {
        ob_str(o, "* ");
        text_who(o, ev->from);
        msnp_mime m;
        msnp_invite inv;
        if (msnp_mime_parse(ev->payload, ev->payload_len, &m) == 0) {
            msnp_invite_decode(ev->payload, ev->payload_len, &m, &inv);
            view_text_invite(o, ev->payload, &inv);
        }
        break;
    }
    default: {
        text_who(o, ev->from);
        ob_str(o, " sends ");
        msnp_mime m;
        if (msnp_mime_parse(ev->payload, ev->payload_len, &m) == 0 && m.content_type.len)
            esc_text(o, ev->payload + m.content_type.off, m.content_type.len);
        else
            ob_str(o, "a message without a content type");
        break;
    }
    }
    if (ev->session_id) {
        ob_str(o, "  [");
        esc_text_str(o, ev->session_id);
        ob_char(o, ']');
    }
    ob_char(o, '\n');
}

static void chats_event(writer *w, const msnp_event *ev)
{
    chats_writer *cw = (chats_writer *)w;
    if (ev->kind > MSNP_EV_LEAVE)
        return; /* the summaries belong to the sessions and invites views */
    if (!cw->jsonl) {
        text_event(cw, ev);
        return;
    }
    switch (ev->kind) {
    case MSNP_EV_MESSAGE:
        json_message(cw, ev);
        break;
    case MSNP_EV_INVITE:
        json_invitation(w->out, ev);
        break;
    default:
        json_simple(w->out, ev);
        break;
    }
}

static void chats_record(writer *w, const record *r)
{
    (void)w;
    (void)r;
}

static void chats_finish(writer *w)
{
    scratch_free(&((chats_writer *)w)->text);
    free(w);
}

writer *view_chats_new(outbuf *out, int jsonl, const text_options *opt)
{
    chats_writer *cw = calloc(1, sizeof *cw);
    if (!cw)
        return NULL;
    cw->w.out = out;
    cw->w.record = chats_record;
    cw->w.event = chats_event;
    cw->w.finish = chats_finish;
    cw->jsonl = jsonl;
    timefmt_init(&cw->time, opt ? opt->time : TF_UTC_DAYS);
    return &cw->w;
}
