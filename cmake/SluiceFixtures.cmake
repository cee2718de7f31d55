# Ethereum's conformance fixtures live in the repository (tests/fixtures, see its README). The state tests are
# kept as one archive (55 MB of JSON, 2.4 MB as .tar.xz) and unpacked here at configure time; the other folders are
# plain JSON and are linked into the same tree, so every test, bench and tool reads one SLUICE_FIXTURES_DIR.
set(SLUICE_FIXTURES_SOURCE "${CMAKE_SOURCE_DIR}/tests/fixtures")
set(SLUICE_FIXTURES_DIR "${CMAKE_BINARY_DIR}/fixtures" CACHE PATH
    "Ethereum conformance fixtures (read-only data); default: the in-repo copy, unpacked into the build folder")

if(SLUICE_FIXTURES_DIR STREQUAL "${CMAKE_BINARY_DIR}/fixtures")
  set(archive "${SLUICE_FIXTURES_SOURCE}/state_tests.tar.xz")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${archive}")
  file(SHA256 "${archive}" archive_hash)
  set(stamp "${SLUICE_FIXTURES_DIR}/.state_tests.sha256")
  set(unpacked_hash "")
  if(EXISTS "${stamp}")
    file(READ "${stamp}" unpacked_hash)
  endif()
  if(NOT unpacked_hash STREQUAL archive_hash)
    message(STATUS "Unpacking ${archive}")
    file(REMOVE_RECURSE "${SLUICE_FIXTURES_DIR}/state_tests")
    file(ARCHIVE_EXTRACT INPUT "${archive}" DESTINATION "${SLUICE_FIXTURES_DIR}")
    file(WRITE "${stamp}" "${archive_hash}")
  endif()
  foreach(folder ethereum_tests evm_benchmarks)
    if(NOT EXISTS "${SLUICE_FIXTURES_DIR}/${folder}")
      file(CREATE_LINK "${SLUICE_FIXTURES_SOURCE}/${folder}" "${SLUICE_FIXTURES_DIR}/${folder}" SYMBOLIC)
    endif()
  endforeach()
endif()
