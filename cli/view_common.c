/* JSON and text pieces shared by the correlation views (see views.h). */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "msnp/values.h"
#include "views.h"

void view_json_str(outbuf *o, const char *key, const char *value)
{
    ob_write(o, ",\"", 2);
    ob_str(o, key);
    ob_write(o, "\":\"", 3);
    esc_json_str(o, value);
    ob_char(o, '"');
}

void view_json_sid(outbuf *o, uint32_t sid)
{
    if (!sid)
        return;
    ob_write(o, ",\"sid\":\"S", 9);
    ob_u64(o, sid);
    ob_char(o, '"');
}

void view_json_legs(outbuf *o, const msnp_event *ev)
{
    ob_str(o, ",\"uids\":[");
    for (unsigned i = 0; i < ev->nlegs; i++) {
        if (i)
            ob_char(o, ',');
        ob_write(o, "\"C", 2);
        ob_u64(o, ev->conns[i]);
        ob_char(o, '"');
    }
    ob_str(o, "],\"frames\":[");
    for (unsigned i = 0; i < ev->nlegs; i++) {
        if (i)
            ob_char(o, ',');
        ob_u64(o, ev->frames[i]);
    }
    ob_char(o, ']');
}

static void json_span(outbuf *o, const char *key, const uint8_t *base, msnp_span s)
{
    ob_write(o, ",\"", 2);
    ob_str(o, key);
    ob_write(o, "\":\"", 3);
    esc_json(o, base + s.off, s.len);
    ob_char(o, '"');
}

void view_json_format(outbuf *o, const uint8_t *base, const msnp_im_format *f)
{
    ob_str(o, ",\"format\":{\"present\":true");
    if (f->present & MSNP_FMT_HAS_FN) {
        char font[256];
        size_t n = msnp_im_format_font(base, f, font, sizeof font);
        ob_str(o, ",\"font\":\"");
        esc_json(o, (const uint8_t *)font, n);
        ob_char(o, '"');
    }
    if (f->present & MSNP_FMT_HAS_EF) {
        static const struct {
            unsigned bit;
            const char *name;
        } effects[] = {{MSNP_EF_BOLD, "bold"}, {MSNP_EF_ITALIC, "italic"},
                       {MSNP_EF_UNDERLINE, "underline"}, {MSNP_EF_STRIKEOUT, "strikeout"}};
        ob_str(o, ",\"effects\":[");
        int first = 1;
        for (size_t i = 0; i < sizeof effects / sizeof effects[0]; i++) {
            if (f->effect_bits & effects[i].bit) {
                if (!first)
                    ob_char(o, ',');
                ob_char(o, '"');
                ob_str(o, effects[i].name);
                ob_char(o, '"');
                first = 0;
            }
        }
        ob_char(o, ']');
    }
    if ((f->present & MSNP_FMT_HAS_CO) && f->color_valid) {
        char hex[8];
        msnp_im_format_color_hex(f->color_rgb, hex);
        ob_str(o, ",\"color\":\"");
        ob_str(o, hex);
        ob_char(o, '"');
    }
    if ((f->present & MSNP_FMT_HAS_CS) && f->charset_valid) {
        ob_str(o, ",\"charset\":");
        ob_u64(o, f->charset_code);
    }
    if ((f->present & MSNP_FMT_HAS_PF) && f->pitch_family_valid) {
        ob_str(o, ",\"pitch_family\":");
        ob_u64(o, f->pitch_family_code);
    }
    if (f->right_to_left)
        ob_str(o, ",\"right_to_left\":true");
    ob_char(o, '}');
}

void view_json_invite_fields(outbuf *o, const uint8_t *base, const msnp_invite *inv)
{
    static const char *const commands[] = {[MSNP_INVITE_CMD_NONE] = "",
                                           [MSNP_INVITE_CMD_INVITE] = "INVITE",
                                           [MSNP_INVITE_CMD_ACCEPT] = "ACCEPT",
                                           [MSNP_INVITE_CMD_CANCEL] = "CANCEL",
                                           [MSNP_INVITE_CMD_OTHER] = "other"};
    if (inv->command_code != MSNP_INVITE_CMD_OTHER)
        view_json_str(o, "command", commands[inv->command_code]);
    else
        json_span(o, "command", base, inv->command);
    static const struct {
        msnp_invite_field f;
        const char *key;
        size_t off;
    } spans[] = {
        {MSNP_INV_COOKIE, "cookie", offsetof(msnp_invite, cookie)},
        {MSNP_INV_APP_NAME, "app", offsetof(msnp_invite, app_name)},
        {MSNP_INV_APP_GUID, "app_guid", offsetof(msnp_invite, app_guid)},
        {MSNP_INV_FILE, "file", offsetof(msnp_invite, file)},
        {MSNP_INV_IP_ADDRESS, "ip", offsetof(msnp_invite, ip_address)},
        {MSNP_INV_IP_ADDRESS_INTERNAL, "ip_internal", offsetof(msnp_invite, ip_address_internal)},
        {MSNP_INV_AUTH_COOKIE, "auth_cookie", offsetof(msnp_invite, auth_cookie)},
        {MSNP_INV_CANCEL_CODE, "cancel_code", offsetof(msnp_invite, cancel_code)},
        {MSNP_INV_SESSION_ID, "invitation_session_id", offsetof(msnp_invite, session_id)},
    };
    for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++)
        if (msnp_invite_has(inv, spans[i].f))
            json_span(o, spans[i].key, base,
                      *(const msnp_span *)((const char *)inv + spans[i].off));
    if (inv->app_text)
        view_json_str(o, "app_known_as", inv->app_text);
    if (msnp_invite_has(inv, MSNP_INV_FILE_SIZE) && !(inv->issues & MSNP_INVITE_ISSUE_BAD_FILE_SIZE)) {
        ob_str(o, ",\"size\":");
        ob_u64(o, inv->file_size_value);
    }
    if (msnp_invite_has(inv, MSNP_INV_PORT) && !(inv->issues & MSNP_INVITE_ISSUE_BAD_PORT)) {
        ob_str(o, ",\"port\":");
        ob_u64(o, inv->port_value);
    }
    if (inv->portx_check != MSNP_PORTX_ABSENT) {
        ob_str(o, ",\"portx\":");
        ob_u64(o, inv->portx_value);
        ob_str(o, inv->portx_check == MSNP_PORTX_AGREES ? ",\"portx_agrees\":true"
                                                        : ",\"portx_agrees\":false");
    }
    if (inv->cancel_text)
        view_json_str(o, "cancel_meaning", inv->cancel_text);
}

void view_text_invite(outbuf *o, const uint8_t *base, const msnp_invite *inv)
{
    switch (inv->command_code) {
    case MSNP_INVITE_CMD_INVITE:
        ob_str(o, " invites to ");
        if (inv->file.len) {
            ob_str(o, "receive ");
            esc_text(o, base + inv->file.off, inv->file.len);
            if (msnp_invite_has(inv, MSNP_INV_FILE_SIZE)) {
                ob_str(o, " (");
                ob_u64(o, inv->file_size_value);
                ob_str(o, " bytes)");
            }
        } else if (inv->app_name.len) {
            esc_text(o, base + inv->app_name.off, inv->app_name.len);
        } else {
            ob_str(o, inv->app_text ? inv->app_text : "an application");
        }
        break;
    case MSNP_INVITE_CMD_ACCEPT:
        ob_str(o, " accepts invitation");
        if (inv->ip_address.len && msnp_invite_has(inv, MSNP_INV_PORT)) {
            ob_str(o, ", connect to ");
            esc_text(o, base + inv->ip_address.off, inv->ip_address.len);
            ob_char(o, ':');
            ob_u64(o, inv->port_value);
        }
        break;
    case MSNP_INVITE_CMD_CANCEL:
        ob_str(o, " cancels invitation");
        if (inv->cancel_code.len) {
            ob_str(o, ": ");
            esc_text(o, base + inv->cancel_code.off, inv->cancel_code.len);
            if (inv->cancel_text) {
                ob_str(o, " (");
                ob_str(o, inv->cancel_text);
                ob_char(o, ')');
            }
        }
        break;
    default:
        ob_str(o, " sends an invitation message");
        break;
    }
    if (inv->cookie.len) {
        ob_str(o, ", cookie ");
        esc_text(o, base + inv->cookie.off, inv->cookie.len);
    }
}

void view_duration(outbuf *o, msnp_time a, msnp_time b)
{
    int64_t ms = (b.sec - a.sec) * 1000 + ((int64_t)b.usec - (int64_t)a.usec) / 1000;
    if (ms < 0)
        ms = 0;
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%lld.%01lld s", (long long)(ms / 1000),
                     (long long)(ms % 1000 / 100));
    ob_write(o, buf, (size_t)n);
}
