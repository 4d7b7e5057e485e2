/* MSNFTP transfer state (protocol reference §7). */
#include "msnp/msnftp.h"

#include <string.h>

#include "msnp/framer.h"
#include "msnp/values.h"
#include "payload_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const msnp_code_name issues[] = {
    {MSNP_FTP_ISSUE_BAD_FIL, "FIL without a decimal file size"},
    {MSNP_FTP_ISSUE_SECOND_FIL, "a second FIL (ignored)"},
    {MSNP_FTP_ISSUE_DATA_BEFORE_FIL, "file data before FIL announced a size"},
    {MSNP_FTP_ISSUE_OVERRUN, "more file data than FIL announced"},
    {MSNP_FTP_ISSUE_BLOCK_TOO_LONG, "an MSNFTP block longer than 2045 bytes"},
    {MSNP_FTP_ISSUE_BAD_BYE, "BYE code is not a number"},
    {MSNP_FTP_ISSUE_UNKNOWN_BYE, "a BYE code the reference does not list"},
    {MSNP_FTP_ISSUE_BAD_USR, "USR without a handle and a decimal cookie"},
    {MSNP_FTP_ISSUE_DATA_AFTER_END, "file data after the transfer was aborted or cancelled"},
    {MSNP_FTP_ISSUE_GAP, "file bytes are missing from the capture"},
};
const msnp_code_table msnp_ftp_issue_table = {"ftp_issue", issues, N(issues)};

static const char *const outcome_names[] = {
    [MSNP_FTP_PENDING] = "pending",     [MSNP_FTP_COMPLETE] = "complete",
    [MSNP_FTP_INCOMPLETE] = "incomplete", [MSNP_FTP_ABORTED] = "aborted",
    [MSNP_FTP_CANCELLED] = "cancelled",
};

const char *msnp_ftp_outcome_name(msnp_ftp_outcome o)
{
    return (size_t)o < N(outcome_names) ? outcome_names[o] : "?";
}

void msnp_ftp_init(msnp_ftp_transfer *t)
{
    memset(t, 0, sizeof *t);
    msnp_md5_init(&t->md5);
}

#define MAX_TOKENS 4

typedef struct tokens {
    msnp_span tok[MAX_TOKENS];
    unsigned count; /* tokens kept */
} tokens;

typedef void (*line_handler)(msnp_ftp_transfer *t, const uint8_t *line, const tokens *tk);

static void on_nothing(msnp_ftp_transfer *t, const uint8_t *line, const tokens *tk)
{
    (void)t, (void)line, (void)tk; /* VER and TFR carry nothing to keep */
}

static void on_usr(msnp_ftp_transfer *t, const uint8_t *line, const tokens *tk)
{
    if (tk->count < 3 ||
        msnp_parse_udec(line, tk->tok[2], UINT64_MAX, &t->auth_cookie) != MSNP_NUM_OK) {
        t->issues |= MSNP_FTP_ISSUE_BAD_USR;
        return;
    }
    t->have_cookie = 1;
}

static void on_fil(msnp_ftp_transfer *t, const uint8_t *line, const tokens *tk)
{
    uint64_t size;
    if (t->have_size) {
        t->issues |= MSNP_FTP_ISSUE_SECOND_FIL;
        return;
    }
    if (tk->count < 2 || msnp_parse_udec(line, tk->tok[1], UINT64_MAX, &size) != MSNP_NUM_OK) {
        t->issues |= MSNP_FTP_ISSUE_BAD_FIL;
        return;
    }
    t->have_size = 1;
    t->size = size;
}

static void on_tfr(msnp_ftp_transfer *t, const uint8_t *line, const tokens *tk)
{
    (void)line, (void)tk;
    t->tfr_seen = 1;
}

static void on_bye(msnp_ftp_transfer *t, const uint8_t *line, const tokens *tk)
{
    if (tk->count < 2)
        return; /* a bare BYE: no code to report */
    if (msnp_parse_udec(line, tk->tok[1], UINT64_MAX, &t->bye_code) != MSNP_NUM_OK) {
        t->issues |= MSNP_FTP_ISSUE_BAD_BYE;
        return;
    }
    t->have_bye = 1;
    static const char table[] = "ftp_bye";
    t->bye_text = msnp_value_text(msnp_value_table_find(table, sizeof table - 1),
                                  line + tk->tok[1].off, tk->tok[1].len);
    if (!t->bye_text)
        t->issues |= MSNP_FTP_ISSUE_UNKNOWN_BYE;
}

static void on_ccl(msnp_ftp_transfer *t, const uint8_t *line, const tokens *tk)
{
    (void)line, (void)tk;
    t->cancelled = 1;
}

static const struct {
    const char *name;
    msnp_ftp_command command;
    line_handler handle;
} line_commands[] = {
    {"VER", MSNP_FTP_CMD_VER, on_nothing}, {"USR", MSNP_FTP_CMD_USR, on_usr},
    {"FIL", MSNP_FTP_CMD_FIL, on_fil},     {"TFR", MSNP_FTP_CMD_TFR, on_tfr},
    {"BYE", MSNP_FTP_CMD_BYE, on_bye},     {"CCL", MSNP_FTP_CMD_CCL, on_ccl},
};

msnp_ftp_command msnp_ftp_line(msnp_ftp_transfer *t, const uint8_t *line, size_t len)
{
    if (len > UINT32_MAX)
        len = UINT32_MAX;
    tokens tk = {{{0, 0}}, 0};
    for (uint32_t pos = 0; pos < len && tk.count < MAX_TOKENS;) {
        while (pos < len && line[pos] == ' ')
            pos++;
        uint32_t start = pos;
        while (pos < len && line[pos] != ' ')
            pos++;
        if (pos > start) {
            msnp_span s = {start, pos - start};
            tk.tok[tk.count++] = s;
        }
    }
    if (tk.count == 0)
        return MSNP_FTP_CMD_NONE;
    for (size_t i = 0; i < N(line_commands); i++)
        if (msnp_span_eq(line, tk.tok[0], line_commands[i].name)) {
            line_commands[i].handle(t, line, &tk);
            return line_commands[i].command;
        }
    return MSNP_FTP_CMD_NONE;
}

/* File bytes the sender got through: received plus lost in the capture. */
static uint64_t sent(const msnp_ftp_transfer *t)
{
    return t->bytes > UINT64_MAX - t->missing ? UINT64_MAX : t->bytes + t->missing;
}

void msnp_ftp_block(msnp_ftp_transfer *t, uint8_t type, const uint8_t *data, size_t len)
{
    if (type != 0) {
        /* §7: a 0x01 header means the sender aborts or ends; whether senders
         * also send it after a complete file is open (§13), so it only counts
         * as an abort when bytes are still due. */
        t->aborted = 1;
        return;
    }
    if (!t->have_size)
        t->issues |= MSNP_FTP_ISSUE_DATA_BEFORE_FIL;
    if (len > MSNP_FTP_BLOCK_MAX_DATA)
        t->issues |= MSNP_FTP_ISSUE_BLOCK_TOO_LONG;
    if (t->cancelled || (t->aborted && msnp_ftp_get_outcome(t) != MSNP_FTP_COMPLETE))
        t->issues |= MSNP_FTP_ISSUE_DATA_AFTER_END;
    t->blocks++;
    uint64_t done = sent(t);
    uint64_t due = !t->have_size ? UINT64_MAX : done >= t->size ? 0 : t->size - done;
    size_t take = len < due ? len : (size_t)due;
    if (take < len) {
        t->overrun += len - take;
        t->issues |= MSNP_FTP_ISSUE_OVERRUN;
    }
    msnp_md5_update(&t->md5, data, take);
    t->bytes += take;
}

void msnp_ftp_gap(msnp_ftp_transfer *t, uint64_t missing)
{
    t->missing += missing;
    t->issues |= MSNP_FTP_ISSUE_GAP;
}

void msnp_ftp_end(msnp_ftp_transfer *t)
{
    t->ended = 1;
}

msnp_ftp_outcome msnp_ftp_get_outcome(const msnp_ftp_transfer *t)
{
    int all_sent = t->have_size && sent(t) >= t->size;
    if (all_sent)
        return MSNP_FTP_COMPLETE;
    if (t->cancelled)
        return MSNP_FTP_CANCELLED;
    if (t->aborted)
        return MSNP_FTP_ABORTED;
    if (t->ended)
        return MSNP_FTP_INCOMPLETE;
    return MSNP_FTP_PENDING;
}

int msnp_ftp_md5_hex(const msnp_ftp_transfer *t, char out[MSNP_MD5_HEX_LEN + 1])
{
    out[0] = '\0';
    if (!t->have_size || t->missing || t->bytes != t->size)
        return 0;
    msnp_md5_ctx copy = t->md5;
    uint8_t digest[MSNP_MD5_LEN];
    msnp_md5_final(&copy, digest);
    msnp_hex_lower(digest, sizeof digest, out);
    return 1;
}
