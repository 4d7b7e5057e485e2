/* The command table (protocol reference §3 NS, §5 SB, §7 MSNFTP, §2.5 other
 * versions). Rows are sorted by name (a test checks it), one per name.
 * See commands.h for what each field means and for the `match`, `args` and
 * `meaning` mini-languages; meaning.c renders the templates ({name},
 * {name...}, {name:table}, optional [ ... ] segments).
 *
 * Conventions of this file:
 *  - Within a command, forms are ordered most specific first: the parser takes
 *    the first matching form for the meaning and the union of all matching
 *    forms as evidence of role and direction. TrID-0 (asynchronous) forms come
 *    before the reply forms they would otherwise shadow.
 *  - A template refers to an optional argument (index >= min_args) only inside
 *    an optional [ ... ] segment. tests/unit/test_tables.c checks this, that
 *    every example line frames and parses to exactly its own form, and that a
 *    form's last argument is `payload_len` exactly when the framer takes a
 *    payload for its example line.
 *  - Uncertainty tagged [?] or [1] in the reference stays visible in the
 *    wording ("uncertain", "one source").
 *  - Later-version forms (MSNP_ERA_LATER) are recognised and labelled, not
 *    decoded in depth; the renderer prefixes their meaning with
 *    "not MSNP8 (since)". */
#include "internal.h"
#include "msnp/commands.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define V MSNP_ARGS_VARIADIC

/* ---- ACK (SB) ------------------------------------------------------------ */
static const msnp_form ack_forms[] = {
    {MSNP_R_SB, MSNP_D_S2C, MSNP_TRID_PRESENT, 0, 0, 0, MSNP_ERA_MSNP8, NULL, "",
     "",
     "switchboard confirms that the message sent with this TrID was delivered",
     "ACK 5"},
};

/* ---- ADC (NS, MSNP10+) --------------------------------------------------- */
static const msnp_form adc_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_ZERO, 2, V, MSNP_F_ASYNC, MSNP_ERA_LATER, "MSNP10+",
     "RL",
     "list contact_fields...",
     "someone added you to their contact list (reverse list): {contact_fields...}",
     "ADC 0 RL N=erin@hotmail.com F=Erin"},
    {MSNP_R_NS, MSNP_D_ANY, MSNP_TRID_PRESENT, 2, V, 0, MSNP_ERA_LATER, "MSNP10+",
     "FL|AL|BL|RL",
     "list contact_fields...",
     "adds a contact to the {list:list} (request or confirmation): {contact_fields...}",
     "ADC 16 FL N=dave@hotmail.com F=Dave"},
};

/* ---- ADD (NS) ------------------------------------------------------------ */
static const msnp_form add_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_ZERO, 4, 4, MSNP_F_ASYNC, MSNP_ERA_MSNP8, NULL,
     "RL # * *",
     "list list_version user nick%",
     "{user} ({nick}) added you to their contact list, so they are now on your reverse "
     "list (list version {list_version})",
     "ADD 0 RL 30 erin@hotmail.com Erin"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_ZERO, 4, 5, MSNP_F_ASYNC, MSNP_ERA_MSNP8, NULL,
     "FL|AL|BL # * *",
     "list list_version user nick% group_id",
     "{user} ({nick}) was added to your {list:list}[ in group {group_id}] from outside "
     "this connection, e.g. a web page (or this answers a request sent with TrID 0; list "
     "version {list_version})",
     "ADD 0 AL 31 frank@hotmail.com frank@hotmail.com"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 4, 4, 0, MSNP_ERA_MSNP8, NULL,
     "FL !# * #",
     "list user nick% group_id",
     "client adds {user} to its contact list (forward list) in group {group_id}, under "
     "the name {nick}",
     "ADD 13 FL dave@hotmail.com dave@hotmail.com 0"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 3, 3, 0, MSNP_ERA_MSNP8, NULL,
     "FL|AL|BL !# *",
     "list user nick%",
     "client adds {user} to its {list:list}, under the name {nick}",
     "ADD 14 AL dave@hotmail.com dave@hotmail.com"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 5, 5, 0, MSNP_ERA_MSNP8, NULL,
     "FL # * * #",
     "list list_version user nick% group_id",
     "server confirms {user} ({nick}) is on the forward list in group {group_id} (list "
     "version {list_version})",
     "ADD 13 FL 28 dave@hotmail.com dave@hotmail.com 0"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 4, 4, 0, MSNP_ERA_MSNP8, NULL,
     "FL|AL|BL # * *",
     "list list_version user nick%",
     "server confirms {user} ({nick}) is on the {list:list} (list version {list_version})",
     "ADD 14 AL 29 dave@hotmail.com dave@hotmail.com"},
};

/* ---- ADG (NS) ------------------------------------------------------------ */
static const msnp_form adg_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_MSNP8, NULL,
     "* 0",
     "group_name% reserved",
     "client creates a contact group named {group_name}",
     "ADG 15 Family 0"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 4, 4, 0, MSNP_ERA_MSNP8, NULL,
     "# * # 0",
     "list_version group_name% group_id reserved",
     "server created group {group_id}, {group_name} (list version {list_version})",
     "ADG 15 31 Family 2 0"},
};

/* ---- ADL (NS, MSNP13+) --------------------------------------------------- */
static const msnp_form adl_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_ZERO, 1, 1, MSNP_F_ASYNC, MSNP_ERA_LATER, "MSNP13+",
     "#",
     "payload_len",
     "server announces contacts added to your lists from elsewhere (e.g. someone added "
     "you) in an XML list of {payload_len:bytes}",
     "ADL 0 86"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_LATER, "MSNP13+",
     "OK",
     "result",
     "server accepts the contact-list upload",
     "ADL 12 OK"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_LATER, "MSNP13+",
     "#",
     "payload_len",
     "client uploads its contact list, or additions to it, as an XML document of "
     "{payload_len:bytes}",
     "ADL 12 138"},
};

/* ---- ANS (SB) ------------------------------------------------------------ */
static const msnp_form ans_forms[] = {
    {MSNP_R_SB, MSNP_D_C2S, MSNP_TRID_PRESENT, 3, 3, 0, MSNP_ERA_MSNP8, NULL,
     "* * #",
     "user cookie session_id",
     "{user} answers an invitation: joins switchboard session {session_id} with the "
     "cookie {cookie} received in RNG",
     "ANS 1 bob@hotmail.com 849102291.520491113 11752013"},
    {MSNP_R_SB, MSNP_D_S2C, MSNP_TRID_PRESENT, 1, 1, MSNP_F_ENDS_REPLY, MSNP_ERA_MSNP8, NULL,
     "OK",
     "result",
     "switchboard confirms the join; the roster of participants (IRO lines) is complete",
     "ANS 1 OK"},
};

/* ---- BLP (NS) ------------------------------------------------------------ */
static const msnp_form blp_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 1, 1, MSNP_F_SYN_DUMP, MSNP_ERA_MSNP8, NULL,
     "AL|BL",
     "privacy",
     "contact-list dump: privacy mode: {privacy:blp}",
     "BLP AL"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_MSNP8, NULL,
     "AL|BL",
     "privacy",
     "client sets its privacy mode: {privacy:blp}",
     "BLP 17 BL"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_MSNP8, NULL,
     "# AL|BL",
     "list_version privacy",
     "server confirms the privacy mode: {privacy:blp} (list version {list_version})",
     "BLP 17 33 BL"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_LATER, "MSNP10+",
     "AL|BL",
     "privacy",
     "server confirms the privacy mode: {privacy:blp} (reply without a list version)",
     "BLP 17 BL"},
};

/* ---- BPR (NS) ------------------------------------------------------------ */
static const msnp_form bpr_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 2, 2, MSNP_F_SYN_DUMP, MSNP_ERA_MSNP8, NULL,
     "!# *",
     "property value%",
     "contact-list dump: the preceding contact's {property:property} is {value}",
     "BPR PHH 555%20987%206543"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 1, 1, MSNP_F_SYN_DUMP, MSNP_ERA_MSNP8, NULL,
     "!#",
     "property",
     "contact-list dump: the preceding contact's {property:property}, without a value",
     "BPR MOB"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 4, 4, MSNP_F_ASYNC, MSNP_ERA_MSNP8, NULL,
     "# * !# *",
     "list_version user property value%",
     "{user}'s {property:property} is now {value} (list version {list_version})",
     "BPR 256 bob@hotmail.com PHH 1%20(555)%20010%201234"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 3, 3, MSNP_F_ASYNC, MSNP_ERA_MSNP8, NULL,
     "# * !#",
     "list_version user property",
     "{user}'s {property:property} has no value (list version {list_version})",
     "BPR 257 bob@hotmail.com PHW"},
};

/* ---- BYE (SB, MSNFTP) ---------------------------------------------------- */
static const msnp_form bye_forms[] = {
    {MSNP_R_SB, MSNP_D_S2C, MSNP_TRID_NONE, 1, 1, MSNP_F_ASYNC, MSNP_ERA_MSNP8, NULL,
     "!#",
     "user",
     "{user} left the conversation",
     "BYE bob@hotmail.com"},
    {MSNP_R_SB, MSNP_D_S2C, MSNP_TRID_NONE, 2, 2, MSNP_F_ASYNC, MSNP_ERA_MSNP8, NULL,
     "!# #",
     "user reason",
     "{user} is no longer in the conversation: {reason:sb_bye}",
     "BYE bob@hotmail.com 1"},
    {MSNP_R_FTP, MSNP_D_ANY, MSNP_TRID_NONE, 1, 1, 0, MSNP_ERA_MSNP8, NULL,
     "#",
     "code",
     "file receiver ends the transfer session: {code:ftp_bye}",
     "BYE 16777989"},
};

/* ---- CAL (SB) ------------------------------------------------------------ */
static const msnp_form cal_forms[] = {
    {MSNP_R_SB, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_MSNP8, NULL,
     "*",
     "user",
     "client invites {user} into this conversation",
     "CAL 2 bob@hotmail.com"},
    {MSNP_R_SB, MSNP_D_S2C, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_MSNP8, NULL,
     "RINGING #",
     "result session_id",
     "switchboard is ringing the invitee (who gets RNG on their notification server); "
     "this conversation is session {session_id}",
     "CAL 2 RINGING 11752013"},
};

/* ---- CCL (MSNFTP) -------------------------------------------------------- */
static const msnp_form ccl_forms[] = {
    {MSNP_R_FTP, MSNP_D_ANY, MSNP_TRID_NONE, 0, 0, 0, MSNP_ERA_MSNP8, NULL, "",
     "",
     "file receiver cancels the transfer",
     "CCL"},
};

/* ---- CHG (NS) ------------------------------------------------------------ */
static const msnp_form chg_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_ZERO, 2, 2, MSNP_F_ASYNC, MSNP_ERA_MSNP8, NULL,
     "* #",
     "status client_id",
     "your status is set to {status:status} with TrID 0: a server-forced change (one "
     "source only), or the echo of a request that used TrID 0",
     "CHG 0 NLN 0"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_MSNP8, NULL,
     "* #",
     "status client_id",
     "client sets its status to {status:status} (client id {client_id}: "
     "{client_id:caps})",
     "CHG 9 NLN 0"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_MSNP8, NULL,
     "* #",
     "status client_id",
     "server confirms your status is now {status:status} (client id {client_id}: "
     "{client_id:caps})",
     "CHG 9 NLN 0"},
    {MSNP_R_NS, MSNP_D_ANY, MSNP_TRID_PRESENT, 3, 3, 0, MSNP_ERA_LATER, "MSNP9+",
     "* * *",
     "status client_id msn_object%",
     "status {status:status} (client id {client_id}: {client_id:caps}) with a "
     "display-picture descriptor (MSNObject)",
     "CHG 9 NLN 268435492 %3Cmsnobj%20Creator%3D%22alice%40hotmail.com%22%20Size%3D%2212345"
     "%22%20Type%3D%223%22%20Location%3D%22TFR1.dat%22%20Friendly%3D%22AAA%3D%22%2F%3E"},
    {MSNP_R_NS, MSNP_D_ANY, MSNP_TRID_PRESENT, 1, 1, MSNP_F_LEGACY, MSNP_ERA_EARLIER,
     "MSNP2-7",
     "*",
     "status",
     "status {status:status}, without the client-capability number MSNP8 added",
     "CHG 9 NLN"},
};

/* ---- CHL (NS) ------------------------------------------------------------ */
static const msnp_form chl_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_ZERO, 1, 1, MSNP_F_ASYNC, MSNP_ERA_MSNP8, NULL,
     "*",
     "challenge",
     "server challenges the client with {challenge}; it must answer with QRY carrying "
     "MD5(challenge + client key) or be disconnected",
     "CHL 0 29409134351025259292"},
};

/* ---- CVQ (NS/DS, earlier) ------------------------------------------------ */
static const msnp_form cvq_forms[] = {
    {MSNP_R_NSDS, MSNP_D_ANY, MSNP_TRID_PRESENT, 0, V, 0, MSNP_ERA_EARLIER, "MSNP2-7",
     "",
     "params...",
     "client-version query of the CVR0 sub-protocol (syntax not documented; one "
     "source)[: {params...}]",
     "CVQ 3 0x0409 win 4.10 i386 MSMSGS 4.6.0083 MSMSGS"},
};

/* ---- CVR (NS/DS) --------------------------------------------------------- */
static const msnp_form cvr_forms[] = {
    {MSNP_R_NSDS, MSNP_D_C2S, MSNP_TRID_PRESENT, 8, 8, 0, MSNP_ERA_MSNP8, NULL,
     "",
     "locale os_type os_version arch client_name client_version client_lib user",
     "{user} reports client {client_name} {client_version} on {os_type:os_type} "
     "{os_version} ({arch}), language {locale:locale}",
     "CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 5.0.0540 MSMSGS alice@hotmail.com"},
    {MSNP_R_NSDS, MSNP_D_S2C, MSNP_TRID_PRESENT, 5, 5, 0, MSNP_ERA_MSNP8, NULL,
     "",
     "recommended_version recommended_version2 minimum_version download_url info_url",
     "server recommends client version {recommended_version} (minimum "
     "{minimum_version}); download at {download_url}",
     "CVR 2 5.0.0540 5.0.0540 1.0.0863 http://download.microsoft.com/.../SetupDl.exe "
     "http://messenger.msn.com"},
    {MSNP_R_NSDS, MSNP_D_C2S, MSNP_TRID_PRESENT, 7, 7, MSNP_F_LEGACY, MSNP_ERA_EARLIER,
     "MSNP2-7",
     "",
     "locale os_type os_version arch client_name client_version client_lib",
     "client reports {client_name} {client_version} on {os_type:os_type} {os_version} "
     "({arch}), language {locale:locale}, without the account name MSNP8 added",
     "CVR 2 0x0409 win 4.10 i386 MSMSGS 4.6.0083 MSMSGS"},
};

/* ---- DEL (NS, MSNP18+) --------------------------------------------------- */
static const msnp_form del_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_LATER, "MSNP18+",
     "#",
     "payload_len",
     "client removes what a document of {payload_len:bytes} describes (circles, points "
     "of presence)",
     "DEL 20 152"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_LATER, "MSNP18+",
     "OK #",
     "result payload_len",
     "server accepts the DEL ({payload_len}-byte reply payload)",
     "DEL 20 OK 0"},
};

/* ---- FIL (MSNFTP) -------------------------------------------------------- */
static const msnp_form fil_forms[] = {
    {MSNP_R_FTP, MSNP_D_ANY, MSNP_TRID_NONE, 1, 1, 0, MSNP_ERA_MSNP8, NULL,
     "#",
     "file_size",
     "file sender announces {file_size} bytes, sent as binary blocks after TFR",
     "FIL 4100"},
};

/* ---- FLN (NS) ------------------------------------------------------------ */
static const msnp_form fln_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 1, 1, MSNP_F_ASYNC, MSNP_ERA_MSNP8, NULL,
     "*",
     "user",
     "{user} went offline (or switched to hidden)",
     "FLN carol@msn.com"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 2, V, MSNP_F_ASYNC, MSNP_ERA_LATER, "MSNP14+",
     "*",
     "user later_args...",
     "{user} went offline (extra fields of later versions: {later_args...})",
     "FLN carol@msn.com 1 0"},
};

/* ---- FND (NS, earlier) --------------------------------------------------- */
static const msnp_form fnd_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_EARLIER, "MSNP2-7",
     "0 0",
     "index total",
     "member-directory search found nobody",
     "FND 5 0 0"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 3, V, 0, MSNP_ERA_EARLIER, "MSNP2-7",
     "# # *",
     "index total fields...",
     "member-directory search result {index} of {total}: {fields...}",
     "FND 5 1 1 fname=Bob lname=Smith city=Seattle state=WA country=US"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, V, 0, MSNP_ERA_EARLIER, "MSNP2-7",
     "!#",
     "criteria...",
     "client searches the member directory for {criteria...} (servers answered 502, "
     "command disabled, from mid-2003)",
     "FND 5 fname=Bob lname=Smith city=* state=* country=US"},
};

/* ---- FQY (NS, MSNP14+) --------------------------------------------------- */
static const msnp_form fqy_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_LATER, "MSNP14+",
     "#",
     "payload_len",
     "client asks about contacts on other networks (federation) with an XML query of "
     "{payload_len:bytes}",
     "FQY 14 53"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_LATER, "MSNP14+",
     "#",
     "payload_len",
     "server answers the federation query with an XML document of {payload_len:bytes}",
     "FQY 14 60"},
};

/* ---- GCF (NS, MSNP11+) --------------------------------------------------- */
static const msnp_form gcf_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_ZERO, 1, 1, MSNP_F_ASYNC, MSNP_ERA_LATER, "MSNP13+",
     "#",
     "payload_len",
     "server pushes its client policy document (Shields) unasked, {payload_len:bytes} of "
     "XML",
     "GCF 0 1209"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_LATER, "MSNP11+",
     "!#",
     "config_file",
     "client asks for the configuration file {config_file}",
     "GCF 6 Shields.xml"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_LATER, "MSNP11+",
     "* #",
     "config_file payload_len",
     "server sends the configuration file {config_file}, {payload_len:bytes} of XML",
     "GCF 6 Shields.xml 1209"},
};

/* ---- GTC (NS) ------------------------------------------------------------ */
static const msnp_form gtc_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 1, 1, MSNP_F_SYN_DUMP, MSNP_ERA_MSNP8, NULL,
     "A|N",
     "prompt",
     "contact-list dump: when someone adds you, {prompt:gtc}",
     "GTC A"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_MSNP8, NULL,
     "A|N",
     "prompt",
     "client chooses what happens when someone adds it: {prompt:gtc}",
     "GTC 12 N"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_MSNP8, NULL,
     "# A|N",
     "list_version prompt",
     "server confirms: when someone adds you, {prompt:gtc} (list version {list_version})",
     "GTC 12 27 N"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_LATER, "MSNP10+",
     "A|N",
     "prompt",
     "server confirms: when someone adds you, {prompt:gtc} (reply without a list "
     "version)",
     "GTC 12 N"},
};

/* ---- ILN (NS) ------------------------------------------------------------ */
static const msnp_form iln_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 4, 4, 0, MSNP_ERA_MSNP8, NULL,
     "* * * #",
     "status user nick% client_id",
     "initial presence: {user} ({nick}) is {status:status} (client id {client_id}: "
     "{client_id:caps})",
     "ILN 9 NLN bob@hotmail.com Bob 268435492"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 5, 5, 0, MSNP_ERA_LATER, "MSNP9+",
     "* * * *",
     "status user nick% client_id msn_object%",
     "initial presence: {user} ({nick}) is {status:status} (client id {client_id}: "
     "{client_id:caps}), with a display-picture descriptor (MSNObject)",
     "ILN 9 NLN bob@hotmail.com Bob 268435492 %3Cmsnobj%20Creator%3D%22bob%40hotmail.com"
     "%22%20Size%3D%2219602%22%20Type%3D%223%22%20Location%3D%22TFR2.dat%22%20Friendly"
     "%3D%22AAA%3D%22%2F%3E"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 6, 6, 0, MSNP_ERA_LATER, "MSNP14+",
     "* * # *",
     "status user network_id nick% client_id msn_object%",
     "initial presence: {user} ({nick}, network {network_id}) is {status:status} "
     "(client id {client_id}: {client_id:caps})",
     "ILN 9 NLN bob@hotmail.com 1 Bob 1342472236 %3Cmsnobj%2F%3E"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 3, 3, MSNP_F_LEGACY, MSNP_ERA_EARLIER,
     "MSNP2-7",
     "* * *",
     "status user nick%",
     "initial presence: {user} ({nick}) is {status:status}, without the "
     "client-capability number MSNP8 added",
     "ILN 9 NLN bob@hotmail.com Bob"},
};

/* ---- IMS (NS) ------------------------------------------------------------ */
static const msnp_form ims_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_MSNP8, NULL,
     "ON|OFF",
     "state",
     "client turns conversation invitations {state:ims}, without changing its status "
     "(a WebTV feature)",
     "IMS 30 OFF"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_MSNP8, NULL,
     "* ON|OFF",
     "reserved state",
     "server confirms conversation invitations are {state:ims}; the {reserved} before "
     "the state has no known meaning",
     "IMS 30 0 OFF"},
};

/* ---- INF (NS/DS, earlier) ------------------------------------------------ */
static const msnp_form inf_forms[] = {
    {MSNP_R_NSDS, MSNP_D_C2S, MSNP_TRID_PRESENT, 0, 0, 0, MSNP_ERA_EARLIER, "MSNP2-7",
     "",
     "",
     "client asks which authentication methods the server offers (an MSNP8 server "
     "drops the connection instead)",
     "INF 2"},
    {MSNP_R_NSDS, MSNP_D_S2C, MSNP_TRID_PRESENT, 1, V, 0, MSNP_ERA_EARLIER, "MSNP2-7",
     "!#",
     "auth_method...",
     "server offers authentication methods {auth_method...}",
     "INF 2 MD5"},
};

/* ---- IPG (NS) ------------------------------------------------------------ */
static const msnp_form ipg_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 1, 1, MSNP_F_ASYNC, MSNP_ERA_MSNP8, NULL,
     "#",
     "payload_len",
     "server delivers a page (mobile message): an XML notification of {payload_len} "
     "bytes",
     "IPG 255"},
};

/* ---- IRO (SB) ------------------------------------------------------------ */
static const msnp_form iro_forms[] = {
    {MSNP_R_SB, MSNP_D_S2C, MSNP_TRID_PRESENT, 4, 4, 0, MSNP_ERA_MSNP8, NULL,
     "# # * *",
     "index total user nick%",
     "participant {index} of {total} already in the conversation: {user} ({nick})",
     "IRO 1 1 1 alice@hotmail.com Alice%20(lunch)"},
    {MSNP_R_SB, MSNP_D_S2C, MSNP_TRID_PRESENT, 5, 5, 0, MSNP_ERA_LATER, "MSNP12+",
     "# # * *",
     "index total user nick% client_id",
     "participant {index} of {total} already in the conversation: {user} ({nick}), "
     "client id {client_id}: {client_id:caps}",
     "IRO 1 1 1 alice@hotmail.com Alice%20(lunch) 1342472236"},
};

/* ---- JOI (SB) ------------------------------------------------------------ */
static const msnp_form joi_forms[] = {
    {MSNP_R_SB, MSNP_D_S2C, MSNP_TRID_NONE, 2, 2, MSNP_F_ASYNC, MSNP_ERA_MSNP8, NULL,
     "",
     "user nick%",
     "{user} ({nick}) joined the conversation",
     "JOI bob@hotmail.com Bob"},
    {MSNP_R_SB, MSNP_D_S2C, MSNP_TRID_NONE, 3, 3, MSNP_F_ASYNC, MSNP_ERA_LATER, "MSNP12+",
     "",
     "user nick% client_id",
     "{user} ({nick}) joined the conversation (client id {client_id}: {client_id:caps})",
     "JOI bob@hotmail.com Bob 1342472236"},
};

/* ---- LSG (NS) ------------------------------------------------------------ */
static const msnp_form lsg_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 3, 3, MSNP_F_SYN_DUMP, MSNP_ERA_MSNP8, NULL,
     "# * 0",
     "group_id group_name% reserved",
     "contact-list dump: group id {group_id} is named {group_name}",
     "LSG 0 Other%20Contacts 0"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 2, 2, MSNP_F_SYN_DUMP, MSNP_ERA_LATER, "MSNP10+",
     "* !#",
     "group_name% group_id",
     "contact-list dump: group {group_name}, id {group_id}",
     "LSG Coworkers 3f8a9b1e-5c2d-4f6a-9e7b-1a2b3c4d5e6f"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 0, 0, 0, MSNP_ERA_MSNP8, NULL,
     "",
     "",
     "client asks for its group list outside SYN (the MSNP8 answer format is "
     "undocumented, uncertain; servers stopped accepting this in late 2003)",
     "LSG 21"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 6, 6, 0, MSNP_ERA_MSNP8, NULL,
     "# # # # * 0",
     "list_version index total group_id group_name% reserved",
     "group {index} of {total}: id {group_id} is named {group_name} (list version "
     "{list_version}; iterated format of earlier versions, its MSNP8 use uncertain)",
     "LSG 21 26 1 2 0 Other%20Contacts 0"},
};

/* ---- LST (NS) ------------------------------------------------------------ */
static const msnp_form lst_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 4, 4, MSNP_F_SYN_DUMP, MSNP_ERA_MSNP8, NULL,
     "* * # *",
     "user nick% lists groups",
     "contact-list dump: {user} ({nick}) is on {lists:lists}, in groups {groups}",
     "LST carol@msn.com Carol%20%E2%98%BA 11 0,1"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 3, 3, MSNP_F_SYN_DUMP, MSNP_ERA_MSNP8, NULL,
     "* * #",
     "user nick% lists",
     "contact-list dump: {user} ({nick}) is on {lists:lists}",
     "LST mallory@hotmail.com mallory@hotmail.com 12"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 4, V, MSNP_F_SYN_DUMP, MSNP_ERA_LATER, "MSNP10+",
     "* * !# #",
     "contact contact_nick% contact_guid lists later_args...",
     "contact-list dump in the N=/F=/C= format: {contact} {contact_nick} is on "
     "{lists:lists}",
     "LST N=bob@hotmail.com F=Bob C=8a1d2c3e-4b5f-6a7b-8c9d-0e1f2a3b4c5d 11 "
     "3f8a9b1e-5c2d-4f6a-9e7b-1a2b3c4d5e6f"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_MSNP8, NULL,
     "FL|AL|BL|RL",
     "list",
     "client asks for its {list:list} outside SYN (the MSNP8 answer format is "
     "undocumented, uncertain; servers stopped accepting this in late 2003)",
     "LST 22 FL"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 4, 4, 0, MSNP_ERA_MSNP8, NULL,
     "FL|AL|BL|RL # 0 0",
     "list list_version index total",
     "the {list:list} is empty (list version {list_version}; iterated format of earlier "
     "versions, its MSNP8 use uncertain)",
     "LST 22 BL 26 0 0"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 6, 7, 0, MSNP_ERA_MSNP8, NULL,
     "FL|AL|BL|RL # # #",
     "list list_version index total user nick% groups",
     "entry {index} of {total} on the {list:list}: {user} ({nick})[, in groups {groups}] "
     "(list version {list_version}; iterated format of earlier versions, its MSNP8 use "
     "uncertain)",
     "LST 22 FL 26 1 3 bob@hotmail.com Bob 0"},
};

/* ---- MSG (NS, SB) -------------------------------------------------------- */
static const msnp_form msg_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 3, 3, MSNP_F_ASYNC, MSNP_ERA_MSNP8, NULL,
     "Hotmail Hotmail #",
     "sender sender_nick% payload_len",
     "notification server sends a service message of {payload_len:bytes} (login "
     "profile, mail notice or system message)",
     "MSG Hotmail Hotmail 221"},
    {MSNP_R_SB, MSNP_D_C2S, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_MSNP8, NULL,
     "U|N|A #",
     "ack payload_len",
     "client sends a message of {payload_len:bytes} to the conversation; delivery "
     "report: {ack:ack}",
     "MSG 4 N 124"},
    {MSNP_R_SB, MSNP_D_C2S, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_LATER, "MSNP9+",
     "D|S #",
     "ack payload_len",
     "client sends a message of {payload_len:bytes} to the conversation; delivery "
     "report: {ack:ack}",
     "MSG 5 D 1234"},
    {MSNP_R_SB, MSNP_D_S2C, MSNP_TRID_NONE, 3, 3, MSNP_F_ASYNC, MSNP_ERA_MSNP8, NULL,
     "@ * #",
     "user nick% payload_len",
     "switchboard relays a message of {payload_len:bytes} from {user} ({nick})",
     "MSG alice@hotmail.com Alice%20A. 124"},
};

/* ---- NAK (SB) ------------------------------------------------------------ */
static const msnp_form nak_forms[] = {
    {MSNP_R_SB, MSNP_D_S2C, MSNP_TRID_PRESENT, 0, 0, 0, MSNP_ERA_MSNP8, NULL, "",
     "",
     "switchboard reports that the message sent with this TrID could not be delivered",
     "NAK 4"},
};

/* ---- NFY (NS, MSNP18+) --------------------------------------------------- */
static const msnp_form nfy_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 2, 2, MSNP_F_ASYNC, MSNP_ERA_LATER, "MSNP18+",
     "PUT|DEL #",
     "operation payload_len",
     "server pushes a {operation} notification of {payload_len:bytes} (circle and "
     "presence documents)",
     "NFY PUT 431"},
};

/* ---- NLN (NS) ------------------------------------------------------------ */
static const msnp_form nln_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 4, 4, MSNP_F_ASYNC, MSNP_ERA_MSNP8, NULL,
     "* * * #",
     "status user nick% client_id",
     "{user} ({nick}) is now {status:status} (client id {client_id}: {client_id:caps})",
     "NLN BSY bob@hotmail.com Bob 268435492"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 5, 5, MSNP_F_ASYNC, MSNP_ERA_LATER, "MSNP9+",
     "* * * *",
     "status user nick% client_id msn_object%",
     "{user} ({nick}) is now {status:status} (client id {client_id}: {client_id:caps}), "
     "with a display-picture descriptor (MSNObject)",
     "NLN NLN bob@hotmail.com Bob 805306404 %3Cmsnobj%20Creator%3D%22bob%40hotmail.com"
     "%22%20Size%3D%2219602%22%20Type%3D%223%22%20Location%3D%22TFR2.dat%22%20Friendly"
     "%3D%22AAA%3D%22%2F%3E"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 6, 6, MSNP_F_ASYNC, MSNP_ERA_LATER, "MSNP14+",
     "* * # *",
     "status user network_id nick% client_id msn_object%",
     "{user} ({nick}, network {network_id}) is now {status:status} (client id "
     "{client_id}: {client_id:caps})",
     "NLN NLN bob@hotmail.com 1 Bob 1342472236 %3Cmsnobj%2F%3E"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 3, 3, MSNP_F_ASYNC | MSNP_F_LEGACY,
     MSNP_ERA_EARLIER, "MSNP2-7",
     "* * *",
     "status user nick%",
     "{user} ({nick}) is now {status:status}, without the client-capability number "
     "MSNP8 added",
     "NLN AWY bob@hotmail.com Bob"},
};

/* ---- NOT (NS) ------------------------------------------------------------ */
static const msnp_form not_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 1, 1, MSNP_F_ASYNC, MSNP_ERA_MSNP8, NULL,
     "#",
     "payload_len",
     "server delivers an MSN Alert: an XML notification of {payload_len:bytes}",
     "NOT 372"},
};

/* ---- OUT (NS, SB) -------------------------------------------------------- */
static const msnp_form out_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_NONE, 0, 0, 0, MSNP_ERA_MSNP8, NULL, "",
     "",
     "client signs out; the server closes the connection",
     "OUT"},
    {MSNP_R_SB, MSNP_D_C2S, MSNP_TRID_NONE, 0, 0, 0, MSNP_ERA_MSNP8, NULL, "",
     "",
     "client leaves the conversation; the switchboard closes the connection and tells the "
     "others with BYE",
     "OUT"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 1, 1, MSNP_F_ASYNC | MSNP_F_FATAL,
     MSNP_ERA_MSNP8, NULL,
     "OTH|SSD",
     "reason",
     "server signs you out and disconnects: {reason:out_reason}",
     "OUT OTH"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 0, 0, MSNP_F_ASYNC | MSNP_F_FATAL,
     MSNP_ERA_MSNP8, NULL, "",
     "",
     "server disconnects without giving a reason (e.g. the challenge was not answered in "
     "time)",
     "OUT"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 1, 1, MSNP_F_ASYNC | MSNP_F_FATAL,
     MSNP_ERA_LATER, "MSNP10+",
     "MIG|TOU",
     "reason",
     "server signs you out and disconnects: {reason:out_reason}",
     "OUT MIG"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 2, 2, MSNP_F_ASYNC | MSNP_F_FATAL,
     MSNP_ERA_LATER, "MSNP11+",
     "RCT #",
     "reason reason_arg",
     "server signs you out and disconnects: {reason:out_reason}, parameter {reason_arg}",
     "OUT RCT 864000"},
};

/* ---- PAG (NS) ------------------------------------------------------------ */
static const msnp_form pag_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_MSNP8, NULL,
     "* #",
     "user payload_len",
     "client pages {user}'s mobile device with an XML message of {payload_len:bytes} "
     "(no success reply; a failure comes back as an error or an IPG)",
     "PAG 23 bob@hotmail.com 112"},
};

/* ---- PGD (NS, MSNP9+) ---------------------------------------------------- */
static const msnp_form pgd_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 3, 3, 0, MSNP_ERA_LATER, "MSNP9+",
     "* * #",
     "user flag payload_len",
     "client pages {user}'s mobile device with an XML message of {payload_len:bytes} "
     "(successor of PAG; the middle argument {flag} is undocumented)",
     "PGD 23 bob@hotmail.com 1 112"},
};

/* ---- PNG (NS) ------------------------------------------------------------ */
static const msnp_form png_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_NONE, 0, 0, 0, MSNP_ERA_MSNP8, NULL, "",
     "",
     "client keep-alive ping; the server answers QNG",
     "PNG"},
};

/* ---- PRP (NS) ------------------------------------------------------------ */
static const msnp_form prp_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 2, 2, MSNP_F_SYN_DUMP, MSNP_ERA_MSNP8, NULL,
     "!# *",
     "property value%",
     "contact-list dump: your {property:property} is {value}",
     "PRP PHH 555%20123%204567"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 1, 1, MSNP_F_SYN_DUMP, MSNP_ERA_MSNP8, NULL,
     "!#",
     "property",
     "contact-list dump: your {property:property}, without a value",
     "PRP MBE"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_MSNP8, NULL,
     "!# *",
     "property value%",
     "client sets its {property:property} to {value}",
     "PRP 24 PHH 555%20123%204567"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_MSNP8, NULL,
     "!#",
     "property",
     "client clears its {property:property} (value omitted)",
     "PRP 25 PHW"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 3, 3, 0, MSNP_ERA_MSNP8, NULL,
     "# !# *",
     "list_version property value%",
     "server confirms your {property:property} is {value} (list version {list_version})",
     "PRP 24 27 PHH 555%20123%204567"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_MSNP8, NULL,
     "# !#",
     "list_version property",
     "server confirms your {property:property} has no value (list version "
     "{list_version})",
     "PRP 25 28 PHW"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_LATER, "MSNP10+",
     "!# *",
     "property value%",
     "server confirms your {property:property} is {value} (reply without a list "
     "version)",
     "PRP 24 MFN Alice"},
};

/* ---- PUT (NS, MSNP18+) --------------------------------------------------- */
static const msnp_form put_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_LATER, "MSNP18+",
     "#",
     "payload_len",
     "client publishes a document of {payload_len:bytes} (presence, circles)",
     "PUT 18 374"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_LATER, "MSNP18+",
     "OK #",
     "result payload_len",
     "server accepts the PUT ({payload_len}-byte reply payload)",
     "PUT 18 OK 0"},
};

/* ---- QNG (NS) ------------------------------------------------------------ */
static const msnp_form qng_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 0, 0, 0, MSNP_ERA_MSNP8, NULL, "",
     "",
     "server answers the keep-alive ping",
     "QNG"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 1, 1, 0, MSNP_ERA_LATER, "MSNP9+",
     "#",
     "seconds",
     "server answers the ping and expects the next one within {seconds} seconds",
     "QNG 45"},
};

/* ---- QRY (NS) ------------------------------------------------------------ */
static const msnp_form qry_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_LATER, "MSNP11+",
     "PROD0090YUAUV{2B|PROD0101{0RM?UBW|PROD01065C%ZFN6F|PROD0112J1LW7%NB #",
     "product_id payload_len",
     "client answers the challenge as product {product_id}, an id of MSN Messenger 7 or "
     "Windows Live Messenger, which use a newer challenge algorithm; a response of "
     "{payload_len:bytes} follows",
     "QRY 10 PROD0090YUAUV{2B 32"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_MSNP8, NULL,
     "* #",
     "product_id payload_len",
     "client answers the challenge as product {product_id}; the MD5 digest follows "
     "({payload_len:bytes})",
     "QRY 10 msmsgs@msnmsgr.com 32"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 0, 0, 0, MSNP_ERA_MSNP8, NULL, "",
     "",
     "server accepts the challenge response",
     "QRY 10"},
};

/* ---- REA (NS) ------------------------------------------------------------ */
static const msnp_form rea_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_MSNP8, NULL,
     "",
     "user nick%",
     "client renames {user} to {nick} (its own friendly name when {user} is the signed-in "
     "account)",
     "REA 11 alice@hotmail.com Alice%20(lunch)"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 3, 3, 0, MSNP_ERA_MSNP8, NULL,
     "#",
     "list_version user nick%",
     "server confirms {user} is now named {nick} (list version {list_version})",
     "REA 11 27 alice@hotmail.com Alice%20(lunch)"},
};

/* ---- REG (NS) ------------------------------------------------------------ */
static const msnp_form reg_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 3, 3, 0, MSNP_ERA_MSNP8, NULL,
     "# * 0",
     "group_id group_name% reserved",
     "client renames group {group_id} to {group_name}",
     "REG 25 1 Work 0"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 4, 4, 0, MSNP_ERA_MSNP8, NULL,
     "# # * 0",
     "list_version group_id group_name% reserved",
     "server confirms group {group_id} is now named {group_name} (list version "
     "{list_version})",
     "REG 25 34 1 Work 0"},
};

/* ---- REM (NS) ------------------------------------------------------------ */
static const msnp_form rem_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_ZERO, 3, 3, MSNP_F_ASYNC, MSNP_ERA_MSNP8, NULL,
     "RL # *",
     "list list_version user",
     "{user} removed you from their contact list, so they left your reverse list (list "
     "version {list_version})",
     "REM 0 RL 35 erin@hotmail.com"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_ZERO, 3, 4, MSNP_F_ASYNC, MSNP_ERA_MSNP8, NULL,
     "FL|AL|BL # *",
     "list list_version user group_id",
     "{user} was removed from your {list:list}[ (group {group_id} only)] from outside "
     "this connection, e.g. a web page (or this answers a request sent with TrID 0; list "
     "version {list_version})",
     "REM 0 AL 36 frank@hotmail.com"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 3, 3, 0, MSNP_ERA_MSNP8, NULL,
     "FL !# #",
     "list user group_id",
     "client removes {user} from group {group_id} only",
     "REM 16 FL dave@hotmail.com 0"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_MSNP8, NULL,
     "FL|AL|BL !#",
     "list user",
     "client removes {user} from its {list:list}",
     "REM 26 AL dave@hotmail.com"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 4, 4, 0, MSNP_ERA_MSNP8, NULL,
     "FL # * #",
     "list list_version user group_id",
     "server confirms {user} was removed from group {group_id} (list version "
     "{list_version})",
     "REM 16 FL 32 dave@hotmail.com 0"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 3, 3, 0, MSNP_ERA_MSNP8, NULL,
     "FL|AL|BL # *",
     "list list_version user",
     "server confirms {user} was removed from the {list:list} (list version "
     "{list_version})",
     "REM 26 AL 37 dave@hotmail.com"},
};

/* ---- RMG (NS) ------------------------------------------------------------ */
static const msnp_form rmg_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_MSNP8, NULL,
     "#",
     "group_id",
     "client deletes group {group_id} (contacts that were only in it drop off the "
     "forward list)",
     "RMG 27 2"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_MSNP8, NULL,
     "# #",
     "list_version group_id",
     "server confirms group {group_id} was deleted (list version {list_version})",
     "RMG 27 38 2"},
};

/* ---- RML (NS, MSNP13+) --------------------------------------------------- */
static const msnp_form rml_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_ZERO, 1, 1, MSNP_F_ASYNC, MSNP_ERA_LATER, "MSNP13+",
     "#",
     "payload_len",
     "server announces contacts removed from your lists from elsewhere in a "
     "{payload_len}-byte XML list",
     "RML 0 86"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_LATER, "MSNP13+",
     "OK",
     "result",
     "server accepts the removal",
     "RML 13 OK"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_LATER, "MSNP13+",
     "#",
     "payload_len",
     "client removes the contacts listed in an XML document of {payload_len:bytes} "
     "from its lists",
     "RML 13 86"},
};

/* ---- RNG (NS) ------------------------------------------------------------ */
static const msnp_form rng_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 6, 6, MSNP_F_ASYNC, MSNP_ERA_MSNP8, NULL,
     "# * CKI",
     "session_id sb_addr auth_method cookie user nick%",
     "{user} ({nick}) invites you to a conversation: connect to switchboard {sb_addr} "
     "and answer with ANS, cookie {cookie} and session {session_id}",
     "RNG 11752013 207.46.108.38:1863 CKI 849102291.520491113 alice@hotmail.com Alice"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 7, V, MSNP_F_ASYNC, MSNP_ERA_LATER, "MSNP13+",
     "# * CKI",
     "session_id sb_addr auth_method cookie user nick% later_args...",
     "{user} ({nick}) invites you to a conversation on switchboard {sb_addr}, cookie "
     "{cookie} and session {session_id} (extra fields of later versions: "
     "{later_args...})",
     "RNG 11752013 207.46.108.38:1863 CKI 849102291.520491113 alice@hotmail.com Alice U "
     "messenger.hotmail.com 1"},
};

/* ---- SBP (NS, MSNP10+) --------------------------------------------------- */
static const msnp_form sbp_forms[] = {
    {MSNP_R_NS, MSNP_D_ANY, MSNP_TRID_PRESENT, 3, 3, 0, MSNP_ERA_LATER, "MSNP10+",
     "* !#",
     "contact_guid property value%",
     "sets the {property:property} of contact {contact_guid} to {value} (request or "
     "confirmation)",
     "SBP 40 8a1d2c3e-4b5f-6a7b-8c9d-0e1f2a3b4c5d MFN Bob"},
};

/* ---- SBS (NS, MSNP11+) --------------------------------------------------- */
static const msnp_form sbs_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_ZERO, 1, 1, MSNP_F_ASYNC, MSNP_ERA_LATER, "MSNP11+",
     "*",
     "sbs_value",
     "server notice of unknown purpose, sent after login (seen as SBS 0 null)",
     "SBS 0 null"},
};

/* ---- SDC (NS) ------------------------------------------------------------ */
static const msnp_form sdc_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 8, 8, 0, MSNP_ERA_MSNP8, NULL,
     "* * * * * * * #",
     "user locale client_lib codebase reserved1 reserved2 nick% payload_len",
     "client asks the server to e-mail {user} an invitation to use Messenger, from "
     "{nick}, with a personal note of {payload_len:bytes} (0: none)",
     "SDC 28 dave@example.com 0x0409 MSMSGS MSMSGS X X Alice 24"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_MSNP8, NULL,
     "OK",
     "result",
     "server accepted the e-mail invitation",
     "SDC 28 OK"},
};

/* ---- SDG (NS, MSNP18+) --------------------------------------------------- */
static const msnp_form sdg_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_ZERO, 1, 1, MSNP_F_ASYNC, MSNP_ERA_LATER, "MSNP18+",
     "#",
     "payload_len",
     "server delivers a message of {payload_len:bytes} through the notification server "
     "(circles, group chat)",
     "SDG 0 612"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_LATER, "MSNP18+",
     "#",
     "payload_len",
     "client sends a message of {payload_len:bytes} through the notification server",
     "SDG 30 612"},
};

/* ---- SND (NS) ------------------------------------------------------------ */
static const msnp_form snd_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 4, 4, 0, MSNP_ERA_MSNP8, NULL,
     "",
     "user locale client_lib codebase",
     "client asks the server to e-mail {user} an invitation to use Messenger (deprecated "
     "since MSNP5; whether MSNP8 servers still honour it is uncertain)",
     "SND 29 dave@example.com 0x0409 MSMSGS MSMSGS"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_MSNP8, NULL,
     "",
     "user",
     "client asks the server to e-mail {user} an invitation to use Messenger (deprecated "
     "since MSNP5; whether MSNP8 servers still honour it is uncertain)",
     "SND 29 dave@example.com"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_MSNP8, NULL,
     "OK",
     "result",
     "server accepted the e-mail invitation",
     "SND 29 OK"},
};

/* ---- SYN (NS) ------------------------------------------------------------ */
static const msnp_form syn_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_MSNP8, NULL,
     "#",
     "list_version",
     "client asks to synchronise its contact list; it has version {list_version} cached "
     "(0: nothing cached)",
     "SYN 8 0"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_MSNP8, NULL,
     "#",
     "list_version",
     "server: the cached contact list (version {list_version}) is current; nothing "
     "follows",
     "SYN 8 26"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 3, 3, 0, MSNP_ERA_MSNP8, NULL,
     "# # #",
     "list_version contact_count group_count",
     "server sends contact list version {list_version}: settings, {group_count} groups "
     "and {contact_count} contacts follow",
     "SYN 8 26 3 2"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_LATER, "MSNP10+",
     "",
     "list_version settings_version",
     "client asks to synchronise its contact list, giving two cached version stamps",
     "SYN 8 2005-04-23T18:57:44.8130000-07:00 2005-04-23T18:57:54.2070000-07:00"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 4, 4, 0, MSNP_ERA_LATER, "MSNP10+",
     "* * # #",
     "list_version settings_version contact_count group_count",
     "server sends the contact list: {contact_count} contacts and {group_count} groups "
     "follow",
     "SYN 8 2005-04-23T18:57:44.8130000-07:00 2005-04-23T18:57:54.2070000-07:00 3 2"},
};

/* ---- TFR (MSNFTP) -------------------------------------------------------- */
static const msnp_form tfr_forms[] = {
    {MSNP_R_FTP, MSNP_D_ANY, MSNP_TRID_NONE, 0, 0, 0, MSNP_ERA_MSNP8, NULL, "",
     "",
     "file receiver is ready: the sender now sends the file as binary blocks",
     "TFR"},
};

/* ---- UBM (NS, MSNP14+) --------------------------------------------------- */
static const msnp_form ubm_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 4, 4, MSNP_F_ASYNC, MSNP_ERA_LATER, "MSNP14+",
     "* # * #",
     "user network_id msg_type payload_len",
     "{user} (network {network_id}) sends a message of {payload_len:bytes} through the "
     "notification server (Yahoo! interoperability)",
     "UBM bob@yahoo.com 32 1 130"},
};

/* ---- UBN (NS, MSNP13+) --------------------------------------------------- */
static const msnp_form ubn_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 3, 3, MSNP_F_ASYNC, MSNP_ERA_LATER, "MSNP13+",
     "* * #",
     "user notification_type payload_len",
     "{user} sends a notification of type {notification_type}, {payload_len:bytes}, "
     "through the server",
     "UBN bob@hotmail.com 1 250"},
};

/* ---- UBX (NS, MSNP11+) --------------------------------------------------- */
static const msnp_form ubx_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 2, 2, MSNP_F_ASYNC, MSNP_ERA_LATER, "MSNP11+",
     "* #",
     "user payload_len",
     "{user}'s personal message and now-playing information, {payload_len:bytes} of XML",
     "UBX bob@hotmail.com 53"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_NONE, 3, 3, MSNP_F_ASYNC, MSNP_ERA_LATER, "MSNP14+",
     "* # #",
     "user network_id payload_len",
     "{user}'s (network {network_id}) personal message and now-playing information, "
     "{payload_len:bytes} of XML",
     "UBX bob@hotmail.com 1 53"},
};

/* ---- URL (NS) ------------------------------------------------------------ */
static const msnp_form url_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, 2, 0, MSNP_ERA_MSNP8, NULL,
     "",
     "service service_param",
     "client asks for a signed-in web link to {service:url_service}[ (parameter "
     "{service_param})]",
     "URL 30 COMPOSE bob@hotmail.com"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 3, 3, 0, MSNP_ERA_MSNP8, NULL,
     "* * #",
     "url login_url site_id",
     "server answers with page {url}, to be opened through the Passport login at "
     "{login_url} (site id {site_id})",
     "URL 30 /cgi-bin/HoTMaiL https://loginnet.passport.com/ppsecure/md5auth.srf?lc=1033 "
     "2"},
};

/* ---- USR (NS/DS, SB, MSNFTP) --------------------------------------------- */
static const msnp_form usr_forms[] = {
    /* Notification / dispatch server: Passport (Tweener) login, MSNP8. */
    {MSNP_R_NSDS, MSNP_D_C2S, MSNP_TRID_PRESENT, 3, 3, 0, MSNP_ERA_MSNP8, NULL,
     "TWN I",
     "auth_method stage user",
     "client starts signing in as {user} with Passport (Tweener) authentication",
     "USR 6 TWN I alice@hotmail.com"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 3, 3, 0, MSNP_ERA_MSNP8, NULL,
     "TWN S",
     "auth_method stage passport_params",
     "server sends the Passport parameters; the client takes them to the Passport login "
     "server over HTTPS to get a ticket",
     "USR 6 TWN S lc=1033,id=507,tw=40,fs=1,ru=http%3A%2F%2Fmessenger%2Emsn%2Ecom,"
     "ct=1057244400,kpp=1,kv=5,ver=2.1.0173.1,tpf=43f8a1b7f2a6c3d4e5f60718293a4b5c"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 3, 3, 0, MSNP_ERA_MSNP8, NULL,
     "TWN S",
     "auth_method stage ticket",
     "client presents its Passport ticket to finish signing in",
     "USR 7 TWN S t=53*1hAu8ADuD3TEwdXoOMi08sD*2!cMrntTwVMTjoB3p6stWTqzbkKZPVQzA5NOt19SLI6"
     "0PY!b8K4YhC!Ooo5ug$$&p=5eKBBC!yBH6ex5mftp!a9DrSb0B3hU8aqAWpaPaoIUCNqG7ZtXrexE$$"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 5, 5, 0, MSNP_ERA_MSNP8, NULL,
     "OK * * 0|1 0|1",
     "result user nick% verified restricted",
     "login accepted: {user} ({nick}) is signed in; {verified:verified}; "
     "{restricted:restricted}",
     "USR 7 OK alice@hotmail.com Alice%20A. 1 0"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 4, 4, 0, MSNP_ERA_LATER, "MSNP10+",
     "OK * 0|1 0|1",
     "result user verified restricted",
     "login accepted: {user} is signed in (reply without a friendly name); "
     "{verified:verified}; {restricted:restricted}",
     "USR 7 OK alice@hotmail.com 1 0"},
    /* Switchboard: the caller authenticates with the XFR cookie. */
    {MSNP_R_SB, MSNP_D_C2S, MSNP_TRID_PRESENT, 2, 2, 0, MSNP_ERA_MSNP8, NULL,
     "@ *",
     "user cookie",
     "{user} authenticates to the switchboard it asked for, presenting the cookie "
     "{cookie} from XFR",
     "USR 1 alice@hotmail.com 17262740.1050826919.32308"},
    {MSNP_R_SB, MSNP_D_S2C, MSNP_TRID_PRESENT, 3, 3, 0, MSNP_ERA_MSNP8, NULL,
     "OK * *",
     "result user nick%",
     "switchboard accepts {user} ({nick}); the conversation stays empty until someone "
     "is invited with CAL",
     "USR 1 OK alice@hotmail.com Alice%20(lunch)"},
    /* Legacy MD5 login (MSNP2-7). Real MSNP8 servers refuse it; some revival
     * servers accept it even after VER ... MSNP8 (reference §3.1). */
    {MSNP_R_NSDS, MSNP_D_C2S, MSNP_TRID_PRESENT, 3, 3, MSNP_F_LEGACY, MSNP_ERA_EARLIER,
     "MSNP2-7",
     "MD5 I",
     "auth_method stage user",
     "client starts signing in as {user} with legacy MD5 authentication",
     "USR 3 MD5 I alice@hotmail.com"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 3, 3, MSNP_F_LEGACY, MSNP_ERA_EARLIER,
     "MSNP2-7",
     "MD5 S",
     "auth_method stage salt",
     "server sends the salt {salt} for legacy MD5 authentication",
     "USR 3 MD5 S 1013928519.693957190"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 3, 3, MSNP_F_LEGACY, MSNP_ERA_EARLIER,
     "MSNP2-7",
     "MD5 S",
     "auth_method stage md5_hash",
     "client answers with MD5(salt + password) to finish a legacy MD5 login",
     "USR 4 MD5 S 9b2c4e3e1f5a6d7c8b9a0f1e2d3c4b5a"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 4, 4, MSNP_F_LEGACY, MSNP_ERA_EARLIER,
     "MSNP6-7",
     "OK * !# 0|1",
     "result user nick% verified",
     "login accepted (reply of the MD5 era): {user} ({nick}) is signed in; "
     "{verified:verified}",
     "USR 4 OK alice@hotmail.com Alice 1"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 3, 3, MSNP_F_LEGACY, MSNP_ERA_EARLIER,
     "MSNP2-5",
     "OK * *",
     "result user nick%",
     "login accepted (reply of the MD5 era, without the verified flag): {user} ({nick}) "
     "is signed in",
     "USR 4 OK alice@hotmail.com Alice"},
    /* Single sign-on (MSNP15+). */
    {MSNP_R_NSDS, MSNP_D_C2S, MSNP_TRID_PRESENT, 3, 3, 0, MSNP_ERA_LATER, "MSNP15+",
     "SSO I",
     "auth_method stage user",
     "client starts signing in as {user} with single sign-on (SSO)",
     "USR 3 SSO I alice@hotmail.com"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 4, 4, 0, MSNP_ERA_LATER, "MSNP15+",
     "SSO S",
     "auth_method stage policy nonce",
     "server sends the SSO policy {policy} and a nonce for the client to sign",
     "USR 3 SSO S MBI_KEY_OLD 8CLhG/xfgYZ7TyRQ/jIAWyDmd/w4R4GF2yKLS6tYrnjzi4cFag/Nr+hxsfg5zlCf"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 4, 5, 0, MSNP_ERA_LATER, "MSNP15+",
     "SSO S",
     "auth_method stage ticket response machine_guid",
     "client presents its SSO ticket and the signed nonce to finish signing in",
     "USR 4 SSO S t=EwCoARAnAAAUDdK0Q8eG$$ HAAAAAEAAAADZgAABIAAAAgAAAAUAAAASAAAAA=="},
    /* MSNFTP: the receiver authenticates with the invitation's AuthCookie. */
    {MSNP_R_FTP, MSNP_D_ANY, MSNP_TRID_NONE, 2, 2, 0, MSNP_ERA_MSNP8, NULL,
     "@ *",
     "user cookie",
     "file receiver {user} authenticates with the AuthCookie {cookie} from the "
     "invitation's ACCEPT",
     "USR bob@hotmail.com 1927433"},
};

/* ---- UUM (NS, MSNP14+) --------------------------------------------------- */
static const msnp_form uum_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 4, 4, 0, MSNP_ERA_LATER, "MSNP14+",
     "* # * #",
     "user network_id msg_type payload_len",
     "client sends {user} (network {network_id}) a message of {payload_len:bytes} "
     "through the notification server (Yahoo! interoperability)",
     "UUM 31 bob@yahoo.com 32 1 130"},
};

/* ---- UUN (NS, MSNP13+) --------------------------------------------------- */
static const msnp_form uun_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 3, 3, 0, MSNP_ERA_LATER, "MSNP13+",
     "* * #",
     "user notification_type payload_len",
     "client sends {user} a notification of type {notification_type}, {payload_len} "
     "bytes, through the server",
     "UUN 32 bob@hotmail.com 1 250"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_LATER, "MSNP13+",
     "OK",
     "result",
     "server accepted the notification",
     "UUN 32 OK"},
};

/* ---- UUX (NS, MSNP11+) --------------------------------------------------- */
static const msnp_form uux_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_LATER, "MSNP11+",
     "#",
     "payload_len",
     "client sets its personal message and now-playing information, {payload_len:bytes} "
     "of XML",
     "UUX 33 120"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_LATER, "MSNP11+",
     "0",
     "payload_len",
     "server accepts the personal-message update",
     "UUX 33 0"},
};

/* ---- VAS (NS, MSNP18+) --------------------------------------------------- */
static const msnp_form vas_forms[] = {
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 4, 4, 0, MSNP_ERA_LATER, "MSNP18+",
     "* * * #",
     "user detail1 detail2 payload_len",
     "client reports {user} to the service with a report of {payload_len:bytes} (one "
     "source; the two middle arguments are undocumented)",
     "VAS 34 bob@hotmail.com 1 0 96"},
};

/* ---- VER (NS/DS, MSNFTP) ------------------------------------------------- */
static const msnp_form ver_forms[] = {
    {MSNP_R_NSDS, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, V, 0, MSNP_ERA_MSNP8, NULL,
     "!#",
     "version...",
     "client offers protocol versions {version...}",
     "VER 1 MSNP8 CVR0"},
    {MSNP_R_NSDS, MSNP_D_S2C, MSNP_TRID_PRESENT, 1, 1, MSNP_F_FATAL, MSNP_ERA_MSNP8, NULL,
     "0",
     "version",
     "server accepts none of the offered versions and will disconnect",
     "VER 1 0"},
    {MSNP_R_NSDS, MSNP_D_S2C, MSNP_TRID_PRESENT, 1, V, 0, MSNP_ERA_MSNP8, NULL,
     "!#",
     "version...",
     "server agrees to speak {version...}",
     "VER 1 MSNP8 CVR0"},
    {MSNP_R_FTP, MSNP_D_ANY, MSNP_TRID_NONE, 1, 1, 0, MSNP_ERA_MSNP8, NULL,
     "MSNFTP",
     "version",
     "file-transfer peer announces the MSNFTP protocol",
     "VER MSNFTP"},
    {MSNP_R_FTP, MSNP_D_ANY, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_MSNP8, NULL,
     "MSNFTP",
     "version",
     "file-transfer peer announces the MSNFTP protocol, with a TrID (a third-party "
     "variant that Miranda accepts)",
     "VER 1 MSNFTP"},
};

/* ---- XFR (NS/DS) --------------------------------------------------------- */
static const msnp_form xfr_forms[] = {
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_ZERO, 2, 2, MSNP_F_ASYNC, MSNP_ERA_MSNP8, NULL,
     "NS 0",
     "server_type ns_addr",
     "server tells the client to sign in again from the start (documented by one source "
     "only)",
     "XFR 0 NS 0"},
    {MSNP_R_NS, MSNP_D_C2S, MSNP_TRID_PRESENT, 1, 1, 0, MSNP_ERA_MSNP8, NULL,
     "SB",
     "server_type",
     "client asks for a switchboard to start a conversation",
     "XFR 19 SB"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 4, 4, 0, MSNP_ERA_MSNP8, NULL,
     "SB * CKI",
     "server_type sb_addr auth_method cookie",
     "server assigns switchboard {sb_addr}; the client connects there and presents the "
     "cookie {cookie} with USR",
     "XFR 19 SB 207.46.108.37:1863 CKI 17262740.1050826919.32308"},
    {MSNP_R_NS, MSNP_D_S2C, MSNP_TRID_PRESENT, 5, V, 0, MSNP_ERA_LATER, "MSNP13+",
     "SB * CKI",
     "server_type sb_addr auth_method cookie later_args...",
     "server assigns switchboard {sb_addr} with cookie {cookie} (extra fields of later "
     "versions: {later_args...})",
     "XFR 19 SB 207.46.108.37:1863 CKI 17262740.1050826919.32308 U messenger.msn.com 1"},
    {MSNP_R_NSDS, MSNP_D_S2C, MSNP_TRID_PRESENT, 4, 4, MSNP_F_FATAL, MSNP_ERA_MSNP8, NULL,
     "NS * 0",
     "server_type ns_addr reserved current_addr",
     "referral: sign in at notification server {ns_addr} instead; this server "
     "({current_addr}) closes the connection",
     "XFR 3 NS 207.46.106.145:1863 0 207.46.104.20:1863"},
    {MSNP_R_NSDS, MSNP_D_S2C, MSNP_TRID_PRESENT, 3, 3, MSNP_F_FATAL | MSNP_F_LEGACY,
     MSNP_ERA_EARLIER, "MSNP2-6",
     "NS * 0",
     "server_type ns_addr reserved",
     "referral: sign in at notification server {ns_addr} instead (without the "
     "current-server address MSNP7 added)",
     "XFR 3 NS 207.46.106.145:1863 0"},
};

/* ---- The table ----------------------------------------------------------- */
/* name, roles, era, payload rule, pl_min_tokens, len_token, since,
 * summary, explanation, forms. len_token is where MSNP8 puts the payload length
 * (for later commands: where the known forms put it, -1 where it varies). */
static const msnp_command_info commands[] = {
    {"ACK", MSNP_R_SB, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "switchboard: the message with this TrID was delivered",
     "ACK is the switchboard's positive delivery report. It answers a MSG that the "
     "client sent with acknowledgement mode A (and, in later versions, D), and carries "
     "only the TrID of that MSG. Messages sent with mode N are answered only on failure "
     "(NAK) and messages sent with mode U are never answered, so most chat traffic shows "
     "no ACK at all.",
     ack_forms, N(ack_forms)},
    {"ADC", MSNP_R_NS, MSNP_ERA_LATER, MSNP_PL_NONE, 0, -1, "MSNP10+",
     "add a contact (MSNP10 and later; replaced ADD)",
     "ADC replaced ADD when MSNP10 (MSN Messenger 6.1) gave contacts GUIDs. Its "
     "arguments are prefixed fields: N= the account, F= the friendly name, C= the "
     "contact's GUID, optionally followed by a group GUID. The server echoes the request "
     "with the same TrID, and announces someone adding you as ADC 0 RL. It never appears "
     "in an MSNP8 session; seeing it labels the connection as a later protocol version.",
     adc_forms, N(adc_forms)},
    {"ADD", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "add a contact to the forward, allow or block list",
     "ADD puts an account on one of your lists: FL, the forward list (your contacts, "
     "optionally into a group), AL (allowed to see you and talk to you) or BL (blocked). "
     "The client sends the account and a name (the official client repeats the account "
     "as the name); the server answers with the same TrID and the new list version. When "
     "someone else adds you, the server sends ADD 0 RL: they are now on your reverse "
     "list, and a client asks its user whether to allow them. Adding an online contact "
     "to the FL also brings ILN (their presence) and possibly BPR lines. A client may "
     "never ADD to the RL (the server disconnects). Typical errors: 201, 205, 210 (list "
     "full), 215 (already there), 219 (on the opposite list), 224 (no such group).",
     add_forms, N(add_forms)},
    {"ADG", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "create a contact group",
     "ADG creates a group on the server-side contact list. The client sends the "
     "URL-encoded name and a constant 0; the server answers with the new list version, "
     "the name, the new group id (0 to 29) and the 0 again. Errors: 223 when there are "
     "already 30 groups, 229 when the name is too long.",
     adg_forms, N(adg_forms)},
    {"ADL", MSNP_R_NS, MSNP_ERA_LATER, MSNP_PL_LAST_NUMERIC, 3, 2, "MSNP13+",
     "upload contact-list entries as XML (MSNP13 and later)",
     "From MSNP13 (Windows Live Messenger 8) the client fetches its contact list from a "
     "web service and tells the notification server whom it wants presence for by "
     "uploading an XML list with ADL (a payload command: the last token is the byte "
     "count). The server answers ADL TrID OK, and announces additions made elsewhere as "
     "ADL 0 followed by a payload. Not MSNP8.",
     adl_forms, N(adl_forms)},
    {"ANS", MSNP_R_SB, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "join a switchboard conversation you were invited to",
     "ANS is the first line on a switchboard connection opened because of an invitation "
     "(RNG on the notification server). The client names itself and repeats the cookie "
     "and the session id from the RNG. The switchboard then lists the participants "
     "already present, one IRO line each (the newcomer is not listed), and ends the "
     "reply with ANS TrID OK; if nobody is left, ANS OK comes directly. A bad cookie or "
     "session id gives error 911 or a disconnect. The session id links this connection "
     "to the caller's CAL ... RINGING reply.",
     ans_forms, N(ans_forms)},
    {"BLP", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "privacy mode for people on neither the allow nor the block list",
     "BLP decides what happens with people who are on neither your allow list nor your "
     "block list: with AL they may see your status and start conversations, with BL "
     "they may not. The client sets it with BLP TrID AL|BL and the server answers with "
     "the new list version (error 218 if it was already set). Inside a SYN dump the same "
     "command appears without TrID as the second line, reporting the stored setting.",
     blp_forms, N(blp_forms)},
    {"BPR", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "a contact's phone numbers and mobile settings",
     "BPR carries a property of one of your contacts: home, work or mobile phone number "
     "(PHH, PHW, PHM, URL-encoded) or whether they accept pages on their mobile device "
     "(MOB). Inside a SYN dump it has no account name: it belongs to the LST line just "
     "before it. Outside the dump (after an ADD to the forward list, or when a contact "
     "changes a number) it carries the list version and the account. Properties that "
     "are not set are simply not sent in MSNP8.",
     bpr_forms, N(bpr_forms)},
    {"BYE", MSNP_R_SB | MSNP_R_FTP, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "a participant left the conversation; or the end of a file transfer",
     "On a switchboard, BYE tells the remaining participants that someone left: BYE "
     "account when they left (sent OUT or dropped their connection), BYE account 1 "
     "when the server dropped them, e.g. after an idle timeout. When the last other "
     "participant has left, clients usually close the connection too. On an MSNFTP "
     "file-transfer connection, BYE is sent by the receiver with a numeric code: "
     "16777989 means the file arrived completely, other codes report errors or "
     "cancellation.",
     bye_forms, N(bye_forms)},
    {"CAL", MSNP_R_SB, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "invite someone into a switchboard conversation",
     "A participant of a switchboard session invites another user with CAL account. If "
     "the invitation is allowed the switchboard answers CAL TrID RINGING sessionId and "
     "the invitee receives RNG on their notification server; when they arrive, everyone "
     "gets JOI. If the invitee ignores the ring nothing more is sent. Privacy is checked "
     "only here, against the inviter. Errors: 208 (bad account), 215 (already in or "
     "invited to this session), 217 (offline, hidden or blocking you), 713 (inviting too "
     "fast).",
     cal_forms, N(cal_forms)},
    {"CCL", MSNP_R_FTP, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "MSNFTP: the receiver cancels the file transfer",
     "CCL is sent by the receiving side of an MSNFTP file transfer to cancel it, in "
     "place of BYE 2164261682 (receiver cancelled). It has no arguments and no TrID; "
     "some third-party clients (Gaim) send it with a bare LF line end.",
     ccl_forms, N(ccl_forms)},
    {"CHG", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "set your own status (and announce client capabilities)",
     "CHG sets your presence: NLN online, BSY busy, IDL idle, BRB be right back, AWY "
     "away, PHN on the phone, LUN out to lunch, or HDN hidden (appear offline). MSNP8 "
     "added a second argument, the client id: a decimal bit field of capabilities whose "
     "top four bits give the MSNC (peer-to-peer) version. The server confirms by echoing "
     "the line with the same TrID. The first CHG after login matters: it makes the "
     "server send one ILN per contact who is already online, and until it is sent the "
     "client cannot start conversations (XFR gives 913). CHG FLN is an error (201). Later "
     "versions append the display picture's MSNObject.",
     chg_forms, N(chg_forms)},
    {"CHL", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "server challenge: prove you are an approved client",
     "Shortly after login, and then from time to time, the notification server sends CHL "
     "0 followed by a challenge string (normally 20 decimal digits). The client must "
     "answer with QRY, sending a product id and the 32 lower-case hex digits of "
     "MD5(challenge followed by that product's secret key). A wrong answer gives error "
     "540 and a disconnect; no answer in time ends in OUT. MSN Messenger 5 uses the "
     "product id msmsgs@msnmsgr.com with key Q1P7W2E4J9R8U3S5.",
     chl_forms, N(chl_forms)},
    {"CVQ", MSNP_R_NSDS, MSNP_ERA_EARLIER, MSNP_PL_NONE, 0, -1, "MSNP2-7",
     "client-version query of the CVR0 sub-protocol (earlier versions)",
     "CVQ belongs to the client-version check that the pseudo-dialect CVR0 advertises; "
     "one source describes it as the query used when the server picks only CVR0. Its "
     "syntax is not documented in the reference, so msnpdump shows its arguments "
     "without names (the example line is illustrative, modelled on CVR). It is not part "
     "of an MSNP8 session.",
     cvq_forms, N(cvq_forms)},
    {"CVR", MSNP_R_NSDS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "client and operating-system version report",
     "CVR is the second line of a dispatch or notification server connection, after "
     "VER. The client reports its language (a hexadecimal Windows locale id such as "
     "0x0409), operating system (win, winnt or mac) and version, CPU architecture, "
     "client name and version, the constant MSMSGS, and - new in MSNP8 - the account "
     "that is about to sign in. The server answers with the recommended client version "
     "(twice), the minimum version, a download URL and an information URL; unrecognised "
     "clients are recommended 1.0.0000. Third-party clients often impersonate other "
     "builds here. Error 710 means the parameters were rejected.",
     cvr_forms, N(cvr_forms)},
    {"DEL", MSNP_R_NS, MSNP_ERA_LATER, MSNP_PL_LAST_NUMERIC, 3, 2, "MSNP18+",
     "remove a published document (MSNP18 and later)",
     "DEL is the counterpart of PUT in the circle and multiple-points-of-presence "
     "machinery of MSNP18 and later: the client removes what an attached document "
     "describes, and the server answers DEL TrID OK with its own (often empty) payload. "
     "The last token is the payload length. Not MSNP8.",
     del_forms, N(del_forms)},
    {"FIL", MSNP_R_FTP, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "MSNFTP: the sender announces the file size",
     "In an MSNFTP file transfer, after both sides have said VER MSNFTP and the receiver "
     "has authenticated with USR, the sender answers FIL and the file size in bytes. The "
     "receiver replies TFR, and from then on the sender's direction carries binary "
     "blocks (a 3-byte header and up to 2045 data bytes each) until that many bytes have "
     "been sent.",
     fil_forms, N(fil_forms)},
    {"FLN", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "a contact went offline",
     "The notification server sends FLN account, without a TrID, when one of your "
     "contacts signs out - or switches to hidden, which looks the same to you. FLN is "
     "also the status code for offline, but it is only ever received: a client cannot "
     "set it with CHG. Later versions add a network id and capability fields after the "
     "account.",
     fln_forms, N(fln_forms)},
    {"FND", MSNP_R_NS, MSNP_ERA_EARLIER, MSNP_PL_NONE, 0, -1, "MSNP2-7",
     "member-directory search (dead by mid-2003)",
     "FND searched the member directory by first name, last name, city, state and "
     "country (fname=... lname=... fields). Results came back one per line as FND TrID "
     "index total fields, or FND TrID 0 0 when nothing matched, and 301 when there were "
     "too many. Servers answered 502 (command disabled) from about April-July 2003, so in "
     "the MSNP8 era it is effectively dead; msnpdump labels it as an earlier-version "
     "command.",
     fnd_forms, N(fnd_forms)},
    {"FQY", MSNP_R_NS, MSNP_ERA_LATER, MSNP_PL_LAST_NUMERIC, 3, 2, "MSNP14+",
     "federation query about contacts on other networks (MSNP14 and later)",
     "FQY came with the Yahoo! interoperability of MSNP14: the client asks, in an XML "
     "payload, which network an address belongs to, and the server answers with an XML "
     "payload under the same TrID. Both lines end with the payload length. Not MSNP8.",
     fqy_forms, N(fqy_forms)},
    {"GCF", MSNP_R_NS, MSNP_ERA_LATER, MSNP_PL_LAST_NUMERIC, 3, -1, "MSNP11+",
     "download a configuration file such as Shields.xml (MSNP11 and later)",
     "GCF fetches a configuration document, normally Shields.xml, the client's policy "
     "file. The request GCF TrID Shields.xml has no payload; the answer repeats the file "
     "name and ends with the byte count of the XML that follows. From MSNP13 the server "
     "also pushes it unasked as GCF 0 followed by a length. Not MSNP8.",
     gcf_forms, N(gcf_forms)},
    {"GTC", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "what the client does when someone adds you",
     "GTC stores whether the client should ask its user when someone adds them to their "
     "contact list (A) or let it happen silently (N). The client sets it with GTC TrID "
     "A|N and the server answers with the new list version (218 if unchanged). Inside a "
     "SYN dump it appears without TrID as the first line after SYN.",
     gtc_forms, N(gtc_forms)},
    {"ILN", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "initial presence of a contact who is already online",
     "After the first CHG of a session the server sends one ILN per forward-list "
     "contact who is already online, all with the TrID of that CHG; an ADD to the forward "
     "list of an online contact produces one ILN with the ADD's TrID. Each line gives "
     "the status, account, URL-encoded friendly name and client id (capabilities). Later "
     "versions add the display picture's MSNObject (MSNP9) and a network id (MSNP14); "
     "MSNP8 clients expect exactly these four arguments.",
     iln_forms, N(iln_forms)},
    {"IMS", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "turn conversation invitations on or off without changing status",
     "IMS ON|OFF lets a client stop receiving conversation invitations (RNG) and starting "
     "them, without changing its visible status; it was used by WebTV clients. The "
     "server confirms with IMS TrID 0 ON|OFF; the meaning of the 0 is unknown.",
     ims_forms, N(ims_forms)},
    {"INF", MSNP_R_NSDS, MSNP_ERA_EARLIER, MSNP_PL_NONE, 0, -1, "MSNP2-7",
     "list the server's authentication methods (before MSNP8)",
     "Before MSNP8, a client asked which authentication packages the server supports "
     "with INF, and the server answered INF TrID MD5. MSNP8 dropped the command along "
     "with MD5 login: an MSNP8 server closes the connection when it receives INF, so "
     "seeing it marks an older client or a revival setup.",
     inf_forms, N(inf_forms)},
    {"IPG", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_LAST, 2, 1, NULL,
     "an incoming page (mobile message) or a paging failure",
     "IPG delivers a page: a short message from a mobile phone or from the MSN Mobile "
     "service, as an XML <NOTIFICATION> document with <TO>, <FROM> and <MSG> elements. "
     "The line is just IPG and the payload length. A failed PAG can also come back as "
     "an IPG whose notification id equals the PAG's TrID.",
     ipg_forms, N(ipg_forms)},
    {"IRO", MSNP_R_SB, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "roster line: a participant already in the conversation",
     "When a client joins a conversation with ANS, the switchboard first lists everyone "
     "already present, one IRO line each: the ANS TrID, the position (1 to n), the "
     "total n, the account and the URL-encoded friendly name. The joining client itself "
     "is not listed. ANS TrID OK follows the last IRO. Later versions append a "
     "capability number.",
     iro_forms, N(iro_forms)},
    {"JOI", MSNP_R_SB, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "someone joined the conversation",
     "JOI tells every participant of a switchboard session that a new participant has "
     "arrived, giving their account and URL-encoded friendly name. For the caller, the "
     "JOI of the invitee is the sign that the CAL succeeded and messages can now be "
     "sent. It has no TrID. Later versions append a capability number.",
     joi_forms, N(joi_forms)},
    {"LSG", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "a contact group, as listed in the contact-list dump",
     "In an MSNP8 SYN dump, after the settings, the server sends one LSG line per group: "
     "the group id (0 to 29), the URL-encoded name and a constant 0, with no TrID. The "
     "SYN reply says how many there are. If the only group is named ~ the official "
     "client recreates its default groups (one source). A client could also ask for the "
     "groups with LSG TrID; the answer then used the older iterated format (TrID, list "
     "version, index, total), but whether MSNP8 servers changed it is undocumented, and "
     "the request was removed in late 2003. MSNP10 reorders the dump line to name and "
     "GUID.",
     lsg_forms, N(lsg_forms)},
    {"LST", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "a contact, as listed in the contact-list dump",
     "In an MSNP8 SYN dump the server sends one LST line per contact, with no TrID: the "
     "account, the URL-encoded name, a list bit mask (1 forward, 2 allow, 4 block, 8 "
     "reverse: 11 means FL+AL+RL) and, only when the forward bit is set, the "
     "comma-separated group ids. BPR lines after an LST belong to that contact. Counting "
     "LST lines down from the SYN reply's contact count tells when the dump ends. A "
     "contact only on the reverse list and on neither AL nor BL is someone who added you "
     "and whom the client should ask about. The older iterated reply to a client's LST "
     "TrID list request and the MSNP10 N=/F=/C= format are recognised too.",
     lst_forms, N(lst_forms)},
    {"MSG", MSNP_R_NS | MSNP_R_SB, MSNP_ERA_MSNP8, MSNP_PL_LAST, 4, 3, NULL,
     "message: a MIME payload between clients through a switchboard, or a service "
     "message from the notification server",
     "MSG carries everything that is not a command: chat text, typing notifications, "
     "file-transfer invitations, and from the notification server the login profile and "
     "mail notices. The command line ends with the payload's length in bytes; exactly "
     "that many bytes follow, with no line end after them. A client sends MSG with a "
     "transaction id and an acknowledgement mode (U: never answered, N: NAK only on "
     "failure, A: ACK or NAK); the switchboard delivers it to the other participants "
     "with the sender's address and name in place of the TrID. The notification server "
     "sends its own messages as MSG Hotmail Hotmail; clients never send MSG to it.",
     msg_forms, N(msg_forms)},
    {"NAK", MSNP_R_SB, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "switchboard: the message with this TrID could not be delivered",
     "NAK is the switchboard's negative delivery report for a MSG sent with "
     "acknowledgement mode N or A. It carries only the TrID of the failed MSG; the "
     "client usually tells its user that the message was not delivered.",
     nak_forms, N(nak_forms)},
    {"NFY", MSNP_R_NS, MSNP_ERA_LATER, MSNP_PL_LAST_NUMERIC, 3, 2, "MSNP18+",
     "server notification document (MSNP18 and later)",
     "NFY PUT and NFY DEL push presence and circle documents to the client in the "
     "MSNP18-and-later protocol, without a TrID; the last token is the payload length. "
     "Not MSNP8.",
     nfy_forms, N(nfy_forms)},
    {"NLN", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "a contact came online or changed status or name",
     "NLN reports a change in a contact's presence: they signed in, changed status, or "
     "changed their friendly name (a rename is broadcast this way). It has no TrID and "
     "carries the status, account, URL-encoded friendly name and, since MSNP8, the "
     "client id (capability bits). Going offline or hidden is reported with FLN instead. "
     "MSNP8 clients expect exactly four arguments: a fifth (an MSNObject describing the "
     "display picture) marks MSNP9 or later.",
     nln_forms, N(nln_forms)},
    {"NOT", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_LAST, 2, 1, NULL,
     "MSN Alert notification",
     "NOT delivers an MSN Alert: an XML <NOTIFICATION> document (with <TO>, <MSG>, "
     "<ACTION>, <SUBSCR> and <BODY><TEXT> elements) from a subscribed web service, shown "
     "by the client as a pop-up. The line is just NOT and the payload length; there is no "
     "TrID and no reply.",
     not_forms, N(not_forms)},
    {"OUT", MSNP_R_NS | MSNP_R_SB, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "sign out or leave; or the server's last word before it disconnects",
     "A client ends a notification-server session or leaves a conversation by sending "
     "OUT, without a TrID; the server then closes the connection (on a switchboard the "
     "others receive BYE). The notification server also sends OUT itself just before it "
     "disconnects you: OUT OTH when the same account signed in somewhere else, OUT SSD "
     "when the server is shutting down, and a plain OUT for other reasons such as an "
     "unanswered challenge. MIG, TOU and RCT are reasons of later versions.",
     out_forms, N(out_forms)},
    {"PAG", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_LAST_NUMERIC, 4, 3, NULL,
     "page a contact's mobile device",
     "PAG sends a short message to a contact's mobile phone through MSN Mobile (MSNP5 to "
     "MSNP8). The line names the contact and ends with the length of an XML payload such "
     "as <PHONE pri=\"1\">...</PHONE><TEXT xml:space=\"preserve\">text</TEXT>. There is no "
     "success reply; failures come back as an error (e.g. 800) or as an IPG whose "
     "notification id is the PAG's TrID. MSNP9 replaced it with PGD (PAG then returns "
     "715).",
     pag_forms, N(pag_forms)},
    {"PGD", MSNP_R_NS, MSNP_ERA_LATER, MSNP_PL_LAST_NUMERIC, 5, 4, "MSNP9+",
     "page a contact's mobile device (MSNP9 and later; replaced PAG)",
     "PGD is the MSNP9 successor of PAG: the client sends a page to a contact's mobile "
     "device, with the length of an XML payload as the last token. It never appears in "
     "an MSNP8 session (one source).",
     pgd_forms, N(pgd_forms)},
    {"PNG", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "keep-alive ping",
     "A client sends PNG, with no TrID and no arguments, every so often to keep the "
     "notification-server connection alive and to check that it still works; the "
     "server answers QNG. Over the HTTP gateway PNG is not allowed (one source).",
     png_forms, N(png_forms)},
    {"PRP", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "your own phone numbers and mobile settings",
     "PRP stores a property of your own account: PHH, PHW and PHM (home, work and mobile "
     "phone numbers, URL-encoded), MOB (whether contacts may page your mobile device, "
     "Y or N) and MBE (mobile device enabled, set by the server). The client sends PRP "
     "TrID property value and the server answers with the new list version. Inside a SYN "
     "dump the set properties appear without TrID after GTC and BLP. An unknown property "
     "gives 715; a property name longer than three characters or a value over 95 bytes "
     "makes the server disconnect (one source). MSNP10 stores the friendly name as PRP "
     "MFN.",
     prp_forms, N(prp_forms)},
    {"PUT", MSNP_R_NS, MSNP_ERA_LATER, MSNP_PL_LAST_NUMERIC, 3, 2, "MSNP18+",
     "publish a document (MSNP18 and later)",
     "PUT publishes a document (presence, circle membership, multiple points of "
     "presence) to the notification server in MSNP18 and later; the server answers PUT "
     "TrID OK with its own payload. The last token is the payload length. Not MSNP8.",
     put_forms, N(put_forms)},
    {"QNG", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "answer to a keep-alive ping",
     "QNG is the notification server's answer to PNG. In MSNP8 it has no arguments; from "
     "MSNP9 on it carries the number of seconds within which the server wants the next "
     "PNG, which makes QNG with a number a reliable sign of a later protocol version.",
     qng_forms, N(qng_forms)},
    {"QRY", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_LAST_NUMERIC, 4, 3, NULL,
     "answer to a server challenge (CHL)",
     "QRY answers a CHL challenge. The client sends its product id and the number 32, "
     "then exactly 32 bytes with no line end: the lower-case hex MD5 of the challenge "
     "followed by the product's secret key (msmsgs@msnmsgr.com and Q1P7W2E4J9R8U3S5 for "
     "MSN Messenger 5 and 6; third-party clients used other accepted pairs such as "
     "PROD0038W!61ZTF9). The server's reply QRY TrID has no payload; a wrong answer gives "
     "540 and a disconnect. Product ids like PROD0090YUAUV{2B belong to MSN Messenger 7 "
     "(MSNP11 and later), whose challenge algorithm is different.",
     qry_forms, N(qry_forms)},
    {"REA", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "rename yourself or a contact",
     "REA changes a friendly name: your own when the account is yours (watchers then "
     "receive NLN with the new name), or the stored name of a contact. The client sends "
     "the account and the URL-encoded name; the server answers with the new list "
     "version. Errors: 209 (forbidden name, or unverified Passport), 216 (not on any "
     "list), 800 (renaming too fast). MSNP10 replaced it with PRP MFN and SBP.",
     rea_forms, N(rea_forms)},
    {"REG", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "rename a contact group",
     "REG renames a group: the client sends the group id, the new URL-encoded name and a "
     "constant 0, and the server answers with the new list version, the id, the name and "
     "the 0. Errors: 224 (no such group), 229 (name too long).",
     reg_forms, N(reg_forms)},
    {"REM", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "remove a contact from a list or a group",
     "REM takes an account off your forward, allow or block list; with a group id after "
     "a forward-list account it only removes the contact from that group. The server "
     "answers with the same TrID and the new list version. When someone removes you from "
     "their contact list, the server sends REM 0 RL: they left your reverse list. A "
     "client may never REM from the RL (disconnect). Errors: 216 (not on the list), 225 "
     "(not in that group).",
     rem_forms, N(rem_forms)},
    {"RMG", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "delete a contact group",
     "RMG deletes a group by id; the server answers with the new list version and the "
     "id. Contacts that were only in that group drop off the forward list. Group 0 "
     "cannot be removed (230); an unknown id gives 224.",
     rmg_forms, N(rmg_forms)},
    {"RML", MSNP_R_NS, MSNP_ERA_LATER, MSNP_PL_LAST_NUMERIC, 3, 2, "MSNP13+",
     "remove contact-list entries given as XML (MSNP13 and later)",
     "RML is the counterpart of ADL in MSNP13 and later: the client removes the contacts "
     "listed in an XML payload, the server answers RML TrID OK, and removals made "
     "elsewhere arrive as RML 0 with a payload. Not MSNP8.",
     rml_forms, N(rml_forms)},
    {"RNG", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "you are invited to a conversation",
     "RNG arrives on the notification server when someone invites you into a "
     "switchboard conversation (their CAL). It gives the session id, the switchboard's "
     "address, the authentication method CKI, a cookie, and the caller's account and "
     "URL-encoded name. To accept, the client opens a connection to that address and "
     "sends ANS with its account, the cookie and the session id; ignoring the RNG is how "
     "an invitation is declined. RNG has exactly six arguments in MSNP8; MSNP13 and later "
     "append more.",
     rng_forms, N(rng_forms)},
    {"SBP", MSNP_R_NS, MSNP_ERA_LATER, MSNP_PL_NONE, 0, -1, "MSNP10+",
     "set a property of a contact, by GUID (MSNP10 to MSNP12)",
     "SBP replaced REA for contacts when MSNP10 introduced contact GUIDs: the client "
     "sets a property such as MFN (the stored friendly name) of the contact with that "
     "GUID, and the server echoes the line. Not MSNP8.",
     sbp_forms, N(sbp_forms)},
    {"SBS", MSNP_R_NS, MSNP_ERA_LATER, MSNP_PL_NONE, 0, -1, "MSNP11+",
     "notice of unknown purpose sent after login (MSNP11 and later)",
     "SBS 0 null is sent by MSNP11-and-later servers after a successful login. Its "
     "purpose is unknown and clients ignore it; its presence marks a later protocol "
     "version.",
     sbs_forms, N(sbs_forms)},
    {"SDC", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_LAST_NUMERIC, 10, 9, NULL,
     "ask the server to e-mail someone an invitation to Messenger",
     "SDC asks the server to send an e-mail to an address, inviting its owner to use "
     "Messenger. The line carries the address, a language id, two client identifiers "
     "(MSMSGS MSMSGS), two constants X X, your URL-encoded name and the length of an "
     "optional plain-text note that follows (0: no payload). The server answers SDC "
     "TrID OK; bad arguments give 503 and a disconnect (one source).",
     sdc_forms, N(sdc_forms)},
    {"SDG", MSNP_R_NS, MSNP_ERA_LATER, MSNP_PL_LAST_NUMERIC, 3, 2, "MSNP18+",
     "send a message through the notification server (MSNP18 and later)",
     "SDG carries messages through the notification server instead of a switchboard, "
     "used for circles (group chats) in MSNP18 and later; the server delivers them as "
     "SDG 0 with the same kind of payload. Not MSNP8.",
     sdg_forms, N(sdg_forms)},
    {"SND", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "older form of the e-mail invitation (deprecated)",
     "SND asks the server to e-mail an invitation to use Messenger to an address, "
     "optionally with a language id and client identifiers; the server answers SND TrID "
     "OK. It was deprecated in favour of SDC from MSNP5, and whether MSNP8 servers still "
     "honoured it is uncertain.",
     snd_forms, N(snd_forms)},
    {"SYN", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "synchronise the contact list",
     "After login the client sends SYN with the version number of the contact list it "
     "has cached (0 for none). If that version is current the server just echoes it. "
     "Otherwise it answers SYN TrID newVersion contactCount groupCount and then sends the "
     "whole list as TrID-less lines: GTC, BLP, any PRP, one LSG per group, and one LST "
     "per contact, each LST possibly followed by BPR lines. The dump ends after "
     "contactCount LST lines. MSNP10 and later replace the version number with two "
     "timestamps.",
     syn_forms, N(syn_forms)},
    {"TFR", MSNP_R_FTP, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "MSNFTP: the receiver asks for the file data",
     "TFR is the receiver's go-ahead in an MSNFTP file transfer, sent after the sender's "
     "FIL. From then on the sender's direction of the connection carries binary blocks "
     "instead of text lines, until the announced number of bytes has been sent or a "
     "block with header byte 0x01 ends it; the receiver's direction stays text (BYE or "
     "CCL).",
     tfr_forms, N(tfr_forms)},
    {"UBM", MSNP_R_NS, MSNP_ERA_LATER, MSNP_PL_LAST, 5, 4, "MSNP14+",
     "message from another network's user (MSNP14 and later)",
     "UBM delivers a message from a user of a federated network (Yahoo! Messenger) "
     "through the notification server, since such users cannot join switchboards. The "
     "last token is the payload length. Not MSNP8.",
     ubm_forms, N(ubm_forms)},
    {"UBN", MSNP_R_NS, MSNP_ERA_LATER, MSNP_PL_LAST, 4, 3, "MSNP13+",
     "notification relayed from another user (MSNP13 and later)",
     "UBN relays a notification that another user sent with UUN through the "
     "notification server; the line names the sender and a numeric type, and the last "
     "token is the payload length. Not MSNP8.",
     ubn_forms, N(ubn_forms)},
    {"UBX", MSNP_R_NS, MSNP_ERA_LATER, MSNP_PL_LAST, 3, -1, "MSNP11+",
     "a contact's personal message and now-playing data (MSNP11 and later)",
     "UBX carries a contact's personal message and current media as an XML payload "
     "(<Data><PSM>...</PSM><CurrentMedia>...</CurrentMedia></Data>), without TrID. The "
     "last token is the payload length; MSNP14 inserts a network id before it. Its "
     "presence marks MSNP11 or later.",
     ubx_forms, N(ubx_forms)},
    {"URL", MSNP_R_NS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "get a Passport-authenticated web link (mailbox, profile, ...)",
     "URL asks the notification server for a link that opens a web service already "
     "signed in: INBOX and FOLDERS (Hotmail), COMPOSE (with a recipient), PASSWORD, "
     "PERSON, PROFILE (with a language id), MOBILE, CHGMOB, MESSAGE, CHAT, N2PACCOUNT, "
     "N2PFUND, and in the MSNP8 client ADDRBOOK, ADVSEARCH and INTSEARCH. The server "
     "answers with the target page or redirect, the Passport login URL through which to "
     "open it, and a site id.",
     url_forms, N(url_forms)},
    {"USR", MSNP_R_NSDS | MSNP_R_SB | MSNP_R_FTP, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "authentication: Passport login, switchboard or MSNFTP cookie",
     "On the dispatch and notification servers USR runs the login. In MSNP8 it uses "
     "Passport 1.4 (Tweener, TWN): USR TrID TWN I account; a dispatch server answers "
     "with an XFR referral, a notification server with USR TrID TWN S and an opaque "
     "parameter string that the client takes to the Passport login server over HTTPS; "
     "the client returns with USR TrID TWN S ticket and the server answers USR TrID OK "
     "account name verified restricted, then sends the login profile. Earlier versions "
     "used MD5 (USR TrID MD5 I/S), which MSNP8 servers refuse but some revival servers "
     "accept. On a switchboard, USR TrID account cookie presents the cookie from XFR. On "
     "an MSNFTP connection, USR account cookie (no TrID) presents the AuthCookie from "
     "the invitation. Errors: 911 (bad ticket or cookie), 207 (already logged in), 923 "
     "and 924 (account restrictions).",
     usr_forms, N(usr_forms)},
    {"UUM", MSNP_R_NS, MSNP_ERA_LATER, MSNP_PL_LAST_NUMERIC, 6, 5, "MSNP14+",
     "send a message to another network's user (MSNP14 and later)",
     "UUM sends a message to a user of a federated network (Yahoo! Messenger) through "
     "the notification server; the line names the user, the network id and a message "
     "type, and ends with the payload length. Not MSNP8.",
     uum_forms, N(uum_forms)},
    {"UUN", MSNP_R_NS, MSNP_ERA_LATER, MSNP_PL_LAST_NUMERIC, 5, 4, "MSNP13+",
     "send a notification to another user through the server (MSNP13 and later)",
     "UUN sends a notification to another user through the notification server (the "
     "receiver gets UBN); the line names the user and a numeric type and ends with the "
     "payload length, and the server answers UUN TrID OK. Not MSNP8.",
     uun_forms, N(uun_forms)},
    {"UUX", MSNP_R_NS, MSNP_ERA_LATER, MSNP_PL_LAST_NUMERIC, 3, 2, "MSNP11+",
     "set your personal message and now-playing data (MSNP11 and later)",
     "UUX sets the client's personal message and current media as an XML payload; "
     "contacts receive it as UBX. The server answers UUX TrID 0 (a zero-length payload). "
     "Not MSNP8.",
     uux_forms, N(uux_forms)},
    {"VAS", MSNP_R_NS, MSNP_ERA_LATER, MSNP_PL_LAST_NUMERIC, 3, -1, "MSNP18+",
     "report a user (MSNP18 and later; one source)",
     "VAS belongs to the MSNP18-and-later command set. One revival-server implementation "
     "handles it as reporting a user, with the account, two further arguments and a "
     "payload whose length is the last token; no reply is known. Not MSNP8.",
     vas_forms, N(vas_forms)},
    {"VER", MSNP_R_NSDS | MSNP_R_FTP, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "protocol version negotiation",
     "VER is the first line of a dispatch or notification server connection. The client "
     "lists the protocol versions it speaks (MSN Messenger 5 sends MSNP8 and the "
     "pseudo-version CVR0, meaning it understands the CVR version check); the server "
     "answers with the versions it accepts, or 0 and a disconnect if none. On an MSNFTP "
     "file-transfer connection both peers open with VER MSNFTP, without a TrID.",
     ver_forms, N(ver_forms)},
    {"XFR", MSNP_R_NSDS, MSNP_ERA_MSNP8, MSNP_PL_NONE, 0, -1, NULL,
     "referral to another server: notification server or switchboard",
     "XFR sends the client elsewhere. A dispatch server (or an overloaded notification "
     "server) answers the first USR with XFR TrID NS address 0 currentAddress and closes "
     "the connection; the client signs in again at that address. To start a "
     "conversation the client sends XFR TrID SB and the server answers with a "
     "switchboard address, the method CKI and a cookie, which the client presents with "
     "USR on its new switchboard connection (913 if the client is hidden or has not sent "
     "CHG yet). The SB cookie links the notification-server connection to the "
     "switchboard connection in a capture.",
     xfr_forms, N(xfr_forms)},
};

const msnp_command_info *msnp_command_table(size_t *count)
{
    *count = N(commands);
    return commands;
}
