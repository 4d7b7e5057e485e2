/* Fuzz target: the whole msnpdump pipeline on arbitrary capture-file bytes:
 * libpcap reads them from memory (as msnpdump reads a file), the decoder
 * (cli/decoder.h) turns packets into records and correlation events, and
 * every view renders them: commands (text and JSON Lines) and the chats,
 * sessions, invites, users, explain and stats views (text and JSON Lines
 * each), and the ladder view as text and Mermaid.
 *
 * Input: the capture file (pcap or pcapng; anything else is refused by
 * libpcap, as by msnpdump). It is decoded twice: with msnpdump's default
 * options and time format, and with tiny limits (2 flows, 4 KiB held out of
 * order, 2 KiB of partial commands, 64-byte lines, 512-byte payloads) so that
 * every limit's path is taken, with --redact, and another -t time format
 * (chosen by the input's size).
 *
 * Properties:
 *   - every JSON Lines output is one strict JSON object per line
 *     (json_valid.h); the commands view has one line per record, an object
 *     whose "type" is the record's;
 *   - every text output is safe for a terminal (terminal_safe.h): no control
 *     bytes, valid UTF-8, no C1 controls, no bidirectional overrides, whatever
 *     the capture holds; the commands view has one line per record besides
 *     date headings;
 *   - the summary statistics add up: every packet is TCP or counted by why it
 *     is not; every TCP connection is MSNP, other, or an HTTP gateway carrier;
 *     there is one connection record per MSNP connection, carrier and gateway
 *     session, and the roles count each once;
 *   - the memory budgets hold: out-of-order bytes held and partial-command
 *     bytes buffered never exceeded their limits. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decoder.h"
#include "fields.h"
#include "fuzz_common.h"
#include "json_valid.h"
#include "outbuf.h"
#include "records.h"
#include "terminal_safe.h"
#include "views.h"

/* Every view of msnpdump renders the same records and events, each into its
 * own memory buffer: the commands view in text and JSON Lines (whose record
 * types are kept to check them), then every other view in each of its
 * formats. */
typedef writer *(*make_view)(outbuf *out, const text_options *opt);

static writer *commands_text(outbuf *o, const text_options *opt) { return writer_text_new(o, opt); }
static writer *commands_jsonl(outbuf *o, const text_options *opt)
{
    (void)opt;
    return writer_jsonl_new(o);
}
static writer *chats_text(outbuf *o, const text_options *opt) { return view_chats_new(o, 0, opt); }
static writer *chats_jsonl(outbuf *o, const text_options *opt) { return view_chats_new(o, 1, opt); }
static writer *sessions_text(outbuf *o, const text_options *opt)
{
    return view_sessions_new(o, 0, opt);
}
static writer *sessions_jsonl(outbuf *o, const text_options *opt)
{
    return view_sessions_new(o, 1, opt);
}
static writer *invites_text(outbuf *o, const text_options *opt)
{
    return view_invites_new(o, 0, opt, NULL);
}
static writer *invites_jsonl(outbuf *o, const text_options *opt)
{
    return view_invites_new(o, 1, opt, NULL);
}
static writer *users_text(outbuf *o, const text_options *opt) { return view_users_new(o, 0, opt); }
static writer *users_jsonl(outbuf *o, const text_options *opt) { return view_users_new(o, 1, opt); }
static writer *explain_text(outbuf *o, const text_options *opt)
{
    return view_explain_new(o, 0, opt);
}
static writer *explain_jsonl(outbuf *o, const text_options *opt)
{
    return view_explain_new(o, 1, opt);
}
static writer *stats_text(outbuf *o, const text_options *opt) { return view_stats_new(o, 0, opt); }
static writer *stats_jsonl(outbuf *o, const text_options *opt) { return view_stats_new(o, 1, opt); }
/* -T fields with text columns, laid out two ways (tshark's -E options):
 * every value double-quoted; the last value single-quoted. */
static const char *const field_names[] = {"frame.number", "msnp.cmd",         "msnp.command_line",
                                          "msnp.arg",     "msnp.nick",        "msnp.user",
                                          "msnp.msg.text", "msnp.mime.header", "msnp.invite.file"};
#define NFIELDS ((int)(sizeof field_names / sizeof field_names[0]))
static field_ref field_refs[NFIELDS];
static const fields_format fields_all = {.separator = '\t', .aggregator = ',', .quote = '"',
                                         .occurrence = 'a', .header = 1, .bom = 1};
static const fields_format fields_last = {.separator = '\t', .aggregator = '|', .quote = '\'',
                                          .occurrence = 'l'};

static writer *fields_quoted(outbuf *o, const text_options *opt)
{
    (void)opt;
    return writer_fields_new(o, field_refs, field_names, NFIELDS, &fields_all);
}
static writer *fields_last_value(outbuf *o, const text_options *opt)
{
    (void)opt;
    return writer_fields_new(o, field_refs, field_names, NFIELDS, &fields_last);
}
static writer *ladder_text(outbuf *o, const text_options *opt)
{
    return view_ladder_new(o, "text", opt, NULL);
}
static writer *ladder_mermaid(outbuf *o, const text_options *opt)
{
    return view_ladder_new(o, "mermaid", opt, NULL);
}

enum { OUT_TEXT, OUT_JSONL, OUT_FIELDS, OUT_FIELDS_LAST };
static const struct view_def {
    const char *name;
    int jsonl; /* 1: JSON Lines; 0: text for a terminal */
    make_view make;
} views[] = {
    {"commands text", 0, commands_text}, {"commands JSON", 1, commands_jsonl},
    {"commands fields", 0, fields_quoted}, {"commands fields (last)", 0, fields_last_value},
    {"chats text", 0, chats_text},       {"chats JSON", 1, chats_jsonl},
    {"sessions text", 0, sessions_text}, {"sessions JSON", 1, sessions_jsonl},
    {"invites text", 0, invites_text},   {"invites JSON", 1, invites_jsonl},
    {"users text", 0, users_text},       {"users JSON", 1, users_jsonl},
    {"explain text", 0, explain_text},   {"explain JSON", 1, explain_jsonl},
    {"stats text", 0, stats_text},       {"stats JSON", 1, stats_jsonl},
    {"ladder text", 0, ladder_text},     {"ladder Mermaid", 0, ladder_mermaid},
};
#define NOUT ((int)(sizeof views / sizeof views[0]))

typedef struct view_out {
    char *buf;
    size_t len;
    FILE *fp;
    outbuf ob;
    writer *w;
} view_out;

typedef struct tee {
    writer w; /* first: the decoder calls w.record(&w, r) and w.event(&w, ev) */
    view_out out[NOUT];
    rec_type *types;
    size_t n, cap;
} tee;

static void tee_record(writer *w, const record *r)
{
    tee *t = (tee *)w;
    for (int i = 0; i < NOUT; i++)
        t->out[i].w->record(t->out[i].w, r);
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->types = realloc(t->types, t->cap * sizeof *t->types);
        if (!t->types)
            abort();
    }
    t->types[t->n++] = r->type;
}

static void tee_event(writer *w, const msnp_event *ev)
{
    tee *t = (tee *)w;
    for (int i = 0; i < NOUT; i++)
        if (t->out[i].w->event)
            t->out[i].w->event(t->out[i].w, ev);
}

static void tee_open(tee *t, const text_options *topt)
{
    memset(t, 0, sizeof *t);
    t->w.record = tee_record;
    t->w.event = tee_event;
    for (int i = 0; i < NOUT; i++) {
        view_out *o = &t->out[i];
        o->fp = open_memstream(&o->buf, &o->len);
        if (!o->fp || outbuf_init(&o->ob, o->fp, 1u << 12) != 0)
            abort();
        o->w = views[i].make(&o->ob, topt);
        if (!o->w)
            abort();
    }
}

/* Finish every view (finish() writes what is left and frees the writer) and
 * make the buffers final. */
static void tee_close(tee *t)
{
    for (int i = 0; i < NOUT; i++) {
        view_out *o = &t->out[i];
        o->w->finish(o->w);
        FUZZ_CHECK(outbuf_flush(&o->ob) == 0 && !o->ob.failed, "writing the %s to memory failed",
                   views[i].name);
        outbuf_free(&o->ob);
        fclose(o->fp); /* open_memstream: buf and len are final now */
    }
}

static void tee_free(tee *t)
{
    for (int i = 0; i < NOUT; i++)
        free(t->out[i].buf);
    free(t->types);
}

static int supported_link(int dlt)
{
    static const int ok[] = {NET_DLT_NULL,      NET_DLT_EN10MB,    NET_DLT_RAW,
                             NET_DLT_RAW_OPENBSD, NET_LINKTYPE_RAW, NET_DLT_LOOP,
                             NET_DLT_LINUX_SLL, NET_DLT_IPV4,      NET_DLT_IPV6,
                             NET_DLT_LINUX_SLL2};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (ok[i] == dlt)
            return 1;
    return 0;
}

static const char *const type_names[] = {[REC_COMMAND] = "command", [REC_ANOMALY] = "anomaly",
                                          [REC_DATA] = "data", [REC_CONNECTION] = "connection"};

/* Every line one strict JSON object. */
static void check_json_lines(const char *out, size_t len, const char *what)
{
    FUZZ_CHECK(len == 0 || out[len - 1] == '\n', "%s output does not end with a line end", what);
    size_t line = 0;
    for (size_t pos = 0; pos < len; line++) {
        const char *nl = memchr(out + pos, '\n', len - pos);
        size_t end = (size_t)(nl - out), where;
        const char *err = json_object_check((const uint8_t *)out + pos, end - pos, &where);
        FUZZ_CHECK(err == NULL, "%s line %zu: %s at byte %zu: %.*s", what, line + 1, err, where,
                   (int)(end - pos < 300 ? end - pos : 300), out + pos);
        pos = end + 1;
    }
}

/* Safe for a terminal, ending with a line end. */
static void check_terminal(const char *out, size_t len, const char *what)
{
    size_t where;
    const char *err = terminal_safe_check((const uint8_t *)out, len, &where);
    if (err) {
        size_t from = where > 60 ? where - 60 : 0;
        fprintf(stderr, "%s around byte %zu:\n", what, where);
        for (size_t i = from; i < len && i < where + 20; i++)
            fprintf(stderr, "%02x%s", (unsigned char)out[i], i == where ? "<" : " ");
        fputc('\n', stderr);
    }
    FUZZ_CHECK(err == NULL, "%s: %s at byte %zu", what, err, where);
    FUZZ_CHECK(len == 0 || out[len - 1] == '\n', "%s does not end with a line end", what);
}

static void check_commands_jsonl(const char *out, size_t len, const tee *t)
{
    check_json_lines(out, len, "commands JSON");
    size_t line = 0;
    for (size_t pos = 0; pos < len; line++) {
        const char *nl = memchr(out + pos, '\n', len - pos);
        FUZZ_CHECK(line < t->n, "more JSON lines than the %zu records", t->n);
        char head[32];
        int hn = snprintf(head, sizeof head, "{\"type\":\"%s\"", type_names[t->types[line]]);
        FUZZ_CHECK((size_t)(nl - out) - pos >= (size_t)hn && memcmp(out + pos, head, (size_t)hn) == 0,
                   "JSON line %zu is not a %s record", line + 1, type_names[t->types[line]]);
        pos = (size_t)(nl - out) + 1;
    }
    FUZZ_CHECK(line == t->n, "%zu JSON lines for %zu records", line, t->n);
}

static void check_commands_text(const char *out, size_t len, const tee *t)
{
    check_terminal(out, len, "commands text");
    size_t records = 0;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(out + pos, '\n', len - pos);
        if (!(len - pos >= 2 && out[pos] == '#' && out[pos + 1] == ' '))
            records++;
        pos = (size_t)(nl - out) + 1;
    }
    FUZZ_CHECK(records == t->n, "%zu text lines for %zu records", records, t->n);
}

/* A line per command, the columns apart (values escape TAB) and each safe
 * for a terminal, and a column with a value in its quotes, with no quote
 * inside but escaped ones. */
static void check_commands_fields(const char *out, size_t len, const tee *t,
                                  const fields_format *fmt, const char *what)
{
    FUZZ_CHECK(len == 0 || out[len - 1] == '\n', "%s does not end with a line end", what);
    size_t pos = 0, commands = 0, lines = 0;
    if (fmt->bom) {
        FUZZ_CHECK(len >= 3 && memcmp(out, "\xef\xbb\xbf", 3) == 0, "%s: no byte order mark",
                   what);
        pos = 3;
    }
    for (size_t i = 0; i < t->n; i++)
        commands += t->types[i] == REC_COMMAND;
    if (fmt->header) {
        const char *nl = memchr(out + pos, '\n', len - pos);
        FUZZ_CHECK(nl && memcmp(out + pos, "frame.number\t", 13) == 0, "%s: no header line",
                   what);
        pos = (size_t)(nl - out) + 1;
    }
    for (; pos < len; lines++) {
        const char *nl = memchr(out + pos, '\n', len - pos);
        size_t end = (size_t)(nl - out), columns = 0;
        for (size_t c = pos; c <= end; columns++) {
            const char *sep = memchr(out + c, fmt->separator, end - c);
            size_t cend = sep ? (size_t)(sep - out) : end, n = cend - c;
            const char *col = out + c;
            size_t where;
            const char *err = terminal_safe_check((const uint8_t *)col, n, &where);
            FUZZ_CHECK(err == NULL, "%s line %zu column %zu: %s at byte %zu", what, lines + 1,
                       columns + 1, err, where);
            if (n && fmt->quote) {
                FUZZ_CHECK(n >= 2 && col[0] == fmt->quote && col[n - 1] == fmt->quote,
                           "%s line %zu column %zu not in its quotes: %.*s", what, lines + 1,
                           columns + 1, (int)(n < 200 ? n : 200), col);
                size_t k = 1;
                while (k + 1 < n) {
                    FUZZ_CHECK(col[k] != fmt->quote, "%s line %zu column %zu: a bare quote", what,
                               lines + 1, columns + 1);
                    k += col[k] == '\\' ? 2 : 1;
                }
                FUZZ_CHECK(k == n - 1, "%s line %zu column %zu: the closing quote is escaped",
                           what, lines + 1, columns + 1);
            }
            c = cend + 1;
        }
        FUZZ_CHECK(columns == (size_t)NFIELDS, "%s line %zu: %zu columns, not %d", what,
                   lines + 1, columns, NFIELDS);
        pos = end + 1;
    }
    FUZZ_CHECK(lines == commands, "%s: %zu lines for %zu commands", what, lines, commands);
}

static void check_stats(const decoder_stats *st, uint64_t frames, const tee *t,
                        const decoder_options *opt)
{
    uint64_t not_tcp = 0;
    for (int i = 1; i < NET_RESULT_COUNT; i++)
        not_tcp += st->not_tcp[i];
    FUZZ_CHECK(st->packets == frames && st->tcp_packets + not_tcp == frames,
               "%llu frames: %llu packets, %llu TCP, %llu not TCP", (unsigned long long)frames,
               (unsigned long long)st->packets, (unsigned long long)st->tcp_packets,
               (unsigned long long)not_tcp);
    FUZZ_CHECK(st->msnp_conns + st->other_conns + st->gw_carriers == st->tcp_conns,
               "%llu TCP connections: %llu MSNP, %llu other, %llu HTTP gateway carriers",
               (unsigned long long)st->tcp_conns, (unsigned long long)st->msnp_conns,
               (unsigned long long)st->other_conns, (unsigned long long)st->gw_carriers);
    uint64_t roles = 0, gw_roles = 0, conn_records = 0;
    for (int i = 0; i < 5; i++) {
        roles += st->role_conns[i];
        gw_roles += st->gw_role_sessions[i];
    }
    for (size_t i = 0; i < t->n; i++)
        conn_records += t->types[i] == REC_CONNECTION;
    FUZZ_CHECK(roles == st->msnp_conns && gw_roles == st->gw_sessions,
               "%llu MSNP connections, %llu by role; %llu gateway sessions, %llu by role",
               (unsigned long long)st->msnp_conns, (unsigned long long)roles,
               (unsigned long long)st->gw_sessions, (unsigned long long)gw_roles);
    FUZZ_CHECK(conn_records == st->msnp_conns + st->gw_carriers + st->gw_sessions,
               "%llu connection records for %llu MSNP connections, %llu gateway carriers and "
               "%llu gateway sessions",
               (unsigned long long)conn_records, (unsigned long long)st->msnp_conns,
               (unsigned long long)st->gw_carriers, (unsigned long long)st->gw_sessions);
    FUZZ_CHECK(st->held_peak <= opt->max_held_total,
               "%llu out-of-order bytes held at once, limit %llu",
               (unsigned long long)st->held_peak, (unsigned long long)opt->max_held_total);
    FUZZ_CHECK(st->buffered_peak <= opt->max_buffered_total,
               "%llu partial-command bytes buffered at once, limit %llu",
               (unsigned long long)st->buffered_peak, (unsigned long long)opt->max_buffered_total);
}

static void run(const uint8_t *data, size_t size, const decoder_options *opt, time_format tfmt)
{
    FILE *in = fmemopen((void *)(uintptr_t)data, size, "rb");
    if (!in)
        return;
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(in, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    if (!pc) {
        fclose(in);
        return;
    }
    int dlt = pcap_datalink(pc);
    if (!supported_link(dlt)) {
        pcap_close(pc);
        return;
    }
    text_options topt = {tfmt, 0};
    tee t;
    tee_open(&t, &topt);
    decoder *d = decoder_new(opt, &t.w);
    if (!d)
        abort();

    uint64_t frame = 0;
    struct pcap_pkthdr *h;
    const u_char *pkt;
    while (pcap_next_ex(pc, &h, &pkt) == 1) {
        frame++;
        decoder_packet(d, frame, (int64_t)h->ts.tv_sec, (uint32_t)h->ts.tv_usec, dlt, pkt,
                       h->caplen);
    }
    decoder_finish(d);
    tee_close(&t);
    check_commands_jsonl(t.out[OUT_JSONL].buf, t.out[OUT_JSONL].len, &t);
    check_commands_text(t.out[OUT_TEXT].buf, t.out[OUT_TEXT].len, &t);
    check_commands_fields(t.out[OUT_FIELDS].buf, t.out[OUT_FIELDS].len, &t, &fields_all,
                          views[OUT_FIELDS].name);
    check_commands_fields(t.out[OUT_FIELDS_LAST].buf, t.out[OUT_FIELDS_LAST].len, &t,
                          &fields_last, views[OUT_FIELDS_LAST].name);
    for (int i = OUT_FIELDS_LAST + 1; i < NOUT; i++) {
        if (views[i].jsonl)
            check_json_lines(t.out[i].buf, t.out[i].len, views[i].name);
        else
            check_terminal(t.out[i].buf, t.out[i].len, views[i].name);
    }
    check_stats(decoder_get_stats(d), frame, &t, opt);
    decoder_free(d);
    tee_free(&t);
    pcap_close(pc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int resolved;
    if (!resolved) {
        for (int i = 0; i < NFIELDS; i++)
            if (field_resolve(field_names[i], &field_refs[i]) != 0)
                abort();
        resolved = 1;
    }
    decoder_options opt;
    decoder_options_default(&opt);
    run(data, size, &opt, TF_UTC_DAYS);

    opt.limits.max_line = 64;
    opt.limits.max_payload = 512;
    opt.max_flows = 2;
    opt.max_held_total = 4096;
    opt.max_held_flow = 1024;
    opt.max_buffered_total = 2048;
    opt.redact = 1;
    run(data, size, &opt, (time_format)(TF_UTC + size % (TF_DELTA - TF_UTC + 1)));
    return 0;
}
