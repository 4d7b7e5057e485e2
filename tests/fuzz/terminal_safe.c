/* See terminal_safe.h. */
#include "terminal_safe.h"

#include "utf8_strict.h"

const char *terminal_safe_check(const uint8_t *s, size_t n, size_t *where)
{
    size_t i = 0;
    while (i < n) {
        *where = i;
        uint8_t c = s[i];
        if (c == '\n' || (c >= 0x20 && c < 0x7f)) {
            i++;
            continue;
        }
        if (c < 0x20)
            return "a C0 control byte";
        if (c == 0x7f)
            return "DEL";
        uint32_t cp;
        size_t k = utf8_strict_decode(s + i, n - i, &cp);
        if (!k)
            return "invalid UTF-8";
        if (cp >= 0x80 && cp <= 0x9f)
            return "a C1 control character";
        if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
            return "a bidirectional override";
        i += k;
    }
    return NULL;
}
