package dev.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.client.sse.SseEvent;
import dev.switchboard.client.sse.SseParser;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Follows {@code GET /api/v1/events} as Server-Sent Events. After a drop it reconnects with Last-Event-ID
 * (waiting {@link #FIRST_RETRY}, doubling up to {@link #LAST_RETRY}), so that no event is missed or printed
 * twice; before the first event it resumes from the revision the server reported on connecting.
 */
final class FeedTail {
    static final Duration FIRST_RETRY = Duration.ofMillis(500);
    static final Duration LAST_RETRY = Duration.ofSeconds(30);

    private final HttpClient client;
    private final ServerOption.Target target;
    private final String pathAndQuery;
    private final ObjectMapper mapper;
    private final Consumer<JsonNode> print;
    private final long maxEvents;
    private String resumeFrom;
    private long printed;

    /**
     * @param since     replay the events after this revision first; null for new events only
     * @param maxEvents stop after printing this many
     */
    FeedTail(HttpClient client, ServerOption.Target target, String pathAndQuery, ObjectMapper mapper, Long since, long maxEvents,
             Consumer<JsonNode> print) {
        this.client = client;
        this.target = target;
        this.pathAndQuery = pathAndQuery;
        this.mapper = mapper;
        this.resumeFrom = since == null ? null : since.toString();
        this.maxEvents = maxEvents;
        this.print = print;
    }

    /** Runs until {@code maxEvents} are printed. A first connection that fails is an error; later drops are retried. */
    void run() throws IOException, InterruptedException {
        boolean connected = false;
        Duration retry = FIRST_RETRY;
        while (true) {
            try {
                HttpResponse<Stream<String>> response = client.send(request(), HttpResponse.BodyHandlers.ofLines());
                if (response.statusCode() != 200) rejected(response);
                connected = true;
                retry = FIRST_RETRY;
                if (resumeFrom == null) resumeFrom = response.headers().firstValue("X-Switchboard-Revision").orElse(null);
                if (follow(response.body())) return;
            } catch (IOException dropped) {
                if (!connected) throw new IllegalStateException("cannot reach the Switchboard server at " + target.base()
                        + " (is it running? use --server URL)");
            }
            Thread.sleep(retry.toMillis());
            retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
        }
    }

    /** Prints events until the stream ends (false) or {@code maxEvents} are printed (true). */
    private boolean follow(Stream<String> lines) throws IOException {
        SseParser parser = new SseParser(); // per stream: an event cut off by a drop must not prefix the next stream's first
        try (lines) {
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                Optional<SseEvent> event = parser.line(it.next());
                if (event.isEmpty()) continue;
                resumeFrom = event.get().id();
                print.accept(mapper.readTree(event.get().data()));
                if (++printed >= maxEvents) return true;
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return false;
    }

    private HttpRequest request() {
        HttpRequest.Builder request = target.request(pathAndQuery).header("Accept", "text/event-stream").GET();
        if (resumeFrom != null) request.header("Last-Event-ID", resumeFrom);
        return request.build();
    }

    /** A 4xx will not get better by retrying; a 5xx (shutting down, store unavailable) may. */
    private void rejected(HttpResponse<Stream<String>> response) throws IOException {
        String body;
        try (Stream<String> lines = response.body()) {
            body = lines.collect(Collectors.joining("\n"));
        }
        if (response.statusCode() >= 500) throw new IOException("HTTP " + response.statusCode());
        String message = body;
        try {
            message = mapper.readTree(body).path("error").path("message").asText(body);
        } catch (IOException notJson) {
            // show the body as it came
        }
        throw new IllegalStateException(message + " (HTTP " + response.statusCode() + " from GET " + target.base().resolve(pathAndQuery).getPath() + ")");
    }
}
