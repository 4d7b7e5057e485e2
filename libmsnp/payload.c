/* MSG payloads by content type (protocol reference §6): the table of content
 * types and the dispatch to their decoders. */
#include "msnp/payload.h"

#include <string.h>

#include "msnp/commands.h"
#include "payload_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Adapters from the dispatch signature to each decoder. */
static void decode_text(const uint8_t *p, size_t n, msnp_payload *o)
{
    msnp_text_decode(p, n, &o->mime, &o->u.text);
}
static void decode_typing(const uint8_t *p, size_t n, msnp_payload *o)
{
    msnp_typing_decode(p, n, &o->mime, &o->u.typing);
}
static void decode_invite(const uint8_t *p, size_t n, msnp_payload *o)
{
    msnp_invite_decode(p, n, &o->mime, &o->u.invite);
}
static void decode_profile(const uint8_t *p, size_t n, msnp_payload *o)
{
    msnp_profile_decode(p, n, &o->mime, &o->u.profile);
}
static void decode_mail_initial(const uint8_t *p, size_t n, msnp_payload *o)
{
    msnp_mail_decode(p, n, &o->mime, MSNP_MAIL_INITIAL, &o->u.mail);
}
static void decode_mail_new(const uint8_t *p, size_t n, msnp_payload *o)
{
    msnp_mail_decode(p, n, &o->mime, MSNP_MAIL_NEW, &o->u.mail);
}
static void decode_mail_active(const uint8_t *p, size_t n, msnp_payload *o)
{
    msnp_mail_decode(p, n, &o->mime, MSNP_MAIL_ACTIVE, &o->u.mail);
}
static void decode_system(const uint8_t *p, size_t n, msnp_payload *o)
{
    msnp_system_decode(p, n, &o->mime, &o->u.system);
}
static void decode_caps(const uint8_t *p, size_t n, msnp_payload *o)
{
    msnp_clientcaps_decode(p, n, &o->mime, &o->u.caps);
}
static void decode_p2p(const uint8_t *p, size_t n, msnp_payload *o)
{
    msnp_p2p_decode(p, n, &o->mime, &o->u.p2p);
}
static void decode_emoticon(const uint8_t *p, size_t n, msnp_payload *o)
{
    msnp_emoticon_decode(p, n, &o->mime, &o->u.emoticon);
}
static void decode_datacast(const uint8_t *p, size_t n, msnp_payload *o)
{
    msnp_datacast_decode(p, n, &o->mime, &o->u.datacast);
}
static void decode_later_opaque(const uint8_t *p, size_t n, msnp_payload *o)
{
    msnp_later_body_decode(p, n, &o->mime, 0, &o->u.later);
}
static void decode_later_fields(const uint8_t *p, size_t n, msnp_payload *o)
{
    msnp_later_body_decode(p, n, &o->mime, 1, &o->u.later);
}

#define NS MSNP_R_NS
#define SB MSNP_R_SB
#define M8 MSNP_ERA_MSNP8, NULL
/* §6.3 lists these as later-version types [L]; it dates P2P (MSNC1) to
 * Messenger 6.0 / MSNP9, the others only as "not MSNP8", i.e. MSNP9 or later.
 * The offline-message notices are MSNP11+ (§6.2). */
#define L9 MSNP_ERA_LATER, "MSNP9+"
#define L11 MSNP_ERA_LATER, "MSNP11+"

static const msnp_content_type types[] = {
    {"text/plain", MSNP_PK_TEXT, M8, SB, "text", "instant message", decode_text},
    {"text/x-msmsgscontrol", MSNP_PK_TYPING, M8, SB, "typing", "typing notification",
     decode_typing},
    {"text/x-msmsgsinvite", MSNP_PK_INVITE, M8, SB, "invite",
     "application invitation (file transfer, NetMeeting, voice, ...)", decode_invite},
    {"text/x-msmsgsprofile", MSNP_PK_PROFILE, M8, NS, "profile",
     "login profile sent after USR OK", decode_profile},
    {"text/x-msmsgsinitialemailnotification", MSNP_PK_MAIL_INITIAL, M8, NS, "mail_initial",
     "unread Hotmail counts at login", decode_mail_initial},
    {"text/x-msmsgsemailnotification", MSNP_PK_MAIL_NEW, M8, NS, "mail_new",
     "new Hotmail message", decode_mail_new},
    {"text/x-msmsgsactivemailnotification", MSNP_PK_MAIL_ACTIVE, M8, NS, "mail_active",
     "Hotmail message moved or deleted", decode_mail_active},
    {"application/x-msmsgssystemmessage", MSNP_PK_SYSTEM, M8, NS, "system",
     "system message (maintenance announcement)", decode_system},
    {"text/x-clientcaps", MSNP_PK_CLIENTCAPS, M8, SB, "clientcaps",
     "third-party client capabilities (unofficial; the official client ignores it)",
     decode_caps},
    {"application/x-msnmsgrp2p", MSNP_PK_P2P, L9, SB, "p2p",
     "MSNC P2P data (display pictures, emoticons, newer file transfer)", decode_p2p},
    {"text/x-mms-emoticon", MSNP_PK_EMOTICON, L9, SB, "emoticon", "custom emoticon map",
     decode_emoticon},
    {"text/x-mms-animemoticon", MSNP_PK_ANIMEMOTICON, L9, SB, "animemoticon",
     "animated custom emoticon map", decode_emoticon},
    {"text/x-msnmsgr-datacast", MSNP_PK_DATACAST, L9, SB, "datacast",
     "datacast (nudge, wink, voice clip, ...)", decode_datacast},
    {"application/x-ms-ink", MSNP_PK_INK, L9, SB, "ink", "handwritten ink (ISF)",
     decode_later_opaque},
    {"image/gif", MSNP_PK_INK_GIF, L9, SB, "ink_gif", "handwritten ink as a GIF image",
     decode_later_opaque},
    {"text/x-keepalive", MSNP_PK_KEEPALIVE, L9, SB, "keepalive", "switchboard keep-alive",
     decode_later_opaque},
    {"text/x-msmsgsinitialmdatanotification", MSNP_PK_INITIAL_MDATA, L11, NS, "mdata_initial",
     "initial mail-data notification (offline messages)", decode_later_fields},
    {"text/x-msmsgsoimnotification", MSNP_PK_OIM, L11, NS, "oim",
     "offline-message notification", decode_later_fields},
};
_Static_assert(N(types) == MSNP_PK_COUNT - 1, "one content type per payload kind");

static const msnp_code_name issues[] = {
    {MSNP_PAYLOAD_ISSUE_NO_MIME, "the payload does not start with a MIME header"},
    {MSNP_PAYLOAD_ISSUE_NO_MIME_VERSION, "no MIME-Version header"},
    {MSNP_PAYLOAD_ISSUE_NO_CONTENT_TYPE, "no Content-Type header"},
    {MSNP_PAYLOAD_ISSUE_UNKNOWN_TYPE,
     "a content type the reference does not list (the official client ignores it)"},
    {MSNP_PAYLOAD_ISSUE_LATER_TYPE, "a content type of later protocol versions, not MSNP8"},
    {MSNP_PAYLOAD_ISSUE_LF_ONLY, "header lines end in a bare LF (third-party client)"},
    {MSNP_PAYLOAD_ISSUE_CHUNKED,
     "part of a long message split into chunks (Message-ID/Chunks/Chunk: later clients)"},
    {MSNP_PAYLOAD_ISSUE_TOO_MANY_HEADERS, "more header lines than the decoder keeps"},
    {MSNP_PAYLOAD_ISSUE_BAD_HEADER_LINE, "a header line without \"Name:\" (ignored)"},
};
const msnp_code_table msnp_payload_issue_table = {"payload_issue", issues, N(issues)};

const msnp_content_type *msnp_content_type_find(const uint8_t *base, msnp_span media_type)
{
    for (size_t i = 0; i < N(types); i++)
        if (msnp_span_ieq(base, media_type, types[i].media_type))
            return &types[i];
    return NULL;
}

size_t msnp_content_type_count(void)
{
    return N(types);
}

const msnp_content_type *msnp_content_type_at(size_t i)
{
    return i < N(types) ? &types[i] : NULL;
}

/* Headers kept for every message, by name; the last three mark a chunk of a
 * long message split by a later client. */
#define CHUNK_HEADERS (1u << 2 | 1u << 3 | 1u << 4)
static const msnp_field_slot common_headers[] = {
    {"User-Agent", offsetof(msnp_payload, user_agent)},
    {"P4-Context", offsetof(msnp_payload, p4_context)},
    {"Message-ID", offsetof(msnp_payload, message_id)},
    {"Chunks", offsetof(msnp_payload, chunks)},
    {"Chunk", offsetof(msnp_payload, chunk)},
};

void msnp_payload_decode(const uint8_t *p, size_t n, msnp_payload *out)
{
    memset(out, 0, sizeof *out);
    if (msnp_mime_parse(p, n, &out->mime) != 0)
        out->issues |= MSNP_PAYLOAD_ISSUE_NO_MIME;
    const msnp_fields *h = &out->mime.headers;
    if (h->count && !msnp_fields_find(h, p, "MIME-Version"))
        out->issues |= MSNP_PAYLOAD_ISSUE_NO_MIME_VERSION;
    if (h->count && !msnp_fields_find(h, p, "Content-Type"))
        out->issues |= MSNP_PAYLOAD_ISSUE_NO_CONTENT_TYPE;
    if (h->lf_only)
        out->issues |= MSNP_PAYLOAD_ISSUE_LF_ONLY;
    if (h->overflow)
        out->issues |= MSNP_PAYLOAD_ISSUE_TOO_MANY_HEADERS;
    if (h->count && h->bad_lines) /* without any header line, NO_MIME says it all */
        out->issues |= MSNP_PAYLOAD_ISSUE_BAD_HEADER_LINE;
    uint64_t present;
    msnp_bind_fields(h, p, common_headers, N(common_headers), out, &present);
    if (present & CHUNK_HEADERS)
        out->issues |= MSNP_PAYLOAD_ISSUE_CHUNKED;

    out->type = msnp_content_type_find(p, out->mime.content_type);
    if (!out->type) {
        if (out->mime.content_type.len)
            out->issues |= MSNP_PAYLOAD_ISSUE_UNKNOWN_TYPE;
        return;
    }
    out->kind = out->type->kind;
    if (out->type->era != MSNP_ERA_MSNP8)
        out->issues |= MSNP_PAYLOAD_ISSUE_LATER_TYPE;
    out->type->decode(p, n, out);
}
