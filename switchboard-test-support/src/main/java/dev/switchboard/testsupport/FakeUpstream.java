package dev.switchboard.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local upstream for tests and benchmarks, on the JDK's {@link HttpServer} at {@code 127.0.0.1}.
 * Tests register a {@link Responder} per exact path (or per path prefix), then inspect what the client
 * sent ({@link #requests(String)}). Replies can be slow, hang before the headers, stall in the middle of
 * the body or stream more than a cap; every stalled reply is released by {@link #close()}, so a test
 * never leaves a thread behind.
 *
 * <p>The benchmarks run it as a program ({@link #main}, started by {@code bench/lib.sh}): generated
 * OpenAI model lists of any size ({@link #generatedModelLists()}), without recording requests.
 *
 * <pre>{@code
 * try (var upstream = FakeUpstream.start()) {
 *     upstream.on("/v1/models", request -> Reply.json("{\"data\":[]}"));
 *     ... call upstream.uri("/v1") ...
 *     assertThat(upstream.requestCount("/v1/models")).isEqualTo(1);
 * }
 * }</pre>
 */
public final class FakeUpstream implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Pause pause = new Pause(closing);
    private final Map<String, Responder> responders = new ConcurrentHashMap<>();
    private final Map<String, Responder> prefixResponders = new ConcurrentHashMap<>();
    private final Map<String, List<RecordedRequest>> received = new ConcurrentHashMap<>();
    /** False for the benchmarks: millions of requests must not pile up in memory. */
    private final boolean recording;

    private FakeUpstream(HttpServer server, boolean recording) {
        this.server = server;
        this.recording = recording;
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** On a free port, recording every request. */
    public static FakeUpstream start() throws IOException {
        return new FakeUpstream(loopback(0), true);
    }

    private static HttpServer loopback(int port) throws IOException {
        // a deep accept queue: a benchmark opens hundreds of connections at once
        return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    }

    /**
     * Runs the fake for the benchmarks until the process is stopped: {@code java -cp
     * switchboard-test-support/target/classes dev.switchboard.testsupport.FakeUpstream PORT}. It answers
     * {@code GET /p/{provider}/{count}/models} ({@link #generatedModelLists()}), {@code GET /stats} (how many of those
     * lists were served) and {@code GET /healthz}.
     *
     * @param args the port to listen on, on loopback
     * @throws IOException when the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        // Without TCP_NODELAY the headers and body go out as two segments and delayed ACKs add ~40 ms
        // to every answer, which would make the fake, not Switchboard, the bottleneck. Read once, when
        // the first server is created.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int port = Integer.parseInt(args[0]);
        AtomicLong served = new AtomicLong();
        Responder lists = generatedModelLists();
        new FakeUpstream(loopback(port), false)
                .onPrefix("/p/", request -> {
                    Reply reply = lists.respond(request);
                    served.incrementAndGet();
                    return reply;
                })
                .on("/stats", request -> Reply.json("{\"served\":" + served.get() + "}"))
                .onJson("/healthz", "{\"status\":\"ok\"}");
        System.out.println("fake upstream on http://127.0.0.1:" + port);
    }

    /**
     * OpenAI model lists of any size, so that no provider needs configuring here: {@code GET
     * /p/{provider}/{count}/models} answers {@code count} models named {@code {provider}-model-00001 …}, the
     * same bytes on every call (built once, then kept by this responder). Register it with
     * {@code onPrefix("/p/", …)}.
     *
     * @return a responder that answers 404 to any other path
     */
    public static Responder generatedModelLists() {
        Map<String, byte[]> bodies = new ConcurrentHashMap<>();
        return request -> {
            String[] parts = request.path().split("/"); // "", "p", provider, count, "models"
            if (parts.length != 5 || !parts[4].equals("models") || !parts[3].matches("[0-9]{1,7}")) {
                return Reply.json(404, "{\"error\":{\"message\":\"no such path\"}}");
            }
            String provider = parts[2];
            int count = Integer.parseInt(parts[3]);
            byte[] body = bodies.computeIfAbsent(provider + "/" + count, key -> modelList(provider, count));
            return Reply.bytes(200, "application/json", body);
        };
    }

    private static byte[] modelList(String provider, int count) {
        StringBuilder json = new StringBuilder(count * 110).append("{\"object\":\"list\",\"data\":[");
        for (int i = 1; i <= count; i++) {
            if (i > 1) json.append(',');
            json.append("{\"id\":\"").append(provider).append("-model-").append(String.format("%05d", i))
                    .append("\",\"object\":\"model\",\"created\":1735689600,\"owned_by\":\"").append(provider)
                    .append("\",\"context_length\":").append(8192 << (i % 5)).append('}');
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** {@code baseUri()} followed by {@code pathAndQuery}, which starts with a slash. */
    public URI uri(String pathAndQuery) {
        return URI.create(baseUri() + pathAndQuery);
    }

    /** Answers requests for exactly {@code path} (the query is not part of it); replaces an earlier responder. */
    public FakeUpstream on(String path, Responder responder) {
        responders.put(path, responder);
        return this;
    }

    /**
     * Answers requests whose path starts with {@code prefix} and that no exact responder takes; the longest
     * matching prefix wins.
     */
    public FakeUpstream onPrefix(String prefix, Responder responder) {
        prefixResponders.put(prefix, responder);
        return this;
    }

    /** Answers {@code path} with 200 and this JSON. */
    public FakeUpstream onJson(String path, String json) {
        return on(path, request -> Reply.json(json));
    }

    public int requestCount(String path) {
        return requests(path).size();
    }

    /** What the client sent to {@code path}, oldest first. */
    public List<RecordedRequest> requests(String path) {
        List<RecordedRequest> list = received.getOrDefault(path, List.of());
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    /** The latest request to {@code path}; fails the test when there was none. */
    public RecordedRequest lastRequest(String path) {
        var list = requests(path);
        if (list.isEmpty()) throw new AssertionError("no request to " + path);
        return list.getLast();
    }

    /** Stops at once: stalled replies are released and their connections dropped. */
    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var request = RecordedRequest.of(exchange);
            if (recording) received.computeIfAbsent(request.path(), p -> Collections.synchronizedList(new ArrayList<>())).add(request);
            Responder responder = responderFor(request.path());
            Reply reply = responder == null
                    ? Reply.json(404, "{\"error\":\"no handler for " + request.path() + "\"}")
                    : responder.respond(request);
            reply.send(exchange, pause);
        } catch (IOException clientWentAway) {
            // The client under test aborted (cap, timeout, close): exactly what many tests provoke.
        } catch (InterruptedException closed) {
            Thread.currentThread().interrupt();
        } catch (Exception bug) {
            throw new IOException("fake upstream responder failed", bug);
        }
    }

    private Responder responderFor(String path) {
        Responder exact = responders.get(path);
        if (exact != null) return exact;
        String longest = null;
        for (String prefix : prefixResponders.keySet()) {
            if (path.startsWith(prefix) && (longest == null || prefix.length() > longest.length())) longest = prefix;
        }
        return longest == null ? null : prefixResponders.get(longest);
    }

    /** Computes the reply to one request. */
    @FunctionalInterface
    public interface Responder {
        Reply respond(RecordedRequest request) throws Exception;
    }

    /**
     * One request as the fake received it.
     *
     * @param headers names compared case-insensitively
     */
    public record RecordedRequest(String method, String path, String rawQuery, Map<String, List<String>> headers) {

        /** Keeps a read-only, case-insensitive copy of the headers. */
        public RecordedRequest {
            var copy = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
            headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
            headers = Collections.unmodifiableMap(copy);
        }

        static RecordedRequest of(HttpExchange exchange) {
            URI uri = exchange.getRequestURI();
            return new RecordedRequest(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), exchange.getRequestHeaders());
        }

        public Optional<String> header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        /** The decoded query parameters, in order (first value of each). */
        public Map<String, String> query() {
            var params = new LinkedHashMap<String, String>();
            if (rawQuery == null || rawQuery.isEmpty()) return params;
            for (String pair : rawQuery.split("&")) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                params.putIfAbsent(decode(name), decode(value));
            }
            return params;
        }

        private static String decode(String text) {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        }
    }

    /** Waits that end early when the fake closes, so no handler outlives its test. */
    public static final class Pause {
        private final CountDownLatch closing;

        private Pause(CountDownLatch closing) {
            this.closing = closing;
        }

        /** @return false when the fake closed during the wait */
        public boolean sleep(Duration duration) throws InterruptedException {
            return !closing.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        }

        public void untilClosed() throws InterruptedException {
            closing.await();
        }
    }

    /** What the fake sends back. */
    @FunctionalInterface
    public interface Reply {
        void send(HttpExchange exchange, Pause pause) throws IOException, InterruptedException;

        /** How a streamed body is framed. */
        enum Framing { CONTENT_LENGTH, CHUNKED }

        static Reply json(String body) {
            return json(200, body);
        }

        static Reply json(int status, String body) {
            return bytes(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
        }

        static Reply bytes(int status, String contentType, byte[] body) {
            return (exchange, pause) -> {
                exchange.getResponseHeaders().set("Content-Type", contentType);
                exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
            };
        }

        /**
         * A valid JSON document preceded by {@code padding} bytes of whitespace, itself valid JSON:
         * a client that read it whole would accept it, so only a size cap can reject it.
         */
        static Reply paddedJson(String json, long padding, Framing framing) {
            return (exchange, pause) -> {
                byte[] tail = json.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, framing == Framing.CHUNKED ? 0 : padding + tail.length);
                OutputStream out = exchange.getResponseBody();
                byte[] spaces = new byte[16 * 1024];
                Arrays.fill(spaces, (byte) ' ');
                for (long left = padding; left > 0; left -= spaces.length) {
                    out.write(spaces, 0, (int) Math.min(spaces.length, left));
                }
                out.write(tail);
            };
        }

        /** Headers that announce {@code contentLength} bytes, the first few bytes, then nothing until close. */
        static Reply declaringLength(long contentLength) {
            return (exchange, pause) -> {
                exchange.sendResponseHeaders(200, contentLength);
                exchange.getResponseBody().write("{\"data\":[".getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
                pause.untilClosed();
            };
        }

        /** Takes the request and never answers, not even the status line. */
        static Reply hang() {
            return (exchange, pause) -> pause.untilClosed();
        }

        /** 200 and its headers at once, the start of a body, then nothing until close. */
        static Reply headersThenStall() {
            return (exchange, pause) -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, 0);
                exchange.getResponseBody().write("{\"data\":[".getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
                pause.untilClosed();
            };
        }

        /** This reply, sent after {@code delay}. */
        default Reply after(Duration delay) {
            return (exchange, pause) -> {
                if (pause.sleep(delay)) send(exchange, pause);
            };
        }
    }
}
