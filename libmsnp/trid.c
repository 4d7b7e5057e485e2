/* Request/response pairing on one MSNP connection (see trid.h). */
#include "msnp/trid.h"

#include <string.h>

/* ---- What the command table does not say --------------------------------- */

/* How the lines after the first line of a reply name their request. */
enum {
    CONT_SAME_TRID, /* they carry its TrID (ILN after CHG, IRO, iterated LST) */
    CONT_SYN_DUMP,  /* TrID-less lines of the SYN dump (forms flagged
                       MSNP_F_SYN_DUMP), up to the first line that is not */
    CONT_FOLLOWUPS  /* TrID-less `followup` lines whose `key` argument is the
                       reply's; lines with the TrID may come in between */
};

/* Requests whose reply may continue after its first line, the condition on
 * that first line under which it does, and how (protocol reference §2.2,
 * §3.2, §3.3, §5). With `arg` NULL it always may; with `value` NULL the
 * argument's presence is enough. A reply whose request the capture lacks is
 * looked up by its own command, which is the request's in these exchanges. */
typedef struct multi_line_reply {
    const char *request;
    const char *arg;
    const char *value;
    uint8_t continuation;
    const char *followup; /* CONT_FOLLOWUPS */
    const char *key;      /* CONT_FOLLOWUPS */
} multi_line_reply;

static const multi_line_reply multi_line_replies[] = {
    /* SYN TrID version contacts groups, then GTC BLP PRP... LSG... LST/BPR... */
    {"SYN", "contact_count", NULL, CONT_SYN_DUMP, NULL, NULL},
    /* the CHG echo, then one ILN per contact already online */
    {"CHG", NULL, NULL, CONT_SAME_TRID, NULL, NULL},
    /* ADD TrID FL ..., then ILN TrID (if online) and BPR lines of that contact */
    {"ADD", "list", "FL", CONT_FOLLOWUPS, "BPR", "user"},
    /* IRO TrID ... per participant, then ANS TrID OK (MSNP_F_ENDS_REPLY) */
    {"ANS", NULL, NULL, CONT_SAME_TRID, NULL, NULL},
    /* the iterated LST and LSG of earlier versions, one line per entry */
    {"LST", NULL, NULL, CONT_SAME_TRID, NULL, NULL},
    {"LSG", NULL, NULL, CONT_SAME_TRID, NULL, NULL},
    /* one FND line per search result */
    {"FND", NULL, NULL, CONT_SAME_TRID, NULL, NULL},
};

/* Requests that are not always answered, by command and (optionally) the
 * value of one argument (§3.6 PAG, §5 MSG acknowledgement modes, §3.6/§5
 * OUT). Everything else the client sends with a TrID expects a reply. */
static const struct {
    const char *request;
    const char *arg;
    const char *value;
    msnp_txn_expect expect;
} answer_rules[] = {
    {"MSG", "ack", "U", MSNP_EXPECT_NONE},
    {"MSG", "ack", "N", MSNP_EXPECT_ON_FAILURE},
    {"MSG", "ack", "S", MSNP_EXPECT_ON_FAILURE}, /* later clients, meaning unknown */
    {"PAG", NULL, NULL, MSNP_EXPECT_ON_FAILURE},
    {"PGD", NULL, NULL, MSNP_EXPECT_ON_FAILURE},
    {"OUT", NULL, NULL, MSNP_EXPECT_NONE},
};

/* Exchanges without TrIDs (§3.4 PNG/QNG, §7 MSNFTP): `reply` from one side
 * answers the oldest pending `request` from the other. */
static const struct {
    const char *request;
    const char *reply;
    uint8_t roles;
} untagged_exchanges[] = {
    {"PNG", "QNG", MSNP_R_NS},
    {"VER", "VER", MSNP_R_FTP},
    {"USR", "FIL", MSNP_R_FTP},
};

/* ---- Helpers ------------------------------------------------------------- */

static int name_is(const msnp_command *cmd, const char *name)
{
    return cmd->info && memcmp(cmd->info->name, name, 3) == 0;
}

static int single_bit(unsigned v)
{
    return v && !(v & (v - 1));
}

/* The argument named `name`, if the matched form has one. */
static int arg_span(const msnp_command *cmd, const msnp_pdu *pdu, const char *name,
                    msnp_span *out)
{
    int i = msnp_command_find_arg(cmd, pdu, name);
    if (i < 0)
        return 0;
    *out = msnp_command_arg(cmd, pdu, (unsigned)i);
    return 1;
}

static int arg_matches(const msnp_command *cmd, const uint8_t *base, const msnp_pdu *pdu,
                       const char *name, const char *value)
{
    msnp_span s;
    if (!name)
        return 1;
    if (!arg_span(cmd, pdu, name, &s))
        return 0;
    return value == NULL || msnp_span_eq(base, s, value);
}

/* FNV-1a: ties BPR follow-ups to their ADD without keeping the account. */
static uint64_t hash_span(const uint8_t *base, msnp_span s)
{
    uint64_t h = 1469598103934665603ULL;
    for (uint32_t i = 0; i < s.len; i++) {
        h ^= base[s.off + i];
        h *= 1099511628211ULL;
    }
    return h;
}

static msnp_txn_expect expected_answer(const msnp_command *cmd, const uint8_t *base,
                                       const msnp_pdu *pdu)
{
    for (size_t i = 0; i < sizeof answer_rules / sizeof answer_rules[0]; i++)
        if (name_is(cmd, answer_rules[i].request) &&
            arg_matches(cmd, base, pdu, answer_rules[i].arg, answer_rules[i].value))
            return answer_rules[i].expect;
    return cmd->has_trid ? MSNP_EXPECT_REPLY : MSNP_EXPECT_NONE;
}

static const multi_line_reply *multi_line(const char *request)
{
    if (!request || !request[0])
        return NULL;
    for (size_t i = 0; i < sizeof multi_line_replies / sizeof multi_line_replies[0]; i++)
        if (memcmp(multi_line_replies[i].request, request, 3) == 0)
            return &multi_line_replies[i];
    return NULL;
}

/* ---- Slots --------------------------------------------------------------- */

/* in_use covers the first 64 slots; a tracker with more scans them all. */
static int masked(const msnp_txn_tracker *t)
{
    return t->nslots <= 64;
}

/* Index of the next slot from i that may be in use, or nslots. */
static size_t next_candidate(const msnp_txn_tracker *t, size_t i)
{
    if (!masked(t))
        return i;
    uint64_t rest = i < 64 ? t->in_use >> i << i : 0;
    return rest ? (size_t)__builtin_ctzll(rest) : t->nslots;
}

static void set_used(msnp_txn_tracker *t, msnp_txn_slot *s, int used)
{
    size_t i = (size_t)(s - t->slots);
    s->used = (uint8_t)used;
    if (masked(t)) {
        if (used)
            t->in_use |= 1ull << i;
        else
            t->in_use &= ~(1ull << i);
    }
}

static msnp_txn_slot *find_trid(msnp_txn_tracker *t, uint32_t trid)
{
    msnp_txn_slot *best = NULL;
    for (size_t i = next_candidate(t, 0); i < t->nslots; i = next_candidate(t, i + 1)) {
        msnp_txn_slot *s = &t->slots[i];
        if (s->used && s->has_trid && s->trid == trid && (!best || s->age > best->age))
            best = s;
    }
    return best;
}

/* The oldest pending TrID-less `request` sent in direction `sender`. */
static msnp_txn_slot *find_untagged(msnp_txn_tracker *t, const char *request, uint8_t sender)
{
    msnp_txn_slot *best = NULL;
    for (size_t i = next_candidate(t, 0); i < t->nslots; i = next_candidate(t, i + 1)) {
        msnp_txn_slot *s = &t->slots[i];
        if (s->used && !s->has_trid && s->sender == sender && memcmp(s->cmd, request, 3) == 0 &&
            (!best || s->age < best->age))
            best = s;
    }
    return best;
}

static msnp_txn_slot *take_slot(msnp_txn_tracker *t)
{
    if (masked(t) && ~t->in_use) {
        size_t i = (size_t)__builtin_ctzll(~t->in_use);
        if (i < t->nslots)
            return &t->slots[i]; /* the first unused slot */
    }
    msnp_txn_slot *oldest = NULL;
    for (size_t i = 0; i < t->nslots; i++) {
        msnp_txn_slot *s = &t->slots[i];
        if (!s->used)
            return s;
        if (!oldest || s->age < oldest->age)
            oldest = s;
    }
    return oldest; /* NULL only when there are no slots */
}

static void remember(msnp_txn_tracker *t, const msnp_command *cmd, uint8_t sender, uint64_t tag,
                     int64_t when)
{
    msnp_txn_slot *s = cmd->has_trid ? find_trid(t, cmd->trid) : NULL;
    if (!s)
        s = take_slot(t);
    if (!s)
        return;
    memset(s, 0, sizeof *s);
    set_used(t, s, 1);
    s->tag = tag;
    s->when = when;
    s->age = ++t->clock;
    s->has_trid = cmd->has_trid;
    s->trid = cmd->trid;
    s->sender = sender;
    s->multi = cmd->info && multi_line(cmd->info->name);
    if (cmd->info)
        memcpy(s->cmd, cmd->info->name, 4);
}

/* A reply line of the request in slot s. */
static void answer_from_slot(msnp_txn_tracker *t, msnp_txn_slot *s, msnp_txn *out)
{
    out->kind = MSNP_TXN_REPLY;
    out->matched = 1;
    out->tag = s->tag;
    out->when = s->when;
    out->line = s->lines++;
    out->first = out->line == 0;
    out->multi = s->multi;
    s->age = ++t->clock;
}

static void answer_from_open(msnp_txn_open *o, msnp_txn *out)
{
    out->kind = MSNP_TXN_REPLY;
    out->matched = o->matched;
    out->tag = o->tag;
    out->when = o->when;
    out->trid = o->trid;
    out->line = o->lines++;
    out->multi = 1;
}

/* An exchange without TrIDs continues this reply line (the SYN dump, the
 * BPR lines of an ADD FL). */
static void open_exchange(msnp_txn_open *o, const msnp_txn *reply, uint32_t trid)
{
    memset(o, 0, sizeof *o);
    o->active = 1;
    o->matched = reply->matched;
    o->tag = reply->tag;
    o->when = reply->when;
    o->trid = trid;
    o->lines = reply->line + 1;
}

/* ---- Classification ------------------------------------------------------ */

static void request_line(msnp_txn_tracker *t, uint8_t roles, uint8_t sender,
                         const uint8_t *base, const msnp_pdu *pdu, const msnp_command *cmd,
                         uint64_t tag, int64_t when, msnp_txn *out)
{
    out->kind = MSNP_TXN_REQUEST;
    out->expect = (uint8_t)expected_answer(cmd, base, pdu);
    for (size_t i = 0; i < sizeof untagged_exchanges / sizeof untagged_exchanges[0]; i++)
        if (!cmd->has_trid && (untagged_exchanges[i].roles & roles) &&
            name_is(cmd, untagged_exchanges[i].request)) {
            out->expect = MSNP_EXPECT_REPLY;
            remember(t, cmd, sender, tag, when);
            return;
        }
    if (cmd->has_trid)
        remember(t, cmd, sender, tag, when);
}

/* A TrID-less line that answers a TrID-less request from the other side. */
static int untagged_reply(msnp_txn_tracker *t, uint8_t roles, uint8_t sender,
                          const msnp_command *cmd, msnp_txn *out)
{
    if (cmd->has_trid)
        return 0;
    uint8_t other = sender == MSNP_D_C2S ? MSNP_D_S2C : MSNP_D_C2S;
    for (size_t i = 0; i < sizeof untagged_exchanges / sizeof untagged_exchanges[0]; i++) {
        if (!(untagged_exchanges[i].roles & roles) || !name_is(cmd, untagged_exchanges[i].reply))
            continue;
        msnp_txn_slot *s = find_untagged(t, untagged_exchanges[i].request, other);
        if (!s)
            continue;
        answer_from_slot(t, s, out);
        out->final = 1;
        set_used(t, s, 0);
        return 1;
    }
    return 0;
}

/* MSNFTP: no TrIDs, and either peer may be the one that connected (§7). */
static void ftp_line(msnp_txn_tracker *t, uint8_t sender, const msnp_command *cmd,
                     uint64_t tag, int64_t when, msnp_txn *out)
{
    if (untagged_reply(t, MSNP_R_FTP, sender, cmd, out))
        return;
    out->kind = MSNP_TXN_REQUEST;
    out->expect = MSNP_EXPECT_NONE;
    for (size_t i = 0; i < sizeof untagged_exchanges / sizeof untagged_exchanges[0]; i++)
        if ((untagged_exchanges[i].roles & MSNP_R_FTP) &&
            name_is(cmd, untagged_exchanges[i].request)) {
            out->expect = MSNP_EXPECT_REPLY;
            remember(t, cmd, sender, tag, when);
            break;
        }
}

/* A server line carrying the TrID of the request it answers. Returns how
 * the reply continues when this, its first line, says it does. */
static const multi_line_reply *trid_reply(msnp_txn_tracker *t, const uint8_t *base,
                                          const msnp_pdu *pdu, const msnp_command *cmd,
                                          msnp_txn *out)
{
    int ends = cmd->is_error || (cmd->form && (cmd->form->flags & MSNP_F_ENDS_REPLY));
    msnp_txn_slot *s = find_trid(t, cmd->trid);
    const char *request = s ? s->cmd : cmd->info ? cmd->info->name : NULL;
    const multi_line_reply *m = multi_line(request);
    if (s) {
        answer_from_slot(t, s, out);
    } else {
        out->kind = MSNP_TXN_REPLY; /* its request is not in the capture */
        out->first = 1;
    }
    /* Whether a reply runs over several lines shows at its first line. */
    int continued = out->first ? m && !ends && arg_matches(cmd, base, pdu, m->arg, m->value)
                               : s && s->multi;
    out->multi = (uint8_t)(continued || (s && !out->first && s->multi));
    out->final = (uint8_t)(ends || !continued);
    if (s) {
        s->multi = (uint8_t)continued;
        if (out->final)
            set_used(t, s, 0);
    }
    return out->first && continued ? m : NULL;
}

static void server_line(msnp_txn_tracker *t, uint8_t roles, const uint8_t *base,
                        const msnp_pdu *pdu, const msnp_command *cmd, msnp_txn *out)
{
    const msnp_form *f = cmd->form;
    uint8_t flags = f ? f->flags : 0;
    msnp_span key;

    /* The dump ends at the first server line that is not part of it; the
     * follow-ups at the first that is neither one nor has their TrID. */
    if (!(flags & MSNP_F_SYN_DUMP))
        t->dump.active = 0;
    if (t->followup.active && !name_is(cmd, t->followup.followup) &&
        !(cmd->has_trid && cmd->trid == t->followup.trid))
        t->followup.active = 0;

    if (cmd->is_error) {
        if (cmd->has_trid)
            trid_reply(t, base, pdu, cmd, out);
        else
            out->kind = MSNP_TXN_ASYNC; /* a server-generated error (§2.3) */
        return;
    }
    if (flags & MSNP_F_SYN_DUMP) {
        if (t->dump.active) {
            answer_from_open(&t->dump, out);
        } else {
            out->kind = MSNP_TXN_REPLY; /* a dump whose SYN is not in the capture */
            out->multi = 1;
        }
        return;
    }
    if (flags & MSNP_F_ASYNC) {
        if (f->trid == MSNP_TRID_ZERO) {
            /* "... or this answers a request sent with TrID 0" */
            msnp_txn_slot *s = find_trid(t, 0);
            if (s && cmd->info && memcmp(s->cmd, cmd->info->name, 3) == 0) {
                trid_reply(t, base, pdu, cmd, out);
                return;
            }
        }
        if (t->followup.active && name_is(cmd, t->followup.followup) &&
            arg_span(cmd, pdu, t->followup.key_arg, &key) &&
            hash_span(base, key) == t->followup.key) {
            answer_from_open(&t->followup, out);
            return;
        }
        out->kind = MSNP_TXN_ASYNC;
        return;
    }
    if (cmd->has_trid) {
        const multi_line_reply *m = trid_reply(t, base, pdu, cmd, out);
        /* Replies continued by lines without a TrID. */
        if (m && m->continuation == CONT_SYN_DUMP) {
            open_exchange(&t->dump, out, cmd->trid);
        } else if (m && m->continuation == CONT_FOLLOWUPS && arg_span(cmd, pdu, m->key, &key)) {
            open_exchange(&t->followup, out, cmd->trid);
            memcpy(t->followup.followup, m->followup, 4);
            t->followup.key_arg = m->key;
            t->followup.key = hash_span(base, key);
        }
        return;
    }
    if (untagged_reply(t, roles, MSNP_D_S2C, cmd, out))
        return;
    /* A TrID-less reply whose request is not in the capture (QNG without
     * PNG), or a line nothing in the table describes. */
    out->kind = f ? MSNP_TXN_REPLY : MSNP_TXN_NONE;
}

void msnp_txn_init(msnp_txn_tracker *t, msnp_txn_slot *slots, size_t nslots)
{
    memset(t, 0, sizeof *t);
    t->slots = slots;
    t->nslots = slots ? nslots : 0;
    if (t->slots)
        memset(t->slots, 0, nslots * sizeof *slots);
}

void msnp_txn_line(msnp_txn_tracker *t, msnp_role role, msnp_dir dir, const uint8_t *base,
                   const msnp_pdu *pdu, const msnp_command *cmd, uint64_t tag, int64_t when,
                   msnp_txn *out)
{
    memset(out, 0, sizeof *out);
    out->has_trid = cmd->has_trid;
    out->trid = cmd->trid;
    uint8_t sender = (uint8_t)dir;
    if (sender != MSNP_D_C2S && sender != MSNP_D_S2C)
        sender = cmd->form && single_bit(cmd->form->dirs) ? cmd->form->dirs : 0;
    if (cmd->is_error && !sender)
        sender = MSNP_D_S2C; /* only servers send numeric replies */
    if (!sender)
        return;
    uint8_t roles = role != MSNP_ROLE_UNKNOWN ? (uint8_t)role
                    : cmd->form                ? cmd->form->roles
                                               : 0;

    if (roles == MSNP_R_FTP) {
        ftp_line(t, sender, cmd, tag, when, out);
        return;
    }
    if (sender == MSNP_D_C2S) {
        if (cmd->is_error)
            return; /* clients do not send numeric replies */
        request_line(t, roles ? roles : MSNP_R_ANY, sender, base, pdu, cmd, tag, when, out);
        return;
    }
    server_line(t, roles, base, pdu, cmd, out);
}

const char *msnp_txn_kind_name(msnp_txn_kind k)
{
    switch (k) {
    case MSNP_TXN_REQUEST:
        return "request";
    case MSNP_TXN_REPLY:
        return "reply";
    case MSNP_TXN_ASYNC:
        return "async";
    default:
        return "none";
    }
}
