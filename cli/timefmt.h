/* Times in text output, in tshark's -t formats (see time_format in
 * records.h). Shared by every text view. */
#ifndef MSNPDUMP_TIMEFMT_H
#define MSNPDUMP_TIMEFMT_H

#include <stdint.h>

#include "outbuf.h"
#include "records.h"

typedef struct timefmt {
    time_format fmt;
    int64_t last_day;            /* TF_UTC_DAYS: the day of the last heading */
    int64_t first_sec, prev_sec; /* TF_RELATIVE, TF_DELTA */
    uint32_t first_usec, prev_usec;
    int started;
} timefmt;

void timefmt_init(timefmt *t, time_format fmt);
/* A heading line ("# 2003-07-03 (times are UTC)") when the format wants one
 * before a line stamped `sec`. */
void timefmt_heading(timefmt *t, outbuf *o, int64_t sec);
/* The time column for sec.usec. */
void timefmt_write(timefmt *t, outbuf *o, int64_t sec, uint32_t usec);
/* 0 and the format for a -t argument (a ad u ud e r d), -1 if unknown. */
int timefmt_parse(const char *s, time_format *out);

#endif
