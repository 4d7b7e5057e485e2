/* Numeric error replies (protocol reference §2.3, §11). */
#ifndef MSNP_ERRORS_H
#define MSNP_ERRORS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct msnp_error_info {
    unsigned code;
    const char *name;    /* short name, e.g. "ERR_AUTHENTICATION_FAILED" or a
                            descriptive name where no constant exists */
    const char *meaning; /* plain language, including the typical trigger */
    unsigned char era;   /* msnp_era: MSNP8, or later-version-only codes */
    unsigned char certain; /* 0 where the sources disagree or are single */
    unsigned char fatal;   /* the server normally disconnects after it */
} msnp_error_info;

/* NULL for a code the table does not know. */
const msnp_error_info *msnp_error_lookup(unsigned code);
size_t msnp_error_count(void);
const msnp_error_info *msnp_error_at(size_t i);

#ifdef __cplusplus
}
#endif
#endif
