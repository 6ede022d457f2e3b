# Shared by the change-feed scenarios (sse-latency.sh, sse-fanout.sh); sourced after lib.sh and
# bench_init, never run.
#
# Knobs (environment): BENCH_SERVER_JAR (run this server jar instead of building the checkout's,
# e.g. one from bench/build-jar.sh for a before/after comparison), BENCH_QUIET_WAIT (seconds to wait for other programs to leave the CPUs before
# measuring, default 60; 0 = do not wait), BENCH_QUIET_PCT (how busy the machine may be to count as
# quiet, default 25 %).

# The checkout's jar (built when stale, as lib.sh does), or BENCH_SERVER_JAR. The checkout is built either way:
# SseLoad reads the streams with the SDK's SSE parser (switchboard-client/target/classes).
sse_ensure_jar() {
  bench_ensure_jar
  if [ -n "${BENCH_SERVER_JAR:-}" ]; then
    [ -f "$BENCH_SERVER_JAR" ] || bench_die "BENCH_SERVER_JAR=$BENCH_SERVER_JAR does not exist"
    SB_JAR="$BENCH_SERVER_JAR"
    bench_log "server jar: $SB_JAR"
    bench_note server_jar "\"$SB_JAR\""
  fi
}

# Percent of the machine's CPU time that was busy over the next second (/proc/stat).
sse_machine_busy_pct() {
  local a b
  a=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat)
  sleep 1
  b=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN {split(a, x, " "); split(b, y, " "); t = y[2] - x[2]; printf "%.0f", (t > 0 ? 100 * (y[1] - x[1]) / t : 0)}'
}

# The machine is shared: waits (up to BENCH_QUIET_WAIT s) until others leave the CPUs, then records how
# busy it was before the measurement started. Measuring anyway on a busy machine is allowed; the
# figures then carry the note, and SseLoad reports the CPU others took during the run.
sse_wait_quiet() {
  local wait="${BENCH_QUIET_WAIT:-60}" limit="${BENCH_QUIET_PCT:-25}" deadline busy
  deadline=$(( $(date +%s) + wait ))
  while :; do
    busy=$(sse_machine_busy_pct)
    [ "$busy" -le "$limit" ] && break
    if [ "$(date +%s)" -ge "$deadline" ]; then
      bench_log "warning: the machine is still ${busy}% busy with other programs; measuring anyway (figures will be worse)"
      ps -eo pid,pcpu,etime,args --sort=-pcpu | head -6 | cut -c1-160 >&2
      break
    fi
    bench_log "the machine is ${busy}% busy with other programs; waiting for it to settle"
    sleep 4
  done
  bench_note machine_busy_before_pct "$busy"
  bench_note loadavg_before "\"$(cut -d' ' -f1-3 /proc/loadavg)\""
}

# A generated config: loopback, H2 file in the temp dir, no schedule, one static provider of two models.
sse_config() {
  local port="$1"
  bench_config_head "$port" "$BENCH_TMP/data-$port"
  printf '\n[[providers]]\nid = "bench"\nkind = "static"\nmodels = ["model-a", "model-b"]\n'
}

# Runs bench/SseLoad.java against the server on $port (pid $SB_PID): sse_load NAME [SseLoad option…].
# Its "RESULT name value" lines land in the associative array R (declared by the caller); its
# progress is copied to stderr.
sse_load() {
  local out="$BENCH_TMP/sseload-$1.out" tag name value
  shift
  "$JAVA_HOME/bin/java" -cp "$REPO_ROOT/switchboard-client/target/classes" "$BENCH_DIR/SseLoad.java" --port "$port" --server-pid "$SB_PID" "$@" \
      >"$out" 2>"$out.err" || { cat "$out.err" >&2; bench_die "SseLoad failed"; }
  cat "$out.err" >&2
  R=()
  while read -r tag name value; do [ "$tag" = RESULT ] && R[$name]="$value"; done <"$out"
  [ -n "${R[lag_p99_ms]:-}" ] || bench_die "SseLoad printed no lag figures (see $out)"
  kill -0 "$SB_PID" 2>/dev/null || bench_die "the server died during the run (log: $BENCH_TMP/switchboard.log)"
  # shellcheck disable=SC2086 # SSE_SERVER_LOGS is a list of files (cluster.sh: one per instance)
  if grep -E 'OutOfMemoryError|Too many open files|blocked for' ${SSE_SERVER_LOGS:-"$BENCH_TMP/switchboard.log"} >&2; then
    bench_log "the server logged the lines above"
  fi
  if awk -v o="${R[cpu_other_cores]}" 'BEGIN {exit !(o > 0.2)}'; then
    bench_log "warning: other programs used ${R[cpu_other_cores]} cores of $(nproc) during the run; the figures are pessimistic"
  fi
}

# Every RESULT of the last sse_load as a JSON object (numbers where they parse), for bench_note.
sse_results_json() {
  local k
  for k in "${!R[@]}"; do printf '%s=%s\n' "$k" "${R[$k]}"; done | python3 -c '
import json, sys
out = {}
for line in sys.stdin:
    k, v = line.rstrip("\n").split("=", 1)
    try:
        out[k] = int(v)
    except ValueError:
        try:
            out[k] = float(v)
        except ValueError:
            out[k] = v
print(json.dumps(dict(sorted(out.items()))))'
}
