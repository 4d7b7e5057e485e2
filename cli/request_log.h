/* Which command each recent request of a connection was. The pairing
 * (record.txn) ties a reply to its request by frame only; the explain and
 * stats views remember the requests here to name them: "answers the USR in
 * frame 20", response times per request command.
 *
 * Bounded: a fixed table of connections (one slot per connection number
 * modulo its size; a connection taking the slot of another forgets it) and
 * the last few answerable requests of each. A reply whose request was
 * forgotten is then known by its frame alone. */
#ifndef MSNPDUMP_REQUEST_LOG_H
#define MSNPDUMP_REQUEST_LOG_H

#include <stdint.h>

#include "records.h"

typedef struct request_log request_log;

request_log *request_log_new(void);
void request_log_free(request_log *l);

/* Note a command record; only requests that something may answer are kept. */
void request_log_note(request_log *l, const record *r);

/* The command ("USR") of the request a matched reply answers (its frame in
 * reply->tag) on connection `conn`, or NULL when that request was not seen or
 * is forgotten. */
const char *request_log_find(const request_log *l, uint64_t conn, const msnp_txn *reply);

/* The connection ended: its slot is free. */
void request_log_forget(request_log *l, uint64_t conn);

#endif
