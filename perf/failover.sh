#!/usr/bin/env bash
# perf/failover.sh — failover time of a two-node cluster on a real etcd:
# kill -9 of the leader under crossing load, to the first order the new
# leader acknowledges; the old leader restarts and rejoins each cycle, so
# leadership alternates. Every acknowledged fill is checked on the new
# leader each time (tests/gateway/it_failover_test.cc, with more cycles).
#
# usage: perf/failover.sh [CYCLES (default 20)] [BUILD_DIR (default build)]
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in -h|--help) sed -n '2,/^# usage/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
CYCLES=${1:-20} BUILD=${2:-build}
BIN=$BUILD/tests/gateway/gateway_integration_tests
[ -x "$BIN" ] || { echo "failover.sh: $BIN not built (make build)" >&2; exit 1; }
CORPEX_FAILOVER_CYCLES=$CYCLES "$BIN" "kill -9 of the leader*" 2>/dev/null | grep -E "failover|passed|failed"
