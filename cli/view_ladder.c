/* The ladder view: one sequence diagram per login (its dispatch-server visit
 * and notification-server connection), per switchboard connection and per
 * MSNFTP transfer, in the order they began. This file builds the diagrams
 * (view_ladder.h) from the records (with the correlator's summaries of
 * logins and conversations for what a leg's own lines do not say), and
 * hands each one, when all its connections are over, to the renderer of the
 * chosen format.
 *
 * Memory is bounded: a diagram draws at most ROWS_MAX rows, all diagrams
 * together hold at most HELD_MAX bytes; what is left out is counted and said.
 * Keep-alives (PNG/QNG) and long runs of one command collapse into one row. */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "msnp/payload.h"
#include "msnp/text.h"
#include "view_ladder.h"
#include "views.h"

enum {
    ROWS_MAX = 2000,    /* rows per diagram; connection ends always get theirs */
    RUN_MIN = 4,        /* lines of one command collapsed from this many on */
    ARG_COLS = 28,      /* an argument wider than this is elided in a label */
    LABEL_BYTES = 512,  /* an arrow's words */
    TITLE_BYTES = 1400, /* a row's tooltip (SVG): the full line and its meaning */
    SELECT_MAX = 64,    /* ids in --session */
    AWAIT_MAX = 64,     /* logins waiting for the connection their XFR NS names */
    REFERRAL_WAIT_SEC = 60,
    SVG_MAX_DIAGRAMS = 200 /* one SVG stays something a browser opens */
};
#define HELD_MAX ((size_t)32 << 20)

typedef enum ladder_format { FMT_TEXT, FMT_MERMAID, FMT_SVG } ladder_format;

/* ---- --session: which diagrams to draw ---------------------------------- */

typedef struct selection {
    uint64_t uids[SELECT_MAX];
    uint32_t sids[SELECT_MAX];
    unsigned nuids, nsids;
} selection;

static int parse_selection(const char *s, selection *sel)
{
    memset(sel, 0, sizeof *sel);
    if (!s)
        return 0;
    while (*s) {
        char kind = *s++;
        if (kind >= 'a' && kind <= 'z')
            kind = (char)(kind - 'a' + 'A');
        if ((kind != 'C' && kind != 'S') || *s < '0' || *s > '9')
            return -1;
        uint64_t v = 0;
        for (int digits = 0; *s >= '0' && *s <= '9'; digits++) {
            if (digits == 18)
                return -1;
            v = v * 10 + (uint64_t)(*s++ - '0');
        }
        if (!v)
            return -1;
        if (kind == 'C') {
            if (sel->nuids == SELECT_MAX)
                return -1;
            sel->uids[sel->nuids++] = v;
        } else {
            if (sel->nsids == SELECT_MAX || v > UINT32_MAX)
                return -1;
            sel->sids[sel->nsids++] = (uint32_t)v;
        }
        if (*s == ',' && s[1])
            s++;
        else if (*s)
            return -1;
    }
    return sel->nuids + sel->nsids ? 0 : -1;
}

int view_ladder_selection_valid(const char *s)
{
    selection sel;
    return parse_selection(s, &sel) == 0;
}

static int selected(const selection *sel, const ladder_diagram *d)
{
    if (!sel->nuids && !sel->nsids)
        return 1;
    for (unsigned i = 0; i < sel->nsids; i++)
        if (d->sid && d->sid == sel->sids[i])
            return 1;
    for (unsigned i = 0; i < sel->nuids; i++)
        for (unsigned k = 0; k < d->nconns; k++)
            if (d->conns[k] == sel->uids[i])
                return 1;
    return 0;
}

/* ---- connection number -> diagram (open addressing) --------------------- */

typedef struct map_slot {
    uint64_t key; /* connection number + 1; 0 is empty */
    ladder_diagram *d;
} map_slot;

typedef struct conn_map {
    map_slot *slots;
    size_t cap, used;
} conn_map;

static size_t map_hash(uint64_t k, size_t cap)
{
    k *= 0x9E3779B97F4A7C15ull;
    return (size_t)(k >> 17) & (cap - 1);
}

static ladder_diagram *map_get(const conn_map *m, uint64_t conn)
{
    if (!m->cap)
        return NULL;
    for (size_t i = map_hash(conn + 1, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (!m->slots[i].key)
            return NULL;
        if (m->slots[i].key == conn + 1)
            return m->slots[i].d;
    }
}

static int map_put(conn_map *m, uint64_t conn, ladder_diagram *d)
{
    if ((m->used + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        map_slot *s = calloc(cap, sizeof *s);
        if (!s)
            return -1;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->slots[i].key)
                continue;
            size_t j = map_hash(m->slots[i].key, cap);
            while (s[j].key)
                j = (j + 1) & (cap - 1);
            s[j] = m->slots[i];
        }
        free(m->slots);
        m->slots = s;
        m->cap = cap;
    }
    size_t i = map_hash(conn + 1, m->cap);
    while (m->slots[i].key && m->slots[i].key != conn + 1)
        i = (i + 1) & (m->cap - 1);
    if (!m->slots[i].key)
        m->used++;
    m->slots[i].key = conn + 1;
    m->slots[i].d = d;
    return 0;
}

static void map_del(conn_map *m, uint64_t conn)
{
    if (!m->cap)
        return;
    size_t mask = m->cap - 1, i = map_hash(conn + 1, m->cap);
    while (m->slots[i].key != conn + 1) {
        if (!m->slots[i].key)
            return;
        i = (i + 1) & mask;
    }
    /* backward-shift deletion keeps every probe chain unbroken */
    for (size_t j = (i + 1) & mask; m->slots[j].key; j = (j + 1) & mask) {
        size_t home = map_hash(m->slots[j].key, m->cap);
        if (((j - home) & mask) >= ((j - i) & mask)) {
            m->slots[i] = m->slots[j];
            i = j;
        }
    }
    m->slots[i].key = 0;
    m->slots[i].d = NULL;
    m->used--;
}

/* ---- the writer ----------------------------------------------------------- */

typedef struct ladder_writer {
    writer w;
    ladder_format format;
    text_options topt;
    selection sel;
    conn_map map;
    ladder_diagram *head, *tail; /* not yet drawn, in the order they began */
    ladder_diagram **done;       /* SVG: drawn together at the end */
    size_t ndone, done_cap;
    ladder_diagram *awaiting[AWAIT_MAX];
    unsigned nawaiting;
    uint64_t svg_left_out; /* diagrams past SVG_MAX_DIAGRAMS or the budget */
    size_t held;
    int64_t now;
} ladder_writer;

static void diagram_free(ladder_writer *lw, ladder_diagram *d)
{
    lw->held -= d->held;
    free(d->lanes);
    free(d->rows);
    free(d->text);
    free(d);
}

/* A new lane, zeroed; NULL when the diagram has all it may have. */
static ladder_lane *lane_add(ladder_writer *lw, ladder_diagram *d)
{
    if (d->nlanes == LADDER_MAX_LANES)
        return NULL;
    if (d->nlanes == d->lanes_cap) {
        unsigned cap = d->lanes_cap ? d->lanes_cap * 2 : 3;
        if (cap > LADDER_MAX_LANES)
            cap = LADDER_MAX_LANES;
        ladder_lane *l = realloc(d->lanes, cap * sizeof *l);
        if (!l)
            return NULL;
        lw->held += (cap - d->lanes_cap) * sizeof *l;
        d->held += (cap - d->lanes_cap) * sizeof *l;
        d->lanes = l;
        d->lanes_cap = cap;
    }
    ladder_lane *l = &d->lanes[d->nlanes++];
    memset(l, 0, sizeof *l);
    l->end_row = LADDER_NO_ROW;
    return l;
}

/* Capture bytes as esc_text shows them, NUL-terminated, cut at a character
 * boundary to fit size. */
static size_t escape_into(char *buf, size_t size, const uint8_t *s, size_t n)
{
    enum { IN_MAX = 1024 };
    /* esc_text writes at most 4 bytes per input byte ("\xNN", "\u{NNNN}"
     * for 2 or 3 input bytes): with the input cut to IN_MAX, tmp cannot
     * overflow, and the outbuf never reaches its (absent) file. */
    char tmp[IN_MAX * 4];
    if (n > IN_MAX)
        n = IN_MAX;
    outbuf o;
    memset(&o, 0, sizeof o);
    o.buf = tmp;
    o.cap = sizeof tmp;
    esc_text(&o, s, n);
    size_t len = o.len < size ? o.len : size - 1;
    while (len < o.len && len && ((uint8_t)tmp[len] & 0xC0) == 0x80)
        len--;
    memcpy(buf, tmp, len);
    buf[len] = 0;
    return len;
}

static size_t escape_span(char *buf, size_t size, const record *r, msnp_span sp)
{
    return escape_into(buf, size, r->base + sp.off, sp.len);
}

/* Appends to the diagram's text; returns the offset (or the end on failure:
 * an empty string). */
static uint32_t put_text(ladder_writer *lw, ladder_diagram *d, const char *s, size_t n,
                         uint32_t *len)
{
    *len = 0;
    if (d->text_len + n + 1 > d->text_cap) {
        size_t cap = d->text_cap ? d->text_cap * 2 : 1024;
        while (cap < d->text_len + n + 1)
            cap *= 2;
        char *t = cap <= UINT32_MAX ? realloc(d->text, cap) : NULL;
        if (!t)
            return d->text_len ? (uint32_t)d->text_len - 1 : 0;
        lw->held += cap - d->text_cap;
        d->held += cap - d->text_cap;
        d->text = t;
        d->text_cap = cap;
    }
    uint32_t off = (uint32_t)d->text_len;
    memcpy(d->text + off, s, n);
    d->text[off + n] = 0;
    d->text_len += n + 1;
    *len = (uint32_t)n;
    return off;
}

static int client_side_of(const conn_view *cv)
{
    return cv->msnp->client_side >= 0 ? cv->msnp->client_side : 0;
}

static int from_client(const record *r)
{
    msnp_dir dir = msnp_conn_dir(r->conn->msnp, r->side);
    if (dir != MSNP_DIR_UNKNOWN)
        return dir == MSNP_DIR_C2S;
    return r->side == client_side_of(r->conn);
}

static ladder_kind kind_of_role(msnp_role role)
{
    switch (role) {
    case MSNP_ROLE_DS:
    case MSNP_ROLE_NS:
        return LADDER_LOGIN;
    case MSNP_ROLE_SB:
        return LADDER_SWITCHBOARD;
    case MSNP_ROLE_FTP:
        return LADDER_TRANSFER;
    default:
        return LADDER_OTHER;
    }
}

static const char *role_tag(msnp_role role)
{
    return role == MSNP_ROLE_FTP ? "FTP" : role == MSNP_ROLE_UNKNOWN ? "?" : msnp_role_name(role);
}

/* The client's address without its port. */
static void client_address(const conn_view *cv, char *out, size_t size)
{
    const char *ep = cv->endpoint[client_side_of(cv)];
    const char *colon = strrchr(ep, ':');
    size_t n = colon ? (size_t)(colon - ep) : strlen(ep);
    if (n >= size)
        n = size - 1;
    memcpy(out, ep, n);
    out[n] = 0;
}

static unsigned server_lane(ladder_writer *lw, ladder_diagram *d, const record *r)
{
    const conn_view *cv = r->conn;
    msnp_role role = msnp_conn_role(cv->msnp);
    for (unsigned i = 1; i < d->nlanes; i++) {
        ladder_lane *l = &d->lanes[i];
        if (l->kind == LANE_SERVER && l->conn == cv->id) {
            if (l->role == MSNP_ROLE_UNKNOWN && role != MSNP_ROLE_UNKNOWN) {
                l->role = (uint8_t)role;
                snprintf(l->tag, sizeof l->tag, "%s", role_tag(role));
            }
            return i;
        }
    }
    unsigned same = 0;
    for (unsigned i = 1; i < d->nlanes; i++)
        same += d->lanes[i].kind == LANE_SERVER && d->lanes[i].role == role;
    ladder_lane *l = lane_add(lw, d);
    if (!l)
        return d->nlanes > 1 ? 1 : 0;
    l->kind = LANE_SERVER;
    l->role = (uint8_t)role;
    l->conn = cv->id;
    if (same)
        snprintf(l->tag, sizeof l->tag, "%s%u", role_tag(role), same + 1);
    else
        snprintf(l->tag, sizeof l->tag, "%s", role_tag(role));
    snprintf(l->name, sizeof l->name, "%s", cv->endpoint[!client_side_of(cv)]);
    l->first_row = d->nrows;
    return d->nlanes - 1;
}

/* The lane of a chat peer (escaped account), added when new. */
static unsigned peer_lane(ladder_writer *lw, ladder_diagram *d, const char *user, const char *nick,
                          uint32_t first_row)
{
    unsigned peers = 0, last = 0;
    for (unsigned i = 1; i < d->nlanes; i++) {
        if (d->lanes[i].kind != LANE_PEER)
            continue;
        if (!strcmp(d->lanes[i].name, user))
            return i;
        peers++;
        last = i;
    }
    ladder_lane *l = peers == LADDER_MAX_PEERS ? NULL : lane_add(lw, d);
    if (!l) {
        if (!last)
            return LADDER_NO_LANE;
        d->lanes[last].accounts++;
        return last;
    }
    l->kind = LANE_PEER;
    l->accounts = 1;
    snprintf(l->tag, sizeof l->tag, "P%u", peers + 1);
    snprintf(l->name, sizeof l->name, "%s", user);
    snprintf(l->nick, sizeof l->nick, "%s", nick ? nick : "");
    l->first_row = first_row;
    return d->nlanes - 1;
}

static ladder_diagram *diagram_new(ladder_writer *lw, const record *r)
{
    ladder_diagram *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->held = sizeof *d;
    lw->held += d->held;
    d->kind = (uint8_t)kind_of_role(msnp_conn_role(r->conn->msnp));
    d->first_frame = r->frame;
    d->first_sec = r->sec;
    d->first_usec = r->usec;
    client_address(r->conn, d->client_addr, sizeof d->client_addr);
    ladder_lane *c = lane_add(lw, d);
    if (!c) {
        diagram_free(lw, d);
        return NULL;
    }
    c->kind = LANE_CLIENT;
    snprintf(c->tag, sizeof c->tag, "client");
    c->first_row = 0;
    if (lw->tail)
        lw->tail->next = d;
    else
        lw->head = d;
    lw->tail = d;
    return d;
}

static void await_remove(ladder_writer *lw, const ladder_diagram *d)
{
    for (unsigned i = 0; i < lw->nawaiting; i++) {
        if (lw->awaiting[i] == d) {
            memmove(&lw->awaiting[i], &lw->awaiting[i + 1],
                    (lw->nawaiting - i - 1) * sizeof lw->awaiting[0]);
            lw->nawaiting--;
            return;
        }
    }
}

/* A login that received "XFR … NS address" continues on the connection its
 * client opens to that address next. */
static ladder_diagram *referred_login(ladder_writer *lw, const record *r)
{
    const conn_view *cv = r->conn;
    msnp_role role = msnp_conn_role(cv->msnp);
    if (role != MSNP_ROLE_NS && role != MSNP_ROLE_DS && role != MSNP_ROLE_UNKNOWN)
        return NULL;
    char addr[64];
    client_address(cv, addr, sizeof addr);
    const char *server = cv->endpoint[!client_side_of(cv)];
    for (unsigned i = 0; i < lw->nawaiting; i++) {
        ladder_diagram *d = lw->awaiting[i];
        if (d->nconns < LADDER_MAX_CONNS && !strcmp(d->referral, server) &&
            !strcmp(d->client_addr, addr)) {
            await_remove(lw, d);
            d->referral[0] = 0;
            d->awaiting = 0;
            return d;
        }
    }
    return NULL;
}

static ladder_diagram *diagram_of(ladder_writer *lw, const record *r)
{
    ladder_diagram *d = map_get(&lw->map, r->conn->id);
    if (d)
        return d;
    d = referred_login(lw, r);
    if (!d)
        d = diagram_new(lw, r);
    if (!d)
        return NULL;
    if (map_put(&lw->map, r->conn->id, d) != 0)
        return NULL;
    d->conns[d->nconns] = r->conn->id;
    d->conn_done[d->nconns] = 0;
    d->nconns++;
    return d;
}

/* ---- rows ----------------------------------------------------------------- */

static ladder_row *row_new(ladder_writer *lw, ladder_diagram *d, const record *r,
                           ladder_row_kind kind, int always)
{
    if (!always && (d->nrows >= ROWS_MAX || lw->held > HELD_MAX)) {
        d->dropped++;
        return NULL;
    }
    if (d->nrows == d->rows_cap) {
        uint32_t cap = d->rows_cap ? d->rows_cap * 2 : 32;
        ladder_row *rows = realloc(d->rows, cap * sizeof *rows);
        if (!rows) {
            d->dropped++;
            return NULL;
        }
        lw->held += (cap - d->rows_cap) * sizeof *rows;
        d->held += (cap - d->rows_cap) * sizeof *rows;
        d->rows = rows;
        d->rows_cap = cap;
    }
    ladder_row *row = &d->rows[d->nrows++];
    memset(row, 0, sizeof *row);
    row->kind = (uint8_t)kind;
    row->frame = row->last_frame = r->frame;
    row->sec = row->last_sec = r->sec;
    row->usec = row->last_usec = r->usec;
    row->count = 1;
    row->via = row->mark_lane = LADDER_NO_LANE;
    if (!d->last_frame || r->frame > d->last_frame)
        d->last_frame = r->frame;
    if (r->sec > d->last_sec || (r->sec == d->last_sec && r->usec > d->last_usec)) {
        d->last_sec = r->sec;
        d->last_usec = r->usec;
    }
    if (r->sid && !d->sid)
        d->sid = r->sid;
    return row;
}

static void row_words(ladder_writer *lw, ladder_diagram *d, ladder_row *row, const char *label,
                      size_t n)
{
    row->label = put_text(lw, d, label, n, &row->label_len);
}

static int is_cmd(const record *r, const char *name)
{
    msnp_span c = msnp_pdu_token(r->pdu, 0);
    return c.len == 3 && !memcmp(r->base + c.off, name, 3);
}

static int arg_eq(const record *r, int idx, const char *lit)
{
    if (idx < 0)
        return 0;
    msnp_span s = msnp_command_arg(r->cmd, r->pdu, (unsigned)idx);
    return s.len == strlen(lit) && !memcmp(r->base + s.off, lit, s.len);
}

/* The escaped value of a named argument; 0 when absent. */
static size_t arg_text(const record *r, const char *name, char *buf, size_t size)
{
    buf[0] = 0;
    int i = msnp_command_find_arg(r->cmd, r->pdu, name);
    if (i < 0)
        return 0;
    return escape_span(buf, size, r, msnp_command_arg(r->cmd, r->pdu, (unsigned)i));
}

/* A URL-encoded friendly name, decoded then escaped. */
static void nick_text(const record *r, const char *name, char *buf, size_t size)
{
    buf[0] = 0;
    int i = msnp_command_find_arg(r->cmd, r->pdu, name);
    if (i < 0)
        return;
    msnp_span s = msnp_command_arg(r->cmd, r->pdu, (unsigned)i);
    char raw[MSNP_HANDLE_MAX * 3];
    size_t n = msnp_url_decode(r->base + s.off, s.len, raw, sizeof raw);
    escape_into(buf, size, (const uint8_t *)raw, n);
}

/* Who the client is, which conversation, where a referral points. */
static void learn(ladder_diagram *d, const record *r, int c2s)
{
    char buf[MSNP_HANDLE_MAX];
    msnp_role role = msnp_conn_role(r->conn->msnp);
    if (c2s && (is_cmd(r, "USR") || is_cmd(r, "ANS")) && !d->user[0])
        arg_text(r, "user", d->user, sizeof d->user);
    if (!c2s && is_cmd(r, "USR") &&
        arg_eq(r, msnp_command_find_arg(r->cmd, r->pdu, "result"), "OK")) {
        if (arg_text(r, "user", buf, sizeof buf))
            memcpy(d->user, buf, sizeof d->user);
        nick_text(r, "nick", d->nick, sizeof d->nick);
    }
    if (role == MSNP_ROLE_SB && !d->session_id[0] && (is_cmd(r, "ANS") || is_cmd(r, "CAL")))
        arg_text(r, "session_id", d->session_id, sizeof d->session_id);
    if (!c2s && is_cmd(r, "XFR") &&
        arg_eq(r, msnp_command_find_arg(r->cmd, r->pdu, "server_type"), "NS") &&
        arg_text(r, "ns_addr", buf, sizeof buf) && strchr(buf, ':') &&
        strlen(buf) < sizeof d->referral)
        memcpy(d->referral, buf, strlen(buf) + 1);
}

/* " [text]", " [typing]", ...: what an MSG payload is (*kind). */
static size_t payload_words(const record *r, char *out, size_t size, uint8_t *kind)
{
    const msnp_pdu *p = r->pdu;
    if (p->missing)
        return (size_t)snprintf(out, size, " [%llu bytes missing]", (unsigned long long)p->missing);
    msnp_mime m;
    if (!is_cmd(r, "MSG") || msnp_mime_parse(r->base + p->payload.off, p->payload.len, &m) != 0 ||
        !m.content_type.len)
        return 0;
    const uint8_t *pb = r->base + p->payload.off;
    const msnp_content_type *ct = msnp_content_type_find(pb, m.content_type);
    if (ct) {
        *kind = ct->kind;
        return (size_t)snprintf(out, size, " [%s]", ct->name);
    }
    char esc[96];
    size_t n = escape_into(esc, sizeof esc, pb + m.content_type.off, m.content_type.len);
    n = ladder_fit(esc, n, 32);
    return (size_t)snprintf(out, size, " [%.*s]", (int)n, esc);
}

/* The arrow's words: the command line with long arguments elided, what a
 * payload is, what an error means. */
static size_t command_label(const record *r, char *out, size_t size, uint8_t *kind)
{
    size_t len = 0;
    out[0] = 0;
    const msnp_pdu *p = r->pdu;
    for (unsigned i = 0; i < p->ntok && len + 40 < size; i++) {
        char tok[ARG_COLS * 8 + 8];
        size_t n = escape_span(tok, sizeof tok, r, p->tok[i]);
        if (ladder_width(tok, n) > ARG_COLS) {
            n = ladder_fit(tok, n, ARG_COLS - 1);
            memcpy(tok + n, "\xe2\x80\xa6", 4); /* … */
            n += 3;
        }
        if (len + n + 2 >= size)
            break;
        if (i)
            out[len++] = ' ';
        memcpy(out + len, tok, n);
        len += n;
        out[len] = 0;
    }
    if (p->has_payload && len + 48 < size)
        len += payload_words(r, out + len, size - len, kind);
    if (r->cmd->is_error && r->cmd->error && r->cmd->error->meaning && len + 48 < size) {
        const char *m = r->cmd->error->meaning;
        size_t k = strcspn(m, ":;,(");
        if (k > 40)
            k = 40;
        while (k && m[k - 1] == ' ')
            k--;
        len += (size_t)snprintf(out + len, size - len, " (%.*s)", (int)k, m);
    }
    return len < size ? len : size - 1;
}

/* The SVG tooltip: "frame 16: VER 4 MSNP8 CVR0 — client offers …". */
static void command_title(ladder_writer *lw, ladder_diagram *d, ladder_row *row, const record *r)
{
    char buf[TITLE_BYTES];
    size_t n = (size_t)snprintf(buf, sizeof buf, "frame %llu: ", (unsigned long long)r->frame);
    n += escape_into(buf + n, 640, r->base, r->pdu->line_len);
    char meaning[512];
    size_t m = msnp_render_meaning(r->cmd, r->base, r->pdu, meaning, sizeof meaning);
    memcpy(buf + n, " \xe2\x80\x94 ", 5); /* — */
    n += 5;
    n += escape_into(buf + n, sizeof buf - n, (const uint8_t *)meaning, m);
    row->title = put_text(lw, d, buf, n, &row->title_len);
}

/* Lines that stay one row each: the ones that move people in and out, and
 * requests that get an answer (their pairing is the point). */
static int never_collapsed(const ladder_row *row)
{
    static const char *const keep[] = {"JOI", "IRO", "BYE", "ANS", "USR", "OUT"};
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
        if (!memcmp(row->cmd, keep[i], 4))
            return 1;
    return (row->kind == ROW_REQUEST && !row->quiet) || row->is_error ||
           row->via != LADDER_NO_LANE || row->mark != MARK_NONE;
}

static int same_run(const ladder_row *a, const ladder_row *b)
{
    return a->kind == b->kind && !memcmp(a->cmd, b->cmd, 4) && a->payload == b->payload &&
           a->from == b->from && a->to == b->to && a->reply_to == b->reply_to &&
           !never_collapsed(a) && !never_collapsed(b);
}

static void extend(ladder_row *into, const ladder_row *r)
{
    into->last_frame = r->last_frame;
    into->last_sec = r->last_sec;
    into->last_usec = r->last_usec;
}

/* Folds the row just added into the rows before it when it continues a run
 * of keep-alives or of one command. */
static void collapse(ladder_diagram *d)
{
    ladder_row *row = &d->rows[d->nrows - 1];
    int ping = !memcmp(row->cmd, "PNG", 4) && row->kind == ROW_REQUEST;
    int pong = !memcmp(row->cmd, "QNG", 4) && row->kind == ROW_REPLY;
    if (ping || pong) {
        ladder_row *prev = d->nrows >= 2 ? &d->rows[d->nrows - 2] : NULL;
        unsigned server = ping ? row->to : row->from;
        if (prev && prev->kind == ROW_KEEPALIVE && prev->to == server) {
            if (ping)
                prev->count++;
            else
                prev->answered++;
            extend(prev, row);
            d->nrows--;
            return;
        }
        ladder_row *first = d->nrows >= 3 ? &d->rows[d->nrows - 3] : NULL;
        if (ping && first && !memcmp(first->cmd, "PNG", 4) && first->kind == ROW_REQUEST &&
            first->to == server && !memcmp(prev->cmd, "QNG", 4) && prev->from == server) {
            first->kind = ROW_KEEPALIVE;
            first->count = 2;
            first->answered = 1;
            extend(first, row);
            d->nrows -= 2;
        }
        return;
    }
    if (d->nrows < 2)
        return;
    ladder_row *prev = &d->rows[d->nrows - 2];
    if (prev->count > 1 && same_run(prev, row)) {
        prev->count++;
        extend(prev, row);
        d->nrows--;
        return;
    }
    if (d->nrows < RUN_MIN)
        return;
    ladder_row *first = &d->rows[d->nrows - RUN_MIN];
    for (ladder_row *x = first; x < row; x++)
        if (x->count != 1 || !same_run(x, row))
            return;
    first->count = RUN_MIN;
    extend(first, row);
    d->nrows -= RUN_MIN - 1;
}

/* Someone joins (JOI, or IRO: already there) or leaves (BYE) the
 * conversation as this leg saw it: the row marks it on the peer's lane,
 * which starts or ends there. Each leg draws what its client was told; the
 * correlator's join and leave events are per conversation (told once for
 * all legs), so they cannot place these marks. */
static void mark_row(ladder_writer *lw, ladder_diagram *d, const record *r, ladder_row *row)
{
    int join = is_cmd(r, "JOI") || is_cmd(r, "IRO");
    if (!join && !is_cmd(r, "BYE"))
        return;
    char user[MSNP_HANDLE_MAX], nick[96];
    if (!arg_text(r, "user", user, sizeof user) || !strcmp(user, d->user))
        return;
    nick_text(r, "nick", nick, sizeof nick);
    uint32_t idx = (uint32_t)(row - d->rows);
    unsigned lane = peer_lane(lw, d, user, nick, join ? idx : 0);
    if (lane == LADDER_NO_LANE)
        return;
    ladder_lane *l = &d->lanes[lane];
    row->mark = join ? MARK_JOIN : MARK_LEAVE;
    row->mark_lane = (uint8_t)lane;
    if (join) {
        if (l->first_row == LADDER_NO_ROW || idx < l->first_row)
            l->first_row = idx;
        if (l->end_row != LADDER_NO_ROW && l->end_row < idx)
            l->end_row = LADDER_NO_ROW; /* back again */
        if (nick[0] && !l->nick[0])
            snprintf(l->nick, sizeof l->nick, "%s", nick);
    } else if (l->accounts == 1) {
        l->end_row = idx;
    }
}

static void on_command(ladder_writer *lw, ladder_diagram *d, const record *r)
{
    int c2s = from_client(r);
    learn(d, r, c2s);
    if (d->referral[0] && !d->awaiting && lw->nawaiting < AWAIT_MAX &&
        d->nconns < LADDER_MAX_CONNS) {
        d->awaiting = 1;
        d->referral_until = INT64_MAX; /* until its connections are over */
        lw->awaiting[lw->nawaiting++] = d;
    }
    if (d->kind == LADDER_OTHER)
        d->kind = (uint8_t)kind_of_role(msnp_conn_role(r->conn->msnp));
    unsigned server = server_lane(lw, d, r);
    ladder_row_kind kind = ROW_LINE;
    switch (r->txn.kind) {
    case MSNP_TXN_REQUEST:
        kind = ROW_REQUEST;
        break;
    case MSNP_TXN_REPLY:
        kind = ROW_REPLY;
        break;
    case MSNP_TXN_ASYNC:
        kind = ROW_ASYNC;
        break;
    default:
        break;
    }
    ladder_row *row = row_new(lw, d, r, kind, 0);
    d->lines++;
    if (!row)
        return;
    row->from = (uint8_t)(c2s ? 0 : server);
    row->to = (uint8_t)(c2s ? server : 0);
    row->is_error = r->cmd->is_error;
    row->quiet = kind == ROW_REQUEST && r->txn.expect == MSNP_EXPECT_NONE;
    msnp_span c = msnp_pdu_token(r->pdu, 0);
    memcpy(row->cmd, r->base + c.off, c.len < 3 ? c.len : 3);
    if (kind == ROW_REPLY && r->txn.matched) {
        row->reply_to = r->txn.tag;
        row->latency_us = record_usec_since(r, r->txn.when);
    }
    /* A relayed message comes from its sender, through the switchboard. */
    if (!c2s && is_cmd(r, "MSG") && msnp_conn_role(r->conn->msnp) == MSNP_ROLE_SB) {
        char user[MSNP_HANDLE_MAX], nick[96];
        if (arg_text(r, "user", user, sizeof user)) {
            nick_text(r, "nick", nick, sizeof nick);
            unsigned lane = peer_lane(lw, d, user, nick, d->nrows - 1);
            if (lane != LADDER_NO_LANE) {
                row->from = (uint8_t)lane;
                row->via = (uint8_t)server;
            }
        }
    }
    char label[LABEL_BYTES];
    size_t n = command_label(r, label, sizeof label, &row->payload);
    row_words(lw, d, row, label, n);
    if (lw->format == FMT_SVG)
        command_title(lw, d, row, r);
    if (!c2s && msnp_conn_role(r->conn->msnp) == MSNP_ROLE_SB)
        mark_row(lw, d, r, row);
    collapse(d);
}

static void on_anomaly(ladder_writer *lw, ladder_diagram *d, const record *r)
{
    unsigned server = server_lane(lw, d, r);
    ladder_row *row = row_new(lw, d, r, ROW_ANOMALY, 0);
    if (!row)
        return;
    int c2s = from_client(r);
    row->from = (uint8_t)(c2s ? 0 : server);
    row->to = (uint8_t)(c2s ? server : 0);
    char label[LABEL_BYTES];
    size_t n = (size_t)snprintf(label, sizeof label, "!! %s: ", r->kind ? r->kind : "anomaly");
    n += escape_into(label + n, 200, (const uint8_t *)(r->detail ? r->detail : ""),
                     r->detail ? strlen(r->detail) : 0);
    if (r->sample_len) {
        char s[160];
        size_t k = escape_into(s, sizeof s, r->sample, r->sample_len);
        k = ladder_fit(s, k, 24);
        n += (size_t)snprintf(label + n, sizeof label - n, ": \"%.*s\"", (int)k, s);
    }
    row_words(lw, d, row, label, n);
    if (lw->format == FMT_SVG)
        row->title = put_text(lw, d, label, n, &row->title_len);
}

/* A run of file data is reported when it ends, after the lines that came
 * meanwhile: the row goes back to where its frame puts it. */
static void place_in_frame_order(ladder_diagram *d)
{
    uint32_t i = d->nrows - 1;
    ladder_row row = d->rows[i];
    while (i > 0 && d->rows[i - 1].frame > row.frame && d->rows[i - 1].kind != ROW_END) {
        d->rows[i] = d->rows[i - 1];
        i--;
    }
    if (i == d->nrows - 1)
        return;
    d->rows[i] = row;
    for (unsigned l = 0; l < d->nlanes; l++) {
        ladder_lane *lane = &d->lanes[l];
        if (lane->first_row != LADDER_NO_ROW && lane->first_row >= i &&
            lane->first_row < d->nrows - 1)
            lane->first_row++;
        if (lane->end_row != LADDER_NO_ROW && lane->end_row >= i && lane->end_row < d->nrows - 1)
            lane->end_row++;
    }
}

static void on_data(ladder_writer *lw, ladder_diagram *d, const record *r)
{
    unsigned server = server_lane(lw, d, r);
    ladder_row *row = row_new(lw, d, r, ROW_DATA, 0);
    if (!row)
        return;
    int c2s = from_client(r);
    row->from = (uint8_t)(c2s ? 0 : server);
    row->to = (uint8_t)(c2s ? server : 0);
    row->count = (uint32_t)(r->blocks > UINT32_MAX ? UINT32_MAX : r->blocks);
    row->bytes = r->bytes;
    row->data_from = r->first_frame;
    const char *words = r->aborted ? "file data, ended by an abort block" : "file data";
    row_words(lw, d, row, words, strlen(words));
    place_in_frame_order(d);
}

static void on_connection_end(ladder_writer *lw, ladder_diagram *d, const record *r)
{
    unsigned server = server_lane(lw, d, r);
    record at = *r;
    at.frame = r->conn->last_frame;
    at.sec = r->conn->last_sec;
    at.usec = r->conn->last_usec;
    ladder_row *row = row_new(lw, d, &at, ROW_END, 1);
    if (row) {
        row->from = row->to = (uint8_t)server;
        row->end = (uint8_t)r->conn->end;
        if (r->conn->end != END_OPEN)
            d->lanes[server].end_row = d->nrows - 1;
    }
    int open = 0;
    for (unsigned i = 0; i < d->nconns; i++) {
        if (d->conns[i] == r->conn->id)
            d->conn_done[i] = 1;
        open += !d->conn_done[i];
    }
    if (open)
        return;
    if (d->awaiting)
        d->referral_until = r->sec + REFERRAL_WAIT_SEC; /* then it is over */
    else
        d->complete = 1;
}

/* ---- drawing, in order ---------------------------------------------------- */

static void unlink_diagram(ladder_writer *lw, ladder_diagram *d)
{
    ladder_diagram **pp = &lw->head, *prev = NULL;
    while (*pp && *pp != d) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    if (!*pp)
        return;
    *pp = d->next;
    if (lw->tail == d)
        lw->tail = prev;
    d->next = NULL;
    for (unsigned i = 0; i < d->nconns; i++)
        if (map_get(&lw->map, d->conns[i]) == d)
            map_del(&lw->map, d->conns[i]);
}

static void draw(ladder_writer *lw, ladder_diagram *d)
{
    unlink_diagram(lw, d);
    if (!selected(&lw->sel, d)) {
        diagram_free(lw, d);
        return;
    }
    if (lw->format == FMT_SVG) {
        if (lw->ndone == SVG_MAX_DIAGRAMS || lw->held > HELD_MAX) {
            lw->svg_left_out++;
            diagram_free(lw, d);
            return;
        }
        if (lw->ndone == lw->done_cap) {
            size_t cap = lw->done_cap ? lw->done_cap * 2 : 16;
            ladder_diagram **t = realloc(lw->done, cap * sizeof *t);
            if (!t) {
                diagram_free(lw, d);
                return;
            }
            lw->done = t;
            lw->done_cap = cap;
        }
        lw->done[lw->ndone++] = d;
        return;
    }
    if (lw->format == FMT_MERMAID)
        ladder_mermaid_write(lw->w.out, d, &lw->topt);
    else
        ladder_text_write(lw->w.out, d, &lw->topt);
    diagram_free(lw, d);
}

static void pump(ladder_writer *lw, int at_end)
{
    for (unsigned i = 0; i < lw->nawaiting;) {
        ladder_diagram *d = lw->awaiting[i];
        int open = 0;
        for (unsigned k = 0; k < d->nconns; k++)
            open += !d->conn_done[k];
        if (at_end || (!open && lw->now > d->referral_until)) {
            d->awaiting = 0;
            d->complete = 1;
            await_remove(lw, d);
        } else {
            i++;
        }
    }
    if (at_end)
        for (ladder_diagram *d = lw->head; d; d = d->next)
            d->complete = 1;
    while (lw->head && lw->head->complete)
        draw(lw, lw->head);
    /* Over budget, finished diagrams go out as they finish: order gives way
     * to memory (text and Mermaid; SVG is drawn at the end). */
    if (lw->held > HELD_MAX && lw->format != FMT_SVG) {
        for (ladder_diagram *d = lw->head, *next; d; d = next) {
            next = d->next;
            if (d->complete)
                draw(lw, d);
        }
    }
}

static void ladder_record(writer *w, const record *r)
{
    ladder_writer *lw = (ladder_writer *)w;
    if (r->sec > lw->now)
        lw->now = r->sec;
    pump(lw, 0);
    ladder_diagram *d;
    if (r->type == REC_CONNECTION) {
        d = map_get(&lw->map, r->conn->id);
        if (d)
            on_connection_end(lw, d, r);
        return;
    }
    d = diagram_of(lw, r);
    if (!d)
        return;
    switch (r->type) {
    case REC_COMMAND:
        on_command(lw, d, r);
        break;
    case REC_ANOMALY:
        on_anomaly(lw, d, r);
        break;
    case REC_DATA:
        on_data(lw, d, r);
        break;
    default:
        break;
    }
}

/* What the correlator knows at the end of a login or conversation fills in
 * what the diagram's own lines did not say (a login picked up mid-session
 * never shows its account). */
static void summary(ladder_writer *lw, const msnp_event *ev)
{
    if (ev->kind == MSNP_EV_LOGIN_END && ev->login) {
        const msnp_login_info *l = ev->login;
        ladder_diagram *d = map_get(&lw->map, l->conn);
        if (!d)
            return;
        if (!d->user[0] && l->user[0])
            escape_into(d->user, sizeof d->user, (const uint8_t *)l->user, strlen(l->user));
        if (!d->nick[0] && l->nick[0])
            escape_into(d->nick, sizeof d->nick, (const uint8_t *)l->nick, strlen(l->nick));
        if (!d->sid)
            d->sid = l->sid;
    } else if (ev->kind == MSNP_EV_SB_END && ev->sb) {
        const msnp_sb_info *sb = ev->sb;
        for (unsigned i = 0; i < sb->nconns && i < MSNP_EV_MAX_LEGS; i++) {
            ladder_diagram *d = map_get(&lw->map, sb->conns[i]);
            if (!d)
                continue;
            if (!d->session_id[0] && sb->session_id[0])
                escape_into(d->session_id, sizeof d->session_id, (const uint8_t *)sb->session_id,
                            strlen(sb->session_id));
            if (!d->user[0] && sb->users[i][0])
                escape_into(d->user, sizeof d->user, (const uint8_t *)sb->users[i],
                            strlen(sb->users[i]));
        }
    }
}

static void ladder_event(writer *w, const msnp_event *ev)
{
    ladder_writer *lw = (ladder_writer *)w;
    if (ev->kind == MSNP_EV_LOGIN_END || ev->kind == MSNP_EV_SB_END)
        summary(lw, ev);
}

static void ladder_finish(writer *w)
{
    ladder_writer *lw = (ladder_writer *)w;
    pump(lw, 1);
    if (lw->format == FMT_SVG)
        ladder_svg_write(lw->w.out, lw->done, lw->ndone, lw->svg_left_out, &lw->topt);
    for (size_t i = 0; i < lw->ndone; i++)
        diagram_free(lw, lw->done[i]);
    while (lw->head) {
        ladder_diagram *d = lw->head;
        lw->head = d->next;
        diagram_free(lw, d);
    }
    free(lw->done);
    free(lw->map.slots);
    free(lw);
}

writer *view_ladder_new(outbuf *out, const char *format, const text_options *opt,
                        const char *select)
{
    ladder_writer *lw = calloc(1, sizeof *lw);
    if (!lw)
        return NULL;
    lw->w.out = out;
    lw->w.record = ladder_record;
    lw->w.event = ladder_event;
    lw->w.finish = ladder_finish;
    lw->format = !strcmp(format, "svg")       ? FMT_SVG
                 : !strcmp(format, "mermaid") ? FMT_MERMAID
                                              : FMT_TEXT;
    if (opt)
        lw->topt = *opt;
    if (parse_selection(select, &lw->sel) != 0) {
        free(lw);
        return NULL;
    }
    lw->now = INT64_MIN;
    return &lw->w;
}
