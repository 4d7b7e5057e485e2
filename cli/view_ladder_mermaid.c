/* The ladder as Mermaid: Markdown with, per diagram, a heading, its span and
 * a fenced `sequenceDiagram` block, so that GitHub and GitLab draw it and
 * mermaid-cli (mmdc) reads it as a .md file:
 *
 *   ## C2 switchboard conversation 11752013 of S1: alice@hotmail.com (Alice A.)
 *   ```mermaid
 *   sequenceDiagram
 *       participant L0 as client alice@hotmail.com at 192.0.2.10
 *       participant L1 as SB C2 207.46.108.37:1863
 *       L0->>L1: [12] 15:10:03.420830 CAL 2 bob@hotmail.com
 *       L1-->>L0: [13] 15:10:03.510830 CAL 2 RINGING 11752013 ↩ 12, 90 ms
 *
 * Requests are solid arrows, replies dotted, server pushes open-headed;
 * joins, leaves, anomalies and connection ends are notes. Mermaid takes
 * '#' and ';' as syntax and its labels as HTML, so those characters (and
 * the backtick, which would end the fence) are written as its entity codes. */
#include <string.h>

#include "timefmt.h"
#include "view_ladder.h"

/* Text for a Mermaid label: already terminal-safe (no control bytes). */
static void mermaid_text(outbuf *o, const char *s, size_t n)
{
    static const struct {
        char c;
        const char *code;
    } codes[] = {{'#', "#35;"},  {';', "#59;"},   {'<', "#lt;"}, {'>', "#gt;"},
                 {'&', "#amp;"}, {'"', "#quot;"}, {'`', "#96;"}, {'{', "#123;"},
                 {'}', "#125;"}, {'|', "#124;"},  {'%', "#37;"}};
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *code = NULL;
        for (size_t k = 0; k < sizeof codes / sizeof codes[0] && !code; k++)
            if (s[i] == codes[k].c)
                code = codes[k].code;
        if (!code)
            continue;
        ob_write(o, s + run, i - run);
        ob_str(o, code);
        run = i + 1;
    }
    ob_write(o, s + run, n - run);
}

/* Text for a Markdown line: its active punctuation backslash-escaped. */
static void markdown_text(outbuf *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strchr("\\`*_[]<>#|~&", s[i]) && s[i])
            ob_char(o, '\\');
        ob_char(o, s[i]);
    }
}

static void lane_id(outbuf *o, unsigned lane)
{
    ob_char(o, 'L');
    ob_u64(o, lane);
}

static void note(outbuf *o, unsigned a, unsigned b, const char *s, size_t n)
{
    ob_str(o, "    Note over ");
    lane_id(o, a);
    if (b != a) {
        ob_char(o, ',');
        lane_id(o, b);
    }
    ob_str(o, ": ");
    mermaid_text(o, s, n);
    ob_char(o, '\n');
}

static const char *arrow(const ladder_row *r)
{
    switch (r->kind) {
    case ROW_REPLY:
        return "-->>";
    case ROW_ASYNC:
        return "-)";
    default:
        return "->>";
    }
}

static void row(outbuf *o, const ladder_diagram *d, const ladder_row *r, timefmt *t)
{
    char own[160], suffix[128], when[48];
    const char *label;
    size_t ln = ladder_row_label(d, r, own, sizeof own, &label);
    size_t sn = ladder_row_suffix(r, suffix, sizeof suffix);
    ladder_time(t, r->sec, r->usec, when, sizeof when);
    if (r->kind == ROW_END || r->kind == ROW_ANOMALY) {
        char buf[700];
        size_t n = (size_t)snprintf(buf, sizeof buf, "[%llu] %s %.*s", (unsigned long long)r->frame,
                                    when, (int)ln, label);
        note(o, r->kind == ROW_END ? r->from : 0,
             r->kind == ROW_END ? r->from
             : r->to == 0       ? r->from
                                : r->to,
             buf, n < sizeof buf ? n : sizeof buf - 1);
        return;
    }
    ob_str(o, "    ");
    lane_id(o, r->from);
    ob_str(o, arrow(r));
    lane_id(o, r->to);
    ob_str(o, ": [");
    ob_u64(o, r->frame);
    if (r->last_frame != r->frame) {
        ob_char(o, '-');
        ob_u64(o, r->last_frame);
    }
    ob_str(o, "] ");
    ob_str(o, when);
    ob_char(o, ' ');
    mermaid_text(o, label, ln);
    if (r->via != LADDER_NO_LANE) {
        ob_str(o, " via ");
        ob_str(o, d->lanes[r->via].tag);
    }
    if (sn) {
        ob_char(o, ' ');
        mermaid_text(o, suffix, sn);
    }
    ob_char(o, '\n');
    if (r->mark != MARK_NONE && r->mark_lane < d->nlanes) {
        const char *w = r->mark == MARK_JOIN ? "joins" : "leaves";
        note(o, r->mark_lane, r->mark_lane, w, strlen(w));
    }
}

void ladder_mermaid_write(outbuf *o, const ladder_diagram *d, const text_options *opt)
{
    char buf[1024];
    size_t n = ladder_title(d, buf, sizeof buf);
    ob_str(o, "## ");
    markdown_text(o, buf, n);
    ob_str(o, "\n\n");
    n = ladder_span(d, buf, sizeof buf,
                    opt && (opt->time == TF_LOCAL || opt->time == TF_LOCAL_DATE));
    markdown_text(o, buf, n);
    ob_str(o, "\n\n```mermaid\nsequenceDiagram\n");
    for (unsigned l = 0; l < d->nlanes; l++) {
        ob_str(o, "    participant ");
        lane_id(o, l);
        ob_str(o, " as ");
        ob_str(o, d->lanes[l].tag);
        ob_char(o, ' ');
        n = ladder_lane_words(d, l, buf, sizeof buf);
        mermaid_text(o, buf, n);
        ob_char(o, '\n');
    }
    timefmt t;
    ladder_timefmt_init(&t, opt);
    for (uint32_t i = 0; i < d->nrows; i++)
        row(o, d, &d->rows[i], &t);
    ob_str(o, "```\n\n");
}
