/* -Y: a writer that passes on only the records a filter accepts. */
#include <stdlib.h>

#include "filter.h"
#include "records.h"

typedef struct filter_writer {
    writer w;
    writer *inner;
    const filter *f;
    filter_counts *counts;
    field_scratch scratch;
} filter_writer;

static void filtered_record(writer *w, const record *r)
{
    filter_writer *fw = (filter_writer *)w;
    int keep = filter_match(fw->f, r, &fw->scratch);
    if (fw->counts) {
        fw->counts->seen++;
        fw->counts->kept += keep != 0;
    }
    if (keep)
        fw->inner->record(fw->inner, r);
}

static void filtered_event(writer *w, const msnp_event *ev)
{
    filter_writer *fw = (filter_writer *)w;
    if (fw->inner->event)
        fw->inner->event(fw->inner, ev);
}

static void filtered_finish(writer *w)
{
    filter_writer *fw = (filter_writer *)w;
    fw->inner->finish(fw->inner);
    field_scratch_free(&fw->scratch);
    free(fw);
}

writer *writer_filter_new(writer *inner, const filter *f, filter_counts *counts)
{
    filter_writer *fw = calloc(1, sizeof *fw);
    if (!fw)
        return NULL;
    fw->w.out = inner->out;
    fw->w.record = filtered_record;
    fw->w.event = inner->event ? filtered_event : NULL;
    fw->w.finish = filtered_finish;
    fw->inner = inner;
    fw->f = f;
    fw->counts = counts;
    return &fw->w;
}
