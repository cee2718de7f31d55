# Helpers that turn "one file = one test/bench/fuzz target" into CMake targets, so adding a
# file never means editing a shared list.
include(GoogleTest)

# sluice_add_gtests(DIR <dir> LIBS <libs...>): every <dir>/*_test.cpp becomes its own test binary.
# LABEL <label>: the tests carry <label> instead of `unit`, and the target <label>_tests builds them
# alone (`concurrent`: the tests of threaded code, which CI also runs under TSan).
function(sluice_add_gtests)
  cmake_parse_arguments(ARG "" "DIR;LABEL" "LIBS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS "${ARG_DIR}/*_test.cpp")
  set(label unit)
  if(ARG_LABEL)
    set(label ${ARG_LABEL})
    if(NOT TARGET ${ARG_LABEL}_tests)
      add_custom_target(${ARG_LABEL}_tests)
    endif()
  endif()
  foreach(src ${sources})
    get_filename_component(name ${src} NAME_WE)
    add_executable(${name} ${src})
    target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main sluice_warnings)
    target_compile_definitions(${name} PRIVATE SLUICE_FIXTURES_DIR="${SLUICE_FIXTURES_DIR}")
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS ${label})
    if(ARG_LABEL)
      add_dependencies(${ARG_LABEL}_tests ${name})
    endif()
  endforeach()
endfunction()

# sluice_add_benchmarks(DIR <dir> LIBS <libs...>): every <dir>/*_bench.cpp becomes a benchmark binary.
function(sluice_add_benchmarks)
  cmake_parse_arguments(ARG "" "DIR" "LIBS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS "${ARG_DIR}/*_bench.cpp")
  foreach(src ${sources})
    get_filename_component(name ${src} NAME_WE)
    add_executable(${name} ${src})
    target_link_libraries(${name} PRIVATE ${ARG_LIBS} benchmark::benchmark sluice_warnings)
    target_compile_definitions(${name} PRIVATE SLUICE_FIXTURES_DIR="${SLUICE_FIXTURES_DIR}")
  endforeach()
endfunction()

# sluice_add_fuzzers(DIR <dir> LIBS <libs...>): every <dir>/*_fuzz.cpp becomes a libFuzzer binary.
function(sluice_add_fuzzers)
  cmake_parse_arguments(ARG "" "DIR" "LIBS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS "${ARG_DIR}/*_fuzz.cpp")
  foreach(src ${sources})
    get_filename_component(name ${src} NAME_WE)
    add_executable(${name} ${src})
    target_link_libraries(${name} PRIVATE ${ARG_LIBS} sluice_warnings)
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  endforeach()
endfunction()
