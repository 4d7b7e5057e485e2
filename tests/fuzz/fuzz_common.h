/* What every fuzz harness shares: the libFuzzer entry point, a property check
 * that aborts (so that libFuzzer records the input and the replay driver
 * fails), a reader that takes a harness's parameters from the front of its
 * input, a deterministic generator for choices derived from them, and ASan
 * poisoning that makes "never reads past the length it was given" checkable.
 *
 * Harnesses are plain C11: the same file builds into a libFuzzer target
 * (clang, -fsanitize=fuzzer) and into a replay program (any compiler, with
 * replay_main.c), see tests/fuzz/CMakeLists.txt and CMakeLists-fuzz.cmake. */
#ifndef MSNP_FUZZ_COMMON_H
#define MSNP_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property of the code under test does not hold: say which and abort. */
#define FUZZ_CHECK(cond, ...)                                                            \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: property violated: %s\n  ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                                \
            fputc('\n', stderr);                                                         \
            abort();                                                                     \
        }                                                                                \
    } while (0)

/* Parameters are taken from the front of the input; past its end they read
 * as zero, so every input is valid. */
typedef struct fuzz_reader {
    const uint8_t *p;
    size_t n;
} fuzz_reader;

static inline uint8_t fuzz_u8(fuzz_reader *r)
{
    if (r->n == 0)
        return 0;
    r->n--;
    return *r->p++;
}

static inline uint16_t fuzz_u16(fuzz_reader *r)
{
    uint16_t hi = fuzz_u8(r);
    return (uint16_t)(hi << 8 | fuzz_u8(r));
}

static inline uint32_t fuzz_u32(fuzz_reader *r)
{
    uint32_t hi = fuzz_u16(r);
    return hi << 16 | fuzz_u16(r);
}

/* splitmix64: split points and sides chosen from a seed the input carries. */
static inline uint64_t fuzz_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Under AddressSanitizer, bytes marked unreadable make any read of them a
 * reported error; without it these do nothing. */
#if defined(__SANITIZE_ADDRESS__)
#define FUZZ_HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_HAVE_ASAN 1
#endif
#endif

#ifdef FUZZ_HAVE_ASAN
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define FUZZ_POISON(p, n) __asan_poison_memory_region((p), (n))
#define FUZZ_UNPOISON(p, n) __asan_unpoison_memory_region((p), (n))
#else
#define FUZZ_POISON(p, n) ((void)(p), (void)(n))
#define FUZZ_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#endif
