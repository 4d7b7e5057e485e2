/* The msnpdump pipeline (see decoder.h). */
#include "decoder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flowtable.h"
#include "gateway.h"
#include "holdq.h"
#include "msnp/redact.h"
#include "scratch.h"
#include "tcp_reasm.h"

enum {
    SKIP_SAMPLE = 48,       /* bytes of skipped data shown in its anomaly */
    LINE_SAMPLE = 160,      /* bytes of a bad line shown in its anomaly */
    HOLD_MAX_ITEMS = MSNP_SETTLE_WAIT_ITEMS, /* records waiting for unsettled connections */
    HOLD_MAX_BYTES = MSNP_SETTLE_WAIT_BYTES,
    /* A finished connection's flow is kept this long (seconds of capture
     * time) so that its last ACKs and late retransmissions are recognised
     * instead of starting phantom connections. */
    CLOSED_LINGER = 120,
    GW_MAX_BUFFERED = 4 << 20, /* HTTP heads split over segments, all carriers */
    PEND_FLOOR = 512, /* partial-PDU bytes per direction not charged to the budget */
    /* --redact: distinct secrets remembered for their labels (16 bytes each) */
    REDACT_LABELS = 1u << 14
};

/* One direction of a connection, as the MSNP layer sees it. */
typedef struct dir_state {
    msnp_framer framer;
    uint8_t started, ended;
    uint8_t *pend; /* a partial PDU, when one spans segments */
    size_t len, cap;
    uint64_t need; /* from the last MSNP_NEED_MORE: >1 is exact */

    /* A run of MSNFTP blocks, reported as one data record when it ends. */
    uint64_t blocks, block_bytes, block_first, block_last;
    int64_t block_sec;
    uint32_t block_usec;

    /* A run of skipped bytes, reported as one anomaly when it ends (rare:
     * last, out of the lines every segment reads). */
    uint64_t skip_bytes, skip_frame;
    int64_t skip_sec;
    uint32_t skip_usec;
    uint32_t skip_sample_len;
    uint8_t skip_sample[SKIP_SAMPLE];
} dir_state;

enum { SNIFF_LEN = 8 };  /* "OPTIONS " is the longest HTTP start looked for */

/* What a connection added to the summary's counts: taken back when it turns
 * out not to be MSNP, since its records are never written. */
typedef struct tally {
    uint64_t commands, anomalies, gaps, gap_bytes, malformed, skipped_bytes, oversize, truncated,
        unknown_commands;
} tally;

#define TALLY(d, cs, field, n)                                                              \
    do {                                                                                   \
        uint64_t n_ = (uint64_t)(n);                                                       \
        (d)->st.field += n_;                                                               \
        (cs)->tally.field += n_;                                                           \
    } while (0)

typedef struct conn_state {
    /* Per packet: the connection's fate and hold count, one cache line. */
    flow *flow;          /* NULL once the flow is removed (always, for a gateway session) */
    gw_carrier *carrier; /* the connection carries HTTP gateway messages */
    int64_t closed_at;
    uint32_t held;       /* records of this connection in the hold queue */
    uint8_t decided;
    uint8_t pinned; /* a caller still uses it: not freed yet */
    uint8_t syn_seen[2];
    uint8_t finished;    /* connection record emitted (or dropped) */
    uint8_t closed;      /* TCP is over; the flow lingers (CLOSED_LINGER) */
    /* The first bytes of each side, held until they tell HTTP from MSNP. */
    uint8_t sniff_len[2];
    uint8_t sniff[2][SNIFF_LEN];
    msnp_conn msnp;
    tally tally;
    conn_view view;
    dir_state d[2];
    msnp_txn_tracker txn;
    msnp_txn_slot txn_slots[MSNP_TXN_PENDING_MAX];
    struct conn_state *gw_prev, *gw_next; /* open gateway sessions */
} conn_state;

struct decoder {
    decoder_options opt;
    writer *w;
    msnp_corr *corr;
    gw_demux *gw;
    conn_state *gw_sessions; /* gateway sessions not ended yet */
    flowtable *flows;
    tcp_budget budget;
    holdq q;
    decoder_stats st;
    uint64_t buffered; /* partial-PDU bytes buffered now */
    uint64_t forced_seen; /* budget.c.forced when a gap last looked at it */
    uint8_t gap_forced;   /* the gap being reported is one of those */
    /* --redact: masked copies of what reaches the writer */
    msnp_labeler *labeler;
    scratch_buf rec_copy, ev_copy;
    /* the packet being processed */
    uint64_t frame;
    int64_t sec;
    uint32_t usec;
};

typedef struct sink_ctx {
    decoder *d;
    conn_state *cs;
} sink_ctx;

void decoder_options_default(decoder_options *o)
{
    memset(o, 0, sizeof *o);
    msnp_limits_default(&o->limits);
    o->ports[0] = 1863;
    o->nports = 1;
    o->max_flows = 1u << 16;
    o->max_held_total = TCP_DEFAULT_MAX_TOTAL;
    o->max_held_flow = TCP_DEFAULT_MAX_PER_HALF;
    o->max_buffered_total = 32u << 20;
    o->max_queued_items = HOLD_MAX_ITEMS;
    o->max_queued_bytes = HOLD_MAX_BYTES;
    o->max_gateway_buffered = GW_MAX_BUFFERED;
    msnp_corr_limits_default(&o->corr);
}

/* ---- one memory budget (--max-mem) -------------------------------------- */

/* What one tracked connection costs: its state, the flow with its two
 * retransmission histories, the uncharged start of a partial command per
 * direction (PEND_FLOOR), hash slots and allocator overhead. */
#define FLOW_COST                                                                              \
    (sizeof(conn_state) + sizeof(flow) + 2 * TCP_DEFAULT_HISTORY + 2 * PEND_FLOOR + 128)

/* The correlator's entries are private to libmsnp; these are upper estimates
 * of their sizes (a conversation keeps every participant's handle). */
enum {
    CORR_CONN_COST = 1024,
    CORR_LOGIN_COST = 1024,
    CORR_REFERRAL_COST = 512,
    CORR_SESSION_COST = 6144,
    CORR_INVITE_COST = 1536,
    CORR_PENDING_COST = 2560
};

static uint64_t clamp_u64(uint64_t v, uint64_t lo, uint64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static uint32_t share(uint64_t bytes, uint64_t cost, uint32_t dflt)
{
    return (uint32_t)clamp_u64(bytes / cost, 16, dflt);
}

/* What a partial-PDU buffer of `cap` bytes takes from the shared budget: its
 * first PEND_FLOOR bytes are part of what a connection costs (FLOW_COST), so
 * that connections holding large partial payloads never leave a new one
 * without room for its command lines. */
static uint64_t charged(size_t cap)
{
    return cap > PEND_FLOOR ? cap - PEND_FLOOR : 0;
}

/* The shares of the budget B:
 *   B/4   out-of-order bytes held (--max-held); per direction at most B/32
 *         (--max-held-flow), never above the 1 MiB default
 *   B/4   partial commands buffered; a payload may take a quarter of it
 *         (--max-payload, never above its default)
 *   B/8   connections tracked at once (--max-flows), FLOW_COST each
 *   B/8   correlation: connections, logins, switchboard cookies,
 *         conversations, invitations and messages waiting for their legs
 *   B/16  records waiting for their connection's role
 *   B/16  HTTP gateway heads split over segments
 *   B/8   left for the rest: the copy of the largest command --redact
 *         masks, the views' own tables, allocator overhead.
 * No share goes above the limit's default. */
void decoder_options_budget(decoder_options *o, uint64_t bytes, unsigned keep)
{
    uint64_t ooo = bytes / 4, partial = bytes / 4, flows = bytes / 8, corr = bytes / 8;
    uint64_t queue = bytes / 16, gateway = bytes / 16;
    if (!(keep & DECODER_KEEP_HELD))
        o->max_held_total = clamp_u64(ooo, 0, TCP_DEFAULT_MAX_TOTAL);
    if (!(keep & DECODER_KEEP_HELD_FLOW))
        o->max_held_flow = (uint32_t)clamp_u64(bytes / 32, 16384, TCP_DEFAULT_MAX_PER_HALF);
    o->max_buffered_total = clamp_u64(partial, 65536, 32u << 20);
    if (!(keep & DECODER_KEEP_PAYLOAD))
        o->limits.max_payload =
            (uint32_t)clamp_u64(o->max_buffered_total / 4, 4096, MSNP_DEFAULT_MAX_PAYLOAD);
    if (!(keep & DECODER_KEEP_FLOWS))
        o->max_flows = share(flows, FLOW_COST, 1u << 16);
    msnp_corr_limits *c = &o->corr;
    c->max_conns = share(corr / 4, CORR_CONN_COST, c->max_conns);
    c->max_logins = share(corr / 8, CORR_LOGIN_COST, c->max_logins);
    c->max_referrals = share(corr / 8, CORR_REFERRAL_COST, c->max_referrals);
    c->max_sessions = share(corr / 4, CORR_SESSION_COST, c->max_sessions);
    c->max_invites = share(corr / 8, CORR_INVITE_COST, c->max_invites);
    c->max_pending = share(corr / 16, CORR_PENDING_COST, c->max_pending);
    c->max_pending_bytes = (uint32_t)clamp_u64(corr / 16, 65536, c->max_pending_bytes);
    o->max_queued_bytes = (size_t)clamp_u64(queue / 2, 65536, HOLD_MAX_BYTES);
    /* an item's slot, and the small buffer it keeps when its record leaves */
    o->max_queued_items =
        (size_t)clamp_u64(queue / 2 / (sizeof(held) + HOLDQ_KEEP_MAX), 64, HOLD_MAX_ITEMS);
    o->max_gateway_buffered = (size_t)clamp_u64(gateway, 65536, GW_MAX_BUFFERED);
}

/* ---- rendering and the hold queue --------------------------------------- */

static msnp_parse_ctx final_ctx(const conn_state *cs, int side, uint8_t in_syn_dump)
{
    msnp_parse_ctx ctx;
    msnp_role role = msnp_conn_role(&cs->msnp);
    msnp_dir dir = msnp_conn_dir(&cs->msnp, side);
    ctx.roles = role == MSNP_ROLE_UNKNOWN ? cs->msnp.roles : (uint8_t)role;
    ctx.dirs = dir == MSNP_DIR_UNKNOWN ? MSNP_D_ANY : (uint8_t)dir;
    ctx.in_syn_dump = in_syn_dump;
    ctx.meaning_only = 1; /* the views read the meaning, never the evidence */
    return ctx;
}

static int client_of(const conn_state *cs)
{
    return cs->msnp.client_side >= 0 ? cs->msnp.client_side : 0;
}

/* --redact: the writer gets a masked copy of the record's capture bytes (the
 * same length, so every span stays valid). Returns 0 when there is no memory
 * for the copy (never for what the limits let through: decoder_new made room
 * for it), and the record is then not written: nothing goes out unmasked. */
static int redact_record(decoder *d, record *r, const msnp_parse_ctx *ctx)
{
    msnp_masker m = msnp_labeler_masker(d->labeler);
    if (r->type == REC_COMMAND) {
        uint8_t *c = scratch_room(&d->rec_copy, r->pdu->len);
        if (!c)
            return 0;
        memcpy(c, r->base, r->pdu->len);
        msnp_redact_pdu(ctx, r->cmd, r->pdu, c, &m);
        r->base = c;
    } else if (r->sample && r->sample_len) {
        uint8_t *c = scratch_room(&d->rec_copy, r->sample_len);
        if (!c)
            return 0;
        memcpy(c, r->sample, r->sample_len);
        msnp_redact_bytes(c, r->sample_len, &m);
        r->sample = c;
    }
    return 1;
}

/* Records are rendered in capture order with the connection's settled role
 * and direction: the moment to tell the correlator, which says which login
 * the connection belongs to. */
static void render(decoder *d, record *r, conn_state *cs, uint8_t in_syn_dump)
{
    msnp_command cmd;
    msnp_mime mime; /* cmd and mime stay valid until the writer has the record */
    msnp_corr_note note;
    msnp_parse_ctx ctx = final_ctx(cs, r->side, in_syn_dump);
    if (r->type == REC_COMMAND) {
        /* Parse again only when more is known of the connection now. */
        if (r->parsed && msnp_parse_ctx_same(&r->parsed_ctx, &ctx)) {
            cmd = *r->parsed;
        } else {
            msnp_parse_command(&ctx, r->base, r->pdu, &cmd);
        }
        r->cmd = &cmd;
        /* A switchboard MSG's MIME block, parsed once for the correlator
         * (which reads those) and the views. */
        r->mime = NULL;
        if (msnp_conn_role(&cs->msnp) == MSNP_ROLE_SB && r->pdu->has_payload &&
            r->pdu->tok[0].len == 3 &&
            memcmp(r->base + r->pdu->tok[0].off, "MSG", 3) == 0) {
            msnp_mime_parse(r->base + r->pdu->payload.off, r->pdu->payload.len, &mime);
            r->mime = &mime;
        }
        int client = client_of(cs);
        msnp_corr_cmd in = {cs->view.id,
                            msnp_conn_role(&cs->msnp),
                            msnp_conn_dir(&cs->msnp, r->side),
                            cs->view.endpoint[client],
                            cs->view.endpoint[!client],
                            r->frame,
                            {r->sec, r->usec},
                            r->base,
                            r->pdu,
                            &cmd,
                            r->mime};
        msnp_corr_command(d->corr, &in, &note);
        msnp_txn_line(&cs->txn, in.role, in.dir, r->base, r->pdu, &cmd, r->frame,
                      record_usec(r), &r->txn);
    } else {
        msnp_corr_describe(d->corr, cs->view.id, &note);
    }
    r->sid = note.sid;
    r->challenge = note.challenge;
    if (!d->opt.redact || redact_record(d, r, &ctx))
        d->w->record(d->w, r);
    if (r->type == REC_CONNECTION)
        msnp_corr_conn_end(d->corr, cs->view.id, (msnp_time){r->sec, r->usec});
}

static void on_event(void *ctx, const msnp_event *ev)
{
    decoder *d = ctx;
    if (!d->w->event)
        return;
    if (!d->opt.redact) {
        d->w->event(d->w, ev);
        return;
    }
    /* The same masking as the records': the message's payload, and the
     * AuthCookie an invitation's summary repeats. */
    msnp_masker m = msnp_labeler_masker(d->labeler);
    msnp_event masked = *ev;
    msnp_invite_info invite;
    if (ev->payload && ev->payload_len) {
        uint8_t *c = scratch_room(&d->ev_copy, ev->payload_len);
        if (!c)
            return;
        memcpy(c, ev->payload, ev->payload_len);
        msnp_redact_payload(c, ev->payload_len, &m);
        masked.payload = c;
    }
    if (ev->invite) {
        invite = *ev->invite;
        size_t n = strlen(invite.auth_cookie);
        if (n)
            m.mask(m.ctx, (uint8_t *)invite.auth_cookie, n);
        masked.invite = &invite;
    }
    d->w->event(d->w, &masked);
}

static void free_conn_if_done(decoder *d, conn_state *cs)
{
    if (cs->finished && !cs->flow && cs->held == 0 && !cs->pinned) {
        for (int s = 0; s < 2; s++) {
            d->buffered -= charged(cs->d[s].cap); /* back to the shared budget */
            free(cs->d[s].pend);
        }
        gw_carrier_free(d->gw, cs->carrier);
        free(cs);
    }
}

static void drain(decoder *d, int force)
{
    held *h;
    while ((h = holdq_front(&d->q)) != NULL) {
        conn_state *cs = h->conn;
        if (cs->msnp.detect != MSNP_DETECT_NO && !msnp_conn_settled(&cs->msnp)) {
            if (!force && !holdq_over_limit(&d->q) && !cs->finished)
                break;
            msnp_conn_settle(&cs->msnp);
        }
        if (cs->msnp.detect != MSNP_DETECT_NO) {
            record r;
            memset(&r, 0, sizeof r);
            r.type = h->type;
            r.conn = &cs->view;
            r.side = h->side;
            r.frame = h->frame;
            r.sec = h->sec;
            r.usec = h->usec;
            r.base = h->bytes;
            r.pdu = &h->pdu;
            r.parsed = h->has_parsed ? &h->parsed : NULL;
            r.parsed_ctx = h->parsed_ctx;
            r.kind = h->kind;
            r.detail = h->detail;
            r.bytes = h->count;
            r.sample = h->type == REC_COMMAND ? NULL : h->bytes;
            r.sample_len = h->type == REC_COMMAND ? 0 : h->nbytes;
            r.first_frame = h->first_frame;
            r.blocks = h->blocks;
            r.aborted = h->aborted;
            render(d, &r, cs, h->in_syn_dump);
        }
        holdq_pop(&d->q);
        cs->held--;
        free_conn_if_done(d, cs);
    }
}

/* Every record goes through here: written now when its connection is settled
 * and nothing waits before it, else queued. */
static void emit(decoder *d, conn_state *cs, record *r, uint8_t in_syn_dump)
{
    if (cs->msnp.detect == MSNP_DETECT_NO)
        return;
    r->conn = &cs->view;
    if (d->q.count == 0 && msnp_conn_settled(&cs->msnp)) {
        render(d, r, cs, in_syn_dump);
        return;
    }
    if (holdq_push(&d->q, r, cs, in_syn_dump) != 0) {
        /* Out of memory: settle and write rather than lose the record. */
        drain(d, 1);
        msnp_conn_settle(&cs->msnp);
        if (cs->msnp.detect != MSNP_DETECT_NO)
            render(d, r, cs, in_syn_dump);
        return;
    }
    cs->held++;
    if (d->q.count > d->st.queue_peak)
        d->st.queue_peak = d->q.count;
    if (holdq_over_limit(&d->q))
        drain(d, 0);
}

/* A record of `side`, stamped with the packet being processed. */
static record new_record(const decoder *d, rec_type type, int side)
{
    record r;
    memset(&r, 0, sizeof r);
    r.type = type;
    r.side = side;
    r.frame = d->frame;
    r.sec = d->sec;
    r.usec = d->usec;
    return r;
}

static void anomaly(decoder *d, conn_state *cs, int side, const char *kind, const char *detail,
                    uint64_t bytes, const uint8_t *sample, size_t sample_len)
{
    record r = new_record(d, REC_ANOMALY, side);
    r.kind = kind;
    r.detail = detail;
    r.bytes = bytes;
    r.sample = sample;
    r.sample_len = (uint32_t)sample_len;
    cs->view.dir[side].anomalies++;
    TALLY(d, cs, anomalies, 1);
    emit(d, cs, &r, 0);
}

/* ---- runs: skipped bytes and MSNFTP data -------------------------------- */

static void flush_skip(decoder *d, conn_state *cs, int side)
{
    dir_state *ds = &cs->d[side];
    if (!ds->skip_bytes)
        return;
    char detail[160];
    snprintf(detail, sizeof detail,
             "%llu bytes skipped: no MSNP command starts there (resynchronised at the next "
             "command line)",
             (unsigned long long)ds->skip_bytes);
    record r = new_record(d, REC_ANOMALY, side);
    r.frame = ds->skip_frame;
    r.sec = ds->skip_sec;
    r.usec = ds->skip_usec;
    r.kind = "skipped";
    r.detail = detail;
    r.bytes = ds->skip_bytes;
    r.sample = ds->skip_sample;
    r.sample_len = ds->skip_sample_len;
    cs->view.dir[side].anomalies++;
    TALLY(d, cs, anomalies, 1);
    ds->skip_bytes = 0;
    ds->skip_sample_len = 0;
    emit(d, cs, &r, 0);
}

static void add_skip(decoder *d, conn_state *cs, int side, const uint8_t *p, size_t n)
{
    dir_state *ds = &cs->d[side];
    if (ds->skip_bytes == 0) {
        ds->skip_frame = d->frame;
        ds->skip_sec = d->sec;
        ds->skip_usec = d->usec;
    }
    size_t room = SKIP_SAMPLE - ds->skip_sample_len;
    size_t k = n < room ? n : room;
    memcpy(ds->skip_sample + ds->skip_sample_len, p, k);
    ds->skip_sample_len += (uint32_t)k;
    ds->skip_bytes += n;
    cs->view.dir[side].skipped += n;
    TALLY(d, cs, skipped_bytes, n);
    msnp_conn_skipped(&cs->msnp, side, n);
}

static void flush_blocks(decoder *d, conn_state *cs, int side, int aborted)
{
    dir_state *ds = &cs->d[side];
    if (!ds->blocks)
        return;
    record r = new_record(d, REC_DATA, side);
    r.frame = ds->block_last;
    r.sec = ds->block_sec;
    r.usec = ds->block_usec;
    r.first_frame = ds->block_first;
    r.blocks = ds->blocks;
    r.bytes = ds->block_bytes;
    r.aborted = aborted;
    ds->blocks = 0;
    ds->block_bytes = 0;
    emit(d, cs, &r, 0);
}

static void flush_runs(decoder *d, conn_state *cs, int side)
{
    flush_skip(d, cs, side);
    flush_blocks(d, cs, side, 0);
}

/* ---- PDUs --------------------------------------------------------------- */

static void command_anomalies(decoder *d, conn_state *cs, int side, const uint8_t *base,
                              const msnp_pdu *p, const msnp_command *cmd)
{
    char detail[200];
    size_t line = p->line_len < LINE_SAMPLE ? p->line_len : LINE_SAMPLE;
    if (p->anomaly == MSNP_ANOM_PAYLOAD_TOO_LONG) {
        TALLY(d, cs, oversize, 1);
        snprintf(detail, sizeof detail,
                 "announced payload of %llu bytes exceeds the limit of %u bytes; skipped to the "
                 "next command line",
                 (unsigned long long)p->declared, d->opt.limits.max_payload);
        anomaly(d, cs, side, "oversize", detail, p->declared, base, line);
    } else if (p->anomaly == MSNP_ANOM_BAD_BLOCK) {
        anomaly(d, cs, side, "bad_block",
                "a command line came where MSNFTP file data was expected (the transfer "
                "stopped before the size FIL announced)",
                0, base, line);
    } else if (p->anomaly == MSNP_ANOM_BAD_LENGTH) {
        anomaly(d, cs, side, "bad_length",
                "payload command whose length is not a decimal number; skipped to the next "
                "command line",
                0, base, line);
    }
    if (cmd->issues & MSNP_PI_UNKNOWN_COMMAND) {
        TALLY(d, cs, unknown_commands, 1);
        anomaly(d, cs, side, "unknown_command",
                "command not in MSNP8 nor in any later version msnpdump knows", 0, base, line);
    } else if (cmd->issues & MSNP_PI_NO_FORM) {
        anomaly(d, cs, side, "unexpected_syntax",
                cmd->form ? "valid only for another connection role or direction"
                          : "arguments fit none of the command's known forms",
                0, base, line);
    }
    if (cmd->issues & MSNP_PI_UNKNOWN_ERROR)
        anomaly(d, cs, side, "unknown_error_code", "error code not in the error table", 0, base,
                line);
    if (cmd->issues & MSNP_PI_LEN_POSITION)
        anomaly(d, cs, side, "length_position",
                "payload length is not the token MSNP8 puts it in", 0, base, line);
    if (p->irregular_spacing)
        anomaly(d, cs, side, "irregular_spacing",
                "leading, trailing or repeated spaces between tokens", 0, base, line);
}

static void on_command(decoder *d, conn_state *cs, int side, const uint8_t *base,
                       const msnp_pdu *p)
{
    flush_runs(d, cs, side);
    uint8_t in_syn = cs->msnp.side[side].in_syn_dump;
    msnp_parse_ctx ctx = msnp_conn_ctx(&cs->msnp, side);
    msnp_command cmd;
    msnp_conn_command(&cs->msnp, side, base, p, &cmd);
    cs->view.dir[side].commands++;
    TALLY(d, cs, commands, 1);
    record r = new_record(d, REC_COMMAND, side);
    r.base = base;
    r.pdu = p;
    r.parsed = &cmd;
    r.parsed_ctx = ctx;
    emit(d, cs, &r, in_syn);
    command_anomalies(d, cs, side, base, p, &cmd);
}

static void on_block(decoder *d, conn_state *cs, int side, const uint8_t *base,
                     const msnp_pdu *p)
{
    dir_state *ds = &cs->d[side];
    flush_skip(d, cs, side);
    if (ds->blocks == 0)
        ds->block_first = d->frame;
    ds->blocks++;
    ds->block_bytes += p->payload.len;
    ds->block_last = d->frame;
    ds->block_sec = d->sec;
    ds->block_usec = d->usec;
    cs->view.dir[side].ftp_blocks++;
    cs->view.dir[side].ftp_bytes += p->payload.len;
    int client = client_of(cs);
    if (p->block_type == 1)
        msnp_corr_ftp_abort(d->corr, cs->view.id);
    else
        msnp_corr_ftp_data(d->corr, cs->view.id, cs->view.endpoint[client],
                           cs->view.endpoint[!client], base + p->payload.off, p->payload.len);
    if (d->opt.ftp_data && p->block_type == 0)
        d->opt.ftp_data(d->opt.ftp_ctx, cs->view.id, base + p->payload.off, p->payload.len);
    d->st.ftp_blocks++;
    if (p->anomaly == MSNP_ANOM_BLOCK_OVERRUN) {
        char detail[160];
        snprintf(detail, sizeof detail,
                 "MSNFTP block of %u bytes: longer than 2045 bytes or than the file size FIL "
                 "announced",
                 p->payload.len);
        anomaly(d, cs, side, "block_overrun", detail, p->payload.len, NULL, 0);
    }
    if (p->block_type == 1)
        flush_blocks(d, cs, side, 1);
}

static void on_pdu(decoder *d, conn_state *cs, int side, const uint8_t *base, msnp_frame_result res,
                   const msnp_pdu *p)
{
    if (p->kind == MSNP_PDU_COMMAND) {
        on_command(d, cs, side, base, p);
        return;
    }
    if (p->kind == MSNP_PDU_FTP_BLOCK) {
        on_block(d, cs, side, base, p);
        return;
    }
    if (p->kind == MSNP_PDU_PAYLOAD_TAIL)
        return; /* the end of a payload reported at its gap */
    /* Skipped bytes. */
    if (p->anomaly == MSNP_ANOM_NOT_MSNP) {
        add_skip(d, cs, side, base, p->len);
        return;
    }
    flush_runs(d, cs, side);
    cs->view.dir[side].skipped += p->len;
    TALLY(d, cs, skipped_bytes, p->len);
    msnp_conn_skipped(&cs->msnp, side, p->len);
    size_t line = p->line_len < LINE_SAMPLE ? p->line_len : LINE_SAMPLE;
    if (p->anomaly == MSNP_ANOM_MALFORMED) {
        TALLY(d, cs, malformed, 1);
        /* Not counted as a strike by msnp_conn: a text protocol that is not
         * MSNP gives up detection through its skipped bytes. */
        anomaly(d, cs, side, "malformed",
                p->line_len == 0 ? "empty line; skipped"
                                 : "line without MSNP command syntax; skipped to the next "
                                   "command line",
                p->len, base, line);
    } else {
        char detail[160];
        TALLY(d, cs, oversize, 1);
        snprintf(detail, sizeof detail,
                 "no line end within %u bytes; skipped to the next command line",
                 d->opt.limits.max_line);
        (void)res;
        anomaly(d, cs, side, "oversize", detail, p->len, base, line);
    }
}

/* ---- bytes in order from TCP -------------------------------------------- */

/* Room for `want` bytes of partial PDU. Fails when memory or the decoder's
 * budget for partial PDUs (all connections together) runs out. */
static int reserve(decoder *d, dir_state *ds, size_t want)
{
    if (want <= ds->cap)
        return 0;
    size_t ncap = ds->cap ? ds->cap : 256;
    while (ncap < want)
        ncap *= 2;
    if (d->buffered - charged(ds->cap) + charged(ncap) > d->opt.max_buffered_total)
        return -1;
    uint8_t *n = realloc(ds->pend, ncap);
    if (!n)
        return -1;
    d->buffered += charged(ncap) - charged(ds->cap);
    if (d->buffered > d->st.buffered_peak)
        d->st.buffered_peak = d->buffered;
    ds->pend = n;
    ds->cap = ncap;
    return 0;
}

static void shrink(decoder *d, dir_state *ds)
{
    /* Give back the memory of a large payload once it is framed. */
    if (ds->len == 0 && ds->cap > 65536) {
        d->buffered -= charged(ds->cap);
        free(ds->pend);
        ds->pend = NULL;
        ds->cap = 0;
    }
}

/* Frame PDUs at the start of buf; returns bytes consumed (the rest is an
 * incomplete PDU). */
static size_t frame_all(decoder *d, conn_state *cs, int side, const uint8_t *buf, size_t n)
{
    dir_state *ds = &cs->d[side];
    size_t off = 0;
    while (off < n && cs->msnp.detect != MSNP_DETECT_NO) {
        msnp_pdu p;
        msnp_frame_result r = msnp_framer_next(&ds->framer, buf + off, n - off, &p);
        if (r == MSNP_NEED_MORE) {
            ds->need = p.need;
            break;
        }
        on_pdu(d, cs, side, buf + off, r, &p);
        off += p.len;
    }
    if (cs->msnp.detect == MSNP_DETECT_NO)
        return n;
    return off;
}

/* No room to buffer a partial PDU: report it (the pending bytes, or the new
 * ones) lost and resynchronise. */
static void lose_partial(decoder *d, conn_state *cs, int side, const uint8_t *extra,
                         size_t extra_len)
{
    dir_state *ds = &cs->d[side];
    const uint8_t *sample = ds->len ? ds->pend : extra;
    size_t lost = ds->len + extra_len;
    size_t have = ds->len ? ds->len : extra_len;
    size_t shown = have < LINE_SAMPLE ? have : LINE_SAMPLE;
    char detail[200];
    snprintf(detail, sizeof detail,
             "a partial command of %zu bytes dropped: the memory for partial commands "
             "(%llu bytes, all connections) is used up; resuming at the next command line",
             lost, (unsigned long long)d->opt.max_buffered_total);
    TALLY(d, cs, truncated, 1);
    anomaly(d, cs, side, "truncated", detail, lost, sample, shown);
    ds->len = 0;
    shrink(d, ds);
    msnp_framer_gap(&ds->framer);
}

/* The first data of a connection is HTTP: carry on as a gateway carrier
 * (until it shows it is plain HTTP). `side` sent it. */
static void start_carrier(decoder *d, conn_state *cs, int side, const uint8_t *p)
{
    cs->carrier = gw_carrier_new(d->gw, cs);
    if (!cs->carrier)
        return; /* out of memory: decoded as it comes, most likely skipped */
    cs->view.kind = CONN_GW_CARRIER;
    if (!cs->msnp.client_sure)
        msnp_conn_set_client(&cs->msnp, memcmp(p, "HTTP/", 5) == 0 ? !side : side);
    cs->msnp.detect = MSNP_DETECT_YES;
    cs->msnp.forced = 1;
}

/* Plain HTTP: not MSNP at all. */
static void stop_carrier(decoder *d, conn_state *cs)
{
    gw_carrier_free(d->gw, cs->carrier);
    cs->carrier = NULL;
    cs->view.kind = CONN_TCP;
    cs->msnp.detect = MSNP_DETECT_NO;
}

static void feed_decided(decoder *d, conn_state *cs, int side, const uint8_t *p, size_t n);

/* Is the connection HTTP (a gateway carrier, perhaps) or MSNP? Decided from
 * the first bytes: `side`'s are sniff, or none when the caller must decide
 * now (a gap, the end). The bytes held so far are then decoded. */
static void decide(decoder *d, conn_state *cs, int side, int http)
{
    cs->decided = 1;
    if (http)
        start_carrier(d, cs, side, cs->sniff[side]);
    for (int s = 0; s < 2; s++) {
        size_t k = cs->sniff_len[s];
        cs->sniff_len[s] = 0;
        if (k)
            feed_decided(d, cs, s, cs->sniff[s], k);
    }
}

static void decide_now(decoder *d, conn_state *cs)
{
    if (!cs->decided)
        decide(d, cs, 0, 0);
}

static void feed(decoder *d, conn_state *cs, int side, const uint8_t *p, size_t n)
{
    cs->view.dir[side].bytes += n;
    if (!cs->decided) {
        size_t have = cs->sniff_len[side], take = SNIFF_LEN - have;
        if (take > n)
            take = n;
        memcpy(cs->sniff[side] + have, p, take);
        cs->sniff_len[side] = (uint8_t)(have + take);
        int http = gw_looks_like_http(cs->sniff[side], cs->sniff_len[side]);
        if (http < 0 && take == n)
            return; /* too short to tell yet */
        decide(d, cs, side, http > 0);
        p += take;
        n -= take;
    }
    feed_decided(d, cs, side, p, n);
}

static void feed_decided(decoder *d, conn_state *cs, int side, const uint8_t *p, size_t n)
{
    dir_state *ds = &cs->d[side];
    if (cs->msnp.detect == MSNP_DETECT_NO || n == 0)
        return;
    if (cs->carrier) {
        if (gw_carrier_feed(d->gw, cs->carrier, side, p, n) != 0)
            stop_carrier(d, cs);
        return;
    }
    if (!ds->started) {
        msnp_framer_init(&ds->framer, &d->opt.limits,
                         cs->syn_seen[side] ? MSNP_START_AT_COMMAND : MSNP_START_MIDSTREAM);
        ds->started = 1;
    }
    /* Complete the pending PDU first, copying no more than it needs. */
    while (ds->len > 0 && n > 0) {
        size_t take = n;
        if (ds->need > 1) {
            if (take > ds->need)
                take = (size_t)ds->need;
        } else {
            const uint8_t *lf = memchr(p, '\n', n);
            if (lf)
                take = (size_t)(lf - p) + 1;
        }
        if (reserve(d, ds, ds->len + take) != 0) {
            lose_partial(d, cs, side, NULL, 0);
            break;
        }
        memcpy(ds->pend + ds->len, p, take);
        ds->len += take;
        p += take;
        n -= take;
        ds->need = 0;
        size_t used = frame_all(d, cs, side, ds->pend, ds->len);
        memmove(ds->pend, ds->pend + used, ds->len - used);
        ds->len -= used;
        shrink(d, ds);
    }
    if (n == 0 || cs->msnp.detect == MSNP_DETECT_NO)
        return;
    size_t used = frame_all(d, cs, side, p, n);
    if (used < n) {
        if (reserve(d, ds, n - used) != 0) {
            lose_partial(d, cs, side, p + used, n - used);
            return;
        }
        memcpy(ds->pend, p + used, n - used);
        ds->len = n - used;
    }
}

static void drop_partial(decoder *d, conn_state *cs, int side, const char *why)
{
    dir_state *ds = &cs->d[side];
    if (ds->len == 0)
        return;
    char detail[200];
    snprintf(detail, sizeof detail, "%s inside a command or payload: %zu bytes of it dropped", why,
             ds->len);
    TALLY(d, cs, truncated, 1);
    size_t sample = ds->len < LINE_SAMPLE ? ds->len : LINE_SAMPLE;
    const uint8_t *lf = memchr(ds->pend, '\n', sample);
    if (lf)
        sample = (size_t)(lf - ds->pend);
    anomaly(d, cs, side, "truncated", detail, ds->len, ds->pend, sample);
    ds->len = 0;
    shrink(d, ds);
}

static void sink_data(void *ctx, int side, const uint8_t *p, size_t n, uint64_t frame)
{
    sink_ctx *sc = ctx;
    (void)frame;
    feed(sc->d, sc->cs, side, p, n);
}

/* Bytes missing from one direction of a connection's stream. */
static void conn_gap(decoder *d, conn_state *cs, int side, uint64_t missing)
{
    decide_now(d, cs);
    cs->view.dir[side].gaps++;
    cs->view.dir[side].gap_bytes += missing;
    TALLY(d, cs, gaps, 1);
    TALLY(d, cs, gap_bytes, missing);
    if (cs->msnp.detect == MSNP_DETECT_NO)
        return;
    dir_state *ds = &cs->d[side];
    char detail[320];
    const char *why = d->gap_forced ? " (or not there yet when the memory for out-of-order bytes, "
                                      "--max-held and --max-held-flow, ran out)"
                                    : "";
    msnp_pdu p;
    if (cs->carrier) {
        gw_carrier_gap(d->gw, cs->carrier, side, missing);
        snprintf(detail, sizeof detail,
                 "%llu bytes missing from the capture%s; the gateway sessions it carried lose "
                 "them too",
                 (unsigned long long)missing, why);
        anomaly(d, cs, side, "gap", detail, missing, NULL, 0);
        return;
    }
    if (ds->started && ds->len > 0 &&
        msnp_framer_gap_in_pdu(&ds->framer, ds->pend, ds->len, missing, &p)) {
        /* The gap falls inside a payload whose command line is complete: the
         * command is still reported, and its length keeps the stream in step. */
        on_pdu(d, cs, side, ds->pend, MSNP_PDU, &p);
        ds->len = 0;
        shrink(d, ds);
        snprintf(detail, sizeof detail,
                 "%llu bytes missing from the capture%s, %llu of them inside the payload of the "
                 "command before; decoding continues after that payload",
                 (unsigned long long)missing, why, (unsigned long long)p.missing);
        anomaly(d, cs, side, "gap", detail, missing, NULL, 0);
        return;
    }
    flush_runs(d, cs, side);
    drop_partial(d, cs, side, "gap");
    if (ds->started)
        msnp_framer_gap(&ds->framer);
    snprintf(detail, sizeof detail,
             "%llu bytes missing from the capture%s; decoding resumes at the next command line",
             (unsigned long long)missing, why);
    anomaly(d, cs, side, "gap", detail, missing, NULL, 0);
}

static void sink_gap(void *ctx, int side, uint64_t missing, uint64_t frame)
{
    sink_ctx *sc = ctx;
    decoder *d = sc->d;
    (void)frame;
    /* The reassembler gave up waiting because its budget ran out. */
    d->gap_forced = d->budget.c.forced != d->forced_seen;
    d->forced_seen = d->budget.c.forced;
    conn_gap(d, sc->cs, side, missing);
    d->gap_forced = 0;
}

static void sink_end(void *ctx, int side, int reason, uint64_t frame)
{
    sink_ctx *sc = ctx;
    (void)reason;
    (void)frame;
    conn_state *cs = sc->cs;
    if (cs->d[side].ended)
        return;
    decide_now(sc->d, cs);
    cs->d[side].ended = 1;
    if (cs->msnp.detect == MSNP_DETECT_NO)
        return;
    if (cs->carrier) {
        gw_carrier_end(sc->d->gw, cs->carrier, side);
        return;
    }
    flush_runs(sc->d, cs, side);
    drop_partial(sc->d, cs, side, "the stream ended");
}

static const tcp_sink sink = {sink_data, sink_gap, sink_end};

/* ---- connections -------------------------------------------------------- */

static int is_msnp_port(const decoder *d, uint16_t port)
{
    for (size_t i = 0; i < d->opt.nports; i++)
        if (d->opt.ports[i] == port)
            return 1;
    return 0;
}

static conn_state *conn_new(decoder *d, flow *f, const tcp_segment *s)
{
    conn_state *cs = calloc(1, sizeof *cs);
    if (!cs)
        return NULL;
    cs->flow = f;
    msnp_conn_init(&cs->msnp);
    msnp_txn_init(&cs->txn, cs->txn_slots, MSNP_TXN_PENDING_MAX);
    cs->view.msnp = &cs->msnp;
    cs->view.id = f->id;
    snprintf(cs->view.uid, sizeof cs->view.uid, "C%llu", (unsigned long long)f->id);
    /* Side 0 is the sender of the first packet the flow table saw. */
    net_format_endpoint(&s->src, s->sport, cs->view.endpoint[0], sizeof cs->view.endpoint[0]);
    net_format_endpoint(&s->dst, s->dport, cs->view.endpoint[1], sizeof cs->view.endpoint[1]);
    int p0 = is_msnp_port(d, s->sport), p1 = is_msnp_port(d, s->dport);
    if (p0 != p1)
        msnp_conn_hint_server(&cs->msnp, p0 ? 0 : 1);
    cs->view.first_frame = d->frame;
    cs->view.first_sec = d->sec;
    cs->view.first_usec = d->usec;
    d->st.tcp_conns++;
    return cs;
}

static unsigned role_index(msnp_role r)
{
    switch (r) {
    case MSNP_ROLE_DS:
        return 1;
    case MSNP_ROLE_NS:
        return 2;
    case MSNP_ROLE_SB:
        return 3;
    case MSNP_ROLE_FTP:
        return 4;
    default:
        return 0;
    }
}

static void untally(decoder *d, const conn_state *cs)
{
    const tally *t = &cs->tally;
    d->st.commands -= t->commands;
    d->st.anomalies -= t->anomalies;
    d->st.gaps -= t->gaps;
    d->st.gap_bytes -= t->gap_bytes;
    d->st.malformed -= t->malformed;
    d->st.skipped_bytes -= t->skipped_bytes;
    d->st.oversize -= t->oversize;
    d->st.truncated -= t->truncated;
    d->st.unknown_commands -= t->unknown_commands;
}

/* Both directions are over (or the flow is dropped): settle the connection
 * and report it. The state lives on while its records wait in the queue. */
static void conn_finish(decoder *d, conn_state *cs, conn_end end)
{
    if (cs->finished)
        return;
    decide_now(d, cs);
    /* The gateway's Server=NS opens a notification-server session; only
     * its lines could show it to be a dispatch server. */
    if (cs->view.kind == CONN_GW_SESSION && cs->msnp.roles == MSNP_R_NSDS)
        cs->msnp.roles = MSNP_R_NS;
    for (int s = 0; s < 2; s++) {
        if (cs->msnp.detect != MSNP_DETECT_NO && cs->d[s].started) {
            flush_runs(d, cs, s);
            drop_partial(d, cs, s, "the stream ended");
        }
    }
    if (!msnp_conn_settled(&cs->msnp))
        msnp_conn_settle(&cs->msnp);
    cs->view.end = end;
    if (cs->msnp.detect == MSNP_DETECT_NO) {
        /* A gateway session whose bodies are not MSNP is no TCP connection:
         * its carrier is counted as one. */
        if (cs->view.kind != CONN_GW_SESSION)
            d->st.other_conns++;
        untally(d, cs);
    } else {
        unsigned role = role_index(msnp_conn_role(&cs->msnp));
        if (cs->view.kind == CONN_GW_CARRIER) {
            d->st.gw_carriers++;
        } else if (cs->view.kind == CONN_GW_SESSION) {
            d->st.gw_sessions++;
            d->st.gw_role_sessions[role]++;
        } else {
            d->st.msnp_conns++;
            d->st.role_conns[role]++;
        }
        record r = new_record(d, REC_CONNECTION, 0);
        r.frame = cs->view.last_frame;
        r.sec = cs->view.last_sec;
        r.usec = cs->view.last_usec;
        emit(d, cs, &r, 0);
    }
    cs->finished = 1;
    drain(d, 0);
}

static void flow_close(decoder *d, flow *f, int reason, conn_end end)
{
    conn_state *cs = f->app;
    if (!cs->closed) {
        sink_ctx sc = {d, cs};
        for (int s = 0; s < 2; s++)
            tcp_half_close(&f->half[s], reason, d->frame, &sink, &sc);
        conn_finish(d, cs, end);
    }
    for (int s = 0; s < 2; s++)
        tcp_half_discard(&f->half[s]);
    cs->flow = NULL;
    flowtable_remove(d->flows, f);
    free_conn_if_done(d, cs);
}

/* TCP says the connection is over: report it now, keep the flow a while. */
static void flow_done(decoder *d, flow *f, conn_end end)
{
    conn_state *cs = f->app;
    conn_finish(d, cs, end);
    for (int s = 0; s < 2; s++)
        tcp_half_discard(&f->half[s]);
    cs->closed = 1;
    cs->closed_at = d->sec;
}

/* Only a SYN or data starts tracking a connection: a stray ACK, FIN or RST
 * of a connection we never saw carries nothing to decode. */
static int starts_flow(const tcp_segment *s)
{
    if (s->flags & TCP_RST)
        return 0;
    return (s->flags & TCP_SYN) || s->payload_len > 0;
}

/* A connection dropped to stay within a limit: said where it happens. */
static void evicted(decoder *d, conn_state *cs, const char *what, size_t limit, const char *then)
{
    char detail[240];
    snprintf(detail, sizeof detail,
             "connection dropped to stay within %zu %s tracked at once (--max-flows, --max-mem): "
             "what it still held is reported lost, and %s",
             limit, what, then);
    anomaly(d, cs, client_of(cs), "evicted", detail, 0, NULL, 0);
}

static flow *flow_for(decoder *d, const tcp_segment *s, int *side)
{
    int created = 0;
    flow *f = flowtable_get(d->flows, s, side, starts_flow(s), &created);
    if (!f && starts_flow(s)) {
        flow *old = flowtable_oldest(d->flows);
        if (!old)
            return NULL;
        conn_state *ocs = old->app;
        if (!ocs->closed) {
            d->st.evicted++;
            evicted(d, ocs, "TCP connections", d->opt.max_flows, "its later packets start a new "
                                                                "connection");
        }
        flow_close(d, old, TCP_END_IDLE, END_EVICTED);
        f = flowtable_get(d->flows, s, side, 1, &created);
    }
    if (!f) {
        /* A bare ACK of a connection we never saw is normal in a capture
         * taken mid-session; a FIN or RST is worth counting. */
        if (s->flags & (TCP_FIN | TCP_RST))
            d->st.stray_packets++;
        return NULL;
    }
    if (created) {
        for (int k = 0; k < 2; k++)
            tcp_half_init(&f->half[k], k, &d->budget);
        f->app = conn_new(d, f, s);
        if (!f->app) {
            flowtable_remove(d->flows, f);
            return NULL;
        }
    }
    return f;
}

/* Forget connections that finished long enough ago. */
static void expire_closed(decoder *d)
{
    flow *f;
    while ((f = flowtable_oldest(d->flows)) != NULL) {
        conn_state *cs = f->app;
        if (!cs->closed || d->sec - cs->closed_at < CLOSED_LINGER)
            break;
        flow_close(d, f, TCP_END_IDLE, END_FIN);
    }
}

/* ---- MSNP sessions over the HTTP gateway -------------------------------- */

static void *gw_open(void *ctx, void *carrier, const char *server, const char *host, int opened)
{
    decoder *d = ctx;
    const conn_state *car = carrier;
    conn_state *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    msnp_conn_init(&s->msnp);
    msnp_txn_init(&s->txn, s->txn_slots, MSNP_TXN_PENDING_MAX);
    /* Side 0 is the client: request bodies; side 1 the server: responses. */
    msnp_conn_set_client(&s->msnp, 0);
    if (!strcmp(server, "NS"))
        s->msnp.roles = MSNP_R_NSDS;
    else if (!strcmp(server, "SB"))
        s->msnp.roles = MSNP_R_SB;
    s->view.msnp = &s->msnp;
    s->view.kind = CONN_GW_SESSION;
    s->decided = 1;
    s->view.id = flowtable_take_id(d->flows);
    snprintf(s->view.uid, sizeof s->view.uid, "C%llu", (unsigned long long)s->view.id);
    snprintf(s->view.gw_server, sizeof s->view.gw_server, "%s", server);
    snprintf(s->view.gw_host, sizeof s->view.gw_host, "%s", host);
    int client = client_of(car);
    memcpy(s->view.endpoint[0], car->view.endpoint[client], sizeof s->view.endpoint[0]);
    memcpy(s->view.endpoint[1], car->view.endpoint[!client], sizeof s->view.endpoint[1]);
    /* A session seen from its opening starts at a command line. */
    s->syn_seen[0] = s->syn_seen[1] = (uint8_t)opened;
    s->view.first_frame = s->view.last_frame = d->frame;
    s->view.first_sec = s->view.last_sec = d->sec;
    s->view.first_usec = s->view.last_usec = d->usec;
    s->gw_next = d->gw_sessions;
    if (d->gw_sessions)
        d->gw_sessions->gw_prev = s;
    d->gw_sessions = s;
    return s;
}

static void gw_touch(decoder *d, conn_state *s)
{
    s->view.last_frame = d->frame;
    s->view.last_sec = d->sec;
    s->view.last_usec = d->usec;
}

static void gw_data(void *ctx, void *session, int from_client, const uint8_t *p, size_t n)
{
    decoder *d = ctx;
    gw_touch(d, session);
    feed(d, session, from_client ? 0 : 1, p, n);
}

static void gw_gap(void *ctx, void *session, int from_client, uint64_t missing)
{
    decoder *d = ctx;
    gw_touch(d, session);
    conn_gap(d, session, from_client ? 0 : 1, missing);
}

static void gw_end_session(decoder *d, conn_state *s, conn_end end)
{
    if (s->gw_prev)
        s->gw_prev->gw_next = s->gw_next;
    else
        d->gw_sessions = s->gw_next;
    if (s->gw_next)
        s->gw_next->gw_prev = s->gw_prev;
    s->gw_prev = s->gw_next = NULL;
    for (int side = 0; side < 2; side++)
        if (s->d[side].started && s->msnp.detect != MSNP_DETECT_NO) {
            flush_runs(d, s, side);
            drop_partial(d, s, side, "the gateway session ended");
        }
    s->pinned = 1; /* conn_finish drains the queue, which frees what is done */
    conn_finish(d, s, end);
    s->pinned = 0;
    free_conn_if_done(d, s);
}

static void gw_close(void *ctx, void *session, int was_evicted)
{
    decoder *d = ctx;
    if (was_evicted) {
        d->st.evicted++;
        evicted(d, session, "HTTP gateway sessions", d->opt.max_flows,
                "its later requests start a new session");
    }
    gw_end_session(d, session, was_evicted ? END_EVICTED : END_FIN);
}

static void gw_anomaly(void *ctx, void *carrier, int side, const char *kind, const char *detail,
                       uint64_t bytes, const uint8_t *sample, size_t sample_len)
{
    anomaly(ctx, carrier, side, kind, detail, bytes, sample, sample_len);
}

/* ---- packets ------------------------------------------------------------ */

decoder *decoder_new(const decoder_options *opt, writer *w)
{
    decoder *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->opt = *opt;
    d->w = w;
    d->flows = flowtable_new(opt->max_flows);
    if (!d->flows) {
        free(d);
        return NULL;
    }
    tcp_budget_init(&d->budget);
    d->budget.max_total = opt->max_held_total;
    d->budget.max_per_half = opt->max_held_flow;
    holdq_init(&d->q, opt->max_queued_items, opt->max_queued_bytes);
    d->corr = msnp_corr_new(&opt->corr, w->event ? on_event : NULL, d);
    gw_callbacks cb = {d, gw_open, gw_data, gw_gap, gw_close, gw_anomaly};
    d->gw = gw_demux_new(&cb, opt->max_flows, opt->max_gateway_buffered);
    int redact_ok = 1;
    if (opt->redact) {
        /* Room for the largest command and payload now, so that no record
         * or event is ever left out for want of memory to mask it. */
        size_t largest = (size_t)opt->limits.max_line + 2 + opt->limits.max_payload;
        d->labeler = msnp_labeler_new(REDACT_LABELS);
        redact_ok = d->labeler && scratch_room(&d->rec_copy, largest) &&
                    scratch_room(&d->ev_copy, opt->limits.max_payload + 1);
    }
    if (!d->corr || !d->gw || !redact_ok) {
        scratch_free(&d->rec_copy);
        scratch_free(&d->ev_copy);
        msnp_labeler_free(d->labeler);
        msnp_corr_free(d->corr);
        gw_demux_free(d->gw);
        flowtable_free(d->flows, NULL, NULL);
        free(d);
        return NULL;
    }
    return d;
}

void decoder_packet(decoder *d, uint64_t frame, int64_t sec, uint32_t usec, int dlt,
                    const uint8_t *pkt, uint32_t caplen)
{
    d->frame = frame;
    d->sec = sec;
    d->usec = usec;
    d->st.packets++;
    tcp_segment s;
    net_result nr = net_decode(dlt, pkt, caplen, &s);
    if (nr != NET_TCP) {
        d->st.not_tcp[nr]++;
        return;
    }
    d->st.tcp_packets++;
    expire_closed(d);
    for (int attempt = 0; attempt < 2; attempt++) {
        int side;
        flow *f = flow_for(d, &s, &side);
        if (!f)
            return;
        conn_state *cs = f->app;
        if (cs->closed) {
            if ((s.flags & (TCP_SYN | TCP_ACK)) == TCP_SYN) {
                /* The 4-tuple is reused by a new connection. */
                flow_close(d, f, TCP_END_REUSE, END_FIN);
                continue;
            }
            if (s.payload_len) /* last ACKs of a close are normal, data is not */
                d->st.after_close_packets++;
            flowtable_touch(d->flows, f, frame, sec);
            break;
        }
        flowtable_touch(d->flows, f, frame, sec);
        if (s.flags & TCP_SYN) {
            cs->syn_seen[side] = 1;
            if (!(s.flags & TCP_ACK))
                msnp_conn_set_client(&cs->msnp, side);
            else if (!cs->msnp.client_sure)
                msnp_conn_set_client(&cs->msnp, !side);
        }
        cs->view.last_frame = frame;
        cs->view.last_sec = sec;
        cs->view.last_usec = usec;
        sink_ctx sc = {d, cs};
        unsigned res = tcp_reasm_packet(f->half, side, &s, frame, &sink, &sc);
        if (res & TCP_R_NEWSYN) {
            /* The 4-tuple was reused: a new connection starts with this SYN. */
            flow_close(d, f, TCP_END_REUSE, END_FIN);
            continue;
        }
        if (res & TCP_R_DONE)
            flow_done(d, f, (res & TCP_R_RST) ? END_RST : END_FIN);
        break;
    }
    /* A budget that ran out without making a gap must not mark a later one. */
    d->forced_seen = d->budget.c.forced;
    if (d->budget.held_peak > d->st.held_peak)
        d->st.held_peak = d->budget.held_peak;
    drain(d, 0);
}

static int by_id(const void *a, const void *b)
{
    const flow *x = *(flow *const *)a, *y = *(flow *const *)b;
    return x->id < y->id ? -1 : x->id > y->id;
}

typedef struct collect {
    flow **v;
    size_t n;
} collect;

static void collect_flow(flow *f, void *ctx)
{
    collect *c = ctx;
    c->v[c->n++] = f;
}

void decoder_finish(decoder *d)
{
    size_t n = flowtable_count(d->flows);
    collect c = {calloc(n ? n : 1, sizeof(flow *)), 0};
    if (c.v) {
        flowtable_foreach(d->flows, collect_flow, &c);
        qsort(c.v, c.n, sizeof *c.v, by_id);
        for (size_t i = 0; i < c.n; i++)
            flow_close(d, c.v[i], TCP_END_FLUSH, END_OPEN);
        free(c.v);
    }
    /* Gateway sessions still open when the capture ended. */
    while (d->gw_sessions) {
        conn_state *s = d->gw_sessions;
        gw_demux_forget(d->gw, s);
        gw_end_session(d, s, END_OPEN);
    }
    const gw_counts *gc = gw_demux_counts(d->gw);
    d->st.gw_requests = gc->requests;
    d->st.gw_responses = gc->responses;
    d->st.gw_dropped_bytes = gc->bodies_dropped;
    drain(d, 1);
    msnp_corr_flush(d->corr);
    const tcp_counters *tc = &d->budget.c;
    d->st.dup_bytes = tc->dup_bytes;
    d->st.conflicts = tc->conflicts;
    d->st.ignored_segments = tc->ignored;
    d->st.cut_segments = tc->truncated;
    if (d->budget.held_peak > d->st.held_peak)
        d->st.held_peak = d->budget.held_peak;
}

const decoder_stats *decoder_get_stats(const decoder *d)
{
    return &d->st;
}

void decoder_free(decoder *d)
{
    if (!d)
        return;
    holdq_free(&d->q);
    gw_demux_free(d->gw);
    msnp_corr_free(d->corr);
    msnp_labeler_free(d->labeler);
    scratch_free(&d->rec_copy);
    scratch_free(&d->ev_copy);
    flowtable_free(d->flows, NULL, NULL);
    free(d);
}
