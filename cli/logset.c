/* -w DIR (see logset.h). The logs are written by the existing writers
 * (out_jsonl.c and the views), each over its own file; this file opens the
 * files and hands what the decoder produces to the writers that take it. */
#include "logset.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract.h"
#include "views.h"

#define REC_BIT(t) (1u << (t))
#define ALL_RECORDS                                                                          \
    (REC_BIT(REC_COMMAND) | REC_BIT(REC_ANOMALY) | REC_BIT(REC_DATA) | REC_BIT(REC_CONNECTION))

static writer *make_records(outbuf *out, extractor *files)
{
    (void)files;
    return writer_jsonl_new(out);
}

static writer *make_sessions(outbuf *out, extractor *files)
{
    (void)files;
    return view_sessions_new(out, 1, NULL);
}

static writer *make_chats(outbuf *out, extractor *files)
{
    (void)files;
    return view_chats_new(out, 1, NULL);
}

static writer *make_invites(outbuf *out, extractor *files)
{
    return view_invites_new(out, 1, NULL, files);
}

static writer *make_users(outbuf *out, extractor *files)
{
    (void)files;
    return view_users_new(out, 1, NULL);
}

/* The commands view's records are split by type, one log per kind of thing
 * as in Zeek; the correlation views see every record, as they do when they
 * write to standard output. */
static const struct log_def {
    const char *file;
    unsigned records; /* REC_BIT of the record types it takes */
    writer *(*make)(outbuf *out, extractor *files);
} log_defs[] = {
    {"commands.log", REC_BIT(REC_COMMAND) | REC_BIT(REC_DATA), make_records},
    {"anomalies.log", REC_BIT(REC_ANOMALY), make_records},
    {"connections.log", REC_BIT(REC_CONNECTION), make_records},
    {"sessions.log", ALL_RECORDS, make_sessions},
    {"chats.log", ALL_RECORDS, make_chats},
    {"invites.log", ALL_RECORDS, make_invites},
    {"users.log", ALL_RECORDS, make_users},
};

#define NLOGS (sizeof log_defs / sizeof log_defs[0])

typedef struct log_file {
    FILE *fp;
    outbuf out;
    writer *w;
    int err; /* errno of the first failed write; 0 while none failed */
} log_file;

struct logset {
    writer w; /* first: the decoder sees a logset as a writer */
    log_file logs[NLOGS];
    char *dir;
    int finished;
};

/* The writers fail silently (outbuf.failed); keep why, while errno still
 * tells it. */
static void note_failure(log_file *l)
{
    if (l->out.failed && !l->err)
        l->err = errno ? errno : EIO;
}

static void logset_record(writer *w, const record *r)
{
    logset *ls = (logset *)w;
    for (size_t i = 0; i < NLOGS; i++) {
        if (log_defs[i].records & REC_BIT(r->type)) {
            log_file *l = &ls->logs[i];
            l->w->record(l->w, r);
            note_failure(l);
        }
    }
}

static void logset_event(writer *w, const msnp_event *ev)
{
    logset *ls = (logset *)w;
    for (size_t i = 0; i < NLOGS; i++) {
        log_file *l = &ls->logs[i];
        if (l->w->event) {
            l->w->event(l->w, ev);
            note_failure(l);
        }
    }
}

static void logset_finish(writer *w)
{
    logset *ls = (logset *)w;
    for (size_t i = 0; i < NLOGS; i++) {
        log_file *l = &ls->logs[i];
        if (l->w) {
            l->w->finish(l->w);
            l->w = NULL;
            note_failure(l);
        }
    }
    ls->finished = 1;
}

writer *logset_writer(logset *ls)
{
    return &ls->w;
}

int logset_failed(const logset *ls)
{
    if (!ls)
        return 0;
    for (size_t i = 0; i < NLOGS; i++)
        if (ls->logs[i].out.failed)
            return 1;
    return 0;
}

static char *join_path(const char *dir, const char *file)
{
    size_t dl = strlen(dir), n = dl + 1 + strlen(file) + 1;
    char *p = malloc(n);
    if (p) /* the root folder is the one name that ends in '/' */
        snprintf(p, n, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", file);
    return p;
}

/* mkdir -p: every missing folder on the way. */
static int make_dirs(const char *dir)
{
    char *p = strdup(dir);
    if (!p)
        return -1;
    int rc = 0;
    for (char *s = p + 1; *s && rc == 0; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            rc = -1;
        *s = '/';
    }
    if (rc == 0 && mkdir(p, 0777) != 0 && errno != EEXIST)
        rc = -1;
    int saved = errno;
    free(p);
    errno = saved;
    struct stat st;
    if (rc == 0 && stat(dir, &st) != 0)
        return -1;
    if (rc == 0 && !S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return rc;
}

/* Which logs exist already; a message in err when that is not allowed. */
static int check_existing(const char *dir, int overwrite, int exists[NLOGS], char *err,
                          size_t errsize)
{
    char names[256] = "";
    int refused = 0;
    for (size_t i = 0; i < NLOGS; i++) {
        char *path = join_path(dir, log_defs[i].file);
        if (!path) {
            snprintf(err, errsize, "-w: out of memory");
            return -1;
        }
        struct stat st;
        exists[i] = lstat(path, &st) == 0;
        free(path);
        if (!exists[i])
            continue;
        if (overwrite && !S_ISREG(st.st_mode)) {
            snprintf(err, errsize, "-w: %s/%s is not a regular file; it is not replaced", dir,
                     log_defs[i].file);
            return -1;
        }
        size_t used = strlen(names);
        snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", log_defs[i].file);
        refused = !overwrite;
    }
    if (refused) {
        snprintf(err, errsize,
                 "-w: %s already holds %s; give --overwrite to replace the log set, or another "
                 "folder",
                 dir, names);
        return -1;
    }
    return 0;
}

static int open_log(logset *ls, size_t i, int overwrite, extractor *files)
{
    log_file *l = &ls->logs[i];
    char *path = join_path(ls->dir, log_defs[i].file);
    if (!path)
        return -1;
    int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL);
    int fd = open(path, flags, 0666);
    free(path);
    if (fd < 0)
        return -1;
    l->fp = fdopen(fd, "w");
    if (!l->fp) {
        close(fd);
        return -1;
    }
    if (outbuf_init(&l->out, l->fp, 1u << 16) != 0)
        return -1;
    l->w = log_defs[i].make(&l->out, files);
    return l->w ? 0 : -1;
}

/* Closes what is open; with `discard`, removes the logs this run created. */
static void release(logset *ls, const int created[NLOGS], int discard)
{
    for (size_t i = 0; i < NLOGS; i++) {
        log_file *l = &ls->logs[i];
        if (l->w)
            l->w->finish(l->w);
        if (l->out.buf)
            free(l->out.buf);
        if (l->fp)
            fclose(l->fp);
        if (discard && created[i]) {
            char *path = join_path(ls->dir, log_defs[i].file);
            if (path)
                unlink(path);
            free(path);
        }
    }
    free(ls->dir);
    free(ls);
}

logset *logset_open(const char *dir, int overwrite, extractor *files, char *err, size_t errsize)
{
    logset *ls = calloc(1, sizeof *ls);
    if (!ls || !(ls->dir = strdup(dir))) {
        free(ls);
        snprintf(err, errsize, "-w: out of memory");
        return NULL;
    }
    /* "logs/" and "logs" are one folder: no "logs//chats.log" in messages. */
    for (size_t n = strlen(ls->dir); n > 1 && ls->dir[n - 1] == '/'; n--)
        ls->dir[n - 1] = '\0';
    int exists[NLOGS], created[NLOGS] = {0};
    if (make_dirs(ls->dir) != 0) {
        snprintf(err, errsize, "-w: cannot create the folder %s: %s", ls->dir, strerror(errno));
        release(ls, created, 0);
        return NULL;
    }
    if (check_existing(ls->dir, overwrite, exists, err, errsize) != 0) {
        release(ls, created, 0);
        return NULL;
    }
    for (size_t i = 0; i < NLOGS; i++) {
        if (open_log(ls, i, overwrite, files) != 0) {
            snprintf(err, errsize, "-w: cannot create %s/%s: %s", ls->dir, log_defs[i].file,
                     strerror(errno ? errno : ENOMEM));
            created[i] = !exists[i] && ls->logs[i].fp;
            release(ls, created, 1);
            return NULL;
        }
        created[i] = !exists[i];
    }
    ls->w.out = &ls->logs[0].out;
    ls->w.record = logset_record;
    ls->w.event = logset_event;
    ls->w.finish = logset_finish;
    return ls;
}

int logset_close(logset *ls, char *err, size_t errsize)
{
    if (!ls)
        return 0;
    if (!ls->finished)
        logset_finish(&ls->w);
    int rc = 0;
    for (size_t i = 0; i < NLOGS; i++) {
        log_file *l = &ls->logs[i];
        if (outbuf_flush(&l->out) != 0)
            note_failure(l);
        free(l->out.buf);
        l->out.buf = NULL;
        if (fclose(l->fp) != 0 && !l->err)
            l->err = errno ? errno : EIO;
        l->fp = NULL;
        if (l->err && rc == 0) {
            snprintf(err, errsize, "-w: cannot write %s/%s: %s", ls->dir, log_defs[i].file,
                     strerror(l->err));
            rc = -1;
        }
    }
    free(ls->dir);
    free(ls);
    return rc;
}
