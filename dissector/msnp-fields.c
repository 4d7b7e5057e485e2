/* Header fields, subtrees and expert items of the msnp plugin.
 *
 * Field names are msnpdump's JSON vocabulary (docs/jsonl.md): msnp.cmd is
 * "cmd" there. Besides the fixed fields below, every argument name of the
 * command table's forms ("user", "nick", "status", "sb_addr", ...) becomes a
 * field msnp.<name>, generated at start-up from libmsnp's table so that a
 * new form or argument needs no change here. */
#include <stdlib.h>
#include <string.h>

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/proto.h>

#include "packet-msnp.h"

int proto_msnp = -1;

int hf_msnp_command_line = -1;
int hf_msnp_cmd = -1;
int hf_msnp_trid = -1;
int hf_msnp_args = -1;
int hf_msnp_arg = -1;
int hf_msnp_payload_len = -1;
int hf_msnp_payload = -1;
int hf_msnp_payload_missing = -1;
int hf_msnp_error_code = -1;
int hf_msnp_error_meaning = -1;
int hf_msnp_role = -1;
int hf_msnp_dir = -1;
int hf_msnp_meaning = -1;
int hf_msnp_since = -1;
int hf_msnp_async = -1;
int hf_msnp_response_in = -1;
int hf_msnp_response_to = -1;
int hf_msnp_time = -1;
int hf_msnp_reply_line = -1;
int hf_msnp_mime_header = -1;
int hf_msnp_mime_content_type = -1;
int hf_msnp_mime_charset = -1;
int hf_msnp_block_type = -1;
int hf_msnp_block_len = -1;
int hf_msnp_block_data = -1;
int hf_msnp_skipped = -1;
int hf_msnp_setup_frame = -1;
int hf_msnp_setup_method = -1;
int hf_msnp_sid = -1;

int ett_msnp = -1;
int ett_msnp_args = -1;
int ett_msnp_payload = -1;
int ett_msnp_mime = -1;
int ett_msnp_mime_header = -1;
int ett_msnp_block = -1;
int ett_msnp_setup = -1;

expert_field ei_msnp_error_reply = EI_INIT;
expert_field ei_msnp_unknown_error_code = EI_INIT;
expert_field ei_msnp_malformed = EI_INIT;
expert_field ei_msnp_not_msnp = EI_INIT;
expert_field ei_msnp_line_too_long = EI_INIT;
expert_field ei_msnp_payload_too_long = EI_INIT;
expert_field ei_msnp_bad_length = EI_INIT;
expert_field ei_msnp_truncated = EI_INIT;
expert_field ei_msnp_length_position = EI_INIT;
expert_field ei_msnp_irregular_spacing = EI_INIT;
expert_field ei_msnp_unknown_command = EI_INIT;
expert_field ei_msnp_unexpected_syntax = EI_INIT;
expert_field ei_msnp_other_version = EI_INIT;
expert_field ei_msnp_no_response = EI_INIT;
expert_field ei_msnp_credential = EI_INIT;
expert_field ei_msnp_disconnect = EI_INIT;
expert_field ei_msnp_bad_block = EI_INIT;
expert_field ei_msnp_block_overrun = EI_INIT;
expert_field ei_msnp_cookie_mismatch = EI_INIT;
expert_field ei_msnp_not_msnp_connection = EI_INIT;

static const value_string block_types[] = {
    {0, "data"},
    {1, "end of transfer (sender stops or aborts)"},
    {0, NULL},
};

/* ---- Fields generated from the command table ----------------------------- */

typedef struct arg_field {
    char *name; /* "user" */
    size_t len;
    int hf;
} arg_field;

static arg_field *arg_fields;
static size_t n_arg_fields;

static int by_name(const void *a, const void *b)
{
    const arg_field *x = a, *y = b;
    return strcmp(x->name, y->name);
}

/* The argument names of a form's `args` ("user nick% payload_len" ...),
 * without the '%' (URL-encoded) and "..." (repeated) marks. */
static void collect_names(const char *args, GHashTable *seen)
{
    const char *p = args;
    while (p && *p) {
        while (*p == ' ')
            p++;
        const char *start = p;
        while (*p && *p != ' ')
            p++;
        size_t len = (size_t)(p - start);
        if (len > 3 && memcmp(start + len - 3, "...", 3) == 0)
            len -= 3;
        if (len > 0 && start[len - 1] == '%')
            len--;
        if (len == 0)
            continue;
        char *name = g_strndup(start, len);
        if (g_hash_table_contains(seen, name))
            g_free(name);
        else
            g_hash_table_add(seen, name);
    }
}

/* "Argument of ADD, ILN, MSG (URL-encoded on the wire, shown decoded)". */
static char *describe_name(const char *name)
{
    GString *s = g_string_new("Argument of ");
    gboolean urlenc = FALSE, any = FALSE;
    size_t nlen = strlen(name);
    for (size_t i = 0; i < msnp_command_count(); i++) {
        const msnp_command_info *ci = msnp_command_at(i);
        gboolean uses = FALSE;
        for (unsigned k = 0; k < ci->nforms; k++) {
            const char *a = ci->forms[k].args;
            for (const char *hit = a ? strstr(a, name) : NULL; hit; hit = strstr(hit + 1, name)) {
                char before = hit == a ? ' ' : hit[-1];
                char after = hit[nlen];
                if (before != ' ' || (after != ' ' && after != '%' && after != '.' && after))
                    continue;
                uses = TRUE;
                urlenc |= after == '%';
            }
        }
        if (uses) {
            g_string_append_printf(s, "%s%.3s", any ? ", " : "", ci->name);
            any = TRUE;
        }
    }
    if (urlenc)
        g_string_append(s, " (URL-encoded on the wire; the field holds the decoded text)");
    return g_string_free(s, FALSE);
}

/* Names that already have a fixed field of their own (with a better type). */
static int fixed_field_for(const char *name)
{
    if (strcmp(name, "payload_len") == 0)
        return hf_msnp_payload_len;
    return -1;
}

static void register_arg_fields(void)
{
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (size_t i = 0; i < msnp_command_count(); i++) {
        const msnp_command_info *ci = msnp_command_at(i);
        for (unsigned k = 0; k < ci->nforms; k++)
            collect_names(ci->forms[k].args, seen);
    }
    /* Registration data lives as long as the program: Wireshark keeps
     * pointers into it. */
    n_arg_fields = g_hash_table_size(seen);
    arg_fields = g_new0(arg_field, n_arg_fields);
    GHashTableIter it;
    gpointer key;
    size_t n = 0;
    g_hash_table_iter_init(&it, seen);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        arg_fields[n].name = g_strdup(key);
        arg_fields[n].len = strlen(key);
        arg_fields[n].hf = -1;
        n++;
    }
    g_hash_table_destroy(seen);
    qsort(arg_fields, n_arg_fields, sizeof *arg_fields, by_name);

    hf_register_info *hf = g_new0(hf_register_info, n_arg_fields);
    size_t nhf = 0;
    for (size_t i = 0; i < n_arg_fields; i++) {
        int fixed = fixed_field_for(arg_fields[i].name);
        if (fixed != -1) {
            arg_fields[i].hf = fixed;
            continue;
        }
        /* An argument name that some day equals a fixed field's or an expert
         * item's name keeps its own field under msnp.arg. */
        char *abbrev = g_strconcat("msnp.", arg_fields[i].name, NULL);
        if (proto_registrar_get_byname(abbrev)) {
            g_free(abbrev);
            abbrev = g_strconcat("msnp.arg.", arg_fields[i].name, NULL);
        }
        hf[nhf].p_id = &arg_fields[i].hf;
        hf[nhf].hfinfo.name = arg_fields[i].name;
        hf[nhf].hfinfo.abbrev = abbrev;
        hf[nhf].hfinfo.type = FT_STRING;
        hf[nhf].hfinfo.display = BASE_NONE;
        hf[nhf].hfinfo.blurb = describe_name(arg_fields[i].name);
        HFILL_INIT(hf[nhf]);
        nhf++;
    }
    proto_register_field_array(proto_msnp, hf, (int)nhf);
}

static int search_arg_field(const char *name, size_t len)
{
    size_t lo = 0, hi = n_arg_fields;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const arg_field *f = &arg_fields[mid];
        size_t n = len < f->len ? len : f->len;
        int c = memcmp(name, f->name, n);
        if (c == 0)
            c = len < f->len ? -1 : len > f->len ? 1 : 0;
        if (c == 0)
            return f->hf;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

/* The names come from the command table's form strings, so the same address
 * and length is the same name: a small cache by address spares the search
 * for every argument of every command. */
enum { ARG_CACHE_SIZE = 256 };
static struct {
    const char *name;
    size_t len;
    int hf;
} arg_cache[ARG_CACHE_SIZE];

int msnp_field_for_arg(const char *name, size_t len)
{
    size_t slot = (size_t)(((guintptr)name * 0x9E3779B1u) >> 8) % ARG_CACHE_SIZE;
    if (arg_cache[slot].name != name || arg_cache[slot].len != len) {
        arg_cache[slot].name = name;
        arg_cache[slot].len = len;
        arg_cache[slot].hf = search_arg_field(name, len);
    }
    return arg_cache[slot].hf;
}

/* msnp.error_code's names, from libmsnp's error table. */
static value_string *error_names(void)
{
    size_t n = msnp_error_count();
    value_string *vs = g_new0(value_string, n + 1);
    for (size_t i = 0; i < n; i++) {
        const msnp_error_info *e = msnp_error_at(i);
        vs[i].value = e->code;
        vs[i].strptr = e->name;
    }
    return vs;
}

/* ---- Registration --------------------------------------------------------- */

void msnp_register_fields(void)
{
    static hf_register_info hf[] = {
        {&hf_msnp_command_line,
         {"Command line", "msnp.command_line", FT_STRING, BASE_NONE, NULL, 0x0,
          "The whole command line as on the wire, without its CR LF", HFILL}},
        {&hf_msnp_cmd,
         {"Command", "msnp.cmd", FT_STRING, BASE_NONE, NULL, 0x0,
          "Three upper-case letters, or three digits for an error reply", HFILL}},
        {&hf_msnp_trid,
         {"Transaction ID", "msnp.trid", FT_UINT32, BASE_DEC, NULL, 0x0,
          "TrID: chosen by the client, copied into every line that answers the request",
          HFILL}},
        {&hf_msnp_args,
         {"Arguments", "msnp.args", FT_UINT32, BASE_DEC, NULL, 0x0,
          "Number of arguments after the command and the TrID", HFILL}},
        {&hf_msnp_arg,
         {"Argument", "msnp.arg", FT_STRING, BASE_NONE, NULL, 0x0,
          "One argument as on the wire, labelled with its name in the matching form", HFILL}},
        {&hf_msnp_payload_len,
         {"Payload length", "msnp.payload_len", FT_UINT64, BASE_DEC, NULL, 0x0,
          "Bytes of payload the command line announces (its last token)", HFILL}},
        {&hf_msnp_payload,
         {"Payload", "msnp.payload", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL}},
        {&hf_msnp_payload_missing,
         {"Payload bytes missing", "msnp.payload_missing", FT_UINT64, BASE_DEC, NULL, 0x0,
          "Bytes of the announced payload that the capture does not hold", HFILL}},
        {&hf_msnp_error_code,
         {"Error code", "msnp.error_code", FT_UINT16, BASE_DEC, NULL, 0x0,
          "Numeric reply: the server reports that the request with this TrID failed",
          HFILL}},
        {&hf_msnp_error_meaning,
         {"Error meaning", "msnp.error_meaning", FT_STRING, BASE_NONE, NULL, 0x0, NULL,
          HFILL}},
        {&hf_msnp_role,
         {"Connection role", "msnp.role", FT_STRING, BASE_NONE, NULL, 0x0,
          "DS dispatch server, NS notification server, SB switchboard, FTP MSNFTP file "
          "transfer, or unknown",
          HFILL}},
        {&hf_msnp_dir,
         {"Direction", "msnp.dir", FT_STRING, BASE_NONE, NULL, 0x0,
          "c2s: from the client (the side that opened the connection), s2c: to it", HFILL}},
        {&hf_msnp_meaning,
         {"Meaning", "msnp.meaning", FT_STRING, BASE_NONE, NULL, 0x0,
          "What the command means in this form, with its arguments", HFILL}},
        {&hf_msnp_since,
         {"Protocol version", "msnp.since", FT_STRING, BASE_NONE, NULL, 0x0,
          "The protocol versions a command or form outside MSNP8 belongs to", HFILL}},
        {&hf_msnp_async,
         {"Server push", "msnp.async", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "Sent by the server on its own, answering no request", HFILL}},
        {&hf_msnp_response_in,
         {"Response in", "msnp.response_in", FT_FRAMENUM, BASE_NONE,
          FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
          "The frame with the first line answering this request", HFILL}},
        {&hf_msnp_response_to,
         {"Response to", "msnp.response_to", FT_FRAMENUM, BASE_NONE,
          FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "The frame of the request this line answers",
          HFILL}},
        {&hf_msnp_time,
         {"Time", "msnp.time", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "Time since the request this line answers", HFILL}},
        {&hf_msnp_reply_line,
         {"Reply line", "msnp.reply_line", FT_UINT32, BASE_DEC, NULL, 0x0,
          "Position of this line in a reply of several lines (1 = first)", HFILL}},
        {&hf_msnp_mime_header,
         {"MIME header", "msnp.mime.header", FT_STRING, BASE_NONE, NULL, 0x0,
          "A Name: value line of the payload's header block", HFILL}},
        {&hf_msnp_mime_content_type,
         {"Content type", "msnp.mime.content_type", FT_STRING, BASE_NONE, NULL, 0x0,
          "The media type of the payload, without parameters", HFILL}},
        {&hf_msnp_mime_charset,
         {"Charset", "msnp.mime.charset", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL}},
        {&hf_msnp_block_type,
         {"Block type", "msnp.block.type", FT_UINT8, BASE_DEC, VALS(block_types), 0x0,
          "MSNFTP block header byte 0", HFILL}},
        {&hf_msnp_block_len,
         {"Block length", "msnp.block.len", FT_UINT16, BASE_DEC, NULL, 0x0,
          "MSNFTP block header bytes 1-2 (little-endian): data bytes that follow", HFILL}},
        {&hf_msnp_block_data,
         {"File data", "msnp.block.data", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL}},
        {&hf_msnp_skipped,
         {"Skipped bytes", "msnp.skipped", FT_BYTES, BASE_NONE, NULL, 0x0,
          "Bytes that are not an MSNP command (skipped to the next command line)", HFILL}},
        {&hf_msnp_setup_frame,
         {"Announced in frame", "msnp.setup_frame", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
          "The frame that announced this connection", HFILL}},
        {&hf_msnp_setup_method,
         {"Announced by", "msnp.setup_method", FT_STRING, BASE_NONE, NULL, 0x0,
          "XFR (you asked for a switchboard), RNG (you were invited) or invitation "
          "(MSNFTP file transfer)",
          HFILL}},
        {&hf_msnp_sid,
         {"Login session", "msnp.sid", FT_STRING, BASE_NONE, NULL, 0x0,
          "The notification-server login this connection belongs to (S1, S2, ... in the "
          "order of the capture, as msnpdump numbers them): its own, or the one whose "
          "XFR SB, RNG or file-transfer invitation set it up",
          HFILL}},
    };

    static int *ett[] = {
        &ett_msnp,      &ett_msnp_args,        &ett_msnp_payload, &ett_msnp_mime,
        &ett_msnp_mime_header, &ett_msnp_block, &ett_msnp_setup,
    };

    static ei_register_info ei[] = {
        {&ei_msnp_error_reply,
         {"msnp.error_reply", PI_RESPONSE_CODE, PI_WARN, "Error reply", EXPFILL}},
        {&ei_msnp_unknown_error_code,
         {"msnp.unknown_error_code", PI_RESPONSE_CODE, PI_WARN,
          "Error code that no source documents", EXPFILL}},
        {&ei_msnp_malformed,
         {"msnp.malformed", PI_MALFORMED, PI_ERROR,
          "Line without MSNP command syntax; skipped to the next command line", EXPFILL}},
        {&ei_msnp_not_msnp,
         {"msnp.not_msnp", PI_UNDECODED, PI_NOTE,
          "Bytes skipped while looking for the next command line", EXPFILL}},
        {&ei_msnp_line_too_long,
         {"msnp.line_too_long", PI_MALFORMED, PI_ERROR,
          "No line end within the line limit; skipped to the next command line", EXPFILL}},
        {&ei_msnp_payload_too_long,
         {"msnp.payload_too_long", PI_MALFORMED, PI_ERROR,
          "Announced payload longer than the payload limit; skipped to the next command "
          "line",
          EXPFILL}},
        {&ei_msnp_bad_length,
         {"msnp.bad_length", PI_MALFORMED, PI_ERROR,
          "Payload command whose length is not a decimal number; skipped to the next "
          "command line",
          EXPFILL}},
        {&ei_msnp_truncated,
         {"msnp.truncated", PI_MALFORMED, PI_WARN,
          "The capture ends inside this command or its payload", EXPFILL}},
        {&ei_msnp_length_position,
         {"msnp.length_position", PI_PROTOCOL, PI_WARN,
          "Payload length is not the token MSNP8 puts it in", EXPFILL}},
        {&ei_msnp_irregular_spacing,
         {"msnp.irregular_spacing", PI_PROTOCOL, PI_NOTE,
          "Leading, trailing or repeated spaces between tokens", EXPFILL}},
        {&ei_msnp_unknown_command,
         {"msnp.unknown_command", PI_UNDECODED, PI_WARN,
          "Command neither in MSNP8 nor in any later version the plugin knows", EXPFILL}},
        {&ei_msnp_unexpected_syntax,
         {"msnp.unexpected_syntax", PI_PROTOCOL, PI_WARN,
          "Arguments fit none of the command's forms for this connection and direction",
          EXPFILL}},
        {&ei_msnp_other_version,
         {"msnp.other_version", PI_PROTOCOL, PI_NOTE,
          "Command or form of another protocol version than MSNP8", EXPFILL}},
        {&ei_msnp_no_response,
         {"msnp.no_response", PI_SEQUENCE, PI_NOTE,
          "No response seen to this request", EXPFILL}},
        {&ei_msnp_credential,
         {"msnp.credential", PI_SECURITY, PI_NOTE,
          "Credential in the clear", EXPFILL}},
        {&ei_msnp_disconnect,
         {"msnp.disconnect", PI_SEQUENCE, PI_CHAT,
          "The server closes the connection after this", EXPFILL}},
        {&ei_msnp_bad_block,
         {"msnp.bad_block", PI_MALFORMED, PI_ERROR,
          "MSNFTP block header that cannot be right", EXPFILL}},
        {&ei_msnp_block_overrun,
         {"msnp.block_overrun", PI_MALFORMED, PI_WARN,
          "MSNFTP block longer than 2045 bytes or than what FIL announced", EXPFILL}},
        {&ei_msnp_cookie_mismatch,
         {"msnp.cookie_mismatch", PI_PROTOCOL, PI_WARN,
          "The cookie differs from the one that announced this switchboard", EXPFILL}},
        {&ei_msnp_not_msnp_connection,
         {"msnp.not_msnp_connection", PI_UNDECODED, PI_NOTE,
          "This connection does not carry MSNP; its data is not decoded", EXPFILL}},
    };

    /* Error names come from libmsnp; hf[] is static, so set them here. */
    for (size_t i = 0; i < array_length(hf); i++)
        if (hf[i].p_id == &hf_msnp_error_code)
            hf[i].hfinfo.strings = VALS(error_names());

    proto_register_field_array(proto_msnp, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_register_field_array(expert_register_protocol(proto_msnp), ei, array_length(ei));
    register_arg_fields();
}
