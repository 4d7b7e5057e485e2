/* Text output: one readable line per command, with its meaning. Everything
 * that comes from the capture goes through esc_text(). Times are UTC; a date
 * heading is printed whenever the day changes. */
#include <string.h>
#include <time.h>

#include "escape.h"
#include "records.h"

const char *record_role(const record *r)
{
    return msnp_role_name(msnp_conn_role(r->conn->msnp));
}

const char *conn_end_name(conn_end e)
{
    static const char *const names[] = {[END_OPEN] = "open", [END_FIN] = "fin",
                                        [END_RST] = "rst", [END_EVICTED] = "evicted"};
    return (unsigned)e < sizeof names / sizeof names[0] ? names[e] : "open";
}

const char *record_dir(const record *r)
{
    return msnp_dir_name(msnp_conn_dir(r->conn->msnp, r->side));
}

static void two(outbuf *o, int v)
{
    ob_char(o, (char)('0' + v / 10 % 10));
    ob_char(o, (char)('0' + v % 10));
}

static void date_heading(writer *w, int64_t sec)
{
    int64_t day = sec >= 0 ? sec / 86400 : (sec - 86399) / 86400;
    if (day == w->last_day)
        return;
    w->last_day = day;
    time_t t = (time_t)sec;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return;
    ob_str(w->out, "# ");
    ob_u64(w->out, (uint64_t)(tm.tm_year + 1900));
    ob_char(w->out, '-');
    two(w->out, tm.tm_mon + 1);
    ob_char(w->out, '-');
    two(w->out, tm.tm_mday);
    ob_str(w->out, " (times are UTC)\n");
}

static void prefix(writer *w, const record *r, uint64_t frame)
{
    outbuf *o = w->out;
    date_heading(w, r->sec);
    ob_u64_pad(o, frame, 6);
    ob_char(o, ' ');
    int64_t s = r->sec % 86400;
    if (s < 0)
        s += 86400;
    two(o, (int)(s / 3600));
    ob_char(o, ':');
    two(o, (int)(s / 60 % 60));
    ob_char(o, ':');
    two(o, (int)(s % 60));
    ob_char(o, '.');
    uint32_t us = r->usec;
    char frac[6];
    for (int i = 5; i >= 0; i--) {
        frac[i] = (char)('0' + us % 10);
        us /= 10;
    }
    ob_write(o, frac, 6);
    ob_char(o, ' ');
    ob_str(o, r->conn->uid);
    size_t ul = strlen(r->conn->uid);
    ob_pad(o, ul < 4 ? 4 - ul : 1);
    const char *role = msnp_conn_role(r->conn->msnp) == MSNP_ROLE_UNKNOWN ? "?" : record_role(r);
    ob_str(o, role);
    ob_pad(o, 4 - strlen(role));
    if (r->type != REC_CONNECTION) {
        msnp_dir d = msnp_conn_dir(r->conn->msnp, r->side);
        ob_str(o, d == MSNP_DIR_C2S ? "C>S " : d == MSNP_DIR_S2C ? "S>C " : "?>? ");
    }
}

static void command(writer *w, const record *r)
{
    outbuf *o = w->out;
    prefix(w, r, r->frame);
    esc_text(o, r->base, r->pdu->line_len);
    if (r->pdu->has_payload) {
        ob_str(o, " [+");
        ob_u64(o, r->pdu->missing ? r->pdu->declared : r->pdu->payload.len);
        ob_str(o, " bytes");
        if (r->pdu->missing) {
            ob_str(o, ", ");
            ob_u64(o, r->pdu->missing);
            ob_str(o, " of them missing");
        }
        ob_char(o, ']');
    }
    char meaning[2048];
    size_t n = msnp_render_meaning(r->cmd, r->base, r->pdu, meaning, sizeof meaning);
    ob_str(o, "  -- ");
    esc_text(o, (const uint8_t *)meaning, n);
    ob_char(o, '\n');
}

static void anomaly(writer *w, const record *r)
{
    outbuf *o = w->out;
    prefix(w, r, r->frame);
    ob_str(o, "!! ");
    ob_str(o, r->kind);
    ob_str(o, ": ");
    esc_text_str(o, r->detail);
    if (r->sample_len) {
        ob_str(o, ": \"");
        esc_text(o, r->sample, r->sample_len);
        ob_char(o, '"');
    }
    ob_char(o, '\n');
}

static void data(writer *w, const record *r)
{
    outbuf *o = w->out;
    prefix(w, r, r->frame);
    ob_str(o, "[MSNFTP file data: ");
    ob_u64(o, r->blocks);
    ob_str(o, r->blocks == 1 ? " block, " : " blocks, ");
    ob_u64(o, r->bytes);
    ob_str(o, " bytes, frames ");
    ob_u64(o, r->first_frame);
    ob_char(o, '-');
    ob_u64(o, r->frame);
    if (r->aborted)
        ob_str(o, ", ended by an abort block");
    ob_str(o, "]\n");
}

static void dir_summary(outbuf *o, const char *name, const dir_counts *d)
{
    ob_str(o, name);
    ob_char(o, ' ');
    ob_u64(o, d->commands);
    ob_str(o, d->commands == 1 ? " command, " : " commands, ");
    ob_u64(o, d->bytes);
    ob_str(o, " bytes");
    if (d->ftp_blocks) {
        ob_str(o, " (");
        ob_u64(o, d->ftp_bytes);
        ob_str(o, " of file data)");
    }
    if (d->gaps) {
        ob_str(o, ", ");
        ob_u64(o, d->gaps);
        ob_str(o, d->gaps == 1 ? " gap of " : " gaps, ");
        ob_u64(o, d->gap_bytes);
        ob_str(o, " bytes missing");
    }
    if (d->anomalies) {
        ob_str(o, ", ");
        ob_u64(o, d->anomalies);
        ob_str(o, d->anomalies == 1 ? " anomaly" : " anomalies");
    }
}

static void connection(writer *w, const record *r)
{
    outbuf *o = w->out;
    const conn_view *cv = r->conn;
    int client = cv->msnp->client_side >= 0 ? cv->msnp->client_side : 0;
    record at = *r;
    at.sec = cv->last_sec;
    at.usec = cv->last_usec;
    prefix(w, &at, cv->last_frame);
    ob_str(o, "== connection ");
    ob_str(o, cv->endpoint[client]);
    ob_str(o, " > ");
    ob_str(o, cv->endpoint[!client]);
    static const char *const how[] = {[END_OPEN] = " still open at capture end",
                                       [END_FIN] = " closed", [END_RST] = " reset",
                                       [END_EVICTED] = " dropped (flow limit)"};
    ob_str(o, how[cv->end]);
    ob_str(o, ", frames ");
    ob_u64(o, cv->first_frame);
    ob_char(o, '-');
    ob_u64(o, cv->last_frame);
    ob_str(o, ": ");
    dir_summary(o, "c2s", &cv->dir[client]);
    ob_str(o, "; ");
    dir_summary(o, "s2c", &cv->dir[!client]);
    ob_char(o, '\n');
}

static void text_record(writer *w, const record *r)
{
    switch (r->type) {
    case REC_COMMAND:
        command(w, r);
        break;
    case REC_ANOMALY:
        anomaly(w, r);
        break;
    case REC_DATA:
        data(w, r);
        break;
    case REC_CONNECTION:
        connection(w, r);
        break;
    }
}

static void text_finish(writer *w)
{
    (void)w;
}

void writer_text_init(writer *w, outbuf *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->record = text_record;
    w->finish = text_finish;
    w->last_day = INT64_MIN;
}
