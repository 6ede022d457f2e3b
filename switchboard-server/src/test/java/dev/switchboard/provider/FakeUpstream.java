package dev.switchboard.provider;

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

/**
 * A local upstream for tests, on the JDK's {@link HttpServer} at {@code 127.0.0.1} on a free port.
 * Tests register a {@link Responder} per exact path, then inspect what the client sent
 * ({@link #requests(String)}). Replies can be slow, hang before the headers, stall in the middle of
 * the body or stream more than a cap; every stalled reply is released by {@link #close()}, so a test
 * never leaves a thread behind.
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
    private final Map<String, List<RecordedRequest>> received = new ConcurrentHashMap<>();

    private FakeUpstream(HttpServer server) {
        this.server = server;
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeUpstream start() throws IOException {
        return new FakeUpstream(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
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
            received.computeIfAbsent(request.path(), p -> Collections.synchronizedList(new ArrayList<>())).add(request);
            Responder responder = responders.get(request.path());
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

    /** Computes the reply to one request. */
    @FunctionalInterface
    public interface Responder {
        Reply respond(RecordedRequest request) throws Exception;
    }

    /**
     * One request as the fake received it.
     *
     * @param headers names compared case-insensitively
     * @param body    the request body as sent (empty for none)
     */
    public record RecordedRequest(String method, String path, String rawQuery, Map<String, List<String>> headers, byte[] body) {

        static RecordedRequest of(HttpExchange exchange) throws IOException {
            var headers = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
            URI uri = exchange.getRequestURI();
            return new RecordedRequest(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                    Collections.unmodifiableMap(headers), exchange.getRequestBody().readAllBytes());
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
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

        /**
         * A Server-Sent Events stream: each of {@code data} as one {@code data:} event, flushed on its own,
         * {@code gap} apart, then the end of the body.
         */
        static Reply sse(List<String> data, Duration gap) {
            return (exchange, pause) -> {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                for (int i = 0; i < data.size(); i++) {
                    if (i > 0 && !pause.sleep(gap)) return;
                    out.write(("data: " + data.get(i) + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            };
        }

        /**
         * A stream that sends one event every {@code every} until the client goes away, then counts
         * {@code clientLeft} down: the fake's own view of a cancelled request.
         */
        static Reply streamUntilClientLeaves(Duration every, CountDownLatch clientLeft) {
            return (exchange, pause) -> {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                try {
                    for (int i = 0; ; i++) {
                        out.write(("data: {\"n\":" + i + "}\n\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        if (!pause.sleep(every)) return;
                    }
                } catch (IOException gone) {
                    clientLeft.countDown();
                    throw gone;
                }
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
