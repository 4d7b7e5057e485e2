/* What msnpdump reports, independent of the output format: one record per
 * command, per anomaly, per run of MSNFTP data, and per connection. Writers
 * (out_text.c, out_jsonl.c) render them. */
#ifndef MSNPDUMP_RECORDS_H
#define MSNPDUMP_RECORDS_H

#include <stdint.h>

#include "msnp/msnp.h"
#include "outbuf.h"

/* Per-direction counters of a connection. */
typedef struct dir_counts {
    uint64_t bytes;     /* delivered in order (what the framer saw) */
    uint64_t commands;
    uint64_t anomalies;
    uint64_t gaps, gap_bytes;
    uint64_t skipped;   /* bytes skipped while resynchronising */
    uint64_t ftp_blocks, ftp_bytes;
} dir_counts;

typedef enum conn_end {
    END_OPEN = 0, /* still open when the capture ended */
    END_FIN,
    END_RST,
    END_EVICTED /* dropped to stay within the flow limit */
} conn_end;

typedef enum conn_kind {
    CONN_TCP = 0,    /* MSNP on a TCP connection of its own */
    CONN_GW_CARRIER, /* a TCP connection carrying HTTP gateway requests (role "HTTP") */
    CONN_GW_SESSION  /* an MSNP session carried over the HTTP gateway */
} conn_kind;

/* What a writer needs to know about a connection. */
typedef struct conn_view {
    /* What every packet or command reads or updates comes first, in as few
     * cache lines as it takes; the names and addresses after. */
    uint64_t id; /* the number in the uid */
    const msnp_conn *msnp;
    uint64_t first_frame, last_frame;
    int64_t first_sec, last_sec;
    uint32_t first_usec, last_usec;
    dir_counts dir[2];
    conn_end end;
    uint8_t kind; /* conn_kind */
    char uid[24];
    /* CONN_GW_SESSION: the gateway's Server= (NS or SB) and IP= values, as
     * sent (escape them when shown); endpoints are those of the carrier the
     * session was first seen on. */
    char gw_server[8];
    char gw_host[64];
    char endpoint[2][64]; /* side 0 and side 1 as "IP:PORT" */
} conn_view;

typedef enum rec_type { REC_COMMAND, REC_ANOMALY, REC_DATA, REC_CONNECTION } rec_type;

typedef struct record {
    rec_type type;
    const conn_view *conn;
    uint32_t sid; /* the connection's login session (correlation), 0 unknown */
    const char *challenge; /* the connection's last CHL challenge (QRY check) */
    int side; /* sender (not used by REC_CONNECTION) */
    uint64_t frame;
    int64_t sec;
    uint32_t usec;

    /* REC_COMMAND */
    const uint8_t *base;
    const msnp_pdu *pdu;
    const msnp_command *cmd;
    const msnp_command *parsed;  /* decoder: the parse made when it came */
    msnp_parse_ctx parsed_ctx;   /* and what it was made with */
    /* MSG with a payload: its MIME block as parsed for the correlator
     * (headers.count 0: it did not parse); NULL for other records. Like
     * cmd, valid while the writer's record() runs. */
    const msnp_mime *mime;
    /* Request/response pairing: tag is the request's frame, when its time in
     * microseconds since the epoch (msnp/trid.h). */
    msnp_txn txn;

    /* REC_ANOMALY: kind from msnp_anomaly_name() or one of the CLI's own
     * ("unknown_command", "unexpected_syntax"); sample is capture bytes. */
    const char *kind;
    const char *detail;
    uint64_t bytes;
    const uint8_t *sample;
    uint32_t sample_len;

    /* REC_DATA: a run of MSNFTP blocks */
    uint64_t first_frame;
    uint64_t blocks;
    int aborted;
} record;

typedef struct decoder_stats decoder_stats;

/* How text is presented (-t, --color). */
typedef enum time_format {
    TF_UTC_DAYS,  /* default: UTC time of day, a date heading when the day changes */
    TF_UTC,       /* -t u: UTC time of day;  -t ud: UTC date and time */
    TF_UTC_DATE,
    TF_LOCAL,     /* -t a: local time of day;  -t ad: local date and time */
    TF_LOCAL_DATE,
    TF_EPOCH,     /* -t e: seconds since the epoch */
    TF_RELATIVE,  /* -t r: seconds since the first packet */
    TF_DELTA      /* -t d: seconds since the previous line */
} time_format;

typedef struct text_options {
    time_format time;
    int color; /* ANSI colours for the structure (never for capture bytes) */
} text_options;

/* A view of the records: the commands view in text, JSON Lines or fields,
 * and the correlation views. Made by writer_*_new; finish() writes what is
 * left and frees it. */
typedef struct writer {
    outbuf *out;
    void (*record)(struct writer *w, const record *r);
    void (*event)(struct writer *w, const msnp_event *ev); /* NULL: not wanted */
    void (*finish)(struct writer *w);
} writer;

writer *writer_text_new(outbuf *out, const text_options *opt);
writer *writer_jsonl_new(outbuf *out);

/* -T fields' layout, set with -E as tshark's: between columns, between the
 * values of one column, the quote around a column that has a value (0:
 * none), which values ('a' all, 'f' the first, 'l' the last), a header line
 * of field names, a UTF-8 byte order mark first. */
typedef struct fields_format {
    char separator, aggregator, quote, occurrence;
    int header, bom;
} fields_format;

struct field_ref;
writer *writer_fields_new(outbuf *out, const struct field_ref *fields, const char *const *names,
                          size_t n, const fields_format *fmt);

/* Only records the filter accepts reach `inner` (events pass through);
 * `counts` (may be NULL) learns how many records the filter saw and kept,
 * and stays the caller's after finish(). */
struct filter;
typedef struct filter_counts {
    uint64_t seen, kept;
} filter_counts;
writer *writer_filter_new(writer *inner, const struct filter *f, filter_counts *counts);

/* How a connection ended, as the JSON contract spells it ("fin", "rst",
 * "evicted", "open"). */
const char *conn_end_name(conn_end e);

/* The record's time in microseconds since the epoch, wrapping (never
 * overflowing) for the absurd timestamps a capture may hold: differences of
 * two such times are right whenever the true difference fits. */
static inline int64_t record_usec(const record *r)
{
    return (int64_t)((uint64_t)r->sec * 1000000u + r->usec);
}

/* Microseconds from `when` (a record_usec) to this record: exact for any
 * real capture, and defined (wrapping, never overflowing) for the absurd
 * timestamps a damaged one may hold. */
static inline int64_t record_usec_since(const record *r, int64_t when)
{
    return (int64_t)((uint64_t)record_usec(r) - (uint64_t)when);
}

/* Role and direction of a record's sender, as the JSON contract spells them. */
const char *record_role(const record *r);
const char *record_dir(const record *r);

#endif
