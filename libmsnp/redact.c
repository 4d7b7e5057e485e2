/* What is a credential, and masking it in place (see redact.h). */
#include "msnp/redact.h"

#include <string.h>

#include "msnp/commands.h"
#include "msnp/mime.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Arguments by the command table's names (command_table.c). The plugin's
 * expert info names the same arguments. */
static const msnp_secret_arg secret_args[] = {
    {"USR", "ticket", "the Passport ticket (t=...&p=...) of USR TWN S, or the SSO ticket of "
                      "later versions: it signs the user in"},
    {"USR", "md5_hash", "MD5(salt + password) of a legacy MD5 login"},
    {"USR", "response", "the signed nonce of a single sign-on login (MSNP15+)"},
    {"USR", "cookie", "the switchboard cookie the caller presents, or the MSNFTP AuthCookie"},
    {"ANS", "cookie", "the switchboard cookie the invited user presents"},
    {"RNG", "cookie", "the switchboard cookie handed to the invited user"},
    {"XFR", "cookie", "the switchboard cookie handed to the caller"},
};

static const msnp_secret_field secret_fields[] = {
    {"MSPAuth", "the Passport authentication cookie of the profile message (§6.2)"},
    {"MSPProf", "the Passport profile cookie that goes with MSPAuth"},
    {"AuthCookie", "the cookie an invitation's ACCEPT gives for the MSNFTP connection (§6.3)"},
    {"Authorization", "HTTP credentials (a gateway carrier)"},
    {"Proxy-Authorization", "HTTP proxy credentials (a gateway carrier)"},
    {"Cookie", "HTTP cookies (a gateway carrier)"},
    {"Set-Cookie", "HTTP cookies (a gateway carrier)"},
    {"Authentication-Info", "Passport's answer carrying the ticket (from-PP)"},
};

size_t msnp_secret_arg_count(void)
{
    return N(secret_args);
}

const msnp_secret_arg *msnp_secret_arg_at(size_t i)
{
    return i < N(secret_args) ? &secret_args[i] : NULL;
}

size_t msnp_secret_field_count(void)
{
    return N(secret_fields);
}

const msnp_secret_field *msnp_secret_field_at(size_t i)
{
    return i < N(secret_fields) ? &secret_fields[i] : NULL;
}

static uint8_t lower(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

static int is_blank(uint8_t c)
{
    return c == ' ' || c == '\t';
}

int msnp_secret_arg_is(const uint8_t *cmd, const char *name, size_t name_len)
{
    for (size_t i = 0; i < N(secret_args); i++)
        if (memcmp(secret_args[i].cmd, cmd, 3) == 0 && strlen(secret_args[i].arg) == name_len &&
            memcmp(secret_args[i].arg, name, name_len) == 0)
            return 1;
    return 0;
}

int msnp_secret_field_is(const uint8_t *name, size_t len)
{
    for (size_t i = 0; i < N(secret_fields); i++) {
        const char *s = secret_fields[i].name;
        if (strlen(s) != len)
            continue;
        size_t k = 0;
        while (k < len && lower(name[k]) == lower((uint8_t)s[k]))
            k++;
        if (k == len)
            return 1;
    }
    return 0;
}

static int command_has_secrets(const uint8_t *cmd)
{
    for (size_t i = 0; i < N(secret_args); i++)
        if (memcmp(secret_args[i].cmd, cmd, 3) == 0)
            return 1;
    return 0;
}

static size_t mask(const msnp_masker *m, uint8_t *p, size_t n)
{
    if (n == 0)
        return 0;
    if (m && m->mask)
        m->mask(m->ctx, p, n);
    else
        memset(p, MSNP_REDACT_MASK, n);
    return n;
}

/* ---- "Name: value" lines ------------------------------------------------- */

/* One line p[0..len) without its line end: mask the value when the name is a
 * secret's (the name and value are trimmed as msnp_fields_parse does). */
static size_t mask_field_line(uint8_t *p, size_t len, const msnp_masker *m)
{
    const uint8_t *colon = memchr(p, ':', len);
    if (!colon)
        return 0;
    size_t a = 0, b = (size_t)(colon - p);
    while (a < b && is_blank(p[a]))
        a++;
    while (b > a && is_blank(p[b - 1]))
        b--;
    if (!msnp_secret_field_is(p + a, b - a))
        return 0;
    size_t v = (size_t)(colon - p) + 1, e = len;
    while (v < e && is_blank(p[v]))
        v++;
    while (e > v && is_blank(p[e - 1]))
        e--;
    return mask(m, p + v, e - v);
}

/* The line starting at p[pos] of p[0..n): its length without CR/LF, and the
 * offset of the next line. */
static size_t line_at(const uint8_t *p, size_t n, size_t pos, size_t *next)
{
    const uint8_t *lf = memchr(p + pos, '\n', n - pos);
    size_t end = lf ? (size_t)(lf - p) : n;
    *next = lf ? end + 1 : n;
    if (end > pos && p[end - 1] == '\r')
        end--;
    return end - pos;
}

/* Field lines of p[0..n) until an empty line (when stop_at_blank) or the
 * end; *end gets the offset after the empty line (or n). */
static size_t mask_fields(uint8_t *p, size_t n, int stop_at_blank, const msnp_masker *m,
                          size_t *end)
{
    size_t pos = 0, masked = 0;
    while (pos < n) {
        size_t next, len = line_at(p, n, pos, &next);
        if (len == 0 && stop_at_blank) {
            pos = next;
            break;
        }
        masked += mask_field_line(p + pos, len, m);
        pos = next;
    }
    if (end)
        *end = pos;
    return masked;
}

/* Is the header block p[0..n) (up to its empty line) of type text/plain? */
static int is_text_plain(const uint8_t *p, size_t n)
{
    size_t pos = 0;
    while (pos < n) {
        size_t next, len = line_at(p, n, pos, &next);
        if (len == 0)
            break;
        const uint8_t *colon = memchr(p + pos, ':', len);
        if (colon) {
            msnp_span name = {(uint32_t)pos, (uint32_t)(colon - (p + pos))};
            while (name.len && is_blank(p[name.off + name.len - 1]))
                name.len--;
            while (name.len && is_blank(p[name.off])) {
                name.off++;
                name.len--;
            }
            if (msnp_span_ieq(p, name, "Content-Type")) {
                size_t v = (size_t)(colon - p) + 1, e = pos + len;
                const uint8_t *semi = memchr(p + v, ';', e - v);
                if (semi)
                    e = (size_t)(semi - p);
                while (v < e && is_blank(p[v]))
                    v++;
                while (e > v && is_blank(p[e - 1]))
                    e--;
                msnp_span type = {(uint32_t)v, (uint32_t)(e - v)};
                return msnp_span_ieq(p, type, "text/plain");
            }
        }
        pos = next;
    }
    return 0;
}

size_t msnp_redact_payload(uint8_t *p, size_t n, const msnp_masker *m)
{
    if (n > UINT32_MAX)
        n = UINT32_MAX;
    size_t body;
    size_t masked = mask_fields(p, n, 1, m, &body);
    if (body < n && !is_text_plain(p, body))
        masked += mask_fields(p + body, n - body, 0, m, NULL);
    return masked;
}

/* ---- command lines ------------------------------------------------------- */

typedef struct token {
    size_t off, len;
} token;

/* Tokens of a line (separated by runs of blanks); at most max. */
static size_t tokens(const uint8_t *p, size_t len, token *t, size_t max)
{
    size_t n = 0, i = 0;
    while (i < len && n < max) {
        while (i < len && is_blank(p[i]))
            i++;
        if (i == len)
            break;
        size_t s = i;
        while (i < len && !is_blank(p[i]))
            i++;
        t[n].off = s;
        t[n].len = i - s;
        n++;
    }
    if (n == max && i < len) { /* the last token takes the rest of the line */
        t[n - 1].len = len - t[n - 1].off;
    }
    return n;
}

static int all_digits(const uint8_t *p, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    return 1;
}

/* "host:port": digits and dots (or an IPv6 bracket form), a colon, digits. */
static int looks_like_address(const uint8_t *p, size_t n)
{
    const uint8_t *colon = NULL;
    for (size_t i = n; i > 0; i--)
        if (p[i - 1] == ':') {
            colon = p + i - 1;
            break;
        }
    if (!colon || colon == p || !all_digits(colon + 1, (size_t)(p + n - colon - 1)))
        return 0;
    for (const uint8_t *q = p; q < colon; q++)
        if (!((*q >= '0' && *q <= '9') || *q == '.' || *q == '[' || *q == ']' || *q == ':' ||
              (lower(*q) >= 'a' && lower(*q) <= 'f')))
            return 0;
    return 1;
}

/* A literal word of one of the command's forms' match patterns (TWN, S, OK,
 * CKI, SB, ...). */
static int is_keyword(const msnp_command_info *ci, const uint8_t *w, size_t n)
{
    for (unsigned f = 0; f < ci->nforms; f++) {
        const char *s = ci->forms[f].match;
        while (s && *s) {
            while (*s == ' ' || *s == '|')
                s++;
            const char *e = s;
            while (*e && *e != ' ' && *e != '|')
                e++;
            size_t k = (size_t)(e - s);
            int wildcard = (k == 1 && (*s == '*' || *s == '#' || *s == '@')) ||
                           (k == 2 && s[0] == '!' && s[1] == '#');
            if (k && !wildcard && k == n && memcmp(s, w, n) == 0)
                return 1;
            s = e;
        }
    }
    return 0;
}

/* A line of a command that carries secrets, when no form says which
 * argument is which: everything that is not plainly harmless goes. */
static size_t mask_unfitted_line(const msnp_command_info *ci, uint8_t *p, size_t len,
                                 const msnp_masker *m)
{
    token t[MSNP_MAX_TOKENS];
    size_t nt = tokens(p, len, t, MSNP_MAX_TOKENS), masked = 0;
    for (size_t i = 1; i < nt; i++) {
        uint8_t *w = p + t[i].off;
        size_t n = t[i].len;
        if ((i == 1 && all_digits(w, n)) || memchr(w, '@', n) || looks_like_address(w, n) ||
            is_keyword(ci, w, n))
            continue;
        masked += mask(m, w, n);
    }
    return masked;
}

/* Tokens that secret arguments occupy when the line is read as form f. */
static uint64_t secret_tokens(const msnp_command *cmd, const msnp_form *f, const msnp_pdu *pdu)
{
    msnp_command as = *cmd;
    as.form = f;
    unsigned first = f->trid == MSNP_TRID_NONE ? 1 : 2;
    uint64_t marks = 0;
    for (unsigned k = first; k < pdu->ntok && k < MSNP_MAX_TOKENS; k++) {
        const char *name;
        int urlenc;
        size_t len = msnp_command_arg_name(&as, k - first, &name, &urlenc);
        if (len && msnp_secret_arg_is((const uint8_t *)cmd->info->name, name, len))
            marks |= (uint64_t)1 << k;
    }
    return marks;
}

size_t msnp_redact_pdu(const msnp_parse_ctx *ctx, const msnp_command *cmd, const msnp_pdu *pdu,
                       uint8_t *buf, const msnp_masker *m)
{
    if (pdu->kind != MSNP_PDU_COMMAND)
        return 0;
    size_t masked = 0;
    const msnp_command_info *ci = cmd->info;
    if (ci && command_has_secrets((const uint8_t *)ci->name)) {
        uint8_t roles = ctx ? ctx->roles : MSNP_R_ANY;
        uint8_t dirs = ctx ? ctx->dirs : MSNP_D_ANY;
        uint64_t marks = 0;
        int fits = 0;
        /* Every form the line fits, not only the chosen one: while a
         * connection's direction is unknown, a ticket also fits the form of
         * the server's parameters. Marks first, masks after: the forms are
         * matched on the bytes as they came. */
        for (unsigned f = 0; f < ci->nforms; f++) {
            if (!msnp_form_matches(&ci->forms[f], buf, pdu, roles, dirs))
                continue;
            fits = 1;
            marks |= secret_tokens(cmd, &ci->forms[f], pdu);
        }
        if (fits) {
            for (unsigned k = 0; k < pdu->ntok && k < MSNP_MAX_TOKENS; k++)
                if (marks & ((uint64_t)1 << k))
                    masked += mask(m, buf + pdu->tok[k].off, pdu->tok[k].len);
        } else {
            masked += mask_unfitted_line(ci, buf, pdu->line_len, m);
        }
    }
    if (pdu->has_payload)
        masked += msnp_redact_payload(buf + pdu->payload.off, pdu->payload.len, m);
    return masked;
}

/* ---- bytes that did not parse -------------------------------------------- */

/* t=...&p=... anywhere in a token. */
static int looks_like_ticket(const uint8_t *w, size_t n)
{
    if (n < 4 || w[0] != 't' || w[1] != '=')
        return 0;
    for (size_t i = 2; i + 3 <= n; i++)
        if (w[i] == '&' && w[i + 1] == 'p' && w[i + 2] == '=')
            return 1;
    return 0;
}

size_t msnp_redact_bytes(uint8_t *p, size_t n, const msnp_masker *m)
{
    size_t pos = 0, masked = 0;
    while (pos < n) {
        size_t next, len = line_at(p, n, pos, &next);
        uint8_t *line = p + pos;
        size_t field = mask_field_line(line, len, m);
        masked += field;
        pos = next;
        if (field)
            continue;
        token t[MSNP_MAX_TOKENS];
        size_t nt = tokens(line, len, t, MSNP_MAX_TOKENS);
        const msnp_command_info *ci =
            nt && t[0].len == 3 ? msnp_command_lookup(line + t[0].off, 3) : NULL;
        if (ci && command_has_secrets((const uint8_t *)ci->name)) {
            masked += mask_unfitted_line(ci, line, len, m);
        } else {
            for (size_t i = 0; i < nt; i++)
                if (looks_like_ticket(line + t[i].off, t[i].len))
                    masked += mask(m, line + t[i].off, t[i].len);
        }
    }
    return masked;
}
