package dev.switchboard.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.StoreConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10, cluster 3 and 4, on the real PostgreSQL: the schedule's leadership is a lease that a stalled leader
 * loses (and whose late results are refused), and a refresh that changes nothing shows the same status everywhere.
 */
class ClusterScheduleTest {
    static final Duration SOON = Duration.ofSeconds(10);
    static final Duration LEASE = Duration.ofSeconds(1);
    @TempDir
    Path dir;
    PostgresCluster cluster;
    FakeUpstream upstream;

    @BeforeEach
    void createSchema() throws Exception {
        cluster = new PostgresCluster();
        upstream = FakeUpstream.start();
    }

    @AfterEach
    void dropSchema() throws Exception {
        cluster.close();
        upstream.close();
    }

    private SwitchboardConfig config() {
        SwitchboardConfig config = TestConfigs.embedded(dir, List.of(TestConfigs.openai("p", upstream.uri("/v1"))))
                .withStore(cluster.schema.store(StoreConfig.DEFAULT_WRITE_TIMEOUT));
        return config.withCatalog(config.catalog().withLeaderLease(LEASE));
    }

    private Switchboard instance(SwitchboardConfig config) {
        return cluster.instance(config);
    }

    private TestHttp http(Switchboard switchboard) {
        return cluster.http(switchboard);
    }

    private static List<String> modelIds(Switchboard switchboard) {
        return switchboard.catalog().current().snapshot("p").orElseThrow().models().stream().map(m -> m.id()).toList();
    }

    private String eventLog(Switchboard switchboard) {
        return switchboard.store().withHandle(h -> String.join("\n",
                h.createQuery("SELECT type || ' ' || data FROM event_log ORDER BY revision").mapTo(String.class).list()));
    }

    @Test
    void aStalledLeaderLosesTheScheduleWithinALeaseAndItsLateResultIsRefused() throws Exception {
        // the first poll (the stalled leader's) hangs until released, then answers a list no one may apply
        CountDownLatch resume = new CountDownLatch(1);
        AtomicInteger polls = new AtomicInteger();
        upstream.on("/v1/models", request -> polls.incrementAndGet() == 1
                ? (exchange, pause) -> {
                    resume.await();
                    Reply.json(openAiList("m1", "from-the-stalled-leader")).send(exchange, pause);
                }
                : Reply.json(openAiList("m1")));
        SwitchboardConfig scheduled = config();
        // the held fetch must outlast the stall rather than time out
        scheduled = scheduled.withCatalog(scheduled.catalog().withRefreshInterval(Duration.ofHours(1)).withRefreshOnStart(true)
                .withFetchTimeout(Duration.ofSeconds(30)));

        Switchboard a = instance(scheduled);
        assertThat(a.isScheduleLeader()).as("the first instance leads from the start").isTrue();
        await().atMost(SOON).until(() -> polls.get() == 1); // its start refresh is under way
        Switchboard b = instance(scheduled);
        TestHttp httpA = http(a);
        assertThat(b.isScheduleLeader()).isFalse();

        AutoCloseable frozen = a.scheduleLease().orElseThrow().stall(); // alive, holding its lease, doing nothing
        long stalled = System.nanoTime();
        await().atMost(SOON).until(b::isScheduleLeader);
        Duration takeover = Duration.ofNanos(System.nanoTime() - stalled);
        // the lease runs out at most one lease after the last renewal, and the others look every third of a
        // lease: about 1.3 leases, with some room for a loaded machine
        assertThat(takeover).isLessThan(LEASE.multipliedBy(5).dividedBy(2));
        assertThat(a.isScheduleLeader()).as("a leader that cannot renew its lease stops counting on it").isFalse();
        // the new leader runs the schedule: p was never refreshed, so it is due at once
        await().atMost(SOON).until(() -> modelIds(b).equals(List.of("m1")));
        await().atMost(SOON).until(() -> modelIds(a).equals(List.of("m1")));
        long revision = b.bus().revision();

        // the old leader resumes: its fetch answers and it tries to apply the result, too late
        resume.countDown();
        await().atMost(SOON).until(() -> httpA.get("/metrics").text().lines()
                .anyMatch(line -> line.startsWith("switchboard_refresh_duration_seconds_count") && line.contains("trigger=\"start\"")));
        frozen.close();
        assertThat(eventLog(a)).doesNotContain("from-the-stalled-leader");
        assertThat(httpA.get("/metrics").text()).contains("switchboard_schedule_fenced_total 1.0");
        assertThat(modelIds(a)).containsExactly("m1");
        assertThat(a.bus().revision()).isEqualTo(revision);
        assertThat(b.bus().revision()).isEqualTo(revision);
        // it stays a follower: the lease is the new leader's
        await().during(LEASE).atMost(SOON).until(() -> !a.isScheduleLeader() && b.isScheduleLeader());
        // a manual refresh is not the schedule's: it works on the old leader too
        assertThat(httpA.post("/api/v1/providers/p:refresh").json().path("unchanged").get(0).asText()).isEqualTo("p");
    }

    @Test
    void aLeaderThatStopsHandsTheScheduleOverAtOnce() {
        upstream.on("/v1/models", request -> Reply.json(openAiList("m1")));
        Switchboard a = instance(config());
        Switchboard b = instance(config());
        assertThat(a.isScheduleLeader()).isTrue();
        a.close();
        // closing releases the lease: no need to wait for it to run out
        await().atMost(LEASE).until(b::isScheduleLeader);
    }

    @Test
    void aRefreshThatChangesNothingShowsTheSameStatusOnEveryInstance() {
        AtomicBoolean failing = new AtomicBoolean(false);
        upstream.on("/v1/models", request -> failing.get() ? Reply.json(500, "{}") : Reply.json(openAiList("m1")));
        Switchboard a = instance(config());
        Switchboard b = instance(config());
        TestHttp httpA = http(a);
        TestHttp httpB = http(b);
        httpA.post("/api/v1/providers:refresh");
        await().atMost(SOON).until(() -> httpB.get("/api/v1/providers/p").json().path("model_count").asInt() == 1);
        long revision = a.bus().revision();

        // changes nothing: no event, the revision stays, yet every instance shows when it happened
        JsonNode unchanged = httpA.post("/api/v1/providers:refresh").json();
        assertThat(unchanged.path("unchanged").get(0).asText()).isEqualTo("p");
        assertThat(unchanged.path("revision").asLong()).isEqualTo(revision);
        JsonNode onA = httpA.get("/api/v1/providers/p").json();
        await().atMost(SOON).untilAsserted(() -> {
            JsonNode onB = httpB.get("/api/v1/providers/p").json();
            assertThat(onB.path("last_refreshed_at")).isEqualTo(onA.path("last_refreshed_at"));
            assertThat(onB.path("last_success_at")).isEqualTo(onA.path("last_success_at"));
        });

        // two failures: the first changes the status (an event), the second only counts (no event)
        failing.set(true);
        httpA.post("/api/v1/providers:refresh");
        httpA.post("/api/v1/providers:refresh");
        JsonNode failedOnA = httpA.get("/api/v1/providers/p").json();
        assertThat(failedOnA.path("consecutive_failures").asInt()).isEqualTo(2);
        await().atMost(SOON).untilAsserted(() -> {
            JsonNode onB = httpB.get("/api/v1/providers/p").json();
            assertThat(onB.path("consecutive_failures").asInt()).isEqualTo(2);
            assertThat(onB.path("last_refreshed_at")).isEqualTo(failedOnA.path("last_refreshed_at"));
            assertThat(onB.path("last_error")).isEqualTo(failedOnA.path("last_error"));
            assertThat(onB.path("age_seconds").asLong()).isCloseTo(failedOnA.path("age_seconds").asLong(), org.assertj.core.api.Assertions.within(1L));
        });
        assertThat(a.bus().revision()).isEqualTo(revision + 1);
        assertThat(b.bus().revision()).isEqualTo(revision + 1);
    }
}
