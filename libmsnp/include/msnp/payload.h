/* MSG payloads by content type (protocol reference §6), and the field
 * vocabulary of every decoded payload value.
 *
 * msnp_payload_decode() parses the MIME structure of an MSG payload, looks its
 * media type up (case-insensitively) in the content-type table and runs that
 * type's decoder; the result is one caller-provided struct, every span
 * relative to the payload. The other payload commands have their own
 * decoders: NOT, IPG and PAG in xmlnote.h, the client's QRY in challenge.h;
 * SDC's payload is plain text (msnp.sdc.text). MSNFTP transfers are in
 * msnftp.h.
 *
 * The vocabulary (msnp_vocab_*) names every value these decoders produce:
 * "msnp.invite.cookie" is a Wireshark field of the plugin and, without the
 * "msnp." prefix, the JSON path invite.cookie of msnpdump. The visit functions
 * walk a decoded result and report each value present under its vocabulary
 * entry, so both faces emit the same fields from the same code. */
#ifndef MSNP_PAYLOAD_H
#define MSNP_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/challenge.h"
#include "msnp/clientcaps.h"
#include "msnp/codes.h"
#include "msnp/imformat.h"
#include "msnp/invite.h"
#include "msnp/latertypes.h"
#include "msnp/mailnotify.h"
#include "msnp/mime.h"
#include "msnp/msnftp.h"
#include "msnp/p2p.h"
#include "msnp/profile.h"
#include "msnp/textmsg.h"
#include "msnp/xmlnote.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Content types --------------------------------------------------------- */

typedef enum msnp_payload_kind {
    MSNP_PK_UNKNOWN = 0,    /* no MIME header, or a content type not in the table */
    MSNP_PK_TEXT,           /* text/plain */
    MSNP_PK_TYPING,         /* text/x-msmsgscontrol */
    MSNP_PK_INVITE,         /* text/x-msmsgsinvite */
    MSNP_PK_PROFILE,        /* text/x-msmsgsprofile */
    MSNP_PK_MAIL_INITIAL,   /* text/x-msmsgsinitialemailnotification */
    MSNP_PK_MAIL_NEW,       /* text/x-msmsgsemailnotification */
    MSNP_PK_MAIL_ACTIVE,    /* text/x-msmsgsactivemailnotification */
    MSNP_PK_SYSTEM,         /* application/x-msmsgssystemmessage */
    MSNP_PK_CLIENTCAPS,     /* text/x-clientcaps */
    MSNP_PK_P2P,            /* application/x-msnmsgrp2p (MSNP9+) */
    MSNP_PK_EMOTICON,       /* text/x-mms-emoticon (later) */
    MSNP_PK_ANIMEMOTICON,   /* text/x-mms-animemoticon (later) */
    MSNP_PK_DATACAST,       /* text/x-msnmsgr-datacast (later) */
    MSNP_PK_INK,            /* application/x-ms-ink (later) */
    MSNP_PK_INK_GIF,        /* image/gif (later) */
    MSNP_PK_KEEPALIVE,      /* text/x-keepalive (later) */
    MSNP_PK_INITIAL_MDATA,  /* text/x-msmsgsinitialmdatanotification (MSNP11+) */
    MSNP_PK_OIM,            /* text/x-msmsgsoimnotification (MSNP11+) */
    MSNP_PK_COUNT
} msnp_payload_kind;

typedef struct msnp_payload msnp_payload;

typedef struct msnp_content_type {
    const char *media_type; /* as in the reference, compared case-insensitively */
    uint8_t kind;           /* msnp_payload_kind */
    uint8_t era;            /* msnp_era (commands.h) */
    const char *since;      /* for later types: "MSNP9+", "MSNP11+"; NULL for MSNP8 */
    uint8_t roles;          /* who sends it: MSNP_R_NS (server notices) or MSNP_R_SB */
    const char *name;       /* short name, the value of msnp.msg.kind */
    const char *summary;    /* what it is, in plain words */
    void (*decode)(const uint8_t *p, size_t n, msnp_payload *out);
} msnp_content_type;

/* The entry for a media type (span into base), or NULL. */
const msnp_content_type *msnp_content_type_find(const uint8_t *base, msnp_span media_type);
size_t msnp_content_type_count(void);
const msnp_content_type *msnp_content_type_at(size_t i);

/* ---- Decoding an MSG payload ----------------------------------------------- */

enum {
    MSNP_PAYLOAD_ISSUE_NO_MIME = 1u << 0,          /* does not start with a header line */
    MSNP_PAYLOAD_ISSUE_NO_MIME_VERSION = 1u << 1,  /* MIME-Version missing (§6.1: always there) */
    MSNP_PAYLOAD_ISSUE_NO_CONTENT_TYPE = 1u << 2,
    MSNP_PAYLOAD_ISSUE_UNKNOWN_TYPE = 1u << 3,     /* the official client ignores these */
    MSNP_PAYLOAD_ISSUE_LATER_TYPE = 1u << 4,       /* a content type of a later version */
    MSNP_PAYLOAD_ISSUE_LF_ONLY = 1u << 5,          /* bare LF line ends (third-party clients) */
    MSNP_PAYLOAD_ISSUE_CHUNKED = 1u << 6,          /* Message-ID/Chunks/Chunk: later clients */
    MSNP_PAYLOAD_ISSUE_TOO_MANY_HEADERS = 1u << 7, /* more header lines than msnp_mime keeps */
    MSNP_PAYLOAD_ISSUE_BAD_HEADER_LINE = 1u << 8   /* a header line without "Name:" */
};

struct msnp_payload {
    msnp_mime mime;
    const msnp_content_type *type; /* NULL when unknown */
    uint8_t kind;                  /* msnp_payload_kind */
    /* Headers any message may carry (§6.3, [1]); len 0 when absent. */
    msnp_span user_agent; /* User-Agent (third-party clients) */
    msnp_span p4_context; /* P4-Context (display-name override) */
    msnp_span message_id; /* Message-ID, Chunks, Chunk: long messages split by */
    msnp_span chunks;     /* later clients */
    msnp_span chunk;
    uint32_t issues; /* MSNP_PAYLOAD_ISSUE_* */
    union {
        msnp_text_msg text;         /* MSNP_PK_TEXT */
        msnp_typing typing;         /* MSNP_PK_TYPING */
        msnp_invite invite;         /* MSNP_PK_INVITE */
        msnp_profile profile;       /* MSNP_PK_PROFILE */
        msnp_mail mail;             /* MSNP_PK_MAIL_* */
        msnp_system_msg system;     /* MSNP_PK_SYSTEM */
        msnp_clientcaps caps;       /* MSNP_PK_CLIENTCAPS */
        msnp_p2p p2p;               /* MSNP_PK_P2P */
        msnp_emoticon_map emoticon; /* MSNP_PK_EMOTICON, MSNP_PK_ANIMEMOTICON */
        msnp_datacast datacast;     /* MSNP_PK_DATACAST */
        msnp_later_body later;      /* ink, GIF, keep-alive, MSNP11+ notices */
    } u;
};

/* Decode MSG payload p[0..n). Never fails: what cannot be decoded is
 * reported in issues (and the decoders' own issues). */
void msnp_payload_decode(const uint8_t *p, size_t n, msnp_payload *out);

/* The payload-level issue texts (code = the MSNP_PAYLOAD_ISSUE_* bit). */
extern const msnp_code_table msnp_payload_issue_table;

/* ---- The field vocabulary --------------------------------------------------- */

typedef enum msnp_vocab_type {
    MSNP_VT_STRING, /* text from the capture (UTF-8 where the protocol says so; not guaranteed) */
    MSNP_VT_UINT,   /* unsigned integer, shown in decimal */
    MSNP_VT_HEX,    /* unsigned integer, shown in hex */
    MSNP_VT_INT,    /* signed integer */
    MSNP_VT_BOOL,
    MSNP_VT_TIME,   /* Unix time, seconds */
    MSNP_VT_BYTES   /* binary data */
} msnp_vocab_type;

/* One entry per name. Keep in step with the table in payload_vocab.c (the
 * compiler checks the count) and docs/payloads.md (a unit test checks it). */
typedef enum msnp_vocab_id {
    /* MIME structure and the message as a whole */
    MSNP_V_MIME_CONTENT_TYPE,
    MSNP_V_MIME_CHARSET,
    MSNP_V_MIME_HEADER,
    MSNP_V_MIME_BODY_FIELD,
    MSNP_V_MIME_USER_AGENT,
    MSNP_V_MIME_P4_CONTEXT,
    MSNP_V_MIME_MESSAGE_ID,
    MSNP_V_MIME_CHUNKS,
    MSNP_V_MIME_CHUNK,
    MSNP_V_MSG_KIND,
    MSNP_V_MSG_SINCE,
    MSNP_V_MSG_TEXT,
    MSNP_V_PAYLOAD_ISSUE,
    /* X-MMS-IM-Format */
    MSNP_V_FORMAT_FONT,
    MSNP_V_FORMAT_EFFECTS,
    MSNP_V_FORMAT_BOLD,
    MSNP_V_FORMAT_ITALIC,
    MSNP_V_FORMAT_UNDERLINE,
    MSNP_V_FORMAT_STRIKEOUT,
    MSNP_V_FORMAT_COLOR,
    MSNP_V_FORMAT_CHARSET,
    MSNP_V_FORMAT_PITCH_FAMILY,
    MSNP_V_FORMAT_FAMILY,
    MSNP_V_FORMAT_PITCH,
    MSNP_V_FORMAT_RTL,
    /* typing */
    MSNP_V_TYPING_USER,
    /* invitations */
    MSNP_V_INVITE_COMMAND,
    MSNP_V_INVITE_COOKIE,
    MSNP_V_INVITE_APP_NAME,
    MSNP_V_INVITE_APP_GUID,
    MSNP_V_INVITE_FILE_TRANSFER,
    MSNP_V_INVITE_SESSION_PROTOCOL,
    MSNP_V_INVITE_SESSION_ID,
    MSNP_V_INVITE_FILE,
    MSNP_V_INVITE_SIZE,
    MSNP_V_INVITE_CONNECTIVITY,
    MSNP_V_INVITE_LAUNCH_APPLICATION,
    MSNP_V_INVITE_REQUEST_DATA,
    MSNP_V_INVITE_IP,
    MSNP_V_INVITE_IP_INTERNAL,
    MSNP_V_INVITE_PORT,
    MSNP_V_INVITE_PORTX,
    MSNP_V_INVITE_PORTX_OK,
    MSNP_V_INVITE_PORTX_INTERNAL,
    MSNP_V_INVITE_PORT_INTERNAL,
    MSNP_V_INVITE_AUTH_COOKIE,
    MSNP_V_INVITE_SENDER_CONNECT,
    MSNP_V_INVITE_CANCEL_CODE,
    MSNP_V_INVITE_CONTEXT_DATA,
    MSNP_V_INVITE_CONN_TYPE,
    MSNP_V_INVITE_SIP_CAPABILITY,
    MSNP_V_INVITE_PUBLIC_IP,
    MSNP_V_INVITE_PRIVATE_IP,
    MSNP_V_INVITE_AVM_SUPPORT,
    MSNP_V_INVITE_AVM_REQUEST,
    /* login profile */
    MSNP_V_PROFILE_LOGIN_TIME,
    MSNP_V_PROFILE_EMAIL_ENABLED,
    MSNP_V_PROFILE_MEMBER_ID_HIGH,
    MSNP_V_PROFILE_MEMBER_ID_LOW,
    MSNP_V_PROFILE_MEMBER_ID,
    MSNP_V_PROFILE_LANG_PREFERENCE,
    MSNP_V_PROFILE_PREFERRED_EMAIL,
    MSNP_V_PROFILE_COUNTRY,
    MSNP_V_PROFILE_POSTAL_CODE,
    MSNP_V_PROFILE_GENDER,
    MSNP_V_PROFILE_KID,
    MSNP_V_PROFILE_AGE,
    MSNP_V_PROFILE_BDAY_PRE,
    MSNP_V_PROFILE_BIRTHDAY,
    MSNP_V_PROFILE_WALLET,
    MSNP_V_PROFILE_FLAGS,
    MSNP_V_PROFILE_SID,
    MSNP_V_PROFILE_KV,
    MSNP_V_PROFILE_MSPAUTH,
    MSNP_V_PROFILE_CLIENT_IP,
    MSNP_V_PROFILE_CLIENT_PORT,
    MSNP_V_PROFILE_CLIENT_PORT_WIRE,
    MSNP_V_PROFILE_ABCH_MIGRATED,
    MSNP_V_PROFILE_MPOP_ENABLED,
    /* mail notifications */
    MSNP_V_MAIL_INBOX_UNREAD,
    MSNP_V_MAIL_FOLDERS_UNREAD,
    MSNP_V_MAIL_INBOX_URL,
    MSNP_V_MAIL_FOLDERS_URL,
    MSNP_V_MAIL_POST_URL,
    MSNP_V_MAIL_FROM,
    MSNP_V_MAIL_MESSAGE_URL,
    MSNP_V_MAIL_SUBJECT,
    MSNP_V_MAIL_DEST_FOLDER,
    MSNP_V_MAIL_FROM_ADDR,
    MSNP_V_MAIL_ID,
    MSNP_V_MAIL_SRC_FOLDER,
    MSNP_V_MAIL_MESSAGE_DELTA,
    /* system message */
    MSNP_V_SYSTEM_TYPE,
    MSNP_V_SYSTEM_ARG1,
    /* client caps */
    MSNP_V_CAPS_CLIENT_NAME,
    MSNP_V_CAPS_CHAT_LOGGING,
    /* P2P (later) */
    MSNP_V_P2P_DEST,
    MSNP_V_P2P_SESSION_ID,
    MSNP_V_P2P_IDENTIFIER,
    MSNP_V_P2P_OFFSET,
    MSNP_V_P2P_TOTAL_SIZE,
    MSNP_V_P2P_MESSAGE_LENGTH,
    MSNP_V_P2P_FLAGS,
    MSNP_V_P2P_ACK_IDENTIFIER,
    MSNP_V_P2P_ACK_UNIQUE_ID,
    MSNP_V_P2P_ACK_DATA_SIZE,
    MSNP_V_P2P_DATA,
    MSNP_V_P2P_SLP,
    MSNP_V_P2P_APP_ID,
    /* other later types */
    MSNP_V_EMOTICON_SHORTCUT,
    MSNP_V_EMOTICON_OBJECT,
    MSNP_V_DATACAST_ID,
    /* NOT / IPG */
    MSNP_V_NOTIFICATION_VER,
    MSNP_V_NOTIFICATION_ID,
    MSNP_V_NOTIFICATION_SITE_ID,
    MSNP_V_NOTIFICATION_SITE_URL,
    MSNP_V_NOTIFICATION_TO_PID,
    MSNP_V_NOTIFICATION_TO_NAME,
    MSNP_V_NOTIFICATION_FROM_PID,
    MSNP_V_NOTIFICATION_FROM_NAME,
    MSNP_V_NOTIFICATION_MSG_ID,
    MSNP_V_NOTIFICATION_ACTION_URL,
    MSNP_V_NOTIFICATION_SUBSCR_URL,
    MSNP_V_NOTIFICATION_CAT_ID,
    MSNP_V_NOTIFICATION_LANG,
    MSNP_V_NOTIFICATION_ICON,
    MSNP_V_NOTIFICATION_TEXT,
    MSNP_V_NOTIFICATION_TEXTX,
    /* PAG */
    MSNP_V_PAGE_PHONE_PRI,
    MSNP_V_PAGE_LOCATION,
    MSNP_V_PAGE_NUMBER,
    MSNP_V_PAGE_TEXT,
    MSNP_V_PAGE_TEXT_ENC,
    /* SDC */
    MSNP_V_SDC_TEXT,
    /* QRY */
    MSNP_V_QRY_CLIENT_ID,
    MSNP_V_QRY_ANSWER,
    MSNP_V_QRY_EXPECTED,
    MSNP_V_QRY_VERIFIED,
    MSNP_V_QRY_STATUS,
    MSNP_V_QRY_CLIENT,
    MSNP_V_QRY_SINCE,
    /* MSNFTP */
    MSNP_V_FTP_SIZE,
    MSNP_V_FTP_AUTH_COOKIE,
    MSNP_V_FTP_BLOCKS,
    MSNP_V_FTP_BYTES,
    MSNP_V_FTP_MISSING,
    MSNP_V_FTP_MD5,
    MSNP_V_FTP_OUTCOME,
    MSNP_V_FTP_BYE_CODE,
    MSNP_V_COUNT
} msnp_vocab_id;

typedef struct msnp_vocab_field {
    const char *name;        /* "msnp.invite.cookie" */
    uint8_t type;            /* msnp_vocab_type */
    uint8_t bits;            /* 8, 16, 32 or 64 for integers; 0 otherwise */
    uint8_t keyed;           /* repeated with a name (headers, body fields) */
    const char *table;       /* value table (values.h) or code table (codes.h), or NULL */
    const char *label;       /* short display name */
    const char *description; /* one line */
} msnp_vocab_field;

const msnp_vocab_field *msnp_vocab(msnp_vocab_id id); /* NULL past the end */
const msnp_vocab_field *msnp_vocab_find(const char *name);

/* One value of a decoded result, handed to a visitor. */
typedef struct msnp_vocab_value {
    msnp_vocab_id id;
    const msnp_vocab_field *field;
    msnp_span span;     /* the bytes on the wire it comes from (len 0: computed) */
    msnp_span key;      /* keyed fields: the name, on the wire */
    const uint8_t *str; /* STRING and BYTES: the value, decoded where the wire encodes
                           it (URL, XML entities, RFC 2047, Latin-1); valid during the
                           callback only */
    size_t str_len;
    uint8_t truncated;  /* str was cut to the scratch buffer */
    uint64_t u;         /* UINT, HEX, BOOL, TIME */
    int64_t i;          /* INT */
    const char *text;   /* what the value means, in plain words, or NULL */
} msnp_vocab_value;

typedef void (*msnp_vocab_visitor)(void *ctx, const msnp_vocab_value *v);

/* Scratch space for decoded strings: one value at a time. */
typedef struct msnp_vocab_scratch {
    char *buf;
    size_t size;
} msnp_vocab_scratch;

/* Report every value of a decoded MSG payload p (including issues). */
void msnp_payload_visit(const msnp_payload *pl, const uint8_t *p, msnp_vocab_scratch scratch,
                        msnp_vocab_visitor visit, void *ctx);

/* NOT / IPG (page = 0) or PAG (page = 1) documents. */
void msnp_xml_note_visit(const msnp_xml_note *x, int page, const uint8_t *p,
                         msnp_vocab_scratch scratch, msnp_vocab_visitor visit, void *ctx);

/* SDC: its payload is the text of the e-mail invitation. */
void msnp_sdc_visit(const uint8_t *p, size_t n, msnp_vocab_visitor visit, void *ctx);

/* A QRY check: client id (QRY line) and answer (payload) as on the wire. */
void msnp_qry_visit(const msnp_qry_result *r, const uint8_t *client_id, size_t client_id_len,
                    const uint8_t *answer, size_t answer_len, msnp_vocab_visitor visit,
                    void *ctx);

/* An MSNFTP transfer's state. */
void msnp_ftp_visit(const msnp_ftp_transfer *t, msnp_vocab_visitor visit, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
