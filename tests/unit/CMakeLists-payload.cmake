# The payload decoders of libmsnp (payload.c and the typed decoders, the XML
# scanner, MD5 and the CHL/QRY check, MSNFTP transfer state) and the fuzzing
# entry point fuzz_payload_entry.c (for a libFuzzer harness). Included from
# tests/CMakeLists.txt.
set(MSNP_PAYLOAD_TEST_DIR ${CMAKE_CURRENT_LIST_DIR})

foreach(_t payload challenge xmlnote msnftp payload_samples)
  add_executable(test_${_t} ${MSNP_PAYLOAD_TEST_DIR}/test_${_t}.c)
  target_link_libraries(test_${_t} PRIVATE msnp)
endforeach()
add_executable(test_fuzz_payload ${MSNP_PAYLOAD_TEST_DIR}/test_fuzz_payload.c
                                 ${MSNP_PAYLOAD_TEST_DIR}/fuzz_payload_entry.c)
target_link_libraries(test_fuzz_payload PRIVATE msnp)

# test_payload also checks that docs/payloads.md names every field and type.
add_test(NAME unit.payload COMMAND test_payload ${PROJECT_SOURCE_DIR}/docs/payloads.md)
add_test(NAME unit.challenge COMMAND test_challenge)
add_test(NAME unit.xmlnote COMMAND test_xmlnote)
add_test(NAME unit.msnftp
         COMMAND test_msnftp ${PROJECT_SOURCE_DIR}/samples/captures/filetransfer.files/notes.txt)
add_test(NAME unit.payload_samples
         COMMAND test_payload_samples ${PROJECT_SOURCE_DIR}/samples/scenarios)
add_test(NAME unit.fuzz_payload COMMAND test_fuzz_payload)
unset(_t)
