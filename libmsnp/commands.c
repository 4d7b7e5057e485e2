/* Lookup and naming over the command table (rows in command_table.c). */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "msnp/commands.h"

const msnp_command_info *msnp_command_lookup(const uint8_t *name, size_t len)
{
    if (len != 3)
        return NULL;
    size_t n;
    const msnp_command_info *t = msnp_command_table(&n);
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(name, t[mid].name, 3);
        if (c == 0)
            return &t[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
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
