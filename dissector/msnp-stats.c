/* Statistics ▸ MSNP (and tshark -z msnp,tree): commands by connection role
 * and direction, error replies, MSG content types, and response times per
 * request command. Fed by the "msnp" tap, one record per PDU. */
#include <stdio.h>
#include <string.h>

#include <epan/packet.h>
#include <epan/stats_tree.h>
#include <epan/tap.h>

#include "packet-msnp.h"

int msnp_tap = -1;

/* What the tap carries per command. */
typedef struct msnp_tap_info {
    const char *role;
    const char *dir;
    char cmd[4];
    gboolean is_error;
    guint error_code;
    const char *error_name;
    const char *content_type; /* MSG payloads */
    guint8 txn_kind;          /* msnp_txn_kind */
    gboolean has_response_time;
    char request_cmd[4];
    nstime_t response_time;
} msnp_tap_info;

static const char st_commands[] = "Commands by role and direction";
static const char st_transactions[] = "Transactions";
static const char st_errors[] = "Error replies";
static const char st_content_types[] = "MSG content types";
static const char st_response_times[] = "Response time by request (ms)";

static int st_node_commands = -1;
static int st_node_transactions = -1;
static int st_node_errors = -1;
static int st_node_content_types = -1;
static int st_node_response_times = -1;

void msnp_tap_pdu(packet_info *pinfo, const msnp_pdu_view *v)
{
    if (!have_tap_listener(msnp_tap) || v->pdu.kind != MSNP_PDU_COMMAND)
        return;
    msnp_tap_info *t = wmem_new0(pinfo->pool, msnp_tap_info);
    t->role = msnp_role_name(v->role);
    t->dir = msnp_dir_name(v->dir);
    memcpy(t->cmd, v->base + v->pdu.tok[0].off, 3);
    t->is_error = v->cmd.is_error;
    t->error_code = v->cmd.error_code;
    t->error_name = v->cmd.error ? v->cmd.error->name : NULL;
    if (v->has_mime && v->mime.content_type.len)
        t->content_type = wmem_strndup(pinfo->pool,
                                       (const char *)v->base + v->pdu.payload.off +
                                           v->mime.content_type.off,
                                       v->mime.content_type.len);
    if (v->rec) {
        const msnp_pdu_rec *rec = v->rec;
        t->txn_kind = rec->txn.kind;
        const msnp_pdu_rec *request = msnp_pdu_rec_request(rec);
        if (request && rec->txn.first) {
            t->has_response_time = TRUE;
            memcpy(t->request_cmd, request->cmd, 4);
            t->response_time = msnp_pdu_rec_response_time(rec, &pinfo->abs_ts);
        }
    }
    tap_queue_packet(msnp_tap, pinfo, t);
}

static void msnp_stats_init(stats_tree *st)
{
    st_node_commands = stats_tree_create_node(st, st_commands, 0, STAT_DT_INT, TRUE);
    st_node_transactions = stats_tree_create_node(st, st_transactions, 0, STAT_DT_INT, TRUE);
    st_node_errors = stats_tree_create_node(st, st_errors, 0, STAT_DT_INT, TRUE);
    st_node_content_types = stats_tree_create_node(st, st_content_types, 0, STAT_DT_INT, TRUE);
    st_node_response_times =
        stats_tree_create_node(st, st_response_times, 0, STAT_DT_FLOAT, TRUE);
}

static tap_packet_status msnp_stats_packet(stats_tree *st, packet_info *pinfo,
                                           epan_dissect_t *edt, const void *data,
                                           tap_flags_t flags)
{
    const msnp_tap_info *t = data;
    char name[64];
    (void)pinfo;
    (void)edt;
    (void)flags;

    tick_stat_node(st, st_commands, 0, TRUE);
    g_snprintf(name, sizeof name, "%s %s", t->role, t->dir);
    int by_conn = tick_stat_node(st, name, st_node_commands, TRUE);
    g_snprintf(name, sizeof name, "%.3s", t->cmd);
    tick_stat_node(st, name, by_conn, FALSE);

    tick_stat_node(st, st_transactions, 0, TRUE);
    tick_stat_node(st, msnp_txn_kind_name((msnp_txn_kind)t->txn_kind), st_node_transactions,
                   FALSE);

    if (t->is_error) {
        tick_stat_node(st, st_errors, 0, TRUE);
        g_snprintf(name, sizeof name, "%u %s", t->error_code,
                   t->error_name ? t->error_name : "(undocumented)");
        tick_stat_node(st, name, st_node_errors, FALSE);
    }
    if (t->content_type) {
        tick_stat_node(st, st_content_types, 0, TRUE);
        tick_stat_node(st, t->content_type, st_node_content_types, FALSE);
    }
    if (t->has_response_time) {
        gfloat ms = (gfloat)(nstime_to_sec(&t->response_time) * 1000.0);
        avg_stat_node_add_value_float(st, st_response_times, 0, TRUE, ms);
        g_snprintf(name, sizeof name, "%.3s", t->request_cmd[0] ? t->request_cmd : "???");
        avg_stat_node_add_value_float(st, name, st_node_response_times, FALSE, ms);
    }
    return TAP_PACKET_REDRAW;
}

void msnp_register_stats(void)
{
    stats_tree_register_plugin("msnp", "msnp", "MSNP", 0, msnp_stats_packet, msnp_stats_init,
                               NULL);
}
