# Included from tests/CMakeLists.txt (every tests/*/CMakeLists-*.cmake is).
#
# The Wireshark plugin, through the real tshark (as nobody when run by root:
# see wstest.py). Only when dissector/ built the plugin; each test exits 77
# (skipped) where tshark or a capture outside the repository is missing.
if(NOT TARGET msnp_plugin)
  return()
endif()

set(_ws_tests ${CMAKE_CURRENT_LIST_DIR})
set(_ws_captures ${PROJECT_SOURCE_DIR}/samples/captures)
set(_ws_plugin $<TARGET_FILE:msnp_plugin>)
set(_ws_names "")

# Fields, decodes, heuristic and preferences as tshark reports them.
add_test(NAME dissector.fields
         COMMAND Python3::Interpreter ${_ws_tests}/check_fields.py --plugin ${_ws_plugin}
                 --commands-doc ${PROJECT_SOURCE_DIR}/docs/commands.md
                 --payloads-doc ${PROJECT_SOURCE_DIR}/docs/payloads.md
                 --capture ${_ws_captures}/chat.pcap)
list(APPEND _ws_names dissector.fields)

# Every committed sample: golden -T fields output, and the two faces'
# command lines per connection and direction.
file(STRINGS ${_ws_captures}/MANIFEST _ws_manifest REGEX "^[^#]")
foreach(_entry IN LISTS _ws_manifest)
  string(REGEX MATCH "^[^ \t]+" _capture "${_entry}")
  if(NOT _capture)
    continue()
  endif()
  string(REGEX REPLACE "\\.[^.]+$" "" _stem "${_capture}")
  add_test(NAME dissector.golden.${_stem}
           COMMAND Python3::Interpreter ${_ws_tests}/golden_fields.py --plugin ${_ws_plugin}
                   ${_ws_captures}/${_capture} ${_ws_tests}/golden/${_stem}.fields)
  add_test(NAME dissector.faces.${_stem}
           COMMAND Python3::Interpreter ${_ws_tests}/compare_faces.py --plugin ${_ws_plugin}
                   --msnpdump $<TARGET_FILE:msnpdump> ${_ws_captures}/${_capture})
  add_test(NAME dissector.meaning.${_stem}
           COMMAND Python3::Interpreter ${_ws_tests}/compare_meaning.py --plugin ${_ws_plugin}
                   --msnpdump $<TARGET_FILE:msnpdump> ${_ws_captures}/${_capture})
  add_test(NAME dissector.sid.${_stem}
           COMMAND Python3::Interpreter ${_ws_tests}/compare_sid.py --plugin ${_ws_plugin}
                   --msnpdump $<TARGET_FILE:msnpdump> ${_ws_captures}/${_capture})
  list(APPEND _ws_names dissector.golden.${_stem} dissector.faces.${_stem}
       dissector.meaning.${_stem} dissector.sid.${_stem})
endforeach()

# More requests awaiting an answer than a connection remembers: both faces
# forget the same ones (libmsnp's MSNP_TXN_PENDING_MAX) and pair the rest.
add_test(NAME dissector.faces.pending
         COMMAND Python3::Interpreter ${_ws_tests}/compare_faces.py --plugin ${_ws_plugin}
                 --msnpdump $<TARGET_FILE:msnpdump> --msnpgen $<TARGET_FILE:msnpgen>
                 ${_ws_tests}/pending.msnp)
list(APPEND _ws_names dissector.faces.pending)

# What the plugin adds to tshark's peak memory per packet on a population
# capture, against the built-in msnms dissector (bound in check_memory.py).
add_test(NAME dissector.memory
         COMMAND Python3::Interpreter ${_ws_tests}/check_memory.py --plugin ${_ws_plugin}
                 --msnpgen $<TARGET_FILE:msnpgen>)
list(APPEND _ws_names dissector.memory)

# What payloads, QRY answers and transfers mean, golden on the samples that
# show it: messages and typing, a transfer, declined and cancelled
# invitations, a transfer cut by loss, right and wrong challenge answers.
foreach(_stem chat filetransfer filetransfer-loss invite-declined challenge)
  add_test(NAME dissector.golden_meaning.${_stem}
           COMMAND Python3::Interpreter ${_ws_tests}/golden_fields.py --plugin ${_ws_plugin}
                   --set meaning ${_ws_captures}/${_stem}.pcap ${_ws_tests}/golden/${_stem}.meaning)
  list(APPEND _ws_names dissector.golden_meaning.${_stem})
endforeach()

# -T fields output of both faces byte for byte under tshark's -E options,
# escapes of text values included (CR LF inside messages).
foreach(_capture chat.pcap chat-messy.pcapng)
  string(REGEX REPLACE "\\.[^.]+$" "" _stem "${_capture}")
  add_test(NAME dissector.fields_output.${_stem}
           COMMAND Python3::Interpreter ${_ws_tests}/compare_fields_output.py --plugin ${_ws_plugin}
                   --msnpdump $<TARGET_FILE:msnpdump> ${_ws_captures}/${_capture})
  list(APPEND _ws_names dissector.fields_output.${_stem})
endforeach()

# The QRY check against hashlib's MD5: a wrong answer must never verify.
add_test(NAME dissector.qry
         COMMAND Python3::Interpreter ${_ws_tests}/check_qry.py --plugin ${_ws_plugin}
                 ${_ws_captures}/challenge.pcap)
list(APPEND _ws_names dissector.qry)

# Real 2005 traffic, outside the repository: compared at test time only
# (no golden file: its content is not ours to commit), and never printed.
add_test(NAME dissector.faces.msnms
         COMMAND Python3::Interpreter ${_ws_tests}/compare_faces.py --plugin ${_ws_plugin}
                 --msnpdump $<TARGET_FILE:msnpdump> --private
                 ${PROJECT_SOURCE_DIR}/../shared/captures/msnms.pcap)
add_test(NAME dissector.meaning.msnms
         COMMAND Python3::Interpreter ${_ws_tests}/compare_meaning.py --plugin ${_ws_plugin}
                 --msnpdump $<TARGET_FILE:msnpdump> --private
                 ${PROJECT_SOURCE_DIR}/../shared/captures/msnms.pcap)
add_test(NAME dissector.sid.msnms
         COMMAND Python3::Interpreter ${_ws_tests}/compare_sid.py --plugin ${_ws_plugin}
                 --msnpdump $<TARGET_FILE:msnpdump> --private
                 ${PROJECT_SOURCE_DIR}/../shared/captures/msnms.pcap)
list(APPEND _ws_names dissector.faces.msnms dissector.meaning.msnms dissector.sid.msnms)

# Expected conversations (XFR to a switchboard on port 1864), the heuristic
# (an unannounced one on 31863), a non-MSNP line protocol, the HTTP gateway.
add_test(NAME dissector.sessions
         COMMAND Python3::Interpreter ${_ws_tests}/check_sessions.py --plugin ${_ws_plugin}
                 --msnpgen $<TARGET_FILE:msnpgen> ${_ws_tests}/sessions.msnp)
list(APPEND _ws_names dissector.sessions)

add_test(NAME dissector.pairing
         COMMAND Python3::Interpreter ${_ws_tests}/check_pairing.py --plugin ${_ws_plugin}
                 --captures ${_ws_captures})
list(APPEND _ws_names dissector.pairing)

add_test(NAME dissector.stats
         COMMAND Python3::Interpreter ${_ws_tests}/check_stats.py --plugin ${_ws_plugin}
                 --msnpdump $<TARGET_FILE:msnpdump>
                 ${_ws_captures}/login.pcap ${_ws_captures}/chat.pcap
                 ${_ws_captures}/edge.pcap ${_ws_captures}/filetransfer.pcap)
list(APPEND _ws_names dissector.stats)

# Bounded: 5 ways of damaging or reading 4 samples (about 15 s; no new run
# starts after 30 s on a slow machine).
add_test(NAME dissector.fuzz
         COMMAND Python3::Interpreter ${_ws_tests}/fuzz.py --plugin ${_ws_plugin} --budget 30
                 --keep ${CMAKE_CURRENT_BINARY_DIR}/fuzz-failures
                 ${_ws_captures}/login.pcap ${_ws_captures}/chat.pcap
                 ${_ws_captures}/filetransfer.pcap ${_ws_captures}/edge.pcap)
list(APPEND _ws_names dissector.fuzz)

set_tests_properties(${_ws_names} PROPERTIES SKIP_RETURN_CODE 77)
# In a build with AddressSanitizer the plugin needs the sanitizer's runtime,
# which tshark does not carry: the tests preload it into tshark (wstest.py),
# so the plugin runs the whole suite instrumented; tshark's own leaks are not
# ours to report.
if(MSNP_SANITIZE MATCHES "address")
  if(CMAKE_C_COMPILER_ID MATCHES "Clang")
    set(_ws_asan_name libclang_rt.asan-${CMAKE_SYSTEM_PROCESSOR}.so)
  else()
    set(_ws_asan_name libasan.so)
  endif()
  execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=${_ws_asan_name}
                  OUTPUT_VARIABLE _ws_asan_runtime OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT EXISTS "${_ws_asan_runtime}")
    message(FATAL_ERROR "MSNP_SANITIZE=address: no ${_ws_asan_name} for tshark to preload")
  endif()
  set_tests_properties(${_ws_names} PROPERTIES
                       ENVIRONMENT "MSNP_TSHARK_PRELOAD=${_ws_asan_runtime}")
endif()

unset(_ws_tests)
unset(_ws_captures)
unset(_ws_plugin)
unset(_ws_names)
unset(_ws_manifest)
unset(_entry)
unset(_capture)
unset(_stem)

