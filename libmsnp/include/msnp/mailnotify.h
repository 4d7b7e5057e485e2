/* Notices from the notification server (MSG Hotmail Hotmail, protocol
 * reference §6.2): the three Hotmail notifications and the system message.
 * Their data are a block of "Name: value" fields in the body. */
#ifndef MSNP_MAILNOTIFY_H
#define MSNP_MAILNOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/codes.h"
#include "msnp/mime.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum msnp_mail_kind {
    MSNP_MAIL_INITIAL = 0, /* text/x-msmsgsinitialemailnotification: unread counts at login */
    MSNP_MAIL_NEW,         /* text/x-msmsgsemailnotification: a new message arrived */
    MSNP_MAIL_ACTIVE       /* text/x-msmsgsactivemailnotification: mail moved or deleted */
} msnp_mail_kind;

/* All fields of the three notices, in the order of msnp_mail's span members;
 * bit i of msnp_mail.present is field i. */
typedef enum msnp_mail_field {
    MSNP_MAIL_INBOX_UNREAD,   /* initial */
    MSNP_MAIL_FOLDERS_UNREAD, /* initial */
    MSNP_MAIL_INBOX_URL,      /* initial */
    MSNP_MAIL_FOLDERS_URL,    /* initial */
    MSNP_MAIL_POST_URL,       /* initial, new */
    MSNP_MAIL_FROM,           /* new */
    MSNP_MAIL_MESSAGE_URL,    /* new */
    MSNP_MAIL_SUBJECT,        /* new; may be RFC 2047 encoded */
    MSNP_MAIL_DEST_FOLDER,    /* new, active */
    MSNP_MAIL_FROM_ADDR,      /* new */
    MSNP_MAIL_ID,             /* new */
    MSNP_MAIL_SRC_FOLDER,     /* active */
    MSNP_MAIL_MESSAGE_DELTA,  /* active */
    MSNP_MAIL_FIELD_COUNT
} msnp_mail_field;

enum {
    MSNP_MAIL_ISSUE_BAD_COUNT = 1u << 0, /* Inbox-Unread / Folders-Unread not a number */
    MSNP_MAIL_ISSUE_BAD_DELTA = 1u << 1, /* Message-Delta not a (signed) number */
    MSNP_MAIL_ISSUE_MISSING = 1u << 2,   /* a field of this notice is missing */
    MSNP_MAIL_ISSUE_FOREIGN = 1u << 3,   /* a field of another notice kind */
    MSNP_MAIL_ISSUE_DUPLICATE_FIELD = 1u << 4,
    MSNP_MAIL_ISSUE_TOO_MANY_FIELDS = 1u << 5
};

typedef struct msnp_mail {
    uint8_t kind;       /* msnp_mail_kind */
    msnp_fields fields; /* the body's field lines (spans relative to the payload) */
    msnp_span inbox_unread, folders_unread, inbox_url, folders_url, post_url;
    msnp_span from, message_url, subject, dest_folder, from_addr, id;
    msnp_span src_folder, message_delta;
    uint64_t present; /* bit (1 << msnp_mail_field) per field seen */
    uint64_t valid;   /* bit per numeric field that parsed */
    uint32_t inbox_unread_value;
    uint32_t folders_unread_value;
    int32_t message_delta_value;
    uint32_t issues; /* MSNP_MAIL_ISSUE_* */
} msnp_mail;

void msnp_mail_decode(const uint8_t *p, size_t n, const msnp_mime *m, msnp_mail_kind kind,
                      msnp_mail *out);

static inline int msnp_mail_has(const msnp_mail *ml, msnp_mail_field f)
{
    return (ml->present >> f) & 1;
}

/* application/x-msmsgssystemmessage (note: application/, not text/): body
 * "Type: 1" + "Arg1: <minutes>" = the server goes down for maintenance in that
 * many minutes; other types are undocumented. */
enum {
    MSNP_SYSTEM_ISSUE_NO_TYPE = 1u << 0,
    MSNP_SYSTEM_ISSUE_BAD_TYPE = 1u << 1,
    MSNP_SYSTEM_ISSUE_BAD_ARG1 = 1u << 2,
    MSNP_SYSTEM_ISSUE_UNKNOWN_TYPE = 1u << 3
};

typedef struct msnp_system_msg {
    msnp_fields fields;
    msnp_span type, arg1;
    uint8_t type_valid, arg1_valid;
    uint32_t type_value;
    uint32_t arg1_value; /* Type 1: minutes until maintenance */
    uint32_t issues;     /* MSNP_SYSTEM_ISSUE_* */
} msnp_system_msg;

void msnp_system_decode(const uint8_t *p, size_t n, const msnp_mime *m, msnp_system_msg *out);

/* Decode RFC 2047 encoded words ("=?charset?Q|B?text?=") of a Subject into
 * dst as UTF-8 (NUL-terminated, truncated to size). UTF-8 and US-ASCII words
 * are copied, ISO-8859-1 words converted; words in another charset, and
 * anything malformed, are copied as they are. The charset may be quoted, as
 * Hotmail wrote it ("us-ascii" with quotes). Returns the length written. */
size_t msnp_rfc2047_decode(const uint8_t *src, size_t len, char *dst, size_t size);

extern const msnp_code_table msnp_system_type_table;
extern const msnp_code_table msnp_mail_issue_table;
extern const msnp_code_table msnp_system_issue_table;

#ifdef __cplusplus
}
#endif
#endif
