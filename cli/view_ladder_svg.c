/* The ladder as one self-contained SVG document: the diagrams one under the
 * other, each with its title, its span, a head per lane (client, servers,
 * chat peers) and one row per arrow, with the frame and time on the left.
 *
 * Nothing outside the document is referenced: no images, fonts, scripts or
 * links; text uses the generic families (sans-serif, monospace), styles an
 * inline <style>. Every string from the capture is XML-escaped (it is
 * terminal-safe already: no control bytes, valid UTF-8). Each row is a group
 * whose <title> (a tooltip) holds the full line and its meaning.
 *
 * Arrow words use a monospace font, so their width is known without font
 * metrics (CHAR_W per column) and the lanes can be spaced to fit them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"
#include "view_ladder.h"

#define CHAR_W 7.25  /* monospace 12px: one column */
#define SMALL_W 6.65 /* monospace 11px */
#define MARGIN 24.0
#define ROW_H 26.0
#define HEAD_W 170.0 /* a lane's head box */
#define HEAD_H 40.0
#define FAR_GAP 180.0 /* between the lanes right of the first server */
#define MIN_GAP 320.0 /* between the client and the first server */
#define MAX_LABEL 96  /* columns of an arrow's words */
#define LEGEND_H 40.0

typedef struct svg_geo {
    double frame_right, time_left, x[LADDER_MAX_LANES];
    double width, label_room;
    unsigned tw;
} svg_geo;

/* ---- escaping -------------------------------------------------------------- */

static void xml_text(outbuf *o, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *e = NULL;
        size_t skip = 1;
        switch (s[i]) {
        case '&':
            e = "&amp;";
            break;
        case '<':
            e = "&lt;";
            break;
        case '>':
            e = "&gt;";
            break;
        case '"':
            e = "&quot;";
            break;
        case '\'':
            e = "&#39;";
            break;
        default:
            /* U+FFFE and U+FFFF are valid UTF-8 but not XML characters */
            if ((uint8_t)s[i] == 0xEF && i + 2 < n && (uint8_t)s[i + 1] == 0xBF &&
                ((uint8_t)s[i + 2] & 0xFE) == 0xBE) {
                e = ((uint8_t)s[i + 2] == 0xBE) ? "\\u{FFFE}" : "\\u{FFFF}";
                skip = 3;
            }
            break;
        }
        if (!e)
            continue;
        ob_write(o, s + run, i - run);
        ob_str(o, e);
        run = i + skip;
        i += skip - 1;
    }
    ob_write(o, s + run, n - run);
}

static void xml_str(outbuf *o, const char *s)
{
    xml_text(o, s, strlen(s));
}

/* Text elided to `cols` columns, with "…" when cut. */
static void xml_fit(outbuf *o, const char *s, size_t n, size_t cols)
{
    if (ladder_width(s, n) <= cols) {
        xml_text(o, s, n);
        return;
    }
    xml_text(o, s, ladder_fit(s, n, cols ? cols - 1 : 0));
    ob_str(o, "\xe2\x80\xa6");
}

static void num(outbuf *o, double v)
{
    char b[32];
    int n = snprintf(b, sizeof b, "%.1f", v);
    if (n > 2 && b[n - 1] == '0' && b[n - 2] == '.')
        n -= 2;
    ob_write(o, b, (size_t)n);
}

static void attr(outbuf *o, const char *name, double v)
{
    ob_char(o, ' ');
    ob_str(o, name);
    ob_str(o, "=\"");
    num(o, v);
    ob_char(o, '"');
}

/* ---- layout ---------------------------------------------------------------- */

static unsigned digits(uint64_t v)
{
    unsigned n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

static size_t row_cols(const ladder_diagram *d, const ladder_row *r)
{
    char own[160], suffix[128];
    const char *label;
    size_t ln = ladder_row_label(d, r, own, sizeof own, &label);
    size_t sn = ladder_row_suffix(r, suffix, sizeof suffix);
    size_t w = ladder_width(label, ln) + (sn ? ladder_width(suffix, sn) + 2 : 0);
    if (r->via != LADDER_NO_LANE)
        w += 8;
    return w;
}

static void layout(const ladder_diagram *d, unsigned tw, svg_geo *g)
{
    memset(g, 0, sizeof *g);
    unsigned fw = digits(d->last_frame > d->first_frame ? d->last_frame : d->first_frame);
    if (fw < 5)
        fw = 5;
    g->tw = tw;
    g->frame_right = MARGIN + fw * SMALL_W;
    g->time_left = g->frame_right + 12;
    double lanes_left = g->time_left + tw * SMALL_W + 24;
    size_t cols = 24;
    for (uint32_t i = 0; i < d->nrows; i++) {
        size_t c = row_cols(d, &d->rows[i]);
        if (c > cols)
            cols = c;
    }
    if (cols > MAX_LABEL)
        cols = MAX_LABEL;
    double gap = cols * CHAR_W + 40;
    if (gap < MIN_GAP)
        gap = MIN_GAP;
    g->label_room = gap - 30;
    g->x[0] = lanes_left + HEAD_W / 2;
    for (unsigned l = 1; l < d->nlanes; l++)
        g->x[l] = g->x[l - 1] + (l == 1 ? gap : FAR_GAP);
    g->width = g->x[d->nlanes ? d->nlanes - 1 : 0] + HEAD_W / 2 + MARGIN;
}

static double diagram_height(const ladder_diagram *d)
{
    return 70 + HEAD_H + 20 + d->nrows * ROW_H + 30;
}

/* ---- pieces ---------------------------------------------------------------- */

static void text_at(outbuf *o, double x, double y, const char *cls, const char *anchor)
{
    ob_str(o, "<text");
    attr(o, "x", x);
    attr(o, "y", y);
    if (cls) {
        ob_str(o, " class=\"");
        ob_str(o, cls);
        ob_char(o, '"');
    }
    if (anchor) {
        ob_str(o, " text-anchor=\"");
        ob_str(o, anchor);
        ob_char(o, '"');
    }
    ob_char(o, '>');
}

static void line(outbuf *o, double x1, double y1, double x2, double y2, const char *cls)
{
    ob_str(o, "<line");
    attr(o, "x1", x1);
    attr(o, "y1", y1);
    attr(o, "x2", x2);
    attr(o, "y2", y2);
    ob_str(o, " class=\"");
    ob_str(o, cls);
    ob_str(o, "\"/>");
}

static void head(outbuf *o, double x, double y, int right, const char *cls)
{
    double dx = right ? -10 : 10;
    ob_str(o, "<polygon points=\"");
    num(o, x);
    ob_char(o, ',');
    num(o, y);
    ob_char(o, ' ');
    num(o, x + dx);
    ob_char(o, ',');
    num(o, y - 4.5);
    ob_char(o, ' ');
    num(o, x + dx);
    ob_char(o, ',');
    num(o, y + 4.5);
    ob_str(o, "\" class=\"");
    ob_str(o, cls);
    ob_str(o, "\"/>");
}

static void cross(outbuf *o, double x, double y)
{
    line(o, x - 6, y - 6, x + 6, y + 6, "end");
    line(o, x - 6, y + 6, x + 6, y - 6, "end");
}

static const char *row_class(const ladder_row *r)
{
    if (r->is_error)
        return "error";
    static const char *const names[] = {[ROW_REQUEST] = "request",     [ROW_REPLY] = "reply",
                                        [ROW_ASYNC] = "push",          [ROW_LINE] = "line",
                                        [ROW_KEEPALIVE] = "keepalive", [ROW_DATA] = "data",
                                        [ROW_ANOMALY] = "anomaly",     [ROW_END] = "end"};
    return r->kind < sizeof names / sizeof names[0] ? names[r->kind] : "line";
}

static void lane_heads(outbuf *o, const ladder_diagram *d, const svg_geo *g, double y)
{
    for (unsigned l = 0; l < d->nlanes; l++) {
        const ladder_lane *lane = &d->lanes[l];
        const char *cls = lane->kind == LANE_CLIENT ? "client"
                          : lane->kind == LANE_PEER ? "peer"
                                                    : "server";
        char words[512];
        size_t n = ladder_lane_words(d, l, words, sizeof words);
        ob_str(o, "<g class=\"lane\"><title>");
        xml_str(o, lane->tag);
        ob_str(o, " = ");
        xml_text(o, words, n);
        ob_str(o, "</title><rect");
        attr(o, "x", g->x[l] - HEAD_W / 2);
        attr(o, "y", y);
        attr(o, "width", HEAD_W);
        attr(o, "height", HEAD_H);
        ob_str(o, " rx=\"6\" class=\"head ");
        ob_str(o, cls);
        ob_str(o, "\"/>");
        text_at(o, g->x[l], y + 16, "tag", "middle");
        xml_str(o, lane->tag);
        ob_str(o, "</text>");
        /* the box has room for the essential: who, or where */
        const char *who = lane->kind == LANE_PEER     ? words
                          : lane->kind == LANE_SERVER ? lane->name
                          : d->user[0]                ? d->user
                                                      : d->client_addr;
        text_at(o, g->x[l], y + 32, "who", "middle");
        xml_fit(o, who, strlen(who), 26);
        ob_str(o, "</text></g>\n");
    }
}

static void lifelines(outbuf *o, const ladder_diagram *d, const svg_geo *g, double top,
                      double rows_y)
{
    for (unsigned l = 0; l < d->nlanes; l++) {
        const ladder_lane *lane = &d->lanes[l];
        if (lane->first_row == LADDER_NO_ROW)
            continue;
        double y1 = lane->first_row == 0 ? top : rows_y + lane->first_row * ROW_H - ROW_H / 2;
        if (y1 > top) /* not there yet: a faint line from its head */
            line(o, g->x[l], top, g->x[l], y1, "before");
        double y2 = lane->end_row == LADDER_NO_ROW ? rows_y + d->nrows * ROW_H - ROW_H / 2
                                                   : rows_y + lane->end_row * ROW_H;
        line(o, g->x[l], y1, g->x[l], y2, "life");
    }
}

static void row_svg(outbuf *o, const ladder_diagram *d, const svg_geo *g, uint32_t i, double y,
                    const char *when, unsigned number)
{
    const ladder_row *r = &d->rows[i];
    const char *cls = row_class(r);
    if (i % 2) {
        ob_str(o, "<rect");
        attr(o, "x", MARGIN / 2);
        attr(o, "y", y - ROW_H + 8);
        attr(o, "width", g->width - MARGIN);
        attr(o, "height", ROW_H);
        ob_str(o, " class=\"band\"/>");
    }
    ob_str(o, "<g class=\"row ");
    ob_str(o, cls);
    ob_str(o, "\" id=\"d");
    ob_u64(o, number);
    ob_char(o, 'r');
    ob_u64(o, i + 1);
    ob_str(o, "\"><title>");
    char own[160], suffix[128];
    const char *label;
    size_t ln = ladder_row_label(d, r, own, sizeof own, &label);
    size_t sn = ladder_row_suffix(r, suffix, sizeof suffix);
    if (r->title_len && r->count == 1) {
        xml_text(o, ladder_text(d, r->title), r->title_len);
    } else {
        ob_str(o, r->last_frame != r->frame ? "frames " : "frame ");
        ob_u64(o, r->frame);
        if (r->last_frame != r->frame) {
            ob_char(o, '-');
            ob_u64(o, r->last_frame);
        }
        ob_str(o, ": ");
        xml_text(o, label, ln);
    }
    if (sn) {
        ob_str(o, " (");
        xml_text(o, suffix, sn);
        ob_char(o, ')');
    }
    ob_str(o, "</title>");

    /* frame and time */
    text_at(o, g->frame_right, y - 2, "frame", "end");
    ob_u64(o, r->frame);
    ob_str(o, "</text>");
    text_at(o, g->time_left, y - 2, "time", NULL);
    xml_str(o, when);
    ob_str(o, "</text>");

    double xf = g->x[r->from], xt = g->x[r->to];
    if (r->kind == ROW_END) {
        if (r->end != END_OPEN)
            cross(o, xf, y);
        text_at(o, xf - 12, y + 4, "endnote", "end");
        xml_text(o, label, ln);
        ob_str(o, "</text></g>\n");
        return;
    }
    line(o, xf, y, xt, y, cls);
    if (r->kind == ROW_KEEPALIVE) {
        head(o, xt, y, xt > xf, cls);
        head(o, xf, y, xf > xt, cls);
    } else {
        head(o, xt, y, xt > xf, cls);
    }
    if (r->via != LADDER_NO_LANE) {
        ob_str(o, "<circle");
        attr(o, "cx", g->x[r->via]);
        attr(o, "cy", y);
        ob_str(o, " r=\"4\" class=\"via\"/>");
    }
    if (r->mark != MARK_NONE && r->mark_lane < d->nlanes) {
        double xm = g->x[r->mark_lane];
        if (r->mark == MARK_JOIN) {
            ob_str(o, "<circle");
            attr(o, "cx", xm);
            attr(o, "cy", y);
            ob_str(o, " r=\"6\" class=\"join\"/>");
        } else {
            cross(o, xm, y);
        }
    }
    /* the words, over the arrow, between the client and the first server */
    double lo = xf < xt ? xf : xt, hi = xf < xt ? xt : xf;
    if (d->nlanes > 1 && hi > g->x[1])
        hi = g->x[1];
    size_t room = (size_t)((hi - lo - 24) / CHAR_W);
    if (room > MAX_LABEL)
        room = MAX_LABEL;
    size_t sw = sn ? ladder_width(suffix, sn) + 2 : 0;
    size_t vw = r->via != LADDER_NO_LANE ? 8 : 0;
    text_at(o, (lo + hi) / 2, y - 6, "words", "middle");
    xml_fit(o, label, ln, room > sw + vw + 8 ? room - sw - vw : room);
    if (r->via != LADDER_NO_LANE) {
        ob_str(o, "<tspan class=\"extra\"> via ");
        xml_str(o, d->lanes[r->via].tag);
        ob_str(o, "</tspan>");
    }
    if (sn && room > sw + vw + 8) {
        ob_str(o, "<tspan class=\"extra\">  ");
        xml_text(o, suffix, sn);
        ob_str(o, "</tspan>");
    }
    ob_str(o, "</text></g>\n");
}

static void diagram_svg(outbuf *o, const ladder_diagram *d, const svg_geo *g, double y,
                        unsigned number, const text_options *opt)
{
    char buf[1024];
    size_t n = ladder_title(d, buf, sizeof buf);
    ob_str(o, "<g class=\"diagram\" id=\"d");
    ob_u64(o, number);
    ob_str(o, "\">\n");
    text_at(o, MARGIN, y + 22, "title", NULL);
    xml_text(o, buf, n);
    ob_str(o, "</text>");
    n = ladder_span(d, buf, sizeof buf,
                    opt && (opt->time == TF_LOCAL || opt->time == TF_LOCAL_DATE));
    text_at(o, MARGIN, y + 42, "span", NULL);
    xml_text(o, buf, n);
    ob_str(o, "</text>\n");
    double heads_y = y + 56;
    double rows_y = heads_y + HEAD_H + 20 + ROW_H / 2;
    lifelines(o, d, g, heads_y + HEAD_H, rows_y);
    lane_heads(o, d, g, heads_y);
    timefmt t;
    ladder_timefmt_init(&t, opt);
    for (uint32_t i = 0; i < d->nrows; i++) {
        char when[48];
        ladder_time(&t, d->rows[i].sec, d->rows[i].usec, when, sizeof when);
        row_svg(o, d, g, i, rows_y + i * ROW_H, when, number);
    }
    ob_str(o, "</g>\n");
}

static void legend(outbuf *o, double y)
{
    static const struct {
        const char *cls, *words;
    } keys[] = {
        {"request", "request"},        {"reply", "reply (\xe2\x86\xa9 request frame, time)"},
        {"push", "server push"},       {"error", "error reply"},
        {"keepalive", "keep-alives"},  {"data", "file data"},
        {"anomaly", "capture anomaly"}};
    double x = MARGIN;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        line(o, x, y, x + 34, y, keys[i].cls);
        head(o, x + 34, y, 1, keys[i].cls);
        text_at(o, x + 40, y + 4, "key", NULL);
        ob_str(o, keys[i].words);
        ob_str(o, "</text>");
        x += 52 + strlen(keys[i].words) * 6.4;
    }
    ob_char(o, '\n');
}

static const char style[] =
    "<style>\n"
    "text{font-family:sans-serif;font-size:12px;fill:#1b1b1b}\n"
    ".title{font-size:16px;font-weight:bold}.span{font-size:12px;fill:#555}\n"
    ".frame,.time{font-family:monospace;font-size:11px;fill:#666}\n"
    ".words{font-family:monospace;font-size:12px}.extra{fill:#6a6a6a}\n"
    ".tag{font-weight:bold}.who{font-size:11px;fill:#333}.key{font-size:11px;fill:#444}\n"
    ".endnote{font-style:italic;fill:#666;font-size:11px}\n"
    ".head{stroke:#8a8a8a;stroke-width:1}.client{fill:#e3f0fd}.server{fill:#fff1dc}"
    ".peer{fill:#e6f4e6}\n"
    ".band{fill:#f5f7fa}\n"
    ".life{stroke:#b0b0b0;stroke-width:1.2;stroke-dasharray:4 4}"
    ".before{stroke:#d8d8d8;stroke-width:1;stroke-dasharray:1 5}\n"
    "line.request{stroke:#1f5fbf;stroke-width:1.6}polygon.request{fill:#1f5fbf}\n"
    "line.reply{stroke:#2e7d32;stroke-width:1.6;stroke-dasharray:6 3}polygon.reply{fill:#2e7d32}\n"
    "line.push{stroke:#7b3fa0;stroke-width:1.6}polygon.push{fill:#7b3fa0}\n"
    "line.line{stroke:#555;stroke-width:1.4}polygon.line{fill:#555}\n"
    "line.error{stroke:#c62828;stroke-width:1.8;stroke-dasharray:6 3}polygon.error{fill:#c62828}\n"
    "g.error .words{fill:#c62828}\n"
    "line.keepalive{stroke:#8d8d8d;stroke-width:1.4}polygon.keepalive{fill:#8d8d8d}\n"
    "line.data{stroke:#e07000;stroke-width:4}polygon.data{fill:#e07000}\n"
    "line.anomaly{stroke:#d32f2f;stroke-width:1.6;stroke-dasharray:2 3}"
    "polygon.anomaly{fill:#d32f2f}g.anomaly .words{fill:#d32f2f}\n"
    "line.end{stroke:#444;stroke-width:2}.via{fill:#fff;stroke:#7b3fa0;stroke-width:2}\n"
    ".join{fill:#2e7d32}\n"
    "</style>\n";

void ladder_svg_write(outbuf *o, ladder_diagram *const *ds, size_t n, uint64_t left_out,
                      const text_options *opt)
{
    svg_geo *geo = n ? calloc(n, sizeof *geo) : NULL;
    double width = 760, height = MARGIN + LEGEND_H;
    for (size_t i = 0; geo && i < n; i++) {
        const ladder_diagram *d = ds[i];
        timefmt t;
        ladder_timefmt_init(&t, opt);
        unsigned tw = 4;
        for (uint32_t k = 0; k < d->nrows; k++) {
            char when[48];
            size_t len = ladder_time(&t, d->rows[k].sec, d->rows[k].usec, when, sizeof when);
            if (len > tw)
                tw = (unsigned)len;
        }
        layout(d, tw, &geo[i]);
        char title[1024];
        size_t tl = ladder_title(d, title, sizeof title);
        double tw_px = MARGIN * 2 + ladder_width(title, tl) * 9.5;
        if (geo[i].width < tw_px)
            geo[i].width = tw_px;
        if (geo[i].width > width)
            width = geo[i].width;
        height += diagram_height(d);
    }
    if (!geo || !n || left_out)
        height += 40;
    ob_str(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\"");
    attr(o, "width", width);
    attr(o, "height", height);
    ob_str(o, " viewBox=\"0 0 ");
    num(o, width);
    ob_char(o, ' ');
    num(o, height);
    ob_str(o, "\">\n<title>msnpdump ladder: MSNP sequence diagrams</title>\n");
    ob_str(o, style);
    ob_str(o, "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    legend(o, MARGIN + 8);
    double y = MARGIN + LEGEND_H;
    if (!geo || !n || left_out) {
        text_at(o, MARGIN, y + 20, "span", NULL);
        if (n && !geo) {
            ob_str(o, "out of memory");
        } else if (left_out) {
            ob_u64(o, left_out);
            ob_str(o, left_out == 1 ? " more diagram is" : " more diagrams are");
            ob_str(o, " not drawn: one SVG holds a limited number; choose with --session");
        } else {
            ob_str(o, "no MSNP connection to draw");
        }
        ob_str(o, "</text>\n");
        y += 40;
    }
    for (size_t i = 0; geo && i < n; i++) {
        if (i)
            line(o, MARGIN / 2, y, width - MARGIN / 2, y, "life");
        diagram_svg(o, ds[i], &geo[i], y, (unsigned)(i + 1), opt);
        y += diagram_height(ds[i]);
    }
    ob_str(o, "</svg>\n");
    free(geo);
}
