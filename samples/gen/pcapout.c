#include "pcapout.h"

#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "util.h"

#define OUTBUF_SIZE (4u << 20)

static void flush(pcapw_t *w)
{
    if (w->len && !w->err && fwrite(w->buf, 1, w->len, w->f) != w->len)
        w->err = 1;
    w->len = 0;
}

static uint8_t *room(pcapw_t *w, size_t n)
{
    if (w->len + n > w->cap) {
        flush(w);
        if (n > w->cap) {
            w->buf = xrealloc(w->buf, n);
            w->cap = n;
        }
    }
    uint8_t *p = w->buf + w->len;
    w->len += n;
    return p;
}

static void le16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

int pcapw_open(pcapw_t *w, const char *path, int format, uint32_t dlt)
{
    memset(w, 0, sizeof *w);
    if (!strcmp(path, "-")) {
        w->f = stdout;
    } else {
        w->f = fopen(path, "wb");
        if (!w->f)
            return -1;
        w->own = 1;
    }
    w->format = format;
    w->cap = OUTBUF_SIZE;
    w->buf = xmalloc(w->cap);
    if (format == FMT_PCAP || format == FMT_PCAP_NS) {
        uint8_t *h = room(w, 24);
        le32(h, format == FMT_PCAP ? 0xa1b2c3d4u : 0xa1b23c4du);
        le16(h + 4, 2);
        le16(h + 6, 4);
        le32(h + 8, 0);  /* thiszone */
        le32(h + 12, 0); /* sigfigs */
        le32(h + 16, PCAP_SNAPLEN);
        le32(h + 20, dlt);
    } else {
        /* Section Header Block with shb_userappl "msnpgen" */
        uint8_t *h = room(w, 44);
        le32(h, 0x0a0d0d0au);
        le32(h + 4, 44);
        le32(h + 8, 0x1a2b3c4du);
        le16(h + 12, 1);
        le16(h + 14, 0);
        le32(h + 16, 0xffffffffu);
        le32(h + 20, 0xffffffffu);
        le16(h + 24, 4);
        le16(h + 26, 7);
        memcpy(h + 28, "msnpgen\0", 8);
        le32(h + 36, 0); /* opt_endofopt */
        le32(h + 40, 44);
        /* Interface Description Block */
        int ns = format == FMT_PCAPNG_NS;
        uint32_t idblen = ns ? 32 : 24;
        h = room(w, idblen);
        le32(h, 1);
        le32(h + 4, idblen);
        le16(h + 8, (uint16_t)dlt);
        le16(h + 10, 0);
        le32(h + 12, PCAP_SNAPLEN);
        if (ns) {
            le16(h + 16, 9); /* if_tsresol */
            le16(h + 18, 1);
            h[20] = 9;
            h[21] = h[22] = h[23] = 0;
            le32(h + 24, 0); /* opt_endofopt */
            le32(h + 28, idblen);
        } else {
            /* default resolution: microseconds */
            le32(h + 16, 0);
            le32(h + 20, idblen);
        }
    }
    return 0;
}

void pcapw_packet(pcapw_t *w, int64_t ts_ns, const uint8_t *data, size_t len)
{
    w->packets++;
    if (w->format == FMT_PCAP || w->format == FMT_PCAP_NS) {
        uint8_t *h = room(w, 16 + len);
        uint32_t sec = (uint32_t)(ts_ns / NS_PER_SEC);
        uint32_t sub = (uint32_t)(ts_ns % NS_PER_SEC);
        if (w->format == FMT_PCAP)
            sub /= 1000;
        le32(h, sec);
        le32(h + 4, sub);
        le32(h + 8, (uint32_t)len);
        le32(h + 12, (uint32_t)len);
        memcpy(h + 16, data, len);
    } else {
        size_t pad = (4 - (len & 3)) & 3;
        uint32_t blen = (uint32_t)(28 + len + pad + 4);
        uint64_t ts = (uint64_t)ts_ns;
        if (w->format == FMT_PCAPNG)
            ts /= 1000;
        uint8_t *h = room(w, blen);
        le32(h, 6);
        le32(h + 4, blen);
        le32(h + 8, 0); /* interface id */
        le32(h + 12, (uint32_t)(ts >> 32));
        le32(h + 16, (uint32_t)ts);
        le32(h + 20, (uint32_t)len);
        le32(h + 24, (uint32_t)len);
        memcpy(h + 28, data, len);
        memset(h + 28 + len, 0, pad);
        le32(h + 28 + len + pad, blen);
    }
}

int pcapw_close(pcapw_t *w)
{
    flush(w);
    if (fflush(w->f) != 0)
        w->err = 1;
    if (w->own && fclose(w->f) != 0)
        w->err = 1;
    free(w->buf);
    w->buf = NULL;
    return w->err ? -1 : 0;
}
