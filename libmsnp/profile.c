/* text/x-msmsgsprofile (protocol reference §6.2). */
#include "msnp/profile.h"

#include <stddef.h>
#include <string.h>

#include "payload_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* In msnp_profile_field order. Names compare case-insensitively: the
 * capitalisation of preferredEmail varies between sources. */
static const msnp_field_slot slots[] = {
    {"LoginTime", offsetof(msnp_profile, login_time)},
    {"EmailEnabled", offsetof(msnp_profile, email_enabled)},
    {"MemberIdHigh", offsetof(msnp_profile, member_id_high)},
    {"MemberIdLow", offsetof(msnp_profile, member_id_low)},
    {"lang_preference", offsetof(msnp_profile, lang_preference)},
    {"preferredEmail", offsetof(msnp_profile, preferred_email)},
    {"country", offsetof(msnp_profile, country)},
    {"PostalCode", offsetof(msnp_profile, postal_code)},
    {"Gender", offsetof(msnp_profile, gender)},
    {"Kid", offsetof(msnp_profile, kid)},
    {"Age", offsetof(msnp_profile, age)},
    {"BDayPre", offsetof(msnp_profile, bday_pre)},
    {"Birthday", offsetof(msnp_profile, birthday)},
    {"Wallet", offsetof(msnp_profile, wallet)},
    {"Flags", offsetof(msnp_profile, flags)},
    {"sid", offsetof(msnp_profile, sid)},
    {"kv", offsetof(msnp_profile, kv)},
    {"MSPAuth", offsetof(msnp_profile, mspauth)},
    {"ClientIP", offsetof(msnp_profile, client_ip)},
    {"ClientPort", offsetof(msnp_profile, client_port)},
    {"ABCHMigrated", offsetof(msnp_profile, abch_migrated)},
    {"MPOPEnabled", offsetof(msnp_profile, mpop_enabled)},
};
_Static_assert(N(slots) == MSNP_PRO_FIELD_COUNT, "one slot per msnp_profile_field");

/* The plain 32-bit numbers: field, where the value goes. */
static const struct {
    uint8_t field;
    size_t offset; /* of a uint32_t member */
} u32_fields[] = {
    {MSNP_PRO_EMAIL_ENABLED, offsetof(msnp_profile, email_enabled_value)},
    {MSNP_PRO_LANG_PREFERENCE, offsetof(msnp_profile, lang_value)},
    {MSNP_PRO_KID, offsetof(msnp_profile, kid_value)},
    {MSNP_PRO_FLAGS, offsetof(msnp_profile, flags_value)},
    {MSNP_PRO_SID, offsetof(msnp_profile, sid_value)},
    {MSNP_PRO_KV, offsetof(msnp_profile, kv_value)},
};

static const msnp_code_name issues[] = {
    {MSNP_PROFILE_ISSUE_BAD_LOGIN_TIME, "LoginTime is not a Unix time"},
    {MSNP_PROFILE_ISSUE_BAD_MEMBER_ID, "MemberIdHigh or MemberIdLow is not a 32-bit number"},
    {MSNP_PROFILE_ISSUE_BAD_CLIENT_PORT, "ClientPort is not a 16-bit number"},
    {MSNP_PROFILE_ISSUE_BAD_NUMBER,
     "EmailEnabled, lang_preference, Kid, Flags, sid or kv is not a 32-bit number"},
    {MSNP_PROFILE_ISSUE_LATER_FIELDS,
     "ABCHMigrated or MPOPEnabled: profile fields of later protocol versions (MSNP10+, "
     "MSNP16+)"},
    {MSNP_PROFILE_ISSUE_DUPLICATE_FIELD, "a profile field is repeated (the first one is used)"},
    {MSNP_PROFILE_ISSUE_NO_LOGIN_TIME, "profile without LoginTime"},
};
const msnp_code_table msnp_profile_issue_table = {"profile_issue", issues, N(issues)};

static msnp_span span_of(const msnp_profile *pr, unsigned field)
{
    msnp_span s;
    memcpy(&s, (const uint8_t *)pr + slots[field].offset, sizeof s);
    return s;
}

/* A member-id half: the reference is unsure whether it is printed signed
 * (the samples write -1937302094); both readings give the same 32 bits. */
static int member_half(const uint8_t *p, msnp_span s, uint32_t *out)
{
    int64_t v;
    if (msnp_parse_sdec(p, s, INT32_MIN, UINT32_MAX, &v) != MSNP_NUM_OK)
        return 0;
    *out = (uint32_t)(v & 0xFFFFFFFF);
    return 1;
}

void msnp_profile_decode(const uint8_t *p, size_t n, const msnp_mime *m, msnp_profile *out)
{
    (void)n;
    memset(out, 0, sizeof *out);
    msnp_bind_stats st =
        msnp_bind_fields(&m->headers, p, slots, N(slots), out, &out->present);
    if (st.duplicates)
        out->issues |= MSNP_PROFILE_ISSUE_DUPLICATE_FIELD;

    uint64_t v;
    if (!msnp_profile_has(out, MSNP_PRO_LOGIN_TIME))
        out->issues |= MSNP_PROFILE_ISSUE_NO_LOGIN_TIME;
    else if (msnp_parse_udec(p, out->login_time, UINT64_MAX, &v) == MSNP_NUM_OK) {
        out->login_time_value = v;
        out->valid |= 1ull << MSNP_PRO_LOGIN_TIME;
    } else
        out->issues |= MSNP_PROFILE_ISSUE_BAD_LOGIN_TIME;

    for (size_t i = 0; i < N(u32_fields); i++) {
        unsigned f = u32_fields[i].field;
        msnp_span s = span_of(out, f);
        if (!msnp_profile_has(out, (msnp_profile_field)f) || s.len == 0)
            continue; /* empty values are allowed (§6.2) */
        if (msnp_parse_udec(p, s, UINT32_MAX, &v) != MSNP_NUM_OK) {
            out->issues |= MSNP_PROFILE_ISSUE_BAD_NUMBER;
            continue;
        }
        uint32_t x = (uint32_t)v;
        memcpy((uint8_t *)out + u32_fields[i].offset, &x, sizeof x);
        out->valid |= 1ull << f;
    }

    int high = 0, low = 0;
    if (msnp_profile_has(out, MSNP_PRO_MEMBER_ID_HIGH)) {
        high = member_half(p, out->member_id_high, &out->member_id_high_value);
        if (high)
            out->valid |= 1ull << MSNP_PRO_MEMBER_ID_HIGH;
        else
            out->issues |= MSNP_PROFILE_ISSUE_BAD_MEMBER_ID;
    }
    if (msnp_profile_has(out, MSNP_PRO_MEMBER_ID_LOW)) {
        low = member_half(p, out->member_id_low, &out->member_id_low_value);
        if (low)
            out->valid |= 1ull << MSNP_PRO_MEMBER_ID_LOW;
        else
            out->issues |= MSNP_PROFILE_ISSUE_BAD_MEMBER_ID;
    }
    if (high && low)
        out->member_id = (uint64_t)out->member_id_high_value << 32 | out->member_id_low_value;

    if (msnp_profile_has(out, MSNP_PRO_CLIENT_PORT) && out->client_port.len) {
        if (msnp_parse_udec(p, out->client_port, 0xFFFF, &v) == MSNP_NUM_OK) {
            out->client_port_wire = (uint16_t)v;
            out->client_port_value = msnp_client_port_unswap((uint16_t)v);
            out->valid |= 1ull << MSNP_PRO_CLIENT_PORT;
        } else {
            out->issues |= MSNP_PROFILE_ISSUE_BAD_CLIENT_PORT;
        }
    }
    if (msnp_profile_has(out, MSNP_PRO_ABCH_MIGRATED) ||
        msnp_profile_has(out, MSNP_PRO_MPOP_ENABLED))
        out->issues |= MSNP_PROFILE_ISSUE_LATER_FIELDS;
}
