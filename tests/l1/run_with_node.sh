#!/usr/bin/env bash
# run_with_node.sh devchain <sluice-devchain binary> -- <command...>
# run_with_node.sh hardhat <contracts dir> -- <command...>
# Starts the node on a free port on 127.0.0.1, runs the command with SLUICE_L1_URL=http://127.0.0.1:PORT, and
# stops the node by its own pid (also when the command fails). Fails, never skips, when the node cannot start.
set -euo pipefail
kind=$1 where=$2
shift 2
[ "${1:-}" = "--" ] && shift
log=$(mktemp)
pid=
cleanup() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -f "$log"
}
trap cleanup EXIT
case "$kind" in
  devchain)
    "$where" --port 0 >"$log" 2>&1 &
    pid=$!
    pattern='s/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p'
    ;;
  hardhat)
    command -v node >/dev/null || { echo "node is not installed: run ./dev.sh contracts-test" >&2; exit 1; }
    [ -x "$where/node_modules/.bin/hardhat" ] || { echo "$where has no hardhat: (cd contracts && npm ci)" >&2; exit 1; }
    free_port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
    # exec: the pid is hardhat's own node process, not a wrapper's.
    (cd "$where" && NO_COLOR=1 FORCE_COLOR=0 exec node node_modules/.bin/hardhat node --hostname 127.0.0.1 --port "$free_port") >"$log" 2>&1 &
    pid=$!
    pattern='s|^Started HTTP and WebSocket JSON-RPC server at http://127\.0\.0\.1:\([0-9]*\)/$|\1|p'
    ;;
  *)
    echo "usage: $0 devchain|hardhat <binary|contracts dir> -- <command...>" >&2
    exit 2
    ;;
esac
port=
for _ in $(seq 1 2400); do  # up to 120 s: hardhat starts slowly on a loaded machine
  # hardhat colours the line when it believes it has a terminal: strip ANSI escapes before matching.
  port=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | sed -n "$pattern" | head -1)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "$kind exited early" >&2; exit 1; }
  sleep 0.05
done
[ -n "$port" ] || { cat "$log" >&2; echo "$kind did not report its port" >&2; exit 1; }
rc=0
SLUICE_L1_KIND="$kind" SLUICE_L1_URL="http://127.0.0.1:$port" "$@" || rc=$?
kill -0 "$pid" 2>/dev/null || { echo "$kind died during the run" >&2; rc=1; }
exit $rc
