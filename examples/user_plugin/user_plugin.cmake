# st_user_plugin(TARGET NAME SOURCE_DIR OUTPUT_ROOT [DEFINITIONS ...])
# Builds SOURCE_DIR/*.cpp (target TARGET) into OUTPUT_ROOT/NAME/lib<NAME>.so and copies the manifest beside it,
# which is the layout the registry scans. Symbols of the plugin API resolve against the
# executable that loads it (s1mpletrader is linked with ENABLE_EXPORTS).
function(st_user_plugin target name source_dir output_root)
  cmake_parse_arguments(A "" "" "DEFINITIONS" ${ARGN})
  file(GLOB sources ${source_dir}/*.cpp)
  add_library(${target} MODULE ${sources})
  target_compile_features(${target} PRIVATE cxx_std_20)
  target_include_directories(${target} PRIVATE ${S1MPLETRADER_SOURCE_DIR})
  target_link_libraries(${target} PRIVATE nlohmann_json::nlohmann_json)
  if(A_DEFINITIONS)
    target_compile_definitions(${target} PRIVATE ${A_DEFINITIONS})
  endif()
  set_target_properties(${target} PROPERTIES PREFIX "lib" OUTPUT_NAME ${name}
    LIBRARY_OUTPUT_DIRECTORY ${output_root}/${name})
  configure_file(${source_dir}/manifest.yaml ${output_root}/${name}/manifest.yaml COPYONLY)
endfunction()
