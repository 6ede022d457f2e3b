package dev.switchboard.events;

import dev.switchboard.FeedFixture;
import dev.switchboard.SseClient;
import dev.switchboard.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9: one event that cannot be rendered must not stop the change feed. It goes out degraded — its
 * revision, type and identifying fields, {@code "unrenderable": true} — live and in every replay, later events
 * follow, and the server logs it once instead of retrying it forever.
 */
class UnrenderableEventTest {
    static final FeedSettings SETTINGS = FeedSettings.defaults();
    @TempDir
    Path dir;
    FeedFixture feed;
    final ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream originalErr;

    @BeforeEach
    void captureLog() {
        originalErr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        if (feed != null) feed.close();
        System.setErr(originalErr);
    }

    /** {@code {"a":{"a":…{}}}} with {@code levels} objects. */
    static String nested(int levels) {
        return "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
    }

    /** Appends an event row by hand, taking the next revision as a writer would: what a bug or an older version left. */
    private long poison(String data) {
        return feed.switchboard().store().inTransaction(handle -> {
            long revision = new RevisionCounter().next(handle);
            handle.createUpdate("INSERT INTO event_log (revision, type, occurred_at, data) VALUES (:revision, :type, :time, :data)")
                    .bind("revision", revision).bind("type", "model_config.updated")
                    .bind("time", Timestamp.from(Instant.now())).bind("data", data).execute();
            return revision;
        });
    }

    /** Lines that report the event at {@code revision}, in the log captured since {@code from} characters. */
    private long reports(long revision, int from) {
        return log.toString(StandardCharsets.UTF_8).substring(from).lines()
                .filter(line -> line.contains("revision " + revision + " ") && line.contains("cannot be rendered")).count();
    }

    private static void assertDegraded(SseClient.Event event, long revision) {
        assertThat(event.revision()).isEqualTo(revision);
        assertThat(event.type()).isEqualTo("model_config.updated");
        assertThat(event.json().path("revision").asLong()).isEqualTo(revision);
        assertThat(event.json().path("data").path("unrenderable").asBoolean()).as(event.data()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"not JSON", "too deep to read"})
    void anEventThatCannotBeRenderedGoesOutDegradedAndLaterEventsFollowLiveAndAfterARestart(String kind) {
        String data = kind.equals("not JSON") ? "{\"change\":\"updated\",\"alias\":\"x\",\"version\":2,\"config\":{\"params\":"
                : "{\"alias\":\"x\",\"version\":2,\"config\":{\"params\":" + nested(1500) + "},\"changed\":[]}";
        feed = FeedFixture.start(dir, SETTINGS, "a");
        long before = feed.revision();
        long poisoned;
        long after;
        try (SseClient live = feed.subscribe("")) {
            poisoned = poison(data);
            after = feed.change("a"); // published at once; the poisoned revision before it is read from the store
            assertDegraded(live.next(), poisoned);
            assertThat(live.next().revision()).isEqualTo(after);
            long more = feed.change("a");
            assertThat(live.next().revision()).isEqualTo(more);
        }
        try (SseClient resumed = feed.subscribe("?since=" + before)) { // from memory
            assertDegraded(resumed.next(), poisoned);
            assertThat(resumed.next().revision()).isEqualTo(after);
        }
        assertThat(reports(poisoned, 0)).as(log.toString(StandardCharsets.UTF_8)).isEqualTo(1);
        int logged = log.toString(StandardCharsets.UTF_8).length();

        feed.restartOnSamePort(SETTINGS);
        for (int i = 0; i < 2; i++) {
            try (SseClient resumed = feed.subscribe("?since=" + before)) { // from the store
                assertDegraded(resumed.next(), poisoned);
                assertThat(resumed.next().revision()).isEqualTo(after);
                assertThat(resumed.next().revision()).isEqualTo(after + 1);
            }
        }
        TestHttp.Response polled = feed.http().get("/api/v1/events?since=" + before, "Accept", "application/json");
        assertThat(polled.status()).as(polled.text()).isEqualTo(200);
        assertThat(polled.json().get(0).path("data").path("unrenderable").asBoolean()).isTrue();
        assertThat(reports(poisoned, logged)).as("after the restart: once, however many replays").isEqualTo(1);
    }

    /**
     * What an older version accepted before request bodies were limited: params 996–997 levels deep. Its
     * configuration, history and event still render — inside the answers and envelopes that wrap them.
     */
    @Test
    void anAliasStoredWithDeepParamsByAnOlderVersionStillAnswersAndItsEventStillFlows() {
        feed = FeedFixture.start(dir, SETTINGS, "a");
        long before = feed.revision();
        TestHttp.Response created = feed.http().json("PUT", "/api/v1/model-configs/x?validate=false",
                "{\"provider\":\"a\",\"model\":\"a-m0\",\"params\":{}}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        long revision = created.revision();
        String deep = "\"params\":" + nested(997);
        feed.switchboard().store().inTransaction(handle -> {
            handle.execute("UPDATE model_config SET body = REPLACE(body, '\"params\":{}', '" + deep + "') WHERE alias = 'x'");
            handle.execute("UPDATE model_config_history SET body = REPLACE(body, '\"params\":{}', '" + deep + "') WHERE alias = 'x'");
            handle.execute("UPDATE event_log SET data = REPLACE(data, '\"params\":{}', '" + deep + "') WHERE revision = " + revision);
            return null;
        });

        feed.restartOnSamePort(SETTINGS);
        for (String path : List.of("/api/v1/model-configs/x/history", "/api/v1/model-configs/x", "/api/v1/model-configs")) {
            TestHttp.Response answer = feed.http().get(path);
            assertThat(answer.status()).as(path + ": " + answer.text()).isEqualTo(200);
        }
        try (SseClient resumed = feed.subscribe("?since=" + before)) {
            SseClient.Event event = resumed.next();
            assertThat(event.revision()).isEqualTo(revision);
            assertThat(event.data()).contains(deep);
            long next = feed.change("a");
            assertThat(resumed.next().revision()).isEqualTo(next);
        }
    }
}
