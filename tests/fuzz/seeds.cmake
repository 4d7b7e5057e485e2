# Builds the fuzz seed corpora (run by CMakeLists-fuzz.cmake with cmake -P):
# generates every scenario with msnpgen, then runs make_seeds on the committed
# captures and the generated ones. A scenario msnpgen fails on is left out
# with a warning (the gen.* tests report msnpgen's failures) rather than
# failing the build.
#   -DINPUTS=file   sets MSNPGEN, MAKE_SEEDS, OUT, WORK, CAPTURES, SCENARIOS
include(${INPUTS})
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${WORK})
set(generated)
foreach(scn IN LISTS SCENARIOS)
  get_filename_component(stem ${scn} NAME_WE)
  set(cap ${WORK}/scenario-${stem}.pcap)
  execute_process(COMMAND ${MSNPGEN} ${scn} -o ${cap} RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(rc EQUAL 0)
    list(APPEND generated ${cap})
  else()
    message(WARNING "fuzz seeds: msnpgen failed on ${scn} (${rc}); left out:\n${err}")
  endif()
endforeach()
execute_process(COMMAND ${MAKE_SEEDS} ${OUT} ${CAPTURES} ${generated} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fuzz seeds: make_seeds failed (${rc})")
endif()
file(TOUCH ${OUT}/.stamp)
