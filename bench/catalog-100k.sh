#!/usr/bin/env bash
# A large catalog: memory and GET /v1/models at 1 000, 10 000 and 100 000 models (20 OpenAI-compatible
# providers x 50, 500 and 5 000 models from the local fake upstream). No DESIGN §11 goal of its own;
# it shows how the /v1/models figures and the memory budget scale with the catalog.
#
# For each size: a fresh server and store, one timed POST /api/v1/providers:refresh, then RSS (VmRSS)
# and the heap used after a full GC (jcmd GC.heap_info), wrk on /v1/models plain, with If-None-Match
# (304) and with Accept-Encoding: gzip (BENCH_REPEAT runs each, medians), and memory again after load.
# BENCH_CATALOG_SIZES="1k:50 10k:500 100k:5000" (label:models per provider) picks the sizes.
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init catalog-100k
bench_require_wrk
bench_ensure_jar

PROVIDERS=20
read -r -a SIZES <<<"${BENCH_CATALOG_SIZES:-1k:50 10k:500 100k:5000}"
VARIANTS=(plain 304 gzip)

upstream_port=$(bench_free_port)
bench_start_fake_upstream "$upstream_port"
bench_note providers "$PROVIDERS"

config() {
  local port="$1" data="$2" models="$3" i
  bench_config_head "$port" "$data"
  echo "refresh_on_start = false"
  for i in $(seq -f '%02g' 1 "$PROVIDERS"); do
    printf '\n[[providers]]\nid = "p%s"\nkind = "openai"\nbase_url = "http://127.0.0.1:%s/p/p%s/%s"\n' \
        "$i" "$upstream_port" "$i" "$models"
  done
}

variant_headers() {
  case "$1" in
    plain) ;;
    304) printf '%s\n' "-H" "If-None-Match: $2" ;;
    gzip) printf '%s\n' "-H" "Accept-Encoding: gzip" ;;
  esac
}

for entry in "${SIZES[@]}"; do
  size="${entry%%:*}" per_provider="${entry##*:}" total=$((PROVIDERS * ${entry##*:}))
  port=$(bench_free_port)
  config "$port" "$BENCH_TMP/data-$size" "$per_provider" >"$BENCH_TMP/$size.toml"
  bench_start_switchboard "switchboard-$size" "$BENCH_TMP/$size.toml" "$port"
  pid=$SB_PID
  url="http://127.0.0.1:$port/v1/models"

  timing=$(curl -s -o "$BENCH_TMP/refresh.json" -w '%{http_code} %{time_total}' -X POST "http://127.0.0.1:$port/api/v1/providers:refresh")
  [ "${timing%% *}" = 200 ] || bench_die "refresh at $size answered ${timing%% *}"
  bench_wait_models "$port" "$total" 120
  bench_figure "$size.refresh" "$(awk -v s="${timing#* }" 'BEGIN {printf "%.0f", s * 1000}')" ms

  read -r bytes etag < <(curl -s -o /dev/null -D "$BENCH_TMP/headers.txt" -w '%{size_download}' "$url"; echo " $(awk 'tolower($1) == "etag:" {sub(/\r$/, "", $2); print $2}' "$BENCH_TMP/headers.txt")")
  gz_bytes=$(curl -s -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: gzip' "$url")
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$url")" = 304 ] || bench_die "no 304 at $size"
  bench_figure "$size.body" "$bytes" bytes
  bench_figure "$size.gzip_body" "$gz_bytes" bytes
  sleep 1
  bench_figure "$size.idle_rss" "$(bench_rss_mib "$pid")" MiB
  bench_figure "$size.heap_after_gc" "$(bench_heap_after_gc_mib "$pid")" MiB

  for variant in "${VARIANTS[@]}"; do
    mapfile -t headers < <(variant_headers "$variant" "$etag")
    BENCH_DURATION=1 bench_wrk warmup "$url" "${headers[@]}" >/dev/null
  done
  sed -i '/"label": "warmup"/d' "$BENCH_RUNS"
  for variant in "${VARIANTS[@]}"; do
    mapfile -t headers < <(variant_headers "$variant" "$etag")
    rps=()
    for _ in $(seq 1 "$BENCH_REPEAT"); do
      result=$(BENCH_CPU_PIDS="$pid" bench_wrk "$size-$variant" "$url" "${headers[@]}")
      rps+=("${result%% *}")
    done
    bench_figure "$size.$variant.rps" "$(bench_median "${rps[@]}")" "req/s"
    bench_figure "$size.$variant.p50" "$(bench_latency_ms "$size-$variant" p50)" ms
    bench_figure "$size.$variant.p99" "$(bench_latency_ms "$size-$variant" p99)" ms
    bench_figure "$size.$variant.cpu" "$(bench_cpu_per_request "$size-$variant")" "µs CPU/request"
  done
  bench_figure "$size.rss_after_load" "$(bench_rss_mib "$pid")" MiB
  bench_figure "$size.heap_after_gc_after_load" "$(bench_heap_after_gc_mib "$pid")" MiB
  bench_stop_pid "$pid"
done
