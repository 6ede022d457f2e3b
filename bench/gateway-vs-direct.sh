#!/usr/bin/env bash
# The gateway (DESIGN §12): POST /v1/chat/completions through Switchboard, by alias, against the very same call
# sent straight to the upstream — nginx answering a fixed chat completion (JSON) and a fixed streamed one (SSE)
# with `return 200`, a zero-latency upstream, so every millisecond measured is the servers' own.
# Goals: requests/s through Switchboard >= 0.7 x direct; added p50 <= 1 ms; streamed first-chunk overhead <= 2 ms.
#
# Variants: chat (the JSON answer, ~450 bytes) and sse (6 events, ~1.1 KB). Each round (BENCH_REPEAT_GATEWAY,
# default 3, of BENCH_DURATION_GATEWAY = 3 s wrk runs) runs both variants against both targets, rotating who
# goes first; a ratio is the median of the per-round ratios, latencies the medians of wrk's percentiles, and
# each run records the CPU time per request of the server measured (Switchboard's JVM; nginx's workers for
# direct). Then first-chunk.py sends one request at a time, the targets in turn (BENCH_FIRST_CHUNK_ROUNDS,
# default 300 rounds): the added p50 of a JSON answer and of the first event of a stream, without queueing.
#
# Both answer from loopback on the same machine: through Switchboard a request costs Switchboard's work plus
# nginx's, and wrk, nginx and the JVM share the cores. The load average before and after is recorded, since
# other work on a shared machine lowers every figure.
#
# nginx as a reverse proxy to itself joins as a third target ("nginx-proxy", BENCH_NGINX_PROXY=0 leaves it out):
# what a mature C proxy reaches against the same upstream on the same cores, the ceiling of the ratio here.
# Portkey's open-source gateway (the anchor of issue 11) joins as a third target when BENCH_PORTKEY_DIR names
# a directory where `npm install @portkey-ai/gateway @hono/node-server@1.13.5` was run; it is routed to the
# same nginx with x-portkey-provider: openai and x-portkey-custom-host.
#
# Before/after: BENCH_SERVER_JAR=/path/to/switchboard.jar (e.g. from bench/build-jar.sh REV) runs that jar as
# Switchboard instead of the checkout's; run the scenario once with each.
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init gateway-vs-direct
bench_require_wrk
bench_require_nginx
bench_ensure_jar
if [ -n "${BENCH_SERVER_JAR:-}" ]; then
  [ -f "$BENCH_SERVER_JAR" ] || bench_die "BENCH_SERVER_JAR=$BENCH_SERVER_JAR does not exist"
  SB_JAR="$BENCH_SERVER_JAR"
  bench_log "server jar: $SB_JAR"
  bench_note server_jar "\"$SB_JAR\""
fi

NGINX_WORKERS="${BENCH_NGINX_WORKERS:-$(nproc)}"
BENCH_REPEAT="${BENCH_REPEAT_GATEWAY:-3}"
# shellcheck disable=SC2034 # read by bench_wrk in lib.sh
BENCH_DURATION="${BENCH_DURATION_GATEWAY:-3}"
FIRST_CHUNK_ROUNDS="${BENCH_FIRST_CHUNK_ROUNDS:-300}"
WARMUP_SECONDS="${BENCH_WARMUP_GATEWAY:-10}"
bench_note warmup_seconds "$WARMUP_SECONDS"
bench_note nginx_workers "$NGINX_WORKERS"
bench_note load_average_before "\"$(cut -d' ' -f1-3 /proc/loadavg)\""

# The upstream's answers: what OpenAI sends for a short completion, and a short stream.
CHAT_JSON='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help you today?","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":9,"total_tokens":21},"system_fingerprint":"fp_bench"}'
SSE_BODY=""
for word in Hello '!' ' How' ' can' ' I'; do
  SSE_BODY+="data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"$word\"},\"finish_reason\":null}]}\\n\\n"
done
SSE_BODY+='data: [DONE]\n\n'
MESSAGES='"messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello."}]'

nginx_port=$(bench_free_port)
proxy_port=$(bench_free_port)
mkdir -p "$BENCH_TMP/www"
# The ceiling of any proxy on this machine: the same nginx also runs a reverse proxy to itself (keep-alive
# upstream connections, no buffering of streams), the "nginx-proxy" target. Through it, a request costs two
# HTTP exchanges and nginx's own proxying, as a request through Switchboard costs two and Switchboard's.
bench_start_nginx "$BENCH_TMP/www" "$nginx_port" "$NGINX_WORKERS" "
  upstream bench_upstream { server 127.0.0.1:$nginx_port; keepalive 64; }
  server {
    listen 127.0.0.1:$proxy_port;
    location / { proxy_pass http://bench_upstream; proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_buffering off; }
  }" "
    location = /v1/chat/completions { default_type application/json; return 200 '$CHAT_JSON'; }
    location = /sse/v1/chat/completions { default_type text/event-stream; return 200 '$SSE_BODY'; }"
bench_wait_http "http://127.0.0.1:$nginx_port/v1/chat/completions" 10 200 "$NGINX_PID" || bench_die "nginx did not start"

sb_port=$(bench_free_port)
{
  bench_config_head "$sb_port" "$BENCH_TMP/data"
  cat <<EOF

[[providers]]
id = "bench"
kind = "static"
models = ["m"]
api_base_url = "http://127.0.0.1:$nginx_port/v1"

[[providers]]
id = "bench-sse"
kind = "static"
models = ["m"]
api_base_url = "http://127.0.0.1:$nginx_port/sse/v1"

[[model_configs]]
alias = "bench"
provider = "bench"
model = "m"
params = { temperature = 0.2 }

[[model_configs]]
alias = "bench-sse"
provider = "bench-sse"
model = "m"
EOF
} >"$BENCH_TMP/switchboard.toml"
bench_start_switchboard switchboard "$BENCH_TMP/switchboard.toml" "$sb_port"

declare -A urls=( [switchboard]="http://127.0.0.1:$sb_port/v1/chat/completions"
                  [direct]="http://127.0.0.1:$nginx_port/v1/chat/completions" )
declare -A sse_urls=( [switchboard]="http://127.0.0.1:$sb_port/v1/chat/completions"
                      [direct]="http://127.0.0.1:$nginx_port/sse/v1/chat/completions" )
declare -A models=( [switchboard.chat]=bench [switchboard.sse]=bench-sse [direct.chat]=m [direct.sse]=m )
declare -A pids=( [switchboard]="$SB_PID" [direct]="$NGINX_PID" )
SERVERS=(switchboard direct)
if [ "${BENCH_NGINX_PROXY:-1}" = 1 ]; then
  urls[nginx-proxy]="http://127.0.0.1:$proxy_port/v1/chat/completions"
  sse_urls[nginx-proxy]="http://127.0.0.1:$proxy_port/sse/v1/chat/completions"
  models[nginx-proxy.chat]=m
  models[nginx-proxy.sse]=m
  pids[nginx-proxy]="$NGINX_PID" # its CPU per request includes the upstream's work, which is the same process
  SERVERS+=(nginx-proxy)
fi

if [ -n "${BENCH_PORTKEY_DIR:-}" ]; then
  portkey_port=$(bench_free_port)
  # Portkey's server binds every interface; a copy that binds loopback keeps it beside the other two.
  portkey_js="$BENCH_PORTKEY_DIR/node_modules/@portkey-ai/gateway/build/start-server.js"
  [ -f "$portkey_js" ] || bench_die "no $portkey_js: run npm install @portkey-ai/gateway @hono/node-server@1.13.5 in $BENCH_PORTKEY_DIR"
  # beside the original, so that its imports resolve from the package's own node_modules
  portkey_shim="$(dirname "$portkey_js")/start-server-loopback.js"
  sed 's/fetch:Lu.fetch,port:Ku}/fetch:Lu.fetch,port:Ku,hostname:"127.0.0.1"}/' "$portkey_js" >"$portkey_shim"
  grep -q 'hostname:"127.0.0.1"}' "$portkey_shim" || bench_die "cannot bind this Portkey version to loopback"
  node "$portkey_shim" --port="$portkey_port" --headless >"$BENCH_TMP/portkey.log" 2>&1 &
  pids[portkey]=$!
  bench_track "${pids[portkey]}"
  urls[portkey]="http://127.0.0.1:$portkey_port/v1/chat/completions"
  sse_urls[portkey]="${urls[portkey]}"
  models[portkey.chat]=m
  models[portkey.sse]=m
  SERVERS+=(portkey)
  bench_note portkey "\"$(cd "$BENCH_PORTKEY_DIR" && node -p 'require("./node_modules/@portkey-ai/gateway/package.json").version')\""
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "http://127.0.0.1:$portkey_port/" && break
    kill -0 "${pids[portkey]}" 2>/dev/null || { tail -5 "$BENCH_TMP/portkey.log" >&2; bench_die "Portkey exited"; }
    sleep 0.1
  done
fi

body_of() { # SERVER VARIANT
  local stream=""
  [ "$2" = sse ] && stream='"stream":true,'
  echo "{\"model\":\"${models[$1.$2]}\",$stream$MESSAGES}"
}
serves() { # SERVER VARIANT: Portkey 1.15 fails streamed answers from a custom host ("TypeError: immutable" in
  # its header handling, on Node 20), so it runs the chat variant only, as in the issue's anchor figure.
  [ "$1" != portkey ] || [ "$2" = chat ]
}
url_of() { # SERVER VARIANT
  if [ "$2" = sse ]; then echo "${sse_urls[$1]}"; else echo "${urls[$1]}"; fi
}
portkey_headers() { # SERVER VARIANT: Portkey's routing headers, for Portkey only
  [ "$1" = portkey ] || return 0
  local base="http://127.0.0.1:$nginx_port/v1"
  [ "$2" = sse ] && base="http://127.0.0.1:$nginx_port/sse/v1"
  printf '%s\n' -H "x-portkey-provider: openai" -H "x-portkey-custom-host: $base" -H "Authorization: Bearer bench"
}

# Every target answers every variant with the upstream's bytes before it is loaded.
for server in "${SERVERS[@]}"; do
  for variant in chat sse; do
    serves "$server" "$variant" || continue
    mapfile -t extra < <(portkey_headers "$server" "$variant")
    got=$(curl -s -X POST -H 'Content-Type: application/json' "${extra[@]}" -d "$(body_of "$server" "$variant")" "$(url_of "$server" "$variant")")
    if [ "$variant" = chat ]; then
      [ "$got" = "$CHAT_JSON" ] || bench_die "$server ($variant) did not answer the upstream's body: $got"
    else
      [ "$got" = "$(printf '%b' "$SSE_BODY")" ] || bench_die "$server ($variant) did not answer the upstream's stream: $got"
    fi
  done
done

export BENCH_WRK_SCRIPT="$BENCH_DIR/wrk-post.lua"
# Warm-up, not recorded: connection pools, and the JIT, which needs seconds of load before it settles when
# other work holds the cores (2 s left Switchboard at four times its steady CPU per request on a busy day).
for server in "${SERVERS[@]}"; do
  warmup=$WARMUP_SECONDS
  [ "$server" = direct ] && warmup=2
  for variant in chat sse; do
    serves "$server" "$variant" || continue
    mapfile -t extra < <(portkey_headers "$server" "$variant")
    WRK_BODY="$(body_of "$server" "$variant")" BENCH_DURATION=$warmup bench_wrk warmup "$(url_of "$server" "$variant")" "${extra[@]}" >/dev/null
  done
done
sed -i '/"label": "warmup"/d' "$BENCH_RUNS"

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'
}

declare -A ratios=() rps_list=()
for r in $(seq 1 "$BENCH_REPEAT"); do
  order=("${SERVERS[@]:$(( (r - 1) % ${#SERVERS[@]} ))}" "${SERVERS[@]:0:$(( (r - 1) % ${#SERVERS[@]} ))}")
  for variant in chat sse; do
    declare -A rps=()
    for server in "${order[@]}"; do
      serves "$server" "$variant" || continue
      mapfile -t extra < <(portkey_headers "$server" "$variant")
      result=$(WRK_BODY="$(body_of "$server" "$variant")" BENCH_CPU_PIDS="${pids[$server]}" \
          bench_wrk "$server-$variant" "$(url_of "$server" "$variant")" "${extra[@]}")
      rps[$server]="${result%% *}"
      rps_list[$server.$variant]="${rps_list[$server.$variant]:-} ${rps[$server]}"
    done
    for server in "${SERVERS[@]}"; do
      serves "$server" "$variant" || continue
      [ "$server" = direct ] || ratios[$server.$variant]="${ratios[$server.$variant]:-} $(ratio "${rps[$server]}" "${rps[direct]}")"
    done
    unset rps
  done
done

# shellcheck disable=SC2086 # space-separated lists of numbers
for variant in chat sse; do
  for server in "${SERVERS[@]}"; do
    serves "$server" "$variant" || continue
    if [ "$server" != direct ]; then
      value=$(bench_median ${ratios[$server.$variant]})
      goal=""
      [ "$server" = switchboard ] && goal=">= 0.7"
      bench_figure "$variant.$server.ratio" "$value" "x direct req/s" "$goal" "$([ -n "$goal" ] && bench_at_least "$value" 0.7)"
    fi
    bench_figure "$variant.$server.rps" "$(bench_median ${rps_list[$server.$variant]})" "req/s"
    bench_figure "$variant.$server.p50" "$(bench_latency_ms "$server-$variant" p50)" ms
    bench_figure "$variant.$server.p99" "$(bench_latency_ms "$server-$variant" p99)" ms
    bench_figure "$variant.$server.cpu" "$(bench_cpu_per_request "$server-$variant")" "µs CPU/request"
  done
  added=$(awk -v a="$(bench_latency_ms "switchboard-$variant" p50)" -v b="$(bench_latency_ms "direct-$variant" p50)" 'BEGIN {printf "%.3f", a - b}')
  bench_figure "$variant.added_p50" "$added" "ms (switchboard p50 - direct p50, under load: queueing included)"
done

# One request at a time, the targets in turn: the latency a request gains through Switchboard, without the
# queueing of the load runs above — to the end of the JSON answer (first-chunk.py reads its first byte, and
# the ~450 bytes come in one piece) and to the first event of the stream.
single=$(python3 "$BENCH_DIR/first-chunk.py" "$FIRST_CHUNK_ROUNDS" \
    switchboard-chat "${urls[switchboard]}" "$(body_of switchboard chat)" \
    direct-chat "${urls[direct]}" "$(body_of direct chat)" \
    switchboard-sse "${sse_urls[switchboard]}" "$(body_of switchboard sse)" \
    direct-sse "${sse_urls[direct]}" "$(body_of direct sse)") || bench_die "first-chunk.py failed: $single"
bench_log "one at a time: $single"
p50() {
  python3 -c 'import json,sys; print(round(json.loads(sys.argv[1])[sys.argv[2]]["p50"], 3))' "$single" "$1"
}
for variant in chat sse; do
  bench_figure "single.$variant.switchboard.p50" "$(p50 "switchboard-$variant")" "ms (one request at a time)"
  bench_figure "single.$variant.direct.p50" "$(p50 "direct-$variant")" "ms (one request at a time)"
done
added=$(awk -v a="$(p50 switchboard-chat)" -v b="$(p50 direct-chat)" 'BEGIN {printf "%.3f", a - b}')
bench_figure "single.chat.added_p50" "$added" "ms" "<= 1" "$(awk -v a="$added" 'BEGIN {print (a <= 1) ? "yes" : "no"}')"
added=$(awk -v a="$(p50 switchboard-sse)" -v b="$(p50 direct-sse)" 'BEGIN {printf "%.3f", a - b}')
bench_figure "single.first_chunk.added_p50" "$added" "ms" "<= 2" "$(awk -v a="$added" 'BEGIN {print (a <= 2) ? "yes" : "no"}')"
bench_note load_average_after "\"$(cut -d' ' -f1-3 /proc/loadavg)\""
