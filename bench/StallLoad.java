import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes under a stalled peer (bench/cluster.sh). JDK only, run with the single-file source launcher:
 * {@code java bench/StallLoad.java --writers 8081,8082 --stalled-port 8083 --stalled-pid 1234 --psql "psql -h … -d db"}.
 *
 * <p>Every instance gets its own model configuration ({@code stall-<port>}), so that writes never conflict; each
 * PUT alternates the model and numbers the description, so each one that succeeds commits exactly one event. The
 * writers (open loop: one PUT every 1/{@code --rate} s to each, whether or not earlier ones were answered) run
 * through four phases:
 * <ol>
 *   <li><b>before</b> ({@code --before-s}): nobody stalled, the baseline. The stalled-to-be instance gets writes too
 *       ({@code --stalled-rate} per second), so that its writer is often inside a transaction.</li>
 *   <li><b>attempts</b> (not counted): SIGSTOP the instance at a random moment, wait {@code --hold-check-ms}, and ask
 *       PostgreSQL whether a session has been idle in a transaction since then while holding the revision lock (a
 *       {@code RowShareLock} on {@code sb_state}, which only its {@code SELECT … FOR UPDATE} takes): the stopped
 *       instance, stopped inside a write after taking the lock (nobody running stays idle in a transaction that
 *       long). A transaction that has not reached the lock yet does not count. If not, SIGCONT and try again (at
 *       most {@code --attempts} times; the last try is kept either way and the result says whether it held the
 *       lock). No writes are sent to the stopped instance.</li>
 *   <li><b>stalled</b> ({@code --stall-s}, from the SIGSTOP): the other instances' writes go on. Every 250 ms
 *       PostgreSQL is asked whether the stopped instance still holds the lock (its transaction is ended after
 *       {@code idle_in_transaction_session_timeout}, i.e. write_timeout) and how many lock waits there are.</li>
 *   <li><b>after</b> ({@code --after-s}, from the SIGCONT): everybody writes again.</li>
 * </ol>
 * Then it waits for every answer (at most 70 s: a request's own timeout is 60 s), for every instance to show the
 * same revision (at most {@code --settle-s}), and checks that the revision moved by exactly the number of 2xx
 * answers: a 503 that was applied anyway, or a 2xx that was lost, shows as a difference.
 *
 * <p>A write's latency is from sending the request to reading the whole answer, measured here. Prints
 * {@code RESULT <name> <value>} lines on stdout; progress goes to stderr. The stopped process is always continued
 * before this program exits.
 */
public class StallLoad {
    static final Pattern ERROR_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]+)\"");

    enum Phase { BEFORE, ATTEMPTS, STALLED, AFTER }

    record Options(String host, List<Integer> writers, int stalledPort, long stalledPid, double rate, double stalledRate,
                   double beforeS, double stallS, double afterS, int attempts, long holdCheckMs, String psql,
                   String provider, List<String> models, long settleS) {
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
            Options o = new Options(m.getOrDefault("host", "127.0.0.1"),
                    Arrays.stream(req(m, "writers").split(",")).map(Integer::parseInt).toList(),
                    Integer.parseInt(req(m, "stalled-port")), Long.parseLong(req(m, "stalled-pid")),
                    Double.parseDouble(m.getOrDefault("rate", "20")), Double.parseDouble(m.getOrDefault("stalled-rate", "50")),
                    Double.parseDouble(m.getOrDefault("before-s", "5")), Double.parseDouble(m.getOrDefault("stall-s", "10")),
                    Double.parseDouble(m.getOrDefault("after-s", "5")), Integer.parseInt(m.getOrDefault("attempts", "30")),
                    Long.parseLong(m.getOrDefault("hold-check-ms", "300")), req(m, "psql"),
                    m.getOrDefault("provider", "bench"), List.of(m.getOrDefault("models", "model-a,model-b").split(",")),
                    Long.parseLong(m.getOrDefault("settle-s", "30")));
            if (o.writers.isEmpty() || o.rate <= 0 || o.stalledRate <= 0 || o.attempts < 1) {
                throw new IllegalArgumentException("need --writers, positive rates and --attempts >= 1");
            }
            return o;
        }

        private static String req(Map<String, String> m, String key) {
            String v = m.get(key);
            if (v == null) throw new IllegalArgumentException("--" + key + " is required");
            return v;
        }
    }

    /** One answered (or failed) write: which instance, the phase it was sent in, latency, status or error. */
    record Outcome(int port, Phase phase, long sentAt, long nanos, int status, String errorType, String failure) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    private final Options o;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final List<CompletableFuture<Void>> inFlight = new ArrayList<>();
    private final Map<Integer, AtomicInteger> counters = new HashMap<>();
    private volatile Phase phase = Phase.BEFORE;
    /** While set, the stalled instance gets no writes (it is stopped). */
    private volatile boolean stalledPaused;
    private volatile boolean driving = true;
    private volatile boolean stopped;

    StallLoad(Options o) {
        this.o = o;
    }

    public static void main(String[] args) throws Exception {
        new StallLoad(Options.parse(args)).run();
    }

    static void log(String message) {
        System.err.println("[StallLoad] " + message);
    }

    static void result(String name, Object value) {
        System.out.println("RESULT " + name + " " + value);
    }

    void run() throws Exception {
        List<Integer> all = new ArrayList<>(o.writers);
        all.add(o.stalledPort);
        for (int port : all) {
            counters.put(port, new AtomicInteger());
            HttpResponse<String> created = http.send(put(port, 0), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() / 100 != 2) throw new IllegalStateException("PUT on " + port + " answered " + created.statusCode() + ": " + created.body());
        }
        long startRevision = settle(all, System.nanoTime() + TimeUnit.SECONDS.toNanos(o.settleS));
        if (startRevision < 0) throw new IllegalStateException("the instances did not agree on a revision before the run");
        log("start revision " + startRevision + "; writers " + o.writers + " at " + o.rate + "/s each, stalled-to-be " + o.stalledPort
                + " at " + o.stalledRate + "/s");

        Thread driver = Thread.ofPlatform().name("stall-driver").start(this::drive);
        int attempt = 0;
        boolean holding = false;
        long stopAt = 0;
        long releasedAfterMs = -1;
        int maxLockWaits = 0;
        long stallNanos = 0;
        long contAt;
        try {
            sleepSeconds(o.beforeS);
            phase = Phase.ATTEMPTS;
            while (attempt < o.attempts && !holding) {
                attempt++;
                Thread.sleep(ThreadLocalRandom.current().nextLong(1, Math.max(2, (long) (1000 / o.stalledRate))));
                signal("STOP");
                stopAt = System.nanoTime();
                stalledPaused = true;
                stopped = true;
                Thread.sleep(o.holdCheckMs);
                holding = holdingRevisionLock(o.holdCheckMs - 50) > 0;
                if (!holding && attempt < o.attempts) {
                    signal("CONT");
                    stopped = false;
                    stalledPaused = false;
                    Thread.sleep(200);
                }
            }
            phase = Phase.STALLED;
            log("stopped pid " + o.stalledPid + " (attempt " + attempt + ", " + (holding ? "holding the revision lock" : "NOT holding the revision lock")
                    + "); stalled for " + o.stallS + " s");
            long stallEnd = stopAt + (long) (o.stallS * 1e9);
            while (System.nanoTime() < stallEnd) {
                if (releasedAfterMs < 0 && holdingRevisionLock(200) == 0) releasedAfterMs = (System.nanoTime() - stopAt) / 1_000_000;
                maxLockWaits = Math.max(maxLockWaits, lockWaits());
                Thread.sleep(Math.max(0, Math.min(250, (stallEnd - System.nanoTime()) / 1_000_000)));
            }
        } finally {
            if (stopped) signal("CONT");
            contAt = System.nanoTime();
            stallNanos = contAt - stopAt;
            stopped = false;
        }
        phase = Phase.AFTER;
        stalledPaused = false;
        log("continued pid " + o.stalledPid + " after " + stallNanos / 1_000_000 + " ms");
        sleepSeconds(o.afterS);
        driving = false;
        driver.join(10_000);
        synchronized (inFlight) {
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(70, TimeUnit.SECONDS);
        }
        long settleStart = System.nanoTime();
        long endRevision = settle(all, settleStart + TimeUnit.SECONDS.toNanos(o.settleS));
        long settleMs = (System.nanoTime() - settleStart) / 1_000_000;

        result("attempts", attempt);
        result("stalled_holding_lock", holding ? "yes" : "no");
        result("stalled_ms", stallNanos / 1_000_000);
        result("stalled_lock_released_after_ms", releasedAfterMs);
        result("lock_waits_max", maxLockWaits);
        // The stall is from the SIGSTOP that was kept to the SIGCONT, by the time each write was sent.
        long stoppedAt = stopAt, continuedAt = contAt;
        List<Outcome> list = new ArrayList<>(outcomes);
        List<Outcome> others = list.stream().filter(x -> x.port != o.stalledPort).toList();
        report("before", others.stream().filter(x -> x.phase == Phase.BEFORE).toList());
        report("stalled", others.stream().filter(x -> x.sentAt >= stoppedAt && x.sentAt < continuedAt).toList());
        report("after", others.stream().filter(x -> x.sentAt >= continuedAt).toList());
        report("stalled_instance", list.stream().filter(x -> x.port == o.stalledPort).toList());
        report("attempts_phase", others.stream().filter(x -> x.phase == Phase.ATTEMPTS && x.sentAt < stoppedAt).toList());
        timeline(others.stream().filter(x -> x.sentAt >= stoppedAt).toList(), stoppedAt);
        long ok = list.stream().filter(Outcome::ok).count();
        long unknown = list.stream().filter(x -> x.status == 0).count();
        result("writes_ok_total", ok);
        result("writes_unknown_outcome", unknown);
        result("revision_start", startRevision);
        result("revision_end", endRevision);
        result("converged", endRevision >= 0 ? "yes" : "no");
        result("converge_ms", settleMs);
        result("applied_minus_ok", endRevision < 0 ? "n/a" : Long.toString(endRevision - startRevision - ok));
    }

    private void report(String name, List<Outcome> list) {
        long[] all = list.stream().filter(x -> x.status > 0).mapToLong(Outcome::nanos).sorted().toArray();
        long[] ok = list.stream().filter(Outcome::ok).mapToLong(Outcome::nanos).sorted().toArray();
        Map<String, Integer> statuses = new TreeMap<>();
        Map<String, Integer> types = new TreeMap<>();
        for (Outcome x : list) {
            statuses.merge(x.status == 0 ? "error" : Integer.toString(x.status), 1, Integer::sum);
            if (x.errorType != null) types.merge(x.errorType, 1, Integer::sum);
            if (x.failure != null) types.merge("client:" + x.failure, 1, Integer::sum);
        }
        result(name + "_writes", list.size());
        result(name + "_ok", list.stream().filter(Outcome::ok).count());
        result(name + "_503", list.stream().filter(x -> x.status == 503).count());
        result(name + "_other_status", list.stream().filter(x -> x.status > 0 && !x.ok() && x.status != 503).count());
        result(name + "_no_answer", list.stream().filter(x -> x.status == 0).count());
        result(name + "_p50_ms", ms(all, 0.50));
        result(name + "_p99_ms", ms(all, 0.99));
        result(name + "_max_ms", ms(all, 1.0));
        result(name + "_ok_p50_ms", ms(ok, 0.50));
        result(name + "_ok_p99_ms", ms(ok, 0.99));
        result(name + "_statuses", join(statuses));
        result(name + "_error_types", join(types));
    }

    /**
     * The other instances' writes by the second after the SIGSTOP they were sent in: "second:writes/2xx/503/p50
     * ms/max ms", so the wait for the stalled lock and the return to normal show.
     */
    private void timeline(List<Outcome> list, long stopAt) {
        Map<Long, List<Outcome>> bySecond = new TreeMap<>();
        for (Outcome x : list) bySecond.computeIfAbsent((x.sentAt - stopAt) / 1_000_000_000L, k -> new ArrayList<>()).add(x);
        StringBuilder line = new StringBuilder();
        bySecond.forEach((second, xs) -> {
            long[] sorted = xs.stream().filter(x -> x.status > 0).mapToLong(Outcome::nanos).sorted().toArray();
            if (!line.isEmpty()) line.append(',');
            line.append(second).append(':').append(xs.size()).append('/').append(xs.stream().filter(Outcome::ok).count())
                    .append('/').append(xs.stream().filter(x -> x.status == 503).count()).append('/').append(ms(sorted, 0.5))
                    .append('/').append(ms(sorted, 1.0));
        });
        result("timeline", line.isEmpty() ? "-" : line);
    }

    private static String join(Map<String, Integer> counts) {
        return counts.isEmpty() ? "-" : counts.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .reduce((a, b) -> a + "," + b).orElse("-");
    }

    private static String ms(long[] sorted, double p) {
        if (sorted.length == 0) return "-1";
        int index = Math.max(0, (int) Math.ceil(p * sorted.length) - 1);
        return String.format("%.1f", sorted[index] / 1e6);
    }

    // ---------------------------------------------------------------------------------------------- writes

    /** Sends on schedule to every target until told to stop; bounded by time through the phases and by count. */
    private void drive() {
        List<Integer> targets = new ArrayList<>(o.writers);
        targets.add(o.stalledPort);
        long start = System.nanoTime();
        long[] next = new long[targets.size()];
        Arrays.fill(next, start);
        long cap = (long) ((o.rate * o.writers.size() + o.stalledRate) * (o.beforeS + o.stallS + o.afterS + o.attempts + 60));
        long sent = 0;
        while (driving && sent < cap) {
            long now = System.nanoTime();
            for (int i = 0; i < targets.size(); i++) {
                int port = targets.get(i);
                boolean stalled = port == o.stalledPort;
                long interval = (long) (1e9 / (stalled ? o.stalledRate : o.rate));
                if (now < next[i]) continue;
                next[i] += interval;
                if (next[i] < now) next[i] = now + interval; // behind (a long pause of this thread): do not burst
                if (stalled && stalledPaused) continue;
                send(port);
                sent++;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void send(int port) {
        Phase sentIn = phase;
        HttpRequest request = put(port, counters.get(port).incrementAndGet());
        long t = System.nanoTime();
        CompletableFuture<Void> answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            long nanos = System.nanoTime() - t;
            if (error != null) {
                outcomes.add(new Outcome(port, sentIn, t, nanos, 0, null, error.getClass().getSimpleName()));
            } else {
                String type = null;
                if (response.statusCode() / 100 != 2) {
                    Matcher m = ERROR_TYPE.matcher(response.body());
                    type = m.find() ? m.group(1) : "status " + response.statusCode();
                }
                outcomes.add(new Outcome(port, sentIn, t, nanos, response.statusCode(), type, null));
            }
            return null;
        });
        synchronized (inFlight) {
            inFlight.add(answer);
        }
    }

    private HttpRequest put(int port, int n) {
        String body = "{\"provider\":\"" + o.provider + "\",\"model\":\"" + o.models.get(n % o.models.size())
                + "\",\"description\":\"StallLoad write " + n + "\"}";
        return HttpRequest.newBuilder(URI.create("http://" + o.host + ":" + port + "/api/v1/model-configs/stall-" + port))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    // ---------------------------------------------------------------------------------------------- the cluster

    /** Waits until every instance shows the same revision; returns it, or -1 when they did not agree in time. */
    private long settle(List<Integer> ports, long deadline) throws InterruptedException {
        while (true) {
            long first = -2;
            boolean same = true;
            for (int port : ports) {
                long revision = revision(port);
                if (first == -2) first = revision;
                else if (revision != first) same = false;
            }
            if (same && first >= 0) return first;
            if (System.nanoTime() > deadline) return -1;
            Thread.sleep(50);
        }
    }

    private long revision(int port) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://" + o.host + ":" + port + "/healthz"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return Long.parseLong(response.headers().firstValue("X-Switchboard-Revision").orElse("-1"));
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Sessions of this database idle inside a transaction for longer than {@code ms} that hold the revision lock:
     * a {@code RowShareLock} on {@code sb_state} is taken by its {@code SELECT … FOR UPDATE} only (reads take
     * {@code AccessShareLock}) and kept until the transaction ends.
     */
    private int holdingRevisionLock(long ms) {
        return sql("SELECT count(*) FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid WHERE a.datname = current_database()"
                + " AND a.state LIKE 'idle in transaction%' AND now() - a.state_change > interval '" + ms + " milliseconds'"
                + " AND l.locktype = 'relation' AND l.relation = 'sb_state'::regclass AND l.mode = 'RowShareLock' AND l.granted");
    }

    /** Lock requests of this database's sessions that wait. */
    private int lockWaits() {
        return sql("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE NOT l.granted AND a.datname = current_database()");
    }

    private int sql(String query) {
        List<String> command = new ArrayList<>(List.of(o.psql.split(" ")));
        command.addAll(List.of("-Atqc", query));
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) throw new IllegalStateException("psql failed: " + query);
            return Integer.parseInt(out);
        } catch (IOException e) {
            throw new IllegalStateException("psql: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(o.stalledPid)).inheritIO().start();
        if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) throw new IllegalStateException("kill -" + name + " " + o.stalledPid + " failed");
    }

    private static void sleepSeconds(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
    }
}
