/* The correlation views (chats, sessions, invites) and the JSON and text
 * pieces they share. Each view is a writer (records.h) that takes the
 * correlator's events. */
#ifndef MSNPDUMP_VIEWS_H
#define MSNPDUMP_VIEWS_H

#include "msnp/invite.h"
#include "msnp/imformat.h"
#include "outbuf.h"
#include "records.h"

struct extractor;

writer *view_chats_new(outbuf *out, int jsonl, const text_options *opt);
writer *view_sessions_new(outbuf *out, int jsonl, const text_options *opt);
writer *view_invites_new(outbuf *out, int jsonl, const text_options *opt,
                         struct extractor *files);
/* Every command with its meaning in context (view_explain.c). */
writer *view_explain_new(outbuf *out, int jsonl, const text_options *opt);
/* `msnpdump explain CMD`: the reference entry of a command or error code;
 * -1 when the table has neither (view_explain_ref.c). */
int view_explain_topic(const char *topic, int jsonl, outbuf *out);
/* Counts, sessions, response times and anomalies, tshark -z style
 * (view_stats.c). */
writer *view_stats_new(outbuf *out, int jsonl, const text_options *opt);
/* Sequence diagrams of each login, switchboard and file transfer, as
 * format "text", "mermaid" or "svg"; `select` ("C3,S1": connections and
 * logins) draws only those, NULL all (view_ladder.c). */
writer *view_ladder_new(outbuf *out, const char *format, const text_options *opt,
                        const char *select);
/* True when s is a valid --session list. */
int view_ladder_selection_valid(const char *s);
/* Per login: account, client, profile, contact list, edits, status and
 * presence timeline (view_users.c). */
writer *view_users_new(outbuf *out, int jsonl, const text_options *opt);

/* ,"key":"value" (value escaped) */
void view_json_str(outbuf *o, const char *key, const char *value);
/* ,"sid":"S1" when known */
void view_json_sid(outbuf *o, uint32_t sid);
/* ,"uids":[...],"frames":[...] of every leg */
void view_json_legs(outbuf *o, const msnp_event *ev);
/* ,"format":{"font":...,"effects":...,"color":"#rrggbb",...} */
void view_json_format(outbuf *o, const uint8_t *base, const msnp_im_format *f);
/* the invitation's fields as JSON members */
void view_json_invite_fields(outbuf *o, const uint8_t *base, const msnp_invite *inv);
/* " invites to receive notes.txt (5000 bytes)" and the like */
void view_text_invite(outbuf *o, const uint8_t *base, const msnp_invite *inv);
/* "12.3 s" */
void view_duration(outbuf *o, msnp_time a, msnp_time b);

#endif
