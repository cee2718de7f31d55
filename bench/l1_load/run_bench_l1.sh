#!/usr/bin/env bash
# ./dev.sh bench-l1: hardhat node (contracts/' pinned version) and sluice-devchain measured side by side in the
# same run, with the same pre-signed load and the same load generator (devchain_bench):
#   client   eth_chainId/s: the ceiling of the client and of each server's HTTP path
#   transfer mined ETH transfers/s through eth_sendRawTransaction, 8 senders at once, until every receipt is in
#   deposit  mined adjudicator deposits/s, the same way (each sender into its own channel)
#   call     eth_call/s on the adjudicator's holdings view, 8 connections
# Mining: interval mining (--block-time 1 and hardhat's evm_setIntervalMining 1000 ms) when sluice-devchain
# supports --block-time, automine otherwise; the devchain with --threads 1 and 2 when it supports --threads.
# Each devchain run is a fresh process (the load is signed for fresh chains). Extra arguments are passed to
# sluice-devchain. Prints a table, then as its last line one JSON object (send_tx_per_s: transfers and
# deposits together, the devchain's first configuration; call_per_s likewise; hardhat_* the same on hardhat).
#   run_bench_l1.sh SLUICE_DEVCHAIN DEVCHAIN_BENCH CONTRACTS_DIR [extra sluice-devchain flags...]
# Sizes: BENCH_LANES (8), BENCH_TRANSFERS per lane (250), BENCH_DEPOSITS per lane (125), BENCH_CALLS (20000).
set -euo pipefail
server=$1 bench=$2 contracts=$3
shift 3
extra=("$@")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../tests/l1/hardhat/peer_processes.sh
source "$here/../../tests/l1/hardhat/peer_processes.sh"
require_node_modules "$contracts"

lanes=${BENCH_LANES:-8} transfers=${BENCH_TRANSFERS:-250} deposits=${BENCH_DEPOSITS:-125} calls=${BENCH_CALLS:-20000}
load=$(mktemp -d)
trap 'stop_peers; rm -rf "$load"' EXIT
echo "signing the load: $lanes lanes x ($transfers transfers, $deposits deposits)" >&2
node "$here/sign_load.js" "$contracts" "$load" "$lanes" "$transfers" "$deposits"
call_to=$(node -e 'console.log(require(process.argv[1]).to)' "$load/call.json")
call_data=$(node -e 'console.log(require(process.argv[1]).data)' "$load/call.json")

help=$("$server" --help)
interval=false threads=(default)
grep -q -- '--block-time' <<<"$help" && interval=true
grep -q -- '--threads' <<<"$help" && threads=(1 2)

rpc() {  # rpc URL METHOD PARAMS_JSON (node's fetch: no other HTTP client is needed)
  node -e 'fetch(process.argv[1], { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: process.argv[2], params: JSON.parse(process.argv[3]) }) })
    .then((r) => r.json()).then((j) => { if (j.error) { console.error(JSON.stringify(j.error)); process.exit(1); } })' "$@"
}
per_s() { sed -n 's/.*"per_s":\([0-9.e+]*\).*/\1/p' <<<"$1"; }
seconds() { sed -n 's/.*"seconds":\([0-9.e+]*\).*/\1/p' <<<"$1"; }

# measure NAME URL: runs the four measurements, sets R_client R_transfer R_deposit R_call R_send.
measure() {
  local name=$1 url=$2 out t_out d_out
  "$bench" --url "$url" --method send --raw "$load/setup.txt" >/dev/null
  out=$("$bench" --url "$url" --method chain-id --requests "$calls"); R_client=$(per_s "$out")
  t_out=$("$bench" --url "$url" --method send --raw "$load/transfers.txt"); R_transfer=$(per_s "$t_out")
  d_out=$("$bench" --url "$url" --method send --raw "$load/deposits.txt"); R_deposit=$(per_s "$d_out")
  R_send=$(awk -v n=$((lanes * (transfers + deposits))) -v a="$(seconds "$t_out")" -v b="$(seconds "$d_out")" \
    'BEGIN { printf "%.1f", n / (a + b) }')
  out=$("$bench" --url "$url" --method call --to "$call_to" --data "$call_data" --requests "$calls")
  R_call=$(per_s "$out")
  printf '%-28s %12.0f %12.0f %12.0f %12.0f %12.0f\n' "$name" "$R_client" "$R_transfer" "$R_deposit" "$R_send" \
    "$R_call" >>"$load/table"
}

start_hardhat "$contracts"
if $interval; then
  rpc "$HARDHAT_URL" evm_setAutomine '[false]' >/dev/null
  rpc "$HARDHAT_URL" evm_setIntervalMining '[1000]' >/dev/null
  mode="interval mining, 1 s blocks"
else
  mode="automine (sluice-devchain has no --block-time)"
fi
echo "measuring hardhat node ($mode)" >&2
measure "hardhat node" "$HARDHAT_URL"
H_send=$R_send H_call=$R_call H_transfer=$R_transfer H_deposit=$R_deposit H_client=$R_client
kill "$HARDHAT_PID"; wait "$HARDHAT_PID" 2>/dev/null || true

json_extra=""
first=true
for t in "${threads[@]}"; do
  flags=("${extra[@]}")
  $interval && flags+=(--block-time 1)
  [ "$t" != default ] && flags+=(--threads "$t")
  start_devchain "$server" "${flags[@]}"
  label="sluice-devchain${flags[*]:+ ${flags[*]}}"
  echo "measuring $label" >&2
  measure "$label" "$DEVCHAIN_URL"
  if $first; then D_send=$R_send D_call=$R_call D_transfer=$R_transfer D_deposit=$R_deposit D_client=$R_client; first=false; fi
  [ "$t" != default ] && json_extra+=",\"send_tx_per_s_threads_$t\":$R_send,\"call_per_s_threads_$t\":$R_call"
  kill "$DEVCHAIN_PID"; wait "$DEVCHAIN_PID" 2>/dev/null || true
done

echo
echo "bench-l1 ($mode; $lanes senders, $((lanes * transfers)) transfers, $((lanes * deposits)) deposits, $calls calls, per second)"
printf '%-28s %12s %12s %12s %12s %12s\n' node "chainId/s" "transfer/s" "deposit/s" "send tx/s" "eth_call/s"
cat "$load/table"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "devchain / hardhat: send $(ratio "$D_send" "$H_send")x, call $(ratio "$D_call" "$H_call")x (goal: 10x each)"
printf '{"send_tx_per_s":%s,"hardhat_send_tx_per_s":%s,"call_per_s":%s,"hardhat_call_per_s":%s,' \
  "$D_send" "$H_send" "$D_call" "$H_call"
printf '"transfer_tx_per_s":%s,"hardhat_transfer_tx_per_s":%s,"deposit_tx_per_s":%s,"hardhat_deposit_tx_per_s":%s,' \
  "$D_transfer" "$H_transfer" "$D_deposit" "$H_deposit"
printf '"chain_id_per_s":%s,"hardhat_chain_id_per_s":%s,"send_ratio":%s,"call_ratio":%s,"interval_mining":%s%s}\n' \
  "$D_client" "$H_client" "$(ratio "$D_send" "$H_send")" "$(ratio "$D_call" "$H_call")" "$interval" "$json_extra"
