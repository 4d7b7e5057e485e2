/* Per-connection classification (protocol reference §10): every parsed line
 * narrows the set of roles the connection can have and may reveal which side
 * is the client, because the command table knows each form's roles and
 * direction. */
#include "msnp/conn.h"

#include <string.h>

/* Undetected connections give up after this much non-MSNP evidence. */
enum { DETECT_MAX_STRIKES = 4, DETECT_MAX_SKIPPED = 16384 };

void msnp_conn_init(msnp_conn *c)
{
    memset(c, 0, sizeof *c);
    c->roles = MSNP_R_ANY;
    c->client_side = -1;
    c->hint_server = -1;
    c->detect = MSNP_DETECT_PENDING;
}

void msnp_conn_set_client(msnp_conn *c, int side)
{
    c->client_side = (int8_t)(side ? 1 : 0);
    c->client_sure = 1;
}

void msnp_conn_hint_server(msnp_conn *c, int side)
{
    c->hint_server = (int8_t)(side ? 1 : 0);
}

static uint8_t side_dirs(const msnp_conn *c, int side)
{
    if (c->client_side < 0)
        return MSNP_D_ANY;
    return side == c->client_side ? MSNP_D_C2S : MSNP_D_S2C;
}

static int single_bit(unsigned v)
{
    return v && !(v & (v - 1));
}

static void give_up_if_hopeless(msnp_conn *c)
{
    if (c->detect != MSNP_DETECT_PENDING)
        return;
    uint64_t strikes = (uint64_t)c->side[0].strikes + c->side[1].strikes;
    uint64_t skipped = c->side[0].skipped + c->side[1].skipped;
    if (strikes >= DETECT_MAX_STRIKES || skipped >= DETECT_MAX_SKIPPED)
        c->detect = MSNP_DETECT_NO;
}

static int arg_is(const msnp_command *cmd, const uint8_t *base, const msnp_pdu *pdu,
                  unsigned i, const char *lit)
{
    return i < cmd->nargs && msnp_span_eq(base, msnp_command_arg(cmd, pdu, i), lit);
}

static uint32_t arg_u32(const msnp_command *cmd, const uint8_t *base, const msnp_pdu *pdu,
                        const char *name)
{
    int i = msnp_command_find_arg(cmd, pdu, name);
    if (i < 0)
        return 0;
    uint64_t v = msnp_span_u64(base, msnp_command_arg(cmd, pdu, (unsigned)i));
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* The SYN dump: its TrID-less lines follow "SYN TrID version contacts groups"
 * and end after the last contact's LST (and that contact's BPR lines). */
static void track_syn_dump(msnp_conn_side *s, const msnp_command *cmd, const uint8_t *base,
                           const msnp_pdu *pdu)
{
    if (!cmd->info || !cmd->form)
        return;
    if (memcmp(cmd->info->name, "SYN", 3) == 0 && cmd->nargs >= 3 &&
        (cmd->form->dirs & MSNP_D_S2C)) {
        s->in_syn_dump = 1;
        s->syn_contacts_left = arg_u32(cmd, base, pdu, "contact_count");
        s->syn_groups_left = arg_u32(cmd, base, pdu, "group_count");
        return;
    }
    if (!s->in_syn_dump)
        return;
    if (!(cmd->form->flags & MSNP_F_SYN_DUMP)) {
        s->in_syn_dump = 0;
        return;
    }
    if (memcmp(cmd->info->name, "LST", 3) == 0 && s->syn_contacts_left > 0)
        s->syn_contacts_left--;
    else if (memcmp(cmd->info->name, "LSG", 3) == 0 && s->syn_groups_left > 0)
        s->syn_groups_left--;
}

static void learn(msnp_conn *c, int side, const uint8_t *base, const msnp_pdu *pdu,
                  const msnp_command *cmd)
{
    if (cmd->is_error) {
        /* "NNN TrID" with a known code is MSNP's shape (text protocols such
         * as SMTP and FTP put words after their codes), and only servers
         * send it. */
        if (cmd->error && cmd->has_trid && pdu->ntok == 2) {
            c->detect = MSNP_DETECT_YES;
            c->roles &= (uint8_t)~MSNP_R_FTP;
            if (!c->roles)
                c->roles = MSNP_R_NSDS | MSNP_R_SB;
            if (!c->client_sure) {
                c->client_side = (int8_t)!side;
                c->client_sure = 1;
            }
        } else if (c->detect == MSNP_DETECT_PENDING) {
            c->side[side].strikes++; /* "250 OK": a code with words after it */
            give_up_if_hopeless(c);
        }
        return;
    }
    if (cmd->nmatch == 0) {
        if (c->detect == MSNP_DETECT_PENDING) {
            c->side[side].strikes++;
            give_up_if_hopeless(c);
        }
        return;
    }
    /* A bare keyword ("OUT", "PNG") is weak evidence: other line protocols
     * have such words too. It counts on a well-known MSNP port, else the
     * connection waits for a line with arguments. */
    if (c->detect == MSNP_DETECT_PENDING && pdu->ntok == 1 && c->hint_server < 0)
        return;
    c->detect = MSNP_DETECT_YES;

    uint8_t roles = (uint8_t)(c->roles & cmd->match_roles);
    /* §10: a server that answers the login with "XFR … NS" and closes is a
     * dispatch server; a notification server would have answered USR TWN S. */
    if (cmd->info && memcmp(cmd->info->name, "XFR", 3) == 0 && arg_is(cmd, base, pdu, 0, "NS") &&
        (cmd->match_dirs == MSNP_D_S2C) && (c->roles & MSNP_R_DS) && (c->roles & MSNP_R_NS))
        roles = MSNP_R_DS;
    if (roles)
        c->roles = roles;

    if (!c->client_sure && single_bit(cmd->match_dirs)) {
        c->client_side = (int8_t)(cmd->match_dirs == MSNP_D_C2S ? side : !side);
        c->client_sure = 1;
    }
    if (c->client_side >= 0 && side != c->client_side)
        track_syn_dump(&c->side[side], cmd, base, pdu);
}

msnp_parse_ctx msnp_conn_ctx(const msnp_conn *c, int side)
{
    side = side ? 1 : 0;
    msnp_parse_ctx ctx;
    ctx.roles = c->roles;
    ctx.dirs = side_dirs(c, side);
    ctx.in_syn_dump = c->side[side].in_syn_dump;
    /* Once role and client are sure, learn() takes nothing from forms beyond
     * the chosen one. */
    ctx.meaning_only = (uint8_t)(single_bit(c->roles) && c->client_sure);
    return ctx;
}

void msnp_conn_command(msnp_conn *c, int side, const uint8_t *base, const msnp_pdu *pdu,
                       msnp_command *cmd)
{
    side = side ? 1 : 0;
    msnp_parse_ctx ctx = msnp_conn_ctx(c, side);
    msnp_parse_command(&ctx, base, pdu, cmd);
    learn(c, side, base, pdu, cmd);
}

void msnp_conn_skipped(msnp_conn *c, int side, uint64_t bytes)
{
    if (c->detect != MSNP_DETECT_PENDING)
        return;
    c->side[side ? 1 : 0].skipped += bytes;
    give_up_if_hopeless(c);
}

msnp_role msnp_conn_role(const msnp_conn *c)
{
    return single_bit(c->roles) ? (msnp_role)c->roles : MSNP_ROLE_UNKNOWN;
}

msnp_dir msnp_conn_dir(const msnp_conn *c, int side)
{
    if (c->client_side < 0)
        return MSNP_DIR_UNKNOWN;
    return (side ? 1 : 0) == c->client_side ? MSNP_DIR_C2S : MSNP_DIR_S2C;
}

int msnp_conn_settled(const msnp_conn *c)
{
    if (c->detect == MSNP_DETECT_NO)
        return 1;
    if (c->forced)
        return 1;
    return c->detect == MSNP_DETECT_YES && single_bit(c->roles) && c->client_side >= 0;
}

void msnp_conn_settle(msnp_conn *c)
{
    if (c->detect == MSNP_DETECT_PENDING)
        c->detect = MSNP_DETECT_NO;
    if (c->detect == MSNP_DETECT_NO)
        return;
    if (c->client_side < 0)
        c->client_side = (int8_t)(c->hint_server >= 0 ? !c->hint_server : 0);
    /* A role the traffic does not tell stays unknown: a guess would mislead. */
    c->forced = 1;
}
