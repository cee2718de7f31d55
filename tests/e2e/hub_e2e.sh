#!/usr/bin/env bash
# End to end with real processes (ctest label e2e): one sluice-devchain, a hub sluiced (--hub) and two
# client sluiced processes (A pays, B is paid through the hub), each on its own data dir and free loopback
# ports, driven only through sluice-cli; every process is stopped by its own pid.
#
#   hub_e2e.sh BIN_DIR_OF_SLUICED_AND_CLI SLUICE_DEVCHAIN [PAYMENTS]
#
# Checks: channels open (client funded, hub funded toward B), PAYMENTS invoices of B paid by A through the
# hub arrive with the exact balances, the fee the hub asks is paid, bad input gets typed errors (CLI
# arguments, RPC params, no/wrong cookie, the read-only token on a write method) and the hub keeps serving,
# a flood of junk connections and RPC calls is refused while payments go on, the hub stopped and restarted
# in the middle of payments and the payer stopped with SIGTERM while paying leave no payment unresolved and
# the balances exact (what A saw succeed is what B received), a client restart keeps its channel and can
# pay again, /metrics counts the payments, a cooperative close pays B's balance on L1 to the wei, SIGTERM
# exits 0.
set -euo pipefail
BIN=$1 DEVCHAIN=$2 PAYMENTS=${3:-100}
# shellcheck source=harness.sh
source "$(dirname "$0")/harness.sh"

start_node hub 0 --hub --deploy-adjudicator --base-fee 1 --fee-ppm 1000
ADJ=$(cat "$WORK/hub/adjudicator")
HUB_ID=$(cli hub getinfo | jq -r .identity)
HUB_PORT=$(cat "$WORK/hub/peer.port")
start_node a 1 --adjudicator "$ADJ"
start_node b 2 --adjudicator "$ADJ" --invoice-hub "$HUB_ID@127.0.0.1:$HUB_PORT"
B_ID=$(cli b getinfo | jq -r .identity)

cli a connect "$HUB_ID" 127.0.0.1 "$HUB_PORT" > /dev/null
cli b connect "$HUB_ID" 127.0.0.1 "$HUB_PORT" > /dev/null
DEPOSIT=1000000000000
A_CHAN=$(cli a openchannel "$HUB_ID" $DEPOSIT 0 | jq -r .channel_id)
B_CHAN=$(cli b openchannel "$HUB_ID" 0 $DEPOSIT | jq -r .channel_id)
wait_open a "$A_CHAN"; wait_open b "$B_CHAN"; wait_open hub "$A_CHAN"; wait_open hub "$B_CHAN"
echo "e2e: channels open (A $A_CHAN, B $B_CHAN)"

# Bad input: the hub keeps serving after each.
expect_error "needs channel_id" cli a closechannel
expect_error "nosuchcommand" cli a nosuchcommand
expect_error rpc_invalid_params cli a invoice notanumber
expect_error invoice_malformed cli a pay sluice1garbage
expect_error rpc_forbidden cli hub --readonly setfees base_fee=5
cp "$WORK/hub/.cookie" "$WORK/cookie.saved"
echo "__cookie__:0000000000000000000000000000000000000000000000000000000000000000" > "$WORK/hub/.cookie"
expect_error rpc_unauthorized cli hub getinfo
rm "$WORK/hub/.cookie"
expect_error "cannot read the cookie" cli hub getinfo
mv "$WORK/cookie.saved" "$WORK/hub/.cookie"
RPC=$(cat "$WORK/hub/rpc.port")
code=$(head -c 2000000 /dev/zero | curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cut -d: -f2 "$WORK/hub/.cookie")" \
  -H 'Content-Type: application/json' --data-binary @- "http://127.0.0.1:$RPC/") || true
[ "$code" = 413 ] || fail "oversize request: HTTP $code, not 413"
cli hub getinfo > /dev/null || fail "the hub stopped serving after bad input"
echo "e2e: bad input refused with typed errors"

# PAYMENTS invoices of 1,000 wei each, A -> hub -> B.
AMOUNT=1000
FEE=$((1 + AMOUNT * 1000 / 1000000))
start=$(date +%s%N)
for i in $(seq "$PAYMENTS"); do
  inv=$(cli b invoice $AMOUNT "e2e $i" | jq -r .invoice)
  status=$(cli a pay "$inv" $FEE | jq -r .status)
  [ "$status" = succeeded ] || fail "payment $i: $status"
done
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "e2e: $PAYMENTS payments A -> hub -> B succeeded in ${took_ms} ms (each: invoice + pay, two sluice-cli processes)"
received=$(cli b listpayments | jq '[.[] | select(.direction == "incoming" and .status == "succeeded")] | length')
[ "$received" -eq "$PAYMENTS" ] || fail "B received $received of $PAYMENTS"
# /metrics with B's read-only token: B counted every payment it received.
B_RPC=$(cat "$WORK/b/rpc.port")
metric=$(curl -s -H "Authorization: Bearer $(cat "$WORK/b/readonly.token")" "http://127.0.0.1:$B_RPC/metrics")
counted=$(sed -n 's/^sluice_payments_total{direction="incoming",outcome="succeeded"} \([0-9]*\)$/\1/p' <<<"$metric")
[ "$counted" = "$PAYMENTS" ] || fail "/metrics of B: $counted incoming payments counted, not $PAYMENTS"

# A client that floods the hub: junk on its peer port and a burst of RPC calls beyond its connection limit.
# Each is refused (a junk handshake is dropped; RPC: 200 or the connection closed at the limit), and
# the hub keeps serving the others.
FLOOD=()
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$HUB_PORT" && head -c 65536 /dev/urandom >&3) 2>/dev/null &
  FLOOD+=($!)
done
HUB_RPC=$(cat "$WORK/hub/rpc.port")
HUB_COOKIE=$(cut -d: -f2 "$WORK/hub/.cookie")
seq 400 | xargs -P 100 -I{} curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $HUB_COOKIE" \
  -H 'Content-Type: application/json' --data '{"jsonrpc":"2.0","id":1,"method":"getinfo"}' \
  "http://127.0.0.1:$HUB_RPC/" > "$WORK/flood.codes" || true
for pid in "${FLOOD[@]}"; do wait "$pid" || true; done
ok=$(grep -c '^200$' "$WORK/flood.codes" || true)
other=$(grep -vc -e '^200$' -e '^000$' "$WORK/flood.codes" || true)
[ "$ok" -gt 0 ] && [ "$other" = 0 ] || fail "RPC flood: $ok answered, $other with another status than 200 or closed"
inv=$(cli b invoice $AMOUNT after-flood | jq -r .invoice)
[ "$(cli a pay "$inv" $FEE | jq -r .status)" = succeeded ] || fail "no payment after the flood"
echo "e2e: a flood of junk connections and $(wc -l < "$WORK/flood.codes") RPC calls ($ok answered); payments go on"

# Every payment A made is resolved (none pending or locked) within a bound; prints succeeded/failed.
settled_counts() {
  for _ in $(seq 1200); do
    if [ "$(cli a listpayments | jq '[.[] | select(.direction == "outgoing" and (.status == "pending" or .status == "locked"))] | length')" = 0 ]; then
      cli a listpayments | jq -r '[([.[] | select(.direction == "outgoing" and .status == "succeeded")] | length),
                                    ([.[] | select(.direction == "outgoing" and .status == "failed")] | length)] | join(" ")'
      return 0
    fi
    sleep 0.25
  done
  fail "A's payments are still unresolved: $(cli a listpayments | jq -c '[.[] | select(.status == "pending" or .status == "locked") | .status]')"
}
# Payments submitted one after another (wait=false) from the background while something is stopped.
pay_in_background() {  # count tag
  local invs=()
  for i in $(seq "$1"); do invs+=("$(cli b invoice $AMOUNT "$2 $i" | jq -r .invoice)"); done
  ( for inv in "${invs[@]}"; do cli a pay "$inv" $FEE false > /dev/null 2>&1 || true; sleep 0.02; done ) &
  BG=$!
}

# A hub restart in the middle of payments: stopped (SIGTERM) and started again on its ports. Not SIGKILL yet:
# after a SIGKILL of the hub one of A's payments can stay locked until its lock expires (seen once in CI-like
# runs, 2026-12-04; an open bug of #14, in the closing note).
read -r before_ok before_failed <<<"$(settled_counts)"
pay_in_background 60 hub-restart
sleep 0.6
stop_node hub
LISTEN_PORT=$HUB_PORT RPC_PORT=$HUB_RPC start_node hub 0 --hub --adjudicator "$ADJ" --base-fee 1 --fee-ppm 1000
wait "$BG" || true
read -r ok failed <<<"$(settled_counts)"
echo "e2e: hub stopped and restarted during 60 payments: $((ok - before_ok)) succeeded, $((failed - before_failed)) failed, none left pending"
[ $((ok - before_ok)) -gt 0 ] || fail "no payment succeeded around the hub's restart"

# SIGTERM of the payer while it pays: it exits 0 in its grace time; after its restart nothing is pending.
read -r before_ok before_failed <<<"$(settled_counts)"
pay_in_background 40 payer-sigterm
sleep 0.4
stop_node a
wait "$BG" || true
start_node a 1 --adjudicator "$ADJ"
cli a connect "$HUB_ID" 127.0.0.1 "$HUB_PORT" > /dev/null
wait_open a "$A_CHAN"
read -r ok failed <<<"$(settled_counts)"
echo "e2e: A stopped with SIGTERM while paying (exit 0): of what it took before it stopped, $((ok - before_ok)) succeeded, $((failed - before_failed)) failed, none left pending"

# A client restart: B keeps its channel and is paid again.
stop_node b
start_node b 2 --adjudicator "$ADJ" --invoice-hub "$HUB_ID@127.0.0.1:$HUB_PORT"
# A client dials its hub (its own listen port is new after a restart).
cli b connect "$HUB_ID" 127.0.0.1 "$HUB_PORT" > /dev/null
wait_open b "$B_CHAN"
inv=$(cli b invoice $AMOUNT after-restart | jq -r .invoice)
paid=$(cli a pay "$inv" $FEE)
[ "$(jq -r .status <<<"$paid")" = succeeded ] || fail "payment after B's restart: $paid"
echo "e2e: B restarted and was paid again"

# Balances: every payment A saw succeed (and no other) reached B, AMOUNT each from the hub's side of B's
# channel; A paid each amount plus the fee the hub asks (base 1 + 1,000 ppm).
read -r ok failed <<<"$(settled_counts)"
received=$(cli b listpayments | jq '[.[] | select(.direction == "incoming" and .status == "succeeded")] | length')
[ "$received" = "$ok" ] || fail "B received $received payments, A saw $ok succeed"
b_bal=$(channel_field b "$B_CHAN" '.outcome[0].balances[0]')
[ "$b_bal" = "$(( ok * AMOUNT ))" ] || fail "B's balance $b_bal, not $ok × $AMOUNT"
a_bal=$(channel_field a "$A_CHAN" '.outcome[0].balances[0]')
[ "$a_bal" = "$(( DEPOSIT - ok * (AMOUNT + FEE) ))" ] || fail "A's balance $a_bal after $ok payments"
for n in a hub; do
  locks=$(cli "$n" listchannels | jq '[.[] | .outcome[0].locks | length] | add')
  [ "$locks" = 0 ] || fail "$n still has $locks locks in its channels"
done
echo "e2e: balances exact after $ok succeeded and $failed failed payments"

# Cooperative close of B's channel: B's balance lands on its L1 account, to the wei after B's own fees.
B_L1_BEFORE=$(l1_balance "$B_ID")
CLOSE_START=$(l1_block)
cli b closechannel "$B_CHAN" > /dev/null
for _ in $(seq 600); do
  [ "$(cli b listchannels | jq -r --arg c "$B_CHAN" '.[] | select(.channel_id == $c) | .status')" = closed ] && break
  sleep 0.05
done
[ "$(cli b listchannels | jq -r --arg c "$B_CHAN" '.[] | select(.channel_id == $c) | .status')" = closed ] ||
  fail "B's channel not closed"
sleep 0.5
b_fees=$(l1_fees "$B_ID" $((CLOSE_START + 1)) "$(l1_block)")
b_gained=$(python3 -c "print($(l1_balance "$B_ID") - $B_L1_BEFORE + $b_fees)")
[ "$b_gained" = "$b_bal" ] || fail "B got $b_gained on L1 (its fees $b_fees added back), not its balance $b_bal"
echo "e2e: B's channel closed; B holds its $b_bal wei on L1"

stop_node a; stop_node b; stop_node hub
kill -TERM "$DEVCHAIN_PID"; wait "$DEVCHAIN_PID" || true
PIDS=()
echo "e2e: passed"
