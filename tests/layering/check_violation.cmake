# Runs a fixture project and requires it to FAIL with the expected message.
#   cmake -DFIXTURE=dir -DWORK=dir -DREPO=dir -DSTAGE=configure|build -DEXPECT=regex -P check_violation.cmake
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${CMAKE_COMMAND} -S ${FIXTURE} -B ${WORK} -G Ninja -DST_REPO_ROOT=${REPO}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(STAGE STREQUAL "configure")
  if(rc EQUAL 0)
    message(FATAL_ERROR "configure succeeded but the layer violation should have stopped it")
  endif()
else()
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "configure failed unexpectedly:\n${out}\n${err}")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK} --target fixture_ok
                  RESULT_VARIABLE ok_rc OUTPUT_VARIABLE ok_out ERROR_VARIABLE ok_err)
  if(NOT ok_rc EQUAL 0)
    message(FATAL_ERROR "a legal include failed to build:\n${ok_out}\n${ok_err}")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK} --target fixture_bad
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc EQUAL 0)
    message(FATAL_ERROR "build succeeded but the backend file includes a services header")
  endif()
endif()
if(NOT "${out}${err}" MATCHES "${EXPECT}")
  message(FATAL_ERROR "failed, but without the expected message '${EXPECT}':\n${out}\n${err}")
endif()
message(STATUS "layer violation refused as expected")
