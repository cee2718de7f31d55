#!/usr/bin/env bash
# A channel relayed by a hub in a star, end to end with real processes (ctest label e2e): one sluice-devchain,
# a hub sluiced (--hub) and five client sluiced processes, each connected to the hub only (--relay-via the
# hub), driven through sluice-cli and stopped by pid.
#
#   star_e2e.sh BIN_DIR_OF_SLUICED_AND_CLI SLUICE_DEVCHAIN
#
# Checks: a 5-party channel the hub is not part of opens with every client's deposit on L1, although no two
# clients have a connection; five invoices paid around the ring inside it (each one an AddLock and a
# SettleLock update, all relayed by the hub) leave every client with the same, exact balances; the hub
# relayed and refused nothing and holds no record of the channel; a cooperative close pays each client its
# final balance on L1, to the wei after the fees it paid itself.
set -euo pipefail
BIN=$1 DEVCHAIN=$2
# shellcheck source=harness.sh
source "$(dirname "$0")/harness.sh"

N=5 DEPOSIT=1000000 AMOUNT=1000
start_node hub 0 --hub --deploy-adjudicator
ADJ=$(cat "$WORK/hub/adjudicator")
HUB_ID=$(cli hub getinfo | jq -r .identity)
HUB_PORT=$(cat "$WORK/hub/peer.port")
IDS=()
for i in $(seq "$N"); do
  start_node "c$i" $((i + 2)) --adjudicator "$ADJ" --relay-via "$HUB_ID"
  IDS+=("$(cli "c$i" getinfo | jq -r .identity)")
  cli "c$i" connect "$HUB_ID" 127.0.0.1 "$HUB_PORT" > /dev/null
done
for i in $(seq "$N"); do
  peers=$(cli "c$i" listpeers | jq -r '[.[] | select(.connected) | .identity] | join(",")')
  [ "$peers" = "$HUB_ID" ] || fail "c$i is connected to $peers, not to the hub alone"
done

START_BLOCK=$(l1_block)
before_open=()
for i in $(seq "$N"); do before_open+=("$(l1_balance "${IDS[$((i - 1))]}")"); done
others=$(IFS=,; echo "${IDS[*]:1}")
amounts=$(printf "$DEPOSIT,%.0s" $(seq "$N")); amounts=${amounts%,}
CHAN=$(cli c1 openchannel peers="$others" amounts="$amounts" | jq -r .channel_id)
for i in $(seq "$N"); do wait_open "c$i" "$CHAN"; done
OPEN_BLOCK=$(l1_block)
for i in $(seq "$N"); do
  id=${IDS[$((i - 1))]}
  spent=$(python3 -c "print(${before_open[$((i - 1))]} - $(l1_balance "$id"))")
  fees=$(l1_fees "$id" $((START_BLOCK + 1)) "$OPEN_BLOCK")
  [ "$spent" = "$(python3 -c "print($DEPOSIT + $fees)")" ] || fail "c$i spent $spent on L1 to open, not $DEPOSIT + fees $fees"
done
echo "e2e: a $N-party channel $CHAN opened through the hub, every deposit on L1"
[ -z "$(channel_field hub "$CHAN" .status)" ] || fail "the hub has a record of a channel it only relays"

# Five invoices around the ring: c_i pays c_(i+1) i × AMOUNT, directly in the channel (no fee).
for i in $(seq "$N"); do
  next=$(( i % N + 1 ))
  inv=$(cli "c$next" invoice $((i * AMOUNT)) "ring $i" | jq -r .invoice)
  paid=$(cli "c$i" pay "$inv")
  [ "$(jq -r .status <<<"$paid")" = succeeded ] || fail "c$i -> c$next: $paid"
done
expected=()
for i in $(seq "$N"); do
  prev=$(( (i + N - 2) % N + 1 ))
  expected+=($(( DEPOSIT - i * AMOUNT + prev * AMOUNT )))
done
for i in $(seq "$N"); do
  for _ in $(seq 200); do
    [ "$(channel_field "c$i" "$CHAN" '.outcome[0].balances | join(",")')" = "$(IFS=,; echo "${expected[*]}")" ] && break
    sleep 0.05
  done
  got=$(channel_field "c$i" "$CHAN" '.outcome[0].balances | join(",")')
  [ "$got" = "$(IFS=,; echo "${expected[*]}")" ] || fail "c$i sees balances $got, not ${expected[*]}"
done
relayed=$(cli hub getinfo | jq -r .relayed)
[ "$relayed" -gt 0 ] || fail "the hub relayed nothing"
[ "$(cli hub getinfo | jq -r .bad_messages)" = 0 ] || fail "the hub refused messages"
echo "e2e: $N payments inside the channel, every client agrees on ${expected[*]} (the hub relayed $relayed messages)"

# Cooperative close: each client's final balance lands on its L1 account.
before_close=()
for i in $(seq "$N"); do before_close+=("$(l1_balance "${IDS[$((i - 1))]}")"); done
CLOSE_START=$(l1_block)
cli c1 closechannel "$CHAN" > /dev/null
for i in $(seq "$N"); do
  for _ in $(seq 600); do [ "$(channel_field "c$i" "$CHAN" .status)" = closed ] && break; sleep 0.05; done
  [ "$(channel_field "c$i" "$CHAN" .status)" = closed ] || fail "c$i: the channel is not closed"
done
sleep 0.5  # the last withdrawal's block
CLOSE_END=$(l1_block)
for i in $(seq "$N"); do
  id=${IDS[$((i - 1))]}
  fees=$(l1_fees "$id" $((CLOSE_START + 1)) "$CLOSE_END")
  gained=$(python3 -c "print($(l1_balance "$id") - ${before_close[$((i - 1))]} + $fees)")
  [ "$gained" = "${expected[$((i - 1))]}" ] || fail "c$i got $gained on L1 (fees $fees added back), not ${expected[$((i - 1))]}"
done
echo "e2e: closed; every client holds its final balance on L1"

for i in $(seq "$N"); do stop_node "c$i"; done
stop_node hub
kill -TERM "$DEVCHAIN_PID"; wait "$DEVCHAIN_PID" || true
PIDS=()
echo "e2e: passed"
