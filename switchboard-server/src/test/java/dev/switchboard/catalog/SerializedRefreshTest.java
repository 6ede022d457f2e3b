package dev.switchboard.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ManualScheduler;
import dev.switchboard.Switchboard;
import dev.switchboard.TestClock;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Kimi's finding: refreshes never interleave their writes; each real change is exactly one revision. */
class SerializedRefreshTest {
    static final Duration INTERVAL = Duration.ofMillis(50);
    @TempDir
    Path dir;
    /** The schedule runs on a test clock and a hand-driven timer: a scheduled refresh starts exactly when the test says. */
    final TestClock clock = new TestClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final ManualScheduler timer = new ManualScheduler(clock);
    int plannedBefore;

    /** Runs the schedule's tick: both providers are due (one interval after their last refresh), so it starts a refresh. */
    private void scheduledRefresh() {
        plannedBefore = timer.timesScheduled();
        assertThat(timer.runDue()).isEqualTo(1);
    }

    /** Waits until that scheduled refresh finished: the tick planned its wake-up, the finished refresh the next one. */
    private void awaitPlanned() {
        await().atMost(Duration.ofSeconds(10)).until(() -> timer.timesScheduled() == plannedBefore + 2);
    }

    @Test
    void concurrentManualRefreshesDuringScheduledOnesMakeOneRevisionPerChange() throws Exception {
        AtomicInteger generation = new AtomicInteger(1);
        try (FakeUpstream a = FakeUpstream.start(); FakeUpstream b = FakeUpstream.start()) {
            // each generation adds one model to each provider; answers are slow enough for refreshes to overlap
            a.on("/v1/models", request -> Reply.json(models("a", generation.get())).after(Duration.ofMillis(30)));
            b.on("/v1/models", request -> Reply.json(models("b", generation.get())).after(Duration.ofMillis(10)));
            var config = TestConfigs.embedded(dir, List.of(TestConfigs.openai("a", a.uri("/v1")), TestConfigs.openai("b", b.uri("/v1"))));
            config = config.withCatalog(config.catalog().withRefreshInterval(INTERVAL).withJitter(0).withRefreshOnStart(true));
            try (Switchboard switchboard = new Switchboard(config, clock, Map.of()).serve(Switchboard.Threads.OWN.withScheduleTimer(timer));
                 TestHttp http = new TestHttp(switchboard.port())) {
                scheduledRefresh(); // on start
                awaitPlanned();
                List<Long> revisions = new ArrayList<>();
                for (int round = 1; round <= 5; round++) {
                    generation.set(round);
                    // a scheduled refresh is under way (its answers are slow) while ten manual ones arrive
                    clock.advance(INTERVAL);
                    scheduledRefresh();
                    List<CompletableFuture<TestHttp.Response>> refreshes = IntStream.range(0, 10)
                            .mapToObj(i -> CompletableFuture.supplyAsync(() -> http.post("/api/v1/providers:refresh"))).toList();
                    for (var refresh : refreshes) assertThat(refresh.join().status()).isEqualTo(200);
                    awaitPlanned();
                    // after the manual burst both providers serve this generation
                    JsonNode providers = http.get("/api/v1/providers").json();
                    for (JsonNode p : providers.path("data")) assertThat(p.path("model_count").asInt()).isEqualTo(round + 1);
                    revisions.add(switchboard.bus().revision());
                }
                // one catalog event per generation (both providers change in one refresh, or one each in two)
                for (int i = 1; i < revisions.size(); i++) {
                    assertThat(revisions.get(i) - revisions.get(i - 1)).isBetween(1L, 2L);
                }
                long settled = switchboard.bus().revision();
                JsonNode noChange = http.post("/api/v1/providers:refresh").json();
                assertThat(noChange.path("changed")).isEmpty();
                assertThat(noChange.path("revision").asLong()).isEqualTo(settled);

                assertEventLogIsGapFree(switchboard);
            }
        }
    }

    @Test
    void aRefreshThatChangesNothingKeepsTheRevisionAndAppendsNoEvent() throws Exception {
        try (FakeUpstream a = FakeUpstream.start()) {
            a.onJson("/v1/models", openAiList("x", "y"));
            try (Switchboard switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of(TestConfigs.openai("a", a.uri("/v1"))))).serve();
                 TestHttp http = new TestHttp(switchboard.port())) {
                long afterFirst = http.post("/api/v1/providers:refresh").json().path("revision").asLong();
                JsonNode second = http.post("/api/v1/providers:refresh").json();
                assertThat(second.path("revision").asLong()).isEqualTo(afterFirst);
                assertThat(second.path("unchanged").get(0).asText()).isEqualTo("a");
                assertThat(http.get("/v1/models").revision()).isEqualTo(afterFirst);
            }
        }
    }

    private static String models(String prefix, int generation) {
        return openAiList(IntStream.rangeClosed(0, generation).mapToObj(i -> prefix + "-" + i).toArray(String[]::new));
    }

    private static void assertEventLogIsGapFree(Switchboard switchboard) {
        long revision = switchboard.bus().revision();
        List<Long> logged = switchboard.store().withHandle(h ->
                h.createQuery("SELECT revision FROM event_log ORDER BY revision").mapTo(Long.class).list());
        assertThat(logged).hasSize((int) revision);
        for (int i = 0; i < logged.size(); i++) assertThat(logged.get(i)).isEqualTo(i + 1L);
    }
}
