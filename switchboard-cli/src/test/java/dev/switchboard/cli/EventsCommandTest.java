package dev.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.FeedTestSupport;
import dev.switchboard.events.FeedSettings;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code switchboard events} against a real server: one line per event, JSON for scripts, resume after a drop. */
class EventsCommandTest extends FeedTestSupport {
    private static final String LINE = "r%d  \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z  %s";

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @Test
    void eachEventIsOneHumanLine() {
        long first = feed.change("a");
        long second = feed.change("b");

        assertThat(run("--since", Long.toString(first - 1), "--max-events", "2")).isZero();

        assertThat(lines()).hasSize(2);
        assertThat(lines().get(0)).matches(LINE.formatted(first, "model_catalog\\.changed  a \\+2"));
        assertThat(lines().get(1)).matches(LINE.formatted(second, "model_catalog\\.changed  b \\+2"));
    }

    @Test
    void statusChangesShowFromToAndReason() {
        long since = feed.revision();
        feed.upstream().on("/a/v1/models", request -> dev.switchboard.testsupport.FakeUpstream.Reply.json(500, "{}"));
        long failed = feed.refresh("a");

        assertThat(run("--since", Long.toString(since), "--max-events", "1", "--types", "provider.*")).isZero();

        assertThat(lines()).singleElement().asString().matches(LINE.formatted(failed, "provider\\.status_changed  a never -> error: .*HTTP 500.*"));
    }

    @Test
    void jsonPrintsEachEnvelopeOnOneLine() throws Exception {
        long first = feed.change("a");

        assertThat(run("--since", "0", "--max-events", "1", "--json")).isZero();

        JsonNode envelope = new ObjectMapper().readTree(lines().getFirst());
        assertThat(envelope.path("revision").asLong()).isEqualTo(first);
        assertThat(envelope.path("type").asText()).isEqualTo("model_catalog.changed");
        assertThat(envelope.path("data").path("changed").get(0).path("added")).hasSize(2);
    }

    @Test
    void noFollowPrintsWhatIsLoggedAndExits() {
        feed.change("a");
        feed.change("b");
        long last = feed.change("a");

        assertThat(run("--no-follow", "--providers", "a")).isZero();

        assertThat(lines()).hasSize(2);
        assertThat(lines().getLast()).startsWith("r" + last + "  ");
    }

    @Test
    void withoutSinceOnlyNewEventsArePrinted() throws Exception {
        feed.change("a");
        CompletableFuture<Integer> tail = CompletableFuture.supplyAsync(() -> run("--max-events", "1"));
        awaitSubscriber();

        long next = feed.change("b");

        assertThat(tail.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(lines()).singleElement().asString().startsWith("r" + next + "  ");
    }

    @Test
    void afterADropTheTailResumesWhereItStoppedWithoutGapOrRepeat() throws Exception {
        long since = feed.revision();
        CompletableFuture<Integer> tail = CompletableFuture.supplyAsync(() -> run("--since", Long.toString(since), "--max-events", "3"));
        long first = feed.change("a");
        await().until(() -> lines().size() == 1);

        feed.restartOnSamePort(FeedSettings.defaults()); // the tail's stream drops
        long second = feed.change("b"); // while the tail may still be away
        long third = feed.change("a");

        assertThat(tail.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(lines()).extracting(line -> Long.parseLong(line.substring(1, line.indexOf(' '))))
                .containsExactly(first, second, third);
    }

    /** An event cut off by a dropped stream is lost with it: its lines must not prefix the next stream's first event. */
    @Test
    void aFrameCutOffByADropDoesNotLeakIntoTheNextStream() throws Exception {
        String envelope = "{\"revision\":5,\"type\":\"model_config.updated\",\"data\":{}}";
        AtomicInteger streams = new AtomicInteger();
        try (var server = FakeUpstream.start()) {
            server.on("/api/v1/events", request -> stream(streams.incrementAndGet() == 1
                    ? "id: 4\nevent: model_config.updated\ndata: {\"revision\":4,\n" // the drop comes before the blank line
                    : "id: 5\nevent: model_config.updated\ndata: " + envelope + "\n\n"));

            assertThat(run("--server", server.baseUri().toString(), "--since", "3", "--max-events", "1", "--json")).as(err.toString()).isZero();

            assertThat(lines()).containsExactly(envelope);
            assertThat(server.requests("/api/v1/events")).extracting(r -> r.header("Last-Event-ID").orElse(null)).containsExactly("3", "3");
        }
    }

    /** A feed response that sends {@code body} and ends, as a server that goes away does. */
    private static Reply stream(String body) {
        return (exchange, pause) -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(body.getBytes(StandardCharsets.UTF_8));
        };
    }

    @Test
    void anUnreachableServerIsAnErrorWithAHint() {
        int port = feed.port();
        feed.stop();

        assertThat(run("--server", "http://127.0.0.1:" + port)).isEqualTo(1);

        assertThat(err.toString()).contains("cannot reach the Switchboard server at http://127.0.0.1:" + port);
    }

    private int run(String... args) {
        var command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        List<String> all = new java.util.ArrayList<>(List.of("events"));
        if (!List.of(args).contains("--server")) all.addAll(List.of("--server", "http://127.0.0.1:" + feed.port()));
        all.addAll(List.of(args));
        return command.execute(all.toArray(String[]::new));
    }

    private List<String> lines() {
        return out.toString().lines().toList();
    }

    private void awaitSubscriber() {
        await().until(() -> feed.http().get("/metrics").text().contains("switchboard_events_subscribers 1.0"));
    }
}
