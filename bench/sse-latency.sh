#!/usr/bin/env bash
# Change -> SSE subscriber latency on one instance (DESIGN §11: p99 <= 50 ms; issue #3).
#
# One Switchboard on the embedded H2 file with a `static` provider of two models and no refresh
# schedule. For each subscriber count (1, then 100) bench/SseLoad.java opens that many
# `GET /api/v1/events?since=<current>` streams, then makes BENCH_CHANGES changes one after another
# (each PUT /api/v1/model-configs/bench waits for the previous answer), alternating the alias's `model`
# between the two static models: each PUT commits exactly one model_config.updated event.
# For every (subscriber, event) pair: lag = the subscriber's System.currentTimeMillis() when the
# frame's bytes were read - the envelope's `time` (the commit time, ms precision). Server and load
# generator run on this one machine and read the same clock, so the two are comparable; `time` is
# truncated to the millisecond and taken inside the transaction just before the commit, so a lag can
# read up to ~1 ms high. The writer's side (the PUT's round trip) is reported for context.
# Both runs use one server; the first BENCH_WARMUP changes of each run are made and delivered but
# not counted (JIT warm-up).
#
# Knobs (environment): BENCH_CHANGES (measured changes per run, default 1000), BENCH_WARMUP (default
# 200), BENCH_SUBSCRIBERS (subscriber counts, one run each, default "1 100"), BENCH_JAVA_OPTS (extra
# server JVM options, lib.sh: default -XX:+UseSerialGC as the launcher), BENCH_SERVER_JAR,
# BENCH_QUIET_WAIT / BENCH_QUIET_PCT (sse-lib.sh), BENCH_KEEP_TMP=1,
# BENCH_RESULTS (directory for the results JSON).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sse-lib.sh"
bench_init sse-latency
bench_require curl curl
bench_require python3 python3
sse_ensure_jar

CHANGES="${BENCH_CHANGES:-1000}"
WARMUP="${BENCH_WARMUP:-200}"
read -r -a SUBSCRIBER_RUNS <<<"${BENCH_SUBSCRIBERS:-1 100}"
GOAL_P99_MS=50

sse_wait_quiet
port=$(bench_free_port)
sse_config "$port" >"$BENCH_TMP/switchboard.toml"
bench_start_switchboard switchboard "$BENCH_TMP/switchboard.toml" "$port"
server_flags="--sun-misc-unsafe-memory-access=allow${BENCH_JAVA_OPTS:+ $BENCH_JAVA_OPTS}"
bench_log "Switchboard pid $SB_PID on port $port, JVM options: $server_flags"
bench_note server_jvm_options "\"$server_flags\""
bench_note changes_per_run "$CHANGES"
bench_note warmup_changes_per_run "$WARMUP"
bench_note change "\"PUT /api/v1/model-configs/bench alternating model between bench/model-a and bench/model-b, each sent when the previous was answered\""
bench_note clock "\"lag = load generator's System.currentTimeMillis() at read - envelope time (commit time, ms); same machine, same clock\""

declare -A R
echo "sse-latency: lag = receive time (load generator) - envelope time (server commit); both read this machine's clock"
for subscribers in "${SUBSCRIBER_RUNS[@]}"; do
  sse_load "s$subscribers" --subscribers "$subscribers" --events "$CHANGES" --warmup "$WARMUP" --interval-ms 0
  [ "${R[subscribers_connected]}" = "$subscribers" ] || bench_die "only ${R[subscribers_connected]} of $subscribers subscribers connected"
  [ "${R[put_errors]}" = 0 ] || bench_die "${R[put_errors]} PUTs failed"
  run="subscribers$subscribers"
  bench_figure "$run.lag_p50" "${R[lag_p50_ms]}" ms
  bench_figure "$run.lag_p90" "${R[lag_p90_ms]}" ms
  bench_figure "$run.lag_p99" "${R[lag_p99_ms]}" ms "<= $GOAL_P99_MS" "$(bench_at_least "$GOAL_P99_MS" "${R[lag_p99_ms]}")"
  bench_figure "$run.lag_max" "${R[lag_max_ms]}" ms
  bench_figure "$run.delivered" "${R[delivered_pct]}" "% of ${R[pairs_expected]} (subscriber, event) pairs" "100%" \
      "$(bench_at_least "${R[pairs_delivered]}" "${R[pairs_expected]}")"
  bench_figure "$run.put_p50" "${R[put_p50_ms]}" ms
  bench_figure "$run.put_p99" "${R[put_p99_ms]}" ms
  bench_figure "$run.changes_per_s" "${R[changes_per_s]}" "changes/s"
  bench_figure "$run.cpu_other" "${R[cpu_other_cores]}" "cores used by other programs during the run"
  bench_note "$run" "$(sse_results_json)"
done
