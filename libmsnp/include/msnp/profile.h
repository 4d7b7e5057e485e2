/* text/x-msmsgsprofile: the login profile the notification server sends right
 * after USR ... OK (protocol reference §6.2). All fields are header lines
 * (no empty line before them), empty values allowed, body empty. */
#ifndef MSNP_PROFILE_H
#define MSNP_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/codes.h"
#include "msnp/mime.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The fields of §6.2 in the order of msnp_profile's span members; bit i of
 * msnp_profile.present is field i. */
typedef enum msnp_profile_field {
    MSNP_PRO_LOGIN_TIME,
    MSNP_PRO_EMAIL_ENABLED,
    MSNP_PRO_MEMBER_ID_HIGH,
    MSNP_PRO_MEMBER_ID_LOW,
    MSNP_PRO_LANG_PREFERENCE,
    MSNP_PRO_PREFERRED_EMAIL,
    MSNP_PRO_COUNTRY,
    MSNP_PRO_POSTAL_CODE,
    MSNP_PRO_GENDER,
    MSNP_PRO_KID,
    MSNP_PRO_AGE,
    MSNP_PRO_BDAY_PRE,
    MSNP_PRO_BIRTHDAY,
    MSNP_PRO_WALLET,
    MSNP_PRO_FLAGS,
    MSNP_PRO_SID,
    MSNP_PRO_KV,
    MSNP_PRO_MSPAUTH,
    MSNP_PRO_CLIENT_IP,
    MSNP_PRO_CLIENT_PORT,
    MSNP_PRO_ABCH_MIGRATED, /* MSNP10+ */
    MSNP_PRO_MPOP_ENABLED,  /* MSNP16+ */
    MSNP_PRO_FIELD_COUNT
} msnp_profile_field;

enum {
    MSNP_PROFILE_ISSUE_BAD_LOGIN_TIME = 1u << 0,
    MSNP_PROFILE_ISSUE_BAD_MEMBER_ID = 1u << 1, /* a half that is not a 32-bit number */
    MSNP_PROFILE_ISSUE_BAD_CLIENT_PORT = 1u << 2,
    MSNP_PROFILE_ISSUE_BAD_NUMBER = 1u << 3, /* EmailEnabled, lang_preference, Kid, Flags, sid or kv */
    MSNP_PROFILE_ISSUE_LATER_FIELDS = 1u << 4, /* ABCHMigrated / MPOPEnabled: not MSNP8 */
    MSNP_PROFILE_ISSUE_DUPLICATE_FIELD = 1u << 5,
    MSNP_PROFILE_ISSUE_NO_LOGIN_TIME = 1u << 6
};

/* Numbers that parsed (bits of msnp_profile.valid), by msnp_profile_field. */
typedef struct msnp_profile {
    msnp_span login_time;      /* LoginTime: Unix time of the login */
    msnp_span email_enabled;   /* EmailEnabled: 1 = has a Hotmail/MSN mailbox */
    msnp_span member_id_high;  /* MemberIdHigh */
    msnp_span member_id_low;   /* MemberIdLow */
    msnp_span lang_preference; /* lang_preference: decimal LCID */
    msnp_span preferred_email; /* preferredEmail */
    msnp_span country;
    msnp_span postal_code;     /* PostalCode */
    msnp_span gender;
    msnp_span kid;             /* Kid: 1 = kids passport */
    msnp_span age;
    msnp_span bday_pre;        /* BDayPre */
    msnp_span birthday;
    msnp_span wallet;
    msnp_span flags;           /* Flags: Passport flags bit field */
    msnp_span sid;             /* Passport site id (507) */
    msnp_span kv;              /* key version */
    msnp_span mspauth;         /* MSPAuth: Passport auth cookie — sensitive */
    msnp_span client_ip;       /* ClientIP: public address as the server saw it */
    msnp_span client_port;     /* ClientPort: public port, byte-swapped */
    msnp_span abch_migrated;   /* ABCHMigrated (MSNP10+) */
    msnp_span mpop_enabled;    /* MPOPEnabled (MSNP16+) */

    uint64_t present; /* bit (1 << msnp_profile_field) per field seen, even empty */
    uint64_t valid;   /* bit per numeric field that parsed */

    uint64_t login_time_value;
    uint32_t member_id_high_value; /* the halves as 32-bit patterns: the wire may */
    uint32_t member_id_low_value;  /* print them signed or unsigned ([?] in §6.2) */
    uint64_t member_id;            /* high << 32 | low, when both halves parsed */
    uint32_t email_enabled_value;
    uint32_t lang_value;
    uint32_t kid_value;
    uint32_t flags_value;
    uint32_t sid_value;
    uint32_t kv_value;
    uint16_t client_port_wire; /* as written */
    uint16_t client_port_value; /* the two bytes swapped back: the real port ([1]) */

    uint32_t issues; /* MSNP_PROFILE_ISSUE_* */
} msnp_profile;

void msnp_profile_decode(const uint8_t *p, size_t n, const msnp_mime *m, msnp_profile *out);

static inline int msnp_profile_has(const msnp_profile *pr, msnp_profile_field f)
{
    return (pr->present >> f) & 1;
}
static inline int msnp_profile_valid(const msnp_profile *pr, msnp_profile_field f)
{
    return (pr->valid >> f) & 1;
}

/* §6.2 ClientPort: swap the two bytes of the 16-bit value. */
static inline uint16_t msnp_client_port_unswap(uint16_t wire)
{
    return (uint16_t)((wire & 0xFF) << 8 | wire >> 8);
}

extern const msnp_code_table msnp_profile_issue_table;

#ifdef __cplusplus
}
#endif
#endif
