/* Replays inputs through a harness's LLVMFuzzerTestOneInput without
 * libFuzzer, so that regression inputs and seed corpora run in any build
 * (gcc included) as ordinary tests.
 *
 * Usage: fuzz_replay_TARGET [--skip LIST] PATH...
 *   PATH: files, or folders searched recursively (names starting with '.',
 *   README and KNOWN_OPEN files are skipped); LIST: a file whose lines start
 *   with TARGET/FILE, inputs not to replay (regressions/KNOWN_OPEN: findings
 *   reported but not fixed yet, which have tests of their own)
 *
 * A property violation aborts (the test fails, naming the input on stderr
 * first). Exit status 0 when every input ran; 2 when there was nothing to run
 * or a path cannot be read: a replay that replays nothing must not pass. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_common.h"

static size_t replayed, skipped;
static int unreadable;

#define MAX_SKIP 256
static char *skip_list[MAX_SKIP];
static size_t nskip;

static void read_skip_list(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
        exit(2);
    }
    char line[4096];
    while (fgets(line, sizeof line, fp)) {
        size_t n = strcspn(line, " \t\r\n");
        if (n == 0 || line[0] == '#' || nskip == MAX_SKIP)
            continue;
        line[n] = '\0';
        skip_list[nskip] = malloc(n + 2);
        if (!skip_list[nskip])
            exit(2);
        snprintf(skip_list[nskip++], n + 2, "/%s", line); /* matched as a path suffix */
    }
    fclose(fp);
}

static int skipped_path(const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < nskip; i++) {
        size_t k = strlen(skip_list[i]);
        if (n >= k && strcmp(path + n - k, skip_list[i]) == 0)
            return 1;
    }
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
        unreadable = 1;
        return;
    }
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *n = realloc(buf, cap);
            if (!n) {
                fprintf(stderr, "replay: out of memory reading %s\n", path);
                exit(2);
            }
            buf = n;
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0)
            break;
    }
    int err = ferror(fp);
    fclose(fp);
    if (err) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        unreadable = 1;
        free(buf);
        return;
    }
    /* An exact-size copy, as libFuzzer gives: reads past the end are caught. */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact)
        exit(2);
    memcpy(exact, buf, len);
    free(buf);
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    replayed++;
}

static void replay_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        unreadable = 1;
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (skipped_path(path)) {
            fprintf(stderr, "replay: %s skipped (known open)\n", path);
            skipped++;
            return;
        }
        replay_file(path);
        return;
    }
    DIR *dir = opendir(path);
    if (!dir) {
        fprintf(stderr, "replay: cannot open folder %s: %s\n", path, strerror(errno));
        unreadable = 1;
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.' || strncmp(e->d_name, "README", 6) == 0 ||
            strcmp(e->d_name, "KNOWN_OPEN") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *names);
            if (!nn)
                exit(2);
            names = nn;
        }
        size_t need = strlen(path) + strlen(e->d_name) + 2;
        names[n] = malloc(need);
        if (!names[n])
            exit(2);
        snprintf(names[n], need, "%s/%s", path, e->d_name);
        n++;
    }
    closedir(dir);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        replay_path(names[i]);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--skip") == 0 && i + 1 < argc) {
            read_skip_list(argv[++i]);
            continue;
        }
        replay_path(argv[i]);
    }
    for (size_t i = 0; i < nskip; i++)
        free(skip_list[i]);
    fprintf(stderr, "replay: %zu inputs replayed, %zu skipped\n", replayed, skipped);
    if (replayed == 0) {
        fprintf(stderr, "replay: nothing to replay\n");
        return 2;
    }
    return unreadable ? 2 : 0;
}
