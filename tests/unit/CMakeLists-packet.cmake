# Packet layer of msnpdump: unit tests for cli/netdecode.c, cli/tcp_reasm.c,
# cli/flowtable.c and cli/holdq.c. Included from tests/CMakeLists.txt; compiles the cli
# sources directly (no libpcap; libmsnp only for its text helpers).
set(MSNP_PACKET_CLI_DIR ${PROJECT_SOURCE_DIR}/cli)
set(MSNP_PACKET_TEST_DIR ${PROJECT_SOURCE_DIR}/tests/unit)

add_executable(test_netdecode
  ${MSNP_PACKET_TEST_DIR}/test_netdecode.c
  ${MSNP_PACKET_CLI_DIR}/netdecode.c)

add_executable(test_tcp_reasm
  ${MSNP_PACKET_TEST_DIR}/test_tcp_reasm.c
  ${MSNP_PACKET_CLI_DIR}/tcp_reasm.c
  ${MSNP_PACKET_CLI_DIR}/netdecode.c)

add_executable(test_flowtable
  ${MSNP_PACKET_TEST_DIR}/test_flowtable.c
  ${MSNP_PACKET_CLI_DIR}/flowtable.c
  ${MSNP_PACKET_CLI_DIR}/tcp_reasm.c
  ${MSNP_PACKET_CLI_DIR}/netdecode.c)

add_executable(test_holdq
  ${MSNP_PACKET_TEST_DIR}/test_holdq.c
  ${MSNP_PACKET_CLI_DIR}/holdq.c)

foreach(_t netdecode tcp_reasm flowtable holdq)
  target_include_directories(test_${_t} PRIVATE ${MSNP_PACKET_CLI_DIR})
  target_link_libraries(test_${_t} PRIVATE msnp)
  add_test(NAME unit.${_t} COMMAND test_${_t})
endforeach()
unset(_t)

# The HTTP gateway carriers (cli/gateway.c) with libmsnp's heads and chains.
add_executable(test_gateway
  ${MSNP_PACKET_TEST_DIR}/test_gateway.c
  ${MSNP_PACKET_CLI_DIR}/gateway.c)
target_include_directories(test_gateway PRIVATE ${MSNP_PACKET_CLI_DIR})
target_link_libraries(test_gateway PRIVATE msnp)
add_test(NAME unit.gateway COMMAND test_gateway)

# The block reader of classic pcap files (cli/pcapblock.c), compared with
# libpcap's own reader on well-formed, cut and damaged files by the fuzz
# harness that does the comparison.
find_package(PkgConfig REQUIRED)
pkg_check_modules(TEST_PCAP REQUIRED IMPORTED_TARGET libpcap)
add_executable(test_pcapblock
  ${MSNP_PACKET_TEST_DIR}/test_pcapblock.c
  ${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz_pcapblock.c
  ${MSNP_PACKET_CLI_DIR}/pcapblock.c)
target_include_directories(test_pcapblock PRIVATE ${MSNP_PACKET_CLI_DIR}
                                                  ${PROJECT_SOURCE_DIR}/tests/fuzz)
target_link_libraries(test_pcapblock PRIVATE PkgConfig::TEST_PCAP)
add_test(NAME unit.pcapblock COMMAND test_pcapblock)
