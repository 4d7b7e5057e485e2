/* Every difference between the Wireshark versions the plugin is built for,
 * in one place. The plugin ABI is tied to the exact major.minor version, so
 * each version needs its own build; these shims make one source compile for
 * all of them. Built and tested on 4.0.17 (Debian 12); the 4.4 side compiles
 * against 4.4.19's headers (Debian 13; .ci/ws44-check); the 4.2 side follows
 * upstream source only (../../shared/guide/wireshark-plugin.md §2.7). What
 * is proven for which version: docs/compat.md. */
#ifndef MSNP_COMPAT_H
#define MSNP_COMPAT_H

#include <glib.h>
#include <ws_version.h>

#define MSNP_WS_AT_LEAST(major, minor)                                                    \
    (WIRESHARK_VERSION_MAJOR > (major) ||                                                 \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

/* 4.4 switched callback and preference types from gboolean to bool; gcc 14
 * makes a mismatch in a function pointer a hard error. MSNP_BOOL is the type
 * a heuristic dissector returns and a boolean preference is stored in. */
#if MSNP_WS_AT_LEAST(4, 4)
#include <stdbool.h>
typedef bool MSNP_BOOL;
#define MSNP_TRUE true
#define MSNP_FALSE false
#else
typedef gboolean MSNP_BOOL;
#define MSNP_TRUE TRUE
#define MSNP_FALSE FALSE
#endif

/* What a dissector called through the "media_type" table receives: 4.0 has
 * packet-http.h's http_message_info_t, newer trees renamed it to
 * media_content_info_t in packet-media-type.h (boundary assumed at 4.2). */
#if MSNP_WS_AT_LEAST(4, 2)
#include <epan/dissectors/packet-media-type.h>
typedef media_content_info_t msnp_media_info;
#define MSNP_MEDIA_INFO_OTHER MEDIA_CONTAINER_OTHER
#define MSNP_MEDIA_IS_REQUEST(m) ((m)->type == MEDIA_CONTAINER_HTTP_REQUEST)
#define MSNP_MEDIA_IS_RESPONSE(m) ((m)->type == MEDIA_CONTAINER_HTTP_RESPONSE)
#else
#include <epan/dissectors/packet-http.h>
typedef http_message_info_t msnp_media_info;
#define MSNP_MEDIA_INFO_OTHER HTTP_OTHERS
#define MSNP_MEDIA_IS_REQUEST(m) ((m)->type == HTTP_REQUEST)
#define MSNP_MEDIA_IS_RESPONSE(m) ((m)->type == HTTP_RESPONSE)
#endif

/* format_text() takes const guchar * in 4.0 and const char * in newer
 * trees; a void pointer converts to either without a cast warning. */
#define MSNP_FORMAT_TEXT(scope, bytes, len) format_text((scope), (const void *)(bytes), (len))

/* plugin_describe() and WS_PLUGIN_DESC_* (wsutil/plugins.h, not installed
 * with 4.0) appeared in 4.4; without them `tshark -G plugins` prints the
 * plugin's type as "unknown". */
#if MSNP_WS_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
#endif

#endif
