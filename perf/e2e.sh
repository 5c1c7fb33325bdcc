#!/usr/bin/env bash
# perf/e2e.sh — corpex end to end: the real corpexd (RocksDB, fsync on, group
# commit) driven by corpex-load over loopback WebSocket, on this machine.
#
# Each measurement starts a fresh corpexd; a run measures, in order:
#   flat out     8 members, 64 requests in flight each: sustained orders/s
#   5k/20k/50k   8 members, open loop at that offered rate (latency counted
#                from each order's due time): order->ack p50/p99/p99.9
#   RSS          a fresh corpexd given 1,000,000 resting orders: VmRSS and
#                VmHWM (peak) of corpexd afterwards
# and prints every run, then the medians, after the disk's own fdatasync
# latency (perf/fsync_probe) in the same directory: the floor under every
# durable acknowledgement. The load generator shares the two cores with
# corpexd, as it would not in production, so throughput is understated.
#
# corpexd runs with its default config but for the limits, unless
# --commit-interval-us sets its group commit pacing (0: back to back).
# With --durability replicated or replicated_sync, each measurement runs a
# leader and one hot standby (both on this machine) elected through an etcd
# this script starts; the load goes to the leader, which acks as the mode says.
#
# With --stages, each rate's run is followed by where its acks' time went:
# corpexd's per-stage histograms (GET /metrics, corpex_stage_seconds: frame
# read -> decoded -> engine done -> group commit started -> durable -> ack
# handed to the socket) and corpex-load's own lateness in sending; with
# --rates only those offered rates are run (no flat out, no RSS).
# --corpexd-prefix and --load-prefix put a command before each (e.g.
# "taskset -c 0", "nice -n 10", "env VAR=value"): perf/tail_pairs.sh compares
# two such setups in interleaved runs. --tick-us is corpex-load's: the rated
# runs wake at most once a tick (default 250; 0 wakes for each order, whose
# ~20,000 timer wake-ups/s at 20 k/s make this VM's host take ~0.5-0.9 s of
# CPU from it per 10 s run, freezing corpexd too: perf/README.md). With --stages each rated run also prints
# the group commits' own p50/p99/max (the disk) and the CPU time the host
# took from this VM meanwhile (steal: the VM frozen, not any one stage).
#
# usage: perf/e2e.sh [--runs N] [--seconds S] [--build DIR] [--resting N] [--commit-interval-us US]
#                    [--durability local|replicated|replicated_sync] [--stages] [--rates "5000 20000"]
#                    [--corpexd-prefix CMD] [--load-prefix CMD] [--tick-us T]
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=5 SECONDS_PER=10 BUILD=build RESTING=1000000 PACING= PACING_US= DURABILITY=local STAGES= RATES= DPREFIX= LPREFIX= TICK_US=250
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --seconds) SECONDS_PER=$2; shift 2 ;;
    --build) BUILD=$2; shift 2 ;;
    --resting) RESTING=$2; shift 2 ;;
    --commit-interval-us) PACING="\"commit_interval_us\": $2,"; PACING_US=$2; shift 2 ;;
    --durability) DURABILITY=$2; shift 2 ;;
    --stages) STAGES=1; shift ;;
    --rates) RATES=$2; shift 2 ;;
    --corpexd-prefix) DPREFIX=$2; shift 2 ;;
    --load-prefix) LPREFIX=$2; shift 2 ;;
    --tick-us) TICK_US=$2; shift 2 ;;
    -h|--help) sed -n '2,/^# usage/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "e2e.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
CORPEXD=$BUILD/gateway/corpexd LOAD=$BUILD/tools/corpex-load PROBE=$BUILD/perf/fsync_probe
for b in "$CORPEXD" "$LOAD" "$PROBE"; do
  [ -x "$b" ] || { echo "e2e.sh: $b not built (make build)" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "e2e.sh: needs jq (apt-get install jq)" >&2; exit 1; }

case "$DURABILITY" in local|replicated|replicated_sync) ;; *) echo "e2e.sh: --durability local|replicated|replicated_sync" >&2; exit 2 ;; esac

WORK=$(mktemp -d /tmp/corpex-e2e-XXXXXX)
PID= STANDBY= ETCD= STARTS=0 EPORT= CLUSTER=
cleanup() {
  for p in $PID $STANDBY $ETCD; do { kill -9 "$p"; wait "$p" || true; } 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ "$DURABILITY" != local ]; then
  command -v etcd >/dev/null || { echo "e2e.sh: needs etcd (make deps installs etcd-server)" >&2; exit 1; }
  EPORT=$((20000 + $$ % 20000))
  etcd --name e2e --data-dir "$WORK/etcd" --listen-client-urls "http://127.0.0.1:$EPORT" \
    --advertise-client-urls "http://127.0.0.1:$EPORT" --listen-peer-urls "http://127.0.0.1:$((EPORT + 1))" \
    --initial-advertise-peer-urls "http://127.0.0.1:$((EPORT + 1))" \
    --initial-cluster "e2e=http://127.0.0.1:$((EPORT + 1))" >"$WORK/etcd.log" 2>&1 &
  ETCD=$!
  sleep 1.5
fi

# Writes node $1's config; in a cluster, a fresh cluster id per start.
write_config() {
  if [ "$DURABILITY" != local ]; then
    CLUSTER="\"durability\": \"$DURABILITY\", \"cluster\": {\"name\": \"$1\", \"etcd\": \"127.0.0.1:$EPORT\", \"replication_listen\": \"127.0.0.1:0\", \"id\": \"e2e$STARTS\"},"
  fi
  cat >"$WORK/$1.json" <<EOF
{"listen": "127.0.0.1:0", "data_dir": "$WORK/data-$1", $PACING $CLUSTER
 "accounts": [{"user": "ops", "role": "operator", "secret": "e2e-operator"}],
 "limits": {"orders_per_second": 10000000, "max_open_orders": 10000000, "send_queue": 1000000}}
EOF
}

wait_line() {  # FILE PATTERN: waits up to 10 s for the pattern in the file
  for _ in $(seq 200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done
  echo "e2e.sh: no \"$2\" in $1: $(cat "$1")" >&2
  exit 1
}

start_corpexd() {
  for p in $PID $STANDBY; do { kill -TERM "$p"; wait "$p" || true; } 2>/dev/null; done
  STANDBY=
  rm -rf "$WORK"/data-*
  STARTS=$((STARTS + 1))
  write_config leader
  $DPREFIX "$CORPEXD" --config "$WORK/leader.json" >"$WORK/corpexd.log" 2>&1 &
  PID=$!
  wait_line "$WORK/corpexd.log" 'listening on'
  PORT=$(grep -o 'listening on [0-9.]*:[0-9]*' "$WORK/corpexd.log" | grep -o '[0-9]*$')
  [ "$DURABILITY" = local ] && return 0
  wait_line "$WORK/corpexd.log" 'leads cluster'
  write_config standby
  "$CORPEXD" --config "$WORK/standby.json" >"$WORK/standby.log" 2>&1 &
  STANDBY=$!
  wait_line "$WORK/corpexd.log" 'is the successor'
}

# corpexd's stage quantiles (us) as "stage p50/p99/p99.9" cells, and the load's send lag.
stage_cells() {  # LOAD_JSON
  local m
  m=$(curl -s "http://127.0.0.1:$PORT/metrics")
  for st in decode sequence commit_wait commit release; do
    printf '%s %s/%s/%s  ' "$st" \
      $(for q in 0.5 0.99 0.999; do
          awk -v k="corpex_stage_seconds{stage=\"$st\",quantile=\"$q\"}" '$1 == k {printf "%d\n", $2 * 1e6}' <<<"$m"
        done)
  done
  printf 'group_commit p50/p99/max %s/%s/%s  ' \
    $(for q in 0.5 0.99 1; do
        awk -v k="corpex_group_commit_seconds{quantile=\"$q\"}" '$1 == k {printf "%d\n", $2 * 1e6}' <<<"$m"
      done)
  jq -r '"load-send \(.send_lag_us.p50|floor)/\(.send_lag_us.p99|floor)/\(.send_lag_us["p99.9"]|floor)"' <<<"$1" | tr -d '\n'
  echo "  steal ${2}ms"
}

# CPU time the host took from this VM (all vCPUs, /proc/stat's steal), in ms.
steal_ms() { awk '/^cpu / {print $9 * 10}' /proc/stat; }

load() {  # corpex-load's --json line for these extra arguments
  $LPREFIX "$LOAD" --url "ws://127.0.0.1:$PORT/v1" --user ops --secret e2e-operator --json "$@" 2>/dev/null
}

median() { sort -n | awk '{v[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

declare -A COL
record() { COL[$1]+="$2"$'\n'; }

FLOOR=$("$PROBE" --dir "$WORK" --count 10000 --gap-us 1000 --bytes 8000)
echo "disk floor: $FLOOR"
printf '%-4s %12s | %-26s | %-26s | %-26s | %9s %9s\n' run "flat ord/s" \
  "5k: p50/p99/p99.9 us" "20k: p50/p99/p99.9 us" "50k: p50/p99/p99.9 us" "RSS MiB" "peak MiB"
for run in $(seq "$RUNS"); do
  if [ -z "$RATES" ]; then
    start_corpexd
    flat=$(load --members 8 --window 64 --duration "$SECONDS_PER" | jq '.acks_per_second | floor')
    record flat "$flat"
  fi
  cells=()
  for rate in ${RATES:-5000 20000 50000}; do
    start_corpexd  # not behind the flushes and compactions of the run before
    st0=$(steal_ms)
    tick=(); [ "$TICK_US" -gt 0 ] && tick=(--tick-us "$TICK_US")
    j=$(load --members 8 --window 512 --rate "$rate" "${tick[@]}" --duration "$SECONDS_PER")
    st1=$(steal_ms)
    read -r p50 p99 p999 ach < <(jq -r '[.latency_us.p50, .latency_us.p99, .latency_us["p99.9"], .acks_per_second] | map(floor) | @tsv' <<<"$j")
    record "p50_$rate" "$p50"; record "p99_$rate" "$p99"; record "p999_$rate" "$p999"; record "ach_$rate" "$ach"
    cells+=("$p50/$p99/$p999 ($ach/s)")
    if [ -n "$STAGES" ]; then
      s=$(stage_cells "$j" $((st1 - st0)))
      echo "     $rate/s stages (us p50/p99/p99.9): $s"
      record "stages_$rate" "$s"
    fi
  done
  if [ -n "$RATES" ]; then
    printf '%-4s %12s | %-26s | %-26s | %-26s\n' "$run" - "${cells[@]}"
    continue
  fi
  start_corpexd
  load --members 8 --window 64 --resting --count "$RESTING" >/dev/null
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$PID/status")
  hwm=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$PID/status")
  record rss "$rss"; record hwm "$hwm"
  printf '%-4s %12s | %-26s | %-26s | %-26s | %9s %9s\n' "$run" "$flat" "${cells[0]}" "${cells[1]}" "${cells[2]}" "$rss" "$hwm"
done
m() { printf '%s' "${COL[$1]}" | median; }
echo
echo "medians of $RUNS runs ($(nproc) cores, $(date -u +%F), ${SECONDS_PER}s each, fsync on, commit_interval_us ${PACING_US:-default}, durability $DURABILITY, load tick ${TICK_US} us):"
[ -n "$RATES" ] || echo "  flat out: $(m flat) orders/s acknowledged durably (8 members x 64 in flight)"
for rate in ${RATES:-5000 20000 50000}; do
  echo "  offered $rate/s: achieved $(m ach_$rate)/s, order->ack p50 $(m p50_$rate) us, p99 $(m p99_$rate) us, p99.9 $(m p999_$rate) us"
done
if [ -z "$RATES" ]; then echo "  corpexd with $RESTING resting orders: RSS $(m rss) MiB, peak $(m hwm) MiB"; fi
echo "  disk floor (before the runs): $FLOOR"
