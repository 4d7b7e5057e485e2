/* Invitations (text/x-msmsgsinvite, protocol reference §6.3) paired by their
 * Invitation-Cookie, and the MSNFTP connections (§7) that carry them out,
 * matched by AuthCookie or by the address the ACCEPT announced. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corr_internal.h"
#include "msnp/invite.h"
#include "msnp/mime.h"

static invite *inv_from_node(msnp_index_node *n)
{
    return n ? (invite *)((char *)n - offsetof(invite, node)) : NULL;
}

static void inv_end(msnp_corr *c, invite *inv)
{
    if (inv->ended)
        return;
    inv->ended = 1;
    corr_queue_summary(c, MSNP_EV_INVITE_END, &inv->info, inv->info.last_frame,
                       inv->info.last_ts);
}

static void inv_free(msnp_corr *c, invite *inv)
{
    if (inv->ftp)
        inv->ftp->inv = NULL;
    msnp_index_remove(&c->invites, &inv->node);
    if (inv->info.auth_cookie[0])
        msnp_index_remove(&c->auth, &inv->auth_node);
    if (inv->prev)
        inv->prev->next = inv->next;
    else
        c->inv_first = inv->next;
    if (inv->next)
        inv->next->prev = inv->prev;
    else
        c->inv_last = inv->prev;
    c->ninvites--;
    free(inv);
}

static invite *inv_new(msnp_corr *c, const char *key)
{
    while (c->ninvites >= c->lim.max_invites && c->inv_first) {
        c->st.forgotten++;
        inv_end(c, c->inv_first);
        inv_free(c, c->inv_first);
    }
    invite *inv = calloc(1, sizeof *inv);
    if (!inv)
        return NULL;
    corr_set(inv->key, sizeof inv->key, key);
    if (msnp_index_insert(&c->invites, &inv->node, inv->key) != 0) {
        free(inv);
        return NULL;
    }
    inv->prev = c->inv_last;
    if (c->inv_last)
        c->inv_last->next = inv;
    else
        c->inv_first = inv;
    c->inv_last = inv;
    c->ninvites++;
    c->st.invites++;
    inv->info.outcome = "invited";
    return inv;
}

static void span_to(char *dst, size_t size, const uint8_t *base, msnp_span s)
{
    corr_copy(dst, size, base + s.off, s.len);
}

static void stamp(invite *inv, const msnp_corr_cmd *in)
{
    corr_stamp(&inv->info.first_ts, &inv->info.last_ts, &inv->info.first_frame,
               &inv->info.last_frame, in);
}

void corr_invite_message(msnp_corr *c, cconn *cc, const msnp_corr_cmd *in, const msnp_mime *m,
                         const char *from)
{
    const uint8_t *p = in->base + in->pdu->payload.off;
    size_t n = in->pdu->payload.len;
    if (!m || !msnp_span_ieq(p, m->content_type, "text/x-msmsgsinvite"))
        return;
    msnp_invite d;
    msnp_invite_decode(p, n, m, &d);
    if (!msnp_invite_has(&d, MSNP_INV_COOKIE) || !d.cookie.len)
        return;
    char cookie[24], key[80];
    span_to(cookie, sizeof cookie, p, d.cookie);
    /* Both legs of a conversation show the same invitation: key it by the
     * conversation when its id is known, else by the connection. */
    if (cc->sess && cc->sess->info.session_id[0])
        snprintf(key, sizeof key, "s%s:%s", cc->sess->info.session_id, cookie);
    else
        snprintf(key, sizeof key, "c%llu:%s", (unsigned long long)cc->conn, cookie);
    invite *inv = inv_from_node(msnp_index_find(&c->invites, key));
    if (inv && inv->ended)
        return; /* a later leg of a message that already ended it */
    if (!inv) {
        inv = inv_new(c, key);
        if (!inv)
            return;
        corr_set(inv->info.cookie, sizeof inv->info.cookie, cookie);
        inv->info.sb_conn = cc->conn;
        inv->info.sid = cc->login ? cc->login->info.sid : 0;
        if (cc->sess && cc->sess->info.session_id[0])
            memcpy(inv->info.session_id, cc->sess->info.session_id, sizeof inv->info.session_id);
    }
    stamp(inv, in);
    switch (d.command_code) {
    case MSNP_INVITE_CMD_INVITE:
        if (from)
            corr_set(inv->info.inviter, sizeof inv->info.inviter, from);
        if (cc->sess && cc->sess->nmembers == 2 && from)
            for (unsigned i = 0; i < 2; i++)
                if (strcmp(cc->sess->members[i], from) != 0)
                    memcpy(inv->info.invitee, cc->sess->members[i], sizeof inv->info.invitee);
        span_to(inv->info.app, sizeof inv->info.app, p, d.app_name);
        span_to(inv->info.app_guid, sizeof inv->info.app_guid, p, d.app_guid);
        span_to(inv->info.file, sizeof inv->info.file, p, d.file);
        inv->info.has_size = msnp_invite_has(&d, MSNP_INV_FILE_SIZE) &&
                             !(d.issues & MSNP_INVITE_ISSUE_BAD_FILE_SIZE);
        inv->info.size = inv->info.has_size ? d.file_size_value : 0;
        break;
    case MSNP_INVITE_CMD_ACCEPT:
        if (strcmp(inv->info.outcome, "invited") == 0)
            inv->info.outcome = "accepted";
        if (!inv->info.invitee[0] && from && strcmp(from, inv->info.inviter) != 0)
            corr_set(inv->info.invitee, sizeof inv->info.invitee, from);
        if (d.ip_address.len && msnp_invite_has(&d, MSNP_INV_PORT) &&
            !(d.issues & MSNP_INVITE_ISSUE_BAD_PORT)) {
            span_to(inv->info.ip, sizeof inv->info.ip, p, d.ip_address);
            inv->info.port = d.port_value;
        }
        if (d.auth_cookie.len && !inv->info.auth_cookie[0]) {
            span_to(inv->info.auth_cookie, sizeof inv->info.auth_cookie, p, d.auth_cookie);
            if (msnp_index_insert(&c->auth, &inv->auth_node, inv->info.auth_cookie) != 0)
                inv->info.auth_cookie[0] = '\0';
        }
        break;
    case MSNP_INVITE_CMD_CANCEL:
        span_to(inv->info.cancel_code, sizeof inv->info.cancel_code, p, d.cancel_code);
        inv->info.outcome = msnp_span_eq(p, d.cancel_code, "REJECT") ? "declined" : "cancelled";
        inv_end(c, inv);
        break;
    default:
        break;
    }
}

/* The invitation an MSNFTP connection carries out: by AuthCookie, else by
 * the address and port its server announced in the ACCEPT. */
static void ftp_link(msnp_corr *c, cconn *cc)
{
    msnp_index_node *n = cc->ftp_cookie[0] ? msnp_index_find(&c->auth, cc->ftp_cookie) : NULL;
    invite *inv = n ? (invite *)((char *)n - offsetof(invite, auth_node)) : NULL;
    const char *how = "AuthCookie";
    if (!inv) {
        how = "invitation address";
        for (invite *k = c->inv_first; k && !inv; k = k->next) {
            char ep[64];
            snprintf(ep, sizeof ep, "%s:%u", k->info.ip, (unsigned)k->info.port);
            if (!k->ended && !k->info.ftp_conn && k->info.port && strcmp(ep, cc->server) == 0)
                inv = k;
        }
    }
    if (!inv || inv->ended || inv->info.ftp_conn)
        return;
    cc->inv = inv;
    inv->ftp = cc;
    cc->linked_by = how;
    inv->info.ftp_conn = cc->conn;
    c->st.linked_transfers++;
    /* The transfer belongs to the login of the conversation that invited. */
    login *lg = corr_login_of_conn(c, inv->info.sb_conn);
    if (lg) {
        corr_login_hold(lg);
        cc->login = lg;
        lg->info.transfers++;
    }
}

void corr_ftp_command(msnp_corr *c, cconn *cc, const msnp_corr_cmd *in)
{
    const msnp_command *cmd = in->cmd;
    if (!cmd->info)
        return;
    if (memcmp(cmd->info->name, "USR", 3) == 0 && cmd->nargs == 2) {
        corr_arg(in, 0, cc->ftp_user, sizeof cc->ftp_user);
        corr_arg(in, 1, cc->ftp_cookie, sizeof cc->ftp_cookie);
        corr_set(cc->user, sizeof cc->user, cc->ftp_user);
        if (!cc->inv)
            ftp_link(c, cc);
    } else if (memcmp(cmd->info->name, "FIL", 3) == 0 && cmd->nargs == 1) {
        msnp_span a = msnp_command_arg(cmd, in->pdu, 0);
        cc->fil_seen = msnp_span_is_digits(in->base, a);
        cc->fil_size = msnp_span_u64(in->base, a);
    } else if (memcmp(cmd->info->name, "BYE", 3) == 0) {
        cc->ftp_done = 1;
    } else if (memcmp(cmd->info->name, "CCL", 3) == 0) {
        cc->ftp_cancelled = 1;
    }
    if (cc->inv)
        stamp(cc->inv, in);
    else
        corr_stamp(&cc->ftp_first_ts, &cc->ftp_last_ts, &cc->ftp_first_frame,
                   &cc->ftp_last_frame, in);
}

void corr_ftp_end(msnp_corr *c, cconn *cc)
{
    if (cc->ended)
        return;
    c->st.transfers++;
    invite *inv = cc->inv;
    if (!inv) {
        /* A transfer whose invitation is not in the capture: report it on
         * its own, keyed by its connection. */
        char key[80];
        snprintf(key, sizeof key, "f%llu", (unsigned long long)cc->conn);
        inv = inv_new(c, key);
        if (!inv)
            return;
        corr_set(inv->info.cookie, sizeof inv->info.cookie, "");
        corr_set(inv->info.auth_cookie, sizeof inv->info.auth_cookie, cc->ftp_cookie);
        inv->info.ftp_conn = cc->conn;
        inv->info.outcome = "accepted";
        inv->info.first_frame = cc->ftp_first_frame;
        inv->info.first_ts = cc->ftp_first_ts;
        inv->info.last_frame = cc->ftp_last_frame;
        inv->info.last_ts = cc->ftp_last_ts;
    }
    inv->info.bytes = cc->ftp_bytes;
    int complete = cc->fil_seen && cc->ftp_bytes == cc->fil_size && !cc->ftp_aborted;
    msnp_md5_final(&cc->md5, inv->info.md5);
    inv->info.md5_valid = complete && c->lim.hash_files;
    if (!inv->info.has_size && cc->fil_seen) {
        inv->info.size = cc->fil_size;
        inv->info.has_size = 1;
    }
    if (complete)
        inv->info.outcome = "transferred";
    else if (cc->ftp_aborted)
        inv->info.outcome = "aborted";
    else if (cc->ftp_cancelled)
        inv->info.outcome = "cancelled";
    else
        inv->info.outcome = "incomplete";
    corr_ftp_unlink(cc);
    inv_end(c, inv);
}

void corr_ftp_unlink(cconn *cc)
{
    if (cc->inv && cc->inv->ftp == cc)
        cc->inv->ftp = NULL;
    cc->inv = NULL;
}

/* An invitation is kept after it ends so that the other leg's copy of its
 * messages (both participants' connections to one switchboard) and a late
 * CANCEL find it; one that never ended (no answer, an accepted transfer
 * never started) is summarised as it stands once nothing happened for an
 * hour, unless its MSNFTP connection is still open. The list is in order of
 * creation, so the scan stops at the first one too young to go. */
enum { INVITE_LINGER_S = 600, INVITE_IDLE_S = 3600 };

void corr_invites_expire(msnp_corr *c)
{
    for (invite *inv = c->inv_first, *next; inv; inv = next) {
        next = inv->next;
        if (!corr_older_than(inv->info.first_ts, c->now, INVITE_LINGER_S))
            break;
        if (!corr_older_than(inv->info.last_ts, c->now, inv->ended ? INVITE_LINGER_S
                                                                   : INVITE_IDLE_S))
            continue;
        if (!inv->ended) {
            if (inv->ftp) /* still transferring */
                continue;
            inv_end(c, inv);
        }
        inv_free(c, inv);
    }
}

void corr_invites_flush(msnp_corr *c)
{
    for (invite *inv = c->inv_first; inv; inv = inv->next)
        inv_end(c, inv);
}

void corr_invites_free(msnp_corr *c)
{
    while (c->inv_first)
        inv_free(c, c->inv_first);
}
