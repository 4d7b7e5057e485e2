/* -w DIR: one decoding pass written as a set of JSON Lines logs, Zeek style
 * (commands.log, anomalies.log, connections.log, sessions.log, chats.log,
 * invites.log), each line the same object the matching view writes with
 * -T jsonl, so the logs join on "uid" and "sid" (docs/views.md). */
#ifndef MSNPDUMP_LOGSET_H
#define MSNPDUMP_LOGSET_H

#include <stddef.h>

#include "records.h"

struct extractor;
typedef struct logset logset;

/* Creates DIR (and its parents) when absent, then every log in it. A log
 * that already exists is refused, and nothing is created, unless
 * `overwrite`; a log that is a symbolic link is always refused. `files`
 * (--extract, may be NULL) goes to the invites log. NULL with a message in
 * err. */
logset *logset_open(const char *dir, int overwrite, struct extractor *files, char *err,
                    size_t errsize);

/* The writer that feeds every log: records by type to commands, anomalies and
 * connections, events to the correlation views. Its finish() finishes the
 * logs' writers; the files stay open until logset_close(). */
writer *logset_writer(logset *ls);

/* A write has failed (stop reading: nothing more can be written). NULL: 0. */
int logset_failed(const logset *ls);

/* Flushes and closes every log and frees the set. Returns 0, or -1 with the
 * first log that could not be written named in err. NULL: 0. */
int logset_close(logset *ls, char *err, size_t errsize);

#endif
