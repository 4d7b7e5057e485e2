/* Recognising MSNP connections that are not on the preference's ports
 * (protocol reference §10):
 *  - expected conversations: the notification server names the switchboard
 *    a client will connect to (XFR ... SB addr CKI cookie, RNG sid addr CKI
 *    cookie ...), the dispatch server the notification server (XFR ... NS
 *    addr 0 current), and a file-transfer invitation's ACCEPT names the MSNFTP
 *    endpoint (IP-Address, Port, AuthCookie), like FTP's PASV reply names its
 *    data connection;
 *  - a heuristic on the first data of a connection, strict enough to leave
 *    other text protocols alone. */
#include <stdlib.h>
#include <string.h>

#include <epan/conversation.h>
#include <epan/packet.h>
#include <wsutil/inet_addr.h>

#include "packet-msnp.h"

/* ---- The heuristic --------------------------------------------------------- */

/* First client lines that open an MSNP connection (§10): VER on a dispatch
 * or notification server (and VER MSNFTP), CVR and USR of a login in
 * progress, USR with a cookie on a switchboard the client asked for, ANS on
 * one it was invited to. */
static const char *const opening_commands[] = {"VER", "CVR", "USR", "ANS"};

/* Looking further than this into a segment adds no certainty. */
enum { HEUR_MAX_BYTES = 4096, HEUR_MAX_PDUS = 16 };

static gboolean opens_connection(const msnp_command *cmd)
{
    if (!cmd->info || !cmd->form || cmd->issues || !(cmd->form->dirs & MSNP_D_C2S))
        return FALSE;
    for (size_t i = 0; i < array_length(opening_commands); i++)
        if (memcmp(cmd->info->name, opening_commands[i], 3) == 0)
            return TRUE;
    return FALSE;
}

gboolean msnp_looks_like_msnp(tvbuff_t *tvb)
{
    guint len = tvb_captured_length(tvb);
    if (len < 4)
        return FALSE;
    if (len > HEUR_MAX_BYTES)
        len = HEUR_MAX_BYTES;
    const guint8 *p = tvb_get_ptr(tvb, 0, (gint)len);

    msnp_framer f;
    msnp_framer_init(&f, NULL, MSNP_START_AT_COMMAND);
    msnp_parse_ctx any = {MSNP_R_ANY, MSNP_D_ANY, 0, 1};
    gboolean first_opens = FALSE, all_crlf = TRUE;
    unsigned commands = 0, telling = 0;
    size_t off = 0;
    while (off < len && commands < HEUR_MAX_PDUS) {
        msnp_pdu pdu;
        msnp_frame_result r = msnp_framer_next(&f, p + off, len - off, &pdu);
        if (r == MSNP_NEED_MORE)
            break;
        /* Every complete line must be a well-formed command. */
        if (r != MSNP_PDU || pdu.kind != MSNP_PDU_COMMAND || pdu.anomaly != MSNP_ANOM_NONE ||
            pdu.irregular_spacing)
            return FALSE;
        msnp_command cmd;
        msnp_parse_command(&any, p + off, &pdu, &cmd);
        if (cmd.is_error) {
            /* "NNN TrID" with a documented code. */
            if (!cmd.error || !cmd.has_trid || pdu.ntok != 2)
                return FALSE;
        } else if (cmd.nmatch == 0) {
            return FALSE;
        }
        if (commands == 0)
            first_opens = opens_connection(&cmd);
        if ((cmd.has_trid && cmd.nargs >= 1) || cmd.nargs >= 2 || cmd.is_error)
            telling++;
        all_crlf &= pdu.eol_len == 2;
        commands++;
        off += pdu.len;
    }
    if (commands == 0)
        return FALSE;
    /* An opening line is enough; a capture that starts mid-session needs
     * lines that say more than a bare keyword, ended the way MSNP ends them. */
    return first_opens || (telling > 0 && all_crlf);
}

/* ---- Expected conversations ------------------------------------------------ */

/* "a.b.c.d:port" (or "[v6]:port") into an address and a port. */
static gboolean parse_endpoint(const guint8 *s, size_t len, address *addr, guint16 *port,
                               wmem_allocator_t *scope)
{
    char text[64];
    if (len == 0 || len >= sizeof text)
        return FALSE;
    memcpy(text, s, len);
    text[len] = '\0';
    char *colon = strrchr(text, ':');
    if (!colon || colon[1] == '\0')
        return FALSE;
    char *end;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (*end != '\0' || p == 0 || p > 65535)
        return FALSE;
    *colon = '\0';
    char *host = text;
    if (host[0] == '[') {
        size_t hl = strlen(host);
        if (hl < 2 || host[hl - 1] != ']')
            return FALSE;
        host[hl - 1] = '\0';
        host++;
        ws_in6_addr a6;
        if (!ws_inet_pton6(host, &a6))
            return FALSE;
        alloc_address_wmem(scope, addr, AT_IPv6, (int)sizeof a6, &a6);
    } else {
        ws_in4_addr a4;
        if (!ws_inet_pton4(host, &a4))
            return FALSE;
        alloc_address_wmem(scope, addr, AT_IPv4, (int)sizeof a4, &a4);
    }
    *port = (guint16)p;
    return TRUE;
}

static void expect_connection(packet_info *pinfo, const address *addr, guint16 port,
                              const char *method, guint8 roles, const guint8 *cookie,
                              size_t cookie_len)
{
    conversation_t *c = conversation_new(pinfo->num, addr, NULL, CONVERSATION_TCP, port, 0,
                                         NO_ADDR2 | NO_PORT2);
    conversation_set_dissector(c, msnp_tcp_handle);
    msnp_expected *e = wmem_new0(wmem_file_scope(), msnp_expected);
    e->setup_frame = pinfo->num;
    e->method = method;
    e->roles = roles;
    if (cookie && cookie_len)
        e->cookie = wmem_strndup(wmem_file_scope(), (const char *)cookie, cookie_len);
    msnp_conv_attach(c)->expected = e;
}

void msnp_expect_referral(packet_info *pinfo, const guint8 *base, const msnp_pdu *pdu,
                          const msnp_command *cmd)
{
    if (!cmd->info || !cmd->form || !(cmd->form->dirs & MSNP_D_S2C))
        return;
    /* A switchboard (XFR SB, RNG) or the notification server a dispatch
     * server sends the client to (XFR NS; "XFR 0 NS 0" names none). */
    guint8 roles = MSNP_R_SB;
    int a = msnp_command_find_arg(cmd, pdu, "sb_addr");
    if (a < 0) {
        a = msnp_command_find_arg(cmd, pdu, "ns_addr");
        roles = MSNP_R_NS;
    }
    if (a < 0)
        return;
    msnp_span sb = msnp_command_arg(cmd, pdu, (unsigned)a);
    address addr;
    guint16 port;
    if (!parse_endpoint(base + sb.off, sb.len, &addr, &port, pinfo->pool))
        return;
    int k = msnp_command_find_arg(cmd, pdu, "cookie");
    msnp_span cookie = k >= 0 ? msnp_command_arg(cmd, pdu, (unsigned)k) : (msnp_span){0, 0};
    expect_connection(pinfo, &addr, port, memcmp(cmd->info->name, "RNG", 3) == 0 ? "RNG" : "XFR",
                      roles, base + cookie.off, cookie.len);
}

void msnp_expect_file_transfer(packet_info *pinfo, const guint8 *body, const msnp_fields *fields)
{
    const msnp_field *command = msnp_fields_find(fields, body, "Invitation-Command");
    const msnp_field *ip = msnp_fields_find(fields, body, "IP-Address");
    const msnp_field *port = msnp_fields_find(fields, body, "Port");
    const msnp_field *cookie = msnp_fields_find(fields, body, "AuthCookie");
    if (!command || !msnp_span_ieq(body, command->value, "ACCEPT") || !ip || !port)
        return;
    char endpoint[80];
    if (ip->value.len + port->value.len + 2 > sizeof endpoint)
        return;
    g_snprintf(endpoint, sizeof endpoint, "%.*s:%.*s", (int)ip->value.len,
               (const char *)body + ip->value.off, (int)port->value.len,
               (const char *)body + port->value.off);
    address addr;
    guint16 p;
    if (!parse_endpoint((const guint8 *)endpoint, strlen(endpoint), &addr, &p, pinfo->pool))
        return;
    expect_connection(pinfo, &addr, p, "invitation", MSNP_R_FTP,
                      cookie ? body + cookie->value.off : NULL, cookie ? cookie->value.len : 0);
}
