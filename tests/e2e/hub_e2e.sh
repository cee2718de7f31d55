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
# a client restart keeps its channel and can pay again, /metrics counts the payments, a cooperative close
# reaches `closed` (the L1 balances after it are not checked here), SIGTERM exits 0.
set -euo pipefail
BIN=$1 DEVCHAIN=$2 PAYMENTS=${3:-100}
CLI=$BIN/sluice-cli SLUICED=$BIN/sluiced
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-e2e.XXXXXX")
PIDS=()
cleanup() {
  local rc=$?
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  if [ $rc -ne 0 ]; then
    echo "e2e: FAILED (rc $rc); logs kept in $WORK" >&2
    for f in "$WORK"/*.out; do echo "--- $f" >&2; tail -15 "$f" >&2; done
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
fail() { echo "e2e: $*" >&2; exit 1; }
wait_file() { for _ in $(seq 600); do [ -s "$1" ] && return 0; sleep 0.05; done; fail "no $1"; }
cli() { local dir=$1; shift; "$CLI" --datadir "$WORK/$dir" "$@"; }
# Expect a failure: non-zero exit and the error name in its one line.
expect_error() {
  local want=$1; shift
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  [ $rc -ne 0 ] || fail "expected $want, got success: $out"
  grep -q "$want" <<<"$out" || fail "expected $want, got: $out"
}

# The L1.
"$DEVCHAIN" --port 0 > "$WORK/devchain.out" 2>&1 &
PIDS+=($!); DEVCHAIN_PID=$!
for _ in $(seq 200); do grep -q "listening on" "$WORK/devchain.out" && break; sleep 0.05; done
L1=$(sed -n 's/.*listening on \(127.0.0.1:[0-9]*\).*/http:\/\/\1\//p' "$WORK/devchain.out" | head -1)
[ -n "$L1" ] || fail "devchain did not start"

start_node() {  # name dev_key extra flags...
  local name=$1 key=$2; shift 2
  rm -f "$WORK/$name/rpc.port"
  "$SLUICED" --datadir "$WORK/$name" --l1-rpc "$L1" --dev-key "$key" --listen-port 0 --rpc-port 0 \
    "$@" >> "$WORK/$name.out" 2>&1 &
  PIDS+=($!); eval "${name}_PID=$!"
  wait_file "$WORK/$name/rpc.port"
}
stop_node() {  # name: SIGTERM, exit code 0 required
  local pid_var="${1}_PID" rc=0
  kill -TERM "${!pid_var}"
  wait "${!pid_var}" || rc=$?
  [ $rc -eq 0 ] || fail "$1 exited $rc at SIGTERM"
}

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
wait_open() {  # node channel
  for _ in $(seq 600); do
    [ "$(cli "$1" listchannels | jq -r --arg c "$2" '.[] | select(.channel_id == $c) | .status')" = open ] && return 0
    sleep 0.05
  done
  fail "$1: channel $2 not open"
}
wait_open a "$A_CHAN"; wait_open b "$B_CHAN"; wait_open hub "$A_CHAN"; wait_open hub "$B_CHAN"
echo "e2e: channels open (A $A_CHAN, B $B_CHAN)"

# Bad input: the hub keeps serving after each.
expect_error "needs peer" cli a openchannel
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

# Balances: B got PAYMENTS+1 payments of AMOUNT from the hub's side of its channel.
b_bal=$(cli b listchannels | jq -r --arg c "$B_CHAN" '.[] | select(.channel_id == $c) | .outcome[0].balances[0]')
[ "$b_bal" = "$(( (PAYMENTS + 1) * AMOUNT ))" ] || fail "B's balance $b_bal"
# A paid each amount plus the fee the hub asks (base 1 + 1,000 ppm).
a_bal=$(cli a listchannels | jq -r --arg c "$A_CHAN" '.[] | select(.channel_id == $c) | .outcome[0].balances[0]')
[ "$a_bal" = "$(( DEPOSIT - (PAYMENTS + 1) * (AMOUNT + FEE) ))" ] || fail "A's balance $a_bal"

# Cooperative close of B's channel: B's balance lands on L1.
cli b closechannel "$B_CHAN" > /dev/null
for _ in $(seq 600); do
  [ "$(cli b listchannels | jq -r --arg c "$B_CHAN" '.[] | select(.channel_id == $c) | .status')" = closed ] && break
  sleep 0.05
done
[ "$(cli b listchannels | jq -r --arg c "$B_CHAN" '.[] | select(.channel_id == $c) | .status')" = closed ] ||
  fail "B's channel not closed"
echo "e2e: B's channel closed"

stop_node a; stop_node b; stop_node hub
kill -TERM "$DEVCHAIN_PID"; wait "$DEVCHAIN_PID" || true
PIDS=()
echo "e2e: passed"
