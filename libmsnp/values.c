/* Value tables: the small vocabularies of MSNP arguments and payload fields
 * (protocol reference §3.2, §3.3, §3.6, §5, §6.3, §7, §2.5). A meaning template
 * names a table with {arg:table}; the dissector turns the same tables into
 * value_strings. Texts are plain-language phrases that read well in place of
 * the value inside a sentence ("... is now away").
 *
 * Values are compared exactly (MSNP is case-sensitive), except in the tables
 * marked case-insensitive below: GUIDs and hex locale ids are written in
 * varying case on the wire. */
#include <string.h>

#include "msnp/values.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* §3.3: case-sensitive status codes. */
static const msnp_value_name status_values[] = {
    {"NLN", "online"},
    {"BSY", "busy"},
    {"IDL", "idle"},
    {"BRB", "be right back"},
    {"AWY", "away"},
    {"PHN", "on the phone"},
    {"LUN", "out to lunch"},
    {"HDN", "hidden: appears offline to others"},
    {"FLN", "offline"},
};

/* §3.2, draft §5.7. */
static const msnp_value_name list_values[] = {
    {"FL", "forward list (contacts)"},
    {"AL", "allow list"},
    {"BL", "block list"},
    {"RL", "reverse list (people who have you as a contact)"},
};

/* §5 ack modes: what the switchboard answers. */
static const msnp_value_name ack_values[] = {
    {"U", "none (unacknowledged)"},
    {"N", "NAK only if delivery fails"},
    {"A", "ACK on delivery, NAK on failure"},
    {"D", "data (P2P) mode of later versions: ACK, or error 282 if malformed"},
    {"S", "mode S of later clients, meaning unknown"},
};

/* §3.2 PRP/BPR properties; MFN and WWE are later-version properties. */
static const msnp_value_name property_values[] = {
    {"PHH", "home phone number"},
    {"PHW", "work phone number"},
    {"PHM", "mobile phone number"},
    {"MOB", "mobile paging permission (Y/N)"},
    {"MBE", "mobile device enabled flag (Y/N, set by the server)"},
    {"MFN", "friendly name (MSNP10+)"},
    {"WWE", "property WWE (MSNP9+), meaning not documented in the reference"},
};

/* §3.2 GTC. */
static const msnp_value_name gtc_values[] = {
    {"A", "the client asks its user whether to allow them"},
    {"N", "they are allowed silently"},
};

/* §3.2 BLP. */
static const msnp_value_name blp_values[] = {
    {"AL", "allow by default (everyone not on the block list may see you and talk to "
           "you)"},
    {"BL", "block by default (only people on the allow list may see you and talk to "
           "you)"},
};

/* §3.6 URL services. The reference lists the names only; the descriptions follow
 * the names and the parameters the reference gives. */
static const msnp_value_name url_service_values[] = {
    {"INBOX", "the Hotmail inbox"},
    {"COMPOSE", "composing a new Hotmail message"},
    {"PASSWORD", "changing the Passport password"},
    {"PERSON", "the Passport account details"},
    {"PROFILE", "the member profile"},
    {"MOBILE", "MSN Mobile set-up"},
    {"CHGMOB", "changing the MSN Mobile settings"},
    {"FOLDERS", "the Hotmail folders"},
    {"MESSAGE", "a Hotmail message"},
    {"CHAT", "MSN chat rooms"},
    {"N2PACCOUNT", "the PC-to-phone account"},
    {"N2PFUND", "funding the PC-to-phone account"},
    {"ADDRBOOK", "the address book"},
    {"ADVSEARCH", "advanced member search"},
    {"INTSEARCH", "interest search"},
};

/* §3.6 OUT reasons; MIG, TOU (MSNP10+) and RCT (MSNP11+) are later versions,
 * documented without meaning. */
static const msnp_value_name out_reason_values[] = {
    {"OTH", "the same account signed in at another place"},
    {"SSD", "the server is shutting down"},
    {"MIG", "reason MIG of MSNP10+ (meaning not documented in the reference)"},
    {"TOU", "reason TOU of MSNP10+ (meaning not documented in the reference)"},
    {"RCT", "reason RCT of MSNP11+ (meaning not documented in the reference)"},
};

/* §3.6 IMS. */
static const msnp_value_name ims_values[] = {
    {"ON", "on (the client can be invited to conversations)"},
    {"OFF", "off (no new conversations)"},
};

/* §7 MSNFTP BYE codes (decimal of an HRESULT-like value). */
static const msnp_value_name ftp_bye_values[] = {
    {"16777989", "file received successfully (0x01000305)"},
    {"16777987", "file sent successfully (0x01000303; rarely observed, uncertain)"},
    {"2147942405", "receiver out of disk space (0x80070005)"},
    {"2164261682", "receiver cancelled (0x81000332; uncertain)"},
    {"2164261694", "transfer timed out (0x8100033E; uncertain)"},
};

/* §5 switchboard BYE reason. */
static const msnp_value_name sb_bye_values[] = {
    {"1", "the server removed them (e.g. idle timeout)"},
};

/* §3.1 USR OK flags. */
static const msnp_value_name verified_values[] = {
    {"0", "Passport e-mail address not verified"},
    {"1", "Passport e-mail address verified"},
};

static const msnp_value_name restricted_values[] = {
    {"0", "account not restricted"},
    {"1", "restricted account: must use MSN Explorer (the official client signs out)"},
};

/* §6.3 Application-GUID of text/x-msmsgsinvite (case-insensitive). */
static const msnp_value_name app_guid_values[] = {
    {"{5D3E02AB-6190-11d3-BBBB-00C04F795683}", "file transfer (MSNFTP)"},
    {"{44BBA842-CC51-11CF-AAFA-00AA00B6015C}", "NetMeeting"},
    {"{02D3C01F-BF30-4825-A83A-DE7AF41648AA}",
     "voice conversation (SIP audio; one tool mislabels it webcam)"},
    {"{F1B1920C-6A3C-4ce7-B18C-AFAB305FD03D}",
     "application sharing (one tool mislabels it NetMeeting)"},
    {"{1DF57D09-637A-4ca5-91B9-2C3EDAAF62FE}", "whiteboard"},
    {"{56b994a7-380f-410b-9985-c809d78c1bdc}", "Remote Assistance"},
    {"{2A23868E-B45F-401d-B8B0-1E16B774A5B7}",
     "viewing a webcam (legacy invitation form; uncertain)"},
    {"{8DAE4336-2B71-11D4-9A6C-006067325E47}", "Baldur's Gate II (game; one source)"},
    {"{4BD96FC0-AB17-4425-A14A-439185962DC8}",
     "webcam (MSNSLP/P2P EUF-GUID of Messenger 6 and later, not an msmsgsinvite "
     "application)"},
    {"{1C9AA97E-9C05-4583-A3BD-908A196F1E92}",
     "webcam (MSNSLP/P2P EUF-GUID of Messenger 6 and later, not an msmsgsinvite "
     "application)"},
};

/* §6.3 Cancel-Code. */
static const msnp_value_name cancel_code_values[] = {
    {"REJECT", "the user declined"},
    {"TIMEOUT", "the inviter gave up waiting, or cancelled before acceptance"},
    {"FTTIMEOUT", "the file transfer itself failed"},
    {"OUTBANDCANCEL", "the conversation window used for the invitation is closing"},
    {"REJECT_NOT_INSTALLED", "the receiver does not support this application"},
    {"FAIL", "none of the offered session protocols is known"},
};

/* §3.1 CVR operating-system type. */
static const msnp_value_name os_type_values[] = {
    {"win", "Windows 9x/Me"},
    {"winnt", "Windows NT/2000/XP"},
    {"mac", "Mac OS"},
};

/* §3.1 CVR locale: the Windows LCID in hex as sent on the wire
 * (case-insensitive). Standard Windows LCIDs. */
static const msnp_value_name locale_values[] = {
    {"0x0404", "Chinese (Taiwan)"},
    {"0x0407", "German (Germany)"},
    {"0x0409", "English (United States)"},
    {"0x040a", "Spanish (Spain, traditional sort)"},
    {"0x040c", "French (France)"},
    {"0x0410", "Italian (Italy)"},
    {"0x0411", "Japanese"},
    {"0x0412", "Korean"},
    {"0x0413", "Dutch (Netherlands)"},
    {"0x0416", "Portuguese (Brazil)"},
    {"0x0419", "Russian"},
    {"0x041d", "Swedish"},
    {"0x0804", "Chinese (PRC)"},
    {"0x0809", "English (United Kingdom)"},
    {"0x0816", "Portuguese (Portugal)"},
    {"0x0c0a", "Spanish (Spain, modern sort)"},
    {"0x0c0c", "French (Canada)"},
};

/* The same LCIDs in decimal, as in URL ... lc=1033 and the profile's
 * lang_preference (§6.2). */
static const msnp_value_name lcid_values[] = {
    {"1028", "Chinese (Taiwan)"},
    {"1031", "German (Germany)"},
    {"1033", "English (United States)"},
    {"1034", "Spanish (Spain, traditional sort)"},
    {"1036", "French (France)"},
    {"1040", "Italian (Italy)"},
    {"1041", "Japanese"},
    {"1042", "Korean"},
    {"1043", "Dutch (Netherlands)"},
    {"1046", "Portuguese (Brazil)"},
    {"1049", "Russian"},
    {"1053", "Swedish"},
    {"2052", "Chinese (PRC)"},
    {"2057", "English (United Kingdom)"},
    {"2070", "Portuguese (Portugal)"},
    {"3082", "Spanish (Spain, modern sort)"},
    {"3084", "French (Canada)"},
};

/* §3.1 USR stages. */
static const msnp_value_name stage_values[] = {
    {"I", "initial: the client names the account to sign in"},
    {"S", "subsequent: challenge parameters or the answer to them"},
};

/* §3.1, §3.5 authentication methods. */
static const msnp_value_name auth_method_values[] = {
    {"TWN", "Passport 1.4 (Tweener), the MSNP8 login"},
    {"MD5", "MD5 challenge, the login of MSNP2-7 (legacy)"},
    {"CKI", "cookie (switchboard referral)"},
    {"SSO", "single sign-on of later versions (MSNP15+)"},
};

typedef struct table_row {
    msnp_value_table table;
    unsigned char case_insensitive;
} table_row;

static const table_row tables[] = {
    {{"ack", ack_values, N(ack_values)}, 0},
    {{"app_guid", app_guid_values, N(app_guid_values)}, 1},
    {{"auth_method", auth_method_values, N(auth_method_values)}, 0},
    {{"blp", blp_values, N(blp_values)}, 0},
    {{"cancel_code", cancel_code_values, N(cancel_code_values)}, 0},
    {{"ftp_bye", ftp_bye_values, N(ftp_bye_values)}, 0},
    {{"gtc", gtc_values, N(gtc_values)}, 0},
    {{"ims", ims_values, N(ims_values)}, 0},
    {{"lcid", lcid_values, N(lcid_values)}, 0},
    {{"list", list_values, N(list_values)}, 0},
    {{"locale", locale_values, N(locale_values)}, 1},
    {{"os_type", os_type_values, N(os_type_values)}, 0},
    {{"out_reason", out_reason_values, N(out_reason_values)}, 0},
    {{"property", property_values, N(property_values)}, 0},
    {{"restricted", restricted_values, N(restricted_values)}, 0},
    {{"sb_bye", sb_bye_values, N(sb_bye_values)}, 0},
    {{"stage", stage_values, N(stage_values)}, 0},
    {{"status", status_values, N(status_values)}, 0},
    {{"url_service", url_service_values, N(url_service_values)}, 0},
    {{"verified", verified_values, N(verified_values)}, 0},
};

const msnp_value_table *msnp_value_table_find(const char *name, size_t len)
{
    for (size_t i = 0; i < N(tables); i++) {
        const char *n = tables[i].table.name;
        if (strlen(n) == len && memcmp(n, name, len) == 0)
            return &tables[i].table;
    }
    return NULL;
}

size_t msnp_value_table_count(void)
{
    return N(tables);
}

const msnp_value_table *msnp_value_table_at(size_t i)
{
    return i < N(tables) ? &tables[i].table : NULL;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int equal_nocase(const char *a, const uint8_t *b, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (a[i] == '\0' || lower((unsigned char)a[i]) != lower(b[i]))
            return 0;
    return a[len] == '\0';
}

const char *msnp_value_text(const msnp_value_table *t, const uint8_t *v, size_t len)
{
    if (!t)
        return NULL;
    int ci = 0;
    for (size_t i = 0; i < N(tables); i++)
        if (&tables[i].table == t)
            ci = tables[i].case_insensitive;
    for (size_t i = 0; i < t->count; i++) {
        const char *w = t->values[i].value;
        if (ci ? equal_nocase(w, v, len) : strlen(w) == len && memcmp(w, v, len) == 0)
            return t->values[i].text;
    }
    return NULL;
}

/* §3.2 list bit mask of LST (and of later versions' lists field). */
const msnp_bit_name msnp_list_bits[] = {
    {0x1, "FL", "forward list (contacts)"},
    {0x2, "AL", "allow list"},
    {0x4, "BL", "block list"},
    {0x8, "RL", "reverse list (people who have you as a contact)"},
};
const size_t msnp_list_bits_count = N(msnp_list_bits);

/* §3.3 client id ("client capabilities") of CHG/ILN/NLN, a decimal bit field.
 * The top nibble (0xF0000000) is not a flag: it is the MSNC (P2P) version,
 * 1 = MSNC1 (Messenger 6.0), 2 = 6.1, 3 = 6.2, 4 = 7.0, 5 = 7.5; meaning.c
 * renders it before these bits. MSNP8 only defines the field: MSN Messenger
 * 5.0 sends small values and no MSNC version.
 *
 * 0x01-0x200 are the bits of the reference (Gaim/Pidgin headers); where the
 * reference says "unknown" (0x02) later client headers call it "MSN Explorer 8
 * user", noted in the text. The bits from 0x800 up are later-era flags ([L] in
 * the reference), named as in Pidgin's and msn-pecan's headers. */
const msnp_bit_name msnp_capability_bits[] = {
    {0x00000001, "mobile", "client is Windows Mobile / a mobile device"},
    {0x00000002, "unknown-0x2",
     "unknown (later client headers: MSN Explorer 8 user, uncertain)"},
    {0x00000004, "ink-gif", "can view Ink as GIF"},
    {0x00000008, "ink-isf", "can view and send Ink in ISF format"},
    {0x00000010, "webcam", "webcam present"},
    {0x00000020, "multipacket", "supports multi-packet messages"},
    {0x00000040, "msn-mobile", "MSN Mobile device"},
    {0x00000080, "msn-direct", "MSN Direct device"},
    {0x00000200, "web-messenger", "Web Messenger"},
    {0x00000800, "tgw", "connected through TGW, an internal/Office Live client (later era)"},
    {0x00001000, "space", "has an MSN Space (later era)"},
    {0x00002000, "mce", "Windows XP Media Center Edition user (later era)"},
    {0x00004000, "directim", "supports direct IM (later era)"},
    {0x00008000, "winks", "supports winks (later era)"},
    {0x00010000, "search", "supports shared search (later era)"},
    {0x00020000, "bot", "is a bot (later era)"},
    {0x00040000, "voiceim", "supports voice clips (later era)"},
    {0x00080000, "schannel", "supports secure channel (later era)"},
    {0x00100000, "sip-invite", "supports SIP invitations (later era)"},
    {0x00200000, "tunneled-sip", "supports tunnelled SIP (later era)"},
    {0x00400000, "sdrive", "supports shared folders (later era)"},
    {0x01000000, "onecare", "has OneCare (later era)"},
    {0x02000000, "p2p-turn", "P2P supports TURN (later era)"},
    {0x04000000, "p2p-uun", "P2P bootstrap via UUN (later era)"},
};
const size_t msnp_capability_bits_count = N(msnp_capability_bits);
