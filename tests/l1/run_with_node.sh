#!/usr/bin/env bash
# run_with_node.sh devchain <sluice-devchain binary> -- <command...>
# run_with_node.sh hardhat <contracts dir> -- <command...>
# Starts the node on a free port of 127.0.0.1 (hardhat/peer_processes.sh), runs the command with
# SLUICE_L1_URL=http://127.0.0.1:PORT and SLUICE_L1_KIND=devchain|hardhat, and stops the node by its own pid
# (also when the command fails). Fails, never skips, when the node cannot start.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=hardhat/peer_processes.sh
source "$here/hardhat/peer_processes.sh"
kind=$1 where=$2
shift 2
[ "${1:-}" = "--" ] && shift
case "$kind" in
  devchain)
    start_devchain "$where"
    url=$DEVCHAIN_URL pid=$DEVCHAIN_PID
    ;;
  hardhat)
    command -v node >/dev/null || { echo "node is not installed: run ./dev.sh contracts-test" >&2; exit 1; }
    start_hardhat "$where"
    url=$HARDHAT_URL pid=$HARDHAT_PID
    ;;
  *)
    echo "usage: $0 devchain|hardhat <binary|contracts dir> -- <command...>" >&2
    exit 2
    ;;
esac
rc=0
SLUICE_L1_KIND="$kind" SLUICE_L1_URL="$url" "$@" || rc=$?
kill -0 "$pid" 2>/dev/null || { echo "$kind died during the run" >&2; rc=1; }
exit $rc
