/* text/x-clientcaps (protocol reference §6.3). */
#include "msnp/clientcaps.h"

#include <string.h>

#include "payload_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The reference gives the values Y|N|S without meanings; Y and N read as
 * yes/no, S is left unexplained rather than guessed. */
static const struct {
    const char *value, *text;
} chat_logging[] = {
    {"Y", "the client logs chats"},
    {"N", "the client does not log chats"},
    {"S", "value S (meaning not given in the reference)"},
};

static const msnp_code_name issues[] = {
    {MSNP_CAPS_ISSUE_NO_CLIENT_NAME, "client capabilities without Client-Name"},
    {MSNP_CAPS_ISSUE_BAD_CHAT_LOGGING, "Chat-Logging is none of Y, N and S"},
};
const msnp_code_table msnp_clientcaps_issue_table = {"clientcaps_issue", issues, N(issues)};

void msnp_clientcaps_decode(const uint8_t *p, size_t n, const msnp_mime *m,
                            msnp_clientcaps *out)
{
    memset(out, 0, sizeof *out);
    msnp_parse_body_fields(p, n, m, &out->fields);
    const msnp_field *name = msnp_fields_find(&out->fields, p, "Client-Name");
    const msnp_field *logging = msnp_fields_find(&out->fields, p, "Chat-Logging");
    if (name && name->value.len)
        out->client_name = name->value;
    else
        out->issues |= MSNP_CAPS_ISSUE_NO_CLIENT_NAME;
    if (logging) {
        out->chat_logging = logging->value;
        for (size_t i = 0; i < N(chat_logging); i++)
            if (msnp_span_eq(p, logging->value, chat_logging[i].value))
                out->chat_logging_text = chat_logging[i].text;
        if (!out->chat_logging_text)
            out->issues |= MSNP_CAPS_ISSUE_BAD_CHAT_LOGGING;
    }
}
