/* text/x-clientcaps: an unofficial message proposed by third-party client
 * developers (protocol reference §6.3); the official client ignores it. Body
 * fields such as "Client-Name: Gaim/0.78" and "Chat-Logging: Y|N|S". */
#ifndef MSNP_CLIENTCAPS_H
#define MSNP_CLIENTCAPS_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/codes.h"
#include "msnp/mime.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    MSNP_CAPS_ISSUE_NO_CLIENT_NAME = 1u << 0,
    MSNP_CAPS_ISSUE_BAD_CHAT_LOGGING = 1u << 1 /* not Y, N or S */
};

typedef struct msnp_clientcaps {
    msnp_fields fields;     /* every field line of the body (others are proposals too) */
    msnp_span client_name;  /* Client-Name */
    msnp_span chat_logging; /* Chat-Logging */
    const char *chat_logging_text;
    uint32_t issues; /* MSNP_CAPS_ISSUE_* */
} msnp_clientcaps;

void msnp_clientcaps_decode(const uint8_t *p, size_t n, const msnp_mime *m,
                            msnp_clientcaps *out);

extern const msnp_code_table msnp_clientcaps_issue_table;

#ifdef __cplusplus
}
#endif
#endif
