/* Numeric value tables: names for byte and number codes inside payloads (the
 * X-MMS-IM-Format charset and pitch/family bytes, the system message type, the
 * datacast id). values.h names string values as on the wire; these name
 * numbers, so the plugin can turn them into value_strings and msnpdump can
 * print the meaning next to the number. */
#ifndef MSNP_CODES_H
#define MSNP_CODES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct msnp_code_name {
    uint32_t code;
    const char *text;
} msnp_code_name;

typedef struct msnp_code_table {
    const char *name; /* referred to by the field vocabulary (payload.h) */
    const msnp_code_name *codes;
    size_t count;
} msnp_code_table;

/* Text for a code, or NULL. */
const char *msnp_code_text(const msnp_code_table *t, uint32_t code);

/* The numeric tables by name ("format_charset", "format_family",
 * "format_pitch", "system_type", "datacast_id"); NULL when
 * unknown. */
const msnp_code_table *msnp_code_table_find(const char *name);
size_t msnp_code_table_count(void);
const msnp_code_table *msnp_code_table_at(size_t i);

#ifdef __cplusplus
}
#endif
#endif
