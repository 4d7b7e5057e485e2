/* Every payload of the six sample scenarios (samples/scenarios) through the
 * payload decoders: MSG by content type, NOT/IPG/PAG as XML, SDC, and
 * each client QRY checked against the CHL before it on the same connection.
 * The scenario syntax is samples/README.md's; only what carries payloads is
 * read here. Usage: test_payload_samples SCENARIO_DIR */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "msnp/payload.h"
#include "payload_testutil.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_PAYLOAD 16384

/* What one scenario holds, counted while decoding it. */
typedef struct tally {
    unsigned kinds[MSNP_PK_COUNT];
    unsigned unclean;        /* payloads with issues beyond the allowed ones */
    unsigned notes, pages, sdc, qry, qry_verified;
    unsigned portx_agrees;   /* ACCEPTs whose PortX checks out */
    unsigned client_port_1026;
    unsigned later_profile;  /* profiles with later-version fields */
} tally;

typedef struct scenario {
    const char *file;
    int later_version; /* a later-version session: later fields allowed */
} scenario;

static const scenario scenarios[] = {
    {"login.msnp", 0},    {"chat.msnp", 0}, {"filetransfer.msnp", 0},
    {"chat-ipv6.msnp", 0}, {"edge.msnp", 0}, {"later-version.msnp", 1},
};

/* Scenario escapes: \r \n \t \0 \s \\ \xNN. */
static size_t unescape(const char *s, uint8_t *out, size_t room)
{
    size_t o = 0;
    for (size_t i = 0; s[i] && o < room; i++) {
        if (s[i] != '\\' || !s[i + 1]) {
            out[o++] = (uint8_t)s[i];
            continue;
        }
        char c = s[++i];
        if (c == 'r')
            out[o++] = '\r';
        else if (c == 'n')
            out[o++] = '\n';
        else if (c == 't')
            out[o++] = '\t';
        else if (c == '0')
            out[o++] = '\0';
        else if (c == 's')
            out[o++] = ' ';
        else if (c == 'x' && s[i + 1] && s[i + 2]) {
            char hex[3] = {s[i + 1], s[i + 2], 0};
            out[o++] = (uint8_t)strtoul(hex, NULL, 16);
            i += 2;
        } else
            out[o++] = (uint8_t)c;
    }
    return o;
}

typedef struct send {
    char conn[32];
    int to_server;  /* '>' */
    char text[4096]; /* the command line (escapes kept) */
    uint8_t payload[MAX_PAYLOAD];
    size_t len;
    int has_payload_lines;
} send;

/* Challenges by connection name. */
typedef struct challenge {
    char conn[32];
    char chl[64];
} challenge;

static msnp_payload pl;
static msnp_xml_note xn;
static collector col;
static char scratch[8192];

/* Each prefix of p must decode within bounds too. */
static void prefixes(const uint8_t *p, size_t n)
{
    for (size_t k = 0; k <= n; k++) {
        uint8_t *c = exact_copy(p, k);
        msnp_payload_decode(c, k, &pl);
        collector_init(&col, c, k, scratch, sizeof scratch);
        msnp_vocab_scratch sc = {scratch, sizeof scratch};
        msnp_payload_visit(&pl, c, sc, collect, &col);
        CHECK(!col.out_of_bounds && !col.bad_field);
        msnp_notification_parse(c, k, &xn);
        free(c);
    }
}

static void decode_msg(const scenario *sc, const send *s, tally *t)
{
    uint8_t *p = exact_copy(s->payload, s->len);
    msnp_payload_decode(p, s->len, &pl);
    collector_init(&col, p, s->len, scratch, sizeof scratch);
    msnp_vocab_scratch scr = {scratch, sizeof scratch};
    msnp_payload_visit(&pl, p, scr, collect, &col);
    CHECK(!col.out_of_bounds && !col.bad_field);
    t->kinds[pl.kind]++;
    /* Allowed: LF-only lines (a third-party client), no MIME at all (edge's
     * one-byte "X"), a later content type in a later session. */
    uint32_t allowed = MSNP_PAYLOAD_ISSUE_LF_ONLY | MSNP_PAYLOAD_ISSUE_NO_MIME;
    if (sc->later_version)
        allowed |= MSNP_PAYLOAD_ISSUE_LATER_TYPE;
    uint32_t sub = 0;
    switch (pl.kind) {
    case MSNP_PK_TEXT: sub = pl.u.text.issues; break;
    case MSNP_PK_TYPING: sub = pl.u.typing.issues; break;
    case MSNP_PK_INVITE:
        sub = pl.u.invite.issues;
        t->portx_agrees += pl.u.invite.portx_check == MSNP_PORTX_AGREES;
        break;
    case MSNP_PK_PROFILE:
        sub = pl.u.profile.issues;
        if (sc->later_version && (sub & MSNP_PROFILE_ISSUE_LATER_FIELDS)) {
            t->later_profile++;
            sub &= ~MSNP_PROFILE_ISSUE_LATER_FIELDS;
        }
        t->client_port_1026 += pl.u.profile.client_port_value == 1026;
        break;
    case MSNP_PK_MAIL_INITIAL:
    case MSNP_PK_MAIL_NEW:
    case MSNP_PK_MAIL_ACTIVE: sub = pl.u.mail.issues; break;
    case MSNP_PK_SYSTEM: sub = pl.u.system.issues; break;
    default: break;
    }
    if ((pl.issues & ~allowed) || sub) {
        t->unclean++;
        fprintf(stderr, "%s: %s: payload issues %#x, %#x\n", sc->file, s->text, pl.issues, sub);
    }
    free(p);
    prefixes(s->payload, s->len);
}

static void decode_xml(const scenario *sc, const send *s, int page, tally *t)
{
    uint8_t *p = exact_copy(s->payload, s->len);
    if (page)
        msnp_page_parse(p, s->len, &xn);
    else
        msnp_notification_parse(p, s->len, &xn);
    collector_init(&col, p, s->len, scratch, sizeof scratch);
    msnp_vocab_scratch scr = {scratch, sizeof scratch};
    msnp_xml_note_visit(&xn, page, p, scr, collect, &col);
    CHECK(!col.out_of_bounds && !col.bad_field);
    CHECK_MSG(xn.issues == 0, "%s: %s: XML issues %#x", sc->file, s->text, xn.issues);
    CHECK(got(&col, page ? MSNP_V_PAGE_TEXT : MSNP_V_NOTIFICATION_TEXT, 0) != NULL);
    if (page)
        t->pages++;
    else
        t->notes++;
    free(p);
    prefixes(s->payload, s->len);
}

static void check_qry(const scenario *sc, const send *s, const challenge *chls, size_t nchl,
                      tally *t)
{
    /* "QRY <trid> <client id> <len>" */
    char id[64] = "";
    if (sscanf(s->text, "QRY %*s %63s", id) != 1)
        return;
    const char *chl = NULL;
    for (size_t i = 0; i < nchl; i++)
        if (strcmp(chls[i].conn, s->conn) == 0)
            chl = chls[i].chl;
    msnp_qry_result r;
    msnp_qry_verify((const uint8_t *)chl, chl ? strlen(chl) : 0, (const uint8_t *)id, strlen(id),
                    s->payload, s->len, &r);
    t->qry++;
    t->qry_verified += r.status == MSNP_QRY_VERIFIED;
    CHECK_MSG(r.status == MSNP_QRY_VERIFIED, "%s: QRY %s: %s", sc->file, id,
              msnp_qry_status_name((msnp_qry_status)r.status));
}

static void finish(const scenario *sc, send *s, const challenge *chls, size_t nchl, tally *t)
{
    char cmd[4] = "";
    memcpy(cmd, s->text, strlen(s->text) >= 3 ? 3 : strlen(s->text));
    if (strcmp(cmd, "MSG") == 0)
        decode_msg(sc, s, t);
    else if ((strcmp(cmd, "NOT") == 0 || strcmp(cmd, "IPG") == 0) && s->len)
        decode_xml(sc, s, 0, t);
    else if (strcmp(cmd, "PAG") == 0 && s->to_server)
        decode_xml(sc, s, 1, t);
    else if (strcmp(cmd, "SDC") == 0 && s->to_server && s->len) {
        static collector c;
        collector_init(&c, s->payload, s->len, NULL, 0);
        msnp_sdc_visit(s->payload, s->len, collect, &c);
        CHECK(got(&c, MSNP_V_SDC_TEXT, 0) && got(&c, MSNP_V_SDC_TEXT, 0)->str_len == s->len);
        t->sdc++;
    } else if (strcmp(cmd, "QRY") == 0 && s->to_server)
        check_qry(sc, s, chls, nchl, t);
}

static int run_scenario(const char *dir, const scenario *sc, tally *t)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, sc->file);
    FILE *f = fopen(path, "rb");
    CHECK_MSG(f != NULL, "cannot open %s", path);
    if (!f)
        return 0;
    static send s;
    static challenge chls[16];
    size_t nchl = 0;
    int pending = 0; /* a send whose payload lines may follow */
    const char *sep = "";
    size_t seplen = 0;
    char line[8192];
    memset(t, 0, sizeof *t);
    while (fgets(line, sizeof line, f)) {
        size_t l = strlen(line);
        while (l && (line[l - 1] == '\n' || line[l - 1] == '\r'))
            line[--l] = '\0';
        const char *q = line;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q == '\0' || *q == '#')
            continue; /* comments do not end a payload */
        if (*q == '|') {
            if (!pending)
                continue;
            q++;
            char marker[8] = "";
            size_t m = 0;
            while (*q >= 'a' && *q <= 'z' && m < sizeof marker - 1)
                marker[m++] = *q++;
            if (*q == ' ')
                q++;
            /* The separator of the previous line goes before this one. */
            if (s.len + seplen <= MAX_PAYLOAD) {
                memcpy(s.payload + s.len, sep, seplen);
                s.len += seplen;
            }
            int escapes = marker[0] == 'x' || strcmp(marker, "raw") == 0;
            if (escapes)
                s.len += unescape(q, s.payload + s.len, MAX_PAYLOAD - s.len);
            else {
                size_t k = strlen(q);
                if (s.len + k <= MAX_PAYLOAD) {
                    memcpy(s.payload + s.len, q, k);
                    s.len += k;
                }
            }
            if (strcmp(marker, "raw") == 0)
                sep = "", seplen = 0;
            else if (strcmp(marker, "lf") == 0 || strcmp(marker, "xlf") == 0)
                sep = "\n", seplen = 1;
            else
                sep = "\r\n", seplen = 2;
            s.has_payload_lines = 1;
            continue;
        }
        if (pending)
            finish(sc, &s, chls, nchl, t);
        pending = 0;
        /* "NAME > TEXT" / "NAME < TEXT" with optional marker letters. */
        char name[32], arrow[16];
        int off = 0;
        if (sscanf(q, "%31s %15s %n", name, arrow, &off) < 2 || (arrow[0] != '>' && arrow[0] != '<'))
            continue;
        if (strcmp(arrow + 1, "") != 0 && strcmp(arrow + 1, "x") != 0 &&
            strcmp(arrow + 1, "lf") != 0 && strcmp(arrow + 1, "xlf") != 0)
            continue; /* raw and msnftp sends carry no payload lines */
        snprintf(s.conn, sizeof s.conn, "%s", name);
        s.to_server = arrow[0] == '>';
        snprintf(s.text, sizeof s.text, "%s", q + off);
        s.len = 0;
        s.has_payload_lines = 0;
        sep = "";
        seplen = 0;
        char chl[64];
        if (!s.to_server && sscanf(s.text, "CHL 0 %63s", chl) == 1 && nchl < N(chls)) {
            snprintf(chls[nchl].conn, sizeof chls[nchl].conn, "%s", name);
            snprintf(chls[nchl].chl, sizeof chls[nchl].chl, "%s", chl);
            nchl++;
        }
        pending = strstr(s.text, "{len}") != NULL;
    }
    if (pending)
        finish(sc, &s, chls, nchl, t);
    fclose(f);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_payload_samples SCENARIO_DIR\n");
        return 2;
    }
    tally t[N(scenarios)];
    for (size_t i = 0; i < N(scenarios); i++) {
        if (!run_scenario(argv[1], &scenarios[i], &t[i]))
            continue;
        CHECK_MSG(t[i].unclean == 0, "%s: %u payloads with issues", scenarios[i].file,
                  t[i].unclean);
        CHECK_MSG(t[i].kinds[MSNP_PK_UNKNOWN] <= (strcmp(scenarios[i].file, "edge.msnp") == 0),
                  "%s: %u payloads of no known type", scenarios[i].file,
                  t[i].kinds[MSNP_PK_UNKNOWN]);
    }
    /* What the samples are known to hold (samples/README.md). */
    const tally *login = &t[0], *chat = &t[1], *ft = &t[2], *ipv6 = &t[3], *edge = &t[4],
                *later = &t[5];
    CHECK(login->kinds[MSNP_PK_PROFILE] == 1 && login->client_port_1026 == 1);
    CHECK(login->kinds[MSNP_PK_MAIL_INITIAL] == 1 && login->kinds[MSNP_PK_MAIL_NEW] == 1);
    CHECK(login->notes == 2 && login->pages == 1 && login->sdc == 1); /* NOT + IPG, PAG, SDC */
    CHECK(login->qry == 1 && login->qry_verified == 1);
    CHECK(chat->kinds[MSNP_PK_TYPING] >= 2 && chat->kinds[MSNP_PK_TEXT] >= 8);
    CHECK(ft->kinds[MSNP_PK_INVITE] == 5 && ft->portx_agrees == 1);
    CHECK(ipv6->kinds[MSNP_PK_TEXT] >= 2);
    CHECK(edge->kinds[MSNP_PK_SYSTEM] == 1 && edge->kinds[MSNP_PK_UNKNOWN] == 1);
    CHECK(edge->qry == 1 && edge->qry_verified == 1);
    CHECK(later->kinds[MSNP_PK_PROFILE] == 1 && later->later_profile == 1);
    CHECK(later->qry == 1 && later->qry_verified == 1); /* PROD0090, MSNP11 algorithm */
    return check_exit("test_payload_samples");
}
