#include "scenario.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REPEAT_DEPTH 16
#define MAX_TOKENS 24

void settings_default(settings_t *s)
{
    memset(s, 0, sizeof *s);
    s->format = FMT_PCAP;
    s->link = LINK_ETHERNET;
    s->vlan_id = 100;
    s->seed = 1;
    s->start_ns = INT64_C(1057244400) * NS_PER_SEC; /* 2003-07-03T15:00:00Z */
    s->mss = 1460;
    s->acks = 1;
    s->split_mode = SPLIT_NONE;
    s->split_n = 0;
    s->coalesce = 0;
    s->delay_ns = 20 * NS_PER_MS;
    s->burst_ns = 500 * NS_PER_US;
    s->rtt_ns = 80 * NS_PER_MS;
}

int parse_format_name(const char *s, int *fmt)
{
    if (!strcmp(s, "pcap"))
        *fmt = FMT_PCAP;
    else if (!strcmp(s, "pcap-ns"))
        *fmt = FMT_PCAP_NS;
    else if (!strcmp(s, "pcapng"))
        *fmt = FMT_PCAPNG;
    else if (!strcmp(s, "pcapng-ns"))
        *fmt = FMT_PCAPNG_NS;
    else
        return -1;
    return 0;
}

int parse_link_name(const char *s, int *link, uint16_t *vlan)
{
    if (!strcmp(s, "ethernet"))
        *link = LINK_ETHERNET;
    else if (!strcmp(s, "vlan"))
        *link = LINK_VLAN;
    else if (!strncmp(s, "vlan:", 5)) {
        uint64_t v;
        if (parse_u64(s + 5, &v) < 0 || v < 1 || v > 4094)
            return -1;
        *link = LINK_VLAN;
        *vlan = (uint16_t)v;
    } else if (!strcmp(s, "sll"))
        *link = LINK_SLL;
    else if (!strcmp(s, "sll2"))
        *link = LINK_SLL2;
    else if (!strcmp(s, "raw"))
        *link = LINK_RAW;
    else if (!strcmp(s, "null"))
        *link = LINK_NULL;
    else
        return -1;
    return 0;
}

int parse_split_spec(const char *s, int *mode, uint32_t *n)
{
    uint64_t v;
    if (!strcmp(s, "none")) {
        *mode = SPLIT_NONE;
        *n = 0;
    } else if (!strcmp(s, "random")) {
        *mode = SPLIT_RANDOM;
        *n = 0;
    } else if (parse_u64(s, &v) == 0 && v >= 1 && v <= 65535) {
        *mode = SPLIT_FIXED;
        *n = (uint32_t)v;
    } else {
        return -1;
    }
    return 0;
}

int endpoint_parse(const char *s, endpoint_t *ep)
{
    char host[64];
    const char *colon;
    memset(ep, 0, sizeof *ep);
    if (s[0] == '[') {
        const char *rb = strchr(s, ']');
        if (!rb || rb[1] != ':' || (size_t)(rb - s - 1) >= sizeof host)
            return -1;
        memcpy(host, s + 1, (size_t)(rb - s - 1));
        host[rb - s - 1] = '\0';
        if (inet_pton(AF_INET6, host, ep->addr) != 1)
            return -1;
        ep->family = 6;
        colon = rb + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon || (size_t)(colon - s) >= sizeof host)
            return -1;
        memcpy(host, s, (size_t)(colon - s));
        host[colon - s] = '\0';
        if (strchr(host, ':') || inet_pton(AF_INET, host, ep->addr) != 1)
            return -1;
        ep->family = 4;
    }
    uint64_t port;
    for (const char *q = colon + 1; *q; q++)
        if (*q < '0' || *q > '9')
            return -1;
    if (parse_u64(colon + 1, &port) < 0 || port > 65535)
        return -1;
    ep->port = (uint16_t)port;
    return 0;
}

void endpoint_format(const endpoint_t *ep, char *out, size_t n)
{
    if (ep->family == 4) {
        snprintf(out, n, "%u.%u.%u.%u:%u", ep->addr[0], ep->addr[1], ep->addr[2], ep->addr[3],
                 ep->port);
        return;
    }
    /* RFC 5952: lower case, leading zeros dropped, longest run (>= 2) of
     * zero groups (first if tied) replaced by "::". */
    unsigned g[8];
    for (int i = 0; i < 8; i++)
        g[i] = (unsigned)ep->addr[2 * i] << 8 | ep->addr[2 * i + 1];
    int best = -1, bestlen = 0;
    for (int i = 0; i < 8;) {
        if (g[i]) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && !g[j])
            j++;
        if (j - i > bestlen && j - i >= 2) {
            best = i;
            bestlen = j - i;
        }
        i = j;
    }
    char a[48];
    size_t k = 0;
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            a[k++] = ':';
            if (i == 0)
                a[k++] = ':';
            i += bestlen - 1;
            continue;
        }
        k += (size_t)snprintf(a + k, sizeof a - k, "%x", g[i]);
        if (i < 7)
            a[k++] = ':';
    }
    a[k] = '\0';
    snprintf(out, n, "[%s]:%u", a, ep->port);
}

/* ---------------------------------------------------------------------- */

enum { TERM_CRLF, TERM_LF, TERM_NONE };

typedef struct {
    scenario_t *sc;
    const char *path;
    uint32_t line;
    char *err;
    size_t errlen;
    int64_t cur_rtt;

    /* A send line waiting for its payload lines. */
    int pend;
    uint32_t pend_line, pend_conn;
    uint8_t pend_side;
    int pend_escaped, pend_term;
    char *pend_text;
    size_t pend_textlen;
    buf_t payload;
    int pay_lines;
    int pay_sep;

    struct {
        size_t start;
        uint64_t count;
        uint32_t line;
    } rep[MAX_REPEAT_DEPTH];
    int nrep;
} parser_t;

__attribute__((format(printf, 2, 3))) static int perr(parser_t *ps, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(ps->err, ps->errlen, "%s:%u: %s", ps->path, (unsigned)ps->line, msg);
    return GEN_EXIT_SCENARIO;
}

static const char *const keywords[] = {
    "format", "link", "seed", "start", "delay", "burst", "rtt", "mss", "acks", "split",
    "coalesce", "reorder", "retransmit", "loss", "conn", "gateway", "http", "open", "fin",
    "rst", "wait", "repeat", "end", NULL};

static int is_keyword(const char *s)
{
    for (int i = 0; keywords[i]; i++)
        if (!strcmp(keywords[i], s))
            return 1;
    return 0;
}

static int valid_name(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return 0;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.'))
            return 0;
    return 1;
}

static int find_conn(const scenario_t *sc, const char *name, size_t n)
{
    for (size_t i = 0; i < sc->nconns; i++)
        if (strlen(sc->conns[i].name) == n && !memcmp(sc->conns[i].name, name, n))
            return (int)i;
    return -1;
}

static event_t *new_event(parser_t *ps, int kind)
{
    scenario_t *sc = ps->sc;
    grow_array((void **)&sc->evs, &sc->capevs, sc->nevs + 1, sizeof *sc->evs);
    event_t *e = &sc->evs[sc->nevs++];
    memset(e, 0, sizeof *e);
    e->kind = (uint8_t)kind;
    e->line = ps->line;
    return e;
}

/* Emit the pending send line (with its payload) as an event. */
static int finish_pending(parser_t *ps)
{
    if (!ps->pend)
        return 0;
    scenario_t *sc = ps->sc;
    uint32_t saved = ps->line;
    ps->line = ps->pend_line;
    ps->pend = 0;

    /* Substitute {len} by the payload's byte length. */
    buf_t text = {0};
    char lenbuf[24];
    int lenlen = snprintf(lenbuf, sizeof lenbuf, "%zu", ps->payload.len);
    for (size_t i = 0; i < ps->pend_textlen;) {
        if (ps->pend_textlen - i >= 5 && !memcmp(ps->pend_text + i, "{len}", 5)) {
            buf_append(&text, lenbuf, (size_t)lenlen);
            i += 5;
        } else {
            buf_putc(&text, (uint8_t)ps->pend_text[i++]);
        }
    }
    event_t *e = new_event(ps, ps->pend_term == TERM_NONE ? EV_RAW : EV_SEND);
    e->conn = ps->pend_conn;
    e->side = ps->pend_side;
    e->off = sc->arena.len;
    if (ps->pend_escaped) {
        const char *msg;
        if (unescape((const char *)text.data, text.len, &sc->arena, &msg) < 0) {
            buf_free(&text);
            return perr(ps, "%s", msg);
        }
    } else {
        buf_append(&sc->arena, text.data, text.len);
    }
    buf_free(&text);
    e->text_len = (uint32_t)(sc->arena.len - e->off);
    if (ps->pend_term == TERM_CRLF)
        buf_append(&sc->arena, "\r\n", 2);
    else if (ps->pend_term == TERM_LF)
        buf_putc(&sc->arena, '\n');
    buf_append(&sc->arena, ps->payload.data, ps->payload.len);
    if (sc->arena.len - e->off > UINT32_MAX)
        return perr(ps, "send too large");
    e->len = (uint32_t)(sc->arena.len - e->off);
    if (e->kind == EV_RAW && e->len == 0)
        return perr(ps, "raw send without bytes");
    free(ps->pend_text);
    ps->pend_text = NULL;
    ps->payload.len = 0;
    ps->line = saved;
    return 0;
}

/* Parse a modifier ("", "lf", "x", "xlf", "raw"); -1 if unknown. */
static int parse_mod(const char *m, size_t n, int *escaped, int *term)
{
    if (n == 0) {
        *escaped = 0;
        *term = TERM_CRLF;
    } else if (n == 2 && !memcmp(m, "lf", 2)) {
        *escaped = 0;
        *term = TERM_LF;
    } else if (n == 1 && m[0] == 'x') {
        *escaped = 1;
        *term = TERM_CRLF;
    } else if (n == 3 && !memcmp(m, "xlf", 3)) {
        *escaped = 1;
        *term = TERM_LF;
    } else if (n == 3 && !memcmp(m, "raw", 3)) {
        *escaped = 1;
        *term = TERM_NONE;
    } else {
        return -1;
    }
    return 0;
}

static int payload_line(parser_t *ps, const char *p, size_t n)
{
    /* p points just after '|' */
    size_t m = 0;
    while (m < n && p[m] != ' ')
        m++;
    int escaped, term;
    if (parse_mod(p, m, &escaped, &term) < 0)
        return perr(ps, "bad payload marker '|%.*s' (use | |lf |x |xlf |raw, then a space)",
                    (int)m, p);
    if (!ps->pend)
        return perr(ps, "payload line without a preceding send line");
    if (ps->pend_term == TERM_NONE)
        return perr(ps, "raw sends cannot have payload lines");
    const char *content = p + m;
    size_t clen = n - m;
    if (clen > 0) { /* skip the single separating space */
        content++;
        clen--;
    }
    if (ps->pay_lines > 0) {
        if (ps->pay_sep == TERM_CRLF)
            buf_append(&ps->payload, "\r\n", 2);
        else if (ps->pay_sep == TERM_LF)
            buf_putc(&ps->payload, '\n');
    }
    if (escaped) {
        const char *msg;
        if (unescape(content, clen, &ps->payload, &msg) < 0)
            return perr(ps, "%s", msg);
    } else {
        buf_append(&ps->payload, content, clen);
    }
    ps->pay_lines++;
    ps->pay_sep = term;
    return 0;
}

static int tokenize(char *s, char **tok, int max)
{
    int n = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        if (n == max)
            return -1;
        tok[n++] = s;
        while (*s && *s != ' ' && *s != '\t')
            s++;
        if (*s)
            *s++ = '\0';
    }
    return n;
}

static int parse_side(parser_t *ps, int ntok, char **tok, int idx, uint8_t *side)
{
    if (ntok <= idx) {
        *side = SIDE_CLIENT;
        return 0;
    }
    if (ntok > idx + 1)
        return perr(ps, "too many arguments to '%s'", tok[0]);
    if (!strcmp(tok[idx], "client"))
        *side = SIDE_CLIENT;
    else if (!strcmp(tok[idx], "server"))
        *side = SIDE_SERVER;
    else
        return perr(ps, "expected 'client' or 'server', got '%s'", tok[idx]);
    return 0;
}

static int parse_onoff(parser_t *ps, const char *v, int *out)
{
    if (!strcmp(v, "on") || !strcmp(v, "yes"))
        *out = 1;
    else if (!strcmp(v, "off") || !strcmp(v, "no"))
        *out = 0;
    else
        return perr(ps, "expected on or off, got '%s'", v);
    return 0;
}

static int conn_directive(parser_t *ps, int ntok, char **tok)
{
    scenario_t *sc = ps->sc;
    if (ntok < 4)
        return perr(ps, "usage: conn NAME CLIENT-IP:PORT SERVER-IP:PORT [midstream] [rtt=S] "
                        "[local=client|server]");
    if (!valid_name(tok[1]) || is_keyword(tok[1]))
        return perr(ps, "invalid connection name '%s'", tok[1]);
    if (find_conn(sc, tok[1], strlen(tok[1])) >= 0)
        return perr(ps, "connection '%s' already defined", tok[1]);
    if (ps->nrep)
        return perr(ps, "conn is not allowed inside repeat");
    conn_t c;
    memset(&c, 0, sizeof c);
    c.handshake = 1;
    c.local = SIDE_CLIENT;
    c.rtt_ns = ps->cur_rtt;
    c.line = ps->line;
    if (endpoint_parse(tok[2], &c.ep[0]) < 0)
        return perr(ps, "bad client endpoint '%s' (IPv4 a.b.c.d:port or [IPv6]:port)", tok[2]);
    if (endpoint_parse(tok[3], &c.ep[1]) < 0)
        return perr(ps, "bad server endpoint '%s' (IPv4 a.b.c.d:port or [IPv6]:port)", tok[3]);
    if (c.ep[0].family != c.ep[1].family)
        return perr(ps, "client and server must both be IPv4 or both IPv6");
    for (int i = 4; i < ntok; i++) {
        if (!strcmp(tok[i], "midstream") || !strcmp(tok[i], "handshake=no")) {
            c.handshake = 0;
        } else if (!strcmp(tok[i], "handshake=yes")) {
            c.handshake = 1;
        } else if (!strncmp(tok[i], "rtt=", 4)) {
            if (parse_seconds(tok[i] + 4, &c.rtt_ns) < 0)
                return perr(ps, "bad rtt '%s'", tok[i] + 4);
        } else if (!strcmp(tok[i], "local=client")) {
            c.local = SIDE_CLIENT;
        } else if (!strcmp(tok[i], "local=server")) {
            c.local = SIDE_SERVER;
        } else {
            return perr(ps, "unknown conn option '%s'", tok[i]);
        }
    }
    c.name = xstrdup(tok[1]);
    grow_array((void **)&sc->conns, &sc->capconns, sc->nconns + 1, sizeof *sc->conns);
    sc->conns[sc->nconns++] = c;
    return 0;
}

/* gateway NAME NS|SB TARGET: an MSNP connection over the HTTP gateway. */
static int gateway_directive(parser_t *ps, int ntok, char **tok)
{
    scenario_t *sc = ps->sc;
    if (ntok != 4 || (strcmp(tok[2], "NS") && strcmp(tok[2], "SB")))
        return perr(ps, "usage: gateway NAME NS|SB TARGET (the Server= and IP= of Action=open)");
    if (!valid_name(tok[1]) || is_keyword(tok[1]))
        return perr(ps, "invalid connection name '%s'", tok[1]);
    if (find_conn(sc, tok[1], strlen(tok[1])) >= 0)
        return perr(ps, "connection '%s' already defined", tok[1]);
    if (ps->nrep)
        return perr(ps, "gateway is not allowed inside repeat");
    for (const char *q = tok[3]; *q; q++)
        if (*q <= ' ' || *q > '~' || *q == '&' || *q == '#' || *q == '?')
            return perr(ps, "bad gateway target '%s' (a host name or address)", tok[3]);
    conn_t c;
    memset(&c, 0, sizeof c);
    c.kind = CONN_GATEWAY;
    memcpy(c.gw_server, tok[2], 3);
    c.gw_target = xstrdup(tok[3]);
    c.rtt_ns = ps->cur_rtt;
    c.line = ps->line;
    c.name = xstrdup(tok[1]);
    grow_array((void **)&sc->conns, &sc->capconns, sc->nconns + 1, sizeof *sc->conns);
    sc->conns[sc->nconns++] = c;
    return 0;
}

/* http CARRIER SESSION [close]: one POST and its response. */
static int http_directive(parser_t *ps, int ntok, char **tok)
{
    scenario_t *sc = ps->sc;
    if (ntok < 3 || ntok > 4 || (ntok == 4 && strcmp(tok[3], "close")))
        return perr(ps, "usage: http TCP-CONNECTION GATEWAY-SESSION [close]");
    int carrier = find_conn(sc, tok[1], strlen(tok[1]));
    int session = find_conn(sc, tok[2], strlen(tok[2]));
    if (carrier < 0)
        return perr(ps, "unknown connection '%s'", tok[1]);
    if (session < 0)
        return perr(ps, "unknown gateway session '%s'", tok[2]);
    if (sc->conns[carrier].kind != CONN_TCP)
        return perr(ps, "'%s' is a gateway session, not a TCP connection", tok[1]);
    if (sc->conns[session].kind != CONN_GATEWAY)
        return perr(ps, "'%s' is not a gateway session (declare it with 'gateway')", tok[2]);
    event_t *e = new_event(ps, EV_HTTP);
    e->conn = (uint32_t)carrier;
    e->gw = (uint32_t)session;
    e->close = ntok == 4;
    return 0;
}

static int msnftp_send(parser_t *ps, uint32_t conn, uint8_t side, const char *text)
{
    scenario_t *sc = ps->sc;
    char *copy = xstrdup(text);
    char *tok[MAX_TOKENS];
    int n = tokenize(copy, tok, MAX_TOKENS);
    int rc = 0;
    ftp_spec_t f;
    memset(&f, 0, sizeof f);
    f.block = 2045;
    if (n < 2) {
        rc = perr(ps, "usage: NAME >msnftp FILE SIZE [upto=N] [block=N] [end]");
        goto out;
    }
    const char *fn = tok[0];
    int ok = fn[0] != '.' && fn[0] != '\0';
    for (const char *q = fn; *q && ok; q++)
        ok = (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
             *q == '.' || *q == '_' || *q == '-';
    if (!ok) {
        rc = perr(ps, "bad MSNFTP file name '%s' (letters, digits, . _ - only)", fn);
        goto out;
    }
    if (parse_u64(tok[1], &f.size) < 0 || f.size > UINT64_C(1) << 32) {
        rc = perr(ps, "bad MSNFTP file size '%s'", tok[1]);
        goto out;
    }
    f.upto = f.size;
    for (int i = 2; i < n; i++) {
        uint64_t v;
        if (!strcmp(tok[i], "end")) {
            f.end = 1;
        } else if (!strncmp(tok[i], "upto=", 5)) {
            if (parse_u64(tok[i] + 5, &v) < 0 || v > f.size) {
                rc = perr(ps, "bad upto= '%s' (at most the file size)", tok[i] + 5);
                goto out;
            }
            f.upto = v;
        } else if (!strncmp(tok[i], "block=", 6)) {
            if (parse_u64(tok[i] + 6, &v) < 0 || v < 1 || v > 65535) {
                rc = perr(ps, "bad block= '%s' (1..65535)", tok[i] + 6);
                goto out;
            }
            f.block = (uint32_t)v;
        } else {
            rc = perr(ps, "unknown msnftp option '%s'", tok[i]);
            goto out;
        }
    }
    f.file = xstrdup(fn);
    grow_array((void **)&sc->ftps, &sc->capftps, sc->nftps + 1, sizeof *sc->ftps);
    sc->ftps[sc->nftps] = f;
    event_t *e = new_event(ps, EV_MSNFTP);
    e->conn = conn;
    e->side = side;
    e->ftp = (uint32_t)sc->nftps++;
out:
    free(copy);
    return rc;
}

static int send_line(parser_t *ps, const char *p)
{
    scenario_t *sc = ps->sc;
    size_t nl = 0;
    while (p[nl] && p[nl] != ' ' && p[nl] != '\t')
        nl++;
    int ci = find_conn(sc, p, nl);
    if (ci < 0)
        return perr(ps, "unknown directive or connection '%.*s'", (int)nl, p);
    const char *a = p + nl;
    while (*a == ' ' || *a == '\t')
        a++;
    if (*a != '>' && *a != '<')
        return perr(ps, "expected '>' (client sends) or '<' (server sends) after '%.*s'", (int)nl,
                    p);
    uint8_t side = *a == '>' ? SIDE_CLIENT : SIDE_SERVER;
    const char *m = a + 1;
    size_t ml = 0;
    while (m[ml] && m[ml] != ' ')
        ml++;
    const char *text = m + ml;
    if (*text == ' ')
        text++;
    if (ml == 6 && !memcmp(m, "msnftp", 6)) {
        if (sc->conns[ci].kind == CONN_GATEWAY)
            return perr(ps, "MSNFTP data cannot be sent over the HTTP gateway");
        return msnftp_send(ps, (uint32_t)ci, side, text);
    }
    int escaped, term;
    if (parse_mod(m, ml, &escaped, &term) < 0)
        return perr(ps, "unknown send marker '%c%.*s' (use %c %clf %cx %cxlf %craw %cmsnftp)", *a,
                    (int)ml, m, *a, *a, *a, *a, *a, *a);
    ps->pend = 1;
    ps->pend_line = ps->line;
    ps->pend_conn = (uint32_t)ci;
    ps->pend_side = side;
    ps->pend_escaped = escaped;
    ps->pend_term = term;
    ps->pend_textlen = strlen(text);
    ps->pend_text = xstrndup(text, ps->pend_textlen);
    ps->payload.len = 0;
    ps->pay_lines = 0;
    return 0;
}

static int need_args(parser_t *ps, int ntok, int want, const char *usage)
{
    if (ntok != want)
        return perr(ps, "usage: %s", usage);
    return 0;
}

static int directive(parser_t *ps, char *line)
{
    scenario_t *sc = ps->sc;
    settings_t *st = &sc->set;
    char *tok[MAX_TOKENS];
    char *copy = xstrdup(line);
    int n = tokenize(copy, tok, MAX_TOKENS);
    int rc = 0;
    const char *k = tok[0];
    int64_t ns;
    uint64_t v;
    int ci;

    if (n < 0) {
        rc = perr(ps, "too many words");
    } else if (!strcmp(k, "format")) {
        if (!(rc = need_args(ps, n, 2, "format pcap|pcapng|pcap-ns|pcapng-ns")) &&
            parse_format_name(tok[1], &st->format) < 0)
            rc = perr(ps, "unknown format '%s'", tok[1]);
    } else if (!strcmp(k, "link")) {
        if (n == 3 && !strcmp(tok[1], "vlan")) {
            if (parse_u64(tok[2], &v) < 0 || v < 1 || v > 4094)
                rc = perr(ps, "bad VLAN id '%s' (1..4094)", tok[2]);
            else {
                st->link = LINK_VLAN;
                st->vlan_id = (uint16_t)v;
            }
        } else if (!(rc = need_args(ps, n, 2, "link ethernet|vlan [ID]|sll|sll2|raw|null")) &&
                   parse_link_name(tok[1], &st->link, &st->vlan_id) < 0) {
            rc = perr(ps, "unknown link type '%s'", tok[1]);
        }
    } else if (!strcmp(k, "seed")) {
        if (!(rc = need_args(ps, n, 2, "seed N")) && parse_u64(tok[1], &st->seed) < 0)
            rc = perr(ps, "bad seed '%s'", tok[1]);
    } else if (!strcmp(k, "start")) {
        char when[64];
        if (n == 3)
            snprintf(when, sizeof when, "%sT%s", tok[1], tok[2]);
        else if (n == 2)
            snprintf(when, sizeof when, "%s", tok[1]);
        else
            when[0] = '\0';
        if (!when[0] || parse_utc(when, &st->start_ns) < 0)
            rc = perr(ps, "usage: start YYYY-MM-DDTHH:MM:SS[.frac]Z (UTC)");
    } else if (!strcmp(k, "delay") || !strcmp(k, "burst") || !strcmp(k, "wait")) {
        if (!(rc = need_args(ps, n, 2, "delay|burst|wait SECONDS"))) {
            if (parse_seconds(tok[1], &ns) < 0)
                rc = perr(ps, "bad duration '%s' (seconds, e.g. 0.250)", tok[1]);
            else
                new_event(ps, k[0] == 'd' ? EV_DELAY : k[0] == 'b' ? EV_BURST : EV_WAIT)->ns = ns;
        }
    } else if (!strcmp(k, "rtt")) {
        if (!(rc = need_args(ps, n, 2, "rtt SECONDS")) && parse_seconds(tok[1], &ps->cur_rtt) < 0)
            rc = perr(ps, "bad duration '%s'", tok[1]);
    } else if (!strcmp(k, "mss")) {
        if (!(rc = need_args(ps, n, 2, "mss N")) &&
            (parse_u64(tok[1], &v) < 0 || v < 1 || v > 65000))
            rc = perr(ps, "bad mss '%s' (1..65000)", tok[1]);
        else if (!rc)
            st->mss = (uint32_t)v;
    } else if (!strcmp(k, "acks")) {
        if (!(rc = need_args(ps, n, 2, "acks on|off")))
            rc = parse_onoff(ps, tok[1], &st->acks);
    } else if (!strcmp(k, "coalesce")) {
        if (!(rc = need_args(ps, n, 2, "coalesce on|off")))
            rc = parse_onoff(ps, tok[1], &st->coalesce);
    } else if (!strcmp(k, "split")) {
        if (!(rc = need_args(ps, n, 2, "split none|random|N")) &&
            parse_split_spec(tok[1], &st->split_mode, &st->split_n) < 0)
            rc = perr(ps, "bad split '%s' (none, random or 1..65535)", tok[1]);
    } else if (!strcmp(k, "reorder") || !strcmp(k, "retransmit") || !strcmp(k, "loss")) {
        uint32_t *dst = k[0] == 'r' ? (k[2] == 'o' ? &st->reorder_ppm : &st->retransmit_ppm)
                                    : &st->loss_ppm;
        if (!(rc = need_args(ps, n, 2, "reorder|retransmit|loss PROBABILITY")) &&
            parse_prob(tok[1], dst) < 0)
            rc = perr(ps, "bad probability '%s' (0..1, at most 6 decimals)", tok[1]);
    } else if (!strcmp(k, "conn")) {
        rc = conn_directive(ps, n, tok);
    } else if (!strcmp(k, "gateway")) {
        rc = gateway_directive(ps, n, tok);
    } else if (!strcmp(k, "http")) {
        rc = http_directive(ps, n, tok);
    } else if (!strcmp(k, "open") || !strcmp(k, "fin") || !strcmp(k, "rst")) {
        uint8_t side = SIDE_CLIENT;
        if (n < 2)
            rc = perr(ps, "usage: %s NAME%s", k, k[0] == 'o' ? "" : " [client|server]");
        else if ((ci = find_conn(sc, tok[1], strlen(tok[1]))) < 0)
            rc = perr(ps, "unknown connection '%s'", tok[1]);
        else if (sc->conns[ci].kind == CONN_GATEWAY)
            rc = perr(ps, "'%s' is a gateway session: %s its TCP connections instead", tok[1],
                      k);
        else if (k[0] == 'o' && n != 2)
            rc = perr(ps, "usage: open NAME");
        else if (!(rc = parse_side(ps, n, tok, 2, &side))) {
            event_t *e = new_event(ps, k[0] == 'o' ? EV_OPEN : k[0] == 'f' ? EV_FIN : EV_RST);
            e->conn = (uint32_t)ci;
            e->side = side;
        }
    } else if (!strcmp(k, "repeat")) {
        if (!(rc = need_args(ps, n, 2, "repeat N")) &&
            (parse_u64(tok[1], &v) < 0 || v < 1 || v > 100000000))
            rc = perr(ps, "bad repeat count '%s'", tok[1]);
        else if (!rc && ps->nrep == MAX_REPEAT_DEPTH)
            rc = perr(ps, "repeat nested too deeply");
        else if (!rc) {
            ps->rep[ps->nrep].start = sc->nevs;
            ps->rep[ps->nrep].count = v;
            ps->rep[ps->nrep].line = ps->line;
            ps->nrep++;
        }
    } else if (!strcmp(k, "end")) {
        if (!(rc = need_args(ps, n, 1, "end")) && ps->nrep == 0)
            rc = perr(ps, "'end' without 'repeat'");
        else if (!rc) {
            ps->nrep--;
            size_t start = ps->rep[ps->nrep].start, cnt = sc->nevs - start;
            uint64_t times = ps->rep[ps->nrep].count;
            if (cnt && (times - 1) > (SIZE_MAX / sizeof(event_t)) / cnt) {
                rc = perr(ps, "repeat too large");
            } else if (cnt) {
                size_t total = sc->nevs + cnt * (size_t)(times - 1);
                grow_array((void **)&sc->evs, &sc->capevs, total, sizeof *sc->evs);
                for (uint64_t r = 1; r < times; r++) {
                    memcpy(&sc->evs[sc->nevs], &sc->evs[start], cnt * sizeof *sc->evs);
                    sc->nevs += cnt;
                }
            }
        }
    } else {
        rc = send_line(ps, line);
    }
    free(copy);
    return rc;
}

int scenario_parse(scenario_t *sc, const char *path, const char *text, size_t len, char *err,
                   size_t errlen)
{
    parser_t ps;
    memset(sc, 0, sizeof *sc);
    settings_default(&sc->set);
    sc->path = xstrdup(path);
    memset(&ps, 0, sizeof ps);
    ps.sc = sc;
    ps.path = path;
    ps.err = err;
    ps.errlen = errlen;
    ps.cur_rtt = sc->set.rtt_ns;
    int rc = 0;
    size_t pos = 0;
    char *line = NULL;
    size_t linecap = 0;

    while (pos < len && !rc) {
        size_t e = pos;
        while (e < len && text[e] != '\n')
            e++;
        size_t ll = e - pos;
        if (ll && text[pos + ll - 1] == '\r')
            ll--;
        ps.line++;
        if (ll + 1 > linecap) {
            linecap = ll + 64;
            line = xrealloc(line, linecap);
        }
        memcpy(line, text + pos, ll);
        line[ll] = '\0';
        pos = e + 1;
        if (memchr(line, '\0', ll)) {
            rc = perr(&ps, "NUL byte in scenario (use \\0 in an escaped line)");
            break;
        }
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        if (*p == '|') {
            rc = payload_line(&ps, p + 1, strlen(p + 1));
            continue;
        }
        rc = finish_pending(&ps);
        if (!rc)
            rc = directive(&ps, p);
    }
    if (!rc)
        rc = finish_pending(&ps);
    if (!rc && ps.nrep) {
        ps.line = ps.rep[ps.nrep - 1].line;
        rc = perr(&ps, "repeat without 'end'");
    }
    free(line);
    free(ps.pend_text);
    buf_free(&ps.payload);
    return rc;
}

int scenario_load(scenario_t *sc, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    memset(sc, 0, sizeof *sc);
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return GEN_EXIT_IO;
    }
    buf_t b = {0};
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_append(&b, tmp, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, errlen, "%s: read error", path);
        buf_free(&b);
        return GEN_EXIT_IO;
    }
    int rc = scenario_parse(sc, path, (const char *)b.data, b.len, err, errlen);
    buf_free(&b);
    return rc;
}

void scenario_free(scenario_t *sc)
{
    for (size_t i = 0; i < sc->nconns; i++) {
        free(sc->conns[i].name);
        free(sc->conns[i].gw_target);
    }
    for (size_t i = 0; i < sc->nftps; i++)
        free(sc->ftps[i].file);
    free(sc->conns);
    free(sc->evs);
    free(sc->ftps);
    free(sc->path);
    buf_free(&sc->arena);
    memset(sc, 0, sizeof *sc);
}
