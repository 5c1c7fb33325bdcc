#!/usr/bin/env bash
# perf/engine_pairs.sh — one engine change judged as interleaved pairs.
#
# Runs build A's and build B's engine_bench alternately on CPU 0 (A, B, A,
# B...), so both see the same minutes of this shared machine, and prints per
# pair A's and B's p50 (ns a message, batches of 64), the ratio B/A and both
# messages/s; then the median ratio. Each run is `--runs R` (median of R).
#
# usage: perf/engine_pairs.sh BUILD_A BUILD_B [WORKLOAD] [PAIRS] [RUNS]
#        (e.g. /tmp/base/build build tiny 10 3)
set -euo pipefail
if [ $# -lt 2 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
  sed -n '2,/^# usage/p' "$0" | sed 's/^# \{0,1\}//'; exit 0
fi
A=$1 B=$2 W=${3:-tiny} PAIRS=${4:-6} RUNS=${5:-3}
for b in "$A/perf/engine_bench" "$B/perf/engine_bench"; do
  [ -x "$b" ] || { echo "engine_pairs.sh: $b not built" >&2; exit 1; }
done
summary() { taskset -c 0 "$1/perf/engine_bench" --workload "$W" --runs "$RUNS" 2>&1 | grep '^SUMMARY'; }
p50() { sed -n 's|.*p50/p99/p99.9 \([0-9.]*\)/.*|\1|p'; }
rate() { sed -n 's|.*: \([0-9.]*[kM]\{0,1\}\) cmds/s.*|\1|p'; }
ratios=()
printf '%-6s %8s %8s %7s %10s %10s\n' pair "A p50" "B p50" "B/A" "A msgs/s" "B msgs/s"
for i in $(seq "$PAIRS"); do
  sa=$(summary "$A"); sb=$(summary "$B")
  a=$(p50 <<<"$sa"); b=$(p50 <<<"$sb")
  r=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b / a }')
  ratios+=("$r")
  printf '%-6s %8s %8s %7s %10s %10s\n' "$i" "$a" "$b" "$r" "$(rate <<<"$sa")" "$(rate <<<"$sb")"
done
printf '%s\n' "${ratios[@]}" | sort -n |
  awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
         printf "median B/A p50 ratio over %d pairs: %.3f\n", NR, m }'
