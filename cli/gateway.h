/* MSNP sessions carried over the HTTP gateway (protocol reference §8):
 * each TCP connection to the gateway is a carrier of HTTP requests and
 * responses; their bodies belong to MSNP sessions that the SessionID chain
 * names, and a session may move from one carrier to another. This module
 * frames the HTTP messages of each carrier and hands every body's bytes to
 * its session, in order, through callbacks; the decoder runs each session
 * as a connection of its own.
 *
 * Memory is bounded: at most one HTTP head is buffered per carrier
 * direction (MSNP_HTTP_MAX_HEAD), all carriers together within a budget;
 * the chain tracks a bounded number of sessions. */
#ifndef MSNPDUMP_GATEWAY_H
#define MSNPDUMP_GATEWAY_H

#include <stddef.h>
#include <stdint.h>

typedef struct gw_callbacks {
    void *ctx;
    /* A session starts: `server` is "NS", "SB" or "" and `host` the IP=
     * parameter (both NUL-terminated, escaped by the caller when shown);
     * `opened` is 0 for a session picked up mid-chain. The carrier is the
     * caller's (from gw_carrier_new). Returns the caller's session, or NULL
     * when it cannot track one (its bodies are then dropped and counted). */
    void *(*open)(void *ctx, void *carrier, const char *server, const char *host, int opened);
    /* Bytes of a body: from the client (request) or the server (response). */
    void (*data)(void *ctx, void *session, int from_client, const uint8_t *p, size_t n);
    /* Bytes of a body missing from the capture. */
    void (*gap)(void *ctx, void *session, int from_client, uint64_t missing);
    /* The session is over (Session=close), or forgotten to stay in bounds. */
    void (*close)(void *ctx, void *session, int evicted);
    /* Something on a carrier that is not what the gateway sends; side is the
     * carrier side; sample is capture bytes. */
    void (*anomaly)(void *ctx, void *carrier, int side, const char *kind, const char *detail,
                    uint64_t bytes, const uint8_t *sample, size_t sample_len);
} gw_callbacks;

typedef struct gw_demux gw_demux;
typedef struct gw_carrier gw_carrier;

gw_demux *gw_demux_new(const gw_callbacks *cb, size_t max_sessions, size_t max_buffered);
void gw_demux_free(gw_demux *g);
/* The caller ended a session itself: forget its SessionID. */
void gw_demux_forget(gw_demux *g, void *session);

typedef struct gw_counts {
    uint64_t carriers, requests, responses, sessions, bodies_dropped;
} gw_counts;
const gw_counts *gw_demux_counts(const gw_demux *g);

/* Does the first data of a connection look like HTTP? 1 yes, 0 no, -1 too
 * short to tell. */
int gw_looks_like_http(const uint8_t *p, size_t n);

/* A TCP connection whose data is HTTP; `owner` is the caller's connection,
 * given back to the callbacks as `carrier`. */
gw_carrier *gw_carrier_new(gw_demux *g, void *owner);
void gw_carrier_free(gw_demux *g, gw_carrier *c);

/* Bytes in order on one side of the carrier. Returns 0, or -1 once the
 * connection shows it is not the gateway's (plain HTTP): the caller stops
 * feeding it. */
int gw_carrier_feed(gw_demux *g, gw_carrier *c, int side, const uint8_t *p, size_t n);
/* Bytes missing from the capture on one side. */
void gw_carrier_gap(gw_demux *g, gw_carrier *c, int side, uint64_t missing);
/* One side is over: a message cut short is reported. */
void gw_carrier_end(gw_demux *g, gw_carrier *c, int side);
/* Did this carrier carry any gateway message? */
int gw_carrier_is_gateway(const gw_carrier *c);

#endif
