# System dependencies, all from Debian packages (dev.sh installs them).
find_package(PkgConfig REQUIRED)
pkg_check_modules(SECP256K1 REQUIRED IMPORTED_TARGET libsecp256k1)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(GMP REQUIRED IMPORTED_TARGET gmp)
# OpenSSL 3's libcrypto for AES-128-CTR and PBKDF2 (sdk/src/keys: Web3 Secret Storage v3; libsodium has no AES-CTR).
pkg_check_modules(LIBCRYPTO REQUIRED IMPORTED_TARGET libcrypto)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Threads REQUIRED)
# Asio (C++20 coroutines) and Beast for sluice-devchain's HTTP server, Program_options for its command line.
find_package(Boost 1.81 REQUIRED COMPONENTS program_options)
if(SLUICE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(SLUICE_BUILD_BENCH AND NOT SLUICE_BUILD_FUZZ)
  find_package(benchmark REQUIRED)
endif()
