#!/usr/bin/env bash
# GET /v1/models with each filter (issue 15: every filter, old and new, >= 0.9x nginx serving the same bytes).
#
# One Switchboard with a registry provider read from a file: URL of OpenRouter-shaped entries
# (context_length, architecture.input_modalities, supported_parameters, pricing per token), BENCH_FILTER_MODELS
# of them (default 200: a ~200 KB unfiltered list). For each variant (no filter, provider, kind, capability,
# min_context, input_modality, max_input_price, and all of them combined) the filtered body is fetched from
# Switchboard once (which renders and caches it) and written under nginx's root at /<variant>/v1/models; nginx
# then serves exactly those bytes. Each round (BENCH_REPEAT_FILTERS, default 5, of BENCH_DURATION_FILTERS = 2 s
# runs) measures every variant on both servers, rotating who goes first; a ratio is the median of the per-round
# ratios. The metadata filters need the registry dialect's OpenRouter mapping; without it they match nothing
# (the script says so and records it: bodies are then the empty list).
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init models-filters-vs-nginx
bench_require_wrk
bench_require_nginx
bench_ensure_jar

NGINX_WORKERS="${BENCH_NGINX_WORKERS:-$(nproc)}"
MODELS="${BENCH_FILTER_MODELS:-200}"
BENCH_REPEAT="${BENCH_REPEAT_FILTERS:-5}"
# shellcheck disable=SC2034 # read by bench_wrk in lib.sh
BENCH_DURATION="${BENCH_DURATION_FILTERS:-2}"
bench_note nginx_workers "$NGINX_WORKERS"
bench_note models "$MODELS"

# name|query: the variants; the query is what Switchboard gets, nginx serves the same bytes at /name/v1/models.
VARIANTS=(
  "none|"
  "provider|provider=bench"
  "kind|kind=model"
  "capability|capability=tool_call,vision"
  "min_context|min_context=128000"
  "input_modality|input_modality=image"
  "max_input_price|max_input_price=2.5"
  "combined|provider=bench&kind=model&capability=tool_call&min_context=128000&input_modality=image&max_input_price=5"
)

# OpenRouter-shaped entries whose facts vary with i, so each filter keeps a different share.
python3 - "$MODELS" >"$BENCH_TMP/registry.json" <<'PY'
import json, sys
n = int(sys.argv[1])
data = []
for i in range(n):
    params = ["max_tokens", "temperature"] + (["tools", "tool_choice"] if i % 2 == 0 else []) \
        + (["reasoning"] if i % 5 == 0 else []) + (["response_format", "structured_outputs"] if i % 3 == 0 else [])
    inputs = ["text"] + (["image"] if i % 3 == 0 else []) + (["file"] if i % 4 == 0 else [])
    data.append({
        "id": f"vendor-{i % 7}/model-{i:05d}", "name": f"Vendor {i % 7}: Model {i}", "created": 1700000000 + i,
        "context_length": [8192, 32768, 128000, 200000, 1000000][i % 5],
        "architecture": {"modality": "text+image->text" if i % 3 == 0 else "text->text",
                         "input_modalities": inputs, "output_modalities": ["text"]},
        "supported_parameters": params,
        "pricing": {"prompt": f"{0.0000005 * (i % 11):.7f}", "completion": f"{0.000002 * (i % 11):.7f}"},
    })
json.dump({"data": data}, sys.stdout)
PY

port=$(bench_free_port)
{
  bench_config_head "$port" "$BENCH_TMP/data"
  echo
  echo '[[providers]]'
  echo 'id = "bench"'
  echo 'kind = "registry"'
  echo "base_url = \"file:$BENCH_TMP/registry.json\""
} >"$BENCH_TMP/switchboard.toml"
bench_start_switchboard switchboard "$BENCH_TMP/switchboard.toml" "$port"
sb_pid=$SB_PID
bench_wait_models "$port" "$MODELS"
sb="http://127.0.0.1:$port/v1/models"

root="$BENCH_TMP/www"
matched_metadata=0
for entry in "${VARIANTS[@]}"; do
  name="${entry%%|*}" query="${entry#*|}"
  mkdir -p "$root/$name/v1"
  url="$sb${query:+?$query}"
  curl -sf -o "$root/$name/v1/models" "$url" || bench_die "$url failed"
  curl -sf -o "$root/$name/v1/models.gz" -H 'Accept-Encoding: gzip' "$url"
  count=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["data"]))' "$root/$name/v1/models")
  bytes=$(stat -c %s "$root/$name/v1/models")
  bench_note "entries_$name" "$count"
  bench_note "body_bytes_$name" "$bytes"
  bench_log "$name ($query): $count entries, $bytes bytes"
  case "$name" in capability|min_context|input_modality|max_input_price) [ "$count" -gt 0 ] && matched_metadata=1 ;; esac
done
if [ "$matched_metadata" = 0 ]; then
  bench_log "warning: no metadata filter matched a model: the registry dialect does not map OpenRouter fields yet"
  bench_note metadata_mapped false
else
  bench_note metadata_mapped true
fi

nport=$(bench_free_port)
bench_start_nginx "$root" "$nport" "$NGINX_WORKERS" "gzip_static on; etag on;"
nginx_pid=$NGINX_PID
bench_wait_http "http://127.0.0.1:$nport/none/v1/models" 10 200 "$nginx_pid" || bench_die "nginx did not start"

url_of() { # server variant-entry
  local name="${2%%|*}" query="${2#*|}"
  if [ "$1" = nginx ]; then echo "http://127.0.0.1:$nport/$name/v1/models"; else echo "$sb${query:+?$query}"; fi
}

# Both servers send the same bytes for every variant, before anything is measured.
for entry in "${VARIANTS[@]}"; do
  name="${entry%%|*}"
  for server in switchboard nginx; do
    curl -s -o "$BENCH_TMP/check.bin" "$(url_of "$server" "$entry")"
    cmp -s "$BENCH_TMP/check.bin" "$root/$name/v1/models" || bench_die "$server did not send the expected bytes for $name"
  done
done

for entry in "${VARIANTS[@]}"; do # warm-up, not recorded
  for server in switchboard nginx; do BENCH_DURATION="${BENCH_WARMUP_FILTERS:-3}" bench_wrk warmup "$(url_of "$server" "$entry")" >/dev/null; done
done
sed -i '/"label": "warmup"/d' "$BENCH_RUNS"

declare -A ratios=() rps_list=() pids=([switchboard]=$sb_pid [nginx]=$nginx_pid)
SERVERS=(switchboard nginx)
for r in $(seq 1 "$BENCH_REPEAT"); do
  order=("${SERVERS[@]:$(( (r - 1) % 2 ))}" "${SERVERS[@]:0:$(( (r - 1) % 2 ))}")
  for entry in "${VARIANTS[@]}"; do
    name="${entry%%|*}"
    declare -A rps=()
    for server in "${order[@]}"; do
      result=$(BENCH_CPU_PIDS="${pids[$server]}" bench_wrk "$server-$name" "$(url_of "$server" "$entry")")
      rps[$server]="${result%% *}"
      rps_list[$server.$name]="${rps_list[$server.$name]:-} ${rps[$server]}"
    done
    ratios[$name]="${ratios[$name]:-} $(awk -v a="${rps[switchboard]}" -v b="${rps[nginx]}" 'BEGIN {printf "%.3f", a / b}')"
    unset rps
  done
done

# shellcheck disable=SC2086 # space-separated lists of numbers
for entry in "${VARIANTS[@]}"; do
  name="${entry%%|*}"
  value=$(bench_median ${ratios[$name]})
  bench_figure "$name.ratio" "$value" "x nginx" ">= 0.9" "$(bench_at_least "$value" 0.9)"
  for server in "${SERVERS[@]}"; do
    bench_figure "$name.$server.rps" "$(bench_median ${rps_list[$server.$name]})" "req/s"
    bench_figure "$name.$server.p99" "$(bench_latency_ms "$server-$name" p99)" ms
    bench_figure "$name.$server.cpu" "$(bench_cpu_per_request "$server-$name")" "µs CPU/request"
  done
done
