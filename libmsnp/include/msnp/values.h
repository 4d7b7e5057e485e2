/* Value tables: statuses, list bits, capability bits, properties, ack modes,
 * and the other small vocabularies the meaning templates and both faces use. */
#ifndef MSNP_VALUES_H
#define MSNP_VALUES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct msnp_value_name {
    const char *value; /* as on the wire */
    const char *text;  /* plain language */
} msnp_value_name;

typedef struct msnp_value_table {
    const char *name; /* used in meaning templates: {arg:name} */
    const msnp_value_name *values;
    size_t count;
} msnp_value_table;

typedef struct msnp_bit_name {
    uint32_t bit;
    const char *abbrev; /* "FL" */
    const char *text;   /* "forward list (contacts)" */
} msnp_bit_name;

/* Tables by name ("status", "list", "ack", "property", "url_service",
 * "out_reason", "gtc", "blp", "ims", "ftp_bye", "app_guid", "cancel_code",
 * ...). NULL when unknown. */
const msnp_value_table *msnp_value_table_find(const char *name, size_t len);
size_t msnp_value_table_count(void);
const msnp_value_table *msnp_value_table_at(size_t i);

/* Text for a wire value in a table, or NULL. */
const char *msnp_value_text(const msnp_value_table *t, const uint8_t *v, size_t len);

/* List mask bits (FL=1, AL=2, BL=4, RL=8). */
extern const msnp_bit_name msnp_list_bits[];
extern const size_t msnp_list_bits_count;

/* Client capability bits of CHG/ILN/NLN (the MSNC version is the top nibble). */
extern const msnp_bit_name msnp_capability_bits[];
extern const size_t msnp_capability_bits_count;

#ifdef __cplusplus
}
#endif
#endif
