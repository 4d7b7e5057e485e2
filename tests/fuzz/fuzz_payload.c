/* Fuzz target: the MSG payload decoders (libmsnp/payload.h), through the
 * entry point their author keeps next to their unit tests,
 * tests/unit/fuzz_payload_entry.c: it decodes the input as every payload type
 * and checks the decoders' properties itself (aborting when one fails), so
 * that the decoders and their oracle change together.
 *
 * Input: whatever msnp_fuzz_payload() documents. Built only when that file
 * exists (CMakeLists.txt, CMakeLists-fuzz.cmake). */
#include "../unit/fuzz_payload_entry.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int r = msnp_fuzz_payload(data, size);
    FUZZ_CHECK(r == 0 || r == -1, "msnp_fuzz_payload returned %d (0 or -1 expected)", r);
    return r;
}
