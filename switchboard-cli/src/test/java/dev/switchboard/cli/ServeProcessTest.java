package dev.switchboard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.StoreConfig;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import dev.switchboard.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code switchboard serve} as its own process: SIGTERM while upstreams hang stops it within the documented
 * second, tells the refresh in flight {@code 503 shutting_down}, and leaves no event of its own in the store.
 */
class ServeProcessTest {
    /** README: a stop takes under a second, even with an upstream that hangs. The process reports it. */
    private static final Duration DOCUMENTED_BOUND = Duration.ofSeconds(1);
    /** Seen from outside, the JVM's own exit comes on top, and a loaded 2-core machine schedules it late. */
    private static final Duration EXIT_SEEN_FROM_OUTSIDE = Duration.ofSeconds(3);
    private static final Pattern STOPPED = Pattern.compile("switchboard: stopped in (\\d+) ms");

    @TempDir
    Path dir;

    @Test
    void sigtermWhileFetchesHangStopsWithinTheBoundAnswers503AndWritesNothing() throws Exception {
        try (FakeUpstream hung = FakeUpstream.start(); FakeUpstream flaky = FakeUpstream.start();
             HttpClient client = HttpClient.newHttpClient()) {
            hung.on("/v1/models", request -> Reply.hang());
            AtomicInteger calls = new AtomicInteger();
            // answers the refresh on start, then hangs
            flaky.on("/v1/models", request -> calls.incrementAndGet() == 1 ? Reply.json(openAiList("m1")) : Reply.hang());
            Path config = dir.resolve("switchboard.toml");
            Files.writeString(config, """
                    [server]
                    port = 0
                    [store]
                    url = "jdbc:h2:file:%s"
                    [model_catalog]
                    fetch_timeout = "5m"
                    refresh_deadline = "10m"
                    [[providers]]
                    id = "hung"
                    kind = "openai"
                    base_url = "%s"
                    [[providers]]
                    id = "flaky"
                    kind = "openai"
                    base_url = "%s"
                    """.formatted(dir.resolve("db").toAbsolutePath(), hung.uri("/v1"), flaky.uri("/v1")));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new java.util.ArrayList<>(List.of(java));
            if (Runtime.version().feature() >= 24) command.add("--sun-misc-unsafe-memory-access=allow");
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--config", config.toString()));
            Path log = dir.resolve("serve.log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("Switchboard ready on"));
                Matcher ready = Pattern.compile("Switchboard ready on (http://\\S+) ").matcher(Files.readString(log));
                assertThat(ready.find()).isTrue();
                URI base = URI.create(ready.group(1));
                // the refresh on start: "hung" hangs, "flaky" answered (its answer waits for hung's to be applied)
                await().atMost(Duration.ofSeconds(10)).until(() -> hung.requestCount("/v1/models") == 1
                        && flaky.requestCount("/v1/models") == 1);
                long revisionBefore = Long.parseLong(get(client, base, "/readyz").headers()
                        .firstValue("X-Switchboard-Revision").orElseThrow());
                var refresh = client.sendAsync(HttpRequest.newBuilder(base.resolve("/api/v1/providers/flaky:refresh"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                await().atMost(Duration.ofSeconds(10)).until(() -> flaky.requestCount("/v1/models") == 2);

                long start = System.nanoTime();
                process.destroy(); // SIGTERM
                assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
                Duration seen = Duration.ofNanos(System.nanoTime() - start);

                Matcher stopped = STOPPED.matcher(Files.readString(log));
                assertThat(stopped.find()).as("the stop is reported:\n" + Files.readString(log)).isTrue();
                assertThat(Duration.ofMillis(Long.parseLong(stopped.group(1)))).isLessThan(DOCUMENTED_BOUND);
                assertThat(seen).isLessThan(EXIT_SEEN_FROM_OUTSIDE);

                // the aborted fetches are no failures, and flaky's answer was not applied with them: nothing written
                assertThat(revision()).isEqualTo(revisionBefore);
                assertThat(eventTypes()).doesNotContain("provider.status_changed");
                HttpResponse<String> answer = refresh.get(5, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).isEqualTo(503);
                assertThat(new ObjectMapper().readTree(answer.body()).path("error").path("type").asText()).isEqualTo("shutting_down");
            } finally {
                process.destroyForcibly();
            }
        }
    }

    private static HttpResponse<String> get(HttpClient client, URI base, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> eventTypes() {
        try (Store store = openStore()) {
            return store.withHandle(h -> h.createQuery("SELECT type FROM event_log ORDER BY revision").mapTo(String.class).list());
        }
    }

    private long revision() {
        try (Store store = openStore()) {
            return store.withHandle(h -> h.createQuery("SELECT revision FROM sb_state WHERE id = 1").mapTo(Long.class).one());
        }
    }

    /** Read after the process exited: H2's file is locked while it runs. */
    private Store openStore() {
        return Store.open(StoreConfig.of("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath()));
    }
}
