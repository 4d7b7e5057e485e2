/* MSNP over the HTTP gateway (protocol reference §8): the head of each HTTP
 * message on a gateway connection, and the chain of SessionIDs that ties the
 * requests and responses of one MSNP session together.
 *
 * A client behind a firewall POSTs its MSNP bytes to gateway.dll; the
 * response body carries the server's. `Action=open&Server=NS|SB&IP=host`
 * opens a session; every response names the SessionID the next request must
 * use (`X-MSN-Messenger: SessionID=...; GW-IP=...`), so a session is a chain
 * of ids, and it may move to another TCP connection at any request. The
 * bodies, in order, are the session's two MSNP byte streams.
 *
 * No I/O and no allocation but the chain's entries (bounded by its limit);
 * spans point into the caller's buffer. */
#ifndef MSNP_GATEWAY_H
#define MSNP_GATEWAY_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/span.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum msnp_http_result {
    MSNP_HTTP_NEED_MORE = 0, /* the head is not complete yet */
    MSNP_HTTP_HEAD,          /* a complete head: see msnp_http_head */
    MSNP_HTTP_BAD            /* not an HTTP/1.x message head, or one past the limits */
} msnp_http_result;

typedef enum msnp_gw_action {
    MSNP_GW_NONE = 0, /* not a gateway request */
    MSNP_GW_OPEN,     /* Action=open: a new session (Server=, IP=) */
    MSNP_GW_SEND,     /* SessionID= without an action: the body is client data */
    MSNP_GW_POLL,     /* Action=poll: asks for server data, empty body */
    MSNP_GW_OTHER     /* another Action= value */
} msnp_gw_action;

typedef struct msnp_http_head {
    uint32_t head_len; /* bytes of the start line and headers, the empty line included */
    uint8_t is_request;
    uint8_t has_length; /* Content-Length: present and valid */
    uint8_t chunked;    /* Transfer-Encoding: chunked (not used by the gateway) */
    uint8_t gateway;    /* a gateway.dll request, or a response with X-MSN-Messenger */
    uint8_t session_close; /* X-MSN-Messenger: ...; Session=close */
    uint16_t status;    /* responses */
    uint64_t content_length;
    msnp_span method, target; /* requests */
    msnp_span content_type;
    /* the gateway's parameters: request query (Action, Server, IP,
     * SessionID) or response header (SessionID, GW-IP) */
    msnp_gw_action action;
    msnp_span server, ip, session_id, gw_ip;
} msnp_http_head;

/* Longest head accepted; a longer one is MSNP_HTTP_BAD. */
#define MSNP_HTTP_MAX_HEAD 16384u

/* Parse the head at the start of buf[0..len). */
msnp_http_result msnp_http_parse_head(const uint8_t *buf, size_t len, msnp_http_head *out);

/* Could buf[0..len) be the beginning of an HTTP/1.x request or response?
 * 1 yes, 0 no, -1 too short to tell. */
int msnp_http_looks_like(const uint8_t *buf, size_t len);

/* ---- the SessionID chain ------------------------------------------------ */

typedef struct msnp_gw_chain msnp_gw_chain;

/* max_sessions bounds the entries (and memory): past it the session used
 * least recently is forgotten (msnp_gw_chain_add says which). */
msnp_gw_chain *msnp_gw_chain_new(size_t max_sessions);
void msnp_gw_chain_free(msnp_gw_chain *c);

/* The caller's session whose current SessionID is sid, or NULL. */
void *msnp_gw_chain_find(msnp_gw_chain *c, const uint8_t *base, msnp_span sid);

/* Key `session` (the caller's pointer) by sid from now on: a new session,
 * or the next id of a known one (its old id is dropped). When the chain is
 * full, the least recently keyed other session is forgotten and returned
 * through *evicted (else NULL). Returns -1 when memory runs out. */
int msnp_gw_chain_key(msnp_gw_chain *c, void *session, const uint8_t *base, msnp_span sid,
                      void **evicted);

/* Forget a session (it ended). */
void msnp_gw_chain_drop(msnp_gw_chain *c, void *session);

/* Sessions keyed now. */
size_t msnp_gw_chain_count(const msnp_gw_chain *c);

#ifdef __cplusplus
}
#endif
#endif
