#!/usr/bin/env bash
# Sluice developer entry point. `./dev.sh demo` runs the main job, `./dev.sh test` runs every test.
# Each command installs the Debian packages it needs (only when missing), configures, builds and runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

JOBS="${JOBS:-$(nproc)}"
PACKAGES=(
  cmake ninja-build g++ pkg-config ccache
  libsecp256k1-dev libsodium-dev libgmp-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libboost1.81-dev libboost-program-options1.81-dev libsqlite3-dev
  jq curl python3  # tests/e2e: sluice-cli's JSON, curl (oversize request, /metrics, L1), python3 (wei arithmetic)
  libspdlog-dev  # the daemon's logging (sluiced: levels per subsystem, stderr and a file)
  libssl-dev  # OpenSSL 3's libcrypto: AES-128-CTR for Web3 Secret Storage v3 keystores (libsodium has none)
)
FUZZ_PACKAGES=(clang libclang-rt-14-dev)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
}

configure() {  # configure <preset>
  local extra=()
  [ "${CI:-}" = "true" ] && extra+=(-DSLUICE_WERROR=ON)
  cmake --preset "$1" "${extra[@]}" >/dev/null
}

build() {  # build <preset> [targets...]
  local preset=$1; shift
  configure "$preset"
  if [ $# -gt 0 ]; then
    cmake --build --preset "$preset" -j "$JOBS" --target "$@"
  else
    cmake --build --preset "$preset" -j "$JOBS"
  fi
}

run_tests() {  # run_tests <preset> [ctest args...]
  local preset=$1; shift
  build "$preset"
  ctest --preset "$preset" -j "$JOBS" "$@"
}

# The product first (examples/hub_demo.sh: a devchain, a hub and three clients as processes, driven by
# sluice-cli), then the protocol walk-through (sluice-demo: the channel machines, a dispute, in one process).
cmd_demo() {
  ensure_packages "${PACKAGES[@]}"
  build release sluice-demo sluiced sluice-cli sluice-devchain
  examples/hub_demo.sh "$PWD/build/release/hub/daemon" "$PWD/build/release/evm_settle/l1/sluice-devchain"
  ./build/release/examples/sluice-demo "$@"
}

cmd_gas() {  # measure the adjudicator's gas in the embedded EVM and rewrite contracts/gas.json
  ensure_packages "${PACKAGES[@]}"
  build release sluice-gas-report
  ./build/release/contracts/gas_report/sluice-gas-report contracts/gas.json
}

# Every test, built once with ASan+UBSan (g++, -O1): one build is both the suite and its sanitizer run,
# which keeps CI inside its time. The demo runs as a test of its own; the benchmarks are built, not run.
# npm ci first: the e2e ctest (ethers against sluice-devchain) needs contracts/node_modules.
cmd_test() {
  ensure_packages "${PACKAGES[@]}"
  contracts_npm_ci
  run_tests asan "$@"
  [ $# -eq 0 ] && contracts_hardhat_test
  return 0
}
# The same suite on the optimised build (what the demo and the benchmarks run).
cmd_test_release() {
  ensure_packages "${PACKAGES[@]}"
  contracts_npm_ci
  run_tests release "$@"
}

# Node and npm for the contract tooling: the machine's own when it has them (a NodeSource node carries its
# npm, and Debian's npm package would conflict with it), else Debian's.
ensure_node() {
  command -v node >/dev/null && command -v npm >/dev/null && return 0
  ensure_packages nodejs npm
}

# The contracts' hardhat tests: the committed artifacts deployed on hardhat's in-process network and driven
# by ethers (contracts/README.md). npm ci installs the exact pins of contracts/package-lock.json.
contracts_npm_ci() {
  ensure_node
  log "contracts: npm ci"
  (cd contracts && npm ci --no-audit --no-fund --loglevel=error)
}
contracts_hardhat_test() {
  log "contracts: hardhat test"
  (cd contracts && npx hardhat test)
}
cmd_contracts_test() { contracts_npm_ci; contracts_hardhat_test; }

cmd_asan() { cmd_test "$@"; }
cmd_tsan() { ensure_packages "${PACKAGES[@]}"; run_tests tsan "$@"; }
# The tests of threaded code (label `concurrent`) under TSan, building only what they need: what CI
# runs (a TSan build of the whole tree takes several times longer). The tsan preset builds with
# BOOST_ASIO_DISABLE_STD_ATOMIC: Asio's std::atomic reference counts release with a fence, which TSan does not
# model, so it reported races on executors freed by the last owner (CI, stop 22); Boost's own atomic_count
# (acq_rel read-modify-write) is what TSan understands, and fixes nothing that was real.
cmd_tsan_concurrent() {
  ensure_packages "${PACKAGES[@]}"
  build tsan concurrent_tests
  ctest --preset tsan -j "$JOBS" -L concurrent "$@"
}

cmd_fuzz() {  # fuzz [seconds per target] [target name]
  local seconds=${1:-30} only=${2:-}
  ensure_packages "${PACKAGES[@]}" "${FUZZ_PACKAGES[@]}"
  build fuzz fuzzers
  local dir=build/fuzz/tests/fuzz
  local failed=0 ran=0
  for bin in "$dir"/*_fuzz; do
    [ -x "$bin" ] || continue
    local name corpus
    name=$(basename "$bin")
    [ -n "$only" ] && [ "$name" != "$only" ] && continue
    corpus="build/fuzz/corpus/$name"
    mkdir -p "$corpus"
    [ -d "tests/fuzz/corpus/$name" ] && cp -n tests/fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null || true
    log "fuzzing $name for ${seconds}s"
    ran=$((ran + 1))
    if ! "$bin" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
         -artifact_prefix="build/fuzz/$name-" "$corpus" >"build/fuzz/$name.log" 2>&1; then
      tail -40 "build/fuzz/$name.log"
      log "FUZZ FAILURE in $name (artifact under build/fuzz/)"
      failed=$((failed + 1))
    else
      grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "build/fuzz/$name.log" | tail -1 || true
    fi
  done
  [ "$ran" -gt 0 ] || { log "no fuzz targets were built"; return 1; }
  echo "fuzz: $((ran - failed)) of $ran targets ran clean, $failed crashed"
  [ "$failed" -eq 0 ]
}

cmd_crash() {  # crash [kill points] [seed]: the SDK node crash campaign, longer than CI's 200 points
  ensure_packages "${PACKAGES[@]}"
  build asan crash_campaign_test sluice-crash-node
  SLUICE_CRASH_POINTS="${1:-2000}" SLUICE_CRASH_SEED="${2:-}" \
    ./build/asan/tests/sdk/crash_campaign_test --gtest_brief=1 | grep -E "^crash campaign|Failure|FAILED|OK|\(a\)|\(b|\(c\)"
  [ "${PIPESTATUS[0]}" -eq 0 ]
}

cmd_bench() {  # bench [benchmark binary name] [google-benchmark args...]
  ensure_packages "${PACKAGES[@]}"
  build release
  if [ $# -gt 0 ]; then
    local name=$1; shift
    ./build/release/bench/"$name" "$@"
  else
    for b in build/release/bench/*_bench; do "$b"; done
  fi
}

# hardhat node and sluice-devchain measured side by side by one script (bench/l1_load/run_bench_l1.sh): mined
# transactions/s through eth_sendRawTransaction and eth_call/s; its last line is one JSON object. Not in CI.
# Extra arguments go to sluice-devchain.
cmd_bench_l1() {
  ensure_packages "${PACKAGES[@]}"
  contracts_npm_ci
  build release sluice-devchain devchain_bench
  bench/l1_load/run_bench_l1.sh build/release/evm_settle/l1/sluice-devchain build/release/bench/l1_load/devchain_bench \
    contracts "$@"
}

# The hub under load (issue #14; bench/hub_load/hub_load.cpp): M client sluiced pay each other through one
# hub sluiced, all started (and stopped) by hub_load on one sluice-devchain, durable commits on. Prints the
# sustained payments/s and p50/p99 at full load, p50/p99 at 100 payments/s, CPU per payment and the crypto
# bound; its last line is one JSON object. Not in CI. Arguments go to hub_load (e.g. --seconds 10).
cmd_bench_hub() {
  ensure_packages "${PACKAGES[@]}"
  build release sluiced sluice-cli sluice-devchain hub_load
  ./build/release/bench/hub_load/hub_load --bin-dir build/release "$@"
}

# The README's two commands from a fresh clone inside a bare Debian 12 root (debootstrap minbase, chroot, as
# root, CI=true): what a newcomer with nothing preinstalled gets. Slow (a whole apt install and build); not in CI.
# Clones HEAD: commit first. FRESH_ROOT overrides the root folder (default build/fresh-root, recreated).
cmd_fresh_check() {
  [ "$(id -u)" -eq 0 ] || { log "fresh-check needs root (debootstrap, chroot)"; return 1; }
  ensure_packages debootstrap git
  local root=${FRESH_ROOT:-$PWD/build/fresh-root}
  local start=$SECONDS
  fresh_unmount "$root"
  rm -rf "$root"
  mkdir -p "$root"
  log "debootstrap --variant=minbase bookworm into $root"
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$root.debootstrap.log" 2>&1 ||
    { tail -20 "$root.debootstrap.log"; return 1; }
  git clone -q --no-local "$PWD" "$root/src/sluice"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  log "in the bare root: ./dev.sh test, then ./dev.sh demo"
  local rc=0
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    CI=true LANG=C.UTF-8 bash -c 'cd /src/sluice && ./dev.sh test && ./dev.sh demo' || rc=$?
  fresh_unmount "$root"
  echo "fresh-check: $([ $rc -eq 0 ] && echo passed || echo "FAILED (exit $rc)") in $((SECONDS - start)) s"
  return $rc
}
fresh_unmount() {
  local root=$1
  mountpoint -q "$root/dev" && umount -R "$root/dev"
  mountpoint -q "$root/proc" && umount "$root/proc"
  return 0
}

cmd_format() { git ls-files '*.cpp' '*.hpp' | xargs clang-format -i; }
cmd_tidy() { configure release; git ls-files '*.cpp' | xargs clang-tidy -p build/release --quiet "$@"; }

usage() {
  cat <<USAGE
usage: ./dev.sh <command>
  demo            build and run the main demo
  gas             measure the adjudicator's gas in the embedded EVM, write contracts/gas.json
  test            npm ci in contracts/, build every test under ASan+UBSan and run them (the e2e ones
                  drive sluice-devchain and hardhat, one runs the demo), then the contracts' hardhat tests
  test-release    the same ctest suite on the optimised (release) build
  contracts-test  the contracts' hardhat tests alone (npm ci, hardhat test)
  asan | tsan     run the tests under ASan+UBSan (= test) / TSan
  tsan-concurrent run the tests of threaded code under TSan (what CI runs)
  fuzz [seconds] [target]  run every libFuzzer target (default 30 s each), or only one
                  (the long run of the channel fuzzer: ./dev.sh fuzz 1800 channel_machine_fuzz)
  crash [points] [seed]  the SDK node crash campaign (SIGKILL payer/payee processes; default 2,000
                  kill points, CI runs 200 in ctest); prints the seed, a given seed replays it
  bench [name]    run the benchmarks (all, or one binary)
  bench-l1        hardhat node vs sluice-devchain: mined tx/s and eth_call/s, side by side (not in CI)
  bench-hub [--seconds N]  clients paying through one sluiced hub: payments/s, p50/p99, CPU per
                  payment, the crypto bound; last line one JSON object (not in CI)
  format | tidy   clang-format the tree / clang-tidy it
  fresh-check     the README's two commands from a fresh clone in a bare Debian 12 root (slow, as root)
USAGE
}

case "${1:-}" in
  demo | gas | test | asan | tsan | fuzz | crash | bench | format | tidy) c=$1; shift; "cmd_$c" "$@" ;;
  tsan-concurrent) shift; cmd_tsan_concurrent "$@" ;;
  test-release) shift; cmd_test_release "$@" ;;
  contracts-test) shift; cmd_contracts_test "$@" ;;
  bench-l1) shift; cmd_bench_l1 "$@" ;;
  bench-hub) shift; cmd_bench_hub "$@" ;;
  fresh-check) shift; cmd_fresh_check "$@" ;;
  *) usage; exit 2 ;;
esac
