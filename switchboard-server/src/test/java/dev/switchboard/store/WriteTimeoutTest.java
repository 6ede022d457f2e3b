package dev.switchboard.store;

import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10 item 1: during a database outage a write answers 503 within {@code [store] write_timeout} of its
 * arrival, however many are queued, and a write whose caller got that answer is never applied. While the store
 * is known down, writes answer at once and {@code /readyz} within a second.
 */
class WriteTimeoutTest {
    /** Slack over the bounds the server promises: the machine is shared and slow. */
    static final Duration SLACK = Duration.ofMillis(1_500);
    @TempDir
    Path dir;
    PostgresSchema schema;
    TcpRelay relay;
    FakeUpstream upstream;
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        schema = new PostgresSchema();
        relay = new TcpRelay(PostgresSchema.HOST, PostgresSchema.PORT);
        upstream = FakeUpstream.start();
        upstream.onJson("/v1/models", openAiList("m1"));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : open.reversed()) closeable.close();
        relay.close();
        upstream.close();
        schema.close();
    }

    private TestHttp serve(Duration writeTimeout) {
        SwitchboardConfig config = TestConfigs.embedded(dir, List.of(TestConfigs.openai("p", upstream.uri("/v1"))))
                .withStore(schema.store(relay.port(), writeTimeout));
        Switchboard switchboard = new Switchboard(config, Clock.systemUTC(), PostgresSchema.MASTER_KEY).serve();
        open.add(switchboard);
        TestHttp http = new TestHttp(switchboard.port());
        open.add(http);
        assertThat(http.post("/api/v1/providers:refresh").status()).isEqualTo(200);
        return http;
    }

    /**
     * The store goes away and stays away: long enough that the pool checks a connection before handing it out
     * (HikariCP skips the check for 500 ms after a use), as it does in any outage that lasts.
     */
    private void outage() throws InterruptedException {
        relay.cut();
        Thread.sleep(700);
    }

    private static String config(String model) {
        return "{\"provider\":\"p\",\"model\":\"" + model + "\"}";
    }

    /** An answer and how long after {@code start} it came. */
    private record Timed(TestHttp.Response response, Duration after) {
    }

    private static CompletableFuture<Timed> timed(CompletableFuture<TestHttp.Response> request) {
        long start = System.nanoTime();
        return request.thenApply(response -> new Timed(response, Duration.ofNanos(System.nanoTime() - start)));
    }

    private static void assertRefusedAsRetryable(TestHttp.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(503);
        assertThat(response.json().path("error").path("type").asText()).isIn("store_unavailable", "store_busy");
        assertThat(response.header("Retry-After")).as(response.text()).isNotNull();
    }

    @Test
    void queuedWritesDuringAnOutageAnswer503WithinTheWriteTimeoutAndAreNeverAppliedAfterRecovery() throws Exception {
        Duration writeTimeout = Duration.ofSeconds(1);
        TestHttp http = serve(writeTimeout);
        long events = schema.count("SELECT COUNT(*) FROM {s}.event_log");

        outage();
        List<CompletableFuture<Timed>> writes = new ArrayList<>();
        for (int i = 0; i < 4; i++) writes.add(timed(http.jsonAsync("PUT", "/api/v1/model-configs/lost-" + i, config("m1"))));
        for (CompletableFuture<Timed> write : writes) {
            Timed answer = write.get(20, TimeUnit.SECONDS);
            assertThat(answer.after()).as("answered after %s", answer.after()).isLessThan(writeTimeout.plus(SLACK));
            assertRefusedAsRetryable(answer.response());
        }
        relay.restore();

        // the store is back: the next write applies once the store answers again, and it is the only one
        await().atMost(Duration.ofSeconds(20)).until(() -> http.json("PUT", "/api/v1/model-configs/after", config("m1")).status() == 201);
        assertThat(schema.count("SELECT COUNT(*) FROM {s}.model_config WHERE alias LIKE 'lost-%'")).isZero();
        assertThat(schema.count("SELECT COUNT(*) FROM {s}.model_config_history WHERE alias LIKE 'lost-%'")).isZero();
        assertThat(schema.count("SELECT COUNT(*) FROM {s}.event_log")).isEqualTo(events + 1);
        for (int i = 0; i < 4; i++) assertThat(http.get("/api/v1/model-configs/lost-" + i).status()).isEqualTo(404);
    }

    @Test
    void whileTheStoreIsKnownDownWritesAnswer503AtOnce() throws Exception {
        Duration writeTimeout = Duration.ofSeconds(4);
        TestHttp http = serve(writeTimeout);

        outage();
        Timed first = timed(http.jsonAsync("PUT", "/api/v1/model-configs/first", config("m1"))).get(20, TimeUnit.SECONDS);
        assertThat(first.after()).isLessThan(writeTimeout.plus(SLACK));
        assertRefusedAsRetryable(first.response());

        // the store is known down now: no second wait for a connection
        for (String alias : List.of("second", "third")) {
            Timed next = timed(http.jsonAsync("PUT", "/api/v1/model-configs/" + alias, config("m1"))).get(20, TimeUnit.SECONDS);
            assertThat(next.after()).as("answered after %s", next.after()).isLessThan(Duration.ofSeconds(1));
            assertThat(next.response().json().path("error").path("type").asText()).as(next.response().text()).isEqualTo("store_unavailable");
            assertThat(next.response().json().path("error").path("message").asText()).contains("store unavailable");
            assertRefusedAsRetryable(next.response());
        }
        relay.restore();
        await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/readyz").status() == 200);
        assertThat(http.json("PUT", "/api/v1/model-configs/second", config("m1")).status()).isEqualTo(201);
    }

    @Test
    void readinessAnswers503WithinASecondDuringAnOutage() throws Exception {
        TestHttp http = serve(Duration.ofSeconds(5));
        assertThat(http.get("/readyz").status()).isEqualTo(200);

        outage();
        // before any write noticed the outage, and after
        for (int i = 0; i < 2; i++) {
            Timed ready = timed(http.getAsync("/readyz")).get(20, TimeUnit.SECONDS);
            assertThat(ready.response().status()).isEqualTo(503);
            assertThat(ready.response().json().path("store").asText()).isEqualTo("unavailable");
            assertThat(ready.after()).as("answered after %s", ready.after()).isLessThan(Duration.ofMillis(1_000).plus(Duration.ofMillis(500)));
        }
        relay.restore();
        await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/readyz").status() == 200);
    }
}
