/* The protocol's procedures and the lines that are their steps (see
 * explain.h). Protocol reference §3.1 (login), §3.4 (challenge, keep-alive),
 * §3.5 and §5 (conversations), §7 (MSNFTP), §9 (transcripts).
 *
 * Rows are tried in order and the first that fits wins, so a more specific
 * row comes before a looser one of the same command. The `match` strings use
 * the command table's pattern language and are matched by the parser's own
 * msnp_form_matches(), against the TrID rule of the form the line matched. */
#include "msnp/explain.h"

#include <string.h>

#include "msnp/trid.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const msnp_procedure procedures[MSNP_PROC_COUNT] = {
    [MSNP_PROC_REFERRAL] = {"referral", "signing in at the dispatch server (which refers the "
                                        "client on)",
                            3, 0},
    [MSNP_PROC_LOGIN] = {"login", "signing in at the notification server (Passport, Tweener)", 5,
                         4},
    [MSNP_PROC_LOGIN_MD5] = {"login_md5", "signing in with the legacy MD5 method of MSNP2-7", 2,
                             0},
    [MSNP_PROC_CALL] = {"call", "starting a conversation (caller side)", 4, 0},
    [MSNP_PROC_ANSWER] = {"answer", "joining a conversation you were invited to", 4, 0},
    [MSNP_PROC_CHALLENGE] = {"challenge", "the challenge that proves an approved client", 3, 0},
    [MSNP_PROC_KEEPALIVE] = {"keepalive", "the keep-alive ping", 2, 0},
    [MSNP_PROC_TRANSFER] = {"transfer", "an MSNFTP file transfer", 7, 0},
};

enum { REQ = MSNP_TXN_REQUEST, REP = MSNP_TXN_REPLY, ASY = MSNP_TXN_ASYNC };
#define C2S MSNP_D_C2S
#define S2C MSNP_D_S2C

static const msnp_step steps[] = {
    /* The dispatch server (§9.1, first connection). */
    {MSNP_PROC_REFERRAL, 1, MSNP_R_DS, C2S, REQ, "VER", NULL,
     "the client opens the connection by offering the protocol versions it speaks (CVR0: it "
     "also understands the version check)",
     "VER with the versions the server accepts, or VER 0 and a disconnect"},
    {MSNP_PROC_REFERRAL, 1, MSNP_R_DS, S2C, 0, "VER", NULL,
     "the server names the versions it accepts (0: none, and it disconnects)", NULL},
    {MSNP_PROC_REFERRAL, 2, MSNP_R_DS, C2S, REQ, "CVR", NULL,
     "the client reports its software, its operating system and the account",
     "CVR with the recommended and the minimum client version"},
    {MSNP_PROC_REFERRAL, 2, MSNP_R_DS, S2C, 0, "CVR", NULL,
     "the server recommends a client version and says where to download it", NULL},
    {MSNP_PROC_REFERRAL, 3, MSNP_R_DS, C2S, REQ, "USR", "TWN I",
     "the client names the account and asks to sign in with Passport (Tweener)",
     "XFR NS: the address of the notification server to sign in at"},
    {MSNP_PROC_REFERRAL, 3, MSNP_R_DS, C2S, REQ, "USR", "MD5 I",
     "the client names the account and asks to sign in with the legacy MD5 method",
     "XFR NS: the address of the notification server to sign in at"},
    {MSNP_PROC_REFERRAL, 3, MSNP_R_DS, S2C, 0, "XFR", "NS",
     "the dispatch server refers the client to a notification server and closes the "
     "connection; the client starts over there",
     NULL},

    /* The notification server (§9.1, second connection; §4 for step 4). */
    {MSNP_PROC_LOGIN, 1, MSNP_R_NS, C2S, REQ, "VER", NULL,
     "the client opens the connection by offering the protocol versions it speaks (CVR0: it "
     "also understands the version check)",
     "VER with the versions the server accepts, or VER 0 and a disconnect"},
    {MSNP_PROC_LOGIN, 1, MSNP_R_NS, S2C, 0, "VER", NULL,
     "the server names the versions it accepts (0: none, and it disconnects)", NULL},
    {MSNP_PROC_LOGIN, 2, MSNP_R_NS, C2S, REQ, "CVR", NULL,
     "the client reports its software, its operating system and the account",
     "CVR with the recommended and the minimum client version"},
    {MSNP_PROC_LOGIN, 2, MSNP_R_NS, S2C, 0, "CVR", NULL,
     "the server recommends a client version and says where to download it", NULL},
    {MSNP_PROC_LOGIN, 3, MSNP_R_NS, C2S, REQ, "USR", "TWN I",
     "the client names the account and asks to sign in with Passport (Tweener)",
     "USR TWN S with the parameters to take to Passport"},
    {MSNP_PROC_LOGIN, 3, MSNP_R_NS, S2C, 0, "USR", "TWN S",
     "the server hands out the parameters for Passport; step 4, getting a ticket from the "
     "Passport login server over HTTPS, happens outside this connection (encrypted)",
     NULL},
    {MSNP_PROC_LOGIN, 3, MSNP_R_NS, S2C, 0, "XFR", "NS",
     "this notification server sends the client on to another one (it is overloaded) and "
     "closes the connection; the client starts over there",
     NULL},
    {MSNP_PROC_LOGIN, 5, MSNP_R_NS, C2S, REQ, "USR", "TWN S",
     "back from Passport, the client presents the ticket it was given",
     "USR OK with the account and its friendly name"},
    {MSNP_PROC_LOGIN, 5, MSNP_R_NS, S2C, 0, "USR", "OK",
     "the server accepts the login: the client is signed in, and the login profile (MSG "
     "Hotmail Hotmail) follows",
     NULL},

    /* Legacy MD5 (§3.1, last bullets). */
    {MSNP_PROC_LOGIN_MD5, 1, MSNP_R_NS, C2S, REQ, "USR", "MD5 I",
     "the client names the account and asks to sign in with the legacy MD5 method (MSNP8 "
     "servers refuse it; some revival servers accept it)",
     "USR MD5 S with a salt"},
    {MSNP_PROC_LOGIN_MD5, 1, MSNP_R_NS, S2C, 0, "USR", "MD5 S",
     "the server sends the salt to hash with the password", NULL},
    {MSNP_PROC_LOGIN_MD5, 2, MSNP_R_NS, C2S, REQ, "USR", "MD5 S",
     "the client answers with MD5(salt + password)",
     "USR OK with the account and its friendly name"},

    /* Starting a conversation (§9.5). */
    {MSNP_PROC_CALL, 1, MSNP_R_NS, C2S, REQ, "XFR", "SB",
     "the client asks its notification server for a switchboard, to start a conversation",
     "XFR SB with the switchboard's address and a cookie"},
    {MSNP_PROC_CALL, 1, MSNP_R_NS, S2C, 0, "XFR", "SB",
     "the notification server names a switchboard and issues the cookie that admits the "
     "client there",
     NULL},
    {MSNP_PROC_CALL, 2, MSNP_R_SB, C2S, REQ, "USR", "@ *",
     "the client connects to the switchboard and presents that cookie",
     "USR OK with the account and its friendly name"},
    {MSNP_PROC_CALL, 2, MSNP_R_SB, S2C, 0, "USR", "OK",
     "the switchboard admits the client; the conversation has nobody else in it yet", NULL},
    {MSNP_PROC_CALL, 3, MSNP_R_SB, C2S, REQ, "CAL", NULL,
     "the client invites a contact into the conversation",
     "CAL RINGING with the session id"},
    {MSNP_PROC_CALL, 3, MSNP_R_SB, S2C, 0, "CAL", "RINGING",
     "the switchboard rings the contact through their notification server, where an RNG "
     "arrives",
     NULL},
    {MSNP_PROC_CALL, 4, MSNP_R_SB, S2C, 0, "JOI", NULL,
     "someone arrived (the contact that was called, or a later invitee): messages can flow",
     NULL},

    /* Joining a conversation (§3.5, §9.6). */
    {MSNP_PROC_ANSWER, 1, MSNP_R_NS, S2C, 0, "RNG", NULL,
     "the notification server relays an invitation: the switchboard's address, a cookie and "
     "the session id",
     NULL},
    {MSNP_PROC_ANSWER, 2, MSNP_R_SB, C2S, REQ, "ANS", NULL,
     "the client connects to that switchboard and answers with the cookie and the session "
     "id of the RNG",
     "one IRO per participant already there, then ANS OK"},
    {MSNP_PROC_ANSWER, 3, MSNP_R_SB, S2C, 0, "IRO", NULL,
     "the switchboard names a participant who is already there (one IRO each)", NULL},
    {MSNP_PROC_ANSWER, 4, MSNP_R_SB, S2C, 0, "ANS", "OK",
     "the roster is complete: the client is in the conversation", NULL},

    /* The challenge (§3.4). */
    {MSNP_PROC_CHALLENGE, 1, MSNP_R_NS, S2C, 0, "CHL", NULL,
     "the server challenges the client to prove it is an approved client", NULL},
    {MSNP_PROC_CHALLENGE, 2, MSNP_R_NS, C2S, REQ, "QRY", NULL,
     "the client answers with MD5(challenge + its product key), 32 hex digits in the "
     "payload",
     "QRY when the answer is right"},
    {MSNP_PROC_CHALLENGE, 3, MSNP_R_NS, S2C, 0, "QRY", NULL,
     "the server accepts the answer: the client may stay", NULL},

    /* The keep-alive (§3.4). */
    {MSNP_PROC_KEEPALIVE, 1, MSNP_R_NS, C2S, REQ, "PNG", NULL,
     "the client pings to show the connection is alive", "QNG"},
    {MSNP_PROC_KEEPALIVE, 2, MSNP_R_NS, S2C, 0, "QNG", NULL,
     "the server answers the ping", NULL},

    /* MSNFTP (§7): no TrIDs, and either peer may be the one that connected,
     * so the pairing's request/reply tells the two VER lines apart. */
    {MSNP_PROC_TRANSFER, 1, MSNP_R_FTP, MSNP_D_ANY, REQ, "VER", NULL,
     "the peer that connected (normally the receiver) announces MSNFTP",
     "VER MSNFTP from the other peer"},
    {MSNP_PROC_TRANSFER, 2, MSNP_R_FTP, MSNP_D_ANY, REP, "VER", NULL,
     "the other peer agrees to speak MSNFTP", NULL},
    {MSNP_PROC_TRANSFER, 3, MSNP_R_FTP, MSNP_D_ANY, 0, "USR", NULL,
     "the receiver authenticates with its account and the AuthCookie of the invitation's "
     "ACCEPT",
     "FIL with the size of the file"},
    {MSNP_PROC_TRANSFER, 4, MSNP_R_FTP, MSNP_D_ANY, 0, "FIL", NULL,
     "the sender announces the size of the file", NULL},
    {MSNP_PROC_TRANSFER, 5, MSNP_R_FTP, MSNP_D_ANY, 0, "TFR", NULL,
     "the receiver asks for the data: from now on the sender's direction carries binary "
     "blocks, not lines",
     NULL},
    {MSNP_PROC_TRANSFER, 6, MSNP_R_FTP, MSNP_D_ANY, 0, "", NULL,
     "the sender streams the file as binary blocks (a 3-byte header, then up to 2045 bytes "
     "each)",
     NULL},
    {MSNP_PROC_TRANSFER, 7, MSNP_R_FTP, MSNP_D_ANY, 0, "BYE", NULL,
     "the receiver ends the session, saying how the transfer went (16777989: received)",
     NULL},
    {MSNP_PROC_TRANSFER, 7, MSNP_R_FTP, MSNP_D_ANY, 0, "CCL", NULL,
     "the receiver cancels the transfer", NULL},
};

const msnp_procedure *msnp_procedure_get(unsigned id)
{
    return id < MSNP_PROC_COUNT ? &procedures[id] : NULL;
}

size_t msnp_step_count(void)
{
    return N(steps);
}

const msnp_step *msnp_step_at(size_t i)
{
    return i < N(steps) ? &steps[i] : NULL;
}

const msnp_step *msnp_step_file_data(void)
{
    for (size_t i = 0; i < N(steps); i++)
        if (!steps[i].cmd[0])
            return &steps[i];
    return NULL;
}

const msnp_step *msnp_step_find(msnp_role role, msnp_dir dir, unsigned txn_kind,
                                const uint8_t *base, const msnp_pdu *pdu,
                                const msnp_command *cmd)
{
    if (!cmd->info || !cmd->form || (dir != MSNP_DIR_C2S && dir != MSNP_DIR_S2C))
        return NULL;
    uint8_t roles = role != MSNP_ROLE_UNKNOWN ? (uint8_t)role : cmd->form->roles;
    for (size_t i = 0; i < N(steps); i++) {
        const msnp_step *s = &steps[i];
        if (strcmp(s->cmd, cmd->info->name) != 0 || (s->kind && s->kind != txn_kind))
            continue;
        /* The line as a form with the step's constraints and the TrID rule
         * of the form it matched, so the arguments are counted from the
         * same token. */
        msnp_form f;
        memset(&f, 0, sizeof f);
        f.roles = s->roles;
        f.dirs = s->dirs;
        f.trid = cmd->form->trid;
        f.max_args = MSNP_ARGS_VARIADIC;
        f.match = s->match;
        if (msnp_form_matches(&f, base, pdu, roles, (uint8_t)dir))
            return s;
    }
    return NULL;
}
