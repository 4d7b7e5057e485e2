/* Times in text output (see timefmt.h). */
#include "timefmt.h"

#include <string.h>
#include <time.h>

void timefmt_init(timefmt *t, time_format fmt)
{
    memset(t, 0, sizeof *t);
    t->fmt = fmt;
    t->last_day = INT64_MIN;
}

int timefmt_parse(const char *s, time_format *out)
{
    static const struct {
        const char *arg;
        time_format fmt;
    } formats[] = {{"a", TF_LOCAL},  {"ad", TF_LOCAL_DATE}, {"u", TF_UTC},
                   {"ud", TF_UTC_DATE}, {"e", TF_EPOCH},    {"r", TF_RELATIVE},
                   {"d", TF_DELTA}};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (strcmp(s, formats[i].arg) == 0) {
            *out = formats[i].fmt;
            return 0;
        }
    }
    return -1;
}

static void two(outbuf *o, int v)
{
    ob_char(o, (char)('0' + v / 10 % 10));
    ob_char(o, (char)('0' + v % 10));
}

static void micros(outbuf *o, uint32_t us)
{
    char frac[7];
    frac[0] = '.';
    for (int i = 6; i >= 1; i--) {
        frac[i] = (char)('0' + us % 10);
        us /= 10;
    }
    ob_write(o, frac, 7);
}

static void date(outbuf *o, const struct tm *tm)
{
    ob_u64(o, (uint64_t)(tm->tm_year + 1900));
    ob_char(o, '-');
    two(o, tm->tm_mon + 1);
    ob_char(o, '-');
    two(o, tm->tm_mday);
}

static void clock_time(outbuf *o, const struct tm *tm, uint32_t usec)
{
    two(o, tm->tm_hour);
    ob_char(o, ':');
    two(o, tm->tm_min);
    ob_char(o, ':');
    two(o, tm->tm_sec);
    micros(o, usec);
}

static int broken_down(time_format fmt, int64_t sec, struct tm *tm)
{
    time_t t = (time_t)sec;
    int local = fmt == TF_LOCAL || fmt == TF_LOCAL_DATE;
    return (local ? localtime_r(&t, tm) : gmtime_r(&t, tm)) != NULL;
}

void timefmt_heading(timefmt *t, outbuf *o, int64_t sec)
{
    if (t->fmt != TF_UTC_DAYS)
        return;
    int64_t day = sec >= 0 ? sec / 86400 : (sec - 86399) / 86400;
    if (day == t->last_day)
        return;
    t->last_day = day;
    struct tm tm;
    if (!broken_down(TF_UTC, sec, &tm))
        return;
    ob_str(o, "# ");
    date(o, &tm);
    ob_str(o, " (times are UTC)\n");
}

/* Seconds between two stamps, with a sign. A capture may hold any 64-bit
 * seconds: the magnitude is computed in unsigned arithmetic, where it is
 * exact, and never overflows. */
static void seconds(outbuf *o, int64_t s1, uint32_t u1, int64_t s0, uint32_t u0)
{
    u1 %= 1000000;
    u0 %= 1000000;
    if (s1 < s0 || (s1 == s0 && u1 < u0)) {
        ob_char(o, '-');
        int64_t ts = s1;
        uint32_t tu = u1;
        s1 = s0, u1 = u0, s0 = ts, u0 = tu;
    }
    uint64_t ds = (uint64_t)s1 - (uint64_t)s0;
    uint32_t du;
    if (u1 >= u0) {
        du = u1 - u0;
    } else {
        ds--; /* s1 > s0 here */
        du = u1 + 1000000 - u0;
    }
    ob_u64(o, ds);
    micros(o, du);
}

void timefmt_write(timefmt *t, outbuf *o, int64_t sec, uint32_t usec)
{
    if (!t->started) {
        t->first_sec = t->prev_sec = sec;
        t->first_usec = t->prev_usec = usec;
        t->started = 1;
    }
    struct tm tm;
    switch (t->fmt) {
    case TF_EPOCH:
        seconds(o, sec, usec, 0, 0);
        break;
    case TF_RELATIVE:
        seconds(o, sec, usec, t->first_sec, t->first_usec);
        break;
    case TF_DELTA:
        seconds(o, sec, usec, t->prev_sec, t->prev_usec);
        break;
    default:
        if (!broken_down(t->fmt, sec, &tm)) {
            seconds(o, sec, usec, 0, 0);
            break;
        }
        if (t->fmt == TF_UTC_DATE || t->fmt == TF_LOCAL_DATE) {
            date(o, &tm);
            ob_char(o, ' ');
        }
        clock_time(o, &tm, usec);
        break;
    }
    t->prev_sec = sec;
    t->prev_usec = usec;
}
