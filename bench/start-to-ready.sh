#!/usr/bin/env bash
# Start to ready on the embedded default (H2 file) with config/switchboard.sample.toml, and memory
# (DESIGN §11: <= 1.5 s from process start to GET /readyz 200; idle RSS <= 200 MB).
#
# Each JVM variant is started once to prime it (that first start on an empty data directory creates
# the H2 file and runs the migrations, and trains the CDS/AOT archives of the variants that use one;
# it is reported as first_start), then BENCH_STARTS times (default 5) on the existing data, variants
# interleaved round by round; the median is reported. Time runs from just before the process is
# forked to the first 200 of /readyz, polled every 10 ms. Idle RSS is VmRSS one second after ready;
# on the last start of each variant /v1/models is loaded with wrk and RSS read again.
# The "launcher" variant is ./switchboard itself, with its default JVM options.
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init start-to-ready
bench_require curl curl
bench_require python3 python3
bench_ensure_jar

STARTS="${BENCH_STARTS:-5}"
GOAL_MS=1500
GOAL_RSS=200
JDK_MAJOR=$(switchboard_java_major "$JAVA_HOME")
JDK_MAJOR="${JDK_MAJOR%%.*}"

# name|JVM options (@TMP@ is the temp dir; an AOT cache needs a training run, see jvm_options).
VARIANTS=(
  "default|"
  "serial|-XX:+UseSerialGC"
  "serial+cds|-XX:+UseSerialGC -XX:SharedArchiveFile=@TMP@/serial-cds.jsa -XX:+AutoCreateSharedArchive"
)
[ "$JDK_MAJOR" -ge 25 ] && VARIANTS+=("serial+aot|-XX:+UseSerialGC @AOT@")
VARIANTS+=("launcher|")

jvm_options() {
  local options="${1//@TMP@/$BENCH_TMP}" aot="$BENCH_TMP/aot-$2.aot"
  # JDK 25's AOT cache (JEP 483/514): the priming start records it, later starts use it.
  if [ -f "$aot" ]; then options="${options//@AOT@/-XX:AOTCache=$aot}"; else options="${options//@AOT@/-XX:AOTCacheOutput=$aot}"; fi
  echo "$options"
}

# Starts one variant and waits for ready; sets STARTED_MS (how long it took), STARTED_PID, STARTED_PORT.
start_variant() {
  local name="$1" options="$2" port t0 t1 log
  log="$BENCH_TMP/$name-$3.log"
  port=$(bench_free_port)
  STARTED_PORT=$port
  t0=$(date +%s%N)
  if [ "$name" = launcher ]; then
    # shellcheck disable=SC2086 # options is a list
    (cd "$REPO_ROOT" && SWITCHBOARD_STORE_URL="jdbc:h2:file:$BENCH_TMP/data-$name/switchboard" \
        exec ./switchboard serve --config config/switchboard.sample.toml --port "$port" >"$log" 2>&1) &
  else
    # shellcheck disable=SC2086
    (cd "$REPO_ROOT" && SWITCHBOARD_STORE_URL="jdbc:h2:file:$BENCH_TMP/data-$name/switchboard" \
        exec "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow $options -jar "$SB_JAR" \
        serve --config config/switchboard.sample.toml --port "$port" >"$log" 2>&1) &
  fi
  STARTED_PID=$!
  bench_track "$STARTED_PID"
  bench_wait_http "http://127.0.0.1:$port/readyz" 60 200 "$STARTED_PID" || { tail -20 "$log" >&2; bench_die "$name did not become ready"; }
  t1=$(date +%s%N)
  STARTED_MS=$(( (t1 - t0) / 1000000 ))
}

declare -A first ready rss loaded stops
for round in $(seq 0 "$STARTS"); do
  for variant in "${VARIANTS[@]}"; do
    name="${variant%%|*}"
    options=$(jvm_options "${variant#*|}" "$name")
    start_variant "$name" "$options" "$round"
    ms=$STARTED_MS pid=$STARTED_PID port=$STARTED_PORT
    if [ "$round" = 0 ]; then
      first[$name]=$ms
    else
      ready[$name]="${ready[$name]:-} $ms"
      sleep 1
      rss[$name]="${rss[$name]:-} $(bench_rss_mib "$pid")"
      if [ "$round" = "$STARTS" ] && command -v wrk >/dev/null 2>&1; then
        bench_wrk "$name-load" "http://127.0.0.1:$port/v1/models" >/dev/null
        loaded[$name]=$(bench_rss_mib "$pid")
      fi
    fi
    # A priming start writes its CDS archive or AOT cache while it exits, which takes a few seconds.
    stop_started=$(date +%s%N)
    bench_stop_pid "$pid" "$([ "$round" = 0 ] && echo 60 || echo 5)"
    [ "$round" = 0 ] || stops[$name]="${stops[$name]:-} $(( ($(date +%s%N) - stop_started) / 1000000 ))"
  done
  bench_log "round $round done"
done

for variant in "${VARIANTS[@]}"; do
  name="${variant%%|*}"
  # shellcheck disable=SC2086 # the lists are space-separated numbers
  median_ms=$(bench_median ${ready[$name]}) median_rss=$(bench_median ${rss[$name]})
  bench_figure "$name.first_start" "${first[$name]}" ms
  bench_figure "$name.start_to_ready" "$median_ms" ms "<= $GOAL_MS" "$(bench_at_least "$GOAL_MS" "$median_ms")"
  # shellcheck disable=SC2086
  bench_figure "$name.stop" "$(bench_median ${stops[$name]})" ms
  bench_figure "$name.idle_rss" "$median_rss" MiB "<= $GOAL_RSS" "$(bench_at_least "$GOAL_RSS" "$median_rss")"
  [ -n "${loaded[$name]:-}" ] && bench_figure "$name.rss_after_load" "${loaded[$name]}" MiB
  bench_note "jvm_options_$name" "\"$(jvm_options "${variant#*|}" "$name" | sed "s#$BENCH_TMP#<tmp>#g")\""
done
bench_note launcher_java_opts "\"-XX:+UseSerialGC -XX:SharedArchiveFile=switchboard-cli/target/switchboard.jsa -XX:+AutoCreateSharedArchive\""
