/* -T fields: one line per command with the values of the -e fields, laid
 * out as tshark's -T fields with the same -E options (fields_format): a
 * field with several values prints them joined by the aggregator; an absent
 * field prints nothing, not even quotes. */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "fields.h"
#include "records.h"

typedef struct fields_writer {
    writer w;
    const field_ref *fields;
    const char *const *names;
    size_t n;
    fields_format fmt;
    field_scratch scratch;
} fields_writer;

/* One column of one line: which of its values to write, and how many are
 * written. */
typedef struct column {
    outbuf *o;
    const fields_format *fmt;
    int seen;
    int only; /* occurrence=l: the index of the last value; -1 any */
    int written;
} column;

static int count_value(void *ctx, const fvalue *v)
{
    (void)v;
    ++*(int *)ctx;
    return 0;
}

static int put_value(void *ctx, const fvalue *v)
{
    column *c = ctx;
    if (c->only >= 0 && c->seen++ != c->only)
        return 0;
    if (c->written++)
        ob_char(c->o, c->fmt->aggregator);
    else if (c->fmt->quote)
        ob_char(c->o, c->fmt->quote);
    if (v->type == FV_NUM) {
        char buf[40];
        int n = v->num == (double)(uint64_t)v->num
                    ? snprintf(buf, sizeof buf, "%llu", (unsigned long long)v->num)
                    : snprintf(buf, sizeof buf, "%.6f", v->num);
        ob_write(c->o, buf, (size_t)n);
    } else {
        esc_field(c->o, (const uint8_t *)v->s, v->n, c->fmt->quote);
    }
    /* occurrence=f and =l stop at the value they want */
    return c->fmt->occurrence != 'a';
}

static void put_column(fields_writer *fw, size_t i, const record *r)
{
    column c = {fw->w.out, &fw->fmt, 0, -1, 0};
    if (fw->fmt.occurrence == 'l') {
        int n = 0;
        field_values(&fw->fields[i], r, &fw->scratch, count_value, &n);
        if (!n)
            return;
        c.only = n - 1;
    }
    field_values(&fw->fields[i], r, &fw->scratch, put_value, &c);
    if (c.written && fw->fmt.quote)
        ob_char(fw->w.out, fw->fmt.quote);
}

static void fields_record(writer *w, const record *r)
{
    fields_writer *fw = (fields_writer *)w;
    if (r->type != REC_COMMAND)
        return;
    for (size_t i = 0; i < fw->n; i++) {
        if (i)
            ob_char(w->out, fw->fmt.separator);
        put_column(fw, i, r);
    }
    ob_char(w->out, '\n');
}

static void fields_finish(writer *w)
{
    field_scratch_free(&((fields_writer *)w)->scratch);
    free(w);
}

writer *writer_fields_new(outbuf *out, const field_ref *fields, const char *const *names,
                          size_t n, const fields_format *fmt)
{
    fields_writer *fw = calloc(1, sizeof *fw);
    if (!fw)
        return NULL;
    fw->w.out = out;
    fw->w.record = fields_record;
    fw->w.finish = fields_finish;
    fw->fields = fields;
    fw->names = names;
    fw->n = n;
    fw->fmt = *fmt;
    /* First, even when no command follows, as tshark does. */
    if (fmt->bom)
        ob_write(out, "\xef\xbb\xbf", 3);
    if (fmt->header) {
        for (size_t i = 0; i < n; i++) {
            if (i)
                ob_char(out, fmt->separator);
            ob_str(out, names[i]);
        }
        ob_char(out, '\n');
    }
    return &fw->w;
}
