/* text/x-msmsgsinvite (protocol reference §6.3, §7 for the MSNFTP fields). */
#include "msnp/invite.h"

#include <stddef.h>
#include <string.h>

#include "msnp/values.h"
#include "payload_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* In msnp_invite_field order: the slot index is the field's bit. */
static const msnp_field_slot slots[] = {
    {"Invitation-Command", offsetof(msnp_invite, command)},
    {"Invitation-Cookie", offsetof(msnp_invite, cookie)},
    {"Application-Name", offsetof(msnp_invite, app_name)},
    {"Application-GUID", offsetof(msnp_invite, app_guid)},
    {"Session-Protocol", offsetof(msnp_invite, session_protocol)},
    {"Session-ID", offsetof(msnp_invite, session_id)},
    {"Application-File", offsetof(msnp_invite, file)},
    {"Application-FileSize", offsetof(msnp_invite, file_size)},
    {"Connectivity", offsetof(msnp_invite, connectivity)},
    {"Launch-Application", offsetof(msnp_invite, launch_application)},
    {"Request-Data", offsetof(msnp_invite, request_data)},
    {"IP-Address", offsetof(msnp_invite, ip_address)},
    {"IP-Address-Internal", offsetof(msnp_invite, ip_address_internal)},
    {"Port", offsetof(msnp_invite, port)},
    {"PortX", offsetof(msnp_invite, portx)},
    {"PortX-Internal", offsetof(msnp_invite, portx_internal)},
    {"AuthCookie", offsetof(msnp_invite, auth_cookie)},
    {"Sender-Connect", offsetof(msnp_invite, sender_connect)},
    {"Cancel-Code", offsetof(msnp_invite, cancel_code)},
    {"Context-Data", offsetof(msnp_invite, context_data)},
    {"Conn-Type", offsetof(msnp_invite, conn_type)},
    {"Sip-Capability", offsetof(msnp_invite, sip_capability)},
    {"Public-IP", offsetof(msnp_invite, public_ip)},
    {"Private-IP", offsetof(msnp_invite, private_ip)},
    {"Avm-Support", offsetof(msnp_invite, avm_support)},
    {"Avm-Request", offsetof(msnp_invite, avm_request)},
};
_Static_assert(N(slots) == MSNP_INV_FIELD_COUNT, "one slot per msnp_invite_field");

static const struct {
    const char *word;
    uint8_t code;
} commands[] = {
    {"INVITE", MSNP_INVITE_CMD_INVITE},
    {"ACCEPT", MSNP_INVITE_CMD_ACCEPT},
    {"CANCEL", MSNP_INVITE_CMD_CANCEL},
};

static const msnp_code_name issues[] = {
    {MSNP_INVITE_ISSUE_NO_COMMAND, "invitation without Invitation-Command"},
    {MSNP_INVITE_ISSUE_UNKNOWN_COMMAND,
     "Invitation-Command is none of INVITE, ACCEPT and CANCEL"},
    {MSNP_INVITE_ISSUE_NO_COOKIE,
     "invitation without Invitation-Cookie: it cannot be tied to its answers"},
    {MSNP_INVITE_ISSUE_BAD_COOKIE, "Invitation-Cookie is not a 32-bit decimal number"},
    {MSNP_INVITE_ISSUE_BAD_FILE_SIZE, "Application-FileSize is not a decimal number of bytes"},
    {MSNP_INVITE_ISSUE_BAD_PORT, "Port is not a TCP port number (1-65535)"},
    {MSNP_INVITE_ISSUE_BAD_PORTX, "PortX is not a 16-bit number"},
    {MSNP_INVITE_ISSUE_BAD_PORTX_INTERNAL, "PortX-Internal is not a 16-bit number"},
    {MSNP_INVITE_ISSUE_PORTX_MISMATCH, "PortX is not Port XOR 0x3141"},
    {MSNP_INVITE_ISSUE_BAD_AUTH_COOKIE, "AuthCookie is not a decimal number"},
    {MSNP_INVITE_ISSUE_DUPLICATE_FIELD, "a field is repeated (the first one is used)"},
    {MSNP_INVITE_ISSUE_FILE_NOT_UTF8, "Application-File is not valid UTF-8"},
    {MSNP_INVITE_ISSUE_UNKNOWN_CANCEL_CODE, "Cancel-Code is not one of the documented reasons"},
    {MSNP_INVITE_ISSUE_INVITE_WITHOUT_APP, "INVITE without Application-GUID"},
    {MSNP_INVITE_ISSUE_FT_WITHOUT_FILE,
     "file-transfer INVITE without Application-File or Application-FileSize"},
    {MSNP_INVITE_ISSUE_CANCEL_WITHOUT_CODE, "CANCEL without Cancel-Code"},
    {MSNP_INVITE_ISSUE_TOO_MANY_FIELDS, "more field lines than the decoder keeps"},
    {MSNP_INVITE_ISSUE_FIELDS_IN_HEADER,
     "the invitation fields are in the MIME header, not in a body after an empty line"},
};
const msnp_code_table msnp_invite_issue_table = {"invite_issue", issues, N(issues)};

/* A 16-bit number field: returns 1 and sets *v when valid. */
static int port_number(const uint8_t *p, msnp_span s, uint64_t min, uint16_t *v)
{
    uint64_t x;
    if (msnp_parse_udec(p, s, 0xFFFF, &x) != MSNP_NUM_OK || x < min)
        return 0;
    *v = (uint16_t)x;
    return 1;
}

static const msnp_value_table *value_table(const char *name)
{
    return msnp_value_table_find(name, strlen(name));
}

static void interpret(const uint8_t *p, msnp_invite *inv)
{
    const msnp_value_table *guids = value_table("app_guid");
    const msnp_value_table *cancels = value_table("cancel_code");

    if (!msnp_invite_has(inv, MSNP_INV_COMMAND)) {
        inv->issues |= MSNP_INVITE_ISSUE_NO_COMMAND;
    } else {
        inv->command_code = MSNP_INVITE_CMD_OTHER;
        for (size_t i = 0; i < N(commands); i++)
            if (msnp_span_eq(p, inv->command, commands[i].word))
                inv->command_code = commands[i].code;
        if (inv->command_code == MSNP_INVITE_CMD_OTHER)
            inv->issues |= MSNP_INVITE_ISSUE_UNKNOWN_COMMAND;
    }

    uint64_t v;
    if (!msnp_invite_has(inv, MSNP_INV_COOKIE))
        inv->issues |= MSNP_INVITE_ISSUE_NO_COOKIE;
    else if (msnp_parse_udec(p, inv->cookie, UINT32_MAX, &v) == MSNP_NUM_OK)
        inv->cookie_value = (uint32_t)v;
    else
        inv->issues |= MSNP_INVITE_ISSUE_BAD_COOKIE;

    if (msnp_invite_has(inv, MSNP_INV_APP_GUID))
        inv->app_text = msnp_value_text(guids, p + inv->app_guid.off, inv->app_guid.len);
    inv->file_transfer =
        msnp_span_ieq(p, inv->app_guid, MSNP_APP_GUID_FILE_TRANSFER) ||
        msnp_invite_has(inv, MSNP_INV_FILE);

    if (msnp_invite_has(inv, MSNP_INV_FILE) && !msnp_valid_utf8(p + inv->file.off, inv->file.len))
        inv->issues |= MSNP_INVITE_ISSUE_FILE_NOT_UTF8;
    if (msnp_invite_has(inv, MSNP_INV_FILE_SIZE) &&
        msnp_parse_udec(p, inv->file_size, UINT64_MAX, &inv->file_size_value) != MSNP_NUM_OK)
        inv->issues |= MSNP_INVITE_ISSUE_BAD_FILE_SIZE;

    int port_ok = 0, portx_ok = 0;
    if (msnp_invite_has(inv, MSNP_INV_PORT) &&
        !(port_ok = port_number(p, inv->port, 1, &inv->port_value)))
        inv->issues |= MSNP_INVITE_ISSUE_BAD_PORT;
    if (msnp_invite_has(inv, MSNP_INV_PORTX) &&
        !(portx_ok = port_number(p, inv->portx, 0, &inv->portx_value)))
        inv->issues |= MSNP_INVITE_ISSUE_BAD_PORTX;
    if (portx_ok) {
        if (!port_ok)
            inv->portx_check = MSNP_PORTX_ALONE;
        else if ((inv->port_value ^ MSNP_PORTX_KEY) == inv->portx_value)
            inv->portx_check = MSNP_PORTX_AGREES;
        else {
            inv->portx_check = MSNP_PORTX_DISAGREES;
            inv->issues |= MSNP_INVITE_ISSUE_PORTX_MISMATCH;
        }
    }
    if (msnp_invite_has(inv, MSNP_INV_PORTX_INTERNAL)) {
        if (port_number(p, inv->portx_internal, 0, &inv->portx_internal_value))
            inv->internal_port = (uint16_t)(inv->portx_internal_value ^ MSNP_PORTX_KEY);
        else
            inv->issues |= MSNP_INVITE_ISSUE_BAD_PORTX_INTERNAL;
    }
    if (msnp_invite_has(inv, MSNP_INV_AUTH_COOKIE) &&
        msnp_parse_udec(p, inv->auth_cookie, UINT64_MAX, &inv->auth_cookie_value) !=
            MSNP_NUM_OK)
        inv->issues |= MSNP_INVITE_ISSUE_BAD_AUTH_COOKIE;

    if (msnp_invite_has(inv, MSNP_INV_CANCEL_CODE)) {
        inv->cancel_text =
            msnp_value_text(cancels, p + inv->cancel_code.off, inv->cancel_code.len);
        if (!inv->cancel_text)
            inv->issues |= MSNP_INVITE_ISSUE_UNKNOWN_CANCEL_CODE;
    }

    /* What each command needs (§6.3 "used in" column). */
    if (inv->command_code == MSNP_INVITE_CMD_INVITE) {
        if (!msnp_invite_has(inv, MSNP_INV_APP_GUID))
            inv->issues |= MSNP_INVITE_ISSUE_INVITE_WITHOUT_APP;
        if (inv->file_transfer && !(msnp_invite_has(inv, MSNP_INV_FILE) &&
                                    msnp_invite_has(inv, MSNP_INV_FILE_SIZE)))
            inv->issues |= MSNP_INVITE_ISSUE_FT_WITHOUT_FILE;
    }
    if (inv->command_code == MSNP_INVITE_CMD_CANCEL && !msnp_invite_has(inv, MSNP_INV_CANCEL_CODE))
        inv->issues |= MSNP_INVITE_ISSUE_CANCEL_WITHOUT_CODE;
}

static void bind(const uint8_t *p, const msnp_fields *fields, msnp_invite *inv)
{
    msnp_bind_stats st = msnp_bind_fields(fields, p, slots, N(slots), inv, &inv->present);
    if (st.duplicates)
        inv->issues |= MSNP_INVITE_ISSUE_DUPLICATE_FIELD;
    if (fields->overflow)
        inv->issues |= MSNP_INVITE_ISSUE_TOO_MANY_FIELDS;
}

void msnp_invite_decode_fields(const uint8_t *p, size_t n, msnp_invite *out)
{
    memset(out, 0, sizeof *out);
    msnp_fields_parse(p, n, &out->fields);
    bind(p, &out->fields, out);
    interpret(p, out);
}

void msnp_invite_decode(const uint8_t *p, size_t n, const msnp_mime *m, msnp_invite *out)
{
    memset(out, 0, sizeof *out);
    msnp_parse_body_fields(p, n, m, &out->fields);
    bind(p, &out->fields, out);
    if (!msnp_invite_has(out, MSNP_INV_COMMAND) &&
        msnp_fields_find(&m->headers, p, "Invitation-Command")) {
        /* A client that leaves out the empty line: the fields are headers. */
        memset(out, 0, sizeof *out);
        out->fields = m->headers;
        bind(p, &out->fields, out);
        out->issues |= MSNP_INVITE_ISSUE_FIELDS_IN_HEADER;
    }
    interpret(p, out);
}
