/* The command table: the single source of truth for every command's name,
 * roles, directions, TrID rule, payload rule, argument names per form, and
 * meaning. Both faces (dissector fields, msnpdump records) follow from it.
 * Adding a command or a form is adding a row in command_table.c. */
#ifndef MSNP_COMMANDS_H
#define MSNP_COMMANDS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Connection roles (protocol reference §1, §10), as bits so a form can name
 * several. */
enum {
    MSNP_R_DS = 1u << 0,  /* dispatch server */
    MSNP_R_NS = 1u << 1,  /* notification server */
    MSNP_R_SB = 1u << 2,  /* switchboard */
    MSNP_R_FTP = 1u << 3, /* MSNFTP file transfer (peer to peer) */
    MSNP_R_NSDS = MSNP_R_NS | MSNP_R_DS,
    MSNP_R_ANY = MSNP_R_DS | MSNP_R_NS | MSNP_R_SB | MSNP_R_FTP
};

typedef enum msnp_role {
    MSNP_ROLE_UNKNOWN = 0,
    MSNP_ROLE_DS = MSNP_R_DS,
    MSNP_ROLE_NS = MSNP_R_NS,
    MSNP_ROLE_SB = MSNP_R_SB,
    MSNP_ROLE_FTP = MSNP_R_FTP
} msnp_role;

/* Directions, as bits so a form can allow both (MSNFTP lines flow either way
 * depending on who listens). */
enum {
    MSNP_D_C2S = 1u << 0, /* client (connection opener) to server */
    MSNP_D_S2C = 1u << 1,
    MSNP_D_ANY = MSNP_D_C2S | MSNP_D_S2C
};

typedef enum msnp_dir {
    MSNP_DIR_UNKNOWN = 0,
    MSNP_DIR_C2S = MSNP_D_C2S,
    MSNP_DIR_S2C = MSNP_D_S2C
} msnp_dir;

typedef enum msnp_trid_rule {
    MSNP_TRID_PRESENT, /* token 1 is a decimal transaction id */
    MSNP_TRID_ZERO,    /* token 1 is the literal 0 (server-initiated) */
    MSNP_TRID_NONE     /* no TrID position: arguments start at token 1 */
} msnp_trid_rule;

typedef enum msnp_payload_rule {
    MSNP_PL_NONE,
    MSNP_PL_LAST,        /* the last token is always the payload length */
    MSNP_PL_LAST_NUMERIC /* the last token is the payload length when it is all
                            digits and the line has >= pl_min_tokens tokens */
} msnp_payload_rule;

/* Which protocol generation a command or form belongs to. */
typedef enum msnp_era {
    MSNP_ERA_MSNP8 = 0,
    MSNP_ERA_EARLIER, /* MSNP2-7 only, refused by MSNP8 servers */
    MSNP_ERA_LATER    /* MSNP9 or later: recognised and labelled, not MSNP8 */
} msnp_era;

/* Form flags. */
enum {
    MSNP_F_SYN_DUMP = 1u << 0, /* one of the TrID-less lines of a SYN dump */
    MSNP_F_ASYNC = 1u << 1,    /* server-initiated, answers no request */
    MSNP_F_ENDS_REPLY = 1u << 2, /* last line of a multi-line reply */
    MSNP_F_LEGACY = 1u << 3,   /* accepted by some servers, not by MSNP8 ones */
    MSNP_F_FATAL = 1u << 4     /* the server closes the connection after it */
};

#define MSNP_ARGS_VARIADIC 255

/* One syntactic form of a command: a request, a reply or an asynchronous
 * line. A line matches a form when role, direction, TrID rule, argument count
 * and `match` agree.
 *
 * `match` constrains the leading arguments, space-separated, one pattern per
 * argument position:  *  anything;  #  all digits;  !#  not all digits;
 * @  contains '@';  A|B|C  one of these literals;  anything else: that literal.
 *
 * `args` names every argument, space-separated. The names are the field
 * vocabulary shared by both faces (msnp.user, msnp.nick, ...). A trailing '%'
 * marks a URL-encoded argument; a trailing "..." repeats the last name for
 * all remaining arguments.
 *
 * `meaning` is a template rendered by msnp_render_meaning(): {name} inserts an
 * argument (URL-decoded when marked '%'), {name:table} describes it through a
 * value table (see values.h). Literal braces are written {{ and }}. */
typedef struct msnp_form {
    uint8_t roles;   /* MSNP_R_* */
    uint8_t dirs;    /* MSNP_D_* */
    uint8_t trid;    /* msnp_trid_rule */
    uint8_t min_args;
    uint8_t max_args; /* MSNP_ARGS_VARIADIC for no upper bound */
    uint8_t flags;    /* MSNP_F_* */
    uint8_t era;      /* msnp_era of this form (a later-version form of an
                         MSNP8 command is MSNP_ERA_LATER) */
    const char *since; /* for non-MSNP8 forms: "MSNP9+", "MSNP2-7", ... */
    const char *match;
    const char *args;
    const char *meaning;
    const char *example; /* a complete line of this form, without CR/LF */
} msnp_form;

typedef struct msnp_command_info {
    char name[4];
    uint8_t roles;       /* union of the forms' roles */
    uint8_t era;         /* msnp_era of the command itself */
    uint8_t payload;     /* msnp_payload_rule */
    uint8_t pl_min_tokens;
    int8_t len_token;    /* where MSNP8 puts the length (cmd = 0), or -1 */
    const char *since;   /* for non-MSNP8 commands: "MSNP11+", ... */
    const char *summary; /* one line */
    const char *explanation; /* a paragraph in plain language */
    const msnp_form *forms;
    uint8_t nforms;
} msnp_command_info;

/* Lookup by the three-letter code; NULL when unknown. */
const msnp_command_info *msnp_command_lookup(const uint8_t *name, size_t len);

/* Iteration over the whole table (for tests, docs and the dissector's
 * value_string). */
size_t msnp_command_count(void);
const msnp_command_info *msnp_command_at(size_t i);
/* The position of a row of the table (msnp_command_at(i) == ci), or
 * msnp_command_count() when ci is not one. */
size_t msnp_command_index(const msnp_command_info *ci);

/* "NS", "SB", ...; "unknown" for MSNP_ROLE_UNKNOWN. */
const char *msnp_role_name(msnp_role r);
const char *msnp_dir_name(msnp_dir d); /* "c2s", "s2c", "unknown" */

/* "not MSNP8 (MSNP11+)" style label for a command or form outside MSNP8, or
 * NULL for MSNP8. Writes into buf. */
const char *msnp_era_label(uint8_t era, const char *since, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
