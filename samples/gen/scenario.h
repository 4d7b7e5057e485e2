/* msnpgen — scenario model and parser (format documented in samples/README.md). */
#ifndef MSNPGEN_SCENARIO_H
#define MSNPGEN_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum { FMT_PCAP, FMT_PCAP_NS, FMT_PCAPNG, FMT_PCAPNG_NS };
enum { LINK_ETHERNET, LINK_VLAN, LINK_SLL, LINK_SLL2, LINK_RAW, LINK_NULL };
enum { SPLIT_NONE, SPLIT_FIXED, SPLIT_RANDOM };

/* A side of a connection; also the sending direction: data sent by the
 * client is c2s (SIDE_CLIENT), by the server s2c (SIDE_SERVER). */
enum { SIDE_CLIENT = 0, SIDE_SERVER = 1 };

typedef struct {
    int family; /* 4 or 6 */
    uint8_t addr[16];
    uint16_t port;
} endpoint_t;

typedef struct {
    int format;
    int link;
    uint16_t vlan_id;
    uint64_t seed;
    int64_t start_ns; /* capture start, ns since the Unix epoch (UTC) */
    uint32_t mss;
    int acks;
    int split_mode;
    uint32_t split_n;
    int coalesce;
    uint32_t reorder_ppm, retransmit_ppm, loss_ppm;
    /* Initial values of the positional timing settings. */
    int64_t delay_ns, burst_ns, rtt_ns;
} settings_t;

enum { CONN_TCP, CONN_GATEWAY };

/* A TCP connection (`conn`), or an HTTP gateway session (`gateway`): one
 * logical MSNP connection carried by the HTTP exchanges (`http`) of TCP
 * connections to the gateway. */
typedef struct {
    char *name;
    int kind;         /* CONN_TCP or CONN_GATEWAY */
    char gw_server[3]; /* CONN_GATEWAY: "NS" or "SB" (the Server= of Action=open) */
    char *gw_target;  /* CONN_GATEWAY: the IP= of Action=open */
    endpoint_t ep[2]; /* [SIDE_CLIENT], [SIDE_SERVER] (TCP only) */
    int handshake;    /* 1: SYN/SYN-ACK/ACK in the capture; 0: picked up mid-session */
    int local;        /* side the capture is taken on (SIDE_CLIENT by default) */
    int64_t rtt_ns;
    uint32_t line;
} conn_t;

enum {
    EV_SEND,   /* command line (+payload): truth record "c2s LINE" */
    EV_RAW,    /* raw bytes: truth record "c2s-raw N" */
    EV_MSNFTP, /* MSNFTP binary blocks */
    EV_WAIT,
    EV_DELAY,
    EV_BURST,
    EV_OPEN,
    EV_FIN,
    EV_RST,
    EV_HTTP /* an HTTP gateway exchange on TCP connection `conn` for session `gw` */
};

typedef struct {
    uint8_t kind;
    uint8_t side; /* sender (SEND/RAW/MSNFTP) or closing side (FIN/RST) */
    uint8_t close; /* EV_HTTP: the response ends the session (Session=close) */
    uint32_t conn;
    uint32_t line;
    uint64_t off;      /* wire bytes in scenario->arena */
    uint32_t len;
    uint32_t text_len; /* EV_SEND: length of the command line without terminator */
    int64_t ns;        /* EV_WAIT/EV_DELAY/EV_BURST */
    uint32_t ftp;      /* EV_MSNFTP: index into scenario->ftps */
    uint32_t gw;       /* EV_HTTP: the gateway session (a CONN_GATEWAY conn) */
} event_t;

typedef struct {
    char *file;     /* file name (also the name used by --files) */
    uint64_t size;  /* file size */
    uint64_t upto;  /* bytes actually sent (<= size) */
    uint32_t block; /* max data bytes per block */
    int end;        /* send the 01 00 00 block afterwards */
} ftp_spec_t;

typedef struct {
    char *path;
    settings_t set;
    conn_t *conns;
    size_t nconns, capconns;
    event_t *evs;
    size_t nevs, capevs;
    ftp_spec_t *ftps;
    size_t nftps, capftps;
    buf_t arena;
} scenario_t;

void settings_default(settings_t *s);

/* Parse a scenario held in memory. Returns 0 or GEN_EXIT_SCENARIO with a
 * "path:line: message" in err. */
int scenario_parse(scenario_t *sc, const char *path, const char *text, size_t len, char *err,
                   size_t errlen);
/* Read and parse a file. Returns 0, GEN_EXIT_SCENARIO or GEN_EXIT_IO. */
int scenario_load(scenario_t *sc, const char *path, char *err, size_t errlen);
void scenario_free(scenario_t *sc);

/* Option value parsers shared with the command line; 0 ok, -1 bad value. */
int parse_format_name(const char *s, int *fmt);
int parse_link_name(const char *s, int *link, uint16_t *vlan);
int parse_split_spec(const char *s, int *mode, uint32_t *n);

int endpoint_parse(const char *s, endpoint_t *ep);
/* "192.0.2.1:1863" or "[2001:db8::1]:1863" (RFC 5952 form). */
void endpoint_format(const endpoint_t *ep, char *out, size_t n);

#endif
