# Helpers that turn "one file = one test/bench/fuzz target" into CMake targets, so adding a
# file never means editing a shared list.
include(GoogleTest)

# sluice_add_gtests(DIR <dir> LIBS <libs...>): every <dir>/*_test.cpp becomes its own test binary.
# LABEL <label>: the tests carry <label> instead of `unit`, and the target <label>_tests builds them
# alone (`concurrent`: the tests of threaded code, which CI also runs under TSan).
#
# In the Debug-based builds (asan, tsan) the test files themselves compile at -O0: their code is not what is
# measured or fuzzed, and at -O1 with ASan+UBSan they took 40% longer to compile (the libraries keep -O1).
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
    target_compile_options(${name} PRIVATE $<$<CONFIG:Debug>:-O0>)
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)  # tests/support/*.hpp
    # A GTEST_SKIP is reported by ctest as skipped, not counted as passed.
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
                         PROPERTIES LABELS ${label} SKIP_REGULAR_EXPRESSION "\\[  SKIPPED \\]")
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

# clang 14's UBSan cannot compile C++20 coroutines ("Cannot represent a difference across sections"): in the
# fuzz build (clang, ASan+UBSan) the sources with coroutines keep ASan and drop UBSan.
function(sluice_no_ubsan_for_coroutines)
  if(NOT SLUICE_BUILD_FUZZ)
    return()
  endif()
  foreach(src ${ARGN})
    file(READ ${src} text)
    if(text MATCHES "co_(await|return)")
      set_source_files_properties(${src} PROPERTIES COMPILE_OPTIONS -fno-sanitize=undefined)
    endif()
  endforeach()
endfunction()
