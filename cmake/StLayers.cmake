# Layer rules as build rules (DESIGN §3).
#
# Every target is declared with st_library()/st_executable()/st_test()/st_plugin() and a LAYER.
#  * Include isolation: a target sees only the source folders of the layers it may use, through a
#    per-layer include root of symlinks. `#include "services/..."` from a backend file does not
#    compile, because there is no services/ folder on a backend target's include path.
#  * Link isolation: linking a target of a layer that is not allowed stops the configure step
#    with FATAL_ERROR, naming both targets.
#
#   layer      may use
#   backend    backend
#   plugins    backend            (plugins see the backend's public API, nothing above)
#   services   backend, services
#   frontends  backend, services, frontends  (+ links the plugins into the binary, cannot include them)
#   tests      everything
include_guard(GLOBAL)

set(ST_LAYERS backend plugins services frontends tests)
set(ST_ALLOWED_backend backend)
set(ST_ALLOWED_plugins backend plugins)
set(ST_ALLOWED_services backend services)
set(ST_ALLOWED_frontends backend plugins services frontends)
set(ST_ALLOWED_tests backend plugins services frontends tests)
set(ST_VISIBLE_backend backend)
set(ST_VISIBLE_plugins backend plugins)
set(ST_VISIBLE_services backend services)
set(ST_VISIBLE_frontends backend services frontends)
set(ST_VISIBLE_tests backend plugins services frontends tests)

if(NOT DEFINED ST_SOURCE_ROOT)
  set(ST_SOURCE_ROOT ${CMAKE_SOURCE_DIR})
endif()

# One include root per layer: build/layers/<layer>/<visible folder> -> source folder.
foreach(layer IN LISTS ST_LAYERS)
  set(root ${CMAKE_BINARY_DIR}/layers/${layer})
  file(MAKE_DIRECTORY ${root})
  foreach(visible IN LISTS ST_VISIBLE_${layer})
    if(EXISTS ${ST_SOURCE_ROOT}/${visible} AND NOT EXISTS ${root}/${visible})
      file(CREATE_LINK ${ST_SOURCE_ROOT}/${visible} ${root}/${visible} SYMBOLIC)
    endif()
  endforeach()
endforeach()

function(_st_check_layer name layer)
  if(NOT layer IN_LIST ST_LAYERS)
    message(FATAL_ERROR "${name}: LAYER must be one of ${ST_LAYERS}, was '${layer}'")
  endif()
endfunction()

# Checks the st_* targets among DEPS against the layer rules and links them.
function(_st_link name layer visibility)
  foreach(dep IN LISTS ARGN)
    if(TARGET ${dep})
      get_target_property(dep_layer ${dep} ST_LAYER)
      if(dep_layer AND NOT dep_layer IN_LIST ST_ALLOWED_${layer})
        message(FATAL_ERROR
          "layer violation: ${layer} target '${name}' links ${dep_layer} target '${dep}'; "
          "a ${layer} target may use only: ${ST_ALLOWED_${layer}}")
      endif()
    endif()
  endforeach()
  if(ARGN)
    target_link_libraries(${name} ${visibility} ${ARGN})
  endif()
endfunction()

function(_st_common name layer)
  set_target_properties(${name} PROPERTIES ST_LAYER ${layer})
  target_include_directories(${name} PUBLIC $<BUILD_INTERFACE:${CMAKE_BINARY_DIR}/layers/${layer}>)
  target_compile_features(${name} PUBLIC cxx_std_20)
  if(ST_WARNINGS)
    target_compile_options(${name} PRIVATE ${ST_WARNINGS})
  endif()
endfunction()

# st_library(NAME LAYER <layer> SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
function(st_library name)
  cmake_parse_arguments(A "" "LAYER" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  _st_check_layer(${name} ${A_LAYER})
  add_library(${name} STATIC ${A_SOURCES})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  _st_common(${name} ${A_LAYER})
  _st_link(${name} ${A_LAYER} PUBLIC ${A_DEPS})
  _st_link(${name} ${A_LAYER} PRIVATE ${A_PRIVATE_DEPS})
endfunction()

# st_executable(NAME LAYER <layer> SOURCES ... [DEPS ...])
function(st_executable name)
  cmake_parse_arguments(A "" "LAYER;OUTPUT_NAME" "SOURCES;DEPS" ${ARGN})
  _st_check_layer(${name} ${A_LAYER})
  add_executable(${name} ${A_SOURCES})
  _st_common(${name} ${A_LAYER})
  _st_link(${name} ${A_LAYER} PRIVATE ${A_DEPS})
  if(A_OUTPUT_NAME)
    set_target_properties(${name} PROPERTIES OUTPUT_NAME ${A_OUTPUT_NAME})
  endif()
endfunction()

# st_test(NAME SOURCES ... [DEPS ...] [LAYER <layer>]) — a GoogleTest binary, discovered by ctest.
# Unit tests take the layer of the module they test, so they obey the same include rules.
function(st_test name)
  cmake_parse_arguments(A "" "LAYER" "SOURCES;DEPS;PROPERTIES" ${ARGN})
  if(NOT A_LAYER)
    set(A_LAYER tests)
  endif()
  if(NOT BUILD_TESTING)
    return()
  endif()
  st_executable(${name} LAYER ${A_LAYER} SOURCES ${A_SOURCES} DEPS ${A_DEPS})
  target_link_libraries(${name} PRIVATE GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE
    ST_SOURCE_DIR="${ST_SOURCE_ROOT}" ST_BINARY_DIR="${CMAKE_BINARY_DIR}"
    ST_SHARED_DIR="${ST_SOURCE_ROOT}/../shared")
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
    WORKING_DIRECTORY ${CMAKE_BINARY_DIR} PROPERTIES ${A_PROPERTIES})
endfunction()

# st_module_tests(NAME LAYER <layer> DEPS ...) — one test binary of every *_test.cpp in the
# current folder (unit tests live beside the code they test).
function(st_module_tests name)
  cmake_parse_arguments(A "" "LAYER" "DEPS;PROPERTIES" ${ARGN})
  file(GLOB tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
  if(tests)
    st_test(${name} LAYER ${A_LAYER} SOURCES ${tests} DEPS ${A_DEPS} PROPERTIES ${A_PROPERTIES})
  endif()
endfunction()
