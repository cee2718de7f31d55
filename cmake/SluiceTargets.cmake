# Helpers that turn "one file = one test/bench/fuzz target" into CMake targets, so adding a
# file never means editing a shared list.
include(GoogleTest)

# sluice_add_gtests(DIR <dir> LIBS <libs...>): every <dir>/*_test.cpp becomes its own test binary.
# LABEL <label>: the tests carry <label> instead of `unit`, and the target <label>_tests builds them
# alone (`concurrent`: the tests of threaded code, which CI also runs under TSan).
#
# Every test reuses one precompiled header of GoogleTest, nlohmann/json and Asio (sluice_test_pch): parsing
# them again for each of the ~120 test files was half of the tests' compile time.
function(sluice_test_pch)
  if(TARGET sluice_test_pch)
    return()
  endif()
  add_library(sluice_test_pch STATIC ${PROJECT_SOURCE_DIR}/tests/support/pch_anchor.cpp)
  target_link_libraries(sluice_test_pch PRIVATE GTest::gtest nlohmann_json::nlohmann_json Boost::headers
                                                sluice_warnings)
  target_compile_definitions(sluice_test_pch PRIVATE SLUICE_FIXTURES_DIR="${SLUICE_FIXTURES_DIR}")
  target_precompile_headers(sluice_test_pch PRIVATE <gtest/gtest.h> <nlohmann/json.hpp> <boost/asio.hpp>)
endfunction()

function(sluice_add_gtests)
  cmake_parse_arguments(ARG "" "DIR;LABEL" "LIBS" ${ARGN})
  sluice_test_pch()
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
    target_precompile_headers(${name} REUSE_FROM sluice_test_pch)
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
    if(NOT TARGET fuzzers)
      add_custom_target(fuzzers)  # ./dev.sh fuzz builds only these and what they link
    endif()
    add_dependencies(fuzzers ${name})
  endforeach()
endfunction()
