/* The ladder view's model: sequence diagrams of logins, switchboard
 * conversations and file transfers, built from the records by view_ladder.c
 * and drawn by the text, Mermaid and SVG renderers (view_ladder_text.c,
 * view_ladder_mermaid.c, view_ladder_svg.c) with the words they share
 * (view_ladder_words.c).
 *
 * A diagram has lanes (the client, one per server connection, one per chat
 * peer) and rows in capture order: an arrow per command line (or per run of
 * lines collapsed into one), per run of MSNFTP data, per anomaly, and a row
 * where a connection ends. Every string in the model is already escaped for
 * a terminal (esc_text: no control byte, valid UTF-8), so each renderer only
 * adds the escaping of its own format. */
#ifndef MSNPDUMP_VIEW_LADDER_H
#define MSNPDUMP_VIEW_LADDER_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/corr.h"
#include "outbuf.h"
#include "records.h"

enum {
    LADDER_MAX_CONNS = 4, /* connections drawn in one diagram (DS, NS, referrals) */
    LADDER_MAX_PEERS = 6, /* peer lanes; the last is shared once there are more */
    LADDER_MAX_LANES = 1 + LADDER_MAX_CONNS + LADDER_MAX_PEERS,
    LADDER_NO_LANE = 0xff,
    LADDER_NO_ROW = UINT32_MAX
};

typedef enum ladder_lane_kind { LANE_CLIENT, LANE_SERVER, LANE_PEER } ladder_lane_kind;

typedef struct ladder_lane {
    uint8_t kind;               /* ladder_lane_kind */
    uint8_t role;               /* servers: msnp_role of the connection */
    uint64_t conn;              /* servers: the connection's number (its uid) */
    uint32_t accounts;          /* peers: accounts drawn on it (>1: the shared lane) */
    char tag[8];                /* "client", "DS", "NS", "SB", "FTP", "P1", ... */
    char name[MSNP_HANDLE_MAX]; /* servers: IP:PORT; peers: the account */
    char nick[96];              /* peers: friendly name, URL-decoded */
    uint32_t first_row;         /* its lifeline starts here (LADDER_NO_ROW: not yet) */
    uint32_t end_row;           /* and ends here (LADDER_NO_ROW: at the bottom) */
} ladder_lane;

typedef enum ladder_row_kind {
    ROW_REQUEST,   /* a command that asks something */
    ROW_REPLY,     /* a line answering a request (reply_to when it was seen) */
    ROW_ASYNC,     /* a server push that answers nothing */
    ROW_LINE,      /* a line whose role in an exchange is unknown */
    ROW_KEEPALIVE, /* PNG/QNG exchanges, collapsed (count pings, answered) */
    ROW_DATA,      /* MSNFTP file data (count blocks, bytes) */
    ROW_ANOMALY,   /* a gap, skipped bytes, a malformed line ... */
    ROW_END        /* a connection ended (or the capture did) */
} ladder_row_kind;

typedef enum ladder_mark { MARK_NONE, MARK_JOIN, MARK_LEAVE } ladder_mark;

typedef struct ladder_row {
    uint64_t frame, last_frame; /* last_frame: collapsed rows and data runs */
    int64_t sec, last_sec;
    uint32_t usec, last_usec;
    uint64_t reply_to;  /* the request's frame, 0 when none was seen */
    int64_t latency_us; /* with reply_to */
    uint64_t bytes;     /* ROW_DATA, with the frame of its first block: */
    uint64_t data_from;
    uint32_t count;            /* lines it stands for (>1: a run collapsed), ROW_DATA: blocks,
                                  ROW_KEEPALIVE: pings */
    uint32_t answered;         /* ROW_KEEPALIVE: QNG lines */
    uint32_t label, label_len; /* in the diagram's text: the arrow's words */
    uint32_t title, title_len; /* in the diagram's text: full line and meaning (SVG) */
    uint8_t kind;              /* ladder_row_kind */
    uint8_t from, to;          /* lanes */
    uint8_t via;               /* a relayed message passes the server's lane, else LADDER_NO_LANE */
    uint8_t mark;              /* ladder_mark on mark_lane */
    uint8_t mark_lane;
    uint8_t is_error; /* a numeric error reply */
    uint8_t quiet;    /* a request nothing answers (MSG U, OUT, ...) */
    uint8_t payload;  /* MSG: msnp_payload_kind (runs keep to one kind) */
    uint8_t end;      /* ROW_END: conn_end */
    char cmd[4];
} ladder_row;

typedef enum ladder_kind {
    LADDER_LOGIN,
    LADDER_SWITCHBOARD,
    LADDER_TRANSFER,
    LADDER_OTHER
} ladder_kind;

typedef struct ladder_diagram {
    struct ladder_diagram *next;
    uint8_t kind; /* ladder_kind */
    uint32_t sid;
    uint64_t conns[LADDER_MAX_CONNS];
    uint8_t conn_done[LADDER_MAX_CONNS];
    unsigned nconns;
    char user[MSNP_HANDLE_MAX]; /* the client's account, when seen */
    char nick[96];
    char session_id[32];  /* switchboards */
    char client_addr[64]; /* the client's IP address */
    uint64_t first_frame, last_frame;
    int64_t first_sec, last_sec;
    uint32_t first_usec, last_usec;
    ladder_lane *lanes; /* at most LADDER_MAX_LANES */
    unsigned nlanes, lanes_cap;
    ladder_row *rows;
    uint32_t nrows, rows_cap;
    char *text;
    size_t text_len, text_cap;
    uint64_t lines;   /* command lines it shows */
    uint64_t dropped; /* rows left out to stay within the limits */
    /* A referral (XFR NS) the next connection may follow. */
    char referral[64];
    int64_t referral_until;
    uint8_t awaiting;
    uint8_t complete;
    size_t held; /* bytes it holds, for the budget */
} ladder_diagram;

static inline const char *ladder_text(const ladder_diagram *d, uint32_t off)
{
    return d->text ? d->text + off : "";
}

/* ---- words shared by the renderers (view_ladder_words.c) --------------- */

/* Columns a terminal gives to UTF-8 text (never fewer than it uses: wide
 * and unknown characters past U+1100 count 2). */
size_t ladder_width(const char *s, size_t n);
/* Bytes of s[0..n) that fit in `cols` columns, cut at a character boundary. */
size_t ladder_fit(const char *s, size_t n, size_t cols);

/* The row's words: its label, "PNG ⇄ QNG" for collapsed keep-alives, the
 * connection's end ("C2 closed"). Points *out at them (in buf or the
 * diagram's text) and returns their length. */
size_t ladder_row_label(const ladder_diagram *d, const ladder_row *r, char *buf, size_t size,
                        const char **out);
/* "↩ 16, 80 ms" for a reply whose request was seen, "×14" on collapsed rows,
 * "3 blocks, 5000 bytes" on data; "" when nothing applies. */
size_t ladder_row_suffix(const ladder_row *r, char *buf, size_t size);

/* The diagram's title ("C1+C2 login S1: alice@hotmail.com (Alice A.)", ...)
 * and its span ("frames 4-134, 2003-07-03 15:00:00.105430 to 15:00:55.332090
 * UTC (55.2 s), 96 lines"; local time when `local`). */
size_t ladder_title(const ladder_diagram *d, char *buf, size_t size);
size_t ladder_span(const ladder_diagram *d, char *buf, size_t size, int local);
/* Who a lane is: "alice@hotmail.com at 192.0.2.10", "C2 207.46.106.145:1863",
 * "carol@msn.com (Carol)"; renderers put its tag before it. */
size_t ladder_lane_words(const ladder_diagram *d, unsigned lane, char *buf, size_t size);
/* What ended a connection: "C2 closed", "C3 reset", "C1 still open at capture end". */
size_t ladder_end_words(const ladder_diagram *d, const ladder_row *r, char *buf, size_t size);

/* Times as -t asks (the date is in the diagram's span, so the default is
 * the UTC time of day). */
struct timefmt;
size_t ladder_time(struct timefmt *t, int64_t sec, uint32_t usec, char *buf, size_t size);
void ladder_timefmt_init(struct timefmt *t, const text_options *opt);

/* ---- renderers ---------------------------------------------------------- */

void ladder_text_write(outbuf *o, const ladder_diagram *d, const text_options *opt);
void ladder_mermaid_write(outbuf *o, const ladder_diagram *d, const text_options *opt);
/* SVG is one document: all diagrams at once, at the end; `left_out` says
 * how many more there were. */
void ladder_svg_write(outbuf *o, ladder_diagram *const *ds, size_t n, uint64_t left_out,
                      const text_options *opt);

#endif
