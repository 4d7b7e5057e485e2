/* The XML payloads of the notification server (protocol reference §3.6):
 *   NOT (MSN Alerts) and IPG (incoming mobile page):
 *     <NOTIFICATION ver id siteid siteurl><TO pid name/><FROM pid name/>
 *       <MSG id><ACTION url/><SUBSCR url/><CAT id/><BODY lang icon><TEXT>...
 *   PAG (page a contact's mobile device, client to server):
 *     <PHONE pri><LOC>HOME</LOC><NUM>...</NUM></PHONE><TEXT xml:space>...</TEXT>
 *
 * A small scanner, not a general XML parser: one forward pass that never
 * allocates, never reads past n and consumes at least one byte per step, with
 * fixed limits on nesting and element count, so hostile input ends quickly.
 * It extracts the attributes and texts listed above as raw spans; entities are
 * decoded on request into a caller buffer (msnp_xml_decode). */
#ifndef MSNP_XMLNOTE_H
#define MSNP_XMLNOTE_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/codes.h"
#include "msnp/span.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MSNP_XML_MAX_DEPTH 16
#define MSNP_XML_MAX_ELEMENTS 1024

/* The values extracted, in the order of msnp_xml_note's span members; bit i of
 * msnp_xml_note.present is value i. */
typedef enum msnp_xml_value {
    MSNP_XV_VER,        /* NOTIFICATION ver */
    MSNP_XV_ID,         /* NOTIFICATION id (IPG answering a PAG: the PAG's TrID [1]) */
    MSNP_XV_SITE_ID,    /* NOTIFICATION siteid */
    MSNP_XV_SITE_URL,   /* NOTIFICATION siteurl */
    MSNP_XV_TO_PID,     /* TO pid */
    MSNP_XV_TO_NAME,    /* TO name */
    MSNP_XV_FROM_PID,   /* FROM pid */
    MSNP_XV_FROM_NAME,  /* FROM name */
    MSNP_XV_MSG_ID,     /* MSG id */
    MSNP_XV_ACTION_URL, /* ACTION url */
    MSNP_XV_SUBSCR_URL, /* SUBSCR url */
    MSNP_XV_CAT_ID,     /* CAT id */
    MSNP_XV_BODY_LANG,  /* BODY lang */
    MSNP_XV_BODY_ICON,  /* BODY icon */
    MSNP_XV_TEXT,       /* TEXT content */
    MSNP_XV_TEXTX,      /* TEXTX content (MSNP9+) */
    MSNP_XV_PHONE_PRI,  /* PAG: PHONE pri */
    MSNP_XV_LOC,        /* PAG: LOC content */
    MSNP_XV_NUM,        /* PAG: NUM content */
    MSNP_XV_TEXT_ENC,   /* PAG: TEXT enc (shown in some write-ups [?]) */
    MSNP_XV_COUNT
} msnp_xml_value;

typedef enum msnp_xml_root {
    MSNP_XML_ROOT_NONE = 0,     /* no element at all */
    MSNP_XML_ROOT_NOTIFICATION, /* NOT, IPG */
    MSNP_XML_ROOT_PAGE,         /* PAG: PHONE or TEXT first */
    MSNP_XML_ROOT_OTHER
} msnp_xml_root;

enum {
    MSNP_XML_ISSUE_MALFORMED = 1u << 0,    /* syntax the scanner had to step over */
    MSNP_XML_ISSUE_TRUNCATED = 1u << 1,    /* the document ends inside a tag or element */
    MSNP_XML_ISSUE_MISMATCHED = 1u << 2,   /* an end tag that closes nothing open */
    MSNP_XML_ISSUE_TOO_DEEP = 1u << 3,     /* nesting beyond MSNP_XML_MAX_DEPTH */
    MSNP_XML_ISSUE_TOO_MANY = 1u << 4,     /* more than MSNP_XML_MAX_ELEMENTS: scan stopped */
    MSNP_XML_ISSUE_UNEXPECTED_ROOT = 1u << 5, /* not the document this command carries */
    MSNP_XML_ISSUE_TEXTX = 1u << 6,        /* TEXTX: a later-version (MSNP9+) element */
    MSNP_XML_ISSUE_DUPLICATE = 1u << 7     /* a value seen twice (the first one is used) */
};

typedef struct msnp_xml_note {
    msnp_span ver, id, site_id, site_url;
    msnp_span to_pid, to_name, from_pid, from_name;
    msnp_span msg_id, action_url, subscr_url, cat_id;
    msnp_span body_lang, body_icon, text, textx;
    msnp_span phone_pri, loc, num, text_enc;
    uint64_t present; /* bit (1 << msnp_xml_value) per value found */
    uint8_t root;     /* msnp_xml_root */
    uint16_t elements;
    uint32_t issues; /* MSNP_XML_ISSUE_* */
} msnp_xml_note;

/* Scan any of the three documents. */
void msnp_xml_note_parse(const uint8_t *p, size_t n, msnp_xml_note *out);

/* The same, flagging MSNP_XML_ISSUE_UNEXPECTED_ROOT unless the document is a
 * <NOTIFICATION> (NOT, IPG) or a page (PAG). */
void msnp_notification_parse(const uint8_t *p, size_t n, msnp_xml_note *out);
void msnp_page_parse(const uint8_t *p, size_t n, msnp_xml_note *out);

static inline int msnp_xml_has(const msnp_xml_note *x, msnp_xml_value v)
{
    return (x->present >> v) & 1;
}

/* Decode XML entities (&amp; &lt; &gt; &quot; &apos; &#N; &#xH;) of the span
 * into dst as UTF-8 (NUL-terminated, truncated to size). Unknown or invalid
 * references are copied as they are. Returns the length written. */
size_t msnp_xml_decode(const uint8_t *base, msnp_span s, char *dst, size_t size);

extern const msnp_code_table msnp_xml_issue_table;

#ifdef __cplusplus
}
#endif
#endif
