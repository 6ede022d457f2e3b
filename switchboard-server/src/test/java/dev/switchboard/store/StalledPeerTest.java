package dev.switchboard.store;

import dev.switchboard.events.RevisionCounter;
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
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10 item 2: an instance stalled inside a write holds the revision lock; the other instances' writes answer
 * 503 {@code store_busy} within {@code [store] write_timeout} instead of waiting for it, and the store ends the
 * stalled transaction so that writes resume without it.
 */
class StalledPeerTest {
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);
    static final Duration SLACK = Duration.ofMillis(1_500);
    @TempDir
    Path dir;
    PostgresSchema schema;
    FakeUpstream upstream;
    Switchboard switchboard;
    TestHttp http;

    @BeforeEach
    void start() throws Exception {
        schema = new PostgresSchema();
        upstream = FakeUpstream.start();
        upstream.onJson("/v1/models", openAiList("m1"));
        SwitchboardConfig config = TestConfigs.embedded(dir, List.of(TestConfigs.openai("p", upstream.uri("/v1"))))
                .withStore(schema.store(WRITE_TIMEOUT));
        switchboard = new Switchboard(config, Clock.systemUTC(), PostgresSchema.MASTER_KEY).serve();
        http = new TestHttp(switchboard.port());
        assertThat(http.post("/api/v1/providers:refresh").status()).isEqualTo(200);
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
        switchboard.close();
        upstream.close();
        schema.close();
    }

    private TestHttp.Response createPlanner() {
        return http.json("PUT", "/api/v1/model-configs/planner", "{\"provider\":\"p\",\"model\":\"m1\"}");
    }

    /** Takes the revision row lock as a writer does (see {@link RevisionCounter}) and keeps it. */
    private static void lockRevision(Connection connection, String schema) throws Exception {
        connection.setAutoCommit(false);
        try (var statement = connection.createStatement()) {
            statement.executeQuery("SELECT revision FROM " + schema + ".sb_state WHERE id = 1 FOR UPDATE").close();
        }
    }

    @Test
    void aWriteThatCannotHaveTheRevisionLockInTimeAnswers503StoreBusyAndChangesNothing() throws Exception {
        long revision = switchboard.bus().revision();
        try (Connection peer = PostgresSchema.admin()) {
            lockRevision(peer, schema.name);
            long start = System.nanoTime();
            TestHttp.Response answer = http.jsonAsync("PUT", "/api/v1/model-configs/planner", "{\"provider\":\"p\",\"model\":\"m1\"}")
                    .get(WRITE_TIMEOUT.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
            Duration after = Duration.ofNanos(System.nanoTime() - start);

            assertThat(answer.status()).as(answer.text()).isEqualTo(503);
            assertThat(answer.json().path("error").path("type").asText()).isEqualTo("store_busy");
            assertThat(answer.json().path("error").path("message").asText()).contains("lock", "retry");
            assertThat(answer.header("Retry-After")).isEqualTo("1");
            assertThat(after).isLessThan(WRITE_TIMEOUT.plus(SLACK));
            peer.rollback();
        }
        assertThat(switchboard.bus().revision()).isEqualTo(revision);
        assertThat(schema.count("SELECT COUNT(*) FROM {s}.model_config")).isZero();

        // the lock is free again: writes work
        assertThat(createPlanner().status()).isEqualTo(201);
        assertThat(switchboard.bus().revision()).isEqualTo(revision + 1);
    }

    @Test
    void aPoolWithNoFreeConnectionIsBusyNotDownAndWritesResumeAsSoonAsOneIsFree() throws Exception {
        List<Connection> taken = new java.util.ArrayList<>();
        try {
            while (taken.size() < 10) taken.add(switchboard.store().dedicatedConnection());
        } catch (java.sql.SQLException exhausted) {
            // every connection of the pool is taken
        }
        try {
            TestHttp.Response answer = createPlanner();
            assertThat(answer.status()).as(answer.text()).isEqualTo(503);
            assertThat(answer.json().path("error").path("type").asText()).isEqualTo("store_busy");
            assertThat(answer.json().path("error").path("message").asText()).contains("every store connection is in use");
            assertThat(switchboard.store().isKnownDown()).isFalse();
        } finally {
            for (Connection connection : taken) connection.close();
        }
        assertThat(createPlanner().status()).isEqualTo(201);
    }

    @Test
    void aStoreSessionLeftIdleInsideATransactionIsEndedSoTheOthersWritesResume() throws Exception {
        // a session of the store's pool, stalled in the middle of a write: it holds the revision lock and says nothing
        Connection stalled = switchboard.store().dedicatedConnection();
        try {
            lockRevision(stalled, schema.name);
            await().atMost(Duration.ofSeconds(15)).until(() -> createPlanner().status() == 201);
        } finally {
            try {
                stalled.close();
            } catch (java.sql.SQLException ended) {
                // the store ended it
            }
        }
    }
}
