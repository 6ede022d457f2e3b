#!/usr/bin/env bash
# GET /v1/models from Switchboard against nginx serving the very same bytes as a static file
# (DESIGN §11: >= 0.9x nginx's requests/s at ~2 KB, >= 0.7x at ~200 KB; the 304 path faster than 200).
#
# For each body size: a static provider with enough models for the size, Switchboard on loopback;
# its /v1/models body (plain and gzip) is fetched once and written under a temp root as v1/models and
# v1/models.gz, served by nginx at the same path (access_log off, keepalive on, gzip_static on so both
# servers send precompressed bytes). Variants: plain; If-None-Match with each server's own ETag (304);
# Accept-Encoding: gzip. wrk runs alternate between the two servers, BENCH_REPEAT times each; the
# ratio is the median of the per-pair ratios, latencies the medians of wrk's percentiles.
#
# Fairness: both servers may use the whole machine. nginx gets worker_processes = nproc (override
# with BENCH_NGINX_WORKERS); Switchboard runs its HTTP server on its own event loops. wrk shares the
# same cores with both, so the comparison is fair but absolute numbers are lower than on a quiet box.
. "$(dirname "$0")/lib.sh"
bench_init models-vs-nginx
bench_require_wrk
bench_require_nginx
bench_ensure_jar

NGINX_WORKERS="${BENCH_NGINX_WORKERS:-$(nproc)}"
# Models in the static provider for each body size (one entry is ~175 bytes).
SIZES=("2KB:12" "200KB:1170")
VARIANTS=(plain 304 gzip)
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

for entry in "${SIZES[@]}"; do
  size="${entry%%:*}" count="${entry##*:}"
  sb_port=$(bench_free_port)
  static_config "$sb_port" "$BENCH_TMP/data-$size" "$count" >"$BENCH_TMP/switchboard-$size.toml"
  bench_start_switchboard "switchboard-$size" "$BENCH_TMP/switchboard-$size.toml" "$sb_port"
  sb_pid=$SB_PID
  bench_wait_models "$sb_port" "$count"
  sb_url="http://127.0.0.1:$sb_port/v1/models"

  root="$BENCH_TMP/www-$size"
  mkdir -p "$root/v1"
  curl -s -o "$root/v1/models" "$sb_url"
  curl -s -o "$root/v1/models.gz" -H 'Accept-Encoding: gzip' "$sb_url"
  gzip -t <"$root/v1/models.gz" 2>/dev/null || bench_die "Switchboard's gzip body at $size is not gzip"
  bytes=$(stat -c %s "$root/v1/models") gz_bytes=$(stat -c %s "$root/v1/models.gz")
  bench_note "body_bytes_$size" "$bytes"
  bench_note "gzip_bytes_$size" "$gz_bytes"
  bench_log "$size: $count models, body $bytes bytes, gzip $gz_bytes bytes"

  nginx_port=$(bench_free_port)
  bench_start_nginx "$root" "$nginx_port" "$NGINX_WORKERS" "gzip_static on; etag on;"
  nginx_pid=$NGINX_PID
  nginx_url="http://127.0.0.1:$nginx_port/v1/models"
  bench_wait_http "$nginx_url" 10 200 "$nginx_pid" || bench_die "nginx did not start"

  declare -A etags=([switchboard]="$(etag_of "$sb_url")" [nginx]="$(etag_of "$nginx_url")")
  declare -A urls=([switchboard]="$sb_url" [nginx]="$nginx_url")
  for variant in "${VARIANTS[@]}"; do
    expect="$root/v1/models"
    [ "$variant" = gzip ] && expect="$root/v1/models.gz"
    for server in switchboard nginx; do check_variant "${urls[$server]}" "$variant" "${etags[$server]}" "$expect"; done
  done

  # Warm-up: JIT for Switchboard, page cache and connections for nginx; not recorded.
  for server in switchboard nginx; do
    BENCH_DURATION=2 bench_wrk "warmup-$server-$size" "${urls[$server]}" >/dev/null
  done
  sed -i '/"label": "warmup-/d' "$BENCH_RUNS"

  for variant in "${VARIANTS[@]}"; do
    ratios=() sb_rps=() nginx_rps=()
    for r in $(seq 1 "$BENCH_REPEAT"); do
      # Alternate who goes first so slow drifts of the machine do not favour one side.
      order=(switchboard nginx)
      [ $((r % 2)) -eq 0 ] && order=(nginx switchboard)
      declare -A rps=()
      for server in "${order[@]}"; do
        mapfile -t headers < <(variant_headers "$variant" "${etags[$server]}")
        rps[$server]=$(bench_wrk "$server-$size-$variant" "${urls[$server]}" "${headers[@]}")
      done
      sb_rps+=("${rps[switchboard]}") nginx_rps+=("${rps[nginx]}")
      ratios+=("$(awk -v a="${rps[switchboard]}" -v b="${rps[nginx]}" 'BEGIN {printf "%.3f", a / b}')")
    done
    ratio=$(bench_median "${ratios[@]}")
    goal=""
    if [ "$variant" = plain ]; then goal=$([ "$size" = 2KB ] && echo ">= 0.9" || echo ">= 0.7"); fi
    bench_figure "$size.$variant.ratio" "$ratio" "x nginx" "$goal" "$([ -n "$goal" ] && bench_at_least "$ratio" "${goal#>= }")"
    bench_figure "$size.$variant.switchboard.rps" "$(bench_median "${sb_rps[@]}")" "req/s"
    bench_figure "$size.$variant.nginx.rps" "$(bench_median "${nginx_rps[@]}")" "req/s"
    for server in switchboard nginx; do
      bench_figure "$size.$variant.$server.p50" "$(bench_latency_ms "$server-$size-$variant" p50)" ms
      bench_figure "$size.$variant.$server.p99" "$(bench_latency_ms "$server-$size-$variant" p99)" ms
    done
    declare "median_$variant=$(bench_median "${sb_rps[@]}")"
  done
  # shellcheck disable=SC2154 # median_304 and median_plain are declared in the loop above
  bench_figure "$size.304_vs_200" "$(awk -v a="$median_304" -v b="$median_plain" 'BEGIN {printf "%.2f", a / b}')" \
      "x (Switchboard 304 req/s / 200 req/s)" "> 1" "$(awk -v a="$median_304" -v b="$median_plain" 'BEGIN {print (a > b) ? "yes" : "no"}')"

  bench_stop_pid "$sb_pid"
  bench_stop_pid "$nginx_pid"
  unset etags urls
done
