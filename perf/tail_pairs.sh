#!/usr/bin/env bash
# perf/tail_pairs.sh — one change, measured as interleaved before/after pairs.
#
# Runs perf/e2e.sh --runs 1 --stages at one offered rate, alternating setup A
# and setup B (A first in odd pairs, B first in even ones, so neither always
# follows the other), and prints each run's order->ack p50/p99/p99.9 and
# stages, then the medians of A and B and the median of the per-pair p99
# ratios B/A. On a shared, noisy machine a pair's two runs see the same
# neighbours; separate batches of runs do not.
#
# usage: perf/tail_pairs.sh [--pairs N] [--rate R] [--seconds S] --a "E2E ARGS" --b "E2E ARGS"
#   e.g. perf/tail_pairs.sh --a "" --b "--load-prefix 'nice -n 10'"
set -euo pipefail
cd "$(dirname "$0")/.."
PAIRS=5 RATE=20000 SECS=10 A= B=
while [ $# -gt 0 ]; do
  case "$1" in
    --pairs) PAIRS=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --a) A=$2; shift 2 ;;
    --b) B=$2; shift 2 ;;
    -h|--help) sed -n '2,/^#   e.g/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "tail_pairs.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

one() {  # SETUP-ARGS -> "p50 p99 p99.9 | stages"
  local out
  out=$(eval "perf/e2e.sh --runs 1 --seconds $SECS --rates $RATE --stages $1" 2>&1)
  local cell stages
  cell=$(grep -o "order->ack p50 [0-9]* us, p99 [0-9]* us, p99.9 [0-9]* us" <<<"$out" |
         sed -E 's/.*p50 ([0-9]+) us, p99 ([0-9]+) us, p99.9 ([0-9]+) us/\1 \2 \3/')
  stages=$(grep -o "stages (us p50/p99/p99.9): .*" <<<"$out" | cut -d: -f2-)
  echo "$cell |$stages"
}
median() { sort -n | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

echo "A: ${A:-(defaults)}"
echo "B: ${B:-(defaults)}"
echo "offered $RATE/s, ${SECS}s per run, $PAIRS pairs; order->ack us p50 p99 p99.9 | stages p50/p99/p99.9"
A99= B99= A999= B999= R=
for i in $(seq "$PAIRS"); do
  order="A B"; [ $((i % 2)) -eq 0 ] && order="B A"
  for s in $order; do
    if [ "$s" = A ]; then ra=$(one "$A"); echo "$i A $ra"; else rb=$(one "$B"); echo "$i B $rb"; fi
  done
  read -r _ a99 a999 _ <<<"$ra"; read -r _ b99 b999 _ <<<"$rb"
  A99+="$a99"$'\n'; B99+="$b99"$'\n'; A999+="$a999"$'\n'; B999+="$b999"$'\n'
  R+="$(awk -v a="$a99" -v b="$b99" 'BEGIN {printf "%.3f", b / a}')"$'\n'
done
echo "median p99:   A $(printf '%s' "$A99" | median) us, B $(printf '%s' "$B99" | median) us"
echo "median p99.9: A $(printf '%s' "$A999" | median) us, B $(printf '%s' "$B999" | median) us"
echo "median per-pair p99 ratio B/A: $(printf '%s' "$R" | median) (pairs: $(printf '%s' "$R" | tr '\n' ' '))"
