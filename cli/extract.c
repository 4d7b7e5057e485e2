/* --extract DIR (see extract.h). */
#include "extract.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msnp/text.h"

typedef struct part {
    uint64_t conn;
    int fd;
    uint64_t bytes;
    char path[4096];
    struct part *next;
} part;

struct extractor {
    char dir[3072]; /* names stay well below PATH_MAX */
    part *parts;
    uint64_t errors;
    char last[4096];
};

extractor *extractor_new(const char *dir, char *err, size_t errsize)
{
    if (strlen(dir) >= 3000) {
        snprintf(err, errsize, "--extract: directory name too long");
        return NULL;
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errsize, "--extract: cannot create %s: %s", dir, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errsize, "--extract: %s is not a directory", dir);
        return NULL;
    }
    extractor *x = calloc(1, sizeof *x);
    if (!x) {
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    snprintf(x->dir, sizeof x->dir, "%s", dir);
    return x;
}

static part *find(extractor *x, uint64_t conn)
{
    for (part *p = x->parts; p; p = p->next)
        if (p->conn == conn)
            return p;
    return NULL;
}

void extractor_data(extractor *x, uint64_t conn, const uint8_t *data, size_t n)
{
    part *p = find(x, conn);
    if (!p) {
        p = calloc(1, sizeof *p);
        if (!p) {
            x->errors++;
            return;
        }
        p->conn = conn;
        snprintf(p->path, sizeof p->path, "%s/.msnpdump-C%llu.part", x->dir,
                 (unsigned long long)conn);
        /* O_EXCL and O_NOFOLLOW: never write through a file or link that was
         * already there. */
        p->fd = open(p->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (p->fd < 0)
            x->errors++;
        p->next = x->parts;
        x->parts = p;
    }
    if (p->fd < 0)
        return;
    while (n > 0) {
        ssize_t w = write(p->fd, data, n);
        if (w <= 0) {
            x->errors++;
            return;
        }
        data += w;
        n -= (size_t)w;
        p->bytes += (uint64_t)w;
    }
}

void extractor_safe_name(const char *name, char *out, size_t size)
{
    if (size == 0)
        return;
    /* Only the last path component counts, whichever separator it used. */
    const char *base = name;
    for (const char *s = name; *s; s++)
        if (*s == '/' || *s == '\\')
            base = s + 1;
    size_t o = 0;
    const uint8_t *s = (const uint8_t *)base;
    size_t len = strlen(base);
    for (size_t i = 0; i < len && o + 4 < size;) {
        size_t k = msnp_utf8_seq_len(s + i, len - i);
        if (k > 1 && !msnp_cp_terminal_unsafe(msnp_utf8_decode(s + i, k))) {
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
            continue;
        }
        uint8_t c = s[i];
        i += k > 1 ? k : 1;
        if (k != 1 || c < 0x20 || c == 0x7f || strchr(":*?\"<>|", c))
            c = '_';
        out[o++] = (char)c;
    }
    out[o] = '\0';
    /* No hidden or relative names ("..", ".bashrc"), no trailing dots or
     * blanks (meaningful to some file systems); the cut to 200 bytes comes
     * first so that it cannot leave one at the end. */
    size_t start = 0;
    while (out[start] == '.' || out[start] == ' ')
        start++;
    memmove(out, out + start, strlen(out + start) + 1);
    size_t end = strlen(out);
    if (end > 200) {
        /* Cut at a character boundary. */
        end = 200;
        while (end > 0 && ((uint8_t)out[end] & 0xC0) == 0x80)
            end--;
        out[end] = '\0';
    }
    while (end > 0 && (out[end - 1] == '.' || out[end - 1] == ' '))
        out[--end] = '\0';
    if (!out[0])
        snprintf(out, size, "file");
}

const char *extractor_finish(extractor *x, uint64_t conn, const char *file_name, int complete)
{
    part *p = find(x, conn), **pp = &x->parts;
    if (!p)
        return NULL;
    while (*pp != p)
        pp = &(*pp)->next;
    *pp = p->next;
    const char *result = NULL;
    if (p->fd >= 0) {
        close(p->fd);
        char safe[256];
        extractor_safe_name(file_name ? file_name : "", safe, sizeof safe);
        /* The connection's uid first: unique per capture, and it ties the
         * file to its records. */
        for (int attempt = 1; attempt < 100 && !result; attempt++) {
            char suffix[16] = "";
            if (attempt > 1)
                snprintf(suffix, sizeof suffix, "-%d", attempt);
            snprintf(x->last, sizeof x->last, "%s/C%llu_%s%s%s", x->dir, (unsigned long long)conn,
                     safe, suffix, complete ? "" : ".incomplete");
            /* link() fails when the name exists: nothing is overwritten. */
            if (link(p->path, x->last) == 0) {
                unlink(p->path);
                result = x->last;
            } else if (errno != EEXIST) {
                break;
            }
        }
        if (!result)
            x->errors++;
    }
    free(p);
    return result;
}

uint64_t extractor_errors(const extractor *x)
{
    return x->errors;
}

void extractor_free(extractor *x)
{
    if (!x)
        return;
    while (x->parts) {
        part *p = x->parts;
        x->parts = p->next;
        if (p->fd >= 0)
            close(p->fd);
        free(p);
    }
    free(x);
}
