/* The field vocabulary of decoded payload values (payload.h): one row per
 * name, in msnp_vocab_id order. The Wireshark plugin registers its fields from
 * these rows; msnpdump names its JSON keys after them ("msnp.invite.cookie" is
 * invite.cookie). docs/payloads.md lists them; a unit test keeps it complete. */
#include <string.h>

#include "msnp/payload.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define S MSNP_VT_STRING, 0
#define U8 MSNP_VT_UINT, 8
#define U16 MSNP_VT_UINT, 16
#define U32 MSNP_VT_UINT, 32
#define U64 MSNP_VT_UINT, 64
#define H8 MSNP_VT_HEX, 8
#define H32 MSNP_VT_HEX, 32
#define H64 MSNP_VT_HEX, 64
#define I32 MSNP_VT_INT, 32
#define B MSNP_VT_BOOL, 0
#define T MSNP_VT_TIME, 64
#define BY MSNP_VT_BYTES, 0
#define ROW(id, name, type, table, label, desc) [id] = {name, type, 0, table, label, desc}
#define KEYED(id, name, type, table, label, desc) [id] = {name, type, 1, table, label, desc}

static const msnp_vocab_field vocab[] = {
    /* MIME structure and the message as a whole (§6.1) */
    ROW(MSNP_V_MIME_CONTENT_TYPE, "msnp.mime.content_type", S, NULL, "Content type",
        "media type of an MSG payload, without parameters"),
    ROW(MSNP_V_MIME_CHARSET, "msnp.mime.charset", S, NULL, "Charset",
        "charset parameter of Content-Type (none on text/plain means ISO-8859-1)"),
    KEYED(MSNP_V_MIME_HEADER, "msnp.mime.header", S, NULL, "Header",
          "a MIME header line; the key is its name"),
    KEYED(MSNP_V_MIME_BODY_FIELD, "msnp.mime.body_field", S, NULL, "Body field",
          "a Name: value line of a body that is a field block (invitation, mail notice, "
          "system message, client caps, datacast, MSNP11+ notices); the key is its name"),
    ROW(MSNP_V_MIME_USER_AGENT, "msnp.mime.user_agent", S, NULL, "User agent",
        "User-Agent header sent by third-party clients"),
    ROW(MSNP_V_MIME_P4_CONTEXT, "msnp.mime.p4_context", S, NULL, "P4 context",
        "P4-Context header: a display name overriding the sender's (one source)"),
    ROW(MSNP_V_MIME_MESSAGE_ID, "msnp.mime.message_id", S, NULL, "Message ID",
        "Message-ID of a long message split into chunks by a later client"),
    ROW(MSNP_V_MIME_CHUNKS, "msnp.mime.chunks", S, NULL, "Chunks",
        "number of chunks of a split message (later clients)"),
    ROW(MSNP_V_MIME_CHUNK, "msnp.mime.chunk", S, NULL, "Chunk",
        "index of this chunk of a split message (later clients)"),
    ROW(MSNP_V_MSG_KIND, "msnp.msg.kind", S, NULL, "Message kind",
        "what the payload is: text, typing, invite, profile, mail_initial, mail_new, "
        "mail_active, system, clientcaps, or a later type (p2p, emoticon, ...)"),
    ROW(MSNP_V_MSG_SINCE, "msnp.msg.since", S, NULL, "Since",
        "for content types of later protocol versions: the versions they belong to"),
    ROW(MSNP_V_MSG_TEXT, "msnp.msg.text", S, NULL, "Text",
        "the text of an instant message, as UTF-8 (ISO-8859-1 bodies converted)"),
    ROW(MSNP_V_PAYLOAD_ISSUE, "msnp.payload.issue", S, NULL, "Issue",
        "something malformed or unusual in a payload, in plain words"),

    /* X-MMS-IM-Format (§6.3) */
    ROW(MSNP_V_FORMAT_FONT, "msnp.format.font", S, NULL, "Font",
        "font face (FN), URL-decoded"),
    ROW(MSNP_V_FORMAT_EFFECTS, "msnp.format.effects", S, NULL, "Effects",
        "effects letters (EF) as sent: B bold, I italic, U underline, S strike-through"),
    ROW(MSNP_V_FORMAT_BOLD, "msnp.format.bold", B, NULL, "Bold", "EF contains B"),
    ROW(MSNP_V_FORMAT_ITALIC, "msnp.format.italic", B, NULL, "Italic", "EF contains I"),
    ROW(MSNP_V_FORMAT_UNDERLINE, "msnp.format.underline", B, NULL, "Underline",
        "EF contains U"),
    ROW(MSNP_V_FORMAT_STRIKEOUT, "msnp.format.strikeout", B, NULL, "Strike-through",
        "EF contains S"),
    ROW(MSNP_V_FORMAT_COLOR, "msnp.format.color", H32, NULL, "Colour",
        "text colour as 0xRRGGBB (CO is a BGR COLORREF; converted)"),
    ROW(MSNP_V_FORMAT_CHARSET, "msnp.format.charset", H8, "format_charset", "Font charset",
        "Windows charset byte (CS)"),
    ROW(MSNP_V_FORMAT_PITCH_FAMILY, "msnp.format.pitch_family", H8, NULL, "Pitch and family",
        "Windows pitch-and-family byte (PF)"),
    ROW(MSNP_V_FORMAT_FAMILY, "msnp.format.family", U8, "format_family", "Font family",
        "high nibble of PF"),
    ROW(MSNP_V_FORMAT_PITCH, "msnp.format.pitch", U8, "format_pitch", "Font pitch",
        "low nibble of PF"),
    ROW(MSNP_V_FORMAT_RTL, "msnp.format.rtl", B, NULL, "Right to left",
        "RL=1: right-to-left text (one source)"),

    /* typing (§6.3) */
    ROW(MSNP_V_TYPING_USER, "msnp.typing.user", S, NULL, "Typing user",
        "handle of the participant who is typing (TypingUser)"),

    /* invitations (§6.3) */
    ROW(MSNP_V_INVITE_COMMAND, "msnp.invite.command", S, NULL, "Invitation command",
        "INVITE, ACCEPT or CANCEL"),
    ROW(MSNP_V_INVITE_COOKIE, "msnp.invite.cookie", U32, NULL, "Invitation cookie",
        "ties the INVITE, ACCEPT and CANCEL messages of one invitation together"),
    ROW(MSNP_V_INVITE_APP_NAME, "msnp.invite.app_name", S, NULL, "Application name",
        "human name of the application (Application-Name)"),
    ROW(MSNP_V_INVITE_APP_GUID, "msnp.invite.app_guid", S, "app_guid", "Application GUID",
        "the application invited to (Application-GUID)"),
    ROW(MSNP_V_INVITE_FILE_TRANSFER, "msnp.invite.file_transfer", B, NULL, "File transfer",
        "the invitation is an MSNFTP file transfer"),
    ROW(MSNP_V_INVITE_SESSION_PROTOCOL, "msnp.invite.session_protocol", S, NULL,
        "Session protocol", "Session-Protocol (SM1) of non-file-transfer invitations"),
    ROW(MSNP_V_INVITE_SESSION_ID, "msnp.invite.session_id", S, NULL, "Session ID",
        "Session-ID {GUID} of the out-of-band session"),
    ROW(MSNP_V_INVITE_FILE, "msnp.invite.file", S, NULL, "File name",
        "name of the file offered (Application-File, UTF-8)"),
    ROW(MSNP_V_INVITE_SIZE, "msnp.invite.size", U64, NULL, "File size",
        "size of the file offered, in bytes (Application-FileSize)"),
    ROW(MSNP_V_INVITE_CONNECTIVITY, "msnp.invite.connectivity", S, NULL, "Connectivity",
        "N: the inviter cannot accept incoming connections"),
    ROW(MSNP_V_INVITE_LAUNCH_APPLICATION, "msnp.invite.launch_application", S, NULL,
        "Launch application", "Launch-Application of an ACCEPT (FALSE for file transfer)"),
    ROW(MSNP_V_INVITE_REQUEST_DATA, "msnp.invite.request_data", S, NULL, "Request data",
        "Request-Data of an ACCEPT (IP-Address: asks for the other side's address)"),
    ROW(MSNP_V_INVITE_IP, "msnp.invite.ip", S, NULL, "IP address",
        "public address the other side should connect to (IP-Address)"),
    ROW(MSNP_V_INVITE_IP_INTERNAL, "msnp.invite.ip_internal", S, NULL, "Internal IP address",
        "LAN address (IP-Address-Internal)"),
    ROW(MSNP_V_INVITE_PORT, "msnp.invite.port", U16, NULL, "Port",
        "TCP port to connect to (MSNFTP default 6891)"),
    ROW(MSNP_V_INVITE_PORTX, "msnp.invite.portx", U16, NULL, "PortX",
        "Port XOR 0x3141, as sent"),
    ROW(MSNP_V_INVITE_PORTX_OK, "msnp.invite.portx_ok", B, NULL, "PortX agrees",
        "PortX equals Port XOR 0x3141"),
    ROW(MSNP_V_INVITE_PORTX_INTERNAL, "msnp.invite.portx_internal", U16, NULL,
        "PortX internal", "internal port XOR 0x3141, as sent (PortX-Internal)"),
    ROW(MSNP_V_INVITE_PORT_INTERNAL, "msnp.invite.port_internal", U16, NULL, "Internal port",
        "the LAN port: PortX-Internal XOR 0x3141"),
    ROW(MSNP_V_INVITE_AUTH_COOKIE, "msnp.invite.auth_cookie", U64, NULL, "Auth cookie",
        "AuthCookie, repeated in the MSNFTP USR line"),
    ROW(MSNP_V_INVITE_SENDER_CONNECT, "msnp.invite.sender_connect", S, NULL, "Sender connect",
        "TRUE: the receiver listens and the sender connects"),
    ROW(MSNP_V_INVITE_CANCEL_CODE, "msnp.invite.cancel_code", S, "cancel_code", "Cancel code",
        "why the invitation was cancelled"),
    ROW(MSNP_V_INVITE_CONTEXT_DATA, "msnp.invite.context_data", S, NULL, "Context data",
        "Context-Data of voice invitations (one source)"),
    ROW(MSNP_V_INVITE_CONN_TYPE, "msnp.invite.conn_type", S, NULL, "Connection type",
        "Conn-Type of voice invitations (one source)"),
    ROW(MSNP_V_INVITE_SIP_CAPABILITY, "msnp.invite.sip_capability", S, NULL, "SIP capability",
        "Sip-Capability of voice invitations (one source)"),
    ROW(MSNP_V_INVITE_PUBLIC_IP, "msnp.invite.public_ip", S, NULL, "Public IP",
        "Public-IP of voice invitations (one source)"),
    ROW(MSNP_V_INVITE_PRIVATE_IP, "msnp.invite.private_ip", S, NULL, "Private IP",
        "Private-IP of voice invitations (one source)"),
    ROW(MSNP_V_INVITE_AVM_SUPPORT, "msnp.invite.avm_support", S, NULL, "AVM support",
        "Avm-Support of voice invitations (one source)"),
    ROW(MSNP_V_INVITE_AVM_REQUEST, "msnp.invite.avm_request", S, NULL, "AVM request",
        "Avm-Request of voice invitations (one source)"),

    /* login profile (§6.2) */
    ROW(MSNP_V_PROFILE_LOGIN_TIME, "msnp.profile.login_time", T, NULL, "Login time",
        "time of the login (LoginTime, Unix time)"),
    ROW(MSNP_V_PROFILE_EMAIL_ENABLED, "msnp.profile.email_enabled", U32, NULL,
        "E-mail enabled", "1: the account has a Hotmail/MSN mailbox"),
    ROW(MSNP_V_PROFILE_MEMBER_ID_HIGH, "msnp.profile.member_id_high", H32, NULL,
        "Member ID high", "high 32 bits of the Passport member ID (MemberIdHigh)"),
    ROW(MSNP_V_PROFILE_MEMBER_ID_LOW, "msnp.profile.member_id_low", H32, NULL,
        "Member ID low", "low 32 bits of the Passport member ID (MemberIdLow; written "
                         "signed or unsigned, uncertain)"),
    ROW(MSNP_V_PROFILE_MEMBER_ID, "msnp.profile.member_id", H64, NULL, "Member ID",
        "the Passport member ID: MemberIdHigh and MemberIdLow as one 64-bit number"),
    ROW(MSNP_V_PROFILE_LANG_PREFERENCE, "msnp.profile.lang_preference", U32, "lcid",
        "Language", "preferred language as a decimal Windows LCID"),
    ROW(MSNP_V_PROFILE_PREFERRED_EMAIL, "msnp.profile.preferred_email", S, NULL,
        "Preferred e-mail", "preferredEmail"),
    ROW(MSNP_V_PROFILE_COUNTRY, "msnp.profile.country", S, NULL, "Country", "Passport country"),
    ROW(MSNP_V_PROFILE_POSTAL_CODE, "msnp.profile.postal_code", S, NULL, "Postal code",
        "Passport postal code"),
    ROW(MSNP_V_PROFILE_GENDER, "msnp.profile.gender", S, NULL, "Gender", "Passport gender"),
    ROW(MSNP_V_PROFILE_KID, "msnp.profile.kid", U32, NULL, "Kid", "1: a kids Passport"),
    ROW(MSNP_V_PROFILE_AGE, "msnp.profile.age", S, NULL, "Age", "Passport age"),
    ROW(MSNP_V_PROFILE_BDAY_PRE, "msnp.profile.bday_pre", S, NULL, "BDayPre",
        "Passport BDayPre"),
    ROW(MSNP_V_PROFILE_BIRTHDAY, "msnp.profile.birthday", S, NULL, "Birthday",
        "Passport birthday"),
    ROW(MSNP_V_PROFILE_WALLET, "msnp.profile.wallet", S, NULL, "Wallet", "Passport wallet"),
    ROW(MSNP_V_PROFILE_FLAGS, "msnp.profile.flags", H32, NULL, "Passport flags",
        "Passport flags bit field"),
    ROW(MSNP_V_PROFILE_SID, "msnp.profile.sid", U32, NULL, "Site ID", "Passport site id (507)"),
    ROW(MSNP_V_PROFILE_KV, "msnp.profile.kv", U32, NULL, "Key version", "Passport key version"),
    ROW(MSNP_V_PROFILE_MSPAUTH, "msnp.profile.mspauth", S, NULL, "MSPAuth",
        "Passport authentication cookie: sensitive"),
    ROW(MSNP_V_PROFILE_CLIENT_IP, "msnp.profile.client_ip", S, NULL, "Client IP",
        "the client's public address as the server saw it"),
    ROW(MSNP_V_PROFILE_CLIENT_PORT, "msnp.profile.client_port", U16, NULL, "Client port",
        "the client's public port: ClientPort with its two bytes swapped back (one source)"),
    ROW(MSNP_V_PROFILE_CLIENT_PORT_WIRE, "msnp.profile.client_port_wire", U16, NULL,
        "Client port (as sent)", "ClientPort as written, byte-swapped"),
    ROW(MSNP_V_PROFILE_ABCH_MIGRATED, "msnp.profile.abch_migrated", S, NULL, "ABCH migrated",
        "ABCHMigrated (MSNP10+)"),
    ROW(MSNP_V_PROFILE_MPOP_ENABLED, "msnp.profile.mpop_enabled", S, NULL, "MPOP enabled",
        "MPOPEnabled (MSNP16+)"),

    /* mail notifications (§6.2) */
    ROW(MSNP_V_MAIL_INBOX_UNREAD, "msnp.mail.inbox_unread", U32, NULL, "Inbox unread",
        "unread messages in the inbox"),
    ROW(MSNP_V_MAIL_FOLDERS_UNREAD, "msnp.mail.folders_unread", U32, NULL, "Folders unread",
        "unread messages in other folders"),
    ROW(MSNP_V_MAIL_INBOX_URL, "msnp.mail.inbox_url", S, NULL, "Inbox URL", "Inbox-URL"),
    ROW(MSNP_V_MAIL_FOLDERS_URL, "msnp.mail.folders_url", S, NULL, "Folders URL",
        "Folders-URL"),
    ROW(MSNP_V_MAIL_POST_URL, "msnp.mail.post_url", S, NULL, "Post URL", "Post-URL"),
    ROW(MSNP_V_MAIL_FROM, "msnp.mail.from", S, NULL, "From", "sender's name of a new message"),
    ROW(MSNP_V_MAIL_MESSAGE_URL, "msnp.mail.message_url", S, NULL, "Message URL",
        "Message-URL"),
    ROW(MSNP_V_MAIL_SUBJECT, "msnp.mail.subject", S, NULL, "Subject",
        "subject of a new message, RFC 2047 decoded"),
    ROW(MSNP_V_MAIL_DEST_FOLDER, "msnp.mail.dest_folder", S, NULL, "Destination folder",
        "Dest-Folder"),
    ROW(MSNP_V_MAIL_FROM_ADDR, "msnp.mail.from_addr", S, NULL, "From address",
        "sender's address of a new message"),
    ROW(MSNP_V_MAIL_ID, "msnp.mail.id", S, NULL, "Mail id", "id of a new-mail notice"),
    ROW(MSNP_V_MAIL_SRC_FOLDER, "msnp.mail.src_folder", S, NULL, "Source folder",
        "Src-Folder of moved or deleted mail"),
    ROW(MSNP_V_MAIL_MESSAGE_DELTA, "msnp.mail.message_delta", I32, NULL, "Message delta",
        "Message-Delta of moved or deleted mail"),

    /* system message (§6.2) */
    ROW(MSNP_V_SYSTEM_TYPE, "msnp.system.type", U32, "system_type", "System message type",
        "Type of a system message (1: maintenance)"),
    ROW(MSNP_V_SYSTEM_ARG1, "msnp.system.arg1", U32, NULL, "System message argument",
        "Arg1 (Type 1: minutes until the maintenance)"),

    /* client caps (§6.3) */
    ROW(MSNP_V_CAPS_CLIENT_NAME, "msnp.caps.client_name", S, NULL, "Client name",
        "Client-Name of a text/x-clientcaps message"),
    ROW(MSNP_V_CAPS_CHAT_LOGGING, "msnp.caps.chat_logging", S, NULL, "Chat logging",
        "Chat-Logging: Y, N or S"),

    /* P2P (§6.3, later versions) */
    ROW(MSNP_V_P2P_DEST, "msnp.p2p.dest", S, NULL, "P2P destination", "P2P-Dest header"),
    ROW(MSNP_V_P2P_SESSION_ID, "msnp.p2p.session_id", U32, NULL, "Session ID",
        "P2P SessionID (0: MSNSLP text)"),
    ROW(MSNP_V_P2P_IDENTIFIER, "msnp.p2p.identifier", U32, NULL, "Identifier", "P2P Identifier"),
    ROW(MSNP_V_P2P_OFFSET, "msnp.p2p.offset", U64, NULL, "Offset", "P2P Offset"),
    ROW(MSNP_V_P2P_TOTAL_SIZE, "msnp.p2p.total_size", U64, NULL, "Total size",
        "P2P TotalSize"),
    ROW(MSNP_V_P2P_MESSAGE_LENGTH, "msnp.p2p.message_length", U32, NULL, "Message length",
        "P2P MessageLength"),
    ROW(MSNP_V_P2P_FLAGS, "msnp.p2p.flags", H32, NULL, "Flags", "P2P Flags"),
    ROW(MSNP_V_P2P_ACK_IDENTIFIER, "msnp.p2p.ack_identifier", U32, NULL, "Ack identifier",
        "P2P AckIdentifier"),
    ROW(MSNP_V_P2P_ACK_UNIQUE_ID, "msnp.p2p.ack_unique_id", U32, NULL, "Ack unique ID",
        "P2P AckUniqueID"),
    ROW(MSNP_V_P2P_ACK_DATA_SIZE, "msnp.p2p.ack_data_size", U64, NULL, "Ack data size",
        "P2P AckDataSize"),
    ROW(MSNP_V_P2P_DATA, "msnp.p2p.data", BY, NULL, "Data", "P2P data after the 48-byte header"),
    ROW(MSNP_V_P2P_SLP, "msnp.p2p.slp", S, NULL, "MSNSLP request",
        "first line of the MSNSLP text of session 0"),
    ROW(MSNP_V_P2P_APP_ID, "msnp.p2p.app_id", U32, NULL, "Application ID",
        "the 4-byte big-endian footer"),

    /* other later types (§6.3) */
    ROW(MSNP_V_EMOTICON_SHORTCUT, "msnp.emoticon.shortcut", S, NULL, "Emoticon shortcut",
        "text a custom emoticon stands for"),
    ROW(MSNP_V_EMOTICON_OBJECT, "msnp.emoticon.object", S, NULL, "Emoticon object",
        "the msnobj describing a custom emoticon"),
    ROW(MSNP_V_DATACAST_ID, "msnp.datacast.id", U32, "datacast_id", "Datacast ID",
        "what a datacast is (1: nudge)"),

    /* NOT / IPG (§3.6) */
    ROW(MSNP_V_NOTIFICATION_VER, "msnp.notification.ver", S, NULL, "Version",
        "NOTIFICATION ver"),
    ROW(MSNP_V_NOTIFICATION_ID, "msnp.notification.id", S, NULL, "Notification id",
        "NOTIFICATION id (an IPG answering a PAG carries the PAG's TrID; one source)"),
    ROW(MSNP_V_NOTIFICATION_SITE_ID, "msnp.notification.site_id", S, NULL, "Site id",
        "NOTIFICATION siteid"),
    ROW(MSNP_V_NOTIFICATION_SITE_URL, "msnp.notification.site_url", S, NULL, "Site URL",
        "NOTIFICATION siteurl"),
    ROW(MSNP_V_NOTIFICATION_TO_PID, "msnp.notification.to_pid", S, NULL, "To pid", "TO pid"),
    ROW(MSNP_V_NOTIFICATION_TO_NAME, "msnp.notification.to_name", S, NULL, "To", "TO name"),
    ROW(MSNP_V_NOTIFICATION_FROM_PID, "msnp.notification.from_pid", S, NULL, "From pid",
        "FROM pid"),
    ROW(MSNP_V_NOTIFICATION_FROM_NAME, "msnp.notification.from_name", S, NULL, "From",
        "FROM name"),
    ROW(MSNP_V_NOTIFICATION_MSG_ID, "msnp.notification.msg_id", S, NULL, "Message id",
        "MSG id"),
    ROW(MSNP_V_NOTIFICATION_ACTION_URL, "msnp.notification.action_url", S, NULL, "Action URL",
        "ACTION url"),
    ROW(MSNP_V_NOTIFICATION_SUBSCR_URL, "msnp.notification.subscr_url", S, NULL,
        "Subscription URL", "SUBSCR url"),
    ROW(MSNP_V_NOTIFICATION_CAT_ID, "msnp.notification.cat_id", S, NULL, "Category id",
        "CAT id"),
    ROW(MSNP_V_NOTIFICATION_LANG, "msnp.notification.lang", S, "lcid", "Language",
        "BODY lang (a decimal LCID)"),
    ROW(MSNP_V_NOTIFICATION_ICON, "msnp.notification.icon", S, NULL, "Icon", "BODY icon"),
    ROW(MSNP_V_NOTIFICATION_TEXT, "msnp.notification.text", S, NULL, "Text",
        "the alert or page text, entities decoded"),
    ROW(MSNP_V_NOTIFICATION_TEXTX, "msnp.notification.textx", S, NULL, "TEXTX",
        "TEXTX content (MSNP9+)"),

    /* PAG (§3.6) */
    ROW(MSNP_V_PAGE_PHONE_PRI, "msnp.page.phone_pri", S, NULL, "Phone priority", "PHONE pri"),
    ROW(MSNP_V_PAGE_LOCATION, "msnp.page.location", S, NULL, "Call-back location",
        "LOC of the call-back number (HOME, WORK, MOBILE)"),
    ROW(MSNP_V_PAGE_NUMBER, "msnp.page.number", S, NULL, "Call-back number", "NUM"),
    ROW(MSNP_V_PAGE_TEXT, "msnp.page.text", S, NULL, "Page text",
        "the page text, entities decoded"),
    ROW(MSNP_V_PAGE_TEXT_ENC, "msnp.page.text_enc", S, NULL, "Page text encoding",
        "TEXT enc attribute (shown in some write-ups; uncertain)"),

    /* SDC (§3.6) */
    ROW(MSNP_V_SDC_TEXT, "msnp.sdc.text", S, NULL, "Invitation text",
        "text of the e-mail invitation to join Messenger"),

    /* QRY (§3.4) */
    ROW(MSNP_V_QRY_CLIENT_ID, "msnp.qry.client_id", S, NULL, "Client id",
        "product id on the QRY line"),
    ROW(MSNP_V_QRY_ANSWER, "msnp.qry.answer", S, NULL, "Answer", "the 32 hex digits sent"),
    ROW(MSNP_V_QRY_EXPECTED, "msnp.qry.expected", S, NULL, "Expected answer",
        "the answer computed from the challenge and the client's key"),
    ROW(MSNP_V_QRY_VERIFIED, "msnp.qry.verified", B, NULL, "Verified",
        "the answer is right for the claimed client (absent when it cannot be checked)"),
    ROW(MSNP_V_QRY_STATUS, "msnp.qry.status", S, NULL, "Check",
        "verified, wrong, unknown client, malformed or no challenge"),
    ROW(MSNP_V_QRY_CLIENT, "msnp.qry.client", S, NULL, "Claimed client",
        "the client the product id belongs to"),
    ROW(MSNP_V_QRY_SINCE, "msnp.qry.since", S, NULL, "Since",
        "for product ids of later versions: the versions they belong to"),

    /* MSNFTP (§7) */
    ROW(MSNP_V_FTP_SIZE, "msnp.ftp.size", U64, NULL, "File size", "size announced by FIL"),
    ROW(MSNP_V_FTP_AUTH_COOKIE, "msnp.ftp.auth_cookie", U64, NULL, "Auth cookie",
        "cookie of the USR line (the invitation's AuthCookie)"),
    ROW(MSNP_V_FTP_BLOCKS, "msnp.ftp.blocks", U64, NULL, "Blocks", "data blocks received"),
    ROW(MSNP_V_FTP_BYTES, "msnp.ftp.bytes", U64, NULL, "Bytes", "file bytes received"),
    ROW(MSNP_V_FTP_MISSING, "msnp.ftp.missing", U64, NULL, "Bytes missing",
        "file bytes lost in the capture"),
    ROW(MSNP_V_FTP_MD5, "msnp.ftp.md5", S, NULL, "MD5",
        "MD5 of the file, when every byte was seen"),
    ROW(MSNP_V_FTP_OUTCOME, "msnp.ftp.outcome", S, NULL, "Outcome",
        "complete, incomplete, aborted (0x01 block), cancelled (CCL) or pending"),
    ROW(MSNP_V_FTP_BYE_CODE, "msnp.ftp.bye_code", U64, "ftp_bye", "BYE code",
        "the receiver's BYE code"),
};
_Static_assert(N(vocab) == MSNP_V_COUNT, "one vocabulary row per msnp_vocab_id");

const msnp_vocab_field *msnp_vocab(msnp_vocab_id id)
{
    return (size_t)id < N(vocab) ? &vocab[id] : NULL;
}

const msnp_vocab_field *msnp_vocab_find(const char *name)
{
    for (size_t i = 0; i < N(vocab); i++)
        if (vocab[i].name && strcmp(vocab[i].name, name) == 0)
            return &vocab[i];
    return NULL;
}
