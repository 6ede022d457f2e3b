#!/usr/bin/env bash
# Runs every benchmark scenario (or those named: bench/run-all.sh models-vs-nginx catalog-100k) one
# after the other and writes each one's results to bench/results/<date>-<scenario>.json (with the
# machine: nproc, CPU model, memory, kernel, JDK). Scenarios that print "not yet available" are
# listed as pending. Exits non-zero when a scenario failed to run (a missed goal is not a failure).
# cluster.sh needs a PostgreSQL (see its header) and runs only when named: bench/run-all.sh cluster
# Then draws the charts (docs/img/*.png) when python3 has matplotlib (apt-get install python3-matplotlib).
set -uo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export BENCH_RESULTS="${BENCH_RESULTS:-$bench/results}"
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(models-vs-nginx models-filters-vs-nginx refresh-200x500 start-to-ready catalog-100k sse-latency sse-fanout gateway-vs-direct console-1000x100)
ok=() failed=() pending=()
for scenario in "${scenarios[@]}"; do
  script="$bench/$scenario.sh"
  [ -x "$script" ] || { echo "run-all: no scenario $scenario ($script)" >&2; failed+=("$scenario"); continue; }
  echo "=== $scenario" >&2
  out=$(mktemp)
  "$script" | tee "$out"
  status=${PIPESTATUS[0]}
  if [ "$status" -ne 0 ]; then
    failed+=("$scenario")
  elif grep -q "not yet available" "$out"; then
    pending+=("$scenario")
  else
    ok+=("$scenario")
  fi
  rm -f "$out"
done
if [ ${#ok[@]} -gt 0 ]; then
  if /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
    /usr/bin/python3 "$bench/charts.py" || failed+=("charts")
  else
    echo "run-all: charts skipped; install matplotlib with: apt-get install -y python3-matplotlib" >&2
  fi
fi
echo "run-all: ran ${ok[*]:-nothing}; pending: ${pending[*]:-none}; failed: ${failed[*]:-none}"
[ ${#failed[@]} -eq 0 ]
