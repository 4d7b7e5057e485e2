/* The contact list and presence state of one notification-server login
 * (protocol reference §3.1-§3.3, §6.2 and the pitfalls of §12): who signed
 * in with which client, the login profile, the SYN dump (settings, groups,
 * contacts with their list bits, groups and BPR properties), the list edits
 * after it with their replies, the user's own status changes and the
 * contacts' presence, each with its frame and time.
 *
 * The caller feeds every command of one NS connection in capture order.
 * State changes only on what the server confirms: a request is remembered
 * until its reply (or error reply) arrives, and an error leaves the list as
 * it was. Memory is bounded by msnp_roster_limits; past a limit entries are
 * not kept and counted in msnp_roster.dropped. A line of a command this
 * module reads that does not parse (or carries values that cannot be right)
 * is counted, not used. No I/O.
 *
 * Members of msnp_roster are read-only for callers. Strings (msnp_rtext) are
 * bytes in the roster's own buffer (msnp_roster_str): account names as sent,
 * nicknames, group names and property values URL-decoded, so they may hold
 * any byte; escape them for the medium. */
#ifndef MSNP_ROSTER_H
#define MSNP_ROSTER_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/corr.h"
#include "msnp/parse.h"
#include "msnp/profile.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct msnp_roster_limits {
    uint32_t max_contacts; /* accounts: list entries and accounts seen only in presence */
    uint32_t max_groups;
    uint32_t max_edits;
    uint32_t max_status;   /* own status changes */
    uint32_t max_presence; /* contacts' presence changes */
    uint32_t max_text;     /* bytes of names, nicknames and property values */
} msnp_roster_limits;

void msnp_roster_limits_default(msnp_roster_limits *l);

/* Bytes in the roster's text buffer; len 0 when absent or empty. */
typedef struct msnp_rtext {
    uint32_t off;
    uint32_t len;
} msnp_rtext;

/* Group ids MSNP8 uses are 0-29; ids above this are not trusted. */
#define MSNP_ROSTER_MAX_GROUP_ID 63
/* Properties of PRP and BPR, by their position in values.h's "property"
 * table (PHH, PHW, PHM, MOB, MBE, ...). */
#define MSNP_ROSTER_MAX_PROPS 8
#define MSNP_ROSTER_PENDING 32 /* requests waiting for their reply */

/* msnp_roster_contact.flags */
enum {
    MSNP_RC_LISTED = 1u << 0,  /* in the SYN dump, or put on a list by a confirmed ADD */
    MSNP_RC_IN_DUMP = 1u << 1, /* an LST line of the SYN dump */
    MSNP_RC_PRESENCE = 1u << 2 /* named by ILN, NLN or FLN */
};

typedef struct msnp_roster_contact {
    msnp_rtext account;
    msnp_rtext nick;        /* the name stored on the list (LST, ADD, REA) */
    msnp_rtext online_nick; /* the friendly name of the last ILN/NLN */
    msnp_rtext props[MSNP_ROSTER_MAX_PROPS];
    uint8_t props_present; /* bit per props[] entry (an empty value is present) */
    uint8_t lists;         /* list bits of values.h's msnp_list_bits (FL=1 AL=2 BL=4 RL=8) */
    uint8_t flags;         /* MSNP_RC_* */
    char status[4];        /* last presence status ("FLN" after FLN), "" if none */
    uint64_t groups;       /* bit per group id */
} msnp_roster_contact;

typedef struct msnp_roster_group {
    uint32_t id;
    msnp_rtext name;
} msnp_roster_group;

typedef enum msnp_roster_outcome {
    MSNP_RO_NO_REPLY = 0, /* the request, and no reply in the capture (yet) */
    MSNP_RO_DONE,         /* confirmed by the server (or pushed by it) */
    MSNP_RO_FAILED        /* an error reply: nothing changed */
} msnp_roster_outcome;

/* One list edit: ADD REM ADG RMG REG REA PRP GTC BLP, and BPR outside the
 * dump (a contact's property changed). */
typedef struct msnp_roster_edit {
    uint64_t frame; /* the request's, or the server line's when there is no request */
    msnp_time ts;
    uint64_t reply_frame; /* 0: no reply seen */
    msnp_time reply_ts;
    char cmd[4];
    char list[3];     /* "FL", "AL", "BL", "RL" or "" */
    char code[4];     /* PRP/BPR property, GTC/BLP value, or "" */
    uint8_t outcome;  /* msnp_roster_outcome */
    uint8_t by_server; /* pushed by the server: TrID 0, or a TrID-less line */
    uint8_t request_seen; /* the client's request is in the capture */
    uint8_t has_trid, has_group, has_version;
    uint32_t trid;
    uint32_t group_id;
    uint32_t error_code;  /* MSNP_RO_FAILED */
    uint64_t list_version;
    msnp_rtext account; /* ADD, REM, REA, BPR */
    msnp_rtext text;    /* nickname (ADD, REA), group name (ADG, REG), property value */
} msnp_roster_edit;

/* One change of the user's own status (CHG). */
typedef struct msnp_roster_status {
    uint64_t frame;
    msnp_time ts;
    uint64_t reply_frame;
    msnp_time reply_ts;
    char status[4];
    uint8_t outcome;
    uint8_t by_server; /* CHG 0 …: set by the server */
    uint8_t request_seen;
    uint8_t has_trid, has_client_id;
    uint32_t trid;
    uint32_t client_id;
    uint32_t error_code;
} msnp_roster_status;

/* One presence line about a contact. */
typedef struct msnp_roster_presence {
    uint64_t frame;
    msnp_time ts;
    uint32_t contact; /* index into contacts */
    char cmd[4];      /* ILN, NLN, FLN */
    char status[4];   /* FLN for FLN */
    uint8_t has_client_id;
    uint32_t client_id;
    msnp_rtext nick; /* ILN/NLN friendly name */
} msnp_roster_presence;

typedef enum msnp_roster_dump {
    MSNP_DUMP_NOT_SEEN = 0, /* no SYN reply and no dump line */
    MSNP_DUMP_CURRENT,      /* SYN reply: the cached version is current, nothing follows */
    MSNP_DUMP_RECEIVING,    /* in the middle of the dump */
    MSNP_DUMP_COMPLETE,     /* every announced LSG and LST arrived */
    MSNP_DUMP_CUT_SHORT,    /* it ended with fewer LSG or LST lines than SYN announced */
    MSNP_DUMP_NO_SYN        /* dump lines without their SYN: the capture began inside it */
} msnp_roster_dump;

/* The CVR fields, named as the command table names CVR's arguments. */
typedef enum msnp_roster_client_field {
    MSNP_CVR_LOCALE,
    MSNP_CVR_OS_TYPE,
    MSNP_CVR_OS_VERSION,
    MSNP_CVR_ARCH,
    MSNP_CVR_CLIENT_NAME,
    MSNP_CVR_CLIENT_VERSION,
    MSNP_CVR_CLIENT_LIB,
    MSNP_CVR_RECOMMENDED_VERSION, /* the server's answer */
    MSNP_CVR_MINIMUM_VERSION,
    MSNP_CVR_FIELD_COUNT
} msnp_roster_client_field;

/* "locale", "os_type", ... (the argument names of the command table). */
extern const char *const msnp_roster_client_keys[MSNP_CVR_FIELD_COUNT];

/* Where the account name came from. */
typedef enum msnp_roster_account_source {
    MSNP_ACCOUNT_NONE = 0,
    MSNP_ACCOUNT_CVR,    /* CVR's account argument */
    MSNP_ACCOUNT_USR_I,  /* USR … I account: the client asked to sign in */
    MSNP_ACCOUNT_USR_OK, /* USR … OK: the server signed it in */
    MSNP_ACCOUNT_LINKED  /* msnp_roster_set_account: learned from other connections */
} msnp_roster_account_source;

typedef struct msnp_roster_dropped {
    uint64_t contacts, groups, edits, status, presence;
    uint64_t text;     /* strings not kept or cut (max_text, or longer than a field) */
    uint64_t unparsed; /* lines of the commands read here that did not parse: not used */
    uint64_t orphans;  /* BPR lines of the dump with no LST before them */
    uint64_t later;    /* lines in a later version's form this module does not read */
} msnp_roster_dropped;

typedef struct msnp_roster {
    msnp_roster_limits limits;

    msnp_rtext account;
    uint8_t account_from; /* msnp_roster_account_source */
    msnp_rtext nick;      /* URL-decoded; REA and PRP MFN change it */
    uint8_t signed_in;    /* USR … OK seen */
    uint64_t signed_in_frame;
    msnp_time signed_in_ts;
    msnp_rtext client[MSNP_CVR_FIELD_COUNT];

    /* the login profile: its payload as sent (spans of `profile` point into
     * it), when one arrived */
    uint8_t *profile_bytes;
    uint32_t profile_len;
    uint64_t profile_frame;
    msnp_profile profile;

    /* own properties (PRP) by property index, and the list settings */
    msnp_rtext props[MSNP_ROSTER_MAX_PROPS];
    uint8_t props_present;
    char gtc[4], blp[4];

    /* the list */
    uint8_t has_version, has_cached_version;
    uint64_t list_version;   /* the latest the server told */
    uint64_t cached_version; /* the client's SYN */
    uint8_t dump;            /* msnp_roster_dump */
    uint8_t dump_open;       /* dump lines may still come */
    uint8_t announced;       /* SYN announced counts */
    uint32_t announced_contacts, announced_groups;
    uint32_t dump_contacts, dump_groups; /* LST and LSG lines received */
    uint64_t dump_frame;                 /* the SYN reply's frame */

    msnp_roster_contact *contacts;
    uint32_t ncontacts, contacts_cap;
    uint32_t *index; /* hash of accounts: contact + 1, 0 empty */
    uint32_t index_size;
    uint32_t last_lst; /* contact + 1 of the dump's last LST, 0 none */
    uint8_t last_lst_dropped; /* that LST's contact was not kept: its BPRs go too */

    msnp_roster_group *groups;
    uint32_t ngroups, groups_cap;
    msnp_roster_edit *edits;
    uint32_t nedits, edits_cap;
    msnp_roster_status *status;
    uint32_t nstatus, status_cap;
    msnp_roster_presence *presence;
    uint32_t npresence, presence_cap;

    /* requests waiting for their reply: the edit or status entry they made */
    struct msnp_roster_pending {
        uint32_t trid;
        char cmd[4];
        uint32_t entry; /* index + 1 into edits or status, 0 when not kept */
        uint8_t used;
    } pending[MSNP_ROSTER_PENDING];
    uint32_t pending_next;

    uint64_t first_frame, last_frame;
    msnp_time first_ts, last_ts;
    uint64_t commands;

    uint8_t *text;
    uint32_t text_len, text_cap;

    msnp_roster_dropped dropped;
} msnp_roster;

/* NULL limits: the defaults. Returns NULL when out of memory. */
msnp_roster *msnp_roster_new(const msnp_roster_limits *l);
void msnp_roster_free(msnp_roster *r);

/* One command of the connection, as the caller saw it. */
typedef struct msnp_roster_cmd {
    msnp_dir dir;
    uint64_t frame;
    msnp_time ts;
    const uint8_t *base;
    const msnp_pdu *pdu;
    const msnp_command *cmd;
} msnp_roster_cmd;

void msnp_roster_command(msnp_roster *r, const msnp_roster_cmd *in);

/* The connection is over: a dump still being received is cut short. */
void msnp_roster_end(msnp_roster *r);

/* Use a name learned elsewhere (e.g. the correlation) when the connection
 * never said its account. */
void msnp_roster_set_account(msnp_roster *r, const char *account);

static inline const uint8_t *msnp_roster_str(const msnp_roster *r, msnp_rtext t)
{
    return t.len ? r->text + t.off : (const uint8_t *)"";
}

/* The contact for an account (compared as e-mail addresses are, ignoring
 * ASCII case), or NULL. */
const msnp_roster_contact *msnp_roster_find(const msnp_roster *r, const char *account);

/* "not seen", "current", "receiving", "complete", "cut short", "no SYN" */
const char *msnp_roster_dump_name(msnp_roster_dump d);
/* "no reply", "done", "failed" */
const char *msnp_roster_outcome_name(msnp_roster_outcome o);
/* "CVR", "USR I", "USR OK", "linked"; NULL for none */
const char *msnp_roster_account_source_name(msnp_roster_account_source s);
/* The wire name of a property index ("PHH"), or NULL. */
const char *msnp_roster_prop_name(unsigned i);

#ifdef __cplusplus
}
#endif
#endif
