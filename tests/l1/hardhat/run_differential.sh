#!/usr/bin/env bash
# ctest `devchain_hardhat_differential` (label differential): starts hardhat node (contracts/' pinned version
# and network config) and sluice-devchain side by side on free ports of 127.0.0.1, runs differential.js
# against both, and stops both by their own pids, also on failure. Fails, never skips, without node or
# contracts/node_modules.
#   run_differential.sh SLUICE_DEVCHAIN CONTRACTS_DIR [extra sluice-devchain flags...]
# The devchain runs the hardfork hardhat runs: SLUICE_HARDFORK, default cancun (contracts/hardhat.config.js).
# Extra flags (e.g. --block-time, --threads) are passed to sluice-devchain as given.
set -euo pipefail
server=$1 contracts=$2
shift 2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=peer_processes.sh
source "$here/peer_processes.sh"
require_node_modules "$contracts"
start_hardhat "$contracts"
start_devchain "$server" --hardfork "${SLUICE_HARDFORK:-cancun}" "$@"
SLUICE_CONTRACTS_DIR="$contracts" node "$here/differential.js" "$HARDHAT_URL" "$DEVCHAIN_URL"
kill -0 "$DEVCHAIN_PID" || { echo "sluice-devchain died during the run" >&2; exit 1; }
kill -0 "$HARDHAT_PID" || { echo "hardhat node died during the run" >&2; exit 1; }
