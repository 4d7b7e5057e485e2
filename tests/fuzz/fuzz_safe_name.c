/* Fuzz target: the file names msnpdump --extract gives the files carried
 * over MSNFTP (cli/extract.h, extractor_safe_name), from the name an
 * invitation announced: hostile text chosen by whoever sent the file.
 *
 * Input: 1 byte choosing the output size, 256 (what --extract uses) down to
 * 193 (256 - byte % 64: around the 200-byte cap), then the announced name (up
 * to its first NUL, as the invitation parser hands it over).
 *
 * Properties of the name:
 *   - it fits: NUL-terminated within the size given, at most 200 bytes, never
 *     empty;
 *   - it is one plain file name: no '/' or '\\', not "." or "..", no hidden
 *     name (leading '.'), no leading or trailing blank or dot, none of
 *     : * ? " < > | ;
 *   - listing it cannot act on a terminal or fool the reader: no control
 *     byte, valid UTF-8, no C1 control and no bidirectional override
 *     (terminal_safe.h: U+202E turns "gpj.exe" into what reads as "exe.jpg");
 *   - making a safe name safe again changes nothing. */
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "fuzz_common.h"
#include "terminal_safe.h"

static void check_name(const char *out, size_t size)
{
    size_t n = strnlen(out, size);
    FUZZ_CHECK(n < size, "no NUL within %zu bytes", size);
    FUZZ_CHECK(n <= 200, "a name of %zu bytes", n);
    FUZZ_CHECK(n > 0, "an empty name");
    FUZZ_CHECK(!strpbrk(out, "/\\:*?\"<>|"), "\"%s\" has a separator or reserved character", out);
    FUZZ_CHECK(strcmp(out, ".") != 0 && strcmp(out, "..") != 0, "\"%s\" is a relative name", out);
    if (n > 0)
        FUZZ_CHECK(out[0] != '.' && out[0] != ' ' && out[n - 1] != '.' && out[n - 1] != ' ',
                   "\"%s\" starts or ends with a dot or a blank", out);
    size_t where;
    const char *why = terminal_safe_check((const uint8_t *)out, n, &where);
    FUZZ_CHECK(why == NULL, "\"%s\": %s at byte %zu", out, why, where);
    FUZZ_CHECK(!memchr(out, '\n', n), "\"%s\" has a line end", out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t outsize = 256u - data[0] % 64u;
    char *name = malloc(size);
    char *out = malloc(outsize), *again = malloc(outsize);
    if (!name || !out || !again)
        abort();
    memcpy(name, data + 1, size - 1);
    name[size - 1] = '\0';
    extractor_safe_name(name, out, outsize);
    check_name(out, outsize);
    extractor_safe_name(out, again, outsize);
    FUZZ_CHECK(strcmp(out, again) == 0, "not stable: \"%s\" becomes \"%s\"", out, again);
    free(name);
    free(out);
    free(again);
    return 0;
}
