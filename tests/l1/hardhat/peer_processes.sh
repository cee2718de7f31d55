#!/usr/bin/env bash
# Sourced by the scripts that drive hardhat node and sluice-devchain side by side (the differential check,
# ./dev.sh bench-l1): starts each on a free port of 127.0.0.1, waits until it answers, and stops every server
# it started by that server's own pid when the sourcing script exits, whatever the exit.
#   start_devchain BINARY [flags...]   sets DEVCHAIN_URL, DEVCHAIN_PID
#   start_hardhat CONTRACTS_DIR        sets HARDHAT_URL, HARDHAT_PID (contracts/' pinned hardhat, its config)
PEER_PIDS=()
PEER_LOGS=()
stop_peers() {
  local pid
  for pid in "${PEER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PEER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -f "${PEER_LOGS[@]}"
}
trap stop_peers EXIT

# A port nobody listens on right now (the kernel's pick for port 0), for hardhat, which cannot report its own.
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

start_devchain() {
  local binary=$1; shift
  local log; log=$(mktemp); PEER_LOGS+=("$log")
  "$binary" --port 0 "$@" >"$log" 2>&1 &
  DEVCHAIN_PID=$!; PEER_PIDS+=("$DEVCHAIN_PID")
  local port=
  for _ in $(seq 1 200); do
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$log")
    [ -n "$port" ] && break
    kill -0 "$DEVCHAIN_PID" 2>/dev/null || { cat "$log" >&2; echo "sluice-devchain exited early" >&2; return 1; }
    sleep 0.05
  done
  [ -n "$port" ] || { cat "$log" >&2; echo "sluice-devchain did not report its port" >&2; return 1; }
  DEVCHAIN_URL="http://127.0.0.1:$port"
}

start_hardhat() {
  local contracts=$1
  if [ ! -x "$contracts/node_modules/.bin/hardhat" ]; then
    echo "contracts/node_modules has no hardhat: run ./dev.sh contracts-test or (cd contracts && npm ci)" >&2
    return 1
  fi
  local log; log=$(mktemp); PEER_LOGS+=("$log")
  local port; port=$(free_port)
  # node runs hardhat's own entry point (no npx in between), so $! is the server's pid.
  (cd "$contracts" && HARDHAT_DISABLE_TELEMETRY_PROMPT=true exec node node_modules/hardhat/internal/cli/bootstrap.js \
     node --hostname 127.0.0.1 --port "$port") >"$log" 2>&1 &
  HARDHAT_PID=$!; PEER_PIDS+=("$HARDHAT_PID")
  HARDHAT_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 600); do
    grep -q "Started HTTP and WebSocket JSON-RPC server" "$log" && return 0
    kill -0 "$HARDHAT_PID" 2>/dev/null || { cat "$log" >&2; echo "hardhat node exited early" >&2; return 1; }
    sleep 0.05
  done
  cat "$log" >&2; echo "hardhat node did not start within 30 s" >&2; return 1
}

require_node_modules() {
  local contracts=$1
  command -v node >/dev/null || { echo "node is not installed: run ./dev.sh contracts-test" >&2; return 1; }
  [ -f "$contracts/node_modules/ethers/package.json" ] ||
    { echo "contracts/node_modules has no ethers: run (cd contracts && npm ci)" >&2; return 1; }
}
