/* The link types the netdecode harness picks from with its first byte; the
 * seed builder writes the index of a capture's link type there. All that
 * msnpdump supports, then one it does not. */
#ifndef MSNP_FUZZ_LINKS_H
#define MSNP_FUZZ_LINKS_H

#include "netdecode.h"

#define FUZZ_UNSUPPORTED_LINK 147 /* LINKTYPE_USER0 */

static const int fuzz_link_types[] = {
    NET_DLT_NULL,      NET_DLT_EN10MB, NET_DLT_RAW,  NET_DLT_RAW_OPENBSD,
    NET_LINKTYPE_RAW,  NET_DLT_LOOP,   NET_DLT_LINUX_SLL, NET_DLT_IPV4,
    NET_DLT_IPV6,      NET_DLT_LINUX_SLL2, FUZZ_UNSUPPORTED_LINK};

#define FUZZ_NLINKS (sizeof fuzz_link_types / sizeof fuzz_link_types[0])

#endif
