/* The four (with 4.4: five) symbols Wireshark looks for in a plugin. Debian's
 * wireshark-dev ships no plugin.c generator, so this is written by hand. */
#ifndef WS_BUILD_DLL
#define WS_BUILD_DLL /* before ws_symbol_export.h: makes WS_DLL_PUBLIC export */
#endif

#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/tap.h>
#include <ws_symbol_export.h>

#include "msnp-compat.h"
#include "packet-msnp.h"

WS_DLL_PUBLIC_DEF const char plugin_version[] = PLUGIN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
#ifdef WS_PLUGIN_DESC_DISSECTOR
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER;
}
#endif

void plugin_register(void)
{
    static proto_plugin dissector = {proto_register_msnp, proto_reg_handoff_msnp};
    /* The statistics tree is a tap listener: registered separately. */
    static tap_plugin statistics = {msnp_register_stats};

    proto_register_plugin(&dissector);
    tap_register_plugin(&statistics);
}
