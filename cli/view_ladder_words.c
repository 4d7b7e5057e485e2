/* What the ladder's renderers say alike: titles, lane legends, the pairing
 * and counts after an arrow's words, connection ends, times, and how wide
 * text is on a terminal (see view_ladder.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "timefmt.h"
#include "view_ladder.h"

/* ---- widths ------------------------------------------------------------- */

static uint32_t next_cp(const char *s, size_t n, size_t *k)
{
    const uint8_t *u = (const uint8_t *)s;
    size_t len = u[0] < 0x80 ? 1 : u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC0 ? 2 : 1;
    if (len > n)
        len = 1;
    uint32_t cp = len == 1 ? u[0] : (uint32_t)(u[0] & (0x7F >> len));
    for (size_t j = 1; j < len; j++) {
        if ((u[j] & 0xC0) != 0x80) {
            *k = 1;
            return u[0];
        }
        cp = cp << 6 | (u[j] & 0x3F);
    }
    *k = len;
    return cp;
}

/* Narrow for sure: below U+1100 and the punctuation, arrows and box
 * drawing blocks; everything else may be wide and counts 2, so that a line
 * never comes out wider than measured. */
static size_t cp_width(uint32_t cp)
{
    if (cp < 0x1100 || (cp >= 0x1E00 && cp <= 0x20CF) || (cp >= 0x2100 && cp <= 0x21FF) ||
        (cp >= 0x2500 && cp <= 0x257F))
        return 1;
    return 2;
}

size_t ladder_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0, k; i < n; i += k)
        w += cp_width(next_cp(s + i, n - i, &k));
    return w;
}

size_t ladder_fit(const char *s, size_t n, size_t cols)
{
    size_t w = 0, i = 0;
    while (i < n) {
        size_t k;
        size_t cw = cp_width(next_cp(s + i, n - i, &k));
        if (w + cw > cols)
            break;
        w += cw;
        i += k;
    }
    return i;
}

/* ---- times ---------------------------------------------------------------- */

void ladder_timefmt_init(struct timefmt *t, const text_options *opt)
{
    time_format f = opt ? opt->time : TF_UTC_DAYS;
    timefmt_init(t, f == TF_UTC_DAYS ? TF_UTC : f);
}

/* Renders into buf through a small outbuf that never reaches a file: a time
 * is at most 20 digits, a date and punctuation. */
size_t ladder_time(struct timefmt *t, int64_t sec, uint32_t usec, char *buf, size_t size)
{
    char tmp[64];
    outbuf o;
    memset(&o, 0, sizeof o);
    o.buf = tmp;
    o.cap = sizeof tmp;
    timefmt_write(t, &o, sec, usec);
    size_t n = o.len < size ? o.len : size - 1;
    memcpy(buf, tmp, n);
    buf[n] = 0;
    return n;
}

static size_t duration(char *buf, size_t size, int64_t us)
{
    const char *sign = us < 0 ? "-" : "";
    if (us < 0)
        us = us == INT64_MIN ? INT64_MAX : -us;
    if (us < 1000)
        return (size_t)snprintf(buf, size, "%s%lld.%lld ms", sign, (long long)(us / 1000),
                                (long long)(us % 1000 / 100));
    if (us < 1000000)
        return (size_t)snprintf(buf, size, "%s%lld ms", sign, (long long)(us / 1000));
    return (size_t)snprintf(buf, size, "%s%lld.%lld s", sign, (long long)(us / 1000000),
                            (long long)(us % 1000000 / 100000));
}

/* A capture's times may be anything: a span too long for microseconds in 64
 * bits is cut to the longest one (about 292,000 years), never overflowed. */
static int64_t span_us(int64_t s0, uint32_t u0, int64_t s1, uint32_t u1)
{
    const int64_t max_s = INT64_MAX / 1000000 - 1;
    int64_t ds;
    if (__builtin_sub_overflow(s1, s0, &ds) || ds > max_s || ds < -max_s)
        return s1 > s0 ? max_s * 1000000 : -max_s * 1000000;
    return ds * 1000000 + (int64_t)(u1 % 1000000) - (int64_t)(u0 % 1000000);
}

/* ---- words ---------------------------------------------------------------- */

typedef struct words {
    char *buf;
    size_t size, len;
} words;

static void say(words *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(words *w, const char *fmt, ...)
{
    if (w->len + 1 >= w->size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(w->buf + w->len, w->size - w->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    w->len += (size_t)n;
    if (w->len >= w->size) {
        /* cut at a character boundary */
        w->len = w->size - 1;
        while (w->len && ((uint8_t)w->buf[w->len] & 0xC0) == 0x80)
            w->len--;
        w->buf[w->len] = 0;
    }
}

size_t ladder_row_label(const ladder_diagram *d, const ladder_row *r, char *buf, size_t size,
                        const char **out)
{
    if (r->kind == ROW_END) {
        *out = buf;
        return ladder_end_words(d, r, buf, size);
    }
    if (r->kind == ROW_KEEPALIVE) {
        *out = "PNG \xe2\x87\x84 QNG"; /* ⇄ */
        return strlen(*out);
    }
    *out = ladder_text(d, r->label);
    return r->label_len;
}

size_t ladder_row_suffix(const ladder_row *r, char *buf, size_t size)
{
    words w = {buf, size, 0};
    buf[0] = 0;
    char t[32];
    switch (r->kind) {
    case ROW_KEEPALIVE:
        duration(t, sizeof t, span_us(r->sec, r->usec, r->last_sec, r->last_usec));
        say(&w, "\xc3\x97%u in %s", r->count, t); /* × */
        if (r->answered < r->count)
            say(&w, ", %u answered", r->answered);
        return w.len;
    case ROW_DATA:
        say(&w, "%u block%s, %llu bytes", r->count, r->count == 1 ? "" : "s",
            (unsigned long long)r->bytes);
        if (r->data_from && r->data_from != r->frame)
            say(&w, ", frames %llu-%llu", (unsigned long long)r->data_from,
                (unsigned long long)r->frame);
        return w.len;
    case ROW_END:
    case ROW_ANOMALY:
        return 0;
    default:
        break;
    }
    if (r->count > 1)
        say(&w, "\xe2\x80\xa6 \xc3\x97%u", r->count); /* … × */
    if (r->kind == ROW_REPLY) {
        if (w.len)
            say(&w, ", ");
        if (r->reply_to) {
            duration(t, sizeof t, r->latency_us);
            say(&w, "\xe2\x86\xa9 %llu, %s", (unsigned long long)r->reply_to, t); /* ↩ */
        } else {
            say(&w, "\xe2\x86\xa9 ?");
        }
    }
    return w.len;
}

static const char *kind_words(const ladder_diagram *d)
{
    switch (d->kind) {
    case LADDER_LOGIN:
        for (unsigned i = 1; i < d->nlanes; i++)
            if (d->lanes[i].kind == LANE_SERVER && d->lanes[i].role == MSNP_ROLE_NS)
                return "login";
        return "dispatch-server visit";
    case LADDER_SWITCHBOARD:
        return "switchboard";
    case LADDER_TRANSFER:
        return "MSNFTP file transfer";
    default:
        return "connection";
    }
}

size_t ladder_title(const ladder_diagram *d, char *buf, size_t size)
{
    words w = {buf, size, 0};
    buf[0] = 0;
    for (unsigned i = 0; i < d->nconns; i++)
        say(&w, "%sC%llu", i ? "+" : "", (unsigned long long)d->conns[i]);
    say(&w, " %s", kind_words(d));
    if (d->kind == LADDER_SWITCHBOARD)
        say(&w, " conversation %s", d->session_id[0] ? d->session_id : "(session id not seen)");
    if (d->sid)
        say(&w, d->kind == LADDER_LOGIN ? " S%u" : " of S%u", d->sid);
    if (d->user[0]) {
        say(&w, ": %s", d->user);
        if (d->nick[0])
            say(&w, " (%s)", d->nick);
    }
    return w.len;
}

size_t ladder_span(const ladder_diagram *d, char *buf, size_t size, int local)
{
    words w = {buf, size, 0};
    buf[0] = 0;
    timefmt t;
    timefmt_init(&t, local ? TF_LOCAL_DATE : TF_UTC_DATE);
    char a[64], b[64], len[32];
    ladder_time(&t, d->first_sec, d->first_usec, a, sizeof a);
    ladder_time(&t, d->last_sec, d->last_usec, b, sizeof b);
    /* the end's date only when it is another day */
    const char *sa = strchr(a, ' '), *sb = strchr(b, ' ');
    const char *end = sa && sb && sa - a == sb - b && !memcmp(a, b, (size_t)(sa - a)) ? sb + 1 : b;
    duration(len, sizeof len, span_us(d->first_sec, d->first_usec, d->last_sec, d->last_usec));
    say(&w, "frames %llu-%llu, %s to %s%s (%s), %llu line%s", (unsigned long long)d->first_frame,
        (unsigned long long)d->last_frame, a, end, local ? "" : " UTC", len,
        (unsigned long long)d->lines, d->lines == 1 ? "" : "s");
    if (d->dropped)
        say(&w, "; %llu not drawn (limits)", (unsigned long long)d->dropped);
    return w.len;
}

size_t ladder_lane_words(const ladder_diagram *d, unsigned lane, char *buf, size_t size)
{
    words w = {buf, size, 0};
    buf[0] = 0;
    const ladder_lane *l = &d->lanes[lane];
    switch (l->kind) {
    case LANE_CLIENT:
        if (d->user[0])
            say(&w, "%s at ", d->user);
        say(&w, "%s", d->client_addr);
        break;
    case LANE_SERVER:
        say(&w, "C%llu %s", (unsigned long long)l->conn, l->name);
        break;
    default:
        say(&w, "%s", l->name);
        if (l->accounts > 1)
            say(&w, " and %u more", l->accounts - 1);
        else if (l->nick[0] && strcmp(l->nick, l->name))
            say(&w, " (%s)", l->nick);
        break;
    }
    return w.len;
}

size_t ladder_end_words(const ladder_diagram *d, const ladder_row *r, char *buf, size_t size)
{
    static const char *const how[] = {[END_OPEN] = "still open at capture end",
                                      [END_FIN] = "closed",
                                      [END_RST] = "reset",
                                      [END_EVICTED] = "dropped at the flow limit"};
    words w = {buf, size, 0};
    buf[0] = 0;
    const ladder_lane *l = &d->lanes[r->from];
    say(&w, "C%llu %s", (unsigned long long)l->conn,
        r->end < sizeof how / sizeof how[0] ? how[r->end] : "ended");
    return w.len;
}
