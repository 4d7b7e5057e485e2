/* Text output: one readable line per command, with its meaning. Everything
 * that comes from the capture goes through esc_text(). Times follow -t
 * (default: UTC, with a date heading whenever the day changes). */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "records.h"
#include "timefmt.h"

const char *record_role(const record *r)
{
    if (r->conn->kind == CONN_GW_CARRIER)
        return "HTTP";
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

typedef struct text_writer {
    writer w;
    timefmt time;
    int color;
} text_writer;

/* ANSI colours for the structure of a line; capture bytes are never coloured
 * (nor trusted: they go through esc_text). */
enum { C_NONE, C_C2S, C_S2C, C_ANOMALY, C_ERROR, C_CONN, C_DATA };
static const char *const colors[] = {
    [C_NONE] = "", [C_C2S] = "\033[36m", [C_S2C] = "\033[32m", [C_ANOMALY] = "\033[1;31m",
    [C_ERROR] = "\033[33m", [C_CONN] = "\033[2m", [C_DATA] = "\033[35m"};

static void color_on(text_writer *tw, int c)
{
    if (tw->color && c != C_NONE)
        ob_str(tw->w.out, colors[c]);
}

static void color_off(text_writer *tw, int c)
{
    if (tw->color && c != C_NONE)
        ob_str(tw->w.out, "\033[0m");
}

static void prefix(text_writer *tw, const record *r, uint64_t frame)
{
    outbuf *o = tw->w.out;
    timefmt_heading(&tw->time, o, r->sec);
    ob_u64_pad(o, frame, 6);
    ob_char(o, ' ');
    timefmt_write(&tw->time, o, r->sec, r->usec);
    ob_char(o, ' ');
    ob_str(o, r->conn->uid);
    size_t ul = strlen(r->conn->uid);
    ob_pad(o, ul < 4 ? 4 - ul : 1);
    const char *role = r->conn->kind != CONN_GW_CARRIER && msnp_conn_role(r->conn->msnp) ==
                                                                MSNP_ROLE_UNKNOWN
                           ? "?"
                           : record_role(r);
    ob_str(o, role);
    size_t rl = strlen(role);
    ob_pad(o, rl < 4 ? 4 - rl : 1);
    if (r->type != REC_CONNECTION) {
        msnp_dir d = msnp_conn_dir(r->conn->msnp, r->side);
        int c = d == MSNP_DIR_C2S ? C_C2S : d == MSNP_DIR_S2C ? C_S2C : C_NONE;
        color_on(tw, c);
        ob_str(o, d == MSNP_DIR_C2S ? "C>S" : d == MSNP_DIR_S2C ? "S>C" : "?>?");
        color_off(tw, c);
        ob_char(o, ' ');
    }
}

static void command(text_writer *tw, const record *r)
{
    outbuf *o = tw->w.out;
    prefix(tw, r, r->frame);
    int c = r->cmd->is_error ? C_ERROR : C_NONE;
    color_on(tw, c);
    esc_text(o, r->base, r->pdu->line_len);
    color_off(tw, c);
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

static void anomaly(text_writer *tw, const record *r)
{
    outbuf *o = tw->w.out;
    prefix(tw, r, r->frame);
    color_on(tw, C_ANOMALY);
    ob_str(o, "!! ");
    ob_str(o, r->kind);
    color_off(tw, C_ANOMALY);
    ob_str(o, ": ");
    esc_text_str(o, r->detail);
    if (r->sample_len) {
        ob_str(o, ": \"");
        esc_text(o, r->sample, r->sample_len);
        ob_char(o, '"');
    }
    ob_char(o, '\n');
}

static void data(text_writer *tw, const record *r)
{
    outbuf *o = tw->w.out;
    prefix(tw, r, r->frame);
    color_on(tw, C_DATA);
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
    ob_char(o, ']');
    color_off(tw, C_DATA);
    ob_char(o, '\n');
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

static void connection(text_writer *tw, const record *r)
{
    outbuf *o = tw->w.out;
    const conn_view *cv = r->conn;
    int client = cv->msnp->client_side >= 0 ? cv->msnp->client_side : 0;
    record at = *r;
    at.sec = cv->last_sec;
    at.usec = cv->last_usec;
    prefix(tw, &at, cv->last_frame);
    color_on(tw, C_CONN);
    if (cv->kind == CONN_GW_SESSION) {
        ob_str(o, "== gateway session to ");
        esc_text_str(o, cv->gw_server[0] ? cv->gw_server : "?");
        ob_char(o, ' ');
        esc_text_str(o, cv->gw_host[0] ? cv->gw_host : "(picked up mid-session)");
        ob_str(o, ", first carried by ");
    } else {
        ob_str(o, cv->kind == CONN_GW_CARRIER ? "== HTTP gateway connection " : "== connection ");
    }
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
    color_off(tw, C_CONN);
    ob_char(o, '\n');
}

static void text_record(writer *w, const record *r)
{
    text_writer *tw = (text_writer *)w;
    switch (r->type) {
    case REC_COMMAND:
        command(tw, r);
        break;
    case REC_ANOMALY:
        anomaly(tw, r);
        break;
    case REC_DATA:
        data(tw, r);
        break;
    case REC_CONNECTION:
        connection(tw, r);
        break;
    }
}

static void text_finish(writer *w)
{
    free(w);
}

writer *writer_text_new(outbuf *out, const text_options *opt)
{
    text_writer *tw = calloc(1, sizeof *tw);
    if (!tw)
        return NULL;
    tw->w.out = out;
    tw->w.record = text_record;
    tw->w.finish = text_finish;
    timefmt_init(&tw->time, opt ? opt->time : TF_UTC_DAYS);
    tw->color = opt ? opt->color : 0;
    return &tw->w;
}
