#!/usr/bin/env bash
# A full refresh of 200 OpenAI-compatible providers x 500 models each from a local fake upstream,
# then a second refresh that changes nothing (DESIGN §11: <= 2 s wall; the no-change refresh keeps
# the revision and appends no event).
#
# The fake upstream (FakeUpstream of switchboard-test-support, the JDK's HttpServer on virtual threads, bodies built once)
# answers every provider from one process. For each fetch concurrency (8, the default, and 32) and
# each of BENCH_REPEAT runs: a fresh server and store with refresh_on_start = false, then
# POST /api/v1/providers:refresh twice, timed by curl from request to the last byte of the result.
# Before/after: BENCH_BASELINE_JAR=/path/to/switchboard.jar (e.g. from bench/build-jar.sh REV) runs that
# jar as well in every run, alternating which goes first (results: <date>-refresh-before-after.json,
# the baseline's figures prefixed "baseline.").
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
if [ -n "${BENCH_BASELINE_JAR:-}" ]; then
  bench_init refresh-before-after
  [ -f "$BENCH_BASELINE_JAR" ] || bench_die "BENCH_BASELINE_JAR=$BENCH_BASELINE_JAR is not a file"
  bench_note baseline_jar "\"$BENCH_BASELINE_JAR\""
  SERVERS=(switchboard baseline)
else
  bench_init refresh-200x500
  SERVERS=(switchboard)
fi
bench_require curl curl
bench_require python3 python3
bench_ensure_jar

PROVIDERS="${BENCH_PROVIDERS:-200}"
MODELS="${BENCH_MODELS:-500}"
CONCURRENCIES=(8 32)
GOAL_MS=2000

upstream_port=$(bench_free_port)
bench_start_fake_upstream "$upstream_port"
# The fake must not be the bottleneck: record what it serves alone at the default concurrency.
if command -v wrk >/dev/null 2>&1; then
  fake_rps=$(wrk -t1 -c8 -d1s "http://127.0.0.1:$upstream_port/p/p001/$MODELS/models" | awk '/^Requests\/sec/ {print $2}')
  bench_log "fake upstream alone: $fake_rps lists/s at 8 connections"
  bench_note fake_upstream_lists_per_s "${fake_rps:-null}"
fi
bench_note providers "$PROVIDERS"
bench_note models_per_provider "$MODELS"

config() {
  local port="$1" data="$2" concurrency="$3" i
  bench_config_head "$port" "$data"
  echo "refresh_on_start = false"
  echo "concurrency = $concurrency"
  for i in $(seq -f '%03g' 1 "$PROVIDERS"); do
    printf '\n[[providers]]\nid = "p%s"\nkind = "openai"\nbase_url = "http://127.0.0.1:%s/p/p%s/%s"\n' \
        "$i" "$upstream_port" "$i" "$MODELS"
  done
}

# POSTs a refresh of every provider; prints "<seconds> <revision> <changed> <unchanged> <failed> <added>".
refresh_all() {
  local port="$1" out="$2" timing
  timing=$(curl -s -o "$out" -w '%{http_code} %{time_total}' -X POST "http://127.0.0.1:$port/api/v1/providers:refresh")
  [ "${timing%% *}" = 200 ] || { cat "$out" >&2; bench_die "refresh answered ${timing%% *}"; }
  python3 - "$out" "${timing#* }" <<'EOF'
import json, sys
result = json.load(open(sys.argv[1]))
added = sum(len(c["added"]) for c in result["changed"])
print(sys.argv[2], result["revision"], len(result["changed"]), len(result["unchanged"]), len(result["failed"]), added)
EOF
}

CURRENT_JAR="$SB_JAR"
for concurrency in "${CONCURRENCIES[@]}"; do
  declare -A first_ms=() again_ms=()
  for r in $(seq 1 "$BENCH_REPEAT"); do
    # Rotate who goes first each run, as models-vs-nginx does.
    order=("${SERVERS[@]}")
    [ $(( r % 2 )) = 0 ] && [ "${#SERVERS[@]}" = 2 ] && order=("${SERVERS[1]}" "${SERVERS[0]}")
    for server in "${order[@]}"; do
      SB_JAR="$CURRENT_JAR"
      [ "$server" = baseline ] && SB_JAR="$BENCH_BASELINE_JAR"
      port=$(bench_free_port)
      name="$server-c$concurrency-$r"
      config "$port" "$BENCH_TMP/data-$name" "$concurrency" >"$BENCH_TMP/$name.toml"
      bench_start_switchboard "$name" "$BENCH_TMP/$name.toml" "$port"

      read -r seconds revision changed unchanged failed added < <(refresh_all "$port" "$BENCH_TMP/$name-first.json")
      [ "$failed" = 0 ] && [ "$changed" = "$PROVIDERS" ] && [ "$added" = $((PROVIDERS * MODELS)) ] \
          || bench_die "first refresh: $changed changed, $failed failed, $added models added (log: $BENCH_TMP/$name.log)"
      first_ms[$server]+=" $(awk -v s="$seconds" 'BEGIN {printf "%.0f", s * 1000}')"

      read -r seconds revision2 changed unchanged failed added < <(refresh_all "$port" "$BENCH_TMP/$name-again.json")
      [ "$failed" = 0 ] && [ "$changed" = 0 ] && [ "$unchanged" = "$PROVIDERS" ] \
          || bench_die "no-change refresh: $changed changed, $unchanged unchanged, $failed failed"
      # Every appended event advances the revision by one, so an unchanged revision means no event.
      [ "$revision2" = "$revision" ] || bench_die "no-change refresh moved the revision from $revision to $revision2"
      header=$(curl -s -o /dev/null -D - "http://127.0.0.1:$port/healthz" | awk 'tolower($1) == "x-switchboard-revision:" {print $2+0}')
      [ "$header" = "$revision" ] || bench_die "revision header says $header after the no-change refresh, expected $revision"
      again_ms[$server]+=" $(awk -v s="$seconds" 'BEGIN {printf "%.0f", s * 1000}')"
      bench_log "$server concurrency $concurrency run $r: first ${first_ms[$server]##* } ms, no-change ${again_ms[$server]##* } ms (revision $revision)"
      bench_stop_pid "$SB_PID"
    done
  done
  for server in "${SERVERS[@]}"; do
    prefix=""
    [ "$server" = baseline ] && prefix="baseline."
    # shellcheck disable=SC2086 # space-separated lists of ms
    first=$(bench_median ${first_ms[$server]}) again=$(bench_median ${again_ms[$server]})
    bench_figure "${prefix}concurrency$concurrency.first_refresh" "$first" ms "<= $GOAL_MS" "$(bench_at_least "$GOAL_MS" "$first")"
    bench_figure "${prefix}concurrency$concurrency.no_change_refresh" "$again" ms "<= $GOAL_MS" "$(bench_at_least "$GOAL_MS" "$again")"
    bench_figure "${prefix}concurrency$concurrency.no_change_revision_kept" yes "" "same revision, no event" yes
  done
done
