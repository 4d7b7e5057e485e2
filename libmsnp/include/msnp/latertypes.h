/* Content types of later protocol versions, NOT MSNP8 (protocol reference
 * §6.2, §6.3 [L]): recognised and labelled, their structure decoded where the
 * reference gives one. (application/x-msnmsgrp2p has its own decoder, p2p.h.)
 *   text/x-mms-emoticon, text/x-mms-animemoticon: custom emoticon map,
 *       "shortcut TAB msnobj TAB ..." pairs;
 *   text/x-msnmsgr-datacast: "ID: 1" = nudge (wink, voice clip ... other ids);
 *   application/x-ms-ink, image/gif (ink), text/x-keepalive: body kept whole;
 *   text/x-msmsgsinitialmdatanotification, text/x-msmsgsoimnotification
 *       (MSNP11+ offline messages): body fields kept. */
#ifndef MSNP_LATERTYPES_H
#define MSNP_LATERTYPES_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/codes.h"
#include "msnp/mime.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MSNP_EMOTICON_MAX 16

enum {
    MSNP_EMOTICON_ISSUE_ODD_COUNT = 1u << 0, /* a shortcut without its object */
    MSNP_EMOTICON_ISSUE_TOO_MANY = 1u << 1   /* more pairs than MSNP_EMOTICON_MAX */
};

typedef struct msnp_emoticon_map {
    uint8_t count; /* pairs kept in e[] */
    struct {
        msnp_span shortcut; /* the text that stands for the emoticon, e.g. "(bee)" */
        msnp_span object;   /* the msnobj XML describing the picture */
    } e[MSNP_EMOTICON_MAX];
    uint32_t issues; /* MSNP_EMOTICON_ISSUE_* */
} msnp_emoticon_map;

void msnp_emoticon_decode(const uint8_t *p, size_t n, const msnp_mime *m,
                          msnp_emoticon_map *out);

enum {
    MSNP_DATACAST_ISSUE_NO_ID = 1u << 0,
    MSNP_DATACAST_ISSUE_BAD_ID = 1u << 1
};

typedef struct msnp_datacast {
    msnp_fields fields;
    msnp_span id;
    uint8_t id_valid;
    uint32_t id_value;
    uint32_t issues; /* MSNP_DATACAST_ISSUE_* */
} msnp_datacast;

void msnp_datacast_decode(const uint8_t *p, size_t n, const msnp_mime *m, msnp_datacast *out);

/* The types whose body is kept as it is (ink, GIF, keep-alive) or as a field
 * list (the MSNP11+ offline-message notices). */
typedef struct msnp_later_body {
    msnp_fields fields; /* empty unless the body is a field block */
    msnp_span body;
} msnp_later_body;

void msnp_later_body_decode(const uint8_t *p, size_t n, const msnp_mime *m, int has_fields,
                            msnp_later_body *out);

extern const msnp_code_table msnp_datacast_id_table;
extern const msnp_code_table msnp_emoticon_issue_table;
extern const msnp_code_table msnp_datacast_issue_table;

#ifdef __cplusplus
}
#endif
#endif
