/* msnpgen — population mode.
 *
 * Every user is a small scenario, written in the ordinary scenario format
 * (so `--dump-user N` shows exactly what user N does, and that text alone
 * regenerates the user's traffic): a dispatch-server login, the notification
 * server session (Tweener login, profile, mail notice, SYN dump, presence,
 * challenge, pings, status changes, logout), and switchboard chats on the
 * caller or the callee side with typing notifications, text messages of
 * realistic sizes, invitations and MSNFTP transfers. The user's scenario is
 * planned with the same TCP machinery as any scenario (handshakes, ACKs,
 * splits, coalescing, reordering, retransmission, loss), then the users'
 * sorted packet lists are merged by time while users log in one after
 * the other: only the users online at a given moment are in memory.
 *
 * Deterministic: integers only, all randomness from splitmix64 streams
 * derived from the seed and the user's index. */
#include "population.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "packet.h"
#include "pcapout.h"
#include "plan.h"
#include "util.h"

#define TAG_POP_ARRIVAL UINT64_C(0x706f7061) /* "popa" */
#define TAG_POP_USER UINT64_C(0x706f7075)    /* "popu" */
#define TAG_POP_SEED UINT64_C(0x706f7073)    /* "pops" */

#define NPOOL 762u       /* client addresses: 3 documentation /24s, .1-.254 */
#define PORTS_PER_USER 40u
#define MAX_CHATS 8
#define FT_PORT 6891

/* ---------------------------------------------------------------------- */
/* Vocabulary                                                              */

static const char *const first_names[] = {
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
    "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "wendy",
    "anna", "ben", "chloe", "daniel", "emma", "felix", "gina", "hugo", "iris", "jack",
    "kate", "leo", "maria", "nick", "oscar", "paula", "quinn", "rosa", "sam", "tina",
    "ulla", "vince", "xena", "yves", "zoe", "marco", "lena", "tom", "sara", "paul",
    "jun", "mei", "ravi", "priya", "omar", "fatima", "lars", "ingrid", "pierre", "claire"};
#define NFIRST (sizeof first_names / sizeof first_names[0])

static const char *const domains[] = {"hotmail.com", "hotmail.com", "hotmail.com", "msn.com",
                                      "hotmail.com", "msn.com",     "passport.com", "hotmail.co.uk",
                                      "hotmail.com", "hotmail.fr"};
#define NDOMAINS (sizeof domains / sizeof domains[0])

static const char *const nick_suffix[] = {
    "", "", "", "", "%20-%20at%20work", "%20(away%20till%203)", "%20%E2%98%BA", "%20:)",
    "%20-%20exams%20next%20week", "%20%5Bbusy%5D", "%20%C3%A9t%C3%A9", "%20-%20new%20phone%21"};
#define NSUFFIX (sizeof nick_suffix / sizeof nick_suffix[0])

static const char *const words[] = {
    "i", "you", "we", "it", "the", "a", "to", "and", "is", "are", "was", "that", "this", "so",
    "what", "how", "when", "where", "why", "ok", "yes", "no", "lol", "haha", "hey", "hi",
    "hello", "thanks", "sure", "maybe", "later", "tomorrow", "today", "tonight", "now", "soon",
    "lunch", "dinner", "meeting", "work", "school", "class", "exam", "homework", "game",
    "movie", "music", "song", "party", "weekend", "friday", "monday", "coffee", "pizza",
    "call", "send", "file", "photo", "pics", "email", "link", "site", "online", "offline",
    "computer", "laptop", "phone", "msn", "messenger", "chat", "talk", "meet", "go", "come",
    "see", "know", "think", "want", "need", "like", "love", "get", "got", "have", "had", "do",
    "did", "can", "could", "will", "would", "should", "just", "really", "very", "too",
    "much", "more", "good", "great", "cool", "nice", "bad", "late", "early", "home", "office",
    "bus", "train", "car", "at", "in", "on", "for", "with", "about", "from", "of", "my", "your",
    "his", "her", "our", "their", "me", "him", "them", "us", "not", "don't", "can't", "i'm",
    "it's", "that's", "brb", "btw", "omg", "np", "k", "cya", "gtg", "caf\xc3\xa9", "na\xc3\xafve",
    "\303\274ber", "r\xc3\xa9sum\xc3\xa9"};
#define NWORDS (sizeof words / sizeof words[0])

static const char *const smileys[] = {":)", ":-)", ";)", ":D", ":P", ":(", "(y)", ":o",
                                      "(L)", ":$", "^^", "xD"};
#define NSMILEYS (sizeof smileys / sizeof smileys[0])

static const char *const fonts[] = {
    "FN=MS%20Shell%20Dlg; EF=; CO=0; CS=0; PF=0",
    "FN=Arial; EF=B; CO=ff; CS=0; PF=22",
    "FN=Comic%20Sans%20MS; EF=I; CO=ff0000; CS=0; PF=0",
    "FN=Tahoma; EF=; CO=0; CS=0; PF=22",
    "FN=Verdana; EF=; CO=800000; CS=0; PF=22",
    "FN=Times%20New%20Roman; EF=; CO=008000; CS=0; PF=12",
    "FN=Trebuchet%20MS; EF=BI; CO=800080; CS=0; PF=22",
    "FN=Courier%20New; EF=; CO=404040; CS=0; PF=31"};
#define NFONTS (sizeof fonts / sizeof fonts[0])

static const char *const statuses[] = {"NLN", "NLN", "NLN", "AWY", "BSY", "IDL", "BRB", "PHN", "LUN"};
#define NSTATUS (sizeof statuses / sizeof statuses[0])

static const char *const group_names[] = {"Other%20Contacts", "Friends", "Coworkers", "Family",
                                          "School", "Gaming", "Old%20friends", "Band"};
#define NGROUPS (sizeof group_names / sizeof group_names[0])

static const char *const file_exts[] = {"jpg", "jpg", "jpg", "zip", "doc", "txt", "mp3", "pdf",
                                        "gif", "xls"};
static const char *const file_stems[] = {"photo", "holiday", "notes", "report", "song",
                                         "slides", "cv", "party", "cat", "setup", "scan",
                                         "budget"};

static const char *const clients[] = {"5.0.0540", "5.0.0544", "5.0.0540", "5.0.0543"};

/* ---------------------------------------------------------------------- */
/* Small helpers                                                           */

__attribute__((format(printf, 2, 3))) static void bprintf(buf_t *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        size_t room = b->cap - b->len;
        va_start(ap, fmt);
        int n = vsnprintf(b->cap ? (char *)b->data + b->len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0)
            return;
        if ((size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        buf_reserve(b, (size_t)n + 1);
    }
}

static uint32_t rb(rng_t *r, uint32_t n)
{
    return rng_below(r, n);
}

/* Uniform in [lo, hi] nanoseconds. */
static int64_t rtime(rng_t *r, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    uint64_t span = (uint64_t)(hi - lo);
    return lo + (int64_t)(rng_next(r) % (span + 1));
}

#define SEC(x) ((int64_t)(x) * NS_PER_SEC)
#define MSEC(x) ((int64_t)(x) * NS_PER_MS)

/* A person of the world (population users and others): a stable e-mail
 * address and display name for any index. */
static void person_email(uint64_t k, char *out, size_t n)
{
    uint64_t h = mix64(k + UINT64_C(0x5eed));
    snprintf(out, n, "%s.%llu@%s", first_names[k % NFIRST], (unsigned long long)k,
             domains[(h >> 8) % NDOMAINS]);
}

static void person_nick(uint64_t k, char *out, size_t n)
{
    uint64_t h = mix64(k + UINT64_C(0x71c4));
    const char *f = first_names[k % NFIRST];
    char cap[32];
    snprintf(cap, sizeof cap, "%s", f);
    if (cap[0] >= 'a' && cap[0] <= 'z')
        cap[0] = (char)(cap[0] - 'a' + 'A');
    snprintf(out, n, "%s%s", cap, nick_suffix[(h >> 16) % NSUFFIX]);
}

/* Client address of population user i (IPv4, documentation ranges). */
static void user_addr(uint64_t i, uint8_t ip[4], uint32_t *port_base)
{
    uint32_t j = (uint32_t)(i % NPOOL);
    static const uint8_t nets[3][3] = {{192, 0, 2}, {198, 51, 100}, {203, 0, 113}};
    memcpy(ip, nets[j / 254], 3);
    ip[3] = (uint8_t)(1 + j % 254);
    *port_base = 1025 + (uint32_t)(i / NPOOL) * PORTS_PER_USER;
}

/* A remote peer's public address for a file transfer. */
static void peer_addr(uint64_t h, char *out, size_t n)
{
    static const char *const nets[] = {"198.51.100", "203.0.113", "192.0.2"};
    snprintf(out, n, "%s.%u", nets[h % 3], (unsigned)(1 + (h >> 8) % 254));
}

/* ---------------------------------------------------------------------- */
/* Timeline: blocks of scenario lines with a start time, rendered in time
 * order with `wait` lines between them.                                    */

typedef struct {
    int64_t t;
    uint32_t seq;
    size_t off, len;
} action_t;

typedef struct {
    buf_t txt;
    action_t *a;
    size_t n, cap;
    size_t open_off;
    int64_t open_t;
} timeline_t;

static void blk_begin(timeline_t *tl, int64_t t)
{
    tl->open_off = tl->txt.len;
    tl->open_t = t;
}

static void blk_end(timeline_t *tl)
{
    grow_array((void **)&tl->a, &tl->cap, tl->n + 1, sizeof *tl->a);
    action_t *a = &tl->a[tl->n];
    a->t = tl->open_t;
    a->seq = (uint32_t)tl->n;
    a->off = tl->open_off;
    a->len = tl->txt.len - tl->open_off;
    tl->n++;
}

__attribute__((format(printf, 2, 3))) static void L(timeline_t *tl, const char *fmt, ...)
{
    va_list ap;
    buf_t *b = &tl->txt;
    for (;;) {
        size_t room = b->cap - b->len;
        va_start(ap, fmt);
        int n = vsnprintf(b->cap ? (char *)b->data + b->len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0)
            return;
        if ((size_t)n + 1 < room) {
            b->len += (size_t)n;
            b->data[b->len++] = '\n';
            return;
        }
        buf_reserve(b, (size_t)n + 2);
    }
}

static int action_cmp(const void *x, const void *y)
{
    const action_t *p = x, *q = y;
    if (p->t != q->t)
        return p->t < q->t ? -1 : 1;
    return p->seq < q->seq ? -1 : p->seq > q->seq;
}

/* NS transaction ids are numbered when the blocks are put in time order:
 * "\x01" in a block is the next id, "\x02" the id last given. */
#define TR_NEW "\x01"
#define TR_SAME "\x02"

static void put_wait(buf_t *out, int64_t ns)
{
    bprintf(out, "wait %lld.%06lld\n", (long long)(ns / NS_PER_SEC),
            (long long)(ns % NS_PER_SEC / 1000));
}

static void render(timeline_t *tl, buf_t *out, uint32_t first_ns_trid)
{
    qsort(tl->a, tl->n, sizeof *tl->a, action_cmp);
    int64_t prev = 0;
    uint32_t tr = first_ns_trid - 1;
    for (size_t i = 0; i < tl->n; i++) {
        const action_t *a = &tl->a[i];
        if (a->t > prev)
            put_wait(out, a->t - prev);
        prev = a->t;
        const uint8_t *p = tl->txt.data + a->off, *e = p + a->len;
        while (p < e) {
            const uint8_t *q = p;
            while (q < e && *q > 2)
                q++;
            buf_append(out, p, (size_t)(q - p));
            if (q < e)
                bprintf(out, "%u", *q == 1 ? ++tr : tr);
            p = q + (q < e);
        }
    }
}

/* ---------------------------------------------------------------------- */
/* One user's scenario                                                     */

typedef struct {
    uint64_t idx, users, seed;
    rng_t r;
    char email[96], nick[128];
    char ip[20];
    uint32_t port_base;
    uint32_t nports;
    timeline_t tl;
    buf_t conns; /* conn lines */
    int nchats, nft;
    int64_t end_t; /* last action so far */
} user_t;

static void note_t(user_t *u, int64_t t)
{
    if (t > u->end_t)
        u->end_t = t;
}

/* Chat text: a sentence or a few, of realistic length. */
static void chat_text(rng_t *r, buf_t *out)
{
    uint32_t kind = rb(r, 100);
    uint32_t nw;
    if (kind < 55)
        nw = 1 + rb(r, 7);
    else if (kind < 88)
        nw = 8 + rb(r, 18);
    else if (kind < 98)
        nw = 26 + rb(r, 40);
    else
        nw = 180 + rb(r, 260); /* a paste: longer than one MSS */
    int lines = nw > 40 && rb(r, 3) == 0;
    int cap = 1;
    for (uint32_t w = 0; w < nw; w++) {
        const char *word = words[rb(r, NWORDS)];
        if (w) {
            if (lines && rb(r, 18) == 0) {
                buf_putc(out, '\n');
                cap = 1;
            } else {
                buf_putc(out, ' ');
            }
        }
        size_t wl = strlen(word);
        if (cap && word[0] >= 'a' && word[0] <= 'z') {
            buf_putc(out, (uint8_t)(word[0] - 'a' + 'A'));
            buf_append(out, word + 1, wl - 1);
        } else {
            buf_append(out, word, wl);
        }
        cap = 0;
        if (w + 1 < nw && rb(r, 9) == 0) {
            static const char punct[] = ".,!?";
            buf_putc(out, (uint8_t)punct[rb(r, 4)]);
            cap = 1;
        }
    }
    uint32_t end = rb(r, 10);
    if (end < 3)
        buf_putc(out, '?');
    else if (end < 5)
        buf_putc(out, '!');
    else if (end < 7) {
        buf_putc(out, ' ');
        buf_puts(out, smileys[rb(r, NSMILEYS)]);
    }
}

static void payload_text(timeline_t *tl, const char *font, rng_t *r)
{
    L(tl, "  | MIME-Version: 1.0");
    L(tl, "  | Content-Type: text/plain; charset=UTF-8");
    L(tl, "  | X-MMS-IM-Format: %s", font);
    L(tl, "  |");
    buf_t body = {0};
    chat_text(r, &body);
    size_t s = 0;
    for (size_t i = 0; i <= body.len; i++) {
        if (i == body.len || body.data[i] == '\n') {
            L(tl, "  | %.*s", (int)(i - s), (const char *)body.data + s);
            s = i + 1;
        }
    }
    buf_free(&body);
}

static void payload_typing(timeline_t *tl, const char *who)
{
    L(tl, "  | MIME-Version: 1.0");
    L(tl, "  | Content-Type: text/x-msmsgscontrol");
    L(tl, "  | TypingUser: %s", who);
    L(tl, "  |");
    L(tl, "  |");
    L(tl, "  |");
}

static void payload_invite_head(timeline_t *tl)
{
    L(tl, "  | MIME-Version: 1.0");
    L(tl, "  | Content-Type: text/x-msmsgsinvite; charset=UTF-8");
    L(tl, "  |");
}

typedef struct {
    char email[96], nick[128];
    const char *font;
} party_t;

static void party_of(uint64_t k, rng_t *r, party_t *p)
{
    person_email(k, p->email, sizeof p->email);
    person_nick(k, p->nick, sizeof p->nick);
    p->font = fonts[rb(r, NFONTS)];
}

/* A message line from `who` (-1: the user) on switchboard `sb`. */
static void sb_msg_from(timeline_t *tl, const char *sb, int who, const party_t *peers,
                        uint32_t *sbtr, const char *ack)
{
    if (who < 0)
        L(tl, "%s > MSG %u %s {len}", sb, ++*sbtr, ack);
    else
        L(tl, "%s < MSG %s %s {len}", sb, peers[who].email, peers[who].nick);
}

static void add_conn(user_t *u, const char *name, const char *client, const char *server,
                     int64_t rtt_ms, const char *extra)
{
    bprintf(&u->conns, "conn u%llu.%s %s %s rtt=0.%03lld%s\n", (unsigned long long)u->idx, name,
            client, server, (long long)rtt_ms, extra);
}

static void client_ep(user_t *u, char *out, size_t n)
{
    snprintf(out, n, "%s:%u", u->ip, u->port_base + u->nports++);
}

/* An MSNFTP transfer: invitation on switchboard `sb`, then the transfer
 * connection. Returns the time after it. */
static int64_t invitation(user_t *u, const char *sb, int64_t t, const party_t *peer, int peeri,
                          uint32_t *sbtr, const char *ufont)
{
    timeline_t *tl = &u->tl;
    rng_t *r = &u->r;
    (void)ufont;
    int user_sends = rb(r, 100) < 55;
    int accepted = rb(r, 100) < 78;
    uint32_t cookie = 1 + rb(r, 99999);
    uint32_t auth = 1 + rb(r, 2000000000u);
    char fname[64];
    snprintf(fname, sizeof fname, "%s%u.%s", file_stems[rb(r, 12)], 1 + rb(r, 999),
             file_exts[rb(r, 10)]);
    uint32_t sz;
    uint32_t k = rb(r, 100);
    if (k < 50)
        sz = 2000 + rb(r, 38000);
    else if (k < 90)
        sz = 40000 + rb(r, 160000);
    else
        sz = 200000 + rb(r, 300000);
    const char *sender_ip = u->ip;
    char peer_ip[20];
    peer_addr(mix64(u->idx * 31 + (uint64_t)u->nft * 7 + 3), peer_ip, sizeof peer_ip);
    if (!user_sends)
        sender_ip = peer_ip;

    /* INVITE */
    blk_begin(tl, t);
    sb_msg_from(tl, sb, user_sends ? -1 : peeri, peer, sbtr, "N");
    payload_invite_head(tl);
    L(tl, "  | Application-Name: File Transfer");
    L(tl, "  | Application-GUID: {5D3E02AB-6190-11d3-BBBB-00C04F795683}");
    L(tl, "  | Invitation-Command: INVITE");
    L(tl, "  | Invitation-Cookie: %u", cookie);
    L(tl, "  | Application-File: %s", fname);
    L(tl, "  | Application-FileSize: %u", sz);
    L(tl, "  | Connectivity: N");
    L(tl, "  |");
    L(tl, "  |");
    blk_end(tl);
    t += rtime(r, SEC(2), SEC(12));
    /* the receiver answers */
    blk_begin(tl, t);
    sb_msg_from(tl, sb, user_sends ? peeri : -1, peer, sbtr, "N");
    payload_invite_head(tl);
    if (!accepted) {
        L(tl, "  | Invitation-Command: CANCEL");
        L(tl, "  | Invitation-Cookie: %u", cookie);
        L(tl, "  | Cancel-Code: REJECT");
        L(tl, "  |");
        L(tl, "  |");
        blk_end(tl);
        return t + rtime(r, SEC(1), SEC(5));
    }
    L(tl, "  | Invitation-Command: ACCEPT");
    L(tl, "  | Invitation-Cookie: %u", cookie);
    L(tl, "  | Launch-Application: FALSE");
    L(tl, "  | Request-Data: IP-Address:");
    L(tl, "  |");
    L(tl, "  |");
    blk_end(tl);
    t += rtime(r, MSEC(200), MSEC(900));
    /* the sender's address */
    blk_begin(tl, t);
    sb_msg_from(tl, sb, user_sends ? -1 : peeri, peer, sbtr, "N");
    payload_invite_head(tl);
    L(tl, "  | Invitation-Command: ACCEPT");
    L(tl, "  | Invitation-Cookie: %u", cookie);
    L(tl, "  | IP-Address: %s", sender_ip);
    L(tl, "  | Port: %u", FT_PORT);
    L(tl, "  | PortX: %u", FT_PORT ^ 0x3141);
    L(tl, "  | AuthCookie: %u", auth);
    L(tl, "  | Launch-Application: FALSE");
    L(tl, "  | Request-Data: IP-Address:");
    L(tl, "  |");
    L(tl, "  |");
    blk_end(tl);
    t += rtime(r, MSEC(100), MSEC(600));

    /* the MSNFTP connection: the receiver connects to the sender */
    int k2 = u->nft++;
    char name[16], cl[40], sv[40];
    snprintf(name, sizeof name, "ft%d", k2);
    int64_t rtt = 20 + rb(r, 180);
    if (user_sends) {
        snprintf(cl, sizeof cl, "%s:%u", peer_ip,
                 10000 + (unsigned)((u->idx * 8 + (uint64_t)k2) % 50000));
        snprintf(sv, sizeof sv, "%s:%u", u->ip, FT_PORT);
        add_conn(u, name, cl, sv, rtt, " local=server");
    } else {
        client_ep(u, cl, sizeof cl);
        snprintf(sv, sizeof sv, "%s:%u", peer_ip, FT_PORT);
        add_conn(u, name, cl, sv, rtt, "");
    }
    const char *rcv = user_sends ? peer->email : u->email;
    blk_begin(tl, t);
    L(tl, "u%llu.%s > VER MSNFTP", (unsigned long long)u->idx, name);
    L(tl, "u%llu.%s < VER MSNFTP", (unsigned long long)u->idx, name);
    L(tl, "u%llu.%s > USR %s %u", (unsigned long long)u->idx, name, rcv, auth);
    L(tl, "u%llu.%s < FIL %u", (unsigned long long)u->idx, name, sz);
    L(tl, "u%llu.%s > TFR", (unsigned long long)u->idx, name);
    L(tl, "u%llu.%s <msnftp u%llu_%s %u", (unsigned long long)u->idx, name,
      (unsigned long long)u->idx, fname, sz);
    L(tl, "u%llu.%s > BYE 16777989", (unsigned long long)u->idx, name);
    L(tl, "fin u%llu.%s client", (unsigned long long)u->idx, name);
    blk_end(tl);
    /* the transfer takes a while: ~ 64 KiB/s over the Internet */
    return t + SEC(1) + (int64_t)sz * (NS_PER_SEC / 65536);
}

/* One switchboard conversation starting at t0; returns its end time. */
static int64_t chat(user_t *u, int k, int64_t t0)
{
    timeline_t *tl = &u->tl;
    rng_t *r = &u->r;
    char sb[32], name[16], cl[40], sv[40];
    snprintf(name, sizeof name, "sb%d", k);
    snprintf(sb, sizeof sb, "u%llu.%s", (unsigned long long)u->idx, name);
    client_ep(u, cl, sizeof cl);
    unsigned sbhost = 1 + rb(r, 250);
    snprintf(sv, sizeof sv, "207.46.108.%u:1863", sbhost);
    add_conn(u, name, cl, sv, 30 + rb(r, 150), "");

    int npeers = rb(r, 100) < 12 ? 2 : 1;
    party_t peers[2];
    for (int i = 0; i < npeers; i++) {
        uint64_t pk = (u->idx + 1 + rng_next(r) % (u->users > 1 ? u->users - 1 : 1)) %
                      (u->users ? u->users : 1);
        if (pk == u->idx)
            pk = u->users + u->idx; /* someone outside the population */
        party_of(pk, r, &peers[i]);
    }
    const char *ufont = fonts[(u->idx * 7 + (uint64_t)k) % NFONTS];
    uint32_t sessid = 10000000 + rb(r, 89999999);
    char cookie[48];
    snprintf(cookie, sizeof cookie, "%u.%u.%u", 10000000 + rb(r, 89999999),
             1050000000 + rb(r, 9999999), rb(r, 99999));
    uint32_t sbtr = 0;
    int64_t t = t0;
    int caller = rb(r, 100) < 55;
    if (caller) {
        blk_begin(tl, t);
        L(tl, "u%llu.ns > XFR " TR_NEW " SB", (unsigned long long)u->idx);
        L(tl, "u%llu.ns < XFR " TR_SAME " SB 207.46.108.%u:1863 CKI %s",
          (unsigned long long)u->idx, sbhost, cookie);
        L(tl, "%s > USR %u %s %s", sb, ++sbtr, u->email, cookie);
        L(tl, "%s < USR %u OK %s %s", sb, sbtr, u->email, u->nick);
        L(tl, "%s > CAL %u %s", sb, ++sbtr, peers[0].email);
        L(tl, "%s < CAL %u RINGING %u", sb, sbtr, sessid);
        blk_end(tl);
        t += rtime(r, MSEC(800), SEC(5));
        blk_begin(tl, t);
        L(tl, "%s < JOI %s %s", sb, peers[0].email, peers[0].nick);
        blk_end(tl);
        if (npeers == 2) {
            t += rtime(r, SEC(5), SEC(30));
            blk_begin(tl, t);
            L(tl, "%s > CAL %u %s", sb, ++sbtr, peers[1].email);
            L(tl, "%s < CAL %u RINGING %u", sb, sbtr, sessid);
            blk_end(tl);
            t += rtime(r, MSEC(800), SEC(4));
            blk_begin(tl, t);
            L(tl, "%s < JOI %s %s", sb, peers[1].email, peers[1].nick);
            blk_end(tl);
        }
    } else {
        blk_begin(tl, t);
        L(tl, "u%llu.ns < RNG %u 207.46.108.%u:1863 CKI %s %s %s", (unsigned long long)u->idx,
          sessid, sbhost, cookie, peers[0].email, peers[0].nick);
        L(tl, "%s > ANS %u %s %s %u", sb, ++sbtr, u->email, cookie, sessid);
        for (int i = 0; i < npeers; i++)
            L(tl, "%s < IRO %u %d %d %s %s", sb, sbtr, i + 1, npeers, peers[i].email,
              peers[i].nick);
        L(tl, "%s < ANS %u OK", sb, sbtr);
        blk_end(tl);
    }
    t += rtime(r, SEC(1), SEC(6));

    /* the conversation */
    uint32_t nmsg = 3 + rb(r, 10) + rb(r, 10);
    if (rb(r, 10) == 0)
        nmsg += 10 + rb(r, 30);
    int inv_at = rb(r, 100) < 7 ? (int)rb(r, nmsg) : -1;
    int who = rb(r, 2) ? -1 : 0;
    for (uint32_t m = 0; m < nmsg; m++) {
        if ((int)m == inv_at)
            t = invitation(u, sb, t, peers, rb(r, (uint32_t)npeers), &sbtr, ufont);
        /* typing notice (not every client sends one), then the text */
        const char *font = who < 0 ? ufont : peers[who].font;
        rng_t body = rng_derive(u->seed, TAG_POP_USER, u->idx, ((uint64_t)k << 32) | (m + 1));
        if (rb(r, 100) < 80) {
            blk_begin(tl, t);
            sb_msg_from(tl, sb, who, peers, &sbtr, "U");
            payload_typing(tl, who < 0 ? u->email : peers[who].email);
            blk_end(tl);
            t += rtime(r, SEC(1), SEC(9));
        }
        blk_begin(tl, t);
        int acked = who < 0 && rb(r, 100) < 12;
        sb_msg_from(tl, sb, who, peers, &sbtr, acked ? "A" : "N");
        payload_text(tl, font, &body);
        if (acked)
            L(tl, "%s < ACK %u", sb, sbtr);
        blk_end(tl);
        t += rtime(r, SEC(1), SEC(20));
        /* next speaker: usually the other side */
        if (rb(r, 100) < 65)
            who = who < 0 ? (int)rb(r, (uint32_t)npeers) : -1;
    }
    /* the end: the peer leaves and then the user, or the user first */
    blk_begin(tl, t);
    if (rb(r, 2)) {
        for (int i = npeers - 1; i >= 0; i--)
            L(tl, "%s < BYE %s", sb, peers[i].email);
    }
    L(tl, "%s > OUT", sb);
    L(tl, "fin %s server", sb);
    blk_end(tl);
    note_t(u, t);
    return t;
}

static void build_user(user_t *u, uint64_t idx, uint64_t users, uint64_t seed, int64_t start_ns,
                       int64_t session_ns, const settings_t *mix, buf_t *out)
{
    memset(u, 0, sizeof *u);
    u->idx = idx;
    u->users = users;
    u->seed = seed;
    u->r = rng_derive(seed, TAG_POP_USER, idx, 0);
    rng_t *r = &u->r;
    person_email(idx, u->email, sizeof u->email);
    person_nick(idx, u->nick, sizeof u->nick);
    uint8_t ip[4];
    user_addr(idx, ip, &u->port_base);
    snprintf(u->ip, sizeof u->ip, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
    timeline_t *tl = &u->tl;
    const char *ver = clients[rb(r, 4)];
    int64_t rtt = 30 + rb(r, 170);
    unsigned nshost = 140 + rb(r, 30);
    int64_t dur = session_ns / 4 + (int64_t)(rng_next(r) % (uint64_t)(session_ns / 2 * 3 + 1));
    if (dur < SEC(200))
        dur = SEC(200);

    char cl[40];
    client_ep(u, cl, sizeof cl);
    add_conn(u, "ds", cl, "207.46.104.20:1863", rtt + 5, "");
    client_ep(u, cl, sizeof cl);
    char sv[40];
    snprintf(sv, sizeof sv, "207.46.106.%u:1863", nshost);
    add_conn(u, "ns", cl, sv, rtt, "");
    unsigned long long U = (unsigned long long)idx;

    /* dispatch server */
    blk_begin(tl, 0);
    L(tl, "u%llu.ds > VER 1 MSNP8 CVR0", U);
    L(tl, "u%llu.ds < VER 1 MSNP8 CVR0", U);
    L(tl, "u%llu.ds > CVR 2 0x0409 winnt 5.1 i386 MSNMSGR %s MSMSGS %s", U, ver, u->email);
    L(tl, "u%llu.ds < CVR 2 %s %s 1.0.0863 http://download.microsoft.com/download/msnmessenger/"
          "install/5.0/w98nt42kmexp/en-us/setupdl.exe http://messenger.msn.com",
      U, ver, ver);
    L(tl, "u%llu.ds > USR 3 TWN I %s", U, u->email);
    L(tl, "u%llu.ds < XFR 3 NS 207.46.106.%u:1863 0 207.46.104.20:1863", U, nshost);
    L(tl, "fin u%llu.ds server", U);
    blk_end(tl);

    /* notification server login (TrIDs 4..7 fixed, later ones numbered in
     * time order) */
    int64_t t = MSEC(700) + rtt * NS_PER_MS * 6;
    uint64_t now_s = (uint64_t)(start_ns / NS_PER_SEC);
    blk_begin(tl, t);
    L(tl, "u%llu.ns > VER 4 MSNP8 CVR0", U);
    L(tl, "u%llu.ns < VER 4 MSNP8 CVR0", U);
    L(tl, "u%llu.ns > CVR 5 0x0409 winnt 5.1 i386 MSNMSGR %s MSMSGS %s", U, ver, u->email);
    L(tl, "u%llu.ns < CVR 5 %s %s 1.0.0863 http://download.microsoft.com/download/msnmessenger/"
          "install/5.0/w98nt42kmexp/en-us/setupdl.exe http://messenger.msn.com",
      U, ver, ver);
    L(tl, "u%llu.ns > USR 6 TWN I %s", U, u->email);
    L(tl, "u%llu.ns < USR 6 TWN S lc=1033,id=507,tw=40,fs=1,ru=http%%3A%%2F%%2Fmessenger%%2Emsn"
          "%%2Ecom,ct=%llu,kpp=1,kv=5,ver=2.1.0173.1,tpf=%016llx%016llx",
      U, (unsigned long long)now_s, (unsigned long long)rng_next(r),
      (unsigned long long)rng_next(r));
    uint32_t pp = 600 + rb(r, 900); /* Passport login over HTTPS */
    L(tl, "wait %u.%03u", pp / 1000, pp % 1000);
    L(tl, "u%llu.ns > USR 7 TWN S t=%016llx*%016llx!%016llx$$&p=%016llx*%016llx!%016llx$$", U,
      (unsigned long long)rng_next(r), (unsigned long long)rng_next(r),
      (unsigned long long)rng_next(r), (unsigned long long)rng_next(r),
      (unsigned long long)rng_next(r), (unsigned long long)rng_next(r));
    L(tl, "u%llu.ns < USR 7 OK %s %s 1 0", U, u->email, u->nick);
    L(tl, "u%llu.ns < MSG Hotmail Hotmail {len}", U);
    L(tl, "  | MIME-Version: 1.0");
    L(tl, "  | Content-Type: text/x-msmsgsprofile; charset=UTF-8");
    L(tl, "  | LoginTime: %llu", (unsigned long long)now_s + 2);
    L(tl, "  | EmailEnabled: 1");
    L(tl, "  | MemberIdHigh: %u", 1000 + rb(r, 200000));
    L(tl, "  | MemberIdLow: -%u", 1 + rb(r, 2000000000u));
    L(tl, "  | lang_preference: 1033");
    L(tl, "  | preferredEmail: %s", u->email);
    L(tl, "  | country: %s", (const char *[]){"US", "GB", "FR", "DE", "NL", "BR", "CA", "ES"}[rb(r, 8)]);
    L(tl, "  |x PostalCode:\\s");
    L(tl, "  |x Gender:\\s");
    L(tl, "  | Kid: 0");
    L(tl, "  |x Age:\\s");
    L(tl, "  |x BDayPre:\\s");
    L(tl, "  |x Birthday:\\s");
    L(tl, "  |x Wallet:\\s");
    L(tl, "  | Flags: 1027");
    L(tl, "  | sid: 507");
    L(tl, "  | kv: 5");
    L(tl, "  | MSPAuth: %016llx*%016llx$$", (unsigned long long)rng_next(r),
      (unsigned long long)rng_next(r));
    L(tl, "  | ClientIP: %s", u->ip);
    L(tl, "  | ClientPort: %u", rb(r, 65536));
    L(tl, "  |");
    L(tl, "  |");
    L(tl, "u%llu.ns < MSG Hotmail Hotmail {len}", U);
    L(tl, "  | MIME-Version: 1.0");
    L(tl, "  | Content-Type: text/x-msmsgsinitialemailnotification; charset=UTF-8");
    L(tl, "  |");
    L(tl, "  | Inbox-Unread: %u", rb(r, 40));
    L(tl, "  | Folders-Unread: %u", rb(r, 3));
    L(tl, "  | Inbox-URL: /cgi-bin/HoTMaiL");
    L(tl, "  | Folders-URL: /cgi-bin/folders");
    L(tl, "  | Post-URL: http://www.hotmail.com");
    L(tl, "  |");
    L(tl, "  |");
    blk_end(tl);
    t += SEC(2) + rtt * NS_PER_MS * 6;

    /* contact list */
    uint32_t ncontacts = 3 + rb(r, 25) + rb(r, 25) + (rb(r, 5) == 0 ? rb(r, 100) : 0);
    uint32_t ngroups = 1 + rb(r, 5);
    uint32_t listver = 10 + rb(r, 900);
    uint64_t *contacts = xmalloc(ncontacts * sizeof *contacts);
    uint8_t *lists = xmalloc(ncontacts);
    for (uint32_t c = 0; c < ncontacts; c++) {
        /* distinct contacts, mostly other users of the population */
        for (;;) {
            contacts[c] = rng_next(r) % (users + 200);
            if (contacts[c] == idx)
                contacts[c] = users + 200 + idx;
            uint32_t d = 0;
            while (d < c && contacts[d] != contacts[c])
                d++;
            if (d == c)
                break;
        }
        uint32_t l = rb(r, 100);
        lists[c] = l < 75 ? 11 : l < 85 ? 3 : l < 92 ? 8 : l < 96 ? 13 : 10;
    }
    blk_begin(tl, t);
    L(tl, "u%llu.ns > SYN 8 0", U);
    L(tl, "u%llu.ns < SYN 8 %u %u %u", U, listver, ncontacts, ngroups);
    L(tl, "u%llu.ns < GTC A", U);
    L(tl, "u%llu.ns < BLP AL", U);
    if (rb(r, 2)) {
        L(tl, "u%llu.ns < PRP PHH 1%%20(425)%%20555-%04u", U, rb(r, 10000));
        L(tl, "u%llu.ns < PRP MOB N", U);
    }
    for (uint32_t g = 0; g < ngroups; g++)
        L(tl, "u%llu.ns < LSG %u %s 0", U, g, group_names[g]);
    for (uint32_t c = 0; c < ncontacts; c++) {
        char em[96], nk[128];
        person_email(contacts[c], em, sizeof em);
        person_nick(contacts[c], nk, sizeof nk);
        if (lists[c] & 1)
            L(tl, "u%llu.ns < LST %s %s %u %u", U, em, nk, lists[c], rb(r, ngroups));
        else
            L(tl, "u%llu.ns < LST %s %s %u", U, em, nk, lists[c]);
        if (rb(r, 10) == 0)
            L(tl, "u%llu.ns < BPR PHH 1%%20(206)%%20555-%04u", U, rb(r, 10000));
    }
    blk_end(tl);
    t += SEC(1);

    /* online, and the contacts already online */
    blk_begin(tl, t);
    L(tl, "u%llu.ns > CHG 9 NLN 268435492", U);
    L(tl, "u%llu.ns < CHG 9 NLN 268435492", U);
    for (uint32_t c = 0; c < ncontacts; c++) {
        if (!(lists[c] & 1) || rb(r, 100) >= 35)
            continue;
        char em[96], nk[128];
        person_email(contacts[c], em, sizeof em);
        person_nick(contacts[c], nk, sizeof nk);
        L(tl, "u%llu.ns < ILN 9 %s %s %s %u", U, statuses[rb(r, NSTATUS)], em, nk,
          rb(r, 2) ? 268435492u : 0u);
    }
    blk_end(tl);
    int64_t online = t;

    /* the challenge (the verified vector of the protocol reference) */
    blk_begin(tl, online + rtime(r, SEC(5), SEC(60)));
    L(tl, "u%llu.ns < CHL 0 29409134351025259292", U);
    L(tl, "u%llu.ns > QRY " TR_NEW " msmsgs@msnmsgr.com {len}", U);
    L(tl, "  | d0c1178c689350104350d99f8c36ed9c");
    L(tl, "u%llu.ns < QRY " TR_SAME, U);
    blk_end(tl);

    /* chats */
    int nchats;
    uint32_t cc = rb(r, 100);
    nchats = cc < 5 ? 0 : cc < 20 ? 1 : cc < 45 ? 2 : cc < 70 ? 3 : cc < 85 ? 4 : cc < 95 ? 5 : 6;
    int64_t last = online + SEC(60);
    for (int k = 0; k < nchats; k++) {
        int64_t t0 = online + rtime(r, SEC(5), dur - SEC(150));
        int64_t e = chat(u, k, t0);
        if (e > last)
            last = e;
    }
    u->nchats = nchats;

    /* presence of the contacts, status changes, mail, pings */
    for (int64_t p = online + rtime(r, SEC(10), SEC(60)); p < last;
         p += rtime(r, SEC(15), SEC(120))) {
        uint32_t c = rb(r, ncontacts);
        char em[96], nk[128];
        person_email(contacts[c], em, sizeof em);
        person_nick(contacts[c], nk, sizeof nk);
        blk_begin(tl, p);
        if (rb(r, 3) == 0)
            L(tl, "u%llu.ns < FLN %s", U, em);
        else
            L(tl, "u%llu.ns < NLN %s %s %s %u", U, statuses[rb(r, NSTATUS)], em, nk,
              rb(r, 2) ? 268435492u : 0u);
        blk_end(tl);
    }
    for (int64_t p = online + rtime(r, SEC(40), SEC(60)); p < last;
         p += rtime(r, SEC(45), SEC(65))) {
        blk_begin(tl, p);
        L(tl, "u%llu.ns > PNG", U);
        L(tl, "u%llu.ns < QNG", U);
        blk_end(tl);
    }
    if (rb(r, 100) < 30) {
        int64_t p = online + rtime(r, SEC(30), last - online);
        const char *st = statuses[3 + rb(r, NSTATUS - 3)];
        blk_begin(tl, p);
        L(tl, "u%llu.ns > CHG " TR_NEW " %s 268435492", U, st);
        L(tl, "u%llu.ns < CHG " TR_SAME " %s 268435492", U, st);
        blk_end(tl);
        blk_begin(tl, p + rtime(r, SEC(20), SEC(300)));
        L(tl, "u%llu.ns > CHG " TR_NEW " NLN 268435492", U);
        L(tl, "u%llu.ns < CHG " TR_SAME " NLN 268435492", U);
        blk_end(tl);
    }
    if (rb(r, 100) < 10) {
        blk_begin(tl, online + rtime(r, SEC(30), last - online));
        L(tl, "u%llu.ns > REA " TR_NEW " %s %s%%20(brb)", U, u->email, u->nick);
        L(tl, "u%llu.ns < REA " TR_SAME " %u %s %s%%20(brb)", U, listver + 1, u->email, u->nick);
        blk_end(tl);
    }
    if (rb(r, 100) < 15) {
        char em[96];
        uint32_t c = rb(r, ncontacts);
        person_email(contacts[c], em, sizeof em);
        blk_begin(tl, online + rtime(r, SEC(30), last - online));
        L(tl, "u%llu.ns < MSG Hotmail Hotmail {len}", U);
        L(tl, "  | MIME-Version: 1.0");
        L(tl, "  | Content-Type: text/x-msmsgsemailnotification; charset=UTF-8");
        L(tl, "  |");
        L(tl, "  | From: %s", first_names[contacts[c] % NFIRST]);
        L(tl, "  | Message-URL: /cgi-bin/getmsg?msg=MSG%llu.%u&start=%u&len=%u&curmbox=ACTIVE",
          (unsigned long long)now_s, rb(r, 100), rb(r, 5000), 500 + rb(r, 9000));
        L(tl, "  | Post-URL: https://loginnet.passport.com/ppsecure/md5auth.srf?lc=1033");
        L(tl, "  | Subject: =?\"us-ascii\"?Q?%s_%s?=", words[rb(r, NWORDS)],
          words[rb(r, NWORDS)]);
        L(tl, "  | Dest-Folder: ACTIVE");
        L(tl, "  | From-Addr: %s", em);
        L(tl, "  | id: 2");
        L(tl, "  |");
        L(tl, "  |");
        blk_end(tl);
    }
    free(contacts);
    free(lists);

    /* logout, after everything else */
    int64_t end = last > u->end_t ? last : u->end_t;
    for (size_t i = 0; i < tl->n; i++)
        if (tl->a[i].t > end)
            end = tl->a[i].t;
    blk_begin(tl, end + rtime(r, SEC(2), SEC(30)));
    if (rb(r, 100) < 96) {
        L(tl, "u%llu.ns > OUT", U);
        L(tl, "fin u%llu.ns server", U);
    } else {
        L(tl, "rst u%llu.ns client", U); /* the client crashed */
    }
    blk_end(tl);

    /* the scenario text */
    char when[48];
    format_utc(start_ns, when, sizeof when);
    bprintf(out, "# msnpgen population: user %llu of %llu, %s (%s)\n", U,
            (unsigned long long)users, u->email, u->ip);
    bprintf(out, "seed %llu\nstart %s\ndelay 0.020\nburst 0.0004\n",
            (unsigned long long)mix->seed, when);
    if (mix->split_mode == SPLIT_RANDOM)
        bprintf(out, "split random\n");
    else if (mix->split_mode == SPLIT_FIXED)
        bprintf(out, "split %u\n", mix->split_n);
    bprintf(out, "coalesce %s\n", mix->coalesce ? "on" : "off");
    if (mix->reorder_ppm)
        bprintf(out, "reorder 0.%06u\n", mix->reorder_ppm);
    if (mix->retransmit_ppm)
        bprintf(out, "retransmit 0.%06u\n", mix->retransmit_ppm);
    if (mix->loss_ppm)
        bprintf(out, "loss 0.%06u\n", mix->loss_ppm);
    buf_append(out, u->conns.data, u->conns.len);
    render(tl, out, 10);
    buf_free(&u->conns);
    buf_free(&tl->txt);
    free(tl->a);
}

/* The per-user segmentation mix: which users' traffic is split, coalesced,
 * reordered, retransmitted (fixed options override). */
static void user_mix(const pop_opts_t *po, const settings_t *base, uint64_t idx, settings_t *m)
{
    *m = *base;
    rng_t r = rng_derive(base->seed, TAG_POP_SEED, idx, 1);
    m->seed = rng_next(&r);
    uint32_t a = rb(&r, 100), b = rb(&r, 100), c = rb(&r, 100), d = rb(&r, 100);
    if (!po->fix_split) {
        m->split_mode = a < 10 ? SPLIT_RANDOM : SPLIT_NONE;
        m->split_n = 0;
    }
    if (!po->fix_coalesce)
        m->coalesce = b < 50;
    if (!po->fix_reorder)
        m->reorder_ppm = c < 30 ? 20000 : 0;
    if (!po->fix_retransmit)
        m->retransmit_ppm = d < 30 ? 10000 : 0;
}

/* Login times: user i logs in `arrival` on average after user i-1. */
static int64_t next_arrival(rng_t *r, int64_t prev, int64_t mean)
{
    return prev + (int64_t)(rng_next(r) % (uint64_t)(2 * mean + 1)) / 1000 * 1000;
}

/* ---------------------------------------------------------------------- */
/* Counts                                                                  */

typedef struct {
    uint64_t users, chats;
    uint64_t conns, conns_ds, conns_ns, conns_sb, conns_ft;
    uint64_t commands, c2s, s2c, lost, resync;
    uint64_t msg, text, typing, invite_msgs, invitations, ft_transfers, ft_blocks, ft_bytes;
    uint64_t packets, data_packets, data_packets_1863, bytes_wire;
    uint64_t open_now, open_max, online_now, online_max;
    int64_t first_t, last_t;
    int have_t;
} counts_t;

static int has(const uint8_t *p, size_t n, const char *s)
{
    size_t k = strlen(s);
    if (n < k)
        return 0;
    for (size_t i = 0; i + k <= n; i++)
        if (p[i] == (uint8_t)s[0] && !memcmp(p + i, s, k))
            return 1;
    return 0;
}

static void cnt_conn(void *ctx, const plan_t *pl, size_t c)
{
    counts_t *k = ctx;
    const char *name = pl->sc->conns[c].name;
    const char *dot = strchr(name, '.');
    const char *role = dot ? dot + 1 : name;
    k->conns++;
    if (!strncmp(role, "ds", 2))
        k->conns_ds++;
    else if (!strncmp(role, "ns", 2))
        k->conns_ns++;
    else if (!strncmp(role, "sb", 2))
        k->conns_sb++;
    else if (!strncmp(role, "ft", 2))
        k->conns_ft++;
}

static void cnt_rec(void *ctx, const plan_t *pl, const record_t *r, int prefix)
{
    counts_t *k = ctx;
    if (prefix == 1) {
        k->lost++;
        return;
    }
    if (prefix == 2)
        k->resync++;
    if (r->kind == REC_BINARY) {
        k->ft_transfers++;
        k->ft_blocks += r->n2;
        k->ft_bytes += r->n1;
        return;
    }
    if (r->kind != REC_LINE)
        return;
    k->commands++;
    if (r->side == SIDE_CLIENT)
        k->c2s++;
    else
        k->s2c++;
    const uint8_t *line = pl->sc->arena.data + r->aoff;
    if (r->alen >= 4 && !memcmp(line, "MSG ", 4)) {
        k->msg++;
        const buf_t *st = &pl->streams[r->carrier * 2 + r->side];
        const uint8_t *pay = st->data + r->start + r->alen;
        size_t n = (size_t)(r->end - r->start - r->alen);
        size_t look = n < 120 ? n : 120;
        if (has(pay, look, "Content-Type: text/plain"))
            k->text++;
        else if (has(pay, look, "Content-Type: text/x-msmsgscontrol"))
            k->typing++;
        else if (has(pay, look, "Content-Type: text/x-msmsgsinvite")) {
            k->invite_msgs++;
            if (has(pay, n, "Invitation-Command: INVITE"))
                k->invitations++;
        }
    }
}

static int write_counts(const counts_t *k, const pop_opts_t *po, const settings_t *set,
                        const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int64_t span = k->have_t ? k->last_t - k->first_t : 0;
    fprintf(f,
            "{\n"
            "  \"generator\": \"msnpgen --population\",\n"
            "  \"seed\": %llu,\n"
            "  \"users\": %llu,\n"
            "  \"connections\": %llu,\n"
            "  \"connections_ds\": %llu,\n"
            "  \"connections_ns\": %llu,\n"
            "  \"connections_sb\": %llu,\n"
            "  \"connections_msnftp\": %llu,\n"
            "  \"chats\": %llu,\n"
            "  \"commands\": %llu,\n"
            "  \"commands_c2s\": %llu,\n"
            "  \"commands_s2c\": %llu,\n"
            "  \"commands_lost\": %llu,\n"
            "  \"commands_resync\": %llu,\n"
            "  \"msg_commands\": %llu,\n"
            "  \"text_messages\": %llu,\n"
            "  \"typing_notifications\": %llu,\n"
            "  \"invitation_messages\": %llu,\n"
            "  \"invitations\": %llu,\n"
            "  \"msnftp_transfers\": %llu,\n"
            "  \"msnftp_blocks\": %llu,\n"
            "  \"msnftp_bytes\": %llu,\n"
            "  \"packets\": %llu,\n"
            "  \"data_packets\": %llu,\n"
            "  \"data_packets_port_1863\": %llu,\n"
            "  \"frame_bytes\": %llu,\n"
            "  \"max_open_connections\": %llu,\n"
            "  \"max_online_users\": %llu,\n"
            "  \"span_seconds\": %lld.%06lld\n"
            "}\n",
            (unsigned long long)set->seed, (unsigned long long)po->users,
            (unsigned long long)k->conns, (unsigned long long)k->conns_ds,
            (unsigned long long)k->conns_ns, (unsigned long long)k->conns_sb,
            (unsigned long long)k->conns_ft, (unsigned long long)k->conns_sb,
            (unsigned long long)k->commands, (unsigned long long)k->c2s,
            (unsigned long long)k->s2c, (unsigned long long)k->lost,
            (unsigned long long)k->resync, (unsigned long long)k->msg,
            (unsigned long long)k->text, (unsigned long long)k->typing,
            (unsigned long long)k->invite_msgs, (unsigned long long)k->invitations,
            (unsigned long long)k->ft_transfers, (unsigned long long)k->ft_blocks,
            (unsigned long long)k->ft_bytes, (unsigned long long)k->packets,
            (unsigned long long)k->data_packets, (unsigned long long)k->data_packets_1863,
            (unsigned long long)k->bytes_wire, (unsigned long long)k->open_max,
            (unsigned long long)k->online_max, (long long)(span / NS_PER_SEC),
            (long long)(span % NS_PER_SEC / 1000));
    return fclose(f) ? -1 : 0;
}

/* ---------------------------------------------------------------------- */
/* The streaming merge                                                     */

static void io_error(const char *path)
{
    fprintf(stderr, "msnpgen: %s: %s\n", path, strerror(errno));
}

typedef struct {
    int64_t t; /* time of the next packet (the heap key, with idx) */
    uint64_t idx;
    scenario_t sc;
    plan_t pl;
    emit_state_t es;
    size_t next;         /* next packet to write */
    uint32_t *last_pkt;  /* per connection: index of its last captured packet */
    uint8_t *started;    /* per connection: a packet was written */
    uint8_t *port1863;   /* per connection */
} active_t;

typedef struct {
    active_t **v;
    size_t n, cap;
} heap_t;

static int act_less(const active_t *a, const active_t *b)
{
    if (a->t != b->t)
        return a->t < b->t;
    return a->idx < b->idx;
}

static void heap_push(heap_t *h, active_t *a)
{
    grow_array((void **)&h->v, &h->cap, h->n + 1, sizeof *h->v);
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!act_less(a, h->v[p]))
            break;
        h->v[i] = h->v[p];
        i = p;
    }
    h->v[i] = a;
}

static void heap_sift_down(heap_t *h, size_t i)
{
    active_t *a = h->v[i];
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l >= h->n)
            break;
        m = l;
        if (l + 1 < h->n && act_less(h->v[l + 1], h->v[l]))
            m = l + 1;
        if (!act_less(h->v[m], a))
            break;
        h->v[i] = h->v[m];
        i = m;
    }
    h->v[i] = a;
}

static void heap_pop(heap_t *h)
{
    h->v[0] = h->v[--h->n];
    if (h->n)
        heap_sift_down(h, 0);
}

/* Skip lost packets; 0 when the user has nothing left. */
static int act_settle(active_t *a)
{
    while (a->next < a->pl.npkts && a->pl.pkts[a->next].lost)
        a->next++;
    if (a->next >= a->pl.npkts)
        return 0;
    a->t = a->pl.pkts[a->next].t;
    return 1;
}

static void act_free(active_t *a)
{
    emit_state_free(&a->es);
    plan_free(&a->pl);
    scenario_free(&a->sc);
    free(a->last_pkt);
    free(a->started);
    free(a->port1863);
    free(a);
}

static int make_user(const pop_opts_t *po, const settings_t *set, uint64_t idx, int64_t start,
                     active_t **res, buf_t *text)
{
    settings_t mix;
    user_mix(po, set, idx, &mix);
    user_t u;
    text->len = 0;
    build_user(&u, idx, po->users, set->seed, start, po->session_ns, &mix, text);
    active_t *a = xcalloc(1, sizeof *a);
    a->idx = idx;
    char path[64], err[512];
    snprintf(path, sizeof path, "population:user%llu", (unsigned long long)idx);
    int rc = scenario_parse(&a->sc, path, (const char *)text->data, text->len, err, sizeof err);
    if (rc) {
        fprintf(stderr, "msnpgen: internal error in the population scenario: %s\n", err);
        act_free(a);
        return rc;
    }
    /* The scenario carries the user's settings; format and link (and the
     * options fixed on the command line) are the run's. */
    settings_t us = a->sc.set;
    us.format = set->format;
    us.link = set->link;
    us.vlan_id = set->vlan_id;
    if (po->fix_split) {
        us.split_mode = set->split_mode;
        us.split_n = set->split_n;
    }
    if (po->fix_coalesce)
        us.coalesce = set->coalesce;
    if (po->fix_reorder)
        us.reorder_ppm = set->reorder_ppm;
    if (po->fix_retransmit)
        us.retransmit_ppm = set->retransmit_ppm;
    if (po->fix_loss)
        us.loss_ppm = set->loss_ppm;
    if (po->fix_acks)
        us.acks = set->acks;
    if (po->fix_mss)
        us.mss = set->mss;
    rc = plan_build(&a->pl, &a->sc, &us, err, sizeof err);
    if (rc) {
        fprintf(stderr, "msnpgen: internal error in the population plan: %s\n", err);
        act_free(a);
        return rc;
    }
    plan_sort(&a->pl);
    /* the events are no longer needed; the arena holds the truth's text */
    free(a->sc.evs);
    a->sc.evs = NULL;
    a->sc.nevs = a->sc.capevs = 0;
    size_t nc = a->sc.nconns;
    a->last_pkt = xcalloc(nc ? nc : 1, sizeof *a->last_pkt);
    a->started = xcalloc(nc ? nc : 1, 1);
    a->port1863 = xcalloc(nc ? nc : 1, 1);
    for (size_t c = 0; c < nc; c++)
        a->port1863[c] = a->sc.conns[c].ep[0].port == 1863 || a->sc.conns[c].ep[1].port == 1863;
    for (size_t i = 0; i < a->pl.npkts; i++)
        if (!a->pl.pkts[i].lost)
            a->last_pkt[a->pl.pkts[i].conn] = (uint32_t)i;
    emit_state_init(&a->es, &a->pl);
    *res = a;
    return 0;
}

int population_run(const pop_opts_t *po, const settings_t *set, const char *out,
                   const char *truth, const char *counts, int stats)
{
    rng_t arr = rng_derive(set->seed, TAG_POP_ARRIVAL, 0, 0);
    buf_t text = {0};

    if (po->dump_user >= 0) {
        if ((uint64_t)po->dump_user >= po->users) {
            fprintf(stderr, "msnpgen: --dump-user %lld: the population has %llu users\n",
                    (long long)po->dump_user, (unsigned long long)po->users);
            return GEN_EXIT_USAGE;
        }
        int64_t st = set->start_ns;
        for (int64_t i = 0; i < po->dump_user; i++)
            st = next_arrival(&arr, st, po->arrival_ns);
        settings_t mix;
        user_mix(po, set, (uint64_t)po->dump_user, &mix);
        user_t u;
        build_user(&u, (uint64_t)po->dump_user, po->users, set->seed, st, po->session_ns, &mix,
                   &text);
        int bad = fwrite(text.data, 1, text.len, stdout) != text.len;
        bad |= fflush(stdout) != 0;
        buf_free(&text);
        return bad ? GEN_EXIT_IO : 0;
    }

    pcapw_t w;
    if (pcapw_open(&w, out, set->format, link_dlt(set->link)) < 0) {
        io_error(out);
        return GEN_EXIT_IO;
    }
    FILE *tf = NULL;
    if (truth) {
        tf = fopen(truth, "wb");
        if (!tf || fputs(TRUTH_HEADER, tf) < 0) {
            io_error(truth);
            if (tf)
                fclose(tf);
            pcapw_close(&w);
            return GEN_EXIT_IO;
        }
    }
    counts_t k;
    memset(&k, 0, sizeof k);
    k.users = po->users;
    truth_visitor_t cv = {cnt_conn, cnt_rec};
    heap_t h = {0};
    uint8_t *frame = xmalloc(FRAME_MAX);
    uint64_t next_user = 0;
    int64_t next_start = set->start_ns;
    int rc = 0;
    size_t max_active = 0;

    while (!rc && (next_user < po->users || h.n)) {
        if (next_user < po->users && (!h.n || next_start <= h.v[0]->t)) {
            active_t *a = NULL;
            rc = make_user(po, set, next_user, next_start, &a, &text);
            if (rc)
                break;
            truth_walk(&a->pl, &cv, &k);
            if (tf && write_truth_records(&a->pl, tf) < 0) {
                io_error(truth);
                rc = GEN_EXIT_IO;
                act_free(a);
                break;
            }
            /* only the packets and the streams are needed from now on */
            plan_trim(&a->pl);
            buf_free(&a->sc.arena);
            if (act_settle(a)) {
                heap_push(&h, a);
                k.online_now++;
                if (k.online_now > k.online_max)
                    k.online_max = k.online_now;
            } else {
                act_free(a);
            }
            if (h.n > max_active)
                max_active = h.n;
            next_user++;
            next_start = next_arrival(&arr, next_start, po->arrival_ns);
            continue;
        }
        active_t *a = h.v[0];
        const pkt_t *p = &a->pl.pkts[a->next];
        size_t n = emit_frame(&a->pl, &a->es, p, set->link, set->vlan_id, frame);
        pcapw_packet(&w, p->t, frame, n);
        if (!k.have_t) {
            k.first_t = p->t;
            k.have_t = 1;
        }
        k.last_t = p->t;
        k.packets++;
        k.bytes_wire += n;
        if (p->len) {
            k.data_packets++;
            if (a->port1863[p->conn])
                k.data_packets_1863++;
        }
        if (!a->started[p->conn]) {
            a->started[p->conn] = 1;
            if (++k.open_now > k.open_max)
                k.open_max = k.open_now;
        }
        if (a->last_pkt[p->conn] == a->next)
            k.open_now--;
        a->next++;
        if (act_settle(a)) {
            heap_sift_down(&h, 0);
        } else {
            heap_pop(&h);
            k.online_now--;
            act_free(a);
        }
    }
    for (size_t i = 0; i < h.n; i++)
        act_free(h.v[i]);
    free(h.v);
    free(frame);
    buf_free(&text);
    if (pcapw_close(&w) < 0 && !rc) {
        io_error(out);
        rc = GEN_EXIT_IO;
    }
    if (tf && fclose(tf) != 0 && !rc) {
        io_error(truth);
        rc = GEN_EXIT_IO;
    }
    if (!rc && counts && write_counts(&k, po, set, counts) < 0) {
        io_error(counts);
        rc = GEN_EXIT_IO;
    }
    if (!rc && stats)
        fprintf(stderr,
                "msnpgen: %llu packets, %llu users (at most %llu online, %zu in memory), "
                "%llu connections (at most %llu open at once), %llu commands, %llu text "
                "messages\n",
                (unsigned long long)k.packets, (unsigned long long)k.users,
                (unsigned long long)k.online_max, max_active, (unsigned long long)k.conns,
                (unsigned long long)k.open_max, (unsigned long long)k.commands,
                (unsigned long long)k.text);
    return rc;
}

void pop_opts_default(pop_opts_t *po)
{
    memset(po, 0, sizeof *po);
    po->users = 0;
    po->arrival_ns = SEC(1);
    po->session_ns = SEC(900);
    po->dump_user = -1;
}
