#!/usr/bin/env bash
# Cluster on PostgreSQL (DESIGN §11: change -> SSE subscriber p99 <= 200 ms across instances; issue 10).
#
# BENCH_INSTANCES (default 3) Switchboard servers from the server jar, on loopback, all on one fresh
# PostgreSQL database created for the run and dropped at exit (the same SWITCHBOARD_MASTER_KEY, random
# per run, for all), each with the `static` provider `bench` of two models and no refresh schedule.
# Instance 1 takes the writes; the others serve the subscribers.
#
# 1. back-to-back: bench/SseLoad.java opens BENCH_SUBSCRIBERS streams spread over instances 2..N and
#    PUTs /api/v1/model-configs/bench on instance 1, each PUT sent when the previous was answered
#    (BENCH_WARMUP not counted + BENCH_CHANGES measured). lag = the subscriber's clock when the frame
#    arrived from instance 2..N - the envelope's `time` (commit on instance 1, ms); one machine, one clock.
# 2. paced: the same with one PUT every BENCH_PACED_INTERVAL_MS (default 50 ms = 20 writes/s, open
#    loop), BENCH_PACED_CHANGES measured.
# 3. stalled peer: bench/StallLoad.java writes to instances 1..N-1 (BENCH_STALL_RATE per second each,
#    open loop) and to instance N (BENCH_STALLED_RATE per second, so that it is often inside a write);
#    SIGSTOPs instance N at a moment it holds the revision lock inside a transaction (checked in
#    pg_stat_activity and pg_locks; otherwise SIGCONT and retry), keeps it stopped BENCH_STALL_S
#    seconds, SIGCONTs it. Reported: the other instances' write latency and answers (2xx / 503) before,
#    during and after the stall; every answer must come within [store] write_timeout
#    (BENCH_WRITE_TIMEOUT, default 5s: lock_timeout ends the wait, idle_in_transaction_session_timeout
#    the stalled transaction); the revision must move by exactly the number of 2xx answers (a 503 is
#    never applied), and every instance must end on the same revision.
#
# Every loop is bounded by count and time; everything listens on 127.0.0.1; the EXIT trap stops (and
# continues) every server and drops the database.
#
# Knobs (environment): BENCH_INSTANCES (3, at least 2), BENCH_SUBSCRIBERS (10), BENCH_CHANGES (1000),
# BENCH_WARMUP (200), BENCH_PACED_CHANGES (400), BENCH_PACED_INTERVAL_MS (50), BENCH_STALL_S (10),
# BENCH_STALL_RATE (10), BENCH_STALLED_RATE (20), BENCH_WRITE_TIMEOUT (5s), BENCH_PG_HOST (127.0.0.1), BENCH_PG_PORT (5432),
# BENCH_PG_USER (postgres; trust or ~/.pgpass), BENCH_JAVA_OPTS, BENCH_SERVER_JAR, BENCH_QUIET_WAIT /
# BENCH_QUIET_PCT (sse-lib.sh), BENCH_KEEP_TMP=1, BENCH_RESULTS (directory for the results JSON).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sse-lib.sh"
bench_init cluster
bench_require curl curl
bench_require python3 python3
bench_require psql postgresql-client
sse_ensure_jar

INSTANCES="${BENCH_INSTANCES:-3}"
SUBSCRIBERS="${BENCH_SUBSCRIBERS:-10}"
CHANGES="${BENCH_CHANGES:-1000}"
WARMUP="${BENCH_WARMUP:-200}"
PACED_CHANGES="${BENCH_PACED_CHANGES:-400}"
PACED_INTERVAL_MS="${BENCH_PACED_INTERVAL_MS:-50}"
STALL_S="${BENCH_STALL_S:-10}"
STALL_RATE="${BENCH_STALL_RATE:-10}"
STALLED_RATE="${BENCH_STALLED_RATE:-20}"
WRITE_TIMEOUT="${BENCH_WRITE_TIMEOUT:-5s}"
PG_HOST="${BENCH_PG_HOST:-127.0.0.1}"
PG_PORT="${BENCH_PG_PORT:-5432}"
PG_USER="${BENCH_PG_USER:-postgres}"
GOAL_P99_MS=200
[ "$INSTANCES" -ge 2 ] || bench_die "BENCH_INSTANCES must be at least 2"
write_timeout_ms=$(python3 -c 'import re, sys; v, u = re.fullmatch(r"(\d+)(ms|s)", sys.argv[1]).groups(); print(int(v) * (1 if u == "ms" else 1000))' \
    "$WRITE_TIMEOUT") || bench_die "BENCH_WRITE_TIMEOUT must be like 5s or 2500ms"

# A fresh database for the run: notifications are per database, so no other program's instances are heard.
PG_DB="sb_bench_cluster_$(date +%Y%m%d%H%M%S)_$$"
PSQL="psql -h $PG_HOST -p $PG_PORT -U $PG_USER"
pg_admin() {
  $PSQL -d postgres -v ON_ERROR_STOP=1 -Atqc "$1"
}
cluster_drop_database() {
  pg_admin "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null
}
pg_admin "SELECT 1" >/dev/null || bench_die "PostgreSQL does not answer at $PG_HOST:$PG_PORT as $PG_USER"
pg_admin "CREATE DATABASE $PG_DB" >/dev/null
BENCH_EXIT_HOOKS+=(cluster_drop_database)
bench_note postgres "\"$(pg_admin "SHOW server_version" | tr -d '"'), database created for the run\""
# Every instance must read the others' provider credentials: one explicit key (required on PostgreSQL).
SWITCHBOARD_MASTER_KEY="$(head -c 32 /dev/urandom | base64)"
export SWITCHBOARD_MASTER_KEY

cluster_config() {
  cat <<EOF
[server]
host = "127.0.0.1"
port = $1

[store]
url = "jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB"
user = "$PG_USER"
write_timeout = "$WRITE_TIMEOUT"

[model_catalog]
refresh_interval = 0

[[providers]]
id = "bench"
kind = "static"
models = ["model-a", "model-b"]
EOF
}

PORTS=()
PIDS=()
LOGS=()
for i in $(seq 1 "$INSTANCES"); do
  p=$(bench_free_port)
  cluster_config "$p" >"$BENCH_TMP/node$i.toml"
  # one after the other: the first creates the schema
  bench_start_switchboard "node$i" "$BENCH_TMP/node$i.toml" "$p"
  PORTS+=("$p")
  PIDS+=("$SB_PID")
  LOGS+=("$BENCH_TMP/node$i.log")
  bench_log "instance $i: pid $SB_PID, port $p"
done
SSE_SERVER_LOGS="${LOGS[*]}"
write_port="${PORTS[0]}"
subscriber_ports=$(IFS=,; echo "${PORTS[*]:1}")
all_pids=$(IFS=,; echo "${PIDS[*]}")
server_flags="--sun-misc-unsafe-memory-access=allow${BENCH_JAVA_OPTS:+ $BENCH_JAVA_OPTS}"
bench_note instances "$INSTANCES"
bench_note server_jvm_options "\"$server_flags\""
bench_note write_timeout "\"$WRITE_TIMEOUT\""
bench_note subscribers "$SUBSCRIBERS"
bench_note topology "\"PUTs on instance 1; subscribers spread over instances 2..$INSTANCES (never the writer's)\""
bench_note clock "\"lag = load generator's System.currentTimeMillis() at read (frame from another instance) - envelope time (commit on the writer's instance, ms); same machine, same clock\""
bench_note cpu "\"cpu_server = all instances together; cpu_other = every other program on the machine\""

declare -A R
sse_wait_quiet
echo "cluster: $INSTANCES instances on PostgreSQL $PG_HOST:$PG_PORT/$PG_DB; writes on instance 1, subscribers on 2..$INSTANCES"

# SseLoad through sse_load: subscribers' port list, the writer's port, and every instance's CPU as the server's.
port="$subscriber_ports"
SB_PID="${PIDS[1]}"
for run in back_to_back paced; do
  bench_note "loadavg_before_$run" "\"$(cut -d' ' -f1-3 /proc/loadavg)\""
  ticks_before=()
  for pid in "${PIDS[@]}"; do ticks_before+=("$(bench_cpu_ticks "$pid")"); done
  if [ "$run" = back_to_back ]; then
    warm="$WARMUP"
    sse_load "$run" --write-port "$write_port" --cluster-pids "$all_pids" --subscribers "$SUBSCRIBERS" \
        --events "$CHANGES" --warmup "$warm" --interval-ms 0
  else
    warm=20
    sse_load "$run" --write-port "$write_port" --cluster-pids "$all_pids" --subscribers "$SUBSCRIBERS" \
        --events "$PACED_CHANGES" --warmup "$warm" --interval-ms "$PACED_INTERVAL_MS"
  fi
  # CPU per change of each instance (the writer's, then the followers'), warm-up included
  per_change=()
  for i in "${!PIDS[@]}"; do
    per_change+=("$(awk -v t="$(( $(bench_cpu_ticks "${PIDS[$i]}") - ticks_before[i] ))" -v hz="$(getconf CLK_TCK)" \
        -v n="$(( R[events_measured] + warm ))" 'BEGIN {printf "%.2f", t * 1000 / hz / n}')")
  done
  [ "${R[subscribers_connected]}" = "$SUBSCRIBERS" ] || bench_die "only ${R[subscribers_connected]} of $SUBSCRIBERS subscribers connected"
  [ "${R[put_errors]}" = 0 ] || bench_die "${R[put_errors]} PUTs failed"
  bench_figure "$run.lag_p50" "${R[lag_p50_ms]}" ms
  bench_figure "$run.lag_p99" "${R[lag_p99_ms]}" ms "<= $GOAL_P99_MS" "$(bench_at_least "$GOAL_P99_MS" "${R[lag_p99_ms]}")"
  bench_figure "$run.lag_max" "${R[lag_max_ms]}" ms
  bench_figure "$run.lag_trend" "${R[last_subscriber_lag_first_tenth_ms]}->${R[last_subscriber_lag_last_tenth_ms]}" \
      "ms, an event's last subscriber: first tenth of the events -> last tenth (growing = falling behind)"
  bench_figure "$run.delivered" "${R[delivered_pct]}" "% of ${R[pairs_expected]} (subscriber, event) pairs" "100%" \
      "$(bench_at_least "${R[pairs_delivered]}" "${R[pairs_expected]}")"
  bench_figure "$run.put_p50" "${R[put_p50_ms]}" ms
  bench_figure "$run.put_p99" "${R[put_p99_ms]}" ms
  bench_figure "$run.changes_per_s" "${R[changes_per_s]}" "changes/s"
  bench_figure "$run.cpu_cluster" "${R[cpu_server_cores]}" "cores used by the $INSTANCES instances during the run"
  bench_figure "$run.cpu_other" "${R[cpu_other_cores]}" "cores used by other programs during the run"
  bench_figure "$run.cpu_per_change" "$(IFS=/; echo "${per_change[*]}")" "ms CPU per change: writer / followers"
  bench_note "$run" "$(sse_results_json)"
done

# Writes under a stalled peer: the last instance is stopped; the others take the writes.
bench_note loadavg_before_stall "\"$(cut -d' ' -f1-3 /proc/loadavg)\""
stalled=$((INSTANCES - 1))
writers=$(IFS=,; echo "${PORTS[*]:0:$stalled}")
out="$BENCH_TMP/stallload.out"
"$JAVA_HOME/bin/java" "$BENCH_DIR/StallLoad.java" --writers "$writers" --stalled-port "${PORTS[$stalled]}" \
    --stalled-pid "${PIDS[$stalled]}" --rate "$STALL_RATE" --stalled-rate "$STALLED_RATE" --stall-s "$STALL_S" --psql "$PSQL -d $PG_DB" \
    >"$out" 2>"$out.err" || { cat "$out.err" >&2; bench_die "StallLoad failed"; }
cat "$out.err" >&2
R=()
while read -r tag name value; do [ "$tag" = RESULT ] && R[$name]="$value"; done <"$out"
[ -n "${R[stalled_max_ms]:-}" ] || bench_die "StallLoad printed no figures (see $out)"
for i in $(seq 0 $((INSTANCES - 1))); do
  kill -0 "${PIDS[$i]}" 2>/dev/null || bench_die "instance $((i + 1)) died (log: ${LOGS[$i]})"
done
bench_wait_http "http://127.0.0.1:${PORTS[$stalled]}/readyz" 30 200 "${PIDS[$stalled]}" || bench_die "the stalled instance is not ready again"
limit_ms=$((write_timeout_ms + 100))
bench_figure stall.stopped_holding_the_lock "${R[stalled_holding_lock]}" "(attempt ${R[attempts]})" "yes" \
    "$([ "${R[stalled_holding_lock]}" = yes ] && echo yes || echo no)"
bench_figure stall.stopped_for "${R[stalled_ms]}" ms
bench_figure stall.lock_released_after "${R[stalled_lock_released_after_ms]}" "ms after SIGSTOP (PostgreSQL ended the idle transaction)"
bench_figure stall.lock_waits_max "${R[lock_waits_max]}" "sessions seen waiting for a lock at once"
bench_figure stall.before_p50 "${R[before_p50_ms]}" "ms (writes on the other instances, nobody stalled)"
bench_figure stall.before_p99 "${R[before_p99_ms]}" ms
bench_figure stall.during_writes "${R[stalled_writes]}" "writes sent to the other instances while one was stopped"
bench_figure stall.during_ok "${R[stalled_ok]}" "answered 2xx"
bench_figure stall.during_503 "${R[stalled_503]}" "answered 503 (${R[stalled_error_types]})"
bench_figure stall.during_other "$(( R[stalled_other_status] + R[stalled_no_answer] ))" "other answers or none" "0" \
    "$([ $(( R[stalled_other_status] + R[stalled_no_answer] )) = 0 ] && echo yes || echo no)"
bench_figure stall.during_p50 "${R[stalled_p50_ms]}" ms
bench_figure stall.during_p99 "${R[stalled_p99_ms]}" ms
bench_figure stall.during_max "${R[stalled_max_ms]}" ms "<= write_timeout ($WRITE_TIMEOUT) + 100 ms" \
    "$(bench_at_least "$limit_ms" "${R[stalled_max_ms]}")"
bench_figure stall.during_ok_p99 "${R[stalled_ok_p99_ms]}" "ms (2xx answers only)"
bench_figure stall.timeline "${R[timeline]}" "second after SIGSTOP:writes/2xx/503/p50 ms/max ms (the other instances)"
bench_figure stall.after_p99 "${R[after_p99_ms]}" "ms (after SIGCONT, every instance writing)"
bench_figure stall.after_503 "${R[after_503]}" "answered 503 after SIGCONT (of ${R[after_writes]})"
bench_figure stall.stalled_instance "${R[stalled_instance_statuses]}" "answers of the stopped instance, all phases"
bench_figure stall.applied_minus_2xx "${R[applied_minus_ok]}" "revisions - 2xx answers (${R[writes_ok_total]} 2xx, ${R[writes_unknown_outcome]} without answer)" \
    "0" "$([ "${R[applied_minus_ok]}" = 0 ] && echo yes || echo no)"
bench_figure stall.converged "${R[converged]}" "every instance on revision ${R[revision_end]} (${R[converge_ms]} ms after the last answer)" \
    "yes" "$([ "${R[converged]}" = yes ] && echo yes || echo no)"
bench_note stall "$(sse_results_json)"
bench_note stall_settings "{\"rate_per_writer\": $STALL_RATE, \"rate_to_the_stalled\": $STALLED_RATE, \"stall_s\": $STALL_S, \"writers\": $stalled}"
bench_note loadavg_after "\"$(cut -d' ' -f1-3 /proc/loadavg)\""
