/* Buffers kept between records (see scratch.h). */
#include "scratch.h"

#include <stdlib.h>

void *scratch_room(scratch_buf *s, size_t n)
{
    if (n > s->cap) {
        void *bigger = realloc(s->p, n);
        if (!bigger)
            return NULL;
        s->p = bigger;
        s->cap = n;
    }
    return s->p;
}

void scratch_free(scratch_buf *s)
{
    free(s->p);
    s->p = NULL;
    s->cap = 0;
}

const char *scratch_text_utf8(scratch_buf *s, const uint8_t *payload, const msnp_text_msg *t,
                              size_t *len)
{
    /* Latin-1 to UTF-8 at most doubles the bytes; and the NUL. */
    size_t size = (size_t)t->text.len * 2 + 1;
    char *dst = scratch_room(s, size);
    if (!dst)
        return NULL;
    *len = msnp_text_to_utf8(payload, t, dst, size);
    return dst;
}
