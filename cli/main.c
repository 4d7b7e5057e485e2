/* msnpdump: decode MSNP (MSN Messenger protocol 8) from pcap/pcapng captures.
 * Options are one table (options[]), views another (views[]); usage() is
 * written from both, and the man page documents the same. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "decoder.h"
#include "extract.h"
#include "fields.h"
#include "filter.h"
#include "input.h"
#include "logset.h"
#include "outbuf.h"
#include "records.h"
#include "timefmt.h"
#include "views.h"

enum {
    EXIT_OK = 0,
    EXIT_USAGE = 1,
    EXIT_INPUT = 3, /* cannot open or parse the input */
    EXIT_FILTER = 4,
    EXIT_READ = 14, /* truncated input or read error; records so far written */
    EXIT_WRITE = 15 /* output could not be written */
};

static const char *progname = "msnpdump";

#define MAX_FIELDS 64

typedef struct settings {
    const char *files[INPUT_MAX_FILES];
    size_t nfiles;
    const char *view;
    const char *topic; /* explain CMD: a reference entry, no capture */
    const char *format;
    const char *filter;
    const char *field_names[MAX_FIELDS];
    field_ref fields[MAX_FIELDS];
    size_t nfields;
    fields_format fields_fmt; /* -E */
    int fields_fmt_given;     /* an -E was given */
    uint64_t max_packets;
    int quiet;
    const char *color; /* auto, always, never */
    const char *extract_dir;
    extractor *extract;
    const char *ladder_select; /* --session */
    const char *logdir; /* -w */
    int overwrite;
    const char *progress;
    text_options text;
    decoder_options dec;
    uint64_t max_mem;     /* --max-mem, 0: not given */
    unsigned keep_limits; /* DECODER_KEEP_*: limits given on their own */
} settings;

/* ---- views -------------------------------------------------------------- */

typedef struct view_def {
    const char *name;
    const char *summary;
    const char *formats; /* the -T values it writes */
    writer *(*make)(const settings *s, outbuf *out);
    /* Built from the records -Y keeps (0: from the correlation of the whole
     * capture, which -Y does not narrow). */
    int filtered;
    /* What an empty output means: "no ... in the capture" (NULL: the view
     * always writes something). */
    const char *absent;
} view_def;

static writer *make_commands(const settings *s, outbuf *out)
{
    if (!strcmp(s->format, "jsonl"))
        return writer_jsonl_new(out);
    if (!strcmp(s->format, "fields"))
        return writer_fields_new(out, s->fields, s->field_names, s->nfields, &s->fields_fmt);
    return writer_text_new(out, &s->text);
}

static writer *make_chats(const settings *s, outbuf *out)
{
    return view_chats_new(out, !strcmp(s->format, "jsonl"), &s->text);
}

static writer *make_sessions(const settings *s, outbuf *out)
{
    return view_sessions_new(out, !strcmp(s->format, "jsonl"), &s->text);
}

static writer *make_users(const settings *s, outbuf *out)
{
    return view_users_new(out, !strcmp(s->format, "jsonl"), &s->text);
}

static writer *make_invites(const settings *s, outbuf *out)
{
    return view_invites_new(out, !strcmp(s->format, "jsonl"), &s->text, s->extract);
}

static writer *make_explain(const settings *s, outbuf *out)
{
    return view_explain_new(out, !strcmp(s->format, "jsonl"), &s->text);
}

static writer *make_stats(const settings *s, outbuf *out)
{
    return view_stats_new(out, !strcmp(s->format, "jsonl"), &s->text);
}

static writer *make_ladder(const settings *s, outbuf *out)
{
    return view_ladder_new(out, s->format, &s->text, s->ladder_select);
}

static const view_def views[] = {
    {"commands", "one record per command with its meaning (the default)", "text jsonl fields",
     make_commands, 1, "no MSNP command, anomaly or MSNFTP data"},
    {"chats", "conversations: messages, typing, joins, leaves, invitations", "text jsonl",
     make_chats, 0, "no switchboard conversation"},
    {"sessions", "notification-server logins and switchboard conversations, linked", "text jsonl",
     make_sessions, 0, "no login or switchboard conversation"},
    {"invites", "invitations and the file transfers that carried them out (--extract DIR)",
     "text jsonl", make_invites, 0, "no invitation or MSNFTP file transfer"},
    {"users", "per login: account, client, profile, contact list and its edits, status and "
              "presence timeline",
     "text jsonl", make_users, 1, "no notification-server login"},
    {"explain", "every command with its meaning in context; 'explain CMD' (no -r): the "
                "reference entry of a command or error code",
     "text jsonl", make_explain, 1, "no MSNP command"},
    {"stats", "counts by command, role and direction; errors; sessions; messages per chat; "
              "response times; anomalies (tshark -z style)",
     "text jsonl", make_stats, 1, NULL},
    {"ladder", "sequence diagrams of each login, switchboard and file transfer (--session)",
     "text mermaid svg", make_ladder, 1, "no login, switchboard or file transfer"},
};

static const view_def *find_view(const char *name)
{
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
        if (!strcmp(views[i].name, name))
            return &views[i];
    return NULL;
}

/* ---- options ------------------------------------------------------------ */

static int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    if (!*s || s[0] == '-')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

typedef int (*option_fn)(settings *s, const char *value);

static int opt_read(settings *s, const char *v)
{
    if (s->nfiles == INPUT_MAX_FILES)
        return -1;
    s->files[s->nfiles++] = v;
    return 0;
}

static int opt_format(settings *s, const char *v)
{
    s->format = v;
    return strcmp(v, "text") && strcmp(v, "jsonl") && strcmp(v, "fields") &&
                   strcmp(v, "mermaid") && strcmp(v, "svg")
               ? -1
               : 0;
}

static int opt_field(settings *s, const char *v)
{
    if (s->nfields == MAX_FIELDS || field_resolve(v, &s->fields[s->nfields]) != 0)
        return -1;
    s->field_names[s->nfields++] = v;
    return 0;
}

/* "/t", "/s" or one character, as tshark spells separators. */
static int fields_char(const char *v, char *out)
{
    if (!strcmp(v, "/t"))
        *out = '\t';
    else if (!strcmp(v, "/s"))
        *out = ' ';
    else if (strlen(v) == 1 && v[0] != '\n')
        *out = v[0];
    else
        return -1;
    return 0;
}

/* -E NAME=VALUE: tshark's -T fields options. */
static int opt_fields_option(settings *s, const char *v)
{
    fields_format *f = &s->fields_fmt;
    s->fields_fmt_given = 1;
    const char *eq = strchr(v, '=');
    if (!eq)
        return -1;
    const char *val = eq + 1;
    size_t k = (size_t)(eq - v);
    int yes = !strcmp(val, "y"), no = !strcmp(val, "n");
    if (k == 6 && !strncmp(v, "header", k) && (yes || no))
        f->header = yes;
    else if (k == 3 && !strncmp(v, "bom", k) && (yes || no))
        f->bom = yes;
    else if (k == 9 && !strncmp(v, "separator", k))
        return fields_char(val, &f->separator);
    else if (k == 10 && !strncmp(v, "aggregator", k))
        return fields_char(val, &f->aggregator);
    else if (k == 10 && !strncmp(v, "occurrence", k) && strlen(val) == 1 && strchr("fla", val[0]))
        f->occurrence = val[0];
    else if (k == 5 && !strncmp(v, "quote", k) && strlen(val) == 1 && strchr("dsn", val[0]))
        f->quote = val[0] == 'd' ? '"' : val[0] == 's' ? '\'' : 0;
    else
        return -1;
    return 0;
}

static int opt_filter(settings *s, const char *v)
{
    s->filter = v;
    return 0;
}

static int opt_count(settings *s, const char *v)
{
    return parse_u64(v, 1, UINT64_MAX, &s->max_packets);
}

static int opt_time(settings *s, const char *v)
{
    return timefmt_parse(v, &s->text.time);
}

static int opt_quiet(settings *s, const char *v)
{
    (void)v;
    s->quiet = 1;
    return 0;
}

static int one_of(const char *v, const char *a, const char *b, const char *c)
{
    return !strcmp(v, a) || !strcmp(v, b) || !strcmp(v, c) ? 0 : -1;
}

static int opt_color(settings *s, const char *v)
{
    s->color = v;
    return one_of(v, "auto", "always", "never");
}

static int opt_progress(settings *s, const char *v)
{
    s->progress = v;
    return one_of(v, "auto", "always", "never");
}

static int opt_extract(settings *s, const char *v)
{
    s->extract_dir = v;
    return *v ? 0 : -1;
}

static int opt_logdir(settings *s, const char *v)
{
    s->logdir = v;
    return *v ? 0 : -1;
}

static int opt_overwrite(settings *s, const char *v)
{
    (void)v;
    s->overwrite = 1;
    return 0;
}

static int opt_session(settings *s, const char *v)
{
    s->ladder_select = v;
    return view_ladder_selection_valid(v) ? 0 : -1;
}

static int opt_ports(settings *s, const char *v)
{
    char buf[256];
    if (strlen(v) >= sizeof buf)
        return -1;
    strcpy(buf, v);
    s->dec.nports = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        uint64_t p;
        if (parse_u64(tok, 1, 65535, &p) != 0 || s->dec.nports == DECODER_MAX_PORTS)
            return -1;
        s->dec.ports[s->dec.nports++] = (uint16_t)p;
    }
    return s->dec.nports ? 0 : -1;
}

static int opt_max_line(settings *s, const char *v)
{
    uint64_t n;
    if (parse_u64(v, 16, 1u << 24, &n) != 0)
        return -1;
    s->dec.limits.max_line = (uint32_t)n;
    return 0;
}

static int opt_max_payload(settings *s, const char *v)
{
    uint64_t n;
    if (parse_u64(v, 0, 1u << 30, &n) != 0)
        return -1;
    s->dec.limits.max_payload = (uint32_t)n;
    s->keep_limits |= DECODER_KEEP_PAYLOAD;
    return 0;
}

static int opt_max_flows(settings *s, const char *v)
{
    uint64_t n;
    if (parse_u64(v, 1, 1u << 26, &n) != 0)
        return -1;
    s->dec.max_flows = (size_t)n;
    s->keep_limits |= DECODER_KEEP_FLOWS;
    return 0;
}

/* Bytes: a number with an optional K, M, G or T (powers of 1024), "64M". */
static int parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    static const char units[] = "KMGT";
    char digits[32];
    size_t n = strspn(s, "0123456789");
    if (n == 0 || n >= sizeof digits)
        return -1;
    memcpy(digits, s, n);
    digits[n] = '\0';
    uint64_t v;
    if (parse_u64(digits, 0, UINT64_MAX, &v) != 0)
        return -1;
    const char *u = s + n;
    if (*u) {
        const char *k = strchr(units, *u >= 'a' && *u <= 'z' ? *u - 32 : *u);
        if (!k || (u[1] && strcmp(u + 1, "B") && strcmp(u + 1, "iB")))
            return -1;
        for (int shift = (int)(k - units) + 1; shift > 0; shift--) {
            if (v > UINT64_MAX / 1024)
                return -1;
            v *= 1024;
        }
    }
    if (v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int opt_max_mem(settings *s, const char *v)
{
    return parse_size(v, 1u << 20, (uint64_t)1 << 40, &s->max_mem);
}

static int opt_max_held(settings *s, const char *v)
{
    s->keep_limits |= DECODER_KEEP_HELD;
    return parse_size(v, 0, (uint64_t)1 << 40, &s->dec.max_held_total);
}

static int opt_max_held_flow(settings *s, const char *v)
{
    uint64_t n;
    if (parse_size(v, 0, 1u << 30, &n) != 0)
        return -1;
    s->dec.max_held_flow = (uint32_t)n;
    s->keep_limits |= DECODER_KEEP_HELD_FLOW;
    return 0;
}

static int opt_redact(settings *s, const char *v)
{
    (void)v;
    s->dec.redact = 1;
    return 0;
}

static void usage(FILE *fp);
static void list_fields(FILE *fp);

static int opt_help(settings *s, const char *v)
{
    (void)s;
    (void)v;
    usage(stdout);
    exit(EXIT_OK);
}

static int opt_version(settings *s, const char *v)
{
    (void)s;
    (void)v;
    printf("msnpdump %s (libmsnp %s)\n", MSNP_VERSION_STRING, MSNP_VERSION_STRING);
    exit(EXIT_OK);
}

static int opt_fields_list(settings *s, const char *v)
{
    (void)s;
    (void)v;
    list_fields(stdout);
    exit(EXIT_OK);
}

static const struct option_def {
    const char *shortname, *longname;
    const char *arg; /* NULL: takes no value */
    const char *help;
    option_fn fn;
} options[] = {
    {"-r", "--read", "FILE",
     "capture to read: pcap or pcapng, plain or gzip-compressed; '-' is standard input. "
     "Repeat it for several files: their packets are merged in time order",
     opt_read},
    {"-T", "--format", "FORMAT",
     "output format: text (default), jsonl, or fields (with -e); the ladder view: text, "
     "mermaid or svg",
     opt_format},
    {"-e", NULL, "FIELD", "with -T fields: a column (repeatable); see --fields", opt_field},
    {"-E", NULL, "OPTION",
     "with -T fields: header=y|n, separator=/t|/s|CHAR, aggregator=,|/s|CHAR, "
     "occurrence=a|f|l, quote=n|d|s, bom=y|n",
     opt_fields_option},
    {"-Y", NULL, "FILTER",
     "keep only the records that match, e.g. 'msnp.cmd == \"MSG\" && msnp.role == \"SB\"' "
     "(not with chats, sessions or invites: they show the whole capture's correlation)",
     opt_filter},
    {"-c", NULL, "N", "stop after N packets", opt_count},
    {"-t", NULL, "FORMAT",
     "time format in text: u, ud (UTC), a, ad (local), e (epoch), r (relative), d (delta); "
     "default: UTC with a date heading",
     opt_time},
    {"-q", "--quiet", NULL, "no summary and no progress on standard error", opt_quiet},
    {NULL, "--color", "WHEN", "colour text: auto (default: when a terminal and NO_COLOR is unset), "
                              "always, never",
     opt_color},
    {NULL, "--progress", "WHEN", "progress on standard error: auto (on a terminal), always, never",
     opt_progress},
    {NULL, "--extract", "DIR",
     "invites view: write the files transferred over MSNFTP into DIR (safe names, never "
     "overwriting)",
     opt_extract},
    {"-w", NULL, "DIR",
     "write every view at once as JSON Lines logs in DIR (created when absent): commands.log, "
     "anomalies.log, connections.log, sessions.log, chats.log, invites.log, joined by uid and "
     "sid; logs already there are not replaced without --overwrite",
     opt_logdir},
    {NULL, "--overwrite", NULL, "with -w: replace the logs an earlier run left in DIR",
     opt_overwrite},
    {NULL, "--session", "IDS",
     "ladder view: draw only these, comma-separated: connections (C3) and logins (S1, with "
     "their switchboards and file transfers)",
     opt_session},
    {NULL, "--port", "LIST",
     "ports that mark the server side when the traffic does not tell (default 1863); MSNP is "
     "found on any port",
     opt_ports},
    {NULL, "--max-line", "N", "longest command line accepted, bytes (default 16384)", opt_max_line},
    {NULL, "--max-payload", "N", "largest payload accepted, bytes (default 1048576)",
     opt_max_payload},
    {NULL, "--max-flows", "N", "TCP connections tracked at once (default 65536)", opt_max_flows},
    {NULL, "--max-held", "SIZE",
     "out-of-order TCP bytes held, all connections (default 16M); past it the hole becomes a "
     "gap",
     opt_max_held},
    {NULL, "--max-held-flow", "SIZE",
     "out-of-order TCP bytes held, one direction of a connection (default 1M)",
     opt_max_held_flow},
    {NULL, "--max-mem", "SIZE",
     "one memory budget (e.g. 64M, 1G) shared by every limit in fixed proportions; limits "
     "given on their own win; it only ever lowers the defaults",
     opt_max_mem},
    {NULL, "--redact", NULL,
     "mask credentials in every output: Passport tickets, MSPAuth, switchboard cookies, "
     "AuthCookies (same length, '*'; equal secrets end in the same #N)",
     opt_redact},
    {NULL, "--fields", NULL, "list the field names for -Y and -e", opt_fields_list},
    {"-h", "--help", NULL, "this help", opt_help},
    {NULL, "--version", NULL, "version", opt_version},
};

#define NOPTIONS (sizeof options / sizeof options[0])

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: %s [VIEW] [options] -r FILE [-r FILE...]\n"
            "Decode MSN Messenger (MSNP8) traffic from pcap or pcapng captures.\n\nViews:\n",
            progname);
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
        fprintf(fp, "  %-12s %s (-T %s)\n", views[i].name, views[i].summary, views[i].formats);
    fprintf(fp, "\nOptions:\n");
    for (size_t i = 0; i < NOPTIONS; i++) {
        const struct option_def *o = &options[i];
        char names[64];
        snprintf(names, sizeof names, "%s%s%s%s%s", o->shortname ? o->shortname : "",
                 o->shortname && o->longname ? ", " : "", o->longname ? o->longname : "",
                 o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(fp, "  %-22s %s\n", names, o->help);
    }
    fprintf(fp, "\nExit status: 0 success, 1 usage error, 3 cannot open or parse the input,\n"
                "4 bad filter, 14 truncated input or read error (records decoded so far are\n"
                "written), 15 output write error.\n");
}

static void print_field(void *ctx, const char *name, const char *text)
{
    fprintf(ctx, "%-26s %s\n", name, text);
}

static void list_fields(FILE *fp)
{
    field_list(print_field, fp);
}

/* Returns 0, or the exit status of a usage error (message printed). */
static int parse_args(int argc, char **argv, settings *s)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !a[1]) {
            if (s->view && !s->topic && !strcmp(s->view, "explain")) {
                s->topic = a;
                continue;
            }
            if (s->view) {
                fprintf(stderr, "%s: unexpected argument '%s' (one view at most)\n", progname, a);
                return EXIT_USAGE;
            }
            if (!find_view(a)) {
                fprintf(stderr, "%s: unknown view '%s' (see %s --help)\n", progname, a, progname);
                return EXIT_USAGE;
            }
            s->view = a;
            continue;
        }
        const struct option_def *o = NULL;
        const char *value = NULL;
        for (size_t k = 0; k < NOPTIONS && !o; k++) {
            const struct option_def *d = &options[k];
            size_t ll = d->longname ? strlen(d->longname) : 0;
            if ((d->shortname && !strcmp(a, d->shortname)) || (d->longname && !strcmp(a, d->longname)))
                o = d;
            else if (d->longname && d->arg && !strncmp(a, d->longname, ll) && a[ll] == '=') {
                o = d;
                value = a + ll + 1;
            }
        }
        if (!o) {
            fprintf(stderr, "%s: unknown option '%s' (see %s --help)\n", progname, a, progname);
            return EXIT_USAGE;
        }
        if (o->arg && !value) {
            if (i + 1 >= argc) {
                fprintf(stderr, "%s: option %s needs a value (%s)\n", progname, a, o->arg);
                return EXIT_USAGE;
            }
            value = argv[++i];
        }
        if (o->fn(s, value) != 0) {
            fprintf(stderr, "%s: bad value for %s: '%s' (%s)\n", progname, a, value ? value : "",
                    o->help);
            return EXIT_USAGE;
        }
    }
    if (s->logdir && (s->view || strcmp(s->format, "text"))) {
        fprintf(stderr, "%s: -w writes every view, as JSON Lines: no view or -T goes with it\n",
                progname);
        return EXIT_USAGE;
    }
    if (s->overwrite && !s->logdir) {
        fprintf(stderr, "%s: --overwrite goes with -w DIR\n", progname);
        return EXIT_USAGE;
    }
    if (!s->view)
        s->view = "commands";
    if (s->topic && s->nfiles) {
        fprintf(stderr, "%s: explain takes a command (no capture) or a capture (-r), not both\n",
                progname);
        return EXIT_USAGE;
    }
    if (!s->nfiles && !s->topic) {
        fprintf(stderr, "%s: no input: give a capture with -r FILE (or -r - for stdin)\n", progname);
        return EXIT_USAGE;
    }
    const view_def *v = find_view(s->view);
    if (!strstr(v->formats, s->format)) {
        fprintf(stderr, "%s: the %s view writes -T %s, not %s\n", progname, v->name, v->formats,
                s->format);
        return EXIT_USAGE;
    }
    if (s->extract_dir && strcmp(v->name, "invites") && !s->logdir) {
        fprintf(stderr, "%s: --extract goes with the invites view or -w\n", progname);
        return EXIT_USAGE;
    }
    if (s->filter && !v->filtered) {
        fprintf(stderr,
                "%s: -Y keeps records; the %s view shows the correlation of the whole capture, "
                "which it does not narrow (filter the commands, explain, users, stats or ladder "
                "view)\n",
                progname, v->name);
        return EXIT_USAGE;
    }
    if (s->ladder_select && strcmp(v->name, "ladder")) {
        fprintf(stderr, "%s: --session goes with the ladder view\n", progname);
        return EXIT_USAGE;
    }
    if (strcmp(s->format, "fields") && (s->nfields || s->fields_fmt_given)) {
        fprintf(stderr, "%s: -e and -E go with -T fields\n", progname);
        return EXIT_USAGE;
    }
    if (!strcmp(s->format, "fields") && !s->nfields) {
        fprintf(stderr, "%s: -T fields needs at least one -e FIELD\n", progname);
        return EXIT_USAGE;
    }
    return 0;
}

/* ---- running ------------------------------------------------------------ */

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

/* " (1 NS, 2 SB)" */
static void role_counts(const uint64_t counts[5])
{
    static const char *roles[5] = {"unknown role", "DS", "NS", "SB", "MSNFTP"};
    const char *sep = " (";
    for (int i = 0; i < 5; i++) {
        if (counts[i]) {
            fprintf(stderr, "%s%" PRIu64 " %s", sep, counts[i], roles[i]);
            sep = ", ";
        }
    }
    if (sep[0] == ',')
        fputc(')', stderr);
}

static void summary(const decoder_stats *st)
{
    fprintf(stderr, "%s: %" PRIu64 " packets, %" PRIu64 " TCP", progname, st->packets,
            st->tcp_packets);
    static const char *why[NET_RESULT_COUNT] = {
        [NET_NOT_IP] = "not IP", [NET_NOT_TCP] = "IP but not TCP",
        [NET_FRAGMENT] = "IP fragments (not reassembled)", [NET_TRUNCATED] = "cut before the TCP header",
        [NET_BAD_HEADER] = "bad headers", [NET_LINK_UNSUPPORTED] = "unsupported link type"};
    for (int i = 1; i < NET_RESULT_COUNT; i++)
        if (st->not_tcp[i])
            fprintf(stderr, ", %" PRIu64 " %s", st->not_tcp[i], why[i]);
    fprintf(stderr, "\n%s: %" PRIu64 " TCP connections: %" PRIu64 " MSNP", progname, st->tcp_conns,
            st->msnp_conns);
    role_counts(st->role_conns);
    if (st->gw_carriers)
        fprintf(stderr, ", %" PRIu64 " HTTP gateway", st->gw_carriers);
    fprintf(stderr, ", %" PRIu64 " other", st->other_conns);
    if (st->evicted)
        fprintf(stderr, ", %" PRIu64 " dropped at the flow limit", st->evicted);
    if (st->gw_carriers) {
        fprintf(stderr, "\n%s: HTTP gateway: %" PRIu64 " MSNP sessions", progname, st->gw_sessions);
        role_counts(st->gw_role_sessions);
        fprintf(stderr, " in %" PRIu64 " requests and %" PRIu64 " responses", st->gw_requests,
                st->gw_responses);
        if (st->gw_dropped_bytes)
            fprintf(stderr, ", %" PRIu64 " body bytes of no known session", st->gw_dropped_bytes);
    }
    fprintf(stderr, "\n%s: %" PRIu64 " commands, %" PRIu64 " MSNFTP data blocks; %" PRIu64
            " anomalies: %" PRIu64 " gaps (%" PRIu64 " bytes missing), %" PRIu64
            " malformed lines, %" PRIu64 " bytes skipped, %" PRIu64 " oversize, %" PRIu64
            " truncated, %" PRIu64 " unknown commands\n",
            progname, st->commands, st->ftp_blocks, st->anomalies, st->gaps, st->gap_bytes,
            st->malformed, st->skipped_bytes, st->oversize, st->truncated, st->unknown_commands);
    if (st->dup_bytes || st->conflicts || st->ignored_segments || st->cut_segments)
        fprintf(stderr,
                "%s: TCP: %" PRIu64 " retransmitted bytes dropped (%" PRIu64
                " retransmissions differ from the first copy), %" PRIu64
                " segments ignored, %" PRIu64 " segments cut by the snapshot length\n",
                progname, st->dup_bytes, st->conflicts, st->ignored_segments, st->cut_segments);
    if (st->stray_packets || st->after_close_packets)
        fprintf(stderr,
                "%s: %" PRIu64 " FIN/RST packets of connections never seen open, %" PRIu64
                " data packets after their connection ended\n",
                progname, st->stray_packets, st->after_close_packets);
}

/* An empty output says why, after the summary: a blank screen otherwise
 * looks like a failure. */
static void nothing_shown(const view_def *v, const settings *s, const filter_counts *kept)
{
    if (!v->absent)
        return;
    fprintf(stderr, "%s: nothing to show: %s", progname, v->absent);
    if (s->ladder_select)
        fprintf(stderr, " among --session %s", s->ladder_select);
    else if (!kept)
        fputs(" in the capture", stderr);
    if (kept)
        fprintf(stderr, " (-Y kept %" PRIu64 " of %" PRIu64 " records)", kept->kept, kept->seen);
    fputc('\n', stderr);
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* "msnpdump: 42% of 1.2 GB, 180 MB/s" on one refreshed line of stderr. */
static void show_progress(const input *in, double start, int final)
{
    uint64_t done, total;
    input_progress(in, &done, &total);
    double secs = now_seconds() - start;
    double rate = secs > 0 ? done / secs / 1e6 : 0;
    if (final) {
        fprintf(stderr, "\r\033[K");
        return;
    }
    if (total)
        fprintf(stderr, "\r\033[K%s: %3.0f%% of %.1f MB, %.0f MB/s", progname,
                100.0 * done / total, total / 1e6, rate);
    else
        fprintf(stderr, "\r\033[K%s: %.1f MB, %.0f MB/s", progname, done / 1e6, rate);
}

static void extract_data(void *ctx, uint64_t conn, const uint8_t *p, size_t n)
{
    extractor_data(ctx, conn, p, n);
}

static int want(const char *when, int fd)
{
    if (!strcmp(when, "always"))
        return 1;
    if (!strcmp(when, "never"))
        return 0;
    return isatty(fd);
}

/* `msnpdump explain CMD`: answered from libmsnp's tables, without a capture. */
static int answer_topic(const settings *s)
{
    outbuf out;
    if (outbuf_init(&out, stdout, 1u << 16) != 0) {
        fprintf(stderr, "%s: out of memory\n", progname);
        return EXIT_WRITE;
    }
    int found = view_explain_topic(s->topic, !strcmp(s->format, "jsonl"), &out) == 0;
    int failed = outbuf_flush(&out) != 0 || out.failed;
    outbuf_free(&out);
    if (!found) {
        fprintf(stderr,
                "%s: explain: '%s' is neither a command nor an error code that msnpdump knows "
                "(docs/commands.md lists them all)\n",
                progname, s->topic);
        return EXIT_USAGE;
    }
    return failed ? EXIT_WRITE : EXIT_OK;
}

int main(int argc, char **argv)
{
    settings s;
    memset(&s, 0, sizeof s);
    s.format = "text";
    s.fields_fmt = (fields_format){.separator = '\t', .aggregator = ',', .occurrence = 'a'};
    s.color = "auto";
    s.progress = "auto";
    decoder_options_default(&s.dec);
    int status = parse_args(argc, argv, &s);
    if (status)
        return status;
    if (s.max_mem)
        decoder_options_budget(&s.dec, s.max_mem, s.keep_limits);
    /* Only the invites view (and its log) shows the files' MD5. */
    s.dec.corr.hash_files = s.logdir || (s.view && !strcmp(s.view, "invites"));
    if (s.topic)
        return answer_topic(&s);
    s.text.color = !strcmp(s.color, "auto") ? isatty(STDOUT_FILENO) && !getenv("NO_COLOR")
                                             : !strcmp(s.color, "always");

    filter *flt = NULL;
    filter_counts kept = {0, 0};
    if (s.filter) {
        char err[256];
        flt = filter_compile(s.filter, err, sizeof err);
        if (!flt) {
            fprintf(stderr, "%s: -Y: %s\n", progname, err);
            return EXIT_FILTER;
        }
    }
    char err[512];
    input *in = input_open(s.files, s.nfiles, err, sizeof err);
    if (!in) {
        fprintf(stderr, "%s: %s\n", progname, err);
        filter_free(flt);
        return EXIT_INPUT;
    }
    for (unsigned i = 0; i < input_count(in); i++) {
        if (!supported_link(input_dlt(in, i))) {
            fprintf(stderr,
                    "%s: %s: link type %d is not supported; supported: Ethernet (with VLAN tags), "
                    "Linux cooked v1 and v2, raw IP, BSD/OpenBSD loopback\n",
                    progname, input_name(in, i), input_dlt(in, i));
            input_close(in);
            filter_free(flt);
            return EXIT_INPUT;
        }
    }

    if (s.extract_dir) {
        s.extract = extractor_new(s.extract_dir, err, sizeof err);
        if (!s.extract) {
            fprintf(stderr, "%s: %s\n", progname, err);
            input_close(in);
            filter_free(flt);
            return EXIT_USAGE;
        }
        s.dec.ftp_data = extract_data;
        s.dec.ftp_ctx = s.extract;
    }
    outbuf out;
    writer *w = NULL;
    logset *logs = NULL;
    if (outbuf_init(&out, stdout, 1u << 16) == 0) {
        if (s.logdir) {
            logs = logset_open(s.logdir, s.overwrite, s.extract, err, sizeof err);
            if (!logs) {
                fprintf(stderr, "%s: %s\n", progname, err);
                extractor_free(s.extract);
                outbuf_free(&out);
                input_close(in);
                filter_free(flt);
                return EXIT_WRITE;
            }
            w = logset_writer(logs);
        } else {
            w = find_view(s.view)->make(&s, &out);
        }
    }
    if (w && flt) {
        writer *fw = writer_filter_new(w, flt, &kept);
        if (fw)
            w = fw;
        else {
            w->finish(w);
            w = NULL;
        }
    }
    decoder *d = w ? decoder_new(&s.dec, w) : NULL;
    if (!d) {
        fprintf(stderr, "%s: out of memory\n", progname);
        return EXIT_INPUT;
    }

    int progress = !s.quiet && want(s.progress, STDERR_FILENO);
    double start = now_seconds(), last_shown = start;
    uint64_t frame = 0;
    for (;;) {
        if (s.max_packets && frame >= s.max_packets)
            break;
        input_packet pkt;
        int r = input_next(in, &pkt, err, sizeof err);
        if (r == 0)
            break;
        if (r < 0) {
            fprintf(stderr, "%s%s: %s\n", progress ? "\r\033[K" : "", progname, err);
            status = EXIT_READ;
            continue; /* the other files go on */
        }
        frame++;
        decoder_packet(d, frame, pkt.sec, pkt.usec, pkt.dlt, pkt.data, pkt.caplen);
        if (out.failed || logset_failed(logs))
            break;
        if (progress && (frame & 0x3fff) == 0 && now_seconds() - last_shown > 0.5) {
            last_shown = now_seconds();
            show_progress(in, start, 0);
        }
    }
    if (progress)
        show_progress(in, start, 1);
    decoder_finish(d);
    w->finish(w);
    int wrote_nothing = !logs && out.flushes == 0 && out.len == 0;
    if (logset_close(logs, err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", progname, err);
        status = EXIT_WRITE;
    }
    if (outbuf_flush(&out) != 0 || out.failed) {
        fprintf(stderr, "%s: cannot write the output: %s\n", progname, strerror(errno));
        status = EXIT_WRITE;
    }
    if (!s.quiet)
        summary(decoder_get_stats(d));
    if (!s.quiet && wrote_nothing)
        nothing_shown(find_view(s.view), &s, flt ? &kept : NULL);
    if (s.extract && extractor_errors(s.extract))
        fprintf(stderr, "%s: --extract: %llu write errors; some files are missing or short\n",
                progname, (unsigned long long)extractor_errors(s.extract));
    extractor_free(s.extract);
    decoder_free(d);
    outbuf_free(&out);
    input_close(in);
    filter_free(flt);
    return status;
}
