#!/usr/bin/env bash
# ctest `devchain_ethers_e2e` (and `_interval`): starts sluice-devchain on a free port (with the server
# arguments after the script's, e.g. --block-time 1), runs devchain_e2e.js with ethers from contracts/node_modules
# against it (its mode argument "interval" when the server mines by interval), and stops the server by its own
# pid. Fails (never skips) without node or node_modules.
set -euo pipefail
server=$1 contracts=$2 script=$3 mode=${4:-automine}
shift $(( $# < 4 ? $# : 4 ))
if ! command -v node >/dev/null; then
  echo "node is not installed: run ./dev.sh contracts-test (it installs node and runs npm ci in contracts/)" >&2
  exit 1
fi
if [ ! -f "$contracts/node_modules/ethers/package.json" ]; then
  echo "contracts/node_modules has no ethers: run ./dev.sh contracts-test or (cd contracts && npm ci)" >&2
  exit 1
fi
log=$(mktemp)
"$server" --port 0 "$@" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT
port=
for _ in $(seq 1 200); do
  port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$log")
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "sluice-devchain exited early" >&2; exit 1; }
  sleep 0.05
done
[ -n "$port" ] || { cat "$log" >&2; echo "sluice-devchain did not report its port" >&2; exit 1; }
SLUICE_CONTRACTS_DIR="$contracts" node "$script" "http://127.0.0.1:$port" "$mode"
kill -0 "$pid" || { echo "sluice-devchain died during the run" >&2; exit 1; }
