import dev.switchboard.client.sse.SseEvent;
import dev.switchboard.client.sse.SseParser;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator for Switchboard's change feed (bench/sse-latency.sh, bench/sse-fanout.sh). JDK and the SDK's SSE
 * parser only, run with the single-file source launcher: {@code java -cp switchboard-client/target/classes
 * bench/SseLoad.java --port 8080 --subscribers 10000 ...}.
 *
 * <ol>
 *   <li>Makes sure the model configuration {@code --alias} exists (one PUT), and reads the current revision B.</li>
 *   <li>Opens {@code --subscribers} SSE streams {@code GET /api/v1/events?since=B} over plain HTTP/1.1 on
 *       non-blocking SocketChannels, spread over {@code --threads} Selector loops, at most
 *       {@code --connect-concurrency} waiting for their response headers at a time.</li>
 *   <li>Once every stream answered, PUTs the configuration {@code --warmup} + {@code --events} times, alternating
 *       its {@code model} between the {@code --models} and numbering its description, so that each PUT commits
 *       exactly one {@code model_config.updated} event. With {@code --interval-ms 0} each PUT is sent when the
 *       previous one was answered (closed loop); otherwise one is sent every {@code --interval-ms} whether or not
 *       the earlier ones were answered (open loop, java.net.http's sendAsync), so a slow answer does not lower
 *       the change rate.</li>
 *   <li>Waits until every stream has the last revision (at most {@code --drain-timeout-s}), then closes them.</li>
 * </ol>
 *
 * <p>Each stream is de-chunked and cut into lines here, without an HTTP library; the lines go to the SDK's
 * {@link SseParser} (the one the SDK, the CLI and the tests read the feed with). Only the start of a long line is
 * kept: the envelope's {@code revision} and {@code time} (commit time, ms), found by string search at the start of
 * the event's data. The lag of a (subscriber, event) pair is System.currentTimeMillis() when the bytes were read
 * minus {@code time}: server and generator share one machine and one clock. Lags go into a histogram with one
 * bucket per millisecond. Warm-up events are delivered and checked but not counted.
 *
 * <p>Cluster (bench/cluster.sh): {@code --port} takes several instances' ports, comma-separated, and the subscribers
 * take them in turn; {@code --write-port} names the instance that receives the PUTs (default: the first port), so
 * a lag measures commit on one instance → frame from another. The subscribers' instances must have applied the
 * starting revision before they subscribe. {@code --cluster-pids} names the other instances' processes, whose CPU
 * counts with the server's.
 *
 * <p>Prints {@code RESULT <name> <value>} lines on stdout for the calling script; progress goes to stderr.
 * With {@code --server-pid} it samples that process's VmRSS every 200 ms. It reports the CPU used while the changes
 * were made and delivered by the server, by itself, and by everything else on the machine (other programs sharing
 * it make the figures worse, and the report should say so).
 */
public class SseLoad {
    static final int HIST_MS = 120_000;
    /** The start of a data line holds the envelope's revision, type and time; the rest is not stored. */
    static final int LINE_KEEP = 256;

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        new SseLoad(o).run();
    }

    record Options(String host, List<Integer> ports, int writePort, int subscribers, int events, int warmup, long intervalMs,
                   String alias, String provider, List<String> models, int threads, int connectConcurrency, long connectTimeoutS,
                   long drainTimeoutS, long serverPid, List<Long> clusterPids) {
        static Options parse(String[] args) {
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument " + a);
                int eq = a.indexOf('=');
                if (eq > 0) m.put(a.substring(2, eq), a.substring(eq + 1));
                else if (i + 1 < args.length) m.put(a.substring(2), args[++i]);
                else throw new IllegalArgumentException(a + " needs a value");
            }
            List<Integer> ports = Arrays.stream(req(m, "port").split(",")).map(Integer::parseInt).toList();
            Options o = new Options(m.getOrDefault("host", "127.0.0.1"), ports,
                    Integer.parseInt(m.getOrDefault("write-port", Integer.toString(ports.getFirst()))),
                    Integer.parseInt(m.getOrDefault("subscribers", "1")), Integer.parseInt(m.getOrDefault("events", "100")),
                    Integer.parseInt(m.getOrDefault("warmup", "0")), Long.parseLong(m.getOrDefault("interval-ms", "0")),
                    m.getOrDefault("alias", "bench"), m.getOrDefault("provider", "bench"),
                    List.of(m.getOrDefault("models", "model-a,model-b").split(",")),
                    Integer.parseInt(m.getOrDefault("threads", "1")), Integer.parseInt(m.getOrDefault("connect-concurrency", "256")),
                    Long.parseLong(m.getOrDefault("connect-timeout-s", "120")), Long.parseLong(m.getOrDefault("drain-timeout-s", "30")),
                    Long.parseLong(m.getOrDefault("server-pid", "0")),
                    m.containsKey("cluster-pids") ? Arrays.stream(m.get("cluster-pids").split(",")).map(Long::parseLong).toList() : List.of());
            if (o.models.size() < 2) throw new IllegalArgumentException("--models needs at least two models to alternate");
            if (o.subscribers < 1 || o.events < 1 || o.threads < 1) throw new IllegalArgumentException("subscribers, events, threads must be >= 1");
            return o;
        }

        private static String req(Map<String, String> m, String key) {
            String v = m.get(key);
            if (v == null) throw new IllegalArgumentException("--" + key + " is required");
            return v;
        }
    }

    private final Options o;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ProcSampler proc;
    /** Revisions (B, B + warmup] are warm-up; (B + warmup, last] are measured. */
    private long base;
    private long firstMeasured;
    private volatile long lastRevision = Long.MAX_VALUE;

    SseLoad(Options o) {
        this.o = o;
        this.proc = new ProcSampler(o.serverPid, o.clusterPids);
    }

    static void log(String message) {
        System.err.println("[SseLoad] " + message);
    }

    static void result(String name, Object value) {
        System.out.println("RESULT " + name + " " + value);
    }

    void run() throws Exception {
        proc.start();
        proc.mark("start");
        int changes = o.warmup + o.events;
        putModel(o.models.getFirst()); // creates the alias, or sets the model every change starts from
        base = currentRevision();
        firstMeasured = base + o.warmup + 1;
        log("base revision " + base + "; " + o.subscribers + " subscribers, " + o.warmup + " warm-up + " + o.events
                + " measured changes every " + o.intervalMs + " ms");

        awaitApplied(base);

        Loop[] loops = new Loop[o.threads];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new Loop(i, changes + 16);
            loops[i].thread.start();
        }
        Conn[] conns = connectAll(loops);
        long connected = Arrays.stream(conns).filter(c -> c != null && c.headersAt > 0).count();
        if (connected == 0) throw new IllegalStateException("no subscriber could connect");
        proc.mark("connected");

        long[] putNanos = new long[changes];
        AtomicInteger putErrors = new AtomicInteger();
        List<CompletableFuture<Void>> inFlight = new ArrayList<>();
        long driverLate = 0;
        long driveStart = System.nanoTime();
        for (int i = 0; i < changes; i++) {
            HttpRequest request = change(i + 1);
            if (o.intervalMs == 0) { // closed loop: one after another
                long t = System.nanoTime();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                putNanos[i] = System.nanoTime() - t;
                if (!ok(response)) putErrors.incrementAndGet();
                continue;
            }
            // Open loop: on schedule whether or not earlier PUTs have been answered, so that a slow answer
            // does not lower the change rate. The one writer commits them in order of arrival.
            long due = driveStart + TimeUnit.MILLISECONDS.toNanos(o.intervalMs * i);
            sleepUntil(due);
            long t = System.nanoTime();
            driverLate = Math.max(driverLate, t - due);
            int index = i;
            inFlight.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
                putNanos[index] = System.nanoTime() - t;
                if (error != null || !ok(response)) putErrors.incrementAndGet();
                return null;
            }));
        }
        long driveNanos = System.nanoTime() - driveStart;
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        lastRevision = currentRevision();
        if (lastRevision - base != changes) {
            log("warning: " + changes + " PUTs moved the revision by " + (lastRevision - base) + "; measuring every revision after "
                    + (firstMeasured - 1));
        }
        log(changes + " changes in " + driveNanos / 1_000_000 + " ms; last revision " + lastRevision + "; draining");

        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.drainTimeoutS);
        while (System.nanoTime() < drainDeadline && !allCaughtUp(conns)) Thread.sleep(10);
        for (Loop loop : loops) loop.stop();
        for (Loop loop : loops) loop.thread.join(10_000);
        proc.mark("done");
        proc.stop();
        report(conns, loops, connected, putNanos, putErrors.get(), driveNanos, driverLate);
    }

    /** In a cluster, the subscribers' instances have applied the writer's revision before they subscribe. */
    private void awaitApplied(long revision) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.connectTimeoutS);
        for (int port : o.ports) {
            while (revisionOf(port) < revision) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("the instance on port " + port + " did not reach revision " + revision);
                Thread.sleep(20);
            }
        }
    }

    private boolean allCaughtUp(Conn[] conns) {
        for (Conn c : conns) {
            if (c != null && c.headersAt > 0 && !c.closed && c.seen < lastRevision) return false;
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------- connecting

    private Conn[] connectAll(Loop[] loops) throws InterruptedException {
        Conn[] conns = new Conn[o.subscribers];
        Semaphore pending = new Semaphore(o.connectConcurrency);
        CountDownLatch done = new CountDownLatch(o.subscribers);
        List<byte[]> requests = new ArrayList<>();
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int port : o.ports) {
            requests.add(("GET /api/v1/events?since=" + base + " HTTP/1.1\r\nHost: " + o.host + ":" + port
                    + "\r\nAccept: text/event-stream\r\nUser-Agent: SseLoad\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            addresses.add(new InetSocketAddress(o.host, port));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.connectTimeoutS);
        long start = System.nanoTime();
        int opened = 0;
        for (int i = 0; i < o.subscribers; i++) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !pending.tryAcquire(left, TimeUnit.NANOSECONDS)) break;
            // Subscribers take the --port instances in turn.
            Conn c = new Conn(loops[i % loops.length], requests.get(i % requests.size()), pending, done);
            conns[i] = c;
            opened++;
            try {
                c.channel = SocketChannel.open();
                c.channel.configureBlocking(false);
                c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c.connectStart = System.nanoTime();
                c.channel.connect(addresses.get(i % addresses.size()));
                c.loop.register(c);
            } catch (IOException e) {
                c.fail("open/connect: " + e);
            }
            if ((i + 1) % 1000 == 0) log((i + 1) + " connections opened, " + (o.subscribers - done.getCount()) + " answered");
        }
        // The ones that were opened get the rest of the time to answer.
        for (int i = opened; i < o.subscribers; i++) done.countDown();
        long left = deadline - System.nanoTime();
        if (!done.await(Math.max(0, left), TimeUnit.NANOSECONDS)) log("connect timeout: " + done.getCount() + " streams did not answer");
        long wall = System.nanoTime() - start;

        long[] hist = new long[HIST_MS + 1];
        int ok = 0, failed = 0;
        Map<String, Integer> reasons = new HashMap<>();
        for (Conn c : conns) {
            if (c != null && c.headersAt > 0) {
                ok++;
                hist[(int) Math.min(HIST_MS, (c.headersAt - c.connectStart) / 1_000_000)]++;
            } else {
                failed++;
                String reason = c == null ? "not attempted (connect phase timed out)" : c.failure != null ? c.failure : "no answer in time";
                reasons.merge(reason.length() > 120 ? reason.substring(0, 120) : reason, 1, Integer::sum);
            }
        }
        result("subscribers_requested", o.subscribers);
        result("subscribers_connected", ok);
        result("connect_failures", failed);
        result("connect_wall_ms", wall / 1_000_000);
        result("connect_p50_ms", percentile(hist, 0.50));
        result("connect_p99_ms", percentile(hist, 0.99));
        result("connect_max_ms", percentile(hist, 1.0));
        reasons.forEach((reason, count) -> log("connect failure x" + count + ": " + reason));
        log(ok + " streams open in " + wall / 1_000_000 + " ms (" + failed + " failed)");
        return conns;
    }

    // ---------------------------------------------------------------------------------------------- the writer

    /** Sets the alias's model; the first call creates the alias. */
    private void putModel(String model) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(put(model, "SseLoad benchmark"), HttpResponse.BodyHandlers.ofString());
        if (!ok(response)) throw new IllegalStateException("PUT answered " + response.statusCode() + ": " + response.body());
    }

    /** Change number n: alternates the model, and numbers the description so that no two PUTs are the same. */
    private HttpRequest change(int n) {
        return put(o.models.get(n % o.models.size()), "SseLoad change " + n);
    }

    private HttpRequest put(String model, String description) {
        String body = "{\"provider\":\"" + o.provider + "\",\"model\":\"" + model + "\",\"description\":\"" + description + "\"}";
        return HttpRequest.newBuilder(uri("/api/v1/model-configs/" + o.alias))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static boolean ok(HttpResponse<String> response) {
        if (response.statusCode() / 100 == 2) return true;
        log("PUT answered " + response.statusCode() + ": " + response.body());
        return false;
    }

    private long currentRevision() throws IOException, InterruptedException {
        return revisionOf(o.writePort);
    }

    /** The revision the instance on {@code port} has applied. */
    private long revisionOf(int port) throws IOException, InterruptedException {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://" + o.host + ":" + port + "/healthz")).build(),
                HttpResponse.BodyHandlers.discarding());
        return Long.parseLong(response.headers().firstValue("X-Switchboard-Revision")
                .orElseThrow(() -> new IllegalStateException("no X-Switchboard-Revision header on /healthz")));
    }

    private URI uri(String path) {
        return URI.create("http://" + o.host + ":" + o.writePort + path);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) TimeUnit.NANOSECONDS.sleep(left);
    }

    // ---------------------------------------------------------------------------------------------- results

    private void report(Conn[] conns, Loop[] loops, long connected, long[] putNanos, int putErrors, long driveNanos, long driverLate) {
        int measured = (int) Math.max(0, lastRevision - firstMeasured + 1);
        long[] lag = new long[HIST_MS + 1];
        long pairs = 0, negative = 0, duplicates = 0, resyncs = 0, unparsed = 0;
        long[] worstPerEvent = new long[Math.max(1, measured)];
        long[] countPerEvent = new long[Math.max(1, measured)];
        for (Loop loop : loops) {
            for (int i = 0; i <= HIST_MS; i++) lag[i] += loop.lag[i];
            pairs += loop.pairs;
            negative += loop.negative;
            duplicates += loop.duplicates;
            resyncs += loop.resyncs;
            unparsed += loop.unparsed;
            for (int e = 0; e < measured; e++) {
                int index = (int) (firstMeasured - base - 1) + e;
                if (index < loop.worst.length) {
                    worstPerEvent[e] = Math.max(worstPerEvent[e], loop.worst[index]);
                    countPerEvent[e] += loop.received[index];
                }
            }
        }
        long dropped = Arrays.stream(conns).filter(c -> c != null && c.headersAt > 0 && c.closedEarly).count();
        long expected = connected * measured;
        long minPerEvent = Arrays.stream(countPerEvent, 0, Math.max(1, measured)).min().orElse(0);
        result("events_measured", measured);
        result("pairs_expected", expected);
        result("pairs_delivered", pairs);
        result("delivered_pct", String.format("%.3f", expected == 0 ? 0.0 : 100.0 * pairs / expected));
        result("min_subscribers_per_event", minPerEvent);
        result("duplicates_or_out_of_order", duplicates);
        result("resyncs", resyncs);
        result("unparsed_events", unparsed);
        result("streams_closed_early", dropped);
        result("lag_p50_ms", percentile(lag, 0.50));
        result("lag_p90_ms", percentile(lag, 0.90));
        result("lag_p99_ms", percentile(lag, 0.99));
        result("lag_max_ms", percentile(lag, 1.0));
        result("lag_negative_pairs", negative);
        long[] worstSorted = Arrays.copyOf(worstPerEvent, Math.max(1, measured));
        Arrays.sort(worstSorted);
        result("last_subscriber_lag_p50_ms", worstSorted[worstSorted.length / 2]);
        result("last_subscriber_lag_max_ms", worstSorted[worstSorted.length - 1]);
        // The trend: a server that keeps up has the same lag at the end as at the start; one that does not
        // falls further behind with every event.
        int tenth = Math.max(1, measured / 10);
        result("last_subscriber_lag_first_tenth_ms", Arrays.stream(worstPerEvent, 0, Math.min(tenth, worstPerEvent.length)).sum() / tenth);
        result("last_subscriber_lag_last_tenth_ms",
                Arrays.stream(worstPerEvent, Math.max(0, measured - tenth), Math.max(tenth, measured)).sum() / tenth);

        long[] measuredPuts = Arrays.copyOfRange(putNanos, o.warmup, putNanos.length);
        Arrays.sort(measuredPuts);
        result("put_p50_ms", String.format("%.2f", measuredPuts[(int) Math.ceil(0.50 * measuredPuts.length) - 1] / 1e6));
        result("put_p99_ms", String.format("%.2f", measuredPuts[(int) Math.ceil(0.99 * measuredPuts.length) - 1] / 1e6));
        result("put_max_ms", String.format("%.2f", measuredPuts[measuredPuts.length - 1] / 1e6));
        result("put_errors", putErrors);
        // From the first PUT sent to the last one sent (open loop) or answered (closed loop).
        result("changes_per_s", String.format("%.1f", (o.warmup + o.events - 1) / (driveNanos / 1e9)));
        result("driver_late_max_ms", String.format("%.2f", driverLate / 1e6));
        if (proc.enabled()) {
            result("rss_after_connect_mib", String.format("%.1f", proc.rssAt("connected") / 1024.0));
            result("rss_max_mib", String.format("%.1f", proc.max() / 1024.0));
            result("rss_max_driving_mib", String.format("%.1f", proc.maxSince("connected") / 1024.0));
        }
        // CPU while the changes were made and delivered, in cores of this machine.
        double[] cores = proc.cores("connected", "done");
        result("cpu_server_cores", String.format("%.2f", cores[0]));
        result("cpu_load_generator_cores", String.format("%.2f", cores[1]));
        result("cpu_ksoftirqd_cores", String.format("%.2f", cores[2]));
        result("cpu_other_cores", String.format("%.2f", cores[3]));
        result("cpu_interrupts_cores", String.format("%.2f", cores[4]));
        result("cpu_server_busiest_threads", proc.busiestThreads("connected", "done", 3));
        // CPU per frame delivered (warm-up included): less disturbed by other load than the lags are.
        long frames = Arrays.stream(loops).mapToLong(l -> l.frames).sum();
        double windowS = proc.seconds("connected", "done");
        if (frames > 0) {
            result("server_cpu_us_per_frame", String.format("%.2f", cores[0] * windowS * 1e6 / frames));
            result("load_generator_cpu_us_per_frame", String.format("%.2f", cores[1] * windowS * 1e6 / frames));
            result("interrupts_cpu_us_per_frame", String.format("%.2f", cores[4] * windowS * 1e6 / frames));
        }
        double[] connectCores = proc.cores("start", "connected");
        result("connect_cpu_server_cores", String.format("%.2f", connectCores[0]));
        result("connect_cpu_other_cores", String.format("%.2f", connectCores[3]));
    }

    /** The smallest bucket (ms) at or below which a fraction {@code p} of the samples lie; -1 when empty. */
    static long percentile(long[] hist, double p) {
        long total = 0;
        for (long count : hist) total += count;
        if (total == 0) return -1;
        long rank = Math.max(1, (long) Math.ceil(p * total));
        long seen = 0;
        for (int i = 0; i < hist.length; i++) {
            seen += hist[i];
            if (seen >= rank) return i;
        }
        return hist.length - 1;
    }

    // ---------------------------------------------------------------------------------------------- the streams

    /** One Selector on its own thread; owns its connections' parsing state and its share of the statistics. */
    final class Loop {
        final Thread thread;
        final Selector selector;
        final ConcurrentLinkedQueue<Conn> incoming = new ConcurrentLinkedQueue<>();
        final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
        final byte[] bytes = new byte[64 * 1024];
        volatile boolean running = true;
        // Statistics: only this loop's thread writes them; read after it stopped.
        final long[] lag = new long[HIST_MS + 1];
        /** Per revision offset from base: most lag seen, and how many subscribers received it. */
        final long[] worst;
        final long[] received;
        long frames, pairs, negative, duplicates, resyncs, unparsed;

        Loop(int index, int revisions) throws IOException {
            this.selector = Selector.open();
            this.worst = new long[revisions];
            this.received = new long[revisions];
            this.thread = Thread.ofPlatform().name("sse-loop-" + index).unstarted(this::run);
        }

        void register(Conn c) {
            incoming.add(c);
            selector.wakeup();
        }

        void stop() {
            running = false;
            selector.wakeup();
        }

        private void run() {
            try {
                while (running) {
                    selector.select(100);
                    Conn added;
                    while ((added = incoming.poll()) != null) added.register(selector);
                    var keys = selector.selectedKeys();
                    for (SelectionKey key : keys) {
                        Conn c = (Conn) key.attachment();
                        try {
                            if (!key.isValid()) continue;
                            if (key.isConnectable()) c.finishConnect(key);
                            if (key.isValid() && key.isWritable()) c.write(key);
                            if (key.isValid() && key.isReadable()) c.read(this, key);
                        } catch (IOException | RuntimeException e) {
                            c.fail(e.toString());
                        }
                    }
                    keys.clear();
                }
            } catch (IOException e) {
                log("selector failed: " + e);
            } finally {
                for (SelectionKey key : selector.keys()) ((Conn) key.attachment()).close();
                try {
                    selector.close();
                } catch (IOException ignored) {
                }
            }
        }

        /** One event fully received by a subscriber at {@code now} (ms). */
        void record(Conn c, long revision, long commitMs, long now) {
            frames++;
            if (revision <= c.seen) {
                duplicates++;
                return;
            }
            c.seen = revision;
            if (revision < firstMeasured) return; // warm-up
            long offset = revision - base - 1;
            long lagMs = now - commitMs;
            if (lagMs < 0) {
                negative++;
                lagMs = 0;
            }
            lag[(int) Math.min(HIST_MS, lagMs)]++;
            pairs++;
            if (offset < worst.length) {
                worst[(int) offset] = Math.max(worst[(int) offset], lagMs);
                received[(int) offset]++;
            }
        }
    }

    /** One SSE subscriber: HTTP response head, then chunked transfer decoding, then SSE lines. */
    final class Conn {
        final Loop loop;
        final ByteBuffer request;
        final Semaphore pending;
        final CountDownLatch answered;
        SocketChannel channel;
        long connectStart;
        volatile long headersAt;
        /** The newest revision this subscriber received. */
        volatile long seen;
        volatile boolean closed;
        boolean closedEarly;
        String failure;
        private boolean released;
        // Response head.
        private final StringBuilder head = new StringBuilder();
        private boolean inBody;
        private boolean chunked;
        // Chunked decoding: remaining bytes of the current chunk, -1 while reading a size line.
        private long chunkLeft = -1;
        private long chunkSize;
        private boolean sizeDone;
        private int crlfToSkip;
        // SSE line being assembled, and the events of this stream.
        private final byte[] line = new byte[LINE_KEEP];
        private int lineLen;
        private boolean lineSkip;
        private final SseParser parser = new SseParser();

        Conn(Loop loop, byte[] request, Semaphore pending, CountDownLatch answered) {
            this.loop = loop;
            this.request = ByteBuffer.wrap(request);
            this.pending = pending;
            this.answered = answered;
            this.seen = base;
        }

        void register(Selector selector) {
            try {
                channel.register(selector, channel.isConnectionPending() ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE, this);
            } catch (IOException e) {
                fail("register: " + e);
            }
        }

        void finishConnect(SelectionKey key) throws IOException {
            if (channel.finishConnect()) key.interestOps(SelectionKey.OP_WRITE);
        }

        void write(SelectionKey key) throws IOException {
            channel.write(request);
            if (!request.hasRemaining()) key.interestOps(SelectionKey.OP_READ);
        }

        void read(Loop loop, SelectionKey key) throws IOException {
            ByteBuffer buffer = loop.readBuffer;
            while (true) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    if (headersAt == 0) fail("closed before the response head");
                    else closedEarly = seen < SseLoad.this.lastRevision;
                    close();
                    return;
                }
                if (n == 0) return;
                long now = System.currentTimeMillis();
                buffer.flip();
                buffer.get(loop.bytes, 0, n);
                consume(loop, loop.bytes, 0, n, now);
                if (n < buffer.capacity()) return;
            }
        }

        private void consume(Loop loop, byte[] b, int from, int to, long now) {
            int i = from;
            if (!inBody) {
                while (i < to && !inBody) {
                    head.append((char) b[i++]);
                    int len = head.length();
                    if (len >= 4 && head.charAt(len - 1) == '\n' && head.charAt(len - 2) == '\r' && head.charAt(len - 3) == '\n') {
                        onHead();
                        if (closed) return;
                    }
                }
            }
            if (!chunked) {
                sse(loop, b, i, to, now);
                return;
            }
            while (i < to) {
                if (crlfToSkip > 0) {
                    crlfToSkip--;
                    i++;
                } else if (chunkLeft < 0) {
                    byte c = b[i++];
                    if (c == '\n') {
                        if (chunkSize == 0) { // the last chunk: the server ended the stream
                            close();
                            return;
                        }
                        chunkLeft = chunkSize;
                        chunkSize = 0;
                        sizeDone = false;
                    } else if (c == ';' || c == '\r') {
                        sizeDone = true;
                    } else if (!sizeDone) {
                        chunkSize = chunkSize * 16 + Character.digit(c, 16);
                    }
                } else {
                    int take = (int) Math.min(chunkLeft, to - i);
                    sse(loop, b, i, i + take, now);
                    i += take;
                    chunkLeft -= take;
                    if (chunkLeft == 0) {
                        chunkLeft = -1;
                        crlfToSkip = 2;
                    }
                }
            }
        }

        private void onHead() {
            inBody = true;
            String text = head.toString();
            String status = text.substring(0, Math.max(0, text.indexOf("\r\n")));
            if (!status.startsWith("HTTP/1.1 200")) {
                fail("answered " + status);
                close();
                return;
            }
            chunked = text.toLowerCase().contains("transfer-encoding: chunked");
            headersAt = System.nanoTime();
            release();
        }

        private void sse(Loop loop, byte[] b, int from, int to, long now) {
            for (int i = from; i < to; i++) {
                byte c = b[i];
                if (c == '\n') {
                    int len = lineLen > 0 && line[Math.min(lineLen, LINE_KEEP) - 1] == '\r' && !lineSkip ? lineLen - 1 : lineLen;
                    onLine(loop, Math.min(len, LINE_KEEP), now);
                    lineLen = 0;
                    lineSkip = false;
                } else if (lineLen < LINE_KEEP) {
                    line[lineLen++] = c;
                } else {
                    lineSkip = true; // the rest of a long data line is not needed
                }
            }
        }

        private void onLine(Loop loop, int len, long now) {
            Optional<SseEvent> event = parser.line(new String(line, 0, len, StandardCharsets.UTF_8));
            if (event.isPresent()) onEvent(loop, event.get(), now);
        }

        /** The id needs no reading: the envelope carries the revision. */
        private void onEvent(Loop loop, SseEvent event, long now) {
            if (event.type().equals("resync_required")) {
                loop.resyncs++;
                return;
            }
            long revision = longAfter(event.data(), "\"revision\":");
            long time = instantAfter(event.data(), "\"time\":\"");
            if (revision > 0 && time != Long.MIN_VALUE) loop.record(this, revision, time, now);
            else loop.unparsed++;
        }

        private void release() {
            if (!released) {
                released = true;
                pending.release();
                answered.countDown();
            }
        }

        void fail(String reason) {
            if (failure == null && headersAt == 0) failure = reason;
            close();
        }

        void close() {
            closed = true;
            release();
            try {
                if (channel != null) channel.close();
            } catch (IOException ignored) {
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- tiny parsing

    static long longAfter(String s, String key) {
        int i = s.indexOf(key);
        if (i < 0) return -1;
        i += key.length();
        long v = 0;
        int digits = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = v * 10 + (s.charAt(i++) - '0');
            digits++;
        }
        return digits == 0 ? -1 : v;
    }

    /** Epoch ms of an ISO-8601 UTC instant {@code yyyy-MM-ddTHH:mm:ss[.fff…]Z} after key; MIN_VALUE if none. */
    static long instantAfter(String s, String key) {
        int i = s.indexOf(key);
        if (i < 0) return Long.MIN_VALUE;
        i += key.length();
        int len = s.length();
        if (i + 20 > len || s.charAt(i + 4) != '-' || s.charAt(i + 10) != 'T') return Long.MIN_VALUE;
        long year = num(s, i, 4), month = num(s, i + 5, 2), day = num(s, i + 8, 2);
        long hour = num(s, i + 11, 2), minute = num(s, i + 14, 2), second = num(s, i + 17, 2);
        long millis = 0;
        int p = i + 19;
        if (p < len && s.charAt(p) == '.') {
            int scale = 100;
            for (p++; p < len && s.charAt(p) >= '0' && s.charAt(p) <= '9'; p++) {
                millis += (s.charAt(p) - '0') * scale;
                scale /= 10;
            }
        }
        if (p >= len || s.charAt(p) != 'Z') return Long.MIN_VALUE;
        return ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis;
    }

    private static long num(String s, int from, int digits) {
        long v = 0;
        for (int i = from; i < from + digits; i++) v = v * 10 + (s.charAt(i) - '0');
        return v;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
    static long daysFromCivil(long y, long m, long d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    // ---------------------------------------------------------------------------------------------- /proc

    /**
     * Samples the server's VmRSS (kB) every 200 ms and keeps the peak. At named moments it also reads CPU time:
     * the server's and this process's (/proc/PID/stat utime + stime) and the whole machine's (/proc/stat), so that
     * the CPU of other programs sharing the machine during a window can be told apart and reported.
     */
    static final class ProcSampler {
        private final long pid;
        /** Other instances of a cluster: their CPU counts with the server's, not as other programs'. */
        private final List<Long> clusterPids;
        private final int cpus = Runtime.getRuntime().availableProcessors();
        private final AtomicLong max = new AtomicLong();
        private final List<long[]> samples = new ArrayList<>(); // {nanoTime, kB}
        private final Map<String, long[]> marks = new HashMap<>(); // {nanoTime, kB, server, own, busy, total, interrupts, ksoftirqd}
        private volatile boolean running = true;
        private Thread thread;

        ProcSampler(long pid, List<Long> clusterPids) {
            this.pid = pid;
            this.clusterPids = clusterPids;
        }

        boolean enabled() {
            return pid > 0;
        }

        void start() {
            if (!enabled()) return;
            thread = Thread.ofPlatform().daemon().name("proc-sampler").start(() -> {
                while (running) {
                    rss();
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        private long rss() {
            if (!enabled()) return 0;
            try {
                for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (l.startsWith("VmRSS:")) {
                        long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                        max.accumulateAndGet(kb, Math::max);
                        synchronized (samples) {
                            samples.add(new long[]{System.nanoTime(), kb});
                        }
                        return kb;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // the process is gone: keep what was sampled
            }
            return 0;
        }

        /** utime + stime of a process, in clock ticks; 0 when it cannot be read. */
        private static long processTicks(String pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of stat(5)
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        /**
         * {busy, total, interrupts} clock ticks of all CPUs since boot. Interrupt time (irq + softirq: on loopback,
         * most of it is TCP delivering the streams' bytes) is also charged, as system time, to the process it
         * interrupted, so it overlaps the processes' figures; it is reported for information only.
         */
        private static long[] machineTicks() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
                long total = 0;
                for (int i = 1; i <= Math.min(8, f.length - 1); i++) total += Long.parseLong(f[i]); // user … steal
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                long interrupts = Long.parseLong(f[6]) + Long.parseLong(f[7]);
                return new long[]{total - idle, total, interrupts};
            } catch (IOException | RuntimeException e) {
                return new long[]{0, 0, 0};
            }
        }

        /**
         * The kernel's softirq threads: when interrupt work piles up (here: loopback TCP for the streams) it moves
         * to them, so their time is caused by the benchmark and is not counted as other programs'.
         */
        private final List<String> softirqThreads = softirqThreads();

        private static List<String> softirqThreads() {
            try (var procs = Files.list(Path.of("/proc"))) {
                return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                        .filter(p -> {
                            try {
                                return Files.readString(p.resolve("comm")).startsWith("ksoftirqd/");
                            } catch (IOException e) {
                                return false;
                            }
                        })
                        .map(p -> p.getFileName().toString()).toList();
            } catch (IOException e) {
                return List.of();
            }
        }

        /** utime + stime per thread of the server ("name/tid" -> ticks). */
        private Map<String, Long> threadTicks() {
            Map<String, Long> ticks = new HashMap<>();
            if (!enabled()) return ticks;
            try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        ticks.put(name + "/" + task.getFileName(), processTicks(pid + "/task/" + task.getFileName()));
                    } catch (IOException | RuntimeException e) {
                        // the thread ended
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
            return ticks;
        }

        private final Map<String, Map<String, Long>> threadMarks = new HashMap<>();

        /** The server's busiest threads between two marks: "name=cores" for the top {@code n}. */
        String busiestThreads(String from, String to, int n) {
            Map<String, Long> a, b;
            double wallTicks;
            synchronized (samples) {
                a = threadMarks.get(from);
                b = threadMarks.get(to);
                wallTicks = (double) (marks.get(to)[5] - marks.get(from)[5]) / cpus;
            }
            if (a == null || b == null || wallTicks <= 0) return "";
            return b.entrySet().stream()
                    .map(e -> Map.entry(e.getKey().replaceAll("/\\d+$", ""), (e.getValue() - a.getOrDefault(e.getKey(), 0L)) / wallTicks))
                    .sorted((x, y) -> Double.compare(y.getValue(), x.getValue())).limit(n)
                    .map(e -> e.getKey().replace(' ', '_') + "=" + String.format("%.2f", e.getValue()))
                    .reduce((x, y) -> x + "," + y).orElse("");
        }

        void mark(String name) {
            Map<String, Long> threads = threadTicks();
            long kb = rss();
            long[] machine = machineTicks();
            long ksoftirqd = softirqThreads.stream().mapToLong(ProcSampler::processTicks).sum();
            long server = enabled() ? processTicks(Long.toString(pid)) : 0;
            for (long peer : clusterPids) server += processTicks(Long.toString(peer));
            long[] mark = {System.nanoTime(), kb, server, processTicks("self"),
                    machine[0], machine[1], machine[2], ksoftirqd};
            synchronized (samples) {
                marks.put(name, mark);
                threadMarks.put(name, threads);
            }
        }

        long rssAt(String name) {
            synchronized (samples) {
                return marks.get(name)[1];
            }
        }

        long max() {
            return max.get();
        }

        long maxSince(String name) {
            synchronized (samples) {
                long since = marks.get(name)[0];
                return samples.stream().filter(s -> s[0] >= since).mapToLong(s -> s[1]).max().orElse(0);
            }
        }

        /**
         * CPU used between two marks, in cores: {server, this load generator, ksoftirqd (interrupt work moved to
         * threads), everything else busy: other programs, other kernel threads, interrupts taken while idle;
         * interrupts (irq + softirq, overlapping the others)}.
         */
        double[] cores(String from, String to) {
            long[] a, b;
            synchronized (samples) {
                a = marks.get(from);
                b = marks.get(to);
            }
            double wallTicks = (double) (b[5] - a[5]) / cpus;
            if (wallTicks <= 0) return new double[]{0, 0, 0, 0, 0};
            double server = (b[2] - a[2]) / wallTicks, own = (b[3] - a[3]) / wallTicks, busy = (b[4] - a[4]) / wallTicks;
            double interrupts = (b[6] - a[6]) / wallTicks, ksoftirqd = (b[7] - a[7]) / wallTicks;
            return new double[]{server, own, ksoftirqd, Math.max(0, busy - server - own - ksoftirqd), interrupts};
        }

        double seconds(String from, String to) {
            synchronized (samples) {
                return (marks.get(to)[0] - marks.get(from)[0]) / 1e9;
            }
        }

        void stop() throws InterruptedException {
            running = false;
            if (thread != null) {
                thread.interrupt();
                thread.join(1000);
            }
        }
    }
}
