#!/usr/bin/env bash
# ctest `devchain_flags_test`: sluice-devchain refuses bad values of its mining flags with exit code 2 and a
# message naming the flag, before it listens anywhere.
set -uo pipefail
server=$1
fail=0
expect_refused() {
  local want=$1; shift
  local out rc
  out=$("$server" --port 0 "$@" 2>&1 </dev/null)
  rc=$?
  if [ "$rc" -ne 2 ] || ! grep -q -- "$want" <<<"$out"; then
    echo "sluice-devchain $*: exit $rc, output: $out (expected exit 2 mentioning $want)" >&2
    fail=1
  fi
}
expect_refused threads --threads 0
expect_refused threads --threads 65
expect_refused threads --threads -1
expect_refused threads --threads two
expect_refused block-time --block-time 86401
expect_refused block-time --block-time 1.5
expect_refused block-time --block-time ''
exit $fail
