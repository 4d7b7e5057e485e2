#include "gateway.h"

#include <stdio.h>
#include <string.h>

#define TAG_GATEWAY UINT64_C(0x67776179) /* "gway" */

void gw_session_init(gw_session_t *g, uint64_t seed, size_t conn)
{
    memset(g, 0, sizeof *g);
    g->rng = rng_derive(seed, TAG_GATEWAY, conn, 0);
    /* Real SessionIDs look like 954547325.13160: a fixed number per session
     * and a second part below 32768 that changes with every response. */
    g->sid_hi = 100000000u + rng_below(&g->rng, 2000000000u);
    g->sid_lo = rng_below(&g->rng, 32768);
}

static void put_ip(buf_t *out, const uint8_t ip[4])
{
    char s[16];
    snprintf(s, sizeof s, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
    buf_puts(out, s);
}

void gw_request_head(buf_t *out, const conn_t *session, const gw_session_t *g, size_t body_len)
{
    char num[64];
    buf_puts(out, "POST http://");
    if (!g->opened) {
        buf_puts(out, GW_HOST "/gateway/gateway.dll?Action=open&Server=");
        buf_puts(out, session->gw_server);
        buf_puts(out, "&IP=");
        buf_puts(out, session->gw_target);
    } else {
        put_ip(out, g->gw_ip);
        buf_puts(out, body_len ? "/gateway/gateway.dll?SessionID="
                               : "/gateway/gateway.dll?Action=poll&SessionID=");
        snprintf(num, sizeof num, "%u.%u", g->sid_hi, g->sid_lo);
        buf_puts(out, num);
    }
    buf_puts(out, " HTTP/1.1\r\n"
                  "Accept: */*\r\n"
                  "Accept-Language: en-us\r\n"
                  "Accept-Encoding: gzip, deflate\r\n"
                  "User-Agent: MSMSGS\r\n"
                  "Host: ");
    if (!g->opened)
        buf_puts(out, GW_HOST);
    else
        put_ip(out, g->gw_ip);
    buf_puts(out, "\r\n"
                  "Connection: Keep-Alive\r\n"
                  "Pragma: no-cache\r\n"
                  "Content-Type: application/x-msn-messenger\r\n"
                  "Content-Length: ");
    snprintf(num, sizeof num, "%zu\r\n\r\n", body_len);
    buf_puts(out, num);
}

void gw_response_head(buf_t *out, gw_session_t *g, int64_t t_ns, size_t body_len, int close)
{
    uint32_t lo = rng_below(&g->rng, 32768);
    if (g->first_sid[0] && lo == g->sid_lo)
        lo = (lo + 1) % 32768;
    g->sid_lo = lo;
    if (!g->first_sid[0])
        snprintf(g->first_sid, sizeof g->first_sid, "%u.%u", g->sid_hi, g->sid_lo);

    char date[40], num[64];
    http_date(t_ns, date, sizeof date);
    buf_puts(out, "HTTP/1.1 200 OK\r\n"
                  "Server: Microsoft-IIS/5.0\r\n"
                  "Date: ");
    buf_puts(out, date);
    snprintf(num, sizeof num, "\r\nX-MSN-Messenger: SessionID=%u.%u; GW-IP=", g->sid_hi,
             g->sid_lo);
    buf_puts(out, num);
    put_ip(out, g->gw_ip);
    if (close)
        buf_puts(out, "; Session=close");
    buf_puts(out, "\r\n"
                  "Content-Type: application/x-msn-messenger\r\n"
                  "Content-Length: ");
    snprintf(num, sizeof num, "%zu\r\n\r\n", body_len);
    buf_puts(out, num);
}

void http_date(int64_t t_ns, char *out, size_t n)
{
    static const char *const wday[7] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static const char *const mon[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int64_t secs = t_ns / NS_PER_SEC;
    int64_t days = secs / 86400, sod = secs % 86400;
    if (sod < 0) {
        sod += 86400;
        days--;
    }
    /* days since 1970-01-01 (a Thursday) to a civil date */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    int64_t w = days % 7;
    if (w < 0)
        w += 7;
    snprintf(out, n, "%s, %02u %s %04lld %02d:%02d:%02d GMT", wday[w], d, mon[m - 1],
             (long long)y, (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
}
