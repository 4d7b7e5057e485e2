/* The contact list and presence state of one notification-server login
 * (see roster.h). Every command this module reads is one row of handlers[]:
 * the lines of the SYN dump, the list edits (applied only when the server
 * confirms them), and the lines that say who is signed in, with which
 * client, and who is online. Arguments are read by the names the command
 * table gives them, so every form of a command (MSNP8's, earlier and later
 * ones) is read the same way. */
#include <stdlib.h>
#include <string.h>

#include "msnp/mime.h"
#include "msnp/payload.h"
#include "msnp/roster.h"
#include "msnp/text.h"
#include "msnp/values.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Longest string kept, in bytes after URL-decoding: the protocol's longest
 * (an encoded friendly name, 387 bytes) fits with room to spare. */
#define TEXT_FIELD_MAX 1024u
#define HANDLE_MAX (MSNP_HANDLE_MAX - 1) /* 129 bytes (reference §2.1) */
#define PROFILE_MAX 4096u                /* a real profile is about 500 bytes */

void msnp_roster_limits_default(msnp_roster_limits *l)
{
    l->max_contacts = 2048;
    l->max_groups = 64;
    l->max_edits = 1024;
    l->max_status = 1024;
    l->max_presence = 4096;
    l->max_text = 1u << 20;
}

const char *const msnp_roster_client_keys[MSNP_CVR_FIELD_COUNT] = {
    [MSNP_CVR_LOCALE] = "locale",
    [MSNP_CVR_OS_TYPE] = "os_type",
    [MSNP_CVR_OS_VERSION] = "os_version",
    [MSNP_CVR_ARCH] = "arch",
    [MSNP_CVR_CLIENT_NAME] = "client_name",
    [MSNP_CVR_CLIENT_VERSION] = "client_version",
    [MSNP_CVR_CLIENT_LIB] = "client_lib",
    [MSNP_CVR_RECOMMENDED_VERSION] = "recommended_version",
    [MSNP_CVR_MINIMUM_VERSION] = "minimum_version",
};

msnp_roster *msnp_roster_new(const msnp_roster_limits *l)
{
    msnp_roster *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    if (l)
        r->limits = *l;
    else
        msnp_roster_limits_default(&r->limits);
    return r;
}

void msnp_roster_free(msnp_roster *r)
{
    if (!r)
        return;
    free(r->profile_bytes);
    free(r->contacts);
    free(r->index);
    free(r->groups);
    free(r->edits);
    free(r->status);
    free(r->presence);
    free(r->text);
    free(r);
}

/* Make room for `need` elements, doubling, never past `max`. */
static int grow(void **arr, uint32_t *cap, uint32_t need, uint32_t max, size_t elem)
{
    if (need <= *cap)
        return 0;
    if (need > max)
        return -1;
    uint64_t ncap = *cap ? (uint64_t)*cap * 2 : 16;
    if (ncap < need)
        ncap = need;
    if (ncap > max)
        ncap = max;
    void *p = realloc(*arr, (size_t)ncap * elem);
    if (!p)
        return -1;
    *arr = p;
    *cap = (uint32_t)ncap;
    return 0;
}

/* ---- text ------------------------------------------------------------------ */

static msnp_rtext keep(msnp_roster *r, const void *p, size_t n)
{
    msnp_rtext t = {0, 0};
    if (n == 0)
        return t;
    if (n > TEXT_FIELD_MAX) {
        n = TEXT_FIELD_MAX;
        r->dropped.text++;
    }
    if ((uint64_t)r->text_len + n > r->limits.max_text) {
        r->dropped.text++;
        return t;
    }
    uint32_t need = r->text_len + (uint32_t)n;
    if (need > r->text_cap) {
        uint64_t ncap = r->text_cap ? (uint64_t)r->text_cap * 2 : 1024;
        if (ncap < need)
            ncap = need;
        if (ncap > r->limits.max_text)
            ncap = r->limits.max_text;
        uint8_t *b = realloc(r->text, (size_t)ncap);
        if (!b) {
            r->dropped.text++;
            return t;
        }
        r->text = b;
        r->text_cap = (uint32_t)ncap;
    }
    memcpy(r->text + r->text_len, p, n);
    t.off = r->text_len;
    t.len = (uint32_t)n;
    r->text_len = need;
    return t;
}

static int text_is(const msnp_roster *r, msnp_rtext t, const void *p, size_t n)
{
    return t.len == n && (n == 0 || memcmp(r->text + t.off, p, n) == 0);
}

/* Replace *field with p[0..n), reusing the stored copy when it is the same. */
static void set_text(msnp_roster *r, msnp_rtext *field, const void *p, size_t n)
{
    if (!text_is(r, *field, p, n))
        *field = keep(r, p, n);
}

static void set_raw(msnp_roster *r, msnp_rtext *field, const uint8_t *base, msnp_span s)
{
    set_text(r, field, base + s.off, s.len);
}

static void set_decoded(msnp_roster *r, msnp_rtext *field, const uint8_t *base, msnp_span s)
{
    char buf[TEXT_FIELD_MAX + 1];
    size_t n = msnp_url_decode(base + s.off, s.len, buf, sizeof buf);
    if (n == TEXT_FIELD_MAX && s.len > TEXT_FIELD_MAX)
        r->dropped.text++; /* cut */
    set_text(r, field, buf, n);
}

/* ---- small vocabularies (values.h) ------------------------------------------ */

static const msnp_value_table *property_table(void)
{
    return msnp_value_table_find("property", 8);
}

static int prop_index(const uint8_t *base, msnp_span s)
{
    const msnp_value_table *t = property_table();
    for (size_t i = 0; t && i < t->count && i < MSNP_ROSTER_MAX_PROPS; i++)
        if (msnp_span_eq(base, s, t->values[i].value))
            return (int)i;
    return -1;
}

const char *msnp_roster_prop_name(unsigned i)
{
    const msnp_value_table *t = property_table();
    return t && i < t->count && i < MSNP_ROSTER_MAX_PROPS ? t->values[i].value : NULL;
}

static uint8_t list_bit(const uint8_t *base, msnp_span s)
{
    for (size_t i = 0; i < msnp_list_bits_count; i++)
        if (msnp_span_eq(base, s, msnp_list_bits[i].abbrev))
            return (uint8_t)msnp_list_bits[i].bit;
    return 0;
}

/* A short code (status, property, GTC/BLP value) of 1-3 bytes. */
static int copy_code(char dst[4], const uint8_t *base, msnp_span s)
{
    if (s.len < 1 || s.len > 3)
        return -1;
    memcpy(dst, base + s.off, s.len);
    dst[s.len] = 0;
    return 0;
}

/* ---- contacts ---------------------------------------------------------------- */

static uint8_t lower(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

/* Accounts are e-mail addresses: the same account in another case is the same. */
static uint32_t account_hash(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ lower(p[i])) * 16777619u;
    return h;
}

static int account_eq(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    if (an != bn)
        return 0;
    for (size_t i = 0; i < an; i++)
        if (lower(a[i]) != lower(b[i]))
            return 0;
    return 1;
}

/* contact index + 1, or 0 */
static uint32_t find_contact(const msnp_roster *r, const uint8_t *p, size_t n)
{
    if (!r->index_size)
        return 0;
    uint32_t mask = r->index_size - 1;
    for (uint32_t h = account_hash(p, n) & mask; r->index[h]; h = (h + 1) & mask) {
        const msnp_roster_contact *c = &r->contacts[r->index[h] - 1];
        if (account_eq(r->text + c->account.off, c->account.len, p, n))
            return r->index[h];
    }
    return 0;
}

static void index_put(msnp_roster *r, uint32_t ci)
{
    const msnp_roster_contact *c = &r->contacts[ci - 1];
    uint32_t mask = r->index_size - 1;
    uint32_t h = account_hash(r->text + c->account.off, c->account.len) & mask;
    while (r->index[h])
        h = (h + 1) & mask;
    r->index[h] = ci;
}

/* Keep the hash at most half full. */
static int index_reserve(msnp_roster *r, uint32_t contacts)
{
    if ((uint64_t)contacts * 2 <= r->index_size)
        return 0;
    uint32_t size = r->index_size ? r->index_size : 32;
    while ((uint64_t)contacts * 2 > size)
        size *= 2;
    uint32_t *idx = calloc(size, sizeof *idx);
    if (!idx)
        return -1;
    free(r->index);
    r->index = idx;
    r->index_size = size;
    for (uint32_t i = 1; i <= r->ncontacts; i++)
        index_put(r, i);
    return 0;
}

/* The contact for an account named in a line (index + 1), added when new;
 * 0 when the name cannot be right or there is no room. */
static uint32_t contact_for(msnp_roster *r, const uint8_t *base, msnp_span s)
{
    const uint8_t *p = base + s.off;
    uint32_t ci = find_contact(r, p, s.len);
    if (ci)
        return ci;
    if (r->ncontacts >= r->limits.max_contacts ||
        grow((void **)&r->contacts, &r->contacts_cap, r->ncontacts + 1, r->limits.max_contacts,
             sizeof *r->contacts) != 0 ||
        index_reserve(r, r->ncontacts + 1) != 0)
        return 0;
    msnp_roster_contact *c = &r->contacts[r->ncontacts];
    memset(c, 0, sizeof *c);
    c->account = keep(r, p, s.len);
    if (!c->account.len)
        return 0; /* no room for its name: a contact that cannot be found again */
    ci = ++r->ncontacts;
    index_put(r, ci);
    return ci;
}

const msnp_roster_contact *msnp_roster_find(const msnp_roster *r, const char *account)
{
    uint32_t ci = find_contact(r, (const uint8_t *)account, strlen(account));
    return ci ? &r->contacts[ci - 1] : NULL;
}

static int is_own_account(const msnp_roster *r, const uint8_t *p, size_t n)
{
    return r->account.len && account_eq(r->text + r->account.off, r->account.len, p, n);
}

/* ---- groups -------------------------------------------------------------------- */

static msnp_roster_group *find_group(msnp_roster *r, uint32_t id)
{
    for (uint32_t i = 0; i < r->ngroups; i++)
        if (r->groups[i].id == id)
            return &r->groups[i];
    return NULL;
}

static void set_group(msnp_roster *r, uint32_t id, const uint8_t *base, msnp_span name)
{
    msnp_roster_group *g = find_group(r, id);
    if (!g) {
        if (r->ngroups >= r->limits.max_groups ||
            grow((void **)&r->groups, &r->groups_cap, r->ngroups + 1, r->limits.max_groups,
                 sizeof *r->groups) != 0) {
            r->dropped.groups++;
            return;
        }
        g = &r->groups[r->ngroups++];
        memset(g, 0, sizeof *g);
        g->id = id;
    }
    set_decoded(r, &g->name, base, name);
}

/* ---- lines ---------------------------------------------------------------------- */

static int arg(const msnp_roster_cmd *in, const char *name, msnp_span *out)
{
    int i = msnp_command_find_arg(in->cmd, in->pdu, name);
    if (i < 0)
        return 0;
    *out = msnp_command_arg(in->cmd, in->pdu, (unsigned)i);
    return 1;
}

/* 1: a decimal number that fits; 0: absent; -1: present but not a number. */
static int arg_number(const msnp_roster_cmd *in, const char *name, uint64_t max, uint64_t *v)
{
    msnp_span s;
    if (!arg(in, name, &s))
        return 0;
    if (!msnp_span_is_digits(in->base, s) || s.len > 20)
        return -1;
    *v = msnp_span_u64(in->base, s);
    return *v <= max ? 1 : -1;
}

static int valid_handle(msnp_span s)
{
    return s.len >= 1 && s.len <= HANDLE_MAX;
}

/* A line whose values cannot be right: counted, not used. A later
 * version's form is counted apart: it is not wrong, only not read here. */
static void bad_line(msnp_roster *r, const msnp_roster_cmd *in)
{
    if (in->cmd->form && in->cmd->form->era == MSNP_ERA_LATER)
        r->dropped.later++;
    else
        r->dropped.unparsed++;
}

/* The arguments of a list edit, a settings line or a property line, read by
 * name, checked before anything is changed. */
typedef struct edit_args {
    uint8_t list; /* list bit, 0 none */
    uint8_t has_user, has_text, has_group, has_version, has_code;
    msnp_span user, text;
    uint32_t group;
    uint64_t version;
    char code[4];
    int prop; /* property index, -1 none */
} edit_args;

static int read_edit_args(const msnp_roster_cmd *in, edit_args *a)
{
    memset(a, 0, sizeof *a);
    a->prop = -1;
    const uint8_t *base = in->base;
    msnp_span s;
    if (arg(in, "list", &s) && !(a->list = list_bit(base, s)))
        return -1;
    if (arg(in, "user", &a->user)) {
        if (!valid_handle(a->user))
            return -1;
        a->has_user = 1;
    }
    a->has_text = (uint8_t)(arg(in, "nick", &a->text) || arg(in, "group_name", &a->text) ||
                            arg(in, "value", &a->text));
    uint64_t v;
    int n = arg_number(in, "group_id", MSNP_ROSTER_MAX_GROUP_ID, &v);
    if (n < 0)
        return -1;
    if (n > 0) {
        a->has_group = 1;
        a->group = (uint32_t)v;
    }
    n = arg_number(in, "list_version", UINT64_MAX, &a->version);
    if (n < 0)
        return -1;
    a->has_version = (uint8_t)n;
    if (arg(in, "property", &s)) {
        /* a property this module does not keep (prop -1) is still an edit */
        if (copy_code(a->code, base, s) != 0)
            return -1;
        a->prop = prop_index(base, s);
        a->has_code = 1;
    } else if (arg(in, "prompt", &s) || arg(in, "privacy", &s)) {
        if (copy_code(a->code, base, s) != 0)
            return -1;
        a->has_code = 1;
    }
    return 0;
}

/* ---- requests and their replies ----------------------------------------------- */

static void pending_add(msnp_roster *r, const msnp_roster_cmd *in, uint32_t entry)
{
    struct msnp_roster_pending *p = &r->pending[r->pending_next++ % MSNP_ROSTER_PENDING];
    p->trid = in->cmd->trid;
    memset(p->cmd, 0, sizeof p->cmd);
    if (in->cmd->info)
        memcpy(p->cmd, in->cmd->info->name, 3);
    p->entry = entry;
    p->used = 1;
}

/* The request a server line answers (the most recent one with its TrID and,
 * unless `any`, its command); removed from the waiting list. */
static struct msnp_roster_pending *pending_take(msnp_roster *r, const msnp_roster_cmd *in,
                                                int any)
{
    for (uint32_t k = 1; k <= MSNP_ROSTER_PENDING; k++) {
        struct msnp_roster_pending *p =
            &r->pending[(r->pending_next - k) % MSNP_ROSTER_PENDING];
        if (p->used && p->trid == in->cmd->trid &&
            (any || (in->cmd->info && !memcmp(p->cmd, in->cmd->info->name, 4)))) {
            p->used = 0;
            return p;
        }
    }
    return NULL;
}

static void stamp(uint64_t *frame, msnp_time *ts, const msnp_roster_cmd *in)
{
    *frame = in->frame;
    *ts = in->ts;
}

static msnp_roster_edit *new_edit(msnp_roster *r, const msnp_roster_cmd *in)
{
    if (r->nedits >= r->limits.max_edits ||
        grow((void **)&r->edits, &r->edits_cap, r->nedits + 1, r->limits.max_edits,
             sizeof *r->edits) != 0) {
        r->dropped.edits++;
        return NULL;
    }
    msnp_roster_edit *e = &r->edits[r->nedits++];
    memset(e, 0, sizeof *e);
    stamp(&e->frame, &e->ts, in);
    memcpy(e->cmd, in->cmd->info->name, 3);
    e->has_trid = in->cmd->has_trid;
    e->trid = in->cmd->trid;
    return e;
}

/* The edit entry a server line completes: its request's, or a new one. */
static msnp_roster_edit *edit_for_reply(msnp_roster *r, const msnp_roster_cmd *in)
{
    msnp_roster_edit *e;
    if (in->cmd->has_trid && in->cmd->trid != 0) {
        struct msnp_roster_pending *p = pending_take(r, in, 0);
        if (p && !p->entry)
            return NULL; /* its request's entry was not kept */
        e = p ? &r->edits[p->entry - 1] : new_edit(r, in);
    } else {
        e = new_edit(r, in);
        if (e)
            e->by_server = 1;
    }
    if (e) {
        stamp(&e->reply_frame, &e->reply_ts, in);
        e->outcome = MSNP_RO_DONE;
    }
    return e;
}

static void fill_edit(msnp_roster *r, msnp_roster_edit *e, const msnp_roster_cmd *in,
                      const edit_args *a)
{
    for (size_t i = 0; i < msnp_list_bits_count; i++)
        if (a->list == msnp_list_bits[i].bit)
            memcpy(e->list, msnp_list_bits[i].abbrev, 3);
    if (a->has_user)
        set_raw(r, &e->account, in->base, a->user);
    if (a->has_text)
        set_decoded(r, &e->text, in->base, a->text);
    if (a->has_group) {
        e->has_group = 1;
        e->group_id = a->group;
    }
    if (a->has_version) {
        e->has_version = 1;
        e->list_version = a->version;
    }
    if (a->has_code)
        memcpy(e->code, a->code, 4);
}

/* ---- what a confirmed edit changes ------------------------------------------------ */

typedef void (*apply_fn)(msnp_roster *r, const msnp_roster_cmd *in, const edit_args *a);

static void apply_add(msnp_roster *r, const msnp_roster_cmd *in, const edit_args *a)
{
    if (!a->has_user || !a->list)
        return;
    uint32_t ci = contact_for(r, in->base, a->user);
    if (!ci) {
        r->dropped.contacts++;
        return;
    }
    msnp_roster_contact *c = &r->contacts[ci - 1];
    c->lists |= a->list;
    c->flags |= MSNP_RC_LISTED;
    if (a->list == 1 && a->has_group)
        c->groups |= 1ull << a->group;
    /* The official client sends the account as the name of an AL/BL entry:
     * the name a forward-list ADD or the dump gave is the better one. */
    if (a->has_text && (a->list == 1 || !c->nick.len))
        set_decoded(r, &c->nick, in->base, a->text);
}

static void apply_rem(msnp_roster *r, const msnp_roster_cmd *in, const edit_args *a)
{
    if (!a->has_user || !a->list)
        return;
    uint32_t ci = find_contact(r, in->base + a->user.off, a->user.len);
    if (!ci)
        return;
    msnp_roster_contact *c = &r->contacts[ci - 1];
    if (a->list == 1 && a->has_group) {
        c->groups &= ~(1ull << a->group); /* from that group only */
        return;
    }
    c->lists &= (uint8_t)~a->list;
    if (a->list == 1)
        c->groups = 0;
}

static void apply_adg(msnp_roster *r, const msnp_roster_cmd *in, const edit_args *a)
{
    if (a->has_group && a->has_text)
        set_group(r, a->group, in->base, a->text);
}

/* §3.2: contacts that were only in the deleted group drop off the forward list. */
static void apply_rmg(msnp_roster *r, const msnp_roster_cmd *in, const edit_args *a)
{
    (void)in;
    if (!a->has_group)
        return;
    for (uint32_t i = 0; i < r->ngroups; i++) {
        if (r->groups[i].id == a->group) {
            memmove(&r->groups[i], &r->groups[i + 1], (r->ngroups - i - 1) * sizeof *r->groups);
            r->ngroups--;
            break;
        }
    }
    uint64_t bit = 1ull << a->group;
    for (uint32_t i = 0; i < r->ncontacts; i++) {
        msnp_roster_contact *c = &r->contacts[i];
        if (c->groups & bit) {
            c->groups &= ~bit;
            if (!c->groups)
                c->lists &= (uint8_t)~1u;
        }
    }
}

static void apply_rea(msnp_roster *r, const msnp_roster_cmd *in, const edit_args *a)
{
    if (!a->has_user || !a->has_text)
        return;
    const uint8_t *p = in->base + a->user.off;
    if (is_own_account(r, p, a->user.len)) {
        set_decoded(r, &r->nick, in->base, a->text);
        return;
    }
    /* Without the account (a capture that began after the login) a rename
     * of oneself and of a contact look alike: a known contact gets it. */
    uint32_t ci = find_contact(r, p, a->user.len);
    if (ci)
        set_decoded(r, &r->contacts[ci - 1].nick, in->base, a->text);
}

static void set_prop(msnp_roster *r, msnp_rtext *props, uint8_t *present,
                     const msnp_roster_cmd *in, const edit_args *a)
{
    if (a->prop < 0)
        return;
    /* A property line without a value clears it (unset ones are omitted). */
    uint8_t bit = (uint8_t)(1u << a->prop);
    if (!a->has_text) {
        *present &= (uint8_t)~bit;
        props[a->prop] = (msnp_rtext){0, 0};
        return;
    }
    *present |= bit;
    set_decoded(r, &props[a->prop], in->base, a->text);
}

static void apply_prp(msnp_roster *r, const msnp_roster_cmd *in, const edit_args *a)
{
    set_prop(r, r->props, &r->props_present, in, a);
    if (a->prop >= 0 && !strcmp(a->code, "MFN") && a->has_text) /* MSNP10+ rename */
        set_decoded(r, &r->nick, in->base, a->text);
}

static void apply_bpr(msnp_roster *r, const msnp_roster_cmd *in, const edit_args *a)
{
    if (!a->has_user)
        return;
    uint32_t ci = find_contact(r, in->base + a->user.off, a->user.len);
    if (ci) {
        msnp_roster_contact *c = &r->contacts[ci - 1];
        set_prop(r, c->props, &c->props_present, in, a);
    }
}

static void apply_gtc(msnp_roster *r, const msnp_roster_cmd *in, const edit_args *a)
{
    (void)in;
    if (a->has_code)
        memcpy(r->gtc, a->code, 4);
}

static void apply_blp(msnp_roster *r, const msnp_roster_cmd *in, const edit_args *a)
{
    (void)in;
    if (a->has_code)
        memcpy(r->blp, a->code, 4);
}

/* ---- the SYN dump ---------------------------------------------------------------- */

static void dump_close(msnp_roster *r)
{
    if (!r->dump_open)
        return;
    r->dump_open = 0;
    r->last_lst = 0;
    r->last_lst_dropped = 0;
    if (r->dump == MSNP_DUMP_RECEIVING)
        r->dump = r->dump_contacts < r->announced_contacts || r->dump_groups < r->announced_groups
                      ? MSNP_DUMP_CUT_SHORT
                      : MSNP_DUMP_COMPLETE;
}

/* A new dump replaces the list: what it does not name is not on it. */
static void dump_start(msnp_roster *r, const msnp_roster_cmd *in, uint32_t contacts,
                       uint32_t groups)
{
    dump_close(r);
    for (uint32_t i = 0; i < r->ncontacts; i++) {
        msnp_roster_contact *c = &r->contacts[i];
        c->lists = 0;
        c->groups = 0;
        c->props_present = 0;
        c->flags &= (uint8_t)~(MSNP_RC_LISTED | MSNP_RC_IN_DUMP);
    }
    r->ngroups = 0;
    r->props_present = 0;
    r->gtc[0] = r->blp[0] = 0;
    r->dump = MSNP_DUMP_RECEIVING;
    r->dump_open = 1;
    r->announced = 1;
    r->announced_contacts = contacts;
    r->announced_groups = groups;
    r->dump_contacts = r->dump_groups = 0;
    r->dump_frame = in->frame;
}

/* A dump line: when no SYN opened a dump, the capture began inside one. */
static void dump_line(msnp_roster *r)
{
    if (r->dump_open)
        return;
    r->dump_open = 1;
    r->dump = MSNP_DUMP_NO_SYN;
}

/* GTC, BLP and PRP lines of the dump; a property this module does not know
 * cannot be kept. */
static void dump_setting(msnp_roster *r, const msnp_roster_cmd *in, apply_fn apply,
                         int is_property)
{
    edit_args a;
    dump_line(r);
    if (read_edit_args(in, &a) != 0 || (is_property && a.prop < 0)) {
        bad_line(r, in);
        return;
    }
    apply(r, in, &a);
}

static void dump_lsg(msnp_roster *r, const msnp_roster_cmd *in)
{
    dump_line(r);
    r->dump_groups++;
    edit_args a;
    if (read_edit_args(in, &a) != 0 || !a.has_group || !a.has_text) {
        bad_line(r, in);
        return;
    }
    set_group(r, a.group, in->base, a.text);
}

/* "0,2": a bit per group id; -1 when the list cannot be right. */
static int parse_groups(const uint8_t *base, msnp_span s, uint64_t *out)
{
    uint64_t bits = 0;
    uint32_t v = 0, digits = 0;
    for (uint32_t i = 0; i <= s.len; i++) {
        uint8_t ch = i < s.len ? base[s.off + i] : ',';
        if (ch >= '0' && ch <= '9') {
            v = v * 10 + (uint32_t)(ch - '0');
            if (++digits > 2 || v > MSNP_ROSTER_MAX_GROUP_ID)
                return -1;
        } else if (ch == ',' && digits) {
            bits |= 1ull << v;
            v = digits = 0;
        } else {
            return -1;
        }
    }
    *out = bits;
    return 0;
}

/* The contact of an LST line (the dump's, or the iterated reply of earlier
 * versions): 0 after counting what could not be kept or read. */
static uint32_t read_lst(msnp_roster *r, const msnp_roster_cmd *in, uint8_t *lists,
                         uint64_t *groups)
{
    msnp_span user, s;
    uint64_t mask = 0;
    *groups = 0;
    if (!arg(in, "user", &user) || !valid_handle(user)) {
        bad_line(r, in);
        return 0;
    }
    if (arg(in, "list", &s)) {
        if (!(mask = list_bit(in->base, s))) {
            bad_line(r, in);
            return 0;
        }
    } else if (arg_number(in, "lists", 15, &mask) != 1) {
        bad_line(r, in);
        return 0;
    }
    if (arg(in, "groups", &s) && parse_groups(in->base, s, groups) != 0) {
        bad_line(r, in);
        return 0;
    }
    *lists = (uint8_t)mask;
    uint32_t ci = contact_for(r, in->base, user);
    if (!ci) {
        r->dropped.contacts++;
        return 0;
    }
    msnp_roster_contact *c = &r->contacts[ci - 1];
    if (arg(in, "nick", &s))
        set_decoded(r, &c->nick, in->base, s);
    c->flags |= MSNP_RC_LISTED;
    return ci;
}

static void dump_lst(msnp_roster *r, const msnp_roster_cmd *in)
{
    dump_line(r);
    r->dump_contacts++;
    r->last_lst = 0;
    r->last_lst_dropped = 1;
    uint8_t lists;
    uint64_t groups;
    uint32_t ci = read_lst(r, in, &lists, &groups);
    if (!ci)
        return;
    msnp_roster_contact *c = &r->contacts[ci - 1];
    c->lists = lists;
    c->groups = groups;
    c->flags |= MSNP_RC_IN_DUMP;
    r->last_lst = ci;
    r->last_lst_dropped = 0;
}

/* Pitfall 6: a dump's BPR has no account; it belongs to the LST before it. */
static void dump_bpr(msnp_roster *r, const msnp_roster_cmd *in)
{
    dump_line(r);
    edit_args a;
    if (read_edit_args(in, &a) != 0 || a.prop < 0) {
        bad_line(r, in);
        return;
    }
    if (!r->last_lst) {
        if (!r->last_lst_dropped)
            r->dropped.orphans++;
        return;
    }
    msnp_roster_contact *c = &r->contacts[r->last_lst - 1];
    set_prop(r, c->props, &c->props_present, in, &a);
}

static void dump_gtc(msnp_roster *r, const msnp_roster_cmd *in)
{
    dump_setting(r, in, apply_gtc, 0);
}

static void dump_blp(msnp_roster *r, const msnp_roster_cmd *in)
{
    dump_setting(r, in, apply_blp, 0);
}

static void dump_prp(msnp_roster *r, const msnp_roster_cmd *in)
{
    dump_setting(r, in, apply_prp, 1);
}

/* ---- other lines ------------------------------------------------------------------ */

static void line_syn(msnp_roster *r, const msnp_roster_cmd *in, msnp_dir dir)
{
    uint64_t version, contacts, groups;
    /* MSNP10+ stamps the list with times, not numbers: the counts still tell
     * how long its dump is. */
    int nv = arg_number(in, "list_version", UINT64_MAX, &version);
    if (nv < 0)
        bad_line(r, in);
    if (dir == MSNP_DIR_C2S) {
        if (nv > 0) {
            r->has_cached_version = 1;
            r->cached_version = version;
        }
        return;
    }
    if (nv > 0) {
        r->has_version = 1;
        r->list_version = version;
    }
    int nc = arg_number(in, "contact_count", UINT32_MAX, &contacts);
    int ng = arg_number(in, "group_count", UINT32_MAX, &groups);
    if (nc == 1 && ng == 1) {
        dump_start(r, in, (uint32_t)contacts, (uint32_t)groups);
    } else if (nc == 0 && ng == 0) {
        dump_close(r);
        r->dump = MSNP_DUMP_CURRENT;
    } else if (nv >= 0) {
        bad_line(r, in);
    }
}

/* The iterated LSG and LST replies of earlier versions (their MSNP8 use is
 * uncertain): read as the entries they list. */
static void line_lsg(msnp_roster *r, const msnp_roster_cmd *in, msnp_dir dir)
{
    edit_args a;
    if (dir != MSNP_DIR_S2C)
        return;
    if (read_edit_args(in, &a) != 0) {
        bad_line(r, in);
        return;
    }
    if (a.has_group && a.has_text)
        set_group(r, a.group, in->base, a.text);
}

static void line_lst(msnp_roster *r, const msnp_roster_cmd *in, msnp_dir dir)
{
    msnp_span user;
    if (dir != MSNP_DIR_S2C || !arg(in, "user", &user))
        return; /* a request, or "the list is empty" */
    uint8_t list;
    uint64_t groups;
    uint32_t ci = read_lst(r, in, &list, &groups);
    if (!ci)
        return;
    msnp_roster_contact *c = &r->contacts[ci - 1];
    c->lists |= list;
    c->groups |= groups;
}

static void line_usr(msnp_roster *r, const msnp_roster_cmd *in, msnp_dir dir)
{
    msnp_span user, s;
    if (!arg(in, "user", &user) || !valid_handle(user))
        return;
    if (dir == MSNP_DIR_C2S) {
        if (arg(in, "stage", &s) && msnp_span_eq(in->base, s, "I") &&
            r->account_from < MSNP_ACCOUNT_USR_I) {
            set_raw(r, &r->account, in->base, user);
            r->account_from = MSNP_ACCOUNT_USR_I;
        }
        return;
    }
    if (!arg(in, "result", &s) || !msnp_span_eq(in->base, s, "OK"))
        return;
    set_raw(r, &r->account, in->base, user);
    r->account_from = MSNP_ACCOUNT_USR_OK;
    if (arg(in, "nick", &s))
        set_decoded(r, &r->nick, in->base, s);
    r->signed_in = 1;
    stamp(&r->signed_in_frame, &r->signed_in_ts, in);
}

static void line_cvr(msnp_roster *r, const msnp_roster_cmd *in, msnp_dir dir)
{
    msnp_span s;
    (void)dir;
    for (unsigned k = 0; k < MSNP_CVR_FIELD_COUNT; k++)
        if (arg(in, msnp_roster_client_keys[k], &s))
            set_raw(r, &r->client[k], in->base, s);
    if (arg(in, "user", &s) && valid_handle(s) && r->account_from < MSNP_ACCOUNT_CVR) {
        set_raw(r, &r->account, in->base, s);
        r->account_from = MSNP_ACCOUNT_CVR;
    }
}

/* The login profile, kept as sent and decoded from the copy. */
static void line_msg(msnp_roster *r, const msnp_roster_cmd *in, msnp_dir dir)
{
    const msnp_pdu *pdu = in->pdu;
    if (dir != MSNP_DIR_S2C || !pdu->has_payload)
        return;
    const uint8_t *p = in->base + pdu->payload.off;
    size_t n = pdu->payload.len;
    msnp_mime mime;
    if (msnp_mime_parse(p, n, &mime) != 0)
        return;
    const msnp_content_type *t = msnp_content_type_find(p, mime.content_type);
    if (!t || t->kind != MSNP_PK_PROFILE)
        return;
    if (n > PROFILE_MAX) {
        r->dropped.text++;
        n = PROFILE_MAX;
        while (n > 0 && p[n - 1] != '\n') /* keep whole lines */
            n--;
    }
    uint8_t *copy = realloc(r->profile_bytes, n ? n : 1);
    if (!copy) {
        r->dropped.text++;
        return;
    }
    memcpy(copy, p, n);
    r->profile_bytes = copy;
    r->profile_len = (uint32_t)n;
    r->profile_frame = in->frame;
    memset(&r->profile, 0, sizeof r->profile);
    if (msnp_mime_parse(copy, n, &mime) == 0)
        msnp_profile_decode(copy, n, &mime, &r->profile);
}

static msnp_roster_status *new_status(msnp_roster *r, const msnp_roster_cmd *in)
{
    if (r->nstatus >= r->limits.max_status ||
        grow((void **)&r->status, &r->status_cap, r->nstatus + 1, r->limits.max_status,
             sizeof *r->status) != 0) {
        r->dropped.status++;
        return NULL;
    }
    msnp_roster_status *st = &r->status[r->nstatus++];
    memset(st, 0, sizeof *st);
    stamp(&st->frame, &st->ts, in);
    st->has_trid = in->cmd->has_trid;
    st->trid = in->cmd->trid;
    return st;
}

static void line_chg(msnp_roster *r, const msnp_roster_cmd *in, msnp_dir dir)
{
    msnp_span s;
    char status[4];
    uint64_t client_id = 0;
    int has_id = 0;
    if (!arg(in, "status", &s) || copy_code(status, in->base, s) != 0 ||
        (has_id = arg_number(in, "client_id", UINT32_MAX, &client_id)) < 0) {
        bad_line(r, in);
        return;
    }
    msnp_roster_status *st = NULL;
    if (dir == MSNP_DIR_C2S) {
        st = new_status(r, in);
        if (in->cmd->has_trid)
            pending_add(r, in, st ? (uint32_t)(st - r->status) + 1 : 0);
        if (st)
            st->request_seen = 1;
    } else if (in->cmd->has_trid && in->cmd->trid != 0) {
        struct msnp_roster_pending *p = pending_take(r, in, 0);
        st = p ? (p->entry ? &r->status[p->entry - 1] : NULL) : new_status(r, in);
        if (st) {
            stamp(&st->reply_frame, &st->reply_ts, in);
            st->outcome = MSNP_RO_DONE;
        }
    } else if ((st = new_status(r, in)) != NULL) {
        st->by_server = 1;
        stamp(&st->reply_frame, &st->reply_ts, in);
        st->outcome = MSNP_RO_DONE;
    }
    if (!st)
        return;
    memcpy(st->status, status, 4);
    st->has_client_id = has_id > 0;
    st->client_id = (uint32_t)client_id;
}

static void line_presence(msnp_roster *r, const msnp_roster_cmd *in, msnp_dir dir)
{
    msnp_span user, s;
    char status[4] = "FLN";
    uint64_t client_id = 0;
    int has_id = 0;
    if (dir != MSNP_DIR_S2C)
        return;
    if (!arg(in, "user", &user) || !valid_handle(user) ||
        (arg(in, "status", &s) && copy_code(status, in->base, s) != 0) ||
        (has_id = arg_number(in, "client_id", UINT32_MAX, &client_id)) < 0) {
        bad_line(r, in);
        return;
    }
    uint32_t ci = contact_for(r, in->base, user);
    if (!ci) {
        r->dropped.presence++;
        return;
    }
    msnp_roster_contact *c = &r->contacts[ci - 1];
    c->flags |= MSNP_RC_PRESENCE;
    memcpy(c->status, status, 4);
    int has_nick = arg(in, "nick", &s);
    if (has_nick)
        set_decoded(r, &c->online_nick, in->base, s);
    if (r->npresence >= r->limits.max_presence ||
        grow((void **)&r->presence, &r->presence_cap, r->npresence + 1, r->limits.max_presence,
             sizeof *r->presence) != 0) {
        r->dropped.presence++;
        return;
    }
    msnp_roster_presence *e = &r->presence[r->npresence++];
    memset(e, 0, sizeof *e);
    stamp(&e->frame, &e->ts, in);
    e->contact = ci - 1;
    memcpy(e->cmd, in->cmd->info->name, 3);
    memcpy(e->status, status, 4);
    e->has_client_id = has_id > 0;
    e->client_id = (uint32_t)client_id;
    if (has_nick)
        e->nick = c->online_nick;
}

/* An edit request, or the server line that confirms or pushes one. */
static void line_edit(msnp_roster *r, const msnp_roster_cmd *in, msnp_dir dir, apply_fn apply)
{
    edit_args a;
    if (read_edit_args(in, &a) != 0) {
        bad_line(r, in);
        return;
    }
    if (dir == MSNP_DIR_C2S) {
        msnp_roster_edit *e = new_edit(r, in);
        if (e) {
            e->request_seen = 1;
            fill_edit(r, e, in, &a);
        }
        if (in->cmd->has_trid)
            pending_add(r, in, e ? (uint32_t)(e - r->edits) + 1 : 0);
        return;
    }
    msnp_roster_edit *e = edit_for_reply(r, in);
    if (e)
        fill_edit(r, e, in, &a);
    if (a.has_version) {
        r->has_version = 1;
        r->list_version = a.version;
    }
    apply(r, in, &a);
}

/* An error reply: the request it answers failed and changed nothing. */
static void line_error(msnp_roster *r, const msnp_roster_cmd *in)
{
    if (!in->cmd->has_trid)
        return;
    struct msnp_roster_pending *p = pending_take(r, in, 1);
    if (!p || !p->entry)
        return;
    if (!memcmp(p->cmd, "CHG", 4)) {
        msnp_roster_status *st = &r->status[p->entry - 1];
        st->outcome = MSNP_RO_FAILED;
        st->error_code = in->cmd->error_code;
        stamp(&st->reply_frame, &st->reply_ts, in);
    } else {
        msnp_roster_edit *e = &r->edits[p->entry - 1];
        e->outcome = MSNP_RO_FAILED;
        e->error_code = in->cmd->error_code;
        stamp(&e->reply_frame, &e->reply_ts, in);
    }
}

/* ---- dispatch ---------------------------------------------------------------------- */

typedef void (*dump_fn)(msnp_roster *r, const msnp_roster_cmd *in);
typedef void (*line_fn)(msnp_roster *r, const msnp_roster_cmd *in, msnp_dir dir);

/* Per command: its SYN-dump forms, its other forms, and for list edits what
 * a confirmed one changes (line_edit reads those). */
static const struct handler {
    char name[4];
    dump_fn dump;
    line_fn line;
    apply_fn edit;
} handlers[] = {
    {"ADD", NULL, NULL, apply_add},
    {"ADG", NULL, NULL, apply_adg},
    {"BLP", dump_blp, NULL, apply_blp},
    {"BPR", dump_bpr, NULL, apply_bpr},
    {"CHG", NULL, line_chg, NULL},
    {"CVR", NULL, line_cvr, NULL},
    {"FLN", NULL, line_presence, NULL},
    {"GTC", dump_gtc, NULL, apply_gtc},
    {"ILN", NULL, line_presence, NULL},
    {"LSG", dump_lsg, line_lsg, NULL},
    {"LST", dump_lst, line_lst, NULL},
    {"MSG", NULL, line_msg, NULL},
    {"NLN", NULL, line_presence, NULL},
    {"PRP", dump_prp, NULL, apply_prp},
    {"REA", NULL, NULL, apply_rea},
    {"REG", NULL, NULL, apply_adg},
    {"REM", NULL, NULL, apply_rem},
    {"RMG", NULL, NULL, apply_rmg},
    {"SYN", NULL, line_syn, NULL},
    {"USR", NULL, line_usr, NULL},
};

static const struct handler *find_handler(const char *name)
{
    for (size_t i = 0; i < N(handlers); i++)
        if (!memcmp(handlers[i].name, name, 3))
            return &handlers[i];
    return NULL;
}

static void note_time(msnp_roster *r, const msnp_roster_cmd *in)
{
    if (!r->commands++) {
        r->first_frame = in->frame;
        r->first_ts = in->ts;
    }
    r->last_frame = in->frame;
    r->last_ts = in->ts;
}

void msnp_roster_command(msnp_roster *r, const msnp_roster_cmd *in)
{
    const msnp_command *c = in->cmd;
    note_time(r, in);
    msnp_dir dir = in->dir;
    if (dir == MSNP_DIR_UNKNOWN && c->form &&
        (c->form->dirs == MSNP_D_C2S || c->form->dirs == MSNP_D_S2C))
        dir = (msnp_dir)c->form->dirs;
    if (c->is_error) {
        if (dir != MSNP_DIR_C2S)
            line_error(r, in);
        return;
    }
    if (!c->info)
        return;
    int dump_form = c->form && (c->form->flags & MSNP_F_SYN_DUMP);
    /* The dump ends at the first server line that is not one of its own
     * (after the last LST, its BPR lines still belong to it). */
    if (dir == MSNP_DIR_S2C && c->form && !dump_form)
        dump_close(r);
    const struct handler *h = find_handler(c->info->name);
    if (!h)
        return;
    if (!c->form) {
        r->dropped.unparsed++;
        return;
    }
    if (dump_form) {
        if (h->dump)
            h->dump(r, in);
    } else if (h->edit) {
        line_edit(r, in, dir, h->edit);
    } else if (h->line) {
        h->line(r, in, dir);
    }
}

void msnp_roster_end(msnp_roster *r)
{
    dump_close(r);
}

void msnp_roster_set_account(msnp_roster *r, const char *account)
{
    size_t n = strlen(account);
    if (r->account_from != MSNP_ACCOUNT_NONE || n == 0 || n > HANDLE_MAX)
        return;
    r->account = keep(r, account, n);
    if (r->account.len)
        r->account_from = MSNP_ACCOUNT_LINKED;
}

/* ---- names --------------------------------------------------------------------------- */

const char *msnp_roster_dump_name(msnp_roster_dump d)
{
    static const char *const names[] = {
        [MSNP_DUMP_NOT_SEEN] = "not seen",   [MSNP_DUMP_CURRENT] = "current",
        [MSNP_DUMP_RECEIVING] = "receiving", [MSNP_DUMP_COMPLETE] = "complete",
        [MSNP_DUMP_CUT_SHORT] = "cut short", [MSNP_DUMP_NO_SYN] = "no SYN"};
    return (size_t)d < N(names) ? names[d] : "not seen";
}

const char *msnp_roster_outcome_name(msnp_roster_outcome o)
{
    static const char *const names[] = {
        [MSNP_RO_NO_REPLY] = "no reply", [MSNP_RO_DONE] = "done", [MSNP_RO_FAILED] = "failed"};
    return (size_t)o < N(names) ? names[o] : "no reply";
}

const char *msnp_roster_account_source_name(msnp_roster_account_source s)
{
    static const char *const names[] = {[MSNP_ACCOUNT_NONE] = NULL,
                                        [MSNP_ACCOUNT_CVR] = "CVR",
                                        [MSNP_ACCOUNT_USR_I] = "USR I",
                                        [MSNP_ACCOUNT_USR_OK] = "USR OK",
                                        [MSNP_ACCOUNT_LINKED] = "linked"};
    return (size_t)s < N(names) ? names[s] : NULL;
}
