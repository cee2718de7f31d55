# The e2e harness, sourced by the e2e scripts (like CLN's node_factory, in bash): a sluice-devchain on a free
# loopback port, sluiced processes on their own data dirs and free ports, sluice-cli to drive them, and a
# cleanup that kills by pid whatever is still running (the logs are kept when a script fails).
#
#   BIN=dir-of-sluiced-and-sluice-cli DEVCHAIN=path-of-sluice-devchain; source harness.sh
CLI=$BIN/sluice-cli SLUICED=$BIN/sluiced
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-e2e.XXXXXX")
PIDS=()
cleanup() {
  local rc=$?
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  if [ $rc -ne 0 ]; then
    echo "${HARNESS_TAG:-e2e}: FAILED (rc $rc); logs kept in $WORK" >&2
    for f in "$WORK"/*.out; do echo "--- $f" >&2; tail -15 "$f" >&2; done
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
fail() { echo "${HARNESS_TAG:-e2e}: $*" >&2; exit 1; }
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

start_node() {  # name dev_key extra flags... (LISTEN_PORT, RPC_PORT: fixed ports, else free ones)
  local name=$1 key=$2; shift 2
  rm -f "$WORK/$name/rpc.port"
  "$SLUICED" --datadir "$WORK/$name" --l1-rpc "$L1" --dev-key "$key" --listen-port "${LISTEN_PORT:-0}" --rpc-port "${RPC_PORT:-0}" \
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

wait_open() {  # node channel
  for _ in $(seq 600); do
    [ "$(cli "$1" listchannels | jq -r --arg c "$2" '.[] | select(.channel_id == $c) | .status')" = open ] && return 0
    sleep 0.05
  done
  fail "$1: channel $2 not open"
}
# The L1 balance of an address, in wei (decimal).
l1_balance() {
  local hex
  hex=$(curl -s -H 'Content-Type: application/json' \
    --data "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getBalance\",\"params\":[\"$1\",\"latest\"]}" "$L1" |
    jq -r .result)
  python3 -c "print(int('$hex', 16))"
}
l1_block() {
  curl -s -H 'Content-Type: application/json' --data '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}' \
    "$L1" | jq -r .result | python3 -c "import sys; print(int(sys.stdin.read(), 16))"
}
# What ADDRESS paid in transaction fees in blocks FROM..TO (gasUsed × effectiveGasPrice of its receipts).
l1_fees() {
  local who=${1,,} from=$2 to=$3 total=0 n hashes h receipt
  for n in $(seq "$from" "$to"); do
    hashes=$(curl -s -H 'Content-Type: application/json' \
      --data "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getBlockByNumber\",\"params\":[\"$(printf '0x%x' "$n")\",true]}" \
      "$L1" | jq -r --arg w "$who" '.result.transactions[] | select((.from | ascii_downcase) == $w) | .hash')
    for h in $hashes; do
      receipt=$(curl -s -H 'Content-Type: application/json' \
        --data "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getTransactionReceipt\",\"params\":[\"$h\"]}" "$L1")
      total=$(python3 -c "print($total + int('$(jq -r .result.gasUsed <<<"$receipt")', 16) * int('$(jq -r .result.effectiveGasPrice <<<"$receipt")', 16))")
    done
  done
  echo "$total"
}
channel_field() {  # node channel jq-path
  cli "$1" listchannels | jq -r --arg c "$2" ".[] | select(.channel_id == \$c) | $3"
}
