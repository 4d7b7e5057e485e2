/* Lookup and naming over the command table (rows in command_table.c). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "msnp/commands.h"

/* Three upper-case letters index a table directly (26^3 entries, built from
 * the sorted rows on first use: one store per row, the same values whoever
 * builds it). Anything else is not a command name. */
#define LETTERS3 (26 * 26 * 26)

static const msnp_command_info *by_letters[LETTERS3];
static int by_letters_ready;

static int letters_index(const uint8_t *s)
{
    if (s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' || s[2] < 'A' || s[2] > 'Z')
        return -1;
    return (s[0] - 'A') * 676 + (s[1] - 'A') * 26 + (s[2] - 'A');
}

const msnp_command_info *msnp_command_lookup(const uint8_t *name, size_t len)
{
    if (len != 3)
        return NULL;
    int k = letters_index(name);
    if (k < 0)
        return NULL;
    if (!by_letters_ready) {
        size_t n;
        const msnp_command_info *t = msnp_command_table(&n);
        for (size_t i = 0; i < n; i++) {
            int j = letters_index((const uint8_t *)t[i].name);
            if (j >= 0)
                by_letters[j] = &t[i];
        }
        by_letters_ready = 1;
    }
    return by_letters[k];
}

size_t msnp_command_count(void)
{
    size_t n;
    msnp_command_table(&n);
    return n;
}

const msnp_command_info *msnp_command_at(size_t i)
{
    size_t n;
    const msnp_command_info *t = msnp_command_table(&n);
    return i < n ? &t[i] : NULL;
}

size_t msnp_command_index(const msnp_command_info *ci)
{
    size_t n;
    const msnp_command_info *t = msnp_command_table(&n);
    /* Compared as addresses, not subtracted: ci may be a caller's copy. */
    uintptr_t at = (uintptr_t)ci, first = (uintptr_t)t;
    return ci && at >= first && at - first < n * sizeof *t ? (size_t)(ci - t) : n;
}

const char *msnp_role_name(msnp_role r)
{
    switch (r) {
    case MSNP_ROLE_DS:
        return "DS";
    case MSNP_ROLE_NS:
        return "NS";
    case MSNP_ROLE_SB:
        return "SB";
    case MSNP_ROLE_FTP:
        return "FTP";
    default:
        return "unknown";
    }
}

const char *msnp_dir_name(msnp_dir d)
{
    switch (d) {
    case MSNP_DIR_C2S:
        return "c2s";
    case MSNP_DIR_S2C:
        return "s2c";
    default:
        return "unknown";
    }
}

const char *msnp_era_label(uint8_t era, const char *since, char *buf, size_t size)
{
    if (era == MSNP_ERA_MSNP8 || size == 0)
        return NULL;
    snprintf(buf, size, "not MSNP8 (%s)",
             since ? since : era == MSNP_ERA_LATER ? "a later version" : "an earlier version");
    return buf;
}
