package dev.switchboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.client.sse.SseParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Server-Sent Events subscriber for tests: a real HTTP/1.1 request read line by line on its own thread,
 * parsed into events as a browser's EventSource would.
 */
public final class SseClient implements AutoCloseable {
    /** How long a test waits for an event that must come. */
    public static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client;
    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final List<String> retryLines = new CopyOnWriteArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);

    /** One event as dispatched: {@code id:}, {@code event:} and {@code data:}. */
    public record Event(String id, String type, String data) {
        public long revision() {
            return Long.parseLong(id);
        }

        public JsonNode json() {
            try {
                return MAPPER.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + data, e);
            }
        }
    }

    private SseClient(HttpClient client, HttpResponse<Stream<String>> response) {
        this.client = client;
        this.response = response;
        Thread.ofVirtual().name("sse-client").start(this::read);
    }

    /** Connects and returns once the response headers are in. */
    public static SseClient connect(int port, String pathAndQuery, String... headers) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .header("Accept", "text/event-stream");
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        try {
            return new SseClient(client, client.send(request.GET().build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The next event; fails the test when none comes within {@link #PATIENCE}. */
    public Event next() {
        try {
            Event event = events.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            if (event == null) throw new AssertionError("no event within " + PATIENCE + (isEnded() ? " (stream ended)" : ""));
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next {@code count} events. */
    public List<Event> next(int count) {
        List<Event> taken = new ArrayList<>(count);
        for (int i = 0; i < count; i++) taken.add(next());
        return taken;
    }

    /** Events received and not yet taken. */
    public List<Event> pending() {
        return List.copyOf(events);
    }

    /** Comment lines ({@code : ping}) received so far. */
    public List<String> comments() {
        return List.copyOf(comments);
    }

    /** The {@code retry:} fields received so far. */
    public List<String> retryLines() {
        return List.copyOf(retryLines);
    }

    /** Waits until the server ends the stream; fails the test when it does not within {@link #PATIENCE}. */
    public void awaitEnd() {
        try {
            if (!ended.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) throw new AssertionError("the stream did not end");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean isEnded() {
        return ended.getCount() == 0;
    }

    private void read() {
        SseParser parser = new SseParser();
        try (Stream<String> lines = response.body()) {
            for (var it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.startsWith(":")) comments.add(line);
                else if (line.startsWith("retry:")) retryLines.add(line);
                parser.line(line).ifPresent(event -> events.add(new Event(event.id(), event.type(), event.data())));
            }
        } catch (RuntimeException closedByTest) {
            // close() cancels the body; nothing more to read
        } finally {
            ended.countDown();
        }
    }

    /** Disconnects, as a client that goes away would. */
    @Override
    public void close() {
        response.body().close();
        client.shutdownNow();
    }
}
