/* Numeric error replies (protocol reference §2.3, §11, §13).
 *
 * Names are the IETF draft's ERR_* constants where the draft defines one
 * (draft-movva-msn-messenger-protocol-00 §7.11); elsewhere a short descriptive
 * name from the client error tables the reference cites.
 *
 * certain = 0 for the codes §11 marks [?] or §13 lists as unverified (213,
 * 231, 282, 503, 511, 700, 701, 715, 731, 931).
 * fatal = 1 only where the reference says the server closes the connection
 * after the error (§2.3: 911, 540, 500 and the 600 series; §3.6: 503 after
 * SDC/SND, one source). Other codes may also be followed by a disconnect in
 * practice; the table does not claim it.
 * era: MSNP_ERA_LATER for the codes §11 tags [L] (240, 241, 282, 402, 403). */
#include "msnp/commands.h"
#include "msnp/errors.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* code, name, meaning, era, certain, fatal. Sorted by code. */
static const msnp_error_info errors[] = {
    {200, "ERR_SYNTAX_ERROR",
     "syntax error: the server could not parse the command (malformed line, unknown "
     "command)",
     MSNP_ERA_MSNP8, 1, 0},
    {201, "ERR_INVALID_PARAMETER",
     "invalid parameter, e.g. CHG to FLN, ADD of a malformed account, a bad group "
     "operation",
     MSNP_ERA_MSNP8, 1, 0},
    {205, "ERR_INVALID_USER",
     "invalid principal: the account does not exist (typically ADD of a non-existent "
     "account; MSNP10 and later answer 208 instead)",
     MSNP_ERA_MSNP8, 1, 0},
    {206, "ERR_FQDN_MISSING",
     "domain name missing: an account given without its @domain part",
     MSNP_ERA_MSNP8, 1, 0},
    {207, "ERR_ALREADY_LOGIN",
     "already logged in: a second USR on a notification-server connection that is "
     "already signed in",
     MSNP_ERA_MSNP8, 1, 0},
    {208, "ERR_INVALID_USERNAME",
     "invalid principal name: a malformed account, e.g. in a switchboard CAL",
     MSNP_ERA_MSNP8, 1, 0},
    {209, "ERR_INVALID_FRIENDLY_NAME",
     "friendly-name change refused: REA with a forbidden word, or from an account whose "
     "Passport is not verified",
     MSNP_ERA_MSNP8, 1, 0},
    {210, "ERR_LIST_FULL",
     "list full: the forward list reached its limit (150 entries in 2003, 600 later)",
     MSNP_ERA_MSNP8, 1, 0},
    {213, "Invalid rename request",
     "invalid rename request; seen when renaming a phone contact (one source, meaning "
     "uncertain)",
     MSNP_ERA_MSNP8, 0, 0},
    {215, "ERR_ALREADY_THERE",
     "already there: ADD of an account already on that list or in that group, or CAL of "
     "someone already in or invited to the conversation",
     MSNP_ERA_MSNP8, 1, 0},
    {216, "ERR_NOT_ON_LIST",
     "not on list: REM or REA of an account not on the list (also CAL to a blocking user "
     "in old servers, now 217)",
     MSNP_ERA_MSNP8, 1, 0},
    {217, "Principal not online",
     "the invited user is offline, hidden or blocking you (answer to CAL; not in the IETF "
     "draft)",
     MSNP_ERA_MSNP8, 1, 0},
    {218, "ERR_ALREADY_IN_THE_MODE",
     "already in that mode: GTC or BLP set to the value it already has",
     MSNP_ERA_MSNP8, 1, 0},
    {219, "ERR_ALREADY_IN_OPPOSITE_LIST",
     "on the opposite list: ADD to the allow list of an account on the block list, or "
     "vice versa",
     MSNP_ERA_MSNP8, 1, 0},
    {223, "Too many groups",
     "too many groups: ADG beyond the limit of 30 groups",
     MSNP_ERA_MSNP8, 1, 0},
    {224, "Invalid group",
     "invalid group: an unknown group id in ADD, REM, REG or RMG",
     MSNP_ERA_MSNP8, 1, 0},
    {225, "Principal not in group",
     "not in group: REM from a group the contact is not in",
     MSNP_ERA_MSNP8, 1, 0},
    {229, "Group name too long",
     "group name too long: ADG or REG with a name over 61 bytes (URL-encoded)",
     MSNP_ERA_MSNP8, 1, 0},
    {230, "Cannot remove group zero",
     "group 0 cannot be removed: RMG 0",
     MSNP_ERA_MSNP8, 1, 0},
    {231, "Invalid group",
     "invalid group (Gaim: adding to a non-existent group); how it differs from 224 is "
     "uncertain",
     MSNP_ERA_MSNP8, 0, 0},
    {240, "ADL/RML payload error",
     "error in the XML payload of ADL or RML (later versions)",
     MSNP_ERA_LATER, 1, 0},
    {241, "ADL/RML payload error",
     "invalid XML payload of ADL or RML (later versions)",
     MSNP_ERA_LATER, 1, 0},
    {280, "ERR_SWITCHBOARD_FAILED",
     "switchboard failed: the conversation could not be set up",
     MSNP_ERA_MSNP8, 1, 0},
    {281, "ERR_NOTIFY_XFR_FAILED",
     "transfer to switchboard failed: the referral (XFR SB) could not be completed",
     MSNP_ERA_MSNP8, 1, 0},
    {282, "Malformed P2P message",
     "malformed data (P2P) message: answer to MSG ... D in later versions (one source, "
     "uncertain)",
     MSNP_ERA_LATER, 0, 0},
    {300, "ERR_REQUIRED_FIELDS_MISSING",
     "required field missing: the command lacks an argument",
     MSNP_ERA_MSNP8, 1, 0},
    {301, "Too many FND results",
     "too many results for a FND directory search",
     MSNP_ERA_MSNP8, 1, 0},
    {302, "ERR_NOT_LOGGED_IN",
     "not logged in: a command that needs a signed-in session was sent before USR "
     "completed",
     MSNP_ERA_MSNP8, 1, 0},
    {402, "Error accessing contact list",
     "error accessing the contact list (later versions)",
     MSNP_ERA_LATER, 1, 0},
    {403, "Error accessing contact list",
     "error accessing the contact list (later versions)",
     MSNP_ERA_LATER, 1, 0},
    {500, "ERR_INTERNAL_SERVER",
     "internal server error; also seen for banned accounts and during maintenance; the "
     "server disconnects",
     MSNP_ERA_MSNP8, 1, 1},
    {501, "ERR_DB_SERVER",
     "database server error",
     MSNP_ERA_MSNP8, 1, 0},
    {502, "Command disabled",
     "command disabled: e.g. FND after mid-2003",
     MSNP_ERA_MSNP8, 1, 0},
    {503, "Bad SND/SDC arguments",
     "undocumented; seen for bad arguments to SND or SDC, followed by a disconnect (one "
     "source, uncertain)",
     MSNP_ERA_MSNP8, 0, 1},
    {510, "ERR_FILE_OPERATION",
     "file operation failed on the server",
     MSNP_ERA_MSNP8, 1, 0},
    {511, "Banned",
     "account banned (one client table only, uncertain)",
     MSNP_ERA_MSNP8, 0, 0},
    {520, "ERR_MEMORY_ALLOC",
     "memory allocation failed on the server",
     MSNP_ERA_MSNP8, 1, 0},
    {540, "Challenge response failed",
     "challenge response failed: the QRY answer to CHL was wrong; the server disconnects",
     MSNP_ERA_MSNP8, 1, 1},
    {600, "ERR_SERVER_BUSY",
     "server is busy; the server disconnects",
     MSNP_ERA_MSNP8, 1, 1},
    {601, "ERR_SERVER_UNAVAILABLE",
     "server is unavailable; the server disconnects",
     MSNP_ERA_MSNP8, 1, 1},
    {602, "ERR_PEER_NS_DOWN",
     "a peer notification server is down; the server disconnects",
     MSNP_ERA_MSNP8, 1, 1},
    {603, "ERR_DB_CONNECT",
     "database connection failed; the server disconnects",
     MSNP_ERA_MSNP8, 1, 1},
    {604, "ERR_SERVER_GOING_DOWN",
     "server is going down; the server disconnects",
     MSNP_ERA_MSNP8, 1, 1},
    {605, "Server unavailable",
     "server unavailable; the server disconnects",
     MSNP_ERA_MSNP8, 1, 1},
    {700, "Could not create connection",
     "could not create connection (two client tables; the IETF draft uses 707 for this, "
     "so the code is uncertain)",
     MSNP_ERA_MSNP8, 0, 0},
    {701, "Unknown error 701",
     "listed by some sources, but no description was found in any source consulted",
     MSNP_ERA_MSNP8, 0, 0},
    {707, "ERR_CREATE_CONNECTION",
     "could not create connection",
     MSNP_ERA_MSNP8, 1, 0},
    {710, "Bad CVR parameters",
     "bad or unknown CVR parameters: the client/OS version report was rejected",
     MSNP_ERA_MSNP8, 1, 0},
    {711, "ERR_BLOCKING_WRITE",
     "write is blocking on the server",
     MSNP_ERA_MSNP8, 1, 0},
    {712, "ERR_SESSION_OVERLOAD",
     "session is overloaded",
     MSNP_ERA_MSNP8, 1, 0},
    {713, "ERR_USER_TOO_ACTIVE",
     "calling too rapidly / user too active: e.g. a flood of CAL invitations",
     MSNP_ERA_MSNP8, 1, 0},
    {714, "ERR_TOO_MANY_SESSIONS",
     "too many sessions: too many switchboard conversations open",
     MSNP_ERA_MSNP8, 1, 0},
    {715, "ERR_NOT_EXPECTED",
     "not expected: e.g. PRP with an unknown property, or PAG sent to an MSNP9 server "
     "(Gaim labels it \"Passport not verified\"; exact semantics uncertain)",
     MSNP_ERA_MSNP8, 0, 0},
    {717, "ERR_BAD_FRIEND_FILE",
     "bad friend file on the server",
     MSNP_ERA_MSNP8, 1, 0},
    {731, "Not expected (CVR)",
     "not expected, apparently related to CVR (uncertain)",
     MSNP_ERA_MSNP8, 0, 0},
    {800, "Changing too rapidly",
     "changing too rapidly: REA or CHG flood, or a failed PAG",
     MSNP_ERA_MSNP8, 1, 0},
    {910, "Server too busy",
     "server too busy (typically during login)",
     MSNP_ERA_MSNP8, 1, 0},
    {911, "ERR_AUTHENTICATION_FAILED",
     "authentication failed: a bad Passport ticket on the notification server, or a bad "
     "cookie on a switchboard; the server disconnects",
     MSNP_ERA_MSNP8, 1, 1},
    {912, "Server too busy",
     "server too busy (typically during login)",
     MSNP_ERA_MSNP8, 1, 0},
    {913, "ERR_NOT_ALLOWED_WHEN_OFFLINE",
     "not allowed while offline or hidden: e.g. XFR SB while the status is HDN or before "
     "the first CHG",
     MSNP_ERA_MSNP8, 1, 0},
    {914, "Server unavailable",
     "server unavailable (typically during login)",
     MSNP_ERA_MSNP8, 1, 0},
    {915, "Server unavailable",
     "server unavailable (typically during login)",
     MSNP_ERA_MSNP8, 1, 0},
    {916, "Server unavailable",
     "server unavailable (typically during login)",
     MSNP_ERA_MSNP8, 1, 0},
    {917, "Authentication failed",
     "authentication failed",
     MSNP_ERA_MSNP8, 1, 0},
    {918, "Server too busy",
     "server too busy (typically during login)",
     MSNP_ERA_MSNP8, 1, 0},
    {919, "Server too busy",
     "server too busy (typically during login)",
     MSNP_ERA_MSNP8, 1, 0},
    {920, "ERR_NOT_ACCEPTING_NEW_USERS",
     "not accepting new principals: the server takes no new users",
     MSNP_ERA_MSNP8, 1, 0},
    {921, "Server too busy",
     "server too busy (one source: too busy for Kids Passport accounts)",
     MSNP_ERA_MSNP8, 1, 0},
    {922, "Server too busy",
     "server too busy (typically during login)",
     MSNP_ERA_MSNP8, 1, 0},
    {923, "Kids Passport without consent",
     "Kids Passport account without parental consent (answer to USR)",
     MSNP_ERA_MSNP8, 1, 0},
    {924, "Passport not verified",
     "Passport account not yet verified: login refused (answer to USR)",
     MSNP_ERA_MSNP8, 1, 0},
    {928, "Bad ticket",
     "bad ticket: the Passport ticket in USR TWN S was rejected",
     MSNP_ERA_MSNP8, 1, 0},
    {931, "Wrong server",
     "wrong server for this account (answer to USR TWN I; one source, uncertain)",
     MSNP_ERA_MSNP8, 0, 0},
};

const msnp_error_info *msnp_error_lookup(unsigned code)
{
    size_t lo = 0, hi = N(errors);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (errors[mid].code == code)
            return &errors[mid];
        if (errors[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

size_t msnp_error_count(void)
{
    return N(errors);
}

const msnp_error_info *msnp_error_at(size_t i)
{
    return i < N(errors) ? &errors[i] : NULL;
}
