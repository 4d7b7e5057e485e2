/* The invites view: one record per invitation (text/x-msmsgsinvite), with
 * its outcome and the MSNFTP transfer that carried it out, if any: file
 * name, size, bytes received, MD5. With --extract DIR the files are written
 * there. Transfers whose invitation is not in the capture are reported too. */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "extract.h"
#include "msnp/md5.h"
#include "records.h"
#include "timefmt.h"
#include "views.h"

typedef struct invites_writer {
    writer w;
    int jsonl;
    timefmt time;
    extractor *files;
} invites_writer;

static void json_invite(outbuf *o, const msnp_invite_info *v, const char *extracted)
{
    ob_str(o, "{\"type\":\"invite\"");
    view_json_sid(o, v->sid);
    if (v->sb_conn) {
        ob_str(o, ",\"uid\":\"C");
        ob_u64(o, v->sb_conn);
        ob_char(o, '"');
    }
    if (v->session_id[0])
        view_json_str(o, "session_id", v->session_id);
    if (v->cookie[0])
        view_json_str(o, "cookie", v->cookie);
    if (v->inviter[0])
        view_json_str(o, "from", v->inviter);
    if (v->invitee[0])
        view_json_str(o, "to", v->invitee);
    if (v->app[0])
        view_json_str(o, "app", v->app);
    if (v->app_guid[0])
        view_json_str(o, "app_guid", v->app_guid);
    if (v->file[0])
        view_json_str(o, "file", v->file);
    if (v->has_size) {
        ob_str(o, ",\"size\":");
        ob_u64(o, v->size);
    }
    view_json_str(o, "outcome", v->outcome);
    if (v->cancel_code[0])
        view_json_str(o, "cancel_code", v->cancel_code);
    if (v->ip[0]) {
        view_json_str(o, "ip", v->ip);
        ob_str(o, ",\"port\":");
        ob_u64(o, v->port);
    }
    if (v->auth_cookie[0])
        view_json_str(o, "auth_cookie", v->auth_cookie);
    if (v->ftp_conn) {
        ob_str(o, ",\"ftp_uid\":\"C");
        ob_u64(o, v->ftp_conn);
        ob_str(o, "\",\"bytes\":");
        ob_u64(o, v->bytes);
        if (v->md5_valid) {
            char hex[MSNP_MD5_HEX_LEN + 1];
            msnp_hex_lower(v->md5, sizeof v->md5, hex);
            view_json_str(o, "md5", hex);
        }
    }
    if (extracted)
        view_json_str(o, "extracted", extracted);
    ob_str(o, ",\"first_frame\":");
    ob_u64(o, v->first_frame);
    ob_str(o, ",\"last_frame\":");
    ob_u64(o, v->last_frame);
    ob_str(o, "}\n");
}

static void text_invite(invites_writer *iw, const msnp_invite_info *v, const char *extracted)
{
    outbuf *o = iw->w.out;
    timefmt_heading(&iw->time, o, v->first_ts.sec);
    ob_char(o, '[');
    timefmt_write(&iw->time, o, v->first_ts.sec, v->first_ts.usec);
    ob_str(o, "] ");
    esc_text_str(o, v->inviter[0] ? v->inviter : "(inviter not seen)");
    ob_str(o, " \xe2\x86\x92 ");
    esc_text_str(o, v->invitee[0] ? v->invitee : "(invitee not seen)");
    ob_str(o, ": ");
    esc_text_str(o, v->app[0] ? v->app : v->ftp_conn ? "file transfer" : "invitation");
    if (v->file[0]) {
        ob_char(o, ' ');
        esc_text_str(o, v->file);
    }
    if (v->has_size) {
        ob_str(o, " (");
        ob_u64(o, v->size);
        ob_str(o, " bytes)");
    }
    if (v->cookie[0]) {
        ob_str(o, ", cookie ");
        esc_text_str(o, v->cookie);
    }
    ob_str(o, ": ");
    ob_str(o, v->outcome);
    if (v->cancel_code[0]) {
        ob_str(o, " (");
        esc_text_str(o, v->cancel_code);
        ob_char(o, ')');
    }
    if (v->ftp_conn) {
        ob_str(o, " over C");
        ob_u64(o, v->ftp_conn);
        ob_str(o, ", ");
        ob_u64(o, v->bytes);
        ob_str(o, " bytes");
        if (v->md5_valid) {
            char hex[MSNP_MD5_HEX_LEN + 1];
            msnp_hex_lower(v->md5, sizeof v->md5, hex);
            ob_str(o, ", md5 ");
            ob_str(o, hex);
        }
    } else if (!strcmp(v->outcome, "accepted")) {
        ob_str(o, ", no file-transfer connection in the capture");
    }
    if (extracted) {
        ob_str(o, ", written to ");
        esc_text_str(o, extracted);
    }
    ob_char(o, '\n');
}

static void invites_event(writer *w, const msnp_event *ev)
{
    invites_writer *iw = (invites_writer *)w;
    if (ev->kind != MSNP_EV_INVITE_END)
        return;
    const msnp_invite_info *v = ev->invite;
    const char *extracted = NULL;
    if (iw->files && v->ftp_conn)
        extracted = extractor_finish(iw->files, v->ftp_conn, v->file, v->md5_valid);
    if (iw->jsonl)
        json_invite(w->out, v, extracted);
    else
        text_invite(iw, v, extracted);
}

static void invites_record(writer *w, const record *r)
{
    (void)w;
    (void)r;
}

static void invites_finish(writer *w)
{
    free(w);
}

writer *view_invites_new(outbuf *out, int jsonl, const text_options *opt, extractor *files)
{
    invites_writer *iw = calloc(1, sizeof *iw);
    if (!iw)
        return NULL;
    iw->w.out = out;
    iw->w.record = invites_record;
    iw->w.event = invites_event;
    iw->w.finish = invites_finish;
    iw->jsonl = jsonl;
    iw->files = files;
    timefmt_init(&iw->time, opt ? opt->time : TF_UTC_DAYS);
    return &iw->w;
}
