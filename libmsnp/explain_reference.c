/* How each command is answered and which errors it can get, and the line
 * shape of a form (see explain.h). Protocol reference §2.2, §3, §5, §7 and
 * the "typical trigger" column of §11. One row per command of the command
 * table, sorted by name (tests/unit/test_explain.c checks both). */
#include "msnp/explain.h"

#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Codes any request can meet, whatever it asked (§11: syntax, missing
 * fields, not logged in, and the server-trouble codes). */
const uint16_t msnp_general_errors[] = {200, 300, 302, 500, 501, 600, 601, 602, 603, 604,
                                        605, 910, 912, 914, 915, 916, 918, 919, 922, 0};

static const msnp_command_guide guides[] = {
    {"ACK",
     "Only the switchboard sends it: it answers a MSG the client sent with acknowledgement "
     "mode A (D in later versions) and carries that MSG's TrID. Nothing answers it.",
     {0}},
    {"ADC",
     "The server echoes the request with the same TrID (adding the contact's GUID); ADC 0 RL "
     "comes unasked when someone adds you. MSNP10 and later.",
     {201, 208, 210, 215, 219, 224, 0}},
    {"ADD",
     "ADD TrID list user nick [group] is answered by ADD TrID list version user nick "
     "[group]: the change with the new list version. Adding an online contact to the "
     "forward list also brings ILN TrID (their presence) and BPR lines. ADD 0 comes unasked: "
     "ADD 0 RL when someone adds you, ADD 0 FL/AL/BL when a list changed elsewhere.",
     {201, 205, 206, 210, 215, 219, 224, 0}},
    {"ADG",
     "ADG TrID name 0 is answered by ADG TrID version name group_id 0, the new group's id.",
     {223, 229, 0}},
    {"ADL",
     "ADL TrID length + XML is answered by ADL TrID OK; ADL 0 comes unasked for additions "
     "made elsewhere. MSNP13 and later.",
     {240, 241, 0}},
    {"ANS",
     "ANS TrID user cookie session_id is answered by one IRO TrID line per participant "
     "already there and then ANS TrID OK (ANS OK directly when nobody is left); a bad "
     "cookie or session gives 911 or a disconnect.",
     {911, 0}},
    {"BLP",
     "BLP TrID AL|BL is answered by BLP TrID version AL|BL. Inside the SYN dump, BLP AL|BL "
     "without a TrID reports the stored setting.",
     {218, 0}},
    {"BPR",
     "Only the server sends it, never as a request: inside the SYN dump it follows the LST "
     "line of its contact; outside it comes after an ADD to the forward list or when a "
     "contact changes a number, with the list version and the account.",
     {0}},
    {"BYE",
     "Nothing answers it. A switchboard sends BYE user when a participant left and BYE "
     "user 1 when it dropped them; on MSNFTP the receiver sends BYE code to end the "
     "transfer, and the connection closes.",
     {0}},
    {"CAL",
     "CAL TrID user is answered by CAL TrID RINGING session_id; when the contact accepts, "
     "everyone in the conversation gets JOI.",
     {208, 215, 216, 217, 713, 0}},
    {"CCL", "Nothing answers it: the transfer stops and the connection closes.", {0}},
    {"CHG",
     "CHG TrID status client_id is answered by the same line (the echo is the success); "
     "the first CHG after the login is also followed by one ILN TrID per contact already "
     "online. CHG 0 comes unasked (a server-forced change, one source).",
     {201, 800, 0}},
    {"CHL",
     "Only the server sends it, unasked (TrID 0), after the login and now and then. The "
     "client must answer with QRY.",
     {0}},
    {"CVQ",
     "Answered with version information in a syntax no source documents (CVR0 "
     "sub-protocol, before MSNP8).",
     {0}},
    {"CVR",
     "CVR TrID locale os ... user is answered by CVR TrID recommended recommended minimum "
     "download_url info_url.",
     {710, 731, 0}},
    {"DEL", "DEL TrID length + document is answered by DEL TrID OK 0. MSNP18 and later.", {0}},
    {"FIL",
     "The file sender sends it after the receiver's USR; the receiver answers with TFR "
     "(send it) or CCL (cancel).",
     {0}},
    {"FLN",
     "Only the server sends it, unasked, when a contact on your forward list goes offline "
     "or hidden.",
     {0}},
    {"FND",
     "FND TrID criteria is answered by FND TrID index total fields, one line per result, "
     "or FND TrID 0 0; from mid-2003 by error 502. Before MSNP8.",
     {301, 502, 0}},
    {"FQY",
     "FQY TrID length + XML is answered by FQY TrID length + XML. MSNP14 and later.", {0}},
    {"GCF",
     "GCF TrID file is answered by GCF TrID file length + XML; GCF 0 comes unasked. MSNP11 "
     "and later.",
     {0}},
    {"GTC",
     "GTC TrID A|N is answered by GTC TrID version A|N. Inside the SYN dump, GTC A|N "
     "without a TrID reports the stored setting.",
     {218, 0}},
    {"ILN",
     "Only the server sends it, as part of a reply: after the first CHG of a session (one "
     "ILN per contact already online) or an ADD to the forward list, with that request's "
     "TrID.",
     {0}},
    {"IMS", "IMS TrID ON|OFF is answered by IMS TrID 0 ON|OFF.", {0}},
    {"INF",
     "INF TrID is answered by INF TrID method... (MSNP2-7); an MSNP8 server disconnects "
     "instead.",
     {0}},
    {"IPG",
     "Only the server sends it, unasked: a page from someone's mobile device, or, when its "
     "notification id is a PAG's TrID, the report that the PAG failed.",
     {0}},
    {"IRO",
     "Only the switchboard sends it, as part of the reply to ANS: one line per participant "
     "already there, with the ANS's TrID, before ANS TrID OK.",
     {0}},
    {"JOI",
     "Only the switchboard sends it, unasked, when someone joins the conversation (the "
     "contact that was called, or someone another participant invited).",
     {0}},
    {"LSG",
     "Inside the SYN dump: one line per group, after GTC, BLP and any PRP. A client's own "
     "LSG TrID was answered with the iterated lines of earlier versions, and servers "
     "stopped accepting it in late 2003.",
     {0}},
    {"LST",
     "Inside the SYN dump: one line per contact, each possibly followed by BPR lines. A "
     "client's own LST TrID list was answered with the iterated lines of earlier versions, "
     "and servers stopped accepting it in late 2003.",
     {0}},
    {"MSG",
     "A client's MSG TrID ack length is answered according to its acknowledgement mode: U "
     "never, N only by NAK TrID on failure, A by ACK TrID or NAK TrID; the other "
     "participants receive MSG sender nick length with the same payload. The notification "
     "server's MSG Hotmail Hotmail comes unasked; a client never sends MSG to it.",
     {282, 0}},
    {"NAK",
     "Only the switchboard sends it: it answers a MSG sent with acknowledgement mode N or A "
     "that could not be delivered, with that MSG's TrID. Nothing answers it.",
     {0}},
    {"NFY", "Only the server sends it, unasked. MSNP18 and later.", {0}},
    {"NLN",
     "Only the server sends it, unasked, when a contact comes online or changes status or "
     "friendly name.",
     {0}},
    {"NOT", "Only the server sends it, unasked: an MSN Alert.", {0}},
    {"OUT",
     "Nothing answers it. The client's OUT ends the session and the server closes the "
     "connection; on a switchboard the others then get BYE. The server's OUT (OTH, SSD, or "
     "nothing) comes just before it disconnects.",
     {0}},
    {"PAG",
     "Nothing answers a page that went through; a failure comes back as an error or as an "
     "IPG whose notification id is the PAG's TrID.",
     {715, 800, 0}},
    {"PGD",
     "Like PAG: no answer on success, an error or an IPG on failure. MSNP9 and later.", {0}},
    {"PNG", "PNG (no TrID) is answered by QNG.", {0}},
    {"PRP",
     "PRP TrID property value is answered by PRP TrID version property value. Inside the "
     "SYN dump, PRP property value without a TrID reports your stored settings.",
     {715, 0}},
    {"PUT", "PUT TrID length + document is answered by PUT TrID OK 0. MSNP18 and later.", {0}},
    {"QNG",
     "Only the server sends it: it answers the PNG before it (MSNP9 and later add the "
     "seconds until the next ping is due).",
     {0}},
    {"QRY",
     "QRY TrID product_id 32 + answer is answered by QRY TrID when the answer is right, and "
     "by error 540 and a disconnect when it is wrong; no answer in time ends with OUT.",
     {540, 0}},
    {"REA", "REA TrID user nick is answered by REA TrID version user nick.", {209, 216, 800, 0}},
    {"REG", "REG TrID group_id name 0 is answered by REG TrID version group_id name 0.",
     {224, 229, 0}},
    {"REM",
     "REM TrID list user [group] is answered by REM TrID list version user [group]. REM 0 "
     "RL comes unasked when someone removes you from their list.",
     {201, 216, 224, 225, 0}},
    {"RMG", "RMG TrID group_id is answered by RMG TrID version group_id.", {224, 230, 0}},
    {"RML",
     "RML TrID length + XML is answered by RML TrID OK; RML 0 comes unasked. MSNP13 and "
     "later.",
     {240, 241, 0}},
    {"RNG",
     "Only the server sends it, unasked, when someone calls you into a conversation. The "
     "client accepts by connecting to the switchboard it names and sending ANS with its "
     "cookie and session id; ignoring it declines.",
     {0}},
    {"SBP", "The server echoes the request with the same TrID. MSNP10 to MSNP12.", {0}},
    {"SBS", "Only the server sends it, unasked, after the login. MSNP11 and later.", {0}},
    {"SDC", "SDC TrID ... length [+ note] is answered by SDC TrID OK.", {503, 0}},
    {"SDG",
     "The server delivers the message to the circle; SDG 0 comes unasked. MSNP18 and "
     "later.",
     {0}},
    {"SND", "SND TrID address ... is answered by SND TrID OK.", {503, 0}},
    {"SYN",
     "SYN TrID version is answered by SYN TrID version when the cached list is current; "
     "otherwise by SYN TrID version contacts groups and the dump without TrIDs: GTC, BLP, "
     "any PRP, one LSG per group, one LST per contact (each possibly followed by BPR).",
     {0}},
    {"TFR",
     "No line answers it: the sender's direction switches to binary blocks that carry the "
     "file.",
     {0}},
    {"UBM", "Only the server sends it, unasked. MSNP14 and later.", {0}},
    {"UBN", "Only the server sends it, unasked. MSNP13 and later.", {0}},
    {"UBX",
     "Only the server sends it, unasked, when a contact sets a personal message. MSNP11 and "
     "later.",
     {0}},
    {"URL",
     "URL TrID service [param] is answered by URL TrID url login_url site_id.", {0}},
    {"USR",
     "Dispatch server: USR TrID TWN I user is answered by XFR TrID NS. Notification server: "
     "USR TrID TWN I user by USR TrID TWN S parameters, and USR TrID TWN S ticket by USR "
     "TrID OK user nick verified restricted, then the login profile. Switchboard: USR TrID "
     "user cookie by USR TrID OK user nick. MSNFTP: USR user cookie by FIL size.",
     {207, 911, 923, 924, 928, 931, 0}},
    {"UUM", "Nothing answers it on success. MSNP14 and later.", {0}},
    {"UUN", "UUN TrID ... is answered by UUN TrID OK. MSNP13 and later.", {0}},
    {"UUX", "UUX TrID length + XML is answered by UUX TrID 0. MSNP11 and later.", {0}},
    {"VAS", "No reply is known. MSNP18 and later.", {0}},
    {"VER",
     "VER TrID version... is answered by VER TrID with the versions the server accepts, or "
     "VER TrID 0 and a disconnect. On MSNFTP the other peer answers VER MSNFTP.",
     {0}},
    {"XFR",
     "XFR TrID SB is answered by XFR TrID SB address CKI cookie. XFR TrID NS comes as the "
     "answer to the login's USR on a dispatch server (or an overloaded notification "
     "server); XFR 0 NS 0 comes unasked (one source).",
     {913, 281, 0}},
};

const msnp_command_guide *msnp_command_guide_find(const char *name, size_t len)
{
    if (len != 3)
        return NULL;
    size_t lo = 0, hi = N(guides);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = memcmp(guides[mid].name, name, 3);
        if (c == 0)
            return &guides[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

size_t msnp_command_guide_count(void)
{
    return N(guides);
}

const msnp_command_guide *msnp_command_guide_at(size_t i)
{
    return i < N(guides) ? &guides[i] : NULL;
}

/* Requests the pairing expects an answer to only on failure (trid.c's
 * answer rules, §3.6), besides MSG whose acknowledgement mode decides. */
static const struct {
    const char *name;
    const char *answer;
} failure_answers[] = {
    {"PAG", "an error, or an IPG whose notification id is the PAG's TrID"},
    {"PGD", "an error, or an IPG whose notification id is the PGD's TrID"},
};

const char *msnp_failure_answer(const char *name, size_t len)
{
    for (size_t i = 0; i < N(failure_answers); i++)
        if (len == 3 && memcmp(failure_answers[i].name, name, 3) == 0)
            return failure_answers[i].answer;
    return NULL;
}

/* ---- Line shapes ------------------------------------------------------- */

typedef struct sink {
    char *out;
    size_t size, len;
} sink;

static void put(sink *s, const char *p, size_t n)
{
    /* len counts what would have been written; the copy stops one short of
     * size for the terminator. (A byte-wise loop here made GCC's LTO warn of
     * a write past the caller's buffer, which it never did.) */
    size_t room = s->size > s->len + 1 ? s->size - s->len - 1 : 0;
    size_t k = n < room ? n : room;
    if (k)
        memcpy(s->out + s->len, p, k);
    s->len += n;
}

static void puts_(sink *s, const char *p)
{
    put(s, p, strlen(p));
}

static size_t word(const char *s, size_t *pos, const char **w)
{
    size_t i = *pos;
    if (!s)
        return 0;
    while (s[i] == ' ')
        i++;
    size_t start = i;
    while (s[i] && s[i] != ' ')
        i++;
    *w = s + start;
    *pos = i;
    return i - start;
}

/* A match pattern that stands for literal text ("OK", "FL|AL") rather than
 * a class of values ("*", "#", "!#", "@"). */
static int literal_pattern(const char *p, size_t n)
{
    if (n == 1 && (p[0] == '*' || p[0] == '#' || p[0] == '@'))
        return 0;
    if (n == 2 && p[0] == '!' && p[1] == '#')
        return 0;
    return n > 0;
}

size_t msnp_form_syntax(const char *cmd, const msnp_form *f, char *out, size_t size)
{
    sink s = {out, size, 0};
    puts_(&s, cmd);
    if (f->trid == MSNP_TRID_PRESENT)
        puts_(&s, " <TrID>");
    else if (f->trid == MSNP_TRID_ZERO)
        puts_(&s, " 0");
    size_t apos = 0, mpos = 0;
    for (unsigned i = 0;; i++) {
        const char *a = NULL, *m = NULL;
        size_t al = word(f->args, &apos, &a);
        if (al == 0)
            break;
        size_t ml = word(f->match, &mpos, &m);
        int optional = i >= f->min_args;
        int variadic = al > 3 && memcmp(a + al - 3, "...", 3) == 0;
        size_t nl = variadic ? al - 3 : al;
        puts_(&s, optional ? " [" : " ");
        if (ml && literal_pattern(m, ml) && !memchr(m, '|', ml)) {
            put(&s, m, ml); /* a keyword: OK, TWN, RL */
        } else {
            put(&s, "<", 1);
            put(&s, a, nl);
            if (ml && literal_pattern(m, ml)) { /* one of several values */
                put(&s, "=", 1);
                put(&s, m, ml);
            }
            put(&s, ">", 1);
        }
        if (variadic)
            puts_(&s, "...");
        if (optional)
            put(&s, "]", 1);
    }
    if (size)
        out[s.len < size ? s.len : size - 1] = '\0';
    return s.len < size ? s.len : (size ? size - 1 : 0);
}
