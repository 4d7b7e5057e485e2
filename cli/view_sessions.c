/* The sessions view: every notification-server login and every switchboard
 * conversation, with who, when, how they are linked and what they carried,
 * reported when each ends (or when the capture does). */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "records.h"
#include "timefmt.h"
#include "views.h"

typedef struct sessions_writer {
    writer w;
    int jsonl;
    timefmt time;
} sessions_writer;

static void json_times(outbuf *o, uint64_t f0, uint64_t f1, msnp_time a, msnp_time b)
{
    ob_str(o, ",\"first_frame\":");
    ob_u64(o, f0);
    ob_str(o, ",\"last_frame\":");
    ob_u64(o, f1);
    ob_str(o, ",\"start\":");
    ob_ts(o, a.sec, a.usec);
    ob_str(o, ",\"end\":");
    ob_ts(o, b.sec, b.usec);
}

static void json_login(outbuf *o, const msnp_login_info *l)
{
    ob_str(o, "{\"type\":\"login\"");
    view_json_sid(o, l->sid);
    ob_str(o, ",\"uid\":\"C");
    ob_u64(o, l->conn);
    ob_char(o, '"');
    if (l->user[0])
        view_json_str(o, "user", l->user);
    if (l->nick[0])
        view_json_str(o, "nick", l->nick);
    if (l->client[0])
        view_json_str(o, "client", l->client);
    view_json_str(o, "client_addr", l->client_addr);
    ob_str(o, l->login_seen ? ",\"login_seen\":true" : ",\"login_seen\":false");
    json_times(o, l->first_frame, l->last_frame, l->first_ts, l->last_ts);
    ob_str(o, ",\"switchboards\":");
    ob_u64(o, l->switchboards);
    ob_str(o, ",\"transfers\":");
    ob_u64(o, l->transfers);
    ob_str(o, "}\n");
}

static void json_sb(outbuf *o, const msnp_sb_info *s)
{
    ob_str(o, "{\"type\":\"switchboard\"");
    if (s->session_id[0])
        view_json_str(o, "session_id", s->session_id);
    view_json_sid(o, s->sid);
    ob_str(o, ",\"legs\":[");
    for (unsigned i = 0; i < s->nconns; i++) {
        if (i)
            ob_char(o, ',');
        ob_str(o, "{\"uid\":\"C");
        ob_u64(o, s->conns[i]);
        ob_char(o, '"');
        if (s->users[i][0])
            view_json_str(o, "user", s->users[i]);
        view_json_str(o, "linked_by", s->link[i][0] ? s->link[i] : "none");
        ob_char(o, '}');
    }
    ob_str(o, "],\"participants\":[");
    for (unsigned i = 0; i < s->nparticipants; i++) {
        if (i)
            ob_char(o, ',');
        ob_char(o, '"');
        esc_json_str(o, s->participants[i]);
        ob_char(o, '"');
    }
    ob_char(o, ']');
    json_times(o, s->first_frame, s->last_frame, s->first_ts, s->last_ts);
    ob_str(o, ",\"messages\":");
    ob_u64(o, s->messages);
    ob_str(o, ",\"typing\":");
    ob_u64(o, s->typing);
    ob_str(o, ",\"invitations\":");
    ob_u64(o, s->invites);
    ob_str(o, ",\"other_messages\":");
    ob_u64(o, s->others);
    ob_str(o, "}\n");
}

static void text_span_of_time(sessions_writer *sw, uint64_t f0, uint64_t f1, msnp_time a,
                              msnp_time b)
{
    outbuf *o = sw->w.out;
    ob_str(o, "frames ");
    ob_u64(o, f0);
    ob_char(o, '-');
    ob_u64(o, f1);
    ob_str(o, ", ");
    timefmt_write(&sw->time, o, a.sec, a.usec);
    ob_str(o, " for ");
    view_duration(o, a, b);
}

static void text_login(sessions_writer *sw, const msnp_login_info *l)
{
    outbuf *o = sw->w.out;
    ob_str(o, "login S");
    ob_u64(o, l->sid);
    ob_str(o, ": ");
    esc_text_str(o, l->user[0] ? l->user : "(account not seen)");
    if (l->nick[0]) {
        ob_str(o, " (");
        esc_text_str(o, l->nick);
        ob_char(o, ')');
    }
    ob_str(o, " on C");
    ob_u64(o, l->conn);
    ob_str(o, " from ");
    esc_text_str(o, l->client_addr);
    ob_str(o, l->login_seen ? ", signed in here" : ", already signed in when the capture began");
    if (l->client[0]) {
        ob_str(o, ", client ");
        esc_text_str(o, l->client);
    }
    ob_str(o, "; ");
    text_span_of_time(sw, l->first_frame, l->last_frame, l->first_ts, l->last_ts);
    ob_str(o, "; ");
    ob_u64(o, l->switchboards);
    ob_str(o, l->switchboards == 1 ? " switchboard, " : " switchboards, ");
    ob_u64(o, l->transfers);
    ob_str(o, l->transfers == 1 ? " file transfer\n" : " file transfers\n");
}

static void text_sb(sessions_writer *sw, const msnp_sb_info *s)
{
    outbuf *o = sw->w.out;
    ob_str(o, "conversation ");
    esc_text_str(o, s->session_id[0] ? s->session_id : "(session id not seen)");
    if (s->sid) {
        ob_str(o, " of S");
        ob_u64(o, s->sid);
    }
    ob_str(o, ": ");
    for (unsigned i = 0; i < s->nparticipants; i++) {
        if (i)
            ob_str(o, ", ");
        esc_text_str(o, s->participants[i]);
    }
    if (!s->nparticipants)
        ob_str(o, "(participants not seen)");
    ob_str(o, "; legs");
    for (unsigned i = 0; i < s->nconns; i++) {
        ob_str(o, i ? ", C" : " C");
        ob_u64(o, s->conns[i]);
        ob_str(o, " (");
        esc_text_str(o, s->users[i][0] ? s->users[i] : "account not seen");
        ob_str(o, ", linked by ");
        esc_text_str(o, s->link[i][0] ? s->link[i] : "nothing");
        ob_char(o, ')');
    }
    ob_str(o, "; ");
    text_span_of_time(sw, s->first_frame, s->last_frame, s->first_ts, s->last_ts);
    ob_str(o, "; ");
    ob_u64(o, s->messages);
    ob_str(o, s->messages == 1 ? " message, " : " messages, ");
    ob_u64(o, s->typing);
    ob_str(o, " typing, ");
    ob_u64(o, s->invites);
    ob_str(o, s->invites == 1 ? " invitation message\n" : " invitation messages\n");
}

static void sessions_event(writer *w, const msnp_event *ev)
{
    sessions_writer *sw = (sessions_writer *)w;
    if (ev->kind == MSNP_EV_LOGIN_END) {
        if (sw->jsonl)
            json_login(w->out, ev->login);
        else
            text_login(sw, ev->login);
    } else if (ev->kind == MSNP_EV_SB_END) {
        if (sw->jsonl)
            json_sb(w->out, ev->sb);
        else
            text_sb(sw, ev->sb);
    }
}

static void sessions_record(writer *w, const record *r)
{
    (void)w;
    (void)r;
}

static void sessions_finish(writer *w)
{
    free(w);
}

writer *view_sessions_new(outbuf *out, int jsonl, const text_options *opt)
{
    sessions_writer *sw = calloc(1, sizeof *sw);
    if (!sw)
        return NULL;
    sw->w.out = out;
    sw->w.record = sessions_record;
    sw->w.event = sessions_event;
    sw->w.finish = sessions_finish;
    sw->jsonl = jsonl;
    timefmt_init(&sw->time, opt && opt->time != TF_UTC_DAYS ? opt->time : TF_UTC_DATE);
    return &sw->w;
}
