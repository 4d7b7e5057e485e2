/* Conversation messages between clients (protocol reference §6.3):
 * text/plain instant messages (body = the text, optional X-MMS-IM-Format)
 * and text/x-msmsgscontrol typing notifications (TypingUser header, body a
 * single CRLF). */
#ifndef MSNP_TEXTMSG_H
#define MSNP_TEXTMSG_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/codes.h"
#include "msnp/imformat.h"
#include "msnp/mime.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The character set of a text/plain body. */
typedef enum msnp_text_charset {
    MSNP_TEXT_LATIN1 = 0, /* no charset parameter: ISO-8859-1 (§6.3) */
    MSNP_TEXT_UTF8,       /* charset=UTF-8, any case */
    MSNP_TEXT_OTHER       /* some other charset parameter: bytes shown as they are */
} msnp_text_charset;

enum {
    MSNP_TEXT_ISSUE_NOT_UTF8 = 1u << 0,   /* declared UTF-8, bytes are not */
    MSNP_TEXT_ISSUE_BAD_FORMAT = 1u << 1, /* X-MMS-IM-Format has issues (see format.issues) */
    MSNP_TEXT_ISSUE_NO_SEPARATOR = 1u << 2 /* no empty line after the headers: no body */
};

typedef struct msnp_text_msg {
    msnp_span text;     /* the body, as on the wire */
    uint8_t charset;    /* msnp_text_charset */
    uint8_t has_format; /* an X-MMS-IM-Format header was there */
    msnp_im_format format;
    uint32_t issues; /* MSNP_TEXT_ISSUE_* */
} msnp_text_msg;

enum {
    MSNP_TYPING_ISSUE_NO_USER = 1u << 0,  /* no TypingUser header */
    MSNP_TYPING_ISSUE_ODD_BODY = 1u << 1  /* body other than one CRLF (or LF) */
};

typedef struct msnp_typing {
    msnp_span user; /* TypingUser: the handle of whoever is typing */
    uint32_t issues; /* MSNP_TYPING_ISSUE_* */
} msnp_typing;

/* p[0..n) is the whole MSG payload and m its parsed MIME structure. */
void msnp_text_decode(const uint8_t *p, size_t n, const msnp_mime *m, msnp_text_msg *out);
void msnp_typing_decode(const uint8_t *p, size_t n, const msnp_mime *m, msnp_typing *out);

/* The text as UTF-8 into dst (NUL-terminated, truncated to size on a
 * character boundary): Latin-1 bodies are converted, others copied as they
 * are. Returns the length written. */
size_t msnp_text_to_utf8(const uint8_t *p, const msnp_text_msg *t, char *dst, size_t size);

extern const msnp_code_table msnp_text_issue_table;
extern const msnp_code_table msnp_typing_issue_table;

#ifdef __cplusplus
}
#endif
#endif
