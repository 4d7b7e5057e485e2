/* Preloaded into msnpdump by alloc_check.py: counts the calls to malloc,
 * calloc and realloc and writes the counts to the file named by
 * MSNP_ALLOC_COUNT_OUT when the process ends. glibc's own entry points do
 * the work; no allocation is made here. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *p, size_t n);

static unsigned long long mallocs, callocs, reallocs;

void *malloc(size_t n)
{
    mallocs++;
    return __libc_malloc(n);
}

void *calloc(size_t count, size_t size)
{
    callocs++;
    return __libc_calloc(count, size);
}

void *realloc(void *p, size_t n)
{
    reallocs++;
    return __libc_realloc(p, n);
}

__attribute__((destructor)) static void write_counts(void)
{
    const char *path = getenv("MSNP_ALLOC_COUNT_OUT");
    if (!path)
        return;
    unsigned long long m = mallocs, c = callocs, r = reallocs; /* before fopen's own */
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    fprintf(f, "%llu %llu %llu\n", m, c, r);
    fclose(f);
}
