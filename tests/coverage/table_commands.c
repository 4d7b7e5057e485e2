/* Prints libmsnp's command table, one command per line, for the sample
 * coverage test (sample_coverage.py):
 *
 *   NAME ERA SINCE ROLES
 *
 * ERA is msnp8, earlier or later; SINCE the version label of a command that
 * is not MSNP8 ("-" for MSNP8 ones); ROLES the connection roles (DS, NS, SB,
 * FTP, comma-separated) of the command's MSNP8 forms ("-" when none). */
#include <stdio.h>

#include "msnp/commands.h"

static const char *era_name(uint8_t era)
{
    switch (era) {
    case MSNP_ERA_MSNP8:
        return "msnp8";
    case MSNP_ERA_EARLIER:
        return "earlier";
    default:
        return "later";
    }
}

int main(void)
{
    static const msnp_role roles[] = {MSNP_ROLE_DS, MSNP_ROLE_NS, MSNP_ROLE_SB, MSNP_ROLE_FTP};
    size_t n = msnp_command_count();
    if (n == 0)
        return 1;
    for (size_t i = 0; i < n; i++) {
        const msnp_command_info *c = msnp_command_at(i);
        unsigned mask = 0;
        for (size_t f = 0; f < c->nforms; f++)
            if (c->forms[f].era == MSNP_ERA_MSNP8)
                mask |= c->forms[f].roles;
        printf("%.3s %s %s ", c->name, era_name(c->era), c->since ? c->since : "-");
        int first = 1;
        for (size_t r = 0; r < sizeof roles / sizeof roles[0]; r++) {
            if (!(mask & (unsigned)roles[r]))
                continue;
            printf("%s%s", first ? "" : ",", msnp_role_name(roles[r]));
            first = 0;
        }
        puts(first ? "-" : "");
    }
    return ferror(stdout) ? 1 : 0;
}
