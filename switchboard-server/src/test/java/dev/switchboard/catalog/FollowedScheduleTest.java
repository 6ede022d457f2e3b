package dev.switchboard.catalog;

import dev.switchboard.metadata.MetadataPrecedence;
import dev.switchboard.metadata.ModelFacts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ManualScheduler;
import dev.switchboard.TestClock;
import dev.switchboard.TestConfigs;
import dev.switchboard.config.CatalogConfig;
import dev.switchboard.config.StoreConfig;
import dev.switchboard.events.ChangeBus;
import dev.switchboard.events.Commits;
import dev.switchboard.events.EventFeed;
import dev.switchboard.events.FeedSettings;
import dev.switchboard.events.EventLog;
import dev.switchboard.provider.Model;
import dev.switchboard.provider.ModelSource;
import dev.switchboard.provider.ProviderRegistry;
import dev.switchboard.events.EventRepository;
import dev.switchboard.store.JsonMapper;
import dev.switchboard.events.RevisionCounter;
import dev.switchboard.store.Store;
import dev.switchboard.store.WriteQueue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10, cluster 5: an instance that does not run the schedule follows the leader's refreshes, so that when it
 * takes the schedule over it continues it instead of polling every provider at once. Time is a {@link TestClock}
 * and the scheduler's timer a {@link ManualScheduler}: every step is exact.
 */
class FollowedScheduleTest {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final Duration INTERVAL = Duration.ofHours(1);
    @TempDir
    Path dir;
    final TestClock clock = new TestClock(T0);
    final ManualScheduler timer = new ManualScheduler(clock);
    final AtomicBoolean leading = new AtomicBoolean(false);
    /** Each upstream answer waits for a permit, so a fetch is under way (observable) until the test lets it end. */
    final Semaphore answers = new Semaphore(0);
    Store store;
    WriteQueue writer;
    CatalogState state;
    RefreshCoordinator coordinator;
    ProviderRegistry providers;
    EventFeed feed;

    @BeforeEach
    void wire() {
        store = Store.open(StoreConfig.of("jdbc:h2:file:" + dir.resolve("switchboard").toAbsolutePath()));
        ObjectMapper mapper = JsonMapper.create();
        providers = new ProviderRegistry(List.of(TestConfigs.openai("p", URI.create("http://127.0.0.1:9/v1")),
                TestConfigs.openai("q", URI.create("http://127.0.0.1:9/v1"))));
        SnapshotRepository snapshots = new SnapshotRepository(mapper);
        MetadataResolution resolution = new MetadataResolution(providers, (provider, model) -> ModelFacts.EMPTY,
                () -> MetadataResolution.CatalogFacts.NONE, MetadataPrecedence.DEFAULT);
        EventLog eventLog = new EventLog(new EventRepository(mapper), new RevisionCounter(), mapper, clock);
        state = new CatalogState(CatalogApplier.load(store, snapshots, eventLog, providers, resolution));
        ChangeBus bus = new ChangeBus(0);
        feed = new EventFeed(store, eventLog, mapper, clock, FeedSettings.defaults(), 0, new SimpleMeterRegistry());
        CatalogApplier applier = new CatalogApplier(state, new Commits(store, eventLog, bus, feed), store, snapshots, 0.5, clock, resolution);
        writer = new WriteQueue(store, Duration.ofSeconds(5), bus::revision);
        ModelSource source = (provider, deadline) -> {
            answers.acquire();
            return List.of(new Model("m", 0, "", mapper.createObjectNode()));
        };
        coordinator = new RefreshCoordinator(providers, source, applier, writer, config(false), clock, new SimpleMeterRegistry());
    }

    @AfterEach
    void close() {
        answers.release(100);
        coordinator.close();
        writer.close();
        feed.close();
        store.close();
    }

    private static CatalogConfig config(boolean refreshOnStart) {
        return CatalogConfig.defaults().withRefreshInterval(INTERVAL).withRefreshOnStart(refreshOnStart);
    }

    /** Jitter always lands in the middle: delays are exactly the interval (or the backoff). */
    private static RandomGenerator noJitter() {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return 0.5;
            }
        };
    }

    private RefreshScheduler scheduler(boolean refreshOnStart) {
        return new RefreshScheduler(coordinator, providers, state, config(refreshOnStart), clock, noJitter(), timer,
                () -> leading.get() ? Optional.of(RefreshFence.NONE) : Optional.empty());
    }

    /** What another instance's refresh leaves in this one's memory (its events, or its status notification). */
    private void refreshedElsewhere(Snapshot... snapshots) {
        Map<String, Snapshot> next = new LinkedHashMap<>(state.current().snapshots());
        for (Snapshot snapshot : snapshots) next.put(snapshot.providerId(), snapshot);
        state.replace(new Catalog(state.current().revision(), next));
    }

    private Snapshot ok(String id, Instant at) {
        return Snapshot.never(id).succeeded(List.of(), at);
    }

    private void at(Instant when) {
        clock.advance(Duration.between(clock.instant(), when));
        timer.runDue();
    }

    private void answerAndAwait(String id, Instant fetchedAt) {
        answers.release();
        await().atMost(Duration.ofSeconds(10)).until(() -> !coordinator.isFetching(id)
                && state.current().snapshot(id).orElseThrow().fetchedAt().equals(Optional.of(fetchedAt)));
    }

    @Test
    void aFollowerTakingOverContinuesTheLeadersScheduleInsteadOfPollingEverything() {
        refreshedElsewhere(ok("p", T0), ok("q", T0));
        try (RefreshScheduler scheduler = scheduler(false)) {
            scheduler.start();
            timer.runDue();

            // the leader refreshes p at T0+1h and q at T0+1h20 (it fails: the backoff of one failure is one interval)
            at(T0.plus(Duration.ofMinutes(60)));
            refreshedElsewhere(ok("p", T0.plus(Duration.ofMinutes(60))));
            at(T0.plus(Duration.ofMinutes(80)));
            refreshedElsewhere(ok("q", T0).failed("boom", T0.plus(Duration.ofMinutes(80))));
            at(T0.plus(Duration.ofMinutes(81)));
            assertThat(coordinator.isFetching("p") || coordinator.isFetching("q")).as("a follower never polls").isFalse();

            // the leader goes away; this instance takes over at T0+1h30: nothing is due yet
            leading.set(true);
            at(T0.plus(Duration.ofMinutes(90)));
            assertThat(coordinator.isFetching("p")).as("p was refreshed 30 minutes ago").isFalse();
            assertThat(coordinator.isFetching("q")).as("q was refreshed 10 minutes ago").isFalse();

            // each is due one interval after the leader's refresh of it
            at(T0.plus(Duration.ofMinutes(120)));
            assertThat(coordinator.isFetching("p")).isTrue();
            assertThat(coordinator.isFetching("q")).isFalse();
            answerAndAwait("p", T0.plus(Duration.ofMinutes(120)));

            at(T0.plus(Duration.ofMinutes(140)));
            assertThat(coordinator.isFetching("q")).isTrue();
            assertThat(coordinator.isFetching("p")).isFalse();
            answerAndAwait("q", T0.plus(Duration.ofMinutes(140)));
        }
    }

    @Test
    void refreshOnStartIsTheLeadersAFollowerThatLaterLeadsDoesNotPollEverythingForIt() {
        refreshedElsewhere(ok("p", T0.minus(Duration.ofMinutes(10))), ok("q", T0.minus(Duration.ofMinutes(40))));
        try (RefreshScheduler scheduler = scheduler(true)) {
            scheduler.start();
            timer.runDue();
            assertThat(coordinator.isFetching("p") || coordinator.isFetching("q")).isFalse();

            leading.set(true);
            at(T0.plus(Duration.ofMinutes(5)));
            assertThat(coordinator.isFetching("p") || coordinator.isFetching("q")).as("nothing is due yet").isFalse();

            at(T0.plus(Duration.ofMinutes(20)));
            assertThat(coordinator.isFetching("q")).as("q is due an interval after its last refresh").isTrue();
            assertThat(coordinator.isFetching("p")).isFalse();
            answerAndAwait("q", T0.plus(Duration.ofMinutes(20)));
        }
    }

    @Test
    void aLeaderAtStartRefreshesOnStart() {
        refreshedElsewhere(ok("p", T0.minus(Duration.ofMinutes(10))), ok("q", T0.minus(Duration.ofMinutes(40))));
        leading.set(true);
        try (RefreshScheduler scheduler = scheduler(true)) {
            scheduler.start();
            timer.runDue();
            assertThat(coordinator.isFetching("p")).isTrue();
            assertThat(coordinator.isFetching("q")).isTrue();
            answers.release(2);
        }
    }
}
