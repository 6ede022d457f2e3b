package dev.switchboard.catalog;

import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.config.CatalogConfig;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

    @Test
    void theScheduleRefreshesOnStartThenEveryIntervalAndStopsOnClose() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.onJson("/v1/models", openAiList("m"));
            var config = TestConfigs.embedded(dir, List.of(TestConfigs.openai("p", upstream.uri("/v1"))));
            config = config.withCatalog(config.catalog().withRefreshOnStart(true).withRefreshInterval(Duration.ofMillis(150)));
            Switchboard switchboard = Switchboard.open(config).serve();
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requestCount("/v1/models") >= 4);
            switchboard.close();
            int after = upstream.requestCount("/v1/models");
            Thread.sleep(500);
            assertThat(upstream.requestCount("/v1/models")).isEqualTo(after);
        }
    }

    @Test
    void withRefreshOnStartOffAndNoScheduleNothingIsFetchedUntilAsked() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.onJson("/v1/models", openAiList("m"));
            try (Switchboard switchboard = Switchboard.open(TestConfigs.embedded(dir,
                    List.of(TestConfigs.openai("p", upstream.uri("/v1"))))).serve()) {
                Thread.sleep(500);
                assertThat(upstream.requestCount("/v1/models")).isZero();
                assertThat(switchboard.catalog().current().snapshot("p").orElseThrow().status()).isEqualTo(ProviderStatus.NEVER);
            }
        }
    }

    @Test
    void aFailingProviderIsPolledLessOftenThanAHealthyOne() throws Exception {
        try (FakeUpstream healthy = FakeUpstream.start(); FakeUpstream failing = FakeUpstream.start()) {
            healthy.onJson("/v1/models", openAiList("m"));
            failing.on("/v1/models", request -> Reply.json(500, "{}"));
            var config = TestConfigs.embedded(dir, List.of(TestConfigs.openai("ok", healthy.uri("/v1")),
                    TestConfigs.openai("bad", failing.uri("/v1"))));
            config = config.withCatalog(config.catalog().withRefreshOnStart(true).withRefreshInterval(Duration.ofMillis(100)));
            try (Switchboard switchboard = Switchboard.open(config).serve()) {
                await().atMost(Duration.ofSeconds(15)).until(() -> healthy.requestCount("/v1/models") >= 16);
                // 100, 200, 400, 800 ms … : in the time of ~16 healthy polls the failing one gets about 5
                assertThat(failing.requestCount("/v1/models")).isBetween(2, 8);
            }
        }
    }
}
