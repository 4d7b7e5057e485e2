/* The ladder as text for a 100-column terminal:
 *
 *  frame time             client                                                SB   P1
 *     12 15:10:03.420830  |-- CAL 2 bob@hotmail.com ------------------------->|
 *     13 15:10:03.510830  |<-------------- CAL 2 RINGING 11752013 ↩ 12, 90 ms --|
 *     15 15:10:05.311230  |<---------------------------- JOI bob@hotmail.com Bob --|    *
 *     21 15:10:09.732030  |<--------------- MSG bob@hotmail.com Bob 88 [text] --+----:
 *
 * The client's lane is on the left, the servers' and the chat peers' lanes
 * are packed on the right, so every arrow's words have the width between
 * (each arrow touches the client). '*' marks a join, 'x' a leave or a closed
 * connection, '+' the switchboard a relayed message passes. Words too long
 * for the room are elided, never wrapped; no line is wider than WIDTH. */
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"
#include "view_ladder.h"

enum {
    WIDTH = 100,
    FAR_SPACING = 5, /* columns between the lanes packed on the right */
    TIME_BYTES = 40
};

typedef struct geometry {
    unsigned fw, tw; /* frame and time columns */
    unsigned area;   /* columns of the lanes */
    unsigned x[LADDER_MAX_LANES];
    unsigned zone; /* the first lane on the right: words stay left of it */
} geometry;

static unsigned digits(uint64_t v)
{
    unsigned n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

static void layout(const ladder_diagram *d, unsigned tw, geometry *g)
{
    memset(g, 0, sizeof *g);
    g->fw = digits(d->last_frame > d->first_frame ? d->last_frame : d->first_frame);
    if (g->fw < 6)
        g->fw = 6;
    g->tw = tw < 4 ? 4 : tw;
    g->area = WIDTH - (g->fw + 1 + g->tw + 2);
    unsigned nfar = d->nlanes > 1 ? d->nlanes - 1 : 1;
    for (unsigned k = 1; k < d->nlanes; k++)
        g->x[k] = g->area - 1 - (nfar - k) * FAR_SPACING;
    g->zone = d->nlanes > 1 ? g->x[1] : g->area - 1;
}

/* Lines of words, wrapped at item boundaries, each item elided to fit. */
typedef struct wrapper {
    outbuf *o;
    const char *first, *indent;
    size_t col;
    int started;
} wrapper;

/* sep goes before the item when it stays on the same line. */
static void wrap_item(wrapper *w, const char *s, size_t n, const char *sep)
{
    size_t sepw = ladder_width(sep, strlen(sep));
    size_t iw = ladder_width(s, n);
    if (!w->started) {
        ob_str(w->o, w->first);
        w->col = strlen(w->first);
        w->started = 1;
    } else if (w->col + sepw + iw > WIDTH) {
        ob_char(w->o, '\n');
        ob_str(w->o, w->indent);
        w->col = strlen(w->indent);
    } else {
        ob_str(w->o, sep);
        w->col += sepw;
    }
    size_t room = WIDTH - w->col;
    if (iw > room) {
        n = ladder_fit(s, n, room - 1);
        ob_write(w->o, s, n);
        ob_str(w->o, "\xe2\x80\xa6"); /* … */
        w->col = WIDTH;
        return;
    }
    ob_write(w->o, s, n);
    w->col += iw;
}

static void heading(outbuf *o, const ladder_diagram *d, const text_options *opt)
{
    char buf[1024];
    size_t n = ladder_title(d, buf, sizeof buf);
    wrapper w = {o, "== ", "   ", 0, 0};
    wrap_item(&w, buf, n, "");
    ob_char(o, '\n');

    /* the span wraps at its commas */
    n = ladder_span(d, buf, sizeof buf,
                    opt && (opt->time == TF_LOCAL || opt->time == TF_LOCAL_DATE));
    w = (wrapper){o, "   ", "   ", 0, 0};
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && !(buf[j] == ',' && j + 1 < n && buf[j + 1] == ' '))
            j++;
        wrap_item(&w, buf + i, j - i, ", ");
        i = j < n ? j + 2 : n;
    }
    ob_char(o, '\n');

    w = (wrapper){o, "   ", "   ", 0, 0};
    for (unsigned l = 0; l < d->nlanes; l++) {
        char item[512];
        size_t k = (size_t)snprintf(item, sizeof item, "%s = ", d->lanes[l].tag);
        k += ladder_lane_words(d, l, item + k, sizeof item - k);
        wrap_item(&w, item, k, "; ");
    }
    ob_char(o, '\n');
}

static void column_heads(outbuf *o, const ladder_diagram *d, const geometry *g)
{
    char line[WIDTH + 1];
    memset(line, ' ', sizeof line);
    memcpy(line + g->fw - 5, "frame", 5);
    memcpy(line + g->fw + 1, "time", 4);
    unsigned base = g->fw + 1 + g->tw + 2;
    memcpy(line + base, "client", 6);
    for (unsigned l = 1; l < d->nlanes; l++) {
        size_t n = strlen(d->lanes[l].tag);
        unsigned end = base + g->x[l];
        if (n > 4 || end + 1 < n)
            n = 4;
        memcpy(line + end + 1 - n, d->lanes[l].tag, n);
    }
    size_t len = WIDTH;
    while (len && line[len - 1] == ' ')
        len--;
    ob_write(o, line, len);
    ob_char(o, '\n');
}

static int alive(const ladder_lane *l, uint32_t i)
{
    return l->first_row != LADDER_NO_ROW && i >= l->first_row &&
           (l->end_row == LADDER_NO_ROW || i <= l->end_row);
}

/* The row's words: its label then the suffix, elided to `room` columns
 * (the label gives way first). */
static size_t row_words(const ladder_diagram *d, const ladder_row *r, char *buf, size_t size,
                        size_t room)
{
    char suffix[128];
    size_t sn = ladder_row_suffix(r, suffix, sizeof suffix);
    char own[160];
    const char *label;
    size_t ln = ladder_row_label(d, r, own, sizeof own, &label);
    size_t sw = ladder_width(suffix, sn), lw = ladder_width(label, ln);
    size_t n = 0;
    if (lw + (sn ? sw + 1 : 0) <= room) {
        memcpy(buf, label, ln);
        n = ln;
    } else if (sn && room > sw + 2 + 4) {
        n = ladder_fit(label, ln, room - sw - 2);
        memcpy(buf, label, n);
        memcpy(buf + n, "\xe2\x80\xa6", 3);
        n += 3;
    } else {
        /* no room for both: the label alone, elided */
        n = room ? ladder_fit(label, ln, room - 1) : 0;
        memcpy(buf, label, n);
        if (room) {
            memcpy(buf + n, "\xe2\x80\xa6", 3);
            n += 3;
        }
        sn = 0;
    }
    if (sn) {
        buf[n++] = ' ';
        memcpy(buf + n, suffix, sn);
        n += sn;
    }
    (void)size;
    buf[n] = 0;
    return n;
}

static void row_line(outbuf *o, const ladder_diagram *d, const geometry *g, uint32_t i,
                     const char *time)
{
    const ladder_row *r = &d->rows[i];
    char grid[WIDTH + 1];
    unsigned A = g->area;
    memset(grid, ' ', A);
    for (unsigned l = 0; l < d->nlanes; l++)
        if (alive(&d->lanes[l], i))
            grid[g->x[l]] = d->lanes[l].kind == LANE_PEER ? ':' : '|';

    unsigned a = g->x[r->from], b = g->x[r->to];
    unsigned lo = a < b ? a : b, hi = a < b ? b : a;
    unsigned zhi = hi < g->zone ? hi : g->zone;
    size_t room = 0;
    int align = 0; /* -1 left, 1 right, 0 centre */
    if (r->kind == ROW_END) {
        grid[a] = r->end == END_OPEN ? '|' : 'x';
        lo = 0;
        zhi = a < g->zone ? a : g->zone;
        room = zhi > 4 ? zhi - 4 : 0;
        align = 1;
    } else {
        char fill = r->kind == ROW_DATA ? '=' : r->kind == ROW_ANOMALY ? '~' : '-';
        for (unsigned c = lo + 1; c < hi; c++)
            grid[c] = fill;
        for (unsigned l = 0; l < d->nlanes; l++)
            if (l == r->via && g->x[l] > lo && g->x[l] < hi)
                grid[g->x[l]] = '+';
        if (r->kind == ROW_KEEPALIVE) {
            grid[lo + 1] = '<';
            grid[hi - 1] = '>';
        } else if (b > a) {
            grid[b - 1] = '>';
        } else {
            grid[b + 1] = '<';
        }
        room = zhi > lo + 7 ? zhi - lo - 7 : 0;
        align = r->kind == ROW_KEEPALIVE ? 0 : b > a ? -1 : 1;
    }
    if (r->mark != MARK_NONE && r->mark_lane < d->nlanes)
        grid[g->x[r->mark_lane]] = r->mark == MARK_JOIN ? '*' : 'x';

    char words[1024];
    size_t wn = room ? row_words(d, r, words, sizeof words, room) : 0;
    size_t ww = ladder_width(words, wn);
    unsigned p = 0;
    if (wn) {
        if (align < 0)
            p = lo + 4;
        else if (align > 0)
            p = zhi - 3 - (unsigned)ww;
        else
            p = lo + 1 + (unsigned)((zhi - lo - 1 - ww) / 2);
        grid[p - 1] = ' ';
        grid[p + ww] = ' ';
    }

    ob_u64_pad(o, r->frame, g->fw);
    ob_char(o, ' ');
    size_t tl = strlen(time);
    ob_write(o, time, tl);
    ob_pad(o, g->tw - ladder_width(time, tl) + 2);
    size_t end = A;
    while (end && grid[end - 1] == ' ' && !(wn && end <= p + ww))
        end--;
    if (wn) {
        ob_write(o, grid, p);
        ob_write(o, words, wn);
        if (end > p + ww)
            ob_write(o, grid + p + ww, end - p - ww);
    } else {
        ob_write(o, grid, end);
    }
    ob_char(o, '\n');
}

void ladder_text_write(outbuf *o, const ladder_diagram *d, const text_options *opt)
{
    heading(o, d, opt);
    char *times = d->nrows ? malloc((size_t)d->nrows * TIME_BYTES) : NULL;
    unsigned tw = 4;
    if (times) {
        timefmt t;
        ladder_timefmt_init(&t, opt);
        for (uint32_t i = 0; i < d->nrows; i++) {
            char *s = times + (size_t)i * TIME_BYTES;
            size_t n = ladder_time(&t, d->rows[i].sec, d->rows[i].usec, s, TIME_BYTES);
            if (ladder_width(s, n) > tw)
                tw = (unsigned)ladder_width(s, n);
        }
    }
    geometry g;
    layout(d, tw, &g);
    column_heads(o, d, &g);
    for (uint32_t i = 0; times && i < d->nrows; i++)
        row_line(o, d, &g, i, times + (size_t)i * TIME_BYTES);
    free(times);
    ob_char(o, '\n');
}
