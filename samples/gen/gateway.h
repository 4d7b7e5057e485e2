/* msnpgen — the HTTP gateway transport (protocol reference §8): MSNP carried
 * in the bodies of HTTP POSTs to gateway.dll and of their responses, one
 * logical MSNP connection ("gateway session") chained by SessionIDs across
 * any number of keep-alive TCP connections to port 80. */
#ifndef MSNPGEN_GATEWAY_H
#define MSNPGEN_GATEWAY_H

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"
#include "util.h"

#define GW_HOST "gateway.messenger.hotmail.com"

/* What the planner knows about one gateway session while it writes it. */
typedef struct {
    int opened;             /* the Action=open request has been written */
    int closed;             /* a response carried Session=close */
    uint32_t first_carrier; /* TCP connection of the open request */
    uint8_t gw_ip[4];       /* GW-IP: the gateway that answered the open */
    uint32_t sid_hi, sid_lo; /* the SessionID the next request must quote */
    char first_sid[24];     /* the SessionID of the first response (truth key) */
    rng_t rng;
} gw_session_t;

void gw_session_init(gw_session_t *g, uint64_t seed, size_t conn);

/* Append the request line and headers (up to and including the empty line)
 * of the next POST of session `sc` carrying body_len bytes: Action=open the
 * first time, Action=poll when the body is empty, a plain send otherwise. */
void gw_request_head(buf_t *out, const conn_t *session, const gw_session_t *g, size_t body_len);

/* Append the status line and headers of the gateway's response, written at
 * capture time t_ns, with body_len bytes of MSNP; every response carries a
 * new SessionID, and Session=close when `close` is set. */
void gw_response_head(buf_t *out, gw_session_t *g, int64_t t_ns, size_t body_len, int close);

/* "Thu, 03 Jul 2003 15:00:00 GMT" (RFC 1123 date of an HTTP Date header). */
void http_date(int64_t t_ns, char *out, size_t n);

#endif
