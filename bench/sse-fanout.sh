#!/usr/bin/env bash
# 10 000 concurrent SSE subscribers on one instance (DESIGN §11: every event delivered, p99 <= 1 s,
# RSS <= 512 MB; issue #5).
#
# One Switchboard on the embedded H2 file (static provider of two models, no refresh schedule) with a
# capped heap, as production would run it: -Xmx256m (BENCH_SERVER_HEAP), -XX:+UseSerialGC (lib.sh's
# default BENCH_JAVA_OPTS, the collector of the ./switchboard launcher) and
# --sun-misc-unsafe-memory-access=allow (lib.sh, for Netty on JDK 24+). bench/SseLoad.java (JDK
# only: NIO SocketChannels on BENCH_LOAD_THREADS Selector threads, not one thread or one HttpClient
# per stream) opens BENCH_SUBSCRIBERS streams `GET /api/v1/events?since=<current>`, at most 256
# waiting for their response at a time, and times how long it takes until every one has answered.
# Then it changes the
# alias `bench` (PUT, alternating its model) every BENCH_INTERVAL_MS, on schedule whether or not the
# previous PUT has been answered (open loop): BENCH_WARMUP changes that are delivered but not counted,
# then BENCH_EVENTS measured ones (default 100 over 10 s); then it waits up to 30 s for every stream
# to receive the last one.
# Figures: % of (subscriber, event) pairs delivered (a stream dropped or resynced counts as missing
# what it did not get), delivery lag p50/p99 (receive time - envelope commit time, one clock), the
# connect time for all of them, and the server's VmRSS (/proc/<pid>/status, sampled every 200 ms
# from start to end; the peak is reported). For context: the CPU taken while the changes were
# delivered by the server (and its busiest threads), by SseLoad, by the kernel's softirq threads
# (loopback TCP) and by other programs on this shared machine, and the server's CPU per frame.
#
# The load generator needs one file descriptor per stream, and so does the server: the script raises
# `ulimit -n` to BENCH_NOFILE (default 65536) for itself and both JVMs; where the hard limit is lower
# but enough for BENCH_SUBSCRIBERS it uses the hard limit, otherwise it stops with an error.
#
# Knobs (environment): BENCH_SUBSCRIBERS (10000), BENCH_EVENTS (100), BENCH_INTERVAL_MS (100),
# BENCH_WARMUP (10), BENCH_SERVER_HEAP (256m), BENCH_LOAD_THREADS (1), BENCH_NOFILE (65536),
# BENCH_JAVA_OPTS (server JVM options; lib.sh's default -XX:+UseSerialGC), BENCH_SERVER_JAR,
# BENCH_QUIET_WAIT / BENCH_QUIET_PCT (sse-lib.sh), BENCH_KEEP_TMP=1, BENCH_RESULTS (results dir).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sse-lib.sh"
bench_init sse-fanout
bench_require curl curl
bench_require python3 python3
sse_ensure_jar

SUBSCRIBERS="${BENCH_SUBSCRIBERS:-10000}"
EVENTS="${BENCH_EVENTS:-100}"
INTERVAL_MS="${BENCH_INTERVAL_MS:-100}"
WARMUP="${BENCH_WARMUP:-10}"
SERVER_HEAP="${BENCH_SERVER_HEAP:-256m}"
LOAD_THREADS="${BENCH_LOAD_THREADS:-1}"
NOFILE="${BENCH_NOFILE:-65536}"
GOAL_P99_MS=1000
GOAL_RSS_MIB=512

# File descriptors: one per stream on each side, plus the JVMs' own (jars, epoll, pipes). An
# unprivileged process (or a container without CAP_SYS_RESOURCE) cannot go past the hard limit.
need=$((SUBSCRIBERS + 1024))
if ! ulimit -n "$NOFILE" 2>/dev/null; then
  hard=$(ulimit -Hn)
  [ "$hard" = unlimited ] || [ "$hard" -ge "$need" ] \
      || bench_die "cannot raise the open-file limit to $NOFILE (soft $(ulimit -Sn), hard $hard) and" \
             "$SUBSCRIBERS subscribers need $need: run as root, or raise the hard limit (limits.conf, LimitNOFILE=)"
  bench_log "cannot raise the open-file limit to $NOFILE (hard limit $hard); using $hard, enough for $SUBSCRIBERS subscribers"
  ulimit -n "$hard"
fi
bench_note open_files_limit "\"$(ulimit -n)\""
read -r port_low port_high </proc/sys/net/ipv4/ip_local_port_range
[ $((port_high - port_low + 1)) -gt "$SUBSCRIBERS" ] \
    || bench_die "the ephemeral port range $port_low-$port_high has fewer ports than $SUBSCRIBERS subscribers" \
           "(sysctl net.ipv4.ip_local_port_range)"

sse_wait_quiet
port=$(bench_free_port)
sse_config "$port" >"$BENCH_TMP/switchboard.toml"
bench_start_switchboard switchboard "$BENCH_TMP/switchboard.toml" "$port" "-Xmx$SERVER_HEAP"
server_flags="--sun-misc-unsafe-memory-access=allow ${BENCH_JAVA_OPTS:+$BENCH_JAVA_OPTS }-Xmx$SERVER_HEAP"
server_nofile=$(awk '/^Max open files/ {print $4}' "/proc/$SB_PID/limits")
idle_rss=$(bench_rss_mib "$SB_PID")
bench_log "Switchboard pid $SB_PID on port $port, JVM options: $server_flags; open files limit $server_nofile; idle RSS $idle_rss MiB"
bench_note subscribers_requested "$SUBSCRIBERS"
bench_note events "$EVENTS"
bench_note interval_ms "$INTERVAL_MS"
bench_note warmup_changes "$WARMUP"
bench_note server_jvm_options "\"$server_flags\""
bench_note server_open_files_limit "\"$server_nofile\""
bench_note load_generator "\"bench/SseLoad.java, $LOAD_THREADS selector thread(s), NIO, HTTP/1.1\""
bench_note clock "\"lag = load generator's System.currentTimeMillis() at read - envelope time (commit time, ms); same machine, same clock\""
bench_note idle_rss_mib "$idle_rss"

declare -A R
echo "sse-fanout: lag = receive time (load generator) - envelope time (server commit); both read this machine's clock"
sse_load fanout --subscribers "$SUBSCRIBERS" --events "$EVENTS" --warmup "$WARMUP" --interval-ms "$INTERVAL_MS" \
    --threads "$LOAD_THREADS"

bench_figure subscribers_connected "${R[subscribers_connected]}" "of $SUBSCRIBERS" "$SUBSCRIBERS" \
    "$(bench_at_least "${R[subscribers_connected]}" "$SUBSCRIBERS")"
bench_figure connect_all "${R[connect_wall_ms]}" "ms until every stream answered"
bench_figure connect_p99 "${R[connect_p99_ms]}" "ms per stream"
bench_figure delivered "${R[delivered_pct]}" "% of ${R[pairs_expected]} (subscriber, event) pairs" "100%" \
    "$(bench_at_least "${R[pairs_delivered]}" "${R[pairs_expected]}")"
bench_figure lag_p50 "${R[lag_p50_ms]}" ms
bench_figure lag_p99 "${R[lag_p99_ms]}" ms "<= $GOAL_P99_MS" "$(bench_at_least "$GOAL_P99_MS" "${R[lag_p99_ms]}")"
bench_figure lag_max "${R[lag_max_ms]}" ms
bench_figure last_subscriber_lag_p50 "${R[last_subscriber_lag_p50_ms]}" "ms (per event, until its last subscriber had it)"
bench_figure last_subscriber_lag_trend "${R[last_subscriber_lag_first_tenth_ms]} -> ${R[last_subscriber_lag_last_tenth_ms]}" \
    "ms (first tenth of the events -> last tenth; growing = the server falls behind)"
bench_figure rss_max "${R[rss_max_mib]}" MiB "<= $GOAL_RSS_MIB" "$(bench_at_least "$GOAL_RSS_MIB" "${R[rss_max_mib]}")"
bench_figure rss_after_connect "${R[rss_after_connect_mib]}" MiB
bench_figure put_p50 "${R[put_p50_ms]}" ms
bench_figure put_p99 "${R[put_p99_ms]}" ms
bench_figure changes_per_s "${R[changes_per_s]}" "changes/s (asked: $(awk -v i="$INTERVAL_MS" 'BEGIN {if (i > 0) printf "%.1f", 1000 / i; else printf "back to back"}'))"
bench_figure cpu_server "${R[cpu_server_cores]}" "cores (server, while changes were delivered)"
bench_figure cpu_load_generator "${R[cpu_load_generator_cores]}" "cores (SseLoad)"
bench_figure server_busiest_threads "${R[cpu_server_busiest_threads]}" "cores per thread"
bench_figure server_cpu_per_frame "${R[server_cpu_us_per_frame]}" "µs of server CPU per frame delivered"
bench_figure cpu_ksoftirqd "${R[cpu_ksoftirqd_cores]}" "cores (kernel softirq threads: loopback TCP)"
bench_figure cpu_other "${R[cpu_other_cores]}" "cores used by other programs during the run"
bench_note details "$(sse_results_json)"
