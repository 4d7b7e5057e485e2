/* text/x-msmsgsinvite: application invitations through the switchboard
 * (protocol reference §6.3) — file transfer (MSNFTP, §7), NetMeeting, voice,
 * ... The body is a block of "Name: value" fields in any order; every field
 * of the reference's table is kept as a span, the numbers are parsed with
 * bounds, and Application-GUID and Cancel-Code are named through the value
 * tables "app_guid" and "cancel_code". */
#ifndef MSNP_INVITE_H
#define MSNP_INVITE_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/codes.h"
#include "msnp/mime.h"

#ifdef __cplusplus
extern "C" {
#endif

/* PortX = Port XOR 0x3141 (§6.3, verified there in Miranda's code and a logged
 * real ACCEPT: 6891 -> 11178). */
#define MSNP_PORTX_KEY 0x3141u

/* The GUID of MSNFTP file transfer (§6.3). */
#define MSNP_APP_GUID_FILE_TRANSFER "{5D3E02AB-6190-11d3-BBBB-00C04F795683}"

typedef enum msnp_invite_command {
    MSNP_INVITE_CMD_NONE = 0, /* no Invitation-Command */
    MSNP_INVITE_CMD_INVITE,
    MSNP_INVITE_CMD_ACCEPT,
    MSNP_INVITE_CMD_CANCEL,
    MSNP_INVITE_CMD_OTHER /* some other value */
} msnp_invite_command;

/* The fields of §6.3, in the order of msnp_invite's span members; bit i of
 * msnp_invite.present is field i. */
typedef enum msnp_invite_field {
    MSNP_INV_COMMAND,
    MSNP_INV_COOKIE,
    MSNP_INV_APP_NAME,
    MSNP_INV_APP_GUID,
    MSNP_INV_SESSION_PROTOCOL,
    MSNP_INV_SESSION_ID,
    MSNP_INV_FILE,
    MSNP_INV_FILE_SIZE,
    MSNP_INV_CONNECTIVITY,
    MSNP_INV_LAUNCH_APPLICATION,
    MSNP_INV_REQUEST_DATA,
    MSNP_INV_IP_ADDRESS,
    MSNP_INV_IP_ADDRESS_INTERNAL,
    MSNP_INV_PORT,
    MSNP_INV_PORTX,
    MSNP_INV_PORTX_INTERNAL,
    MSNP_INV_AUTH_COOKIE,
    MSNP_INV_SENDER_CONNECT,
    MSNP_INV_CANCEL_CODE,
    MSNP_INV_CONTEXT_DATA,
    MSNP_INV_CONN_TYPE,
    MSNP_INV_SIP_CAPABILITY,
    MSNP_INV_PUBLIC_IP,
    MSNP_INV_PRIVATE_IP,
    MSNP_INV_AVM_SUPPORT,
    MSNP_INV_AVM_REQUEST,
    MSNP_INV_FIELD_COUNT
} msnp_invite_field;

/* How Port and PortX relate. */
typedef enum msnp_portx_check {
    MSNP_PORTX_ABSENT = 0, /* no PortX (or no usable Port and PortX) */
    MSNP_PORTX_AGREES,     /* PortX == Port ^ 0x3141 */
    MSNP_PORTX_DISAGREES,
    MSNP_PORTX_ALONE /* PortX without a usable Port */
} msnp_portx_check;

enum {
    MSNP_INVITE_ISSUE_NO_COMMAND = 1u << 0,
    MSNP_INVITE_ISSUE_UNKNOWN_COMMAND = 1u << 1,
    MSNP_INVITE_ISSUE_NO_COOKIE = 1u << 2,
    MSNP_INVITE_ISSUE_BAD_COOKIE = 1u << 3,     /* not a 32-bit decimal */
    MSNP_INVITE_ISSUE_BAD_FILE_SIZE = 1u << 4,  /* not a decimal below 2^64 */
    MSNP_INVITE_ISSUE_BAD_PORT = 1u << 5,       /* Port not 1..65535 */
    MSNP_INVITE_ISSUE_BAD_PORTX = 1u << 6,      /* PortX not 0..65535 */
    MSNP_INVITE_ISSUE_BAD_PORTX_INTERNAL = 1u << 7,
    MSNP_INVITE_ISSUE_PORTX_MISMATCH = 1u << 8, /* PortX != Port ^ 0x3141 */
    MSNP_INVITE_ISSUE_BAD_AUTH_COOKIE = 1u << 9,
    MSNP_INVITE_ISSUE_DUPLICATE_FIELD = 1u << 10, /* the first one is used */
    MSNP_INVITE_ISSUE_FILE_NOT_UTF8 = 1u << 11,
    MSNP_INVITE_ISSUE_UNKNOWN_CANCEL_CODE = 1u << 12,
    MSNP_INVITE_ISSUE_INVITE_WITHOUT_APP = 1u << 13, /* INVITE without Application-GUID */
    MSNP_INVITE_ISSUE_FT_WITHOUT_FILE = 1u << 14, /* file-transfer INVITE without file/size */
    MSNP_INVITE_ISSUE_CANCEL_WITHOUT_CODE = 1u << 15,
    MSNP_INVITE_ISSUE_TOO_MANY_FIELDS = 1u << 16, /* more lines than msnp_fields keeps */
    MSNP_INVITE_ISSUE_FIELDS_IN_HEADER = 1u << 17 /* no body: fields read from the header */
};

typedef struct msnp_invite {
    msnp_fields fields; /* the body's "Name: value" lines */

    /* Every field of §6.3 as on the wire (len 0 when absent or empty; see
     * `present`). */
    msnp_span command;             /* Invitation-Command */
    msnp_span cookie;              /* Invitation-Cookie */
    msnp_span app_name;            /* Application-Name */
    msnp_span app_guid;            /* Application-GUID */
    msnp_span session_protocol;    /* Session-Protocol */
    msnp_span session_id;          /* Session-ID */
    msnp_span file;                /* Application-File (UTF-8) */
    msnp_span file_size;           /* Application-FileSize */
    msnp_span connectivity;        /* Connectivity */
    msnp_span launch_application;  /* Launch-Application */
    msnp_span request_data;        /* Request-Data */
    msnp_span ip_address;          /* IP-Address */
    msnp_span ip_address_internal; /* IP-Address-Internal */
    msnp_span port;                /* Port */
    msnp_span portx;               /* PortX */
    msnp_span portx_internal;      /* PortX-Internal */
    msnp_span auth_cookie;         /* AuthCookie */
    msnp_span sender_connect;      /* Sender-Connect */
    msnp_span cancel_code;         /* Cancel-Code */
    msnp_span context_data;        /* Context-Data (voice) */
    msnp_span conn_type;           /* Conn-Type (voice) */
    msnp_span sip_capability;      /* Sip-Capability (voice) */
    msnp_span public_ip;           /* Public-IP (voice) */
    msnp_span private_ip;          /* Private-IP (voice) */
    msnp_span avm_support;         /* Avm-Support (voice) */
    msnp_span avm_request;         /* Avm-Request (voice) */

    uint64_t present;      /* bit (1 << msnp_invite_field) when the field is there */
    uint8_t command_code;  /* msnp_invite_command */
    uint8_t file_transfer; /* the MSNFTP GUID, or a file name: an MSNFTP offer */
    uint8_t portx_check;   /* msnp_portx_check */

    /* Parsed values; each valid only when its field is present and has no
     * BAD_* issue. */
    uint32_t cookie_value;
    uint64_t file_size_value;
    uint16_t port_value;
    uint16_t portx_value;
    uint16_t portx_internal_value;
    uint16_t internal_port; /* PortX-Internal ^ 0x3141: the LAN port */
    uint64_t auth_cookie_value;
    const char *app_text;    /* the application named by the GUID, or NULL */
    const char *cancel_text; /* the meaning of Cancel-Code, or NULL */

    uint32_t issues; /* MSNP_INVITE_ISSUE_* */
} msnp_invite;

/* Decode the invitation in MSG payload p[0..n) whose MIME structure is m. */
void msnp_invite_decode(const uint8_t *p, size_t n, const msnp_mime *m, msnp_invite *out);

/* The same from a bare field block (an invitation body on its own). */
void msnp_invite_decode_fields(const uint8_t *p, size_t n, msnp_invite *out);

static inline int msnp_invite_has(const msnp_invite *inv, msnp_invite_field f)
{
    return (inv->present >> f) & 1;
}

extern const msnp_code_table msnp_invite_issue_table;

#ifdef __cplusplus
}
#endif
#endif
