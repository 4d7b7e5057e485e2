/* Walking decoded results and reporting each value under its vocabulary
 * entry (payload.h). Which member becomes which field is written once here,
 * as tables where the shape allows, so both faces emit the same fields. */
#include <stddef.h>
#include <string.h>

#include "msnp/commands.h"
#include "msnp/payload.h"
#include "msnp/text.h"
#include "msnp/values.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

typedef struct emitter {
    const uint8_t *p;
    msnp_vocab_scratch scratch;
    msnp_vocab_visitor visit;
    void *ctx;
} emitter;

/* Each field's table, found by name the first time a value of the field is
 * reported (a search through every table by name per value cost more than
 * the decoding). Process-wide and not thread-safe, like meaning.c's cache. */
static struct {
    uint8_t found;
    const msnp_value_table *vt;
    const msnp_code_table *ct;
} field_tables[MSNP_V_COUNT];

/* Text of a value through the field's table: value tables (values.h) are
 * keyed by the value as on the wire, code tables (codes.h) by the number. */
static const char *table_text(msnp_vocab_id id, const uint8_t *wire, size_t len,
                              int has_number, uint64_t number)
{
    const msnp_vocab_field *f = msnp_vocab(id);
    if (!f || !f->table)
        return NULL;
    if (!field_tables[id].found) {
        field_tables[id].vt = msnp_value_table_find(f->table, strlen(f->table));
        field_tables[id].ct = field_tables[id].vt ? NULL : msnp_code_table_find(f->table);
        field_tables[id].found = 1;
    }
    if (field_tables[id].vt)
        return wire ? msnp_value_text(field_tables[id].vt, wire, len) : NULL;
    const msnp_code_table *ct = field_tables[id].ct;
    if (ct && has_number && number <= UINT32_MAX)
        return msnp_code_text(ct, (uint32_t)number);
    return NULL;
}

static void start(msnp_vocab_value *v, msnp_vocab_id id, msnp_span span)
{
    memset(v, 0, sizeof *v);
    v->id = id;
    v->field = msnp_vocab(id);
    v->span = span;
}

static void emit_string(emitter *e, msnp_vocab_id id, msnp_span s)
{
    msnp_vocab_value v;
    start(&v, id, s);
    v.str = e->p + s.off;
    v.str_len = s.len;
    v.text = table_text(id, v.str, v.str_len, 0, 0);
    e->visit(e->ctx, &v);
}

static void emit_keyed(emitter *e, msnp_vocab_id id, const msnp_field *f)
{
    msnp_vocab_value v;
    start(&v, id, f->value);
    v.key = f->name;
    v.str = e->p + f->value.off;
    v.str_len = f->value.len;
    e->visit(e->ctx, &v);
}

static void emit_fields(emitter *e, msnp_vocab_id id, const msnp_fields *fields)
{
    for (unsigned i = 0; i < fields->count; i++)
        emit_keyed(e, id, &fields->f[i]);
}

typedef size_t (*decoder)(const uint8_t *base, msnp_span s, char *dst, size_t size);

static size_t url_decoder(const uint8_t *base, msnp_span s, char *dst, size_t size)
{
    return msnp_url_decode(base + s.off, s.len, dst, size);
}

static size_t rfc2047_decoder(const uint8_t *base, msnp_span s, char *dst, size_t size)
{
    return msnp_rfc2047_decode(base + s.off, s.len, dst, size);
}

/* A string the wire encodes, decoded into the scratch buffer (or left as it
 * is when there is no scratch space). */
static void emit_decoded(emitter *e, msnp_vocab_id id, msnp_span s, decoder decode)
{
    if (!e->scratch.buf || e->scratch.size == 0) {
        emit_string(e, id, s);
        return;
    }
    msnp_vocab_value v;
    start(&v, id, s);
    v.str_len = decode(e->p, s, e->scratch.buf, e->scratch.size);
    v.str = (const uint8_t *)e->scratch.buf;
    /* The decoders stop before a character that does not fit: a value that
     * nearly fills the buffer may have been cut. */
    v.truncated = v.str_len + 4 >= e->scratch.size;
    v.text = table_text(id, v.str, v.str_len, 0, 0);
    e->visit(e->ctx, &v);
}

static void emit_computed(emitter *e, msnp_vocab_id id, const char *s, const char *text)
{
    msnp_vocab_value v;
    msnp_span none = {0, 0};
    start(&v, id, none);
    v.str = (const uint8_t *)s;
    v.str_len = strlen(s);
    v.text = text;
    e->visit(e->ctx, &v);
}

static void emit_uint(emitter *e, msnp_vocab_id id, msnp_span s, uint64_t n)
{
    msnp_vocab_value v;
    start(&v, id, s);
    v.u = n;
    v.text = table_text(id, s.len ? e->p + s.off : NULL, s.len, 1, n);
    e->visit(e->ctx, &v);
}

static void emit_int(emitter *e, msnp_vocab_id id, msnp_span s, int64_t n)
{
    msnp_vocab_value v;
    start(&v, id, s);
    v.i = n;
    e->visit(e->ctx, &v);
}

static void emit_bytes(emitter *e, msnp_vocab_id id, msnp_span s)
{
    msnp_vocab_value v;
    start(&v, id, s);
    v.str = e->p + s.off;
    v.str_len = s.len;
    e->visit(e->ctx, &v);
}

static void emit_issues(emitter *e, const msnp_code_table *t, uint32_t bits)
{
    for (size_t i = 0; i < t->count; i++)
        if (bits & t->codes[i].code)
            emit_computed(e, MSNP_V_PAYLOAD_ISSUE, t->codes[i].text, NULL);
}

/* ---- MSG payloads by kind ---------------------------------------------------- */

static void visit_format(emitter *e, const msnp_im_format *f)
{
    static const struct {
        uint8_t bit;
        msnp_vocab_id id;
    } effects[] = {
        {MSNP_EF_BOLD, MSNP_V_FORMAT_BOLD},
        {MSNP_EF_ITALIC, MSNP_V_FORMAT_ITALIC},
        {MSNP_EF_UNDERLINE, MSNP_V_FORMAT_UNDERLINE},
        {MSNP_EF_STRIKEOUT, MSNP_V_FORMAT_STRIKEOUT},
    };
    if (f->present & MSNP_FMT_HAS_FN)
        emit_decoded(e, MSNP_V_FORMAT_FONT, f->font, url_decoder);
    if (f->present & MSNP_FMT_HAS_EF) {
        emit_string(e, MSNP_V_FORMAT_EFFECTS, f->effects);
        for (size_t i = 0; i < N(effects); i++)
            emit_uint(e, effects[i].id, f->effects, (f->effect_bits & effects[i].bit) != 0);
    }
    if (f->color_valid)
        emit_uint(e, MSNP_V_FORMAT_COLOR, f->color, f->color_rgb);
    if (f->charset_valid)
        emit_uint(e, MSNP_V_FORMAT_CHARSET, f->charset, f->charset_code);
    if (f->pitch_family_valid) {
        emit_uint(e, MSNP_V_FORMAT_PITCH_FAMILY, f->pitch_family, f->pitch_family_code);
        emit_uint(e, MSNP_V_FORMAT_FAMILY, f->pitch_family, msnp_pf_family(f->pitch_family_code));
        emit_uint(e, MSNP_V_FORMAT_PITCH, f->pitch_family, msnp_pf_pitch(f->pitch_family_code));
    }
    if (f->present & MSNP_FMT_HAS_RL)
        emit_uint(e, MSNP_V_FORMAT_RTL, f->rtl, f->right_to_left);
    emit_issues(e, &msnp_format_issue_table, f->issues);
}

static void visit_text(emitter *e, const msnp_payload *pl)
{
    const msnp_text_msg *t = &pl->u.text;
    int needs_conversion = 0;
    if (t->charset == MSNP_TEXT_LATIN1)
        for (uint32_t i = 0; i < t->text.len && !needs_conversion; i++)
            needs_conversion = e->p[t->text.off + i] >= 0x80;
    if (needs_conversion && e->scratch.buf && e->scratch.size) {
        msnp_vocab_value v;
        start(&v, MSNP_V_MSG_TEXT, t->text);
        v.str_len = msnp_text_to_utf8(e->p, t, e->scratch.buf, e->scratch.size);
        v.str = (const uint8_t *)e->scratch.buf;
        v.truncated = v.str_len + 4 >= e->scratch.size;
        e->visit(e->ctx, &v);
    } else {
        emit_string(e, MSNP_V_MSG_TEXT, t->text);
    }
    if (t->has_format)
        visit_format(e, &t->format);
    /* The format's own issues say more than "malformed format". */
    emit_issues(e, &msnp_text_issue_table, t->issues & ~MSNP_TEXT_ISSUE_BAD_FORMAT);
}

static void visit_typing(emitter *e, const msnp_payload *pl)
{
    if (pl->u.typing.user.len)
        emit_string(e, MSNP_V_TYPING_USER, pl->u.typing.user);
    emit_issues(e, &msnp_typing_issue_table, pl->u.typing.issues);
}

/* Invitation fields reported as strings, by msnp_invite_field. */
static const msnp_vocab_id invite_strings[MSNP_INV_FIELD_COUNT] = {
    [MSNP_INV_COMMAND] = MSNP_V_INVITE_COMMAND,
    [MSNP_INV_APP_NAME] = MSNP_V_INVITE_APP_NAME,
    [MSNP_INV_APP_GUID] = MSNP_V_INVITE_APP_GUID,
    [MSNP_INV_SESSION_PROTOCOL] = MSNP_V_INVITE_SESSION_PROTOCOL,
    [MSNP_INV_SESSION_ID] = MSNP_V_INVITE_SESSION_ID,
    [MSNP_INV_FILE] = MSNP_V_INVITE_FILE,
    [MSNP_INV_CONNECTIVITY] = MSNP_V_INVITE_CONNECTIVITY,
    [MSNP_INV_LAUNCH_APPLICATION] = MSNP_V_INVITE_LAUNCH_APPLICATION,
    [MSNP_INV_REQUEST_DATA] = MSNP_V_INVITE_REQUEST_DATA,
    [MSNP_INV_IP_ADDRESS] = MSNP_V_INVITE_IP,
    [MSNP_INV_IP_ADDRESS_INTERNAL] = MSNP_V_INVITE_IP_INTERNAL,
    [MSNP_INV_SENDER_CONNECT] = MSNP_V_INVITE_SENDER_CONNECT,
    [MSNP_INV_CANCEL_CODE] = MSNP_V_INVITE_CANCEL_CODE,
    [MSNP_INV_CONTEXT_DATA] = MSNP_V_INVITE_CONTEXT_DATA,
    [MSNP_INV_CONN_TYPE] = MSNP_V_INVITE_CONN_TYPE,
    [MSNP_INV_SIP_CAPABILITY] = MSNP_V_INVITE_SIP_CAPABILITY,
    [MSNP_INV_PUBLIC_IP] = MSNP_V_INVITE_PUBLIC_IP,
    [MSNP_INV_PRIVATE_IP] = MSNP_V_INVITE_PRIVATE_IP,
    [MSNP_INV_AVM_SUPPORT] = MSNP_V_INVITE_AVM_SUPPORT,
    [MSNP_INV_AVM_REQUEST] = MSNP_V_INVITE_AVM_REQUEST,
};

/* The span members of these results follow their field enums, from the first
 * member on: the visitors below index them. */
_Static_assert(offsetof(msnp_invite, avm_request) - offsetof(msnp_invite, command) ==
                   (MSNP_INV_FIELD_COUNT - 1) * sizeof(msnp_span),
               "msnp_invite spans in msnp_invite_field order");
_Static_assert(offsetof(msnp_profile, mpop_enabled) - offsetof(msnp_profile, login_time) ==
                   (MSNP_PRO_FIELD_COUNT - 1) * sizeof(msnp_span),
               "msnp_profile spans in msnp_profile_field order");
_Static_assert(offsetof(msnp_mail, message_delta) - offsetof(msnp_mail, inbox_unread) ==
                   (MSNP_MAIL_FIELD_COUNT - 1) * sizeof(msnp_span),
               "msnp_mail spans in msnp_mail_field order");
_Static_assert(offsetof(msnp_xml_note, text_enc) - offsetof(msnp_xml_note, ver) ==
                   (MSNP_XV_COUNT - 1) * sizeof(msnp_span),
               "msnp_xml_note spans in msnp_xml_value order");

static msnp_span invite_span(const msnp_invite *inv, unsigned field)
{
    msnp_span s;
    memcpy(&s, (const uint8_t *)inv + offsetof(msnp_invite, command) + field * sizeof s, sizeof s);
    return s;
}

static void visit_invite(emitter *e, const msnp_payload *pl)
{
    const msnp_invite *inv = &pl->u.invite;
    emit_fields(e, MSNP_V_MIME_BODY_FIELD, &inv->fields);
    for (unsigned f = 0; f < MSNP_INV_FIELD_COUNT; f++)
        if (invite_strings[f] && msnp_invite_has(inv, (msnp_invite_field)f))
            emit_string(e, invite_strings[f], invite_span(inv, f));
    uint32_t bad = inv->issues;
    if (msnp_invite_has(inv, MSNP_INV_COOKIE) && !(bad & MSNP_INVITE_ISSUE_BAD_COOKIE))
        emit_uint(e, MSNP_V_INVITE_COOKIE, inv->cookie, inv->cookie_value);
    emit_uint(e, MSNP_V_INVITE_FILE_TRANSFER, inv->app_guid, inv->file_transfer);
    if (msnp_invite_has(inv, MSNP_INV_FILE_SIZE) && !(bad & MSNP_INVITE_ISSUE_BAD_FILE_SIZE))
        emit_uint(e, MSNP_V_INVITE_SIZE, inv->file_size, inv->file_size_value);
    if (msnp_invite_has(inv, MSNP_INV_PORT) && !(bad & MSNP_INVITE_ISSUE_BAD_PORT))
        emit_uint(e, MSNP_V_INVITE_PORT, inv->port, inv->port_value);
    if (msnp_invite_has(inv, MSNP_INV_PORTX) && !(bad & MSNP_INVITE_ISSUE_BAD_PORTX))
        emit_uint(e, MSNP_V_INVITE_PORTX, inv->portx, inv->portx_value);
    if (inv->portx_check == MSNP_PORTX_AGREES || inv->portx_check == MSNP_PORTX_DISAGREES)
        emit_uint(e, MSNP_V_INVITE_PORTX_OK, inv->portx, inv->portx_check == MSNP_PORTX_AGREES);
    if (msnp_invite_has(inv, MSNP_INV_PORTX_INTERNAL) &&
        !(bad & MSNP_INVITE_ISSUE_BAD_PORTX_INTERNAL)) {
        emit_uint(e, MSNP_V_INVITE_PORTX_INTERNAL, inv->portx_internal,
                  inv->portx_internal_value);
        emit_uint(e, MSNP_V_INVITE_PORT_INTERNAL, inv->portx_internal, inv->internal_port);
    }
    if (msnp_invite_has(inv, MSNP_INV_AUTH_COOKIE) && !(bad & MSNP_INVITE_ISSUE_BAD_AUTH_COOKIE))
        emit_uint(e, MSNP_V_INVITE_AUTH_COOKIE, inv->auth_cookie, inv->auth_cookie_value);
    emit_issues(e, &msnp_invite_issue_table, inv->issues);
}

/* Profile fields: how each is reported. */
typedef enum how { AS_STRING, AS_U32, AS_SPECIAL } how;

static const struct {
    uint8_t field; /* msnp_profile_field */
    msnp_vocab_id id;
    uint8_t how;
    size_t offset; /* AS_U32: the uint32_t member */
} profile_rows[] = {
    {MSNP_PRO_LOGIN_TIME, MSNP_V_PROFILE_LOGIN_TIME, AS_SPECIAL, 0},
    {MSNP_PRO_EMAIL_ENABLED, MSNP_V_PROFILE_EMAIL_ENABLED, AS_U32,
     offsetof(msnp_profile, email_enabled_value)},
    {MSNP_PRO_MEMBER_ID_HIGH, MSNP_V_PROFILE_MEMBER_ID_HIGH, AS_U32,
     offsetof(msnp_profile, member_id_high_value)},
    {MSNP_PRO_MEMBER_ID_LOW, MSNP_V_PROFILE_MEMBER_ID_LOW, AS_U32,
     offsetof(msnp_profile, member_id_low_value)},
    {MSNP_PRO_LANG_PREFERENCE, MSNP_V_PROFILE_LANG_PREFERENCE, AS_U32,
     offsetof(msnp_profile, lang_value)},
    {MSNP_PRO_PREFERRED_EMAIL, MSNP_V_PROFILE_PREFERRED_EMAIL, AS_STRING, 0},
    {MSNP_PRO_COUNTRY, MSNP_V_PROFILE_COUNTRY, AS_STRING, 0},
    {MSNP_PRO_POSTAL_CODE, MSNP_V_PROFILE_POSTAL_CODE, AS_STRING, 0},
    {MSNP_PRO_GENDER, MSNP_V_PROFILE_GENDER, AS_STRING, 0},
    {MSNP_PRO_KID, MSNP_V_PROFILE_KID, AS_U32, offsetof(msnp_profile, kid_value)},
    {MSNP_PRO_AGE, MSNP_V_PROFILE_AGE, AS_STRING, 0},
    {MSNP_PRO_BDAY_PRE, MSNP_V_PROFILE_BDAY_PRE, AS_STRING, 0},
    {MSNP_PRO_BIRTHDAY, MSNP_V_PROFILE_BIRTHDAY, AS_STRING, 0},
    {MSNP_PRO_WALLET, MSNP_V_PROFILE_WALLET, AS_STRING, 0},
    {MSNP_PRO_FLAGS, MSNP_V_PROFILE_FLAGS, AS_U32, offsetof(msnp_profile, flags_value)},
    {MSNP_PRO_SID, MSNP_V_PROFILE_SID, AS_U32, offsetof(msnp_profile, sid_value)},
    {MSNP_PRO_KV, MSNP_V_PROFILE_KV, AS_U32, offsetof(msnp_profile, kv_value)},
    {MSNP_PRO_MSPAUTH, MSNP_V_PROFILE_MSPAUTH, AS_STRING, 0},
    {MSNP_PRO_CLIENT_IP, MSNP_V_PROFILE_CLIENT_IP, AS_STRING, 0},
    {MSNP_PRO_CLIENT_PORT, MSNP_V_PROFILE_CLIENT_PORT, AS_SPECIAL, 0},
    {MSNP_PRO_ABCH_MIGRATED, MSNP_V_PROFILE_ABCH_MIGRATED, AS_STRING, 0},
    {MSNP_PRO_MPOP_ENABLED, MSNP_V_PROFILE_MPOP_ENABLED, AS_STRING, 0},
};

static msnp_span profile_span(const msnp_profile *pr, unsigned field)
{
    msnp_span s;
    memcpy(&s, (const uint8_t *)pr + offsetof(msnp_profile, login_time) + field * sizeof s,
           sizeof s);
    return s;
}

static void visit_profile(emitter *e, const msnp_payload *pl)
{
    const msnp_profile *pr = &pl->u.profile;
    for (size_t i = 0; i < N(profile_rows); i++) {
        unsigned f = profile_rows[i].field;
        msnp_span s = profile_span(pr, f);
        if (!msnp_profile_has(pr, (msnp_profile_field)f))
            continue;
        if (profile_rows[i].how == AS_STRING) {
            emit_string(e, profile_rows[i].id, s);
        } else if (profile_rows[i].how == AS_U32 && msnp_profile_valid(pr, (msnp_profile_field)f)) {
            uint32_t x;
            memcpy(&x, (const uint8_t *)pr + profile_rows[i].offset, sizeof x);
            emit_uint(e, profile_rows[i].id, s, x);
        }
    }
    if (msnp_profile_valid(pr, MSNP_PRO_LOGIN_TIME))
        emit_uint(e, MSNP_V_PROFILE_LOGIN_TIME, pr->login_time, pr->login_time_value);
    if (msnp_profile_valid(pr, MSNP_PRO_MEMBER_ID_HIGH) &&
        msnp_profile_valid(pr, MSNP_PRO_MEMBER_ID_LOW)) {
        msnp_span none = {0, 0};
        emit_uint(e, MSNP_V_PROFILE_MEMBER_ID, none, pr->member_id);
    }
    if (msnp_profile_valid(pr, MSNP_PRO_CLIENT_PORT)) {
        emit_uint(e, MSNP_V_PROFILE_CLIENT_PORT, pr->client_port, pr->client_port_value);
        emit_uint(e, MSNP_V_PROFILE_CLIENT_PORT_WIRE, pr->client_port, pr->client_port_wire);
    }
    emit_issues(e, &msnp_profile_issue_table, pr->issues);
}

static const struct {
    uint8_t field; /* msnp_mail_field */
    msnp_vocab_id id;
} mail_strings[] = {
    {MSNP_MAIL_INBOX_URL, MSNP_V_MAIL_INBOX_URL},
    {MSNP_MAIL_FOLDERS_URL, MSNP_V_MAIL_FOLDERS_URL},
    {MSNP_MAIL_POST_URL, MSNP_V_MAIL_POST_URL},
    {MSNP_MAIL_FROM, MSNP_V_MAIL_FROM},
    {MSNP_MAIL_MESSAGE_URL, MSNP_V_MAIL_MESSAGE_URL},
    {MSNP_MAIL_DEST_FOLDER, MSNP_V_MAIL_DEST_FOLDER},
    {MSNP_MAIL_FROM_ADDR, MSNP_V_MAIL_FROM_ADDR},
    {MSNP_MAIL_ID, MSNP_V_MAIL_ID},
    {MSNP_MAIL_SRC_FOLDER, MSNP_V_MAIL_SRC_FOLDER},
};

static msnp_span mail_span(const msnp_mail *ml, unsigned field)
{
    msnp_span s;
    memcpy(&s, (const uint8_t *)ml + offsetof(msnp_mail, inbox_unread) + field * sizeof s,
           sizeof s);
    return s;
}

static void visit_mail(emitter *e, const msnp_payload *pl)
{
    const msnp_mail *ml = &pl->u.mail;
    emit_fields(e, MSNP_V_MIME_BODY_FIELD, &ml->fields);
    for (size_t i = 0; i < N(mail_strings); i++)
        if (msnp_mail_has(ml, (msnp_mail_field)mail_strings[i].field))
            emit_string(e, mail_strings[i].id, mail_span(ml, mail_strings[i].field));
    if (msnp_mail_has(ml, MSNP_MAIL_SUBJECT))
        emit_decoded(e, MSNP_V_MAIL_SUBJECT, ml->subject, rfc2047_decoder);
    if (ml->valid >> MSNP_MAIL_INBOX_UNREAD & 1)
        emit_uint(e, MSNP_V_MAIL_INBOX_UNREAD, ml->inbox_unread, ml->inbox_unread_value);
    if (ml->valid >> MSNP_MAIL_FOLDERS_UNREAD & 1)
        emit_uint(e, MSNP_V_MAIL_FOLDERS_UNREAD, ml->folders_unread, ml->folders_unread_value);
    if (ml->valid >> MSNP_MAIL_MESSAGE_DELTA & 1)
        emit_int(e, MSNP_V_MAIL_MESSAGE_DELTA, ml->message_delta, ml->message_delta_value);
    emit_issues(e, &msnp_mail_issue_table, ml->issues);
}

static void visit_system(emitter *e, const msnp_payload *pl)
{
    const msnp_system_msg *s = &pl->u.system;
    emit_fields(e, MSNP_V_MIME_BODY_FIELD, &s->fields);
    if (s->type_valid)
        emit_uint(e, MSNP_V_SYSTEM_TYPE, s->type, s->type_value);
    if (s->arg1_valid)
        emit_uint(e, MSNP_V_SYSTEM_ARG1, s->arg1, s->arg1_value);
    emit_issues(e, &msnp_system_issue_table, s->issues);
}

static void visit_caps(emitter *e, const msnp_payload *pl)
{
    const msnp_clientcaps *c = &pl->u.caps;
    emit_fields(e, MSNP_V_MIME_BODY_FIELD, &c->fields);
    if (c->client_name.len)
        emit_string(e, MSNP_V_CAPS_CLIENT_NAME, c->client_name);
    if (c->chat_logging_text || c->chat_logging.len) {
        msnp_vocab_value v;
        start(&v, MSNP_V_CAPS_CHAT_LOGGING, c->chat_logging);
        v.str = e->p + c->chat_logging.off;
        v.str_len = c->chat_logging.len;
        v.text = c->chat_logging_text;
        e->visit(e->ctx, &v);
    }
    emit_issues(e, &msnp_clientcaps_issue_table, c->issues);
}

static void visit_p2p(emitter *e, const msnp_payload *pl)
{
    const msnp_p2p *x = &pl->u.p2p;
    static const struct {
        uint8_t at, width;
        msnp_vocab_id id;
        size_t offset;
    } header[] = {
        {0, 4, MSNP_V_P2P_SESSION_ID, offsetof(msnp_p2p, session_id)},
        {4, 4, MSNP_V_P2P_IDENTIFIER, offsetof(msnp_p2p, identifier)},
        {8, 8, MSNP_V_P2P_OFFSET, offsetof(msnp_p2p, offset)},
        {16, 8, MSNP_V_P2P_TOTAL_SIZE, offsetof(msnp_p2p, total_size)},
        {24, 4, MSNP_V_P2P_MESSAGE_LENGTH, offsetof(msnp_p2p, message_length)},
        {28, 4, MSNP_V_P2P_FLAGS, offsetof(msnp_p2p, flags)},
        {32, 4, MSNP_V_P2P_ACK_IDENTIFIER, offsetof(msnp_p2p, ack_identifier)},
        {36, 4, MSNP_V_P2P_ACK_UNIQUE_ID, offsetof(msnp_p2p, ack_unique_id)},
        {40, 8, MSNP_V_P2P_ACK_DATA_SIZE, offsetof(msnp_p2p, ack_data_size)},
    };
    if (x->dest.len)
        emit_string(e, MSNP_V_P2P_DEST, x->dest);
    if (x->has_header) {
        for (size_t i = 0; i < N(header); i++) {
            uint64_t n = 0;
            if (header[i].width == 4) {
                uint32_t n32;
                memcpy(&n32, (const uint8_t *)x + header[i].offset, sizeof n32);
                n = n32;
            } else {
                memcpy(&n, (const uint8_t *)x + header[i].offset, sizeof n);
            }
            msnp_span s = {x->header.off + header[i].at, header[i].width};
            emit_uint(e, header[i].id, s, n);
        }
        emit_bytes(e, MSNP_V_P2P_DATA, x->data);
        if (x->slp_line.len)
            emit_string(e, MSNP_V_P2P_SLP, x->slp_line);
        if (x->has_footer) {
            msnp_span s = {x->data.off + x->data.len, MSNP_P2P_FOOTER_LEN};
            emit_uint(e, MSNP_V_P2P_APP_ID, s, x->app_id);
        }
    }
    emit_issues(e, &msnp_p2p_issue_table, x->issues);
}

static void visit_emoticon(emitter *e, const msnp_payload *pl)
{
    const msnp_emoticon_map *m = &pl->u.emoticon;
    for (unsigned i = 0; i < m->count; i++) {
        emit_string(e, MSNP_V_EMOTICON_SHORTCUT, m->e[i].shortcut);
        emit_string(e, MSNP_V_EMOTICON_OBJECT, m->e[i].object);
    }
    emit_issues(e, &msnp_emoticon_issue_table, m->issues);
}

static void visit_datacast(emitter *e, const msnp_payload *pl)
{
    const msnp_datacast *d = &pl->u.datacast;
    emit_fields(e, MSNP_V_MIME_BODY_FIELD, &d->fields);
    if (d->id_valid)
        emit_uint(e, MSNP_V_DATACAST_ID, d->id, d->id_value);
    emit_issues(e, &msnp_datacast_issue_table, d->issues);
}

static void visit_later(emitter *e, const msnp_payload *pl)
{
    emit_fields(e, MSNP_V_MIME_BODY_FIELD, &pl->u.later.fields);
}

static void (*const kind_visitors[MSNP_PK_COUNT])(emitter *, const msnp_payload *) = {
    [MSNP_PK_TEXT] = visit_text,
    [MSNP_PK_TYPING] = visit_typing,
    [MSNP_PK_INVITE] = visit_invite,
    [MSNP_PK_PROFILE] = visit_profile,
    [MSNP_PK_MAIL_INITIAL] = visit_mail,
    [MSNP_PK_MAIL_NEW] = visit_mail,
    [MSNP_PK_MAIL_ACTIVE] = visit_mail,
    [MSNP_PK_SYSTEM] = visit_system,
    [MSNP_PK_CLIENTCAPS] = visit_caps,
    [MSNP_PK_P2P] = visit_p2p,
    [MSNP_PK_EMOTICON] = visit_emoticon,
    [MSNP_PK_ANIMEMOTICON] = visit_emoticon,
    [MSNP_PK_DATACAST] = visit_datacast,
    [MSNP_PK_INK] = visit_later,
    [MSNP_PK_INK_GIF] = visit_later,
    [MSNP_PK_KEEPALIVE] = visit_later,
    [MSNP_PK_INITIAL_MDATA] = visit_later,
    [MSNP_PK_OIM] = visit_later,
};

void msnp_payload_visit(const msnp_payload *pl, const uint8_t *p, msnp_vocab_scratch scratch,
                        msnp_vocab_visitor visit, void *ctx)
{
    emitter e = {p, scratch, visit, ctx};
    static const struct {
        size_t offset; /* of a msnp_span member of msnp_payload */
        msnp_vocab_id id;
    } common[] = {
        {offsetof(msnp_payload, user_agent), MSNP_V_MIME_USER_AGENT},
        {offsetof(msnp_payload, p4_context), MSNP_V_MIME_P4_CONTEXT},
        {offsetof(msnp_payload, message_id), MSNP_V_MIME_MESSAGE_ID},
        {offsetof(msnp_payload, chunks), MSNP_V_MIME_CHUNKS},
        {offsetof(msnp_payload, chunk), MSNP_V_MIME_CHUNK},
    };
    if (pl->mime.content_type.len)
        emit_string(&e, MSNP_V_MIME_CONTENT_TYPE, pl->mime.content_type);
    if (pl->mime.charset.len)
        emit_string(&e, MSNP_V_MIME_CHARSET, pl->mime.charset);
    emit_fields(&e, MSNP_V_MIME_HEADER, &pl->mime.headers);
    for (size_t i = 0; i < N(common); i++) {
        msnp_span s;
        memcpy(&s, (const uint8_t *)pl + common[i].offset, sizeof s);
        if (s.len)
            emit_string(&e, common[i].id, s);
    }
    if (pl->type) {
        emit_computed(&e, MSNP_V_MSG_KIND, pl->type->name, pl->type->summary);
        if (pl->type->since)
            emit_computed(&e, MSNP_V_MSG_SINCE, pl->type->since, NULL);
        if (pl->kind < MSNP_PK_COUNT && kind_visitors[pl->kind])
            kind_visitors[pl->kind](&e, pl);
    }
    emit_issues(&e, &msnp_payload_issue_table, pl->issues);
}

/* ---- NOT / IPG / PAG ----------------------------------------------------------- */

static size_t xml_decoder(const uint8_t *base, msnp_span s, char *dst, size_t size)
{
    return msnp_xml_decode(base, s, dst, size);
}

static const msnp_vocab_id xml_ids[MSNP_XV_COUNT] = {
    [MSNP_XV_VER] = MSNP_V_NOTIFICATION_VER,
    [MSNP_XV_ID] = MSNP_V_NOTIFICATION_ID,
    [MSNP_XV_SITE_ID] = MSNP_V_NOTIFICATION_SITE_ID,
    [MSNP_XV_SITE_URL] = MSNP_V_NOTIFICATION_SITE_URL,
    [MSNP_XV_TO_PID] = MSNP_V_NOTIFICATION_TO_PID,
    [MSNP_XV_TO_NAME] = MSNP_V_NOTIFICATION_TO_NAME,
    [MSNP_XV_FROM_PID] = MSNP_V_NOTIFICATION_FROM_PID,
    [MSNP_XV_FROM_NAME] = MSNP_V_NOTIFICATION_FROM_NAME,
    [MSNP_XV_MSG_ID] = MSNP_V_NOTIFICATION_MSG_ID,
    [MSNP_XV_ACTION_URL] = MSNP_V_NOTIFICATION_ACTION_URL,
    [MSNP_XV_SUBSCR_URL] = MSNP_V_NOTIFICATION_SUBSCR_URL,
    [MSNP_XV_CAT_ID] = MSNP_V_NOTIFICATION_CAT_ID,
    [MSNP_XV_BODY_LANG] = MSNP_V_NOTIFICATION_LANG,
    [MSNP_XV_BODY_ICON] = MSNP_V_NOTIFICATION_ICON,
    [MSNP_XV_TEXT] = MSNP_V_NOTIFICATION_TEXT,
    [MSNP_XV_TEXTX] = MSNP_V_NOTIFICATION_TEXTX,
    [MSNP_XV_PHONE_PRI] = MSNP_V_PAGE_PHONE_PRI,
    [MSNP_XV_LOC] = MSNP_V_PAGE_LOCATION,
    [MSNP_XV_NUM] = MSNP_V_PAGE_NUMBER,
    [MSNP_XV_TEXT_ENC] = MSNP_V_PAGE_TEXT_ENC,
};

static msnp_span xml_span(const msnp_xml_note *x, unsigned value)
{
    msnp_span s;
    memcpy(&s, (const uint8_t *)x + offsetof(msnp_xml_note, ver) + value * sizeof s, sizeof s);
    return s;
}

void msnp_xml_note_visit(const msnp_xml_note *x, int page, const uint8_t *p,
                         msnp_vocab_scratch scratch, msnp_vocab_visitor visit, void *ctx)
{
    emitter e = {p, scratch, visit, ctx};
    for (unsigned v = 0; v < MSNP_XV_COUNT; v++) {
        if (!msnp_xml_has(x, (msnp_xml_value)v))
            continue;
        msnp_vocab_id id = xml_ids[v];
        if (v == MSNP_XV_TEXT && page)
            id = MSNP_V_PAGE_TEXT;
        emit_decoded(&e, id, xml_span(x, v), xml_decoder);
    }
    emit_issues(&e, &msnp_xml_issue_table, x->issues);
}

void msnp_sdc_visit(const uint8_t *p, size_t n, msnp_vocab_visitor visit, void *ctx)
{
    msnp_vocab_scratch none = {NULL, 0};
    emitter e = {p, none, visit, ctx};
    msnp_span all = {0, (uint32_t)(n > UINT32_MAX ? UINT32_MAX : n)};
    if (n)
        emit_string(&e, MSNP_V_SDC_TEXT, all);
}

/* ---- QRY and MSNFTP -------------------------------------------------------------- */

void msnp_qry_visit(const msnp_qry_result *r, const uint8_t *client_id, size_t client_id_len,
                    const uint8_t *answer, size_t answer_len, msnp_vocab_visitor visit,
                    void *ctx)
{
    msnp_vocab_scratch none = {NULL, 0};
    emitter e = {NULL, none, visit, ctx};
    msnp_vocab_value v;
    msnp_span no_span = {0, 0};
    start(&v, MSNP_V_QRY_CLIENT_ID, no_span);
    v.str = client_id;
    v.str_len = client_id_len;
    visit(ctx, &v);
    start(&v, MSNP_V_QRY_ANSWER, no_span);
    v.str = answer;
    v.str_len = answer_len;
    visit(ctx, &v);
    if (r->expected[0])
        emit_computed(&e, MSNP_V_QRY_EXPECTED, r->expected, NULL);
    if (r->status == MSNP_QRY_VERIFIED || r->status == MSNP_QRY_WRONG) {
        start(&v, MSNP_V_QRY_VERIFIED, no_span);
        v.u = r->status == MSNP_QRY_VERIFIED;
        visit(ctx, &v);
    }
    emit_computed(&e, MSNP_V_QRY_STATUS, msnp_qry_status_name((msnp_qry_status)r->status),
                  msnp_qry_status_text((msnp_qry_status)r->status));
    if (r->client) {
        emit_computed(&e, MSNP_V_QRY_CLIENT, r->client->client, NULL);
        if (r->client->since)
            emit_computed(&e, MSNP_V_QRY_SINCE, r->client->since, NULL);
    }
    emit_issues(&e, &msnp_qry_issue_table, r->issues);
}

void msnp_ftp_visit(const msnp_ftp_transfer *t, msnp_vocab_visitor visit, void *ctx)
{
    msnp_vocab_scratch none = {NULL, 0};
    emitter e = {NULL, none, visit, ctx};
    msnp_vocab_value v;
    msnp_span no_span = {0, 0};
    const struct {
        int present;
        msnp_vocab_id id;
        uint64_t value;
    } numbers[] = {
        {t->have_size, MSNP_V_FTP_SIZE, t->size},
        {t->have_cookie, MSNP_V_FTP_AUTH_COOKIE, t->auth_cookie},
        {1, MSNP_V_FTP_BLOCKS, t->blocks},
        {1, MSNP_V_FTP_BYTES, t->bytes},
        {t->missing != 0, MSNP_V_FTP_MISSING, t->missing},
    };
    for (size_t i = 0; i < N(numbers); i++) {
        if (!numbers[i].present)
            continue;
        start(&v, numbers[i].id, no_span);
        v.u = numbers[i].value;
        visit(ctx, &v);
    }
    char md5[MSNP_MD5_HEX_LEN + 1];
    if (msnp_ftp_md5_hex(t, md5))
        emit_computed(&e, MSNP_V_FTP_MD5, md5, NULL);
    emit_computed(&e, MSNP_V_FTP_OUTCOME, msnp_ftp_outcome_name(msnp_ftp_get_outcome(t)), NULL);
    if (t->have_bye) {
        start(&v, MSNP_V_FTP_BYE_CODE, no_span);
        v.u = t->bye_code;
        v.text = t->bye_text;
        visit(ctx, &v);
    }
    emit_issues(&e, &msnp_ftp_issue_table, t->issues);
}
