/* The fuzz dictionary (msnp.dict) holds every command and error code of
 * libmsnp's tables, so that it grows with them, and every entry is in
 * libFuzzer's syntax (name="text" with \\, \" and \xNN escapes).
 *
 * Usage: dict_check msnp.dict   (exit 0 when complete and well-formed) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msnp/msnp.h"

#define MAX_ENTRIES 4096

static char *entries[MAX_ENTRIES];
static size_t nentries;

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parse one line; returns 0 for a comment, blank or good entry, -1 else. */
static int parse_line(const char *line)
{
    while (*line == ' ' || *line == '\t')
        line++;
    if (*line == '#' || *line == '\n' || *line == '\0')
        return 0;
    const char *q = strchr(line, '"');
    if (!q || (q > line && q[-1] != '='))
        return -1;
    char *val = malloc(strlen(q) + 1);
    if (!val)
        exit(2);
    size_t n = 0;
    const char *p = q + 1;
    for (; *p && *p != '"'; p++) {
        if (*p != '\\') {
            val[n++] = *p;
            continue;
        }
        p++;
        if (*p == '\\' || *p == '"') {
            val[n++] = *p;
        } else if (*p == 'x' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
            val[n++] = (char)(hexval(p[1]) << 4 | hexval(p[2]));
            p += 2;
        } else {
            free(val);
            return -1;
        }
    }
    if (*p != '"' || (p[1] != '\n' && p[1] != '\0') || n == 0 || nentries == MAX_ENTRIES) {
        free(val);
        return -1;
    }
    val[n] = '\0';
    entries[nentries++] = val;
    return 0;
}

static int has(const char *text)
{
    for (size_t i = 0; i < nentries; i++)
        if (strcmp(entries[i], text) == 0)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: dict_check msnp.dict\n");
        return 2;
    }
    FILE *fp = fopen(argv[1], "r");
    if (!fp) {
        perror(argv[1]);
        return 2;
    }
    char line[1024];
    int bad = 0, lineno = 0;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        if (parse_line(line) != 0) {
            fprintf(stderr, "%s:%d: not a dictionary entry: %s", argv[1], lineno, line);
            bad++;
        }
    }
    fclose(fp);
    char want[8];
    for (size_t i = 0; i < msnp_command_count(); i++) {
        snprintf(want, sizeof want, "%.3s ", msnp_command_at(i)->name);
        if (!has(want)) {
            fprintf(stderr, "%s: command %.3s is missing\n", argv[1], want);
            bad++;
        }
    }
    for (size_t i = 0; i < msnp_error_count(); i++) {
        snprintf(want, sizeof want, "%03u ", msnp_error_at(i)->code);
        if (!has(want)) {
            fprintf(stderr, "%s: error code %.3s is missing\n", argv[1], want);
            bad++;
        }
    }
    fprintf(stderr, "dict_check: %zu entries, %d problems\n", nentries, bad);
    for (size_t i = 0; i < nentries; i++)
        free(entries[i]);
    return bad ? 1 : 0;
}
