# Hostile captures through msnpdump (tests/hostile/hostile.py): the committed
# samples cut, corrupted and given lying record headers, absurd timestamps and
# bad file headers; giant lengths, a million-byte line, control bytes and
# invalid UTF-8 written as msnpgen scenarios (tests/hostile/scenarios); floods of
# half-open connections and long out-of-order runs built packet by packet.
# Checks exit statuses, JSON Lines validity, terminal safety of the text output
# and a stated peak-memory bound per case. Included from tests/CMakeLists.txt.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME msnpdump.hostile
         COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/hostile.py
                 --msnpdump $<TARGET_FILE:msnpdump> --msnpgen $<TARGET_FILE:msnpgen>
                 --samples ${PROJECT_SOURCE_DIR}/samples/captures
                 --scenarios ${CMAKE_CURRENT_LIST_DIR}/scenarios
                 --workdir ${CMAKE_CURRENT_BINARY_DIR}/hostile)
# About a minute in a plain build, several under the sanitizers.
set_tests_properties(msnpdump.hostile PROPERTIES TIMEOUT 1800)
