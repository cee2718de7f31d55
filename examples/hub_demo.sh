#!/usr/bin/env bash
# The product as an operator and its users run it: a sluice-devchain, a hub sluiced and three client sluiced
# processes (alice, bob, carol), driven only through sluice-cli, every one stopped by its own pid at the end.
# Clients open channels with the hub funded on L1, pay invoices through the hub, share a 3-party channel that
# the hub relays (they have no connection with each other), close everything cooperatively, and the L1
# balances before and after are printed.
#
#   hub_demo.sh BIN_DIR_OF_SLUICED_AND_CLI SLUICE_DEVCHAIN
set -euo pipefail
BIN=$1 DEVCHAIN=$2
HARNESS_TAG=demo
# shellcheck source=../tests/e2e/harness.sh
source "$(dirname "$0")/../tests/e2e/harness.sh"
say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
eth() { python3 -c "print(f'{$1 / 10**18:.6f} ETH')"; }
ETH=1000000000000000000

say "1. An L1 devchain, a hub (fee: 1 gwei + 0.1 %) and three clients, each its own process"
start_node hub 0 --hub --deploy-adjudicator --base-fee 1000000000 --fee-ppm 1000
ADJ=$(cat "$WORK/hub/adjudicator")
HUB_ID=$(cli hub getinfo | jq -r .identity)
HUB_PORT=$(cat "$WORK/hub/peer.port")
NAMES=(alice bob carol)
declare -A ID BEFORE
for i in 0 1 2; do
  n=${NAMES[$i]}
  start_node "$n" $((i + 1)) --adjudicator "$ADJ" --invoice-hub "$HUB_ID@127.0.0.1:$HUB_PORT"
  ID[$n]=$(cli "$n" getinfo | jq -r .identity)
  cli "$n" connect "$HUB_ID" 127.0.0.1 "$HUB_PORT" > /dev/null
  BEFORE[$n]=$(l1_balance "${ID[$n]}")
  echo "   $n ${ID[$n]}  L1: $(eth "${BEFORE[$n]}")"
done
echo "   hub   $HUB_ID  adjudicator $ADJ"

say "2. Channels with the hub, deposits on L1 (each client 1 ETH, the hub 1 ETH toward each)"
declare -A CHAN
for n in "${NAMES[@]}"; do
  CHAN[$n]=$(cli "$n" openchannel "$HUB_ID" $ETH $ETH | jq -r .channel_id)
done
for n in "${NAMES[@]}"; do wait_open "$n" "${CHAN[$n]}"; wait_open hub "${CHAN[$n]}"; echo "   $n <-> hub: ${CHAN[$n]} open"; done

say "3. Invoices paid through the hub"
pay_through_hub() {  # payer payee amount
  local inv fee paid
  inv=$(cli "$2" invoice "$3" "from $1" | jq -r .invoice)
  fee=$((1000000000 + $3 / 1000))
  paid=$(cli "$1" pay "$inv" $fee)
  [ "$(jq -r .status <<<"$paid")" = succeeded ] || fail "$1 -> $2: $paid"
  echo "   $1 paid $2 $(eth "$3") (+ $(eth $fee) to the hub): $(jq -r .status <<<"$paid")"
}
pay_through_hub alice carol 100000000000000000
pay_through_hub bob alice 250000000000000000
pay_through_hub carol bob 50000000000000000

say "4. A 3-party channel alice, bob, carol, relayed by the hub (no client connects to another)"
GROUP=$(cli alice openchannel peers="${ID[bob]},${ID[carol]}" amounts=$ETH,$ETH,$ETH | jq -r .channel_id)
for n in "${NAMES[@]}"; do wait_open "$n" "$GROUP"; done
echo "   $GROUP open, funded by all three on L1"
pay_in_group() {  # payer payee amount
  local inv paid
  inv=$(cli "$2" invoice "$3" "group" | jq -r .invoice)
  paid=$(cli "$1" pay "$inv")
  [ "$(jq -r .status <<<"$paid")" = succeeded ] || fail "$1 -> $2 in the group: $paid"
}
pay_in_group alice bob 300000000000000000
pay_in_group bob carol 200000000000000000
pay_in_group carol alice 100000000000000000
echo "   alice -> bob 0.3, bob -> carol 0.2, carol -> alice 0.1 ETH: balances $(channel_field alice "$GROUP" '.outcome[0].balances | join(", ")') wei"
[ -z "$(channel_field hub "$GROUP" .status)" ] || fail "the hub has a record of a channel it only relays"
echo "   the hub relayed $(cli hub getinfo | jq -r .relayed) messages and holds no record of the channel"

say "5. Everything closes cooperatively: final states concluded and withdrawn on L1"
for n in "${NAMES[@]}"; do cli "$n" closechannel "${CHAN[$n]}" > /dev/null; done
cli alice closechannel "$GROUP" > /dev/null
for n in "${NAMES[@]}"; do
  for c in "${CHAN[$n]}" "$GROUP"; do
    for _ in $(seq 600); do [ "$(channel_field "$n" "$c" .status)" = closed ] && break; sleep 0.05; done
    [ "$(channel_field "$n" "$c" .status)" = closed ] || fail "$n: $c not closed"
  done
done
sleep 0.5
for n in "${NAMES[@]}"; do
  after=$(l1_balance "${ID[$n]}")
  echo "   $n L1: $(eth "${BEFORE[$n]}") -> $(eth "$after")  ($(python3 -c "print(f'{($after - ${BEFORE[$n]}) / 10**18:+.6f}')") ETH, gas included)"
done

for n in "${NAMES[@]}"; do stop_node "$n"; done
stop_node hub
kill -TERM "$DEVCHAIN_PID"; wait "$DEVCHAIN_PID" || true
PIDS=()
say "demo: a hub and three clients paid, shared a relayed channel and settled on L1; every process stopped"
