#!/usr/bin/env bash
# GET /v1/models from Switchboard against nginx serving the very same bytes as a static file
# (DESIGN §11: >= 0.9x nginx's requests/s at ~2 KB, >= 0.7x at ~200 KB; the 304 path faster than 200).
#
# For each body size: a static provider with enough models for the size, Switchboard on loopback;
# its /v1/models body (plain and gzip) is fetched once and written under a temp root as v1/models and
# v1/models.gz, served by nginx at the same path (access_log off, keepalive on, gzip_static on so both
# servers send precompressed bytes). Variants: plain; If-None-Match with each server's own ETag (304);
# Accept-Encoding: gzip. Each round (BENCH_REPEAT_MODELS, default 5, of BENCH_DURATION_MODELS = 2 s
# runs) runs every variant on every server, rotating who goes first; a ratio is the median of the
# per-round ratios, latencies the medians of wrk's percentiles. Each run also records
# the server's CPU time per request (all its threads or workers), which load from other programs on
# the machine disturbs much less than requests/s.
#
# Fairness: both servers may use the whole machine. nginx gets worker_processes = nproc (override
# with BENCH_NGINX_WORKERS); Switchboard serves HTTP on the event loops it chooses. wrk shares the
# same cores with both, so the comparison is fair but absolute numbers are lower than on a quiet box.
#
# Before/after: BENCH_BASELINE_JAR=/path/to/switchboard.jar (e.g. from bench/build-jar.sh REV) adds a
# third server, "baseline", run from that jar with the same config, rotated with the other two;
# BENCH_BASELINE_JAVA_OPTS gives the baseline its own JVM options (with or without another jar).
# Results then go to <date>-models-before-after.json. With three servers a run takes about 4 minutes.
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
if [ -n "${BENCH_BASELINE_JAR:-}${BENCH_BASELINE_JAVA_OPTS:-}" ]; then
  bench_init models-before-after
else
  bench_init models-vs-nginx
fi
bench_require_wrk
bench_require_nginx
bench_ensure_jar

NGINX_WORKERS="${BENCH_NGINX_WORKERS:-$(nproc)}"
# Models in the static provider for each body size (one entry is ~175 bytes); BENCH_SIZES=2KB picks one.
SIZES=()
for entry in "2KB:12" "200KB:1170"; do
  case " ${BENCH_SIZES:-2KB 200KB} " in *" ${entry%%:*} "*) SIZES+=("$entry") ;; esac
done
# Many short rounds: a burst of other work on the machine spoils one round, not the median.
BENCH_REPEAT="${BENCH_REPEAT_MODELS:-5}"
# shellcheck disable=SC2034 # read by bench_wrk in lib.sh
BENCH_DURATION="${BENCH_DURATION_MODELS:-2}"
VARIANTS=(plain 304 gzip)
SERVERS=(switchboard nginx)
if [ "$BENCH_SCENARIO" = models-before-after ]; then
  BENCH_BASELINE_JAR="${BENCH_BASELINE_JAR:-$SB_JAR}"
  [ -f "$BENCH_BASELINE_JAR" ] || bench_die "BENCH_BASELINE_JAR=$BENCH_BASELINE_JAR is not a file"
  SERVERS=(switchboard baseline nginx)
  bench_note baseline_jar "\"$BENCH_BASELINE_JAR\""
  bench_note baseline_java_opts "\"${BENCH_BASELINE_JAVA_OPTS:-$BENCH_JAVA_OPTS}\""
  bench_note switchboard_java_opts "\"$BENCH_JAVA_OPTS\""
fi
bench_note nginx_workers "$NGINX_WORKERS"

static_config() {
  local port="$1" data="$2" count="$3" i
  bench_config_head "$port" "$data"
  echo
  echo '[[providers]]'
  echo 'id = "bench"'
  echo 'kind = "static"'
  printf 'models = ['
  for i in $(seq 1 "$count"); do printf '"model-%05d"%s' "$i" "$([ "$i" -lt "$count" ] && echo ', ')"; done
  echo ']'
}

# Headers for wrk and curl for one variant against one server (whose ETag is given).
variant_headers() {
  case "$1" in
    plain) ;;
    304) printf '%s\n' "-H" "If-None-Match: $2" ;;
    gzip) printf '%s\n' "-H" "Accept-Encoding: gzip" ;;
  esac
}

# Checks one server answers a variant as expected before it is loaded: status and exact bytes.
check_variant() {
  local url="$1" variant="$2" etag="$3" expect_file="$4" got="$BENCH_TMP/check.bin" status
  local -a headers
  mapfile -t headers < <(variant_headers "$variant" "$etag")
  status=$(curl -s -o "$got" -w '%{http_code}' "${headers[@]}" "$url")
  case "$variant" in
    304) [ "$status" = 304 ] || bench_die "$url with If-None-Match answered $status, not 304" ;;
    *) [ "$status" = 200 ] || bench_die "$url ($variant) answered $status"
       cmp -s "$got" "$expect_file" || bench_die "$url ($variant) did not send the expected bytes" ;;
  esac
}

etag_of() {
  curl -s -o /dev/null -D - "$1" | awk 'tolower($1) == "etag:" {sub(/\r$/, "", $2); print $2}'
}

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'
}

for entry in "${SIZES[@]}"; do
  size="${entry%%:*}" count="${entry##*:}"
  declare -A urls=() pids=() etags=()
  for server in "${SERVERS[@]}"; do
    [ "$server" = nginx ] && continue
    port=$(bench_free_port)
    static_config "$port" "$BENCH_TMP/data-$server-$size" "$count" >"$BENCH_TMP/$server-$size.toml"
    jar="$SB_JAR" java_opts="$BENCH_JAVA_OPTS"
    [ "$server" = baseline ] && jar="$BENCH_BASELINE_JAR" java_opts="${BENCH_BASELINE_JAVA_OPTS:-$BENCH_JAVA_OPTS}"
    SB_JAR="$jar" BENCH_JAVA_OPTS="$java_opts" bench_start_switchboard "$server-$size" "$BENCH_TMP/$server-$size.toml" "$port"
    pids[$server]=$SB_PID
    bench_wait_models "$port" "$count"
    urls[$server]="http://127.0.0.1:$port/v1/models"
  done

  root="$BENCH_TMP/www-$size"
  mkdir -p "$root/v1"
  curl -s -o "$root/v1/models" "${urls[switchboard]}"
  curl -s -o "$root/v1/models.gz" -H 'Accept-Encoding: gzip' "${urls[switchboard]}"
  gzip -t <"$root/v1/models.gz" 2>/dev/null || bench_die "Switchboard's gzip body at $size is not gzip"
  bytes=$(stat -c %s "$root/v1/models") gz_bytes=$(stat -c %s "$root/v1/models.gz")
  bench_note "body_bytes_$size" "$bytes"
  bench_note "gzip_bytes_$size" "$gz_bytes"
  bench_log "$size: $count models, body $bytes bytes, gzip $gz_bytes bytes"

  port=$(bench_free_port)
  bench_start_nginx "$root" "$port" "$NGINX_WORKERS" "gzip_static on; etag on;"
  pids[nginx]=$NGINX_PID
  urls[nginx]="http://127.0.0.1:$port/v1/models"
  bench_wait_http "${urls[nginx]}" 10 200 "$NGINX_PID" || bench_die "nginx did not start"

  for server in "${SERVERS[@]}"; do etags[$server]=$(etag_of "${urls[$server]}"); done
  for variant in "${VARIANTS[@]}"; do
    expect="$root/v1/models"
    [ "$variant" = gzip ] && expect="$root/v1/models.gz"
    for server in "${SERVERS[@]}"; do check_variant "${urls[$server]}" "$variant" "${etags[$server]}" "$expect"; done
  done

  # Warm-up: JIT for Switchboard, page cache and connections for nginx; not recorded.
  for server in "${SERVERS[@]}"; do
    for variant in "${VARIANTS[@]}"; do
      mapfile -t headers < <(variant_headers "$variant" "${etags[$server]}")
      BENCH_DURATION=2 bench_wrk "warmup" "${urls[$server]}" "${headers[@]}" >/dev/null
    done
  done
  sed -i '/"label": "warmup"/d' "$BENCH_RUNS"

  # Rounds outside, variants and servers inside: every comparison (server against nginx, 304 against
  # 200) is between runs minutes apart at most, and its median is over rounds.
  declare -A ratios=() rps_list=()
  for r in $(seq 1 "$BENCH_REPEAT"); do
    # Rotate who goes first so slow drifts of the machine favour no one.
    order=("${SERVERS[@]:$(( (r - 1) % ${#SERVERS[@]} ))}" "${SERVERS[@]:0:$(( (r - 1) % ${#SERVERS[@]} ))}")
    for variant in "${VARIANTS[@]}"; do
      declare -A rps=()
      for server in "${order[@]}"; do
        mapfile -t headers < <(variant_headers "$variant" "${etags[$server]}")
        result=$(BENCH_CPU_PIDS="${pids[$server]}" bench_wrk "$server-$size-$variant" "${urls[$server]}" "${headers[@]}")
        rps[$server]="${result%% *}"
        rps_list[$server.$variant]="${rps_list[$server.$variant]:-} ${rps[$server]}"
      done
      for server in "${SERVERS[@]}"; do
        [ "$server" = nginx ] || ratios[$server.$variant]="${ratios[$server.$variant]:-} $(ratio "${rps[$server]}" "${rps[nginx]}")"
      done
      if [ "$BENCH_SCENARIO" = models-before-after ]; then
        ratios[after_before.$variant]="${ratios[after_before.$variant]:-} $(ratio "${rps[switchboard]}" "${rps[baseline]}")"
      fi
      [ "$variant" = plain ] && plain_rps="${rps[switchboard]}"
      [ "$variant" = 304 ] && ratios[304_vs_200]="${ratios[304_vs_200]:-} $(ratio "${rps[switchboard]}" "$plain_rps")"
      unset rps
    done
  done

  # shellcheck disable=SC2086 # space-separated lists of numbers
  for variant in "${VARIANTS[@]}"; do
    goal=""
    if [ "$variant" = plain ]; then goal=$([ "$size" = 2KB ] && echo ">= 0.9" || echo ">= 0.7"); fi
    for server in "${SERVERS[@]}"; do
      if [ "$server" != nginx ]; then
        value=$(bench_median ${ratios[$server.$variant]})
        bench_figure "$size.$variant.$server.ratio" "$value" "x nginx" "$goal" "$([ -n "$goal" ] && bench_at_least "$value" "${goal#>= }")"
      fi
      bench_figure "$size.$variant.$server.rps" "$(bench_median ${rps_list[$server.$variant]})" "req/s"
      bench_figure "$size.$variant.$server.p50" "$(bench_latency_ms "$server-$size-$variant" p50)" ms
      bench_figure "$size.$variant.$server.p99" "$(bench_latency_ms "$server-$size-$variant" p99)" ms
      bench_figure "$size.$variant.$server.cpu" "$(bench_cpu_per_request "$server-$size-$variant")" "µs CPU/request"
    done
    if [ "$BENCH_SCENARIO" = models-before-after ]; then
      bench_figure "$size.$variant.after_vs_before" "$(bench_median ${ratios[after_before.$variant]})" "x (switchboard / baseline req/s)"
    fi
  done
  # shellcheck disable=SC2086
  value=$(bench_median ${ratios[304_vs_200]})
  bench_figure "$size.304_vs_200" "$value" "x (Switchboard 304 req/s / 200 req/s, same round)" "> 1" \
      "$(awk -v a="$value" 'BEGIN {print (a > 1) ? "yes" : "no"}')"
  unset ratios rps_list

  for server in "${SERVERS[@]}"; do bench_stop_pid "${pids[$server]}"; done
  unset urls pids etags
done
