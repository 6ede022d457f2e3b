# Shared functions of the benchmark scenarios; sourced, never run.
#
# A scenario calls bench_init first: strict mode, a temp dir for everything it generates, and an EXIT
# trap that stops every process it started (bench_track) and deletes the temp dir. It prints one
# summary line per figure (bench_figure) and, when BENCH_RESULTS names a directory (run-all.sh sets
# it), writes <date>-<scenario>.json there with the machine it ran on.
#
# Knobs (environment): BENCH_DURATION (seconds per wrk run), BENCH_REPEAT (runs per measurement, the
# median is reported), BENCH_THREADS and BENCH_CONNECTIONS (wrk -t / -c), BENCH_JAVA_OPTS (JVM
# options for the server; default the launcher's collector), BENCH_KEEP_TMP=1 (keep the temp dir).

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/.." && pwd)"
SB_JAR="$REPO_ROOT/switchboard-cli/target/switchboard.jar"
BENCH_DURATION="${BENCH_DURATION:-3}"
BENCH_REPEAT="${BENCH_REPEAT:-3}"
BENCH_THREADS="${BENCH_THREADS:-2}"
BENCH_CONNECTIONS="${BENCH_CONNECTIONS:-64}"
# The collector the ./switchboard launcher picks (its class-data archive only speeds up start-up,
# which start-to-ready.sh measures on its own).
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS--XX:+UseSerialGC}"
BENCH_PIDS=()
# Functions to call when the scenario exits, after its processes stopped (e.g. drop a database it created).
BENCH_EXIT_HOOKS=()

bench_init() {
  BENCH_SCENARIO="$1"
  set -euo pipefail
  . "$REPO_ROOT/scripts/java-home.sh"
  BENCH_TMP="$(mktemp -d "${TMPDIR:-/tmp}/bench-$BENCH_SCENARIO.XXXXXX")"
  BENCH_FIGURES="$BENCH_TMP/figures.jsonl"
  BENCH_RUNS="$BENCH_TMP/runs.jsonl"
  : >"$BENCH_FIGURES"
  : >"$BENCH_RUNS"
  BENCH_STARTED=$(date +%s)
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

bench_log() {
  echo "[$BENCH_SCENARIO] $*" >&2
}

bench_die() {
  bench_log "error: $*"
  exit 1
}

# Registers a process to stop when the scenario exits.
bench_track() {
  BENCH_PIDS+=("$1")
}

# Stops PID: TERM, then KILL after TIMEOUT seconds (default 5).
bench_stop_pid() {
  local pid="$1" timeout="${2:-5}"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  kill -CONT "$pid" 2>/dev/null || true # a scenario may have stopped it (SIGSTOP)
  for _ in $(seq 1 $((timeout * 10))); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  bench_log "pid $pid did not stop within ${timeout}s after TERM; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

bench_cleanup() {
  local status=$? pid hook
  trap - EXIT INT TERM
  for pid in "${BENCH_PIDS[@]}"; do bench_stop_pid "$pid"; done
  for hook in "${BENCH_EXIT_HOOKS[@]}"; do "$hook" || bench_log "exit hook $hook failed"; done
  if [ "$status" -eq 0 ]; then
    bench_write_results || status=$?
  fi
  if [ -n "${BENCH_TMP:-}" ] && [ -d "$BENCH_TMP" ]; then
    if [ "${BENCH_KEEP_TMP:-0}" = 1 ] || [ "$status" -ne 0 ]; then
      bench_log "temp dir kept: $BENCH_TMP"
    else
      rm -rf "$BENCH_TMP"
    fi
  fi
  bench_log "finished in $(( $(date +%s) - BENCH_STARTED ))s, exit $status"
  exit "$status"
}

# Tools ------------------------------------------------------------------------------------------

bench_require() {
  local tool="$1" package="$2"
  command -v "$tool" >/dev/null 2>&1 && return 0
  bench_die "$tool is not installed; install it with: apt-get update && apt-get install -y $package"
}

bench_require_wrk() {
  bench_require wrk wrk
  bench_require curl curl
  bench_require python3 python3
}

bench_require_nginx() {
  if ! command -v nginx >/dev/null 2>&1 && [ -x /usr/sbin/nginx ]; then PATH="$PATH:/usr/sbin"; fi
  bench_require nginx nginx-light
}

# A free TCP port on loopback (the kernel picks it; the tiny race with other programs is accepted).
bench_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Waits until URL answers with STATUS (default 200); fails after TIMEOUT seconds or when PID dies.
bench_wait_http() {
  local url="$1" timeout="${2:-60}" status="${3:-200}" pid="${4:-}" deadline code
  deadline=$(( $(date +%s%N) + timeout * 1000000000 ))
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" 2>/dev/null) || true
    [ "$code" = "$status" ] && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      bench_log "process $pid exited while waiting for $url"
      return 1
    fi
    [ "$(date +%s%N)" -lt "$deadline" ] || { bench_log "no $status from $url within ${timeout}s (last: $code)"; return 1; }
    sleep 0.01
  done
}

# Switchboard ------------------------------------------------------------------------------------

# Builds the checkout when the jar is missing or older than the sources (as ./switchboard does): the
# jar, and the classes the benchmarks run themselves (the fake upstream, the SDK's SSE parser for SseLoad).
bench_ensure_jar() {
  if [ ! -f "$SB_JAR" ] || [ -n "$(find "$REPO_ROOT"/switchboard-{server,client,cli,test-support}/src/main "$REPO_ROOT/pom.xml" \
      "$REPO_ROOT"/switchboard-{server,client,cli,test-support}/pom.xml -newer "$SB_JAR" -type f -print -quit 2>/dev/null)" ]; then
    bench_log "building the jar…"
    (cd "$REPO_ROOT" && ./mvnw -B -q -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package >&2)
  fi
}

# Starts Switchboard: bench_start_switchboard NAME CONFIG PORT [JVM option…]. Sets SB_PID, waits for
# /readyz. Runs in the temp dir so nothing lands in the checkout; the log is $BENCH_TMP/NAME.log.
bench_start_switchboard() {
  local name="$1" config="$2" port="$3"
  shift 3
  mkdir -p "$BENCH_TMP/$name"
  # shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
  (cd "$BENCH_TMP/$name" && exec "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow $BENCH_JAVA_OPTS "$@" \
      -jar "$SB_JAR" serve --config "$config" --port "$port" >"$BENCH_TMP/$name.log" 2>&1) &
  SB_PID=$!
  bench_track "$SB_PID"
  if ! bench_wait_http "http://127.0.0.1:$port/readyz" 120 200 "$SB_PID"; then
    tail -20 "$BENCH_TMP/$name.log" >&2
    bench_die "Switchboard ($name) did not become ready"
  fi
}

# Starts the fake OpenAI-compatible upstream on PORT, the tests' FakeUpstream (module
# switchboard-test-support, built by bench_ensure_jar) run as a program: GET /p/{provider}/{count}/models
# answers a generated list of that many models. Sets UPSTREAM_PID and waits for its /healthz.
bench_start_fake_upstream() {
  local port="$1"
  "$JAVA_HOME/bin/java" -cp "$REPO_ROOT/switchboard-test-support/target/classes" dev.switchboard.testsupport.FakeUpstream "$port" \
      >"$BENCH_TMP/upstream.log" 2>&1 &
  UPSTREAM_PID=$!
  bench_track "$UPSTREAM_PID"
  bench_wait_http "http://127.0.0.1:$port/healthz" 60 200 "$UPSTREAM_PID" || { cat "$BENCH_TMP/upstream.log" >&2; bench_die "fake upstream did not start"; }
}

# The common head of a generated config: loopback, an H2 file in the temp dir, no schedule.
bench_config_head() {
  local port="$1" data="$2"
  cat <<EOF
[server]
host = "127.0.0.1"
port = $port

[store]
url = "jdbc:h2:file:$data/switchboard"

[model_catalog]
refresh_interval = 0
EOF
}

# Resident set size of PID in MiB (VmRSS from /proc).
bench_rss_mib() {
  [ -r "/proc/$1/status" ] || bench_die "process $1 is gone (see the logs in $BENCH_TMP)"
  awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"
}

# Used heap in MiB after a full GC, from jcmd GC.heap_info (works for G1, Serial and Parallel).
bench_heap_after_gc_mib() {
  local pid="$1"
  "$JAVA_HOME/bin/jcmd" "$pid" GC.run >/dev/null
  # G1 prints one heap line, Serial and Parallel one per generation; Metaspace is not heap.
  "$JAVA_HOME/bin/jcmd" "$pid" GC.heap_info | awk '
    /used [0-9]+K/ && !/Metaspace|class space/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); sum += v } }
    END { printf "%.1f", sum / 1024 }'
}

# nginx ------------------------------------------------------------------------------------------

# Starts nginx serving ROOT on PORT with WORKERS worker processes; extra http-level directives in $4,
# extra server-level ones (locations) in $5. Sets NGINX_PID. The generated nginx.conf lives in the temp
# dir; access_log off, keepalive on.
bench_start_nginx() {
  local root="$1" port="$2" workers="$3" extra="${4:-}" server_extra="${5:-}" dir="$BENCH_TMP/nginx-$2"
  mkdir -p "$dir/tmp"
  # nginx's workers drop root for an unprivileged user, who must be able to read the temp dir.
  chmod 755 "$BENCH_TMP"
  cat >"$dir/nginx.conf" <<EOF
worker_processes $workers;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/tmp;
  proxy_temp_path $dir/tmp;
  fastcgi_temp_path $dir/tmp;
  uwsgi_temp_path $dir/tmp;
  scgi_temp_path $dir/tmp;
  keepalive_timeout 65s;
  keepalive_requests 1000000;
  # nginx at its best for one small static file: descriptors cached, no open/fstat/close per request.
  open_file_cache max=64 inactive=60s;
  open_file_cache_valid 60s;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  types { }
  default_type application/json;
  $extra
  server {
    listen 127.0.0.1:$port;
    root $root;
    $server_extra
  }
}
EOF
  nginx -t -q -c "$dir/nginx.conf" -p "$dir" 2>"$dir/test.log" || { cat "$dir/test.log" >&2; bench_die "nginx config rejected"; }
  nginx -c "$dir/nginx.conf" -p "$dir" >"$dir/stdout.log" 2>&1 &
  NGINX_PID=$!
  bench_track "$NGINX_PID"
}

# Load -------------------------------------------------------------------------------------------

# Runs wrk once: bench_wrk LABEL URL [wrk option…]. Appends the run (rps, latency percentiles in µs,
# errors) to the runs file and prints "<requests/s> <requests>". Fails when no request succeeded or
# any failed. BENCH_WRK_SCRIPT (optional) replaces wrk-report.lua with a script that loads it (to POST). BENCH_CPU_PIDS (optional) names the server's processes: their CPU time per request is
# recorded with the run (cpu_us_per_request), a figure that other load on the machine disturbs less.
bench_wrk() {
  local label="$1" url="$2" out json
  shift 2
  out="$BENCH_TMP/wrk-$(date +%s%N).txt"
  local cpu0=0 cpu1=0
  # shellcheck disable=SC2086 # a list of pids
  [ -z "${BENCH_CPU_PIDS:-}" ] || cpu0=$(bench_cpu_ticks $BENCH_CPU_PIDS)
  wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"${BENCH_DURATION}s" --timeout 10s --latency \
      -s "${BENCH_WRK_SCRIPT:-$BENCH_DIR/wrk-report.lua}" "$@" "$url" >"$out" 2>&1 || { cat "$out" >&2; bench_die "wrk failed on $url"; }
  # shellcheck disable=SC2086
  [ -z "${BENCH_CPU_PIDS:-}" ] || cpu1=$(bench_cpu_ticks $BENCH_CPU_PIDS)
  json=$(sed -n 's/^WRK_JSON //p' "$out")
  [ -n "$json" ] || { cat "$out" >&2; bench_die "wrk printed no report for $url"; }
  python3 - "$label" "$json" "$BENCH_RUNS" "$((cpu1 - cpu0))" "$(getconf CLK_TCK)" <<'EOF'
import json, sys
label, raw, runs, ticks, hz = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
raw["label"] = label
if ticks and raw["requests"]:
    raw["cpu_us_per_request"] = round(ticks * 1e6 / hz / raw["requests"], 2)
errors = sum(raw["errors"].values())
if raw["requests"] == 0 or errors:
    sys.exit(f"wrk {label}: {raw['requests']} requests, errors {raw['errors']}")
with open(runs, "a") as f:
    f.write(json.dumps(raw) + "\n")
print(raw["rps"], raw["requests"])
EOF
}

# The median of the numbers given as arguments.
bench_median() {
  printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# The median of a latency percentile (p50, p99 …, in µs) over the runs with LABEL, as milliseconds.
bench_latency_ms() {
  python3 - "$BENCH_RUNS" "$1" "$2" <<'EOF'
import json, statistics, sys
runs, label, pct = sys.argv[1], sys.argv[2], sys.argv[3]
values = [r["latency_us"][pct] for r in map(json.loads, open(runs)) if r["label"] == label]
print(f"{statistics.median(values) / 1000:.3f}")
EOF
}

# The median CPU µs per request over the runs with LABEL (empty when not measured).
bench_cpu_per_request() {
  python3 - "$BENCH_RUNS" "$1" <<'EOF'
import json, statistics, sys
values = [r["cpu_us_per_request"] for r in map(json.loads, open(sys.argv[1])) if r["label"] == sys.argv[2] and "cpu_us_per_request" in r]
print(f"{statistics.median(values):.2f}" if values else "")
EOF
}

# Results ----------------------------------------------------------------------------------------

# Records a figure and prints its summary line:
#   bench_figure NAME VALUE UNIT [GOAL_TEXT MET]   (MET: yes | no | "" when there is no goal)
bench_figure() {
  local name="$1" value="$2" unit="$3" goal="${4:-}" met="${5:-}" line
  line="$BENCH_SCENARIO $name: $value $unit"
  if [ -n "$goal" ]; then line="$line (goal $goal: ${met:-n/a})"; fi
  echo "$line"
  python3 - "$name" "$value" "$unit" "$goal" "$met" >>"$BENCH_FIGURES" <<'EOF'
import json, sys
name, value, unit, goal, met = sys.argv[1:]
try:
    value = float(value)
except ValueError:
    pass
figure = {"name": name, "value": value, "unit": unit}
if goal:
    figure.update(goal=goal, met=met == "yes")
print(json.dumps(figure))
EOF
}

# Compares two numbers: bench_at_least A B → "yes" when A >= B, else "no".
bench_at_least() {
  awk -v a="$1" -v b="$2" 'BEGIN {print (a + 0 >= b + 0) ? "yes" : "no"}'
}

# Extra facts about the run (JSON object text) to store in the results, e.g. body sizes.
bench_note() {
  BENCH_NOTES="${BENCH_NOTES:-}${BENCH_NOTES:+,}\"$1\": $2"
}

bench_machine_json() {
  local cpu mem jdk nginx_version wrk_version commit
  cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
  mem=$(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
  jdk=$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)
  nginx_version=$( (nginx -v 2>&1 || /usr/sbin/nginx -v 2>&1) | head -1 || true)
  wrk_version=$(wrk -v 2>&1 | head -1 || true)
  commit=$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  python3 -c 'import json, sys; print(json.dumps(dict(zip(["nproc", "cpu", "memory", "kernel", "jdk", "nginx", "wrk", "commit"], sys.argv[1:]))))' \
      "$(nproc)" "$cpu" "$mem" "$(uname -sr)" "$jdk" "$nginx_version" "$wrk_version" "$commit"
}

bench_write_results() {
  [ -n "${BENCH_RESULTS:-}" ] || return 0
  mkdir -p "$BENCH_RESULTS"
  local file
  file="$BENCH_RESULTS/$(date +%F)-$BENCH_SCENARIO.json"
  python3 - "$file" "$BENCH_SCENARIO" "$(bench_machine_json)" "{${BENCH_NOTES:-}}" "$BENCH_FIGURES" "$BENCH_RUNS" \
      "$BENCH_DURATION" "$BENCH_REPEAT" "$BENCH_THREADS" "$BENCH_CONNECTIONS" <<'EOF'
import datetime, json, sys
file, scenario, machine, notes, figures, runs, duration, repeat, threads, connections = sys.argv[1:]
doc = {
    "scenario": scenario,
    "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "machine": json.loads(machine),
    "settings": {"wrk_duration_s": int(duration), "repeat": int(repeat), "wrk_threads": int(threads),
                 "wrk_connections": int(connections)},
    "notes": json.loads(notes),
    "figures": [json.loads(line) for line in open(figures)],
    "runs": [json.loads(line) for line in open(runs)],
}
with open(file, "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")
EOF
  bench_log "results written to ${file#"$REPO_ROOT"/}"
}

# Waits until GET /v1/models on PORT lists COUNT models (the first refresh has been applied).
bench_wait_models() {
  local port="$1" count="$2" timeout="${3:-60}" deadline have
  deadline=$(( $(date +%s) + timeout ))
  while :; do
    have=$(curl -s --max-time 30 "http://127.0.0.1:$port/v1/models" \
        | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["data"]))' 2>/dev/null) || have=0
    [ "$have" = "$count" ] && return 0
    [ "$(date +%s)" -lt "$deadline" ] || bench_die "/v1/models on port $port lists $have models, expected $count"
    sleep 0.2
  done
}

# CPU time (user + system, in clock ticks) used so far by the processes given and their children
# (nginx's workers), from /proc; take the difference around a run.
bench_cpu_ticks() {
  local pid parent total=0 ticks
  for pid in "$@" $(for parent in "$@"; do ps -o pid= --ppid "$parent" 2>/dev/null; done); do
    ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null) || continue
    total=$((total + ticks))
  done
  echo "$total"
}
