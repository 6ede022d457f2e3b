package dev.switchboard.catalog;

import dev.switchboard.ManualScheduler;
import dev.switchboard.Switchboard;
import dev.switchboard.TestClock;
import dev.switchboard.TestConfigs;
import dev.switchboard.config.CatalogConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** DESIGN §3 schedule: interval with jitter, exponential backoff for failing providers, capped. */
class RefreshSchedulerTest {
    @TempDir
    Path dir;

    /** A random source that always answers the same fraction, so jitter is exact. */
    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    private static RefreshScheduler scheduler(CatalogConfig config, RandomGenerator random) {
        return new RefreshScheduler(null, null, null, config, Clock.systemUTC(), random, null);
    }

    private static Snapshot failing(int failures) {
        return new Snapshot("p", ProviderStatus.ERROR, List.of(), List.of(), Optional.of(Instant.EPOCH), Optional.empty(),
                Optional.of("boom"), failures);
    }

    private static final CatalogConfig SIX_HOURS = CatalogConfig.defaults().withRefreshInterval(Duration.ofHours(6));
    private static final CatalogConfig ONE_MINUTE = CatalogConfig.defaults().withRefreshInterval(Duration.ofMinutes(1));

    @Test
    void aHealthyProviderIsDueOneIntervalLaterWithinTheJitter() {
        Snapshot ok = Snapshot.never("p").succeeded(List.of(), Instant.EPOCH);
        assertThat(scheduler(SIX_HOURS, fixed(0.5)).delayAfter(ok)).isEqualTo(Duration.ofHours(6));
        assertThat(scheduler(SIX_HOURS, fixed(0.0)).delayAfter(ok)).isEqualTo(Duration.ofMinutes(324)); // -10%
        assertThat(scheduler(SIX_HOURS, fixed(0.999999)).delayAfter(ok)).isCloseTo(Duration.ofMinutes(396), Duration.ofSeconds(1)); // +10%
    }

    @Test
    void aFailingProviderBacksOffExponentiallyUpToMaxBackoff() {
        RefreshScheduler scheduler = scheduler(ONE_MINUTE, fixed(0.5));
        assertThat(scheduler.delayAfter(failing(1))).isEqualTo(Duration.ofMinutes(1));
        assertThat(scheduler.delayAfter(failing(2))).isEqualTo(Duration.ofMinutes(2));
        assertThat(scheduler.delayAfter(failing(3))).isEqualTo(Duration.ofMinutes(4));
        assertThat(scheduler.delayAfter(failing(7))).isEqualTo(Duration.ofHours(1)); // 64m capped at max_backoff
        assertThat(scheduler.delayAfter(failing(1000))).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aLongIntervalRetriesAFailingProviderAfterMaxBackoffRatherThanTheWholeInterval() {
        assertThat(scheduler(SIX_HOURS, fixed(0.5)).delayAfter(failing(1))).isEqualTo(Duration.ofHours(1));
    }

    /**
     * Switchboard on a test clock with the schedule's timer driven by hand: the schedule's times are exact steps,
     * and the only wait is for a refresh under way (a real HTTP fetch) to finish.
     */
    private final TestClock clock = new TestClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final ManualScheduler timer = new ManualScheduler(clock);

    private Switchboard serve(SwitchboardConfig config) {
        return new Switchboard(config, clock, Map.of()).serve(Switchboard.Threads.OWN.withScheduleTimer(timer));
    }

    private static SwitchboardConfig scheduled(SwitchboardConfig config, Duration interval) {
        // no jitter: every provider is due exactly one interval (or its backoff) after its last refresh
        return config.withCatalog(config.catalog().withRefreshOnStart(true).withRefreshInterval(interval).withJitter(0));
    }

    /** Runs the timer's due tick, which starts a refresh, and waits until the schedule planned the next one after it. */
    private void refreshAndPlan() {
        int before = timer.timesScheduled();
        assertThat(timer.runDue()).isEqualTo(1);
        // the tick plans its next wake-up (one), the refresh, once finished, plans the next one (two)
        await().atMost(Duration.ofSeconds(10)).until(() -> timer.timesScheduled() == before + 2);
    }

    @Test
    void theScheduleRefreshesOnStartThenEveryIntervalAndStopsOnClose() throws Exception {
        Duration interval = Duration.ofMillis(500);
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.onJson("/v1/models", openAiList("m"));
            Switchboard switchboard = serve(scheduled(TestConfigs.embedded(dir,
                    List.of(TestConfigs.openai("p", upstream.uri("/v1")))), interval));
            Instant start = clock.instant();
            refreshAndPlan();
            assertThat(upstream.requestCount("/v1/models")).isEqualTo(1);
            for (int refreshes = 2; refreshes <= 4; refreshes++) {
                assertThat(timer.nextRun()).contains(start.plus(interval.multipliedBy(refreshes - 1)));
                clock.advance(interval.minusMillis(1));
                assertThat(timer.runDue()).isZero();
                clock.advance(Duration.ofMillis(1));
                refreshAndPlan();
                assertThat(upstream.requestCount("/v1/models")).isEqualTo(refreshes);
            }
            switchboard.close();
            assertThat(timer.isShutdown()).isTrue();
            clock.advance(Duration.ofHours(1));
            assertThat(timer.runDue()).isZero();
            assertThat(upstream.requestCount("/v1/models")).isEqualTo(4);
        }
    }

    @Test
    void withRefreshOnStartOffAndNoScheduleNothingIsFetchedUntilAsked() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.onJson("/v1/models", openAiList("m"));
            try (Switchboard switchboard = serve(TestConfigs.embedded(dir, List.of(TestConfigs.openai("p", upstream.uri("/v1")))))) {
                assertThat(timer.nextRun()).isEmpty();
                clock.advance(Duration.ofDays(1));
                assertThat(timer.runDue()).isZero();
                assertThat(upstream.requestCount("/v1/models")).isZero();
                assertThat(switchboard.catalog().current().snapshot("p").orElseThrow().status()).isEqualTo(ProviderStatus.NEVER);
            }
        }
    }

    @Test
    void aFailingProviderIsPolledLessOftenThanAHealthyOne() throws Exception {
        Duration interval = Duration.ofMillis(100);
        try (FakeUpstream healthy = FakeUpstream.start(); FakeUpstream failing = FakeUpstream.start()) {
            healthy.onJson("/v1/models", openAiList("m"));
            failing.on("/v1/models", request -> Reply.json(500, "{}"));
            var config = scheduled(TestConfigs.embedded(dir, List.of(TestConfigs.openai("ok", healthy.uri("/v1")),
                    TestConfigs.openai("bad", failing.uri("/v1")))), interval);
            try (Switchboard switchboard = serve(config)) {
                refreshAndPlan();
                for (int step = 1; step <= 15; step++) {
                    clock.advance(interval);
                    refreshAndPlan(); // the healthy one is due at every step
                }
                // healthy: every 100 ms from 0 to 1500; failing: after 100, 200, 400, 800 ms, so at 0, 100, 300, 700, 1500
                assertThat(healthy.requestCount("/v1/models")).isEqualTo(16);
                assertThat(failing.requestCount("/v1/models")).isEqualTo(5);
            }
        }
    }
}
