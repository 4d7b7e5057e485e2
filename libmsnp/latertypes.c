/* Later-version content types (protocol reference §6.2, §6.3 [L]). */
#include "msnp/latertypes.h"

#include <string.h>

#include "payload_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* §6.3 names only the nudge; other ids (wink, voice clip, ...) are left as
 * numbers rather than guessed. */
static const msnp_code_name datacast_ids[] = {
    {1, "nudge"},
};
const msnp_code_table msnp_datacast_id_table = {"datacast_id", datacast_ids, N(datacast_ids)};

static const msnp_code_name emoticon_issues[] = {
    {MSNP_EMOTICON_ISSUE_ODD_COUNT, "an emoticon shortcut without its object"},
    {MSNP_EMOTICON_ISSUE_TOO_MANY, "more emoticons than the decoder keeps"},
};
const msnp_code_table msnp_emoticon_issue_table = {"emoticon_issue", emoticon_issues,
                                                   N(emoticon_issues)};

static const msnp_code_name datacast_issues[] = {
    {MSNP_DATACAST_ISSUE_NO_ID, "datacast without ID"},
    {MSNP_DATACAST_ISSUE_BAD_ID, "datacast ID is not a number"},
};
const msnp_code_table msnp_datacast_issue_table = {"datacast_issue", datacast_issues,
                                                   N(datacast_issues)};

void msnp_emoticon_decode(const uint8_t *p, size_t n, const msnp_mime *m,
                          msnp_emoticon_map *out)
{
    memset(out, 0, sizeof *out);
    uint32_t end = m->body.off + m->body.len;
    if (end > n)
        end = (uint32_t)n;
    /* Tokens separated by TAB, alternating shortcut and object; a trailing TAB
     * (and line end) closes the list. */
    msnp_span pending = {0, 0};
    int have_shortcut = 0;
    for (uint32_t pos = m->body.off; pos < end;) {
        const uint8_t *tab = memchr(p + pos, '\t', end - pos);
        uint32_t stop = tab ? (uint32_t)(tab - p) : end;
        msnp_span tok = {pos, stop - pos};
        while (tok.len && (p[tok.off + tok.len - 1] == '\n' || p[tok.off + tok.len - 1] == '\r'))
            tok.len--;
        pos = tab ? stop + 1 : end;
        if (tok.len == 0)
            continue;
        if (!have_shortcut) {
            pending = tok;
            have_shortcut = 1;
            continue;
        }
        have_shortcut = 0;
        if (out->count == MSNP_EMOTICON_MAX) {
            out->issues |= MSNP_EMOTICON_ISSUE_TOO_MANY;
            continue;
        }
        out->e[out->count].shortcut = pending;
        out->e[out->count].object = tok;
        out->count++;
    }
    if (have_shortcut)
        out->issues |= MSNP_EMOTICON_ISSUE_ODD_COUNT;
}

void msnp_datacast_decode(const uint8_t *p, size_t n, const msnp_mime *m, msnp_datacast *out)
{
    memset(out, 0, sizeof *out);
    msnp_parse_body_fields(p, n, m, &out->fields);
    const msnp_field *id = msnp_fields_find(&out->fields, p, "ID");
    if (!id) {
        out->issues |= MSNP_DATACAST_ISSUE_NO_ID;
        return;
    }
    out->id = id->value;
    uint64_t v;
    if (msnp_parse_udec(p, id->value, UINT32_MAX, &v) == MSNP_NUM_OK) {
        out->id_valid = 1;
        out->id_value = (uint32_t)v;
    } else {
        out->issues |= MSNP_DATACAST_ISSUE_BAD_ID;
    }
}

void msnp_later_body_decode(const uint8_t *p, size_t n, const msnp_mime *m, int has_fields,
                            msnp_later_body *out)
{
    memset(out, 0, sizeof *out);
    out->body = m->body;
    if (has_fields)
        msnp_parse_body_fields(p, n, m, &out->fields);
}
