/* A buffer kept from one record to the next and grown when a record needs
 * more: the masked copies of --redact, the texts of messages and the values
 * of payload fields cost no allocation per command. Start it zeroed;
 * scratch_free() releases it. */
#ifndef MSNPDUMP_SCRATCH_H
#define MSNPDUMP_SCRATCH_H

#include <stddef.h>
#include <stdint.h>

#include "msnp/textmsg.h"

typedef struct scratch_buf {
    void *p;
    size_t cap;
} scratch_buf;

/* Room for n bytes at s->p; NULL when there is no memory for them (what
 * the buffer had stays). Never shrinks. */
void *scratch_room(scratch_buf *s, size_t n);
void scratch_free(scratch_buf *s);

/* A decoded text message's text as UTF-8 (ISO-8859-1 bodies converted), in
 * s until its next use; *len its length. NULL when there is no memory. */
const char *scratch_text_utf8(scratch_buf *s, const uint8_t *payload, const msnp_text_msg *t,
                              size_t *len);

#endif
