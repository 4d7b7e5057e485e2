/* One entry point that runs every payload decoder of libmsnp on arbitrary
 * bytes, for a libFuzzer harness:
 *   int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
 *   { return msnp_fuzz_payload(d, n); }
 * It aborts (__builtin_trap) when a decoder reports a value outside its input,
 * so the fuzzer catches logic errors as well as memory errors. */
#ifndef MSNP_FUZZ_PAYLOAD_ENTRY_H
#define MSNP_FUZZ_PAYLOAD_ENTRY_H

#include <stddef.h>
#include <stdint.h>

int msnp_fuzz_payload(const uint8_t *data, size_t size);

#endif
