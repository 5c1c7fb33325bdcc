#!/usr/bin/env bash
# perf/pairs.sh — flat-out durable acks of two corpexd builds, interleaved.
#
# Each run starts a fresh corpexd (fresh data dir, fsync on, default group
# commit) of build A or B and drives it flat out with B's corpex-load
# (8 members, 64 requests in flight each, 8 s); runs alternate A, B, A, B...
# so both see the same minutes of this shared machine. Prints per pair the
# acks/s and corpexd's CPU time (clock ticks, /proc/PID/stat) for each.
#
# usage: perf/pairs.sh BUILD_A BUILD_B [PAIRS]   (e.g. /tmp/base/build build 3)
set -euo pipefail
if [ $# -lt 2 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
  sed -n '2,/^# usage/p' "$0" | sed 's/^# \{0,1\}//'; exit 0
fi
A=$1 B=$2 PAIRS=${3:-3}
LOAD=$B/tools/corpex-load
for b in "$A/gateway/corpexd" "$B/gateway/corpexd" "$LOAD"; do
  [ -x "$b" ] || { echo "pairs.sh: $b not built" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "pairs.sh: needs jq (apt-get install jq)" >&2; exit 1; }
W=$(mktemp -d /tmp/corpex-pairs-XXXXXX)
trap 'rm -rf "$W"' EXIT
run() {
  rm -rf "$W/data"
  cat >"$W/config.json" <<EOC
{"listen": "127.0.0.1:0", "data_dir": "$W/data",
 "accounts": [{"user": "ops", "role": "operator", "secret": "pairs-operator"}],
 "limits": {"orders_per_second": 10000000, "max_open_orders": 10000000, "send_queue": 1000000}}
EOC
  "$1/gateway/corpexd" --config "$W/config.json" >"$W/log" 2>&1 &
  local pid=$! port=
  for _ in $(seq 100); do
    port=$(grep -o 'listening on [0-9.]*:[0-9]*' "$W/log" 2>/dev/null | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { echo "pairs.sh: corpexd did not start: $(cat "$W/log")" >&2; exit 1; }
  local t0 t1 acks
  t0=$(awk '{print $14+$15}' "/proc/$pid/stat")
  acks=$("$LOAD" --url "ws://127.0.0.1:$port/v1" --user ops --secret pairs-operator --json \
           --members 8 --window 64 --duration 8 2>/dev/null | jq '.acks_per_second | floor')
  t1=$(awk '{print $14+$15}' "/proc/$pid/stat")
  kill -TERM "$pid"; wait "$pid" || true
  echo "$acks acks/s, $((t1 - t0)) ticks"
}
for i in $(seq "$PAIRS"); do
  a=$(run "$A"); b=$(run "$B")
  echo "pair $i: A $a | B $b"
done
