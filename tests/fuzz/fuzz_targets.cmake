# The fuzz harnesses: their names and sources, shared by the replay tests
# (CMakeLists-fuzz.cmake, every build) and the libFuzzer targets
# (CMakeLists.txt, clang with -DMSNP_FUZZ=ON). One harness per file,
# fuzz_<name>.c; the payload harness needs the payload decoders' own entry
# point (tests/unit/fuzz_payload_entry.c) and is left out until it exists.
set(MSNP_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})
set(MSNP_FUZZ_TARGETS framer_split framer_gap command mime tcp_reasm netdecode pipeline pcapblock)
if(EXISTS ${PROJECT_SOURCE_DIR}/cli/extract.h)
  list(APPEND MSNP_FUZZ_TARGETS safe_name)
endif()
set(MSNP_FUZZ_PAYLOAD_ENTRY ${PROJECT_SOURCE_DIR}/tests/unit/fuzz_payload_entry.c)
if(EXISTS ${MSNP_FUZZ_PAYLOAD_ENTRY} AND EXISTS ${PROJECT_SOURCE_DIR}/tests/unit/fuzz_payload_entry.h
   AND EXISTS ${PROJECT_SOURCE_DIR}/libmsnp/include/msnp/payload.h)
  list(APPEND MSNP_FUZZ_TARGETS payload)
endif()

# Sources of harness `name` (besides the support library), into `out`.
function(msnp_fuzz_sources name out)
  set(src ${MSNP_FUZZ_DIR}/fuzz_${name}.c)
  if(name STREQUAL "payload")
    list(APPEND src ${MSNP_FUZZ_PAYLOAD_ENTRY})
  endif()
  set(${out} ${src} PARENT_SCOPE)
endfunction()

# Link a harness executable with what it needs.
function(msnp_fuzz_link tgt name)
  target_link_libraries(${tgt} PRIVATE msnp_fuzz_support)
  if(name STREQUAL "pipeline" OR name STREQUAL "pcapblock")
    target_link_libraries(${tgt} PRIVATE PkgConfig::MSNP_FUZZ_PCAP)
    # libpcap's headers use the BSD types (u_int, u_char).
    target_compile_definitions(${tgt} PRIVATE _DEFAULT_SOURCE)
  endif()
endfunction()
