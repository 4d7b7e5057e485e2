/* libmsnp: the shared core of the MSNP8 analyzer. Plain C, no I/O. */
#ifndef MSNP_MSNP_H
#define MSNP_MSNP_H

#include "msnp/commands.h"
#include "msnp/conn.h"
#include "msnp/corr.h"
#include "msnp/errors.h"
#include "msnp/framer.h"
#include "msnp/mime.h"
#include "msnp/parse.h"
#include "msnp/span.h"
#include "msnp/text.h"
#include "msnp/trid.h"
#include "msnp/values.h"

#define MSNP_VERSION_STRING "0.1.0"

#endif
