/* -T fields: one line per command with the values of the -e fields,
 * tab-separated (tshark's -T fields). A field with several values prints them
 * comma-separated; an absent field prints nothing. */
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
    char sep;
    int header, header_done;
    field_scratch scratch;
} fields_writer;

typedef struct column {
    outbuf *o;
    int count;
} column;

static int put_value(void *ctx, const fvalue *v)
{
    column *c = ctx;
    if (c->count++)
        ob_char(c->o, ',');
    if (v->type == FV_NUM) {
        char buf[40];
        int n = v->num == (double)(uint64_t)v->num
                    ? snprintf(buf, sizeof buf, "%llu", (unsigned long long)v->num)
                    : snprintf(buf, sizeof buf, "%.6f", v->num);
        ob_write(c->o, buf, (size_t)n);
    } else {
        esc_field(c->o, (const uint8_t *)v->s, v->n);
    }
    return 0;
}

static void fields_record(writer *w, const record *r)
{
    fields_writer *fw = (fields_writer *)w;
    if (r->type != REC_COMMAND)
        return;
    if (fw->header && !fw->header_done) {
        for (size_t i = 0; i < fw->n; i++) {
            if (i)
                ob_char(w->out, fw->sep);
            ob_str(w->out, fw->names[i]);
        }
        ob_char(w->out, '\n');
        fw->header_done = 1;
    }
    for (size_t i = 0; i < fw->n; i++) {
        if (i)
            ob_char(w->out, fw->sep);
        column c = {w->out, 0};
        field_values(&fw->fields[i], r, &fw->scratch, put_value, &c);
    }
    ob_char(w->out, '\n');
}

static void fields_finish(writer *w)
{
    field_scratch_free(&((fields_writer *)w)->scratch);
    free(w);
}

writer *writer_fields_new(outbuf *out, const field_ref *fields, const char *const *names,
                          size_t n, char sep, int header)
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
    fw->sep = sep;
    fw->header = header;
    return &fw->w;
}
