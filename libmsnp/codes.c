/* The numeric value tables of the payload decoders, by name (see codes.h). */
#include "msnp/codes.h"

#include <string.h>

#include "msnp/imformat.h"
#include "msnp/latertypes.h"
#include "msnp/mailnotify.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const msnp_code_table *const tables[] = {
    &msnp_format_charset_table, &msnp_format_family_table, &msnp_format_pitch_table,
    &msnp_system_type_table,    &msnp_datacast_id_table,
};

const char *msnp_code_text(const msnp_code_table *t, uint32_t code)
{
    for (size_t i = 0; t && i < t->count; i++)
        if (t->codes[i].code == code)
            return t->codes[i].text;
    return NULL;
}

const msnp_code_table *msnp_code_table_find(const char *name)
{
    for (size_t i = 0; i < N(tables); i++)
        if (strcmp(tables[i]->name, name) == 0)
            return tables[i];
    return NULL;
}

size_t msnp_code_table_count(void)
{
    return N(tables);
}

const msnp_code_table *msnp_code_table_at(size_t i)
{
    return i < N(tables) ? tables[i] : NULL;
}
