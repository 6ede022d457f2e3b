package dev.switchboard.events;

import dev.switchboard.FeedFixture;
import dev.switchboard.SseClient;
import dev.switchboard.config.EventsConfig;
import dev.switchboard.store.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The log keeps the longer of retention and min_events, never what a subscriber still reads; older resumes resync. */
class RetentionTest {
    private static final EventsConfig ONE_DAY_OR_THREE_EVENTS = new EventsConfig(Duration.ofDays(1), 3);

    @TempDir
    Path dir;

    @Test
    void sinceBeyondTheRetainedLogYieldsOneResyncRequiredWithTheCurrentRevision() {
        try (FeedFixture feed = FeedFixture.start(dir, FeedSettings.defaults(), c -> c.withEvents(ONE_DAY_OR_THREE_EVENTS), "a")) {
            for (int i = 0; i < 10; i++) feed.change("a");
            feed.stop();
            // Two days later every event is past retention: the pruner at start keeps only the newest three.
            feed.open(FeedSettings.defaults(), Clock.offset(Clock.systemUTC(), Duration.ofDays(2)));
            await().until(() -> oldestRetained(feed) == 8);

            try (SseClient expired = feed.subscribe("?since=2")) {
                SseClient.Event resync = expired.next();
                assertThat(resync.type()).isEqualTo("resync_required");
                assertThat(resync.revision()).isEqualTo(10);
                assertThat(resync.json().path("type").asText()).isEqualTo("resync_required");
                assertThat(resync.json().path("data").path("revision").asLong()).isEqualTo(10);
                assertThat(resync.json().path("data").path("reason").asText())
                        .isEqualTo("events after revision 2 are no longer retained; reload and resume from revision 10");
                expired.awaitEnd();
                assertThat(expired.pending()).isEmpty();
            }
            try (SseClient justInTime = feed.subscribe("?since=7")) {
                assertThat(justInTime.next(3)).extracting(SseClient.Event::revision).containsExactly(8L, 9L, 10L);
            }
        }
    }

    @Test
    void sinceAheadOfTheLogYieldsResyncRequired() {
        try (FeedFixture feed = FeedFixture.start(dir, FeedSettings.defaults(), "a")) {
            long current = feed.change("a");
            try (SseClient ahead = feed.subscribe("?since=" + (current + 100))) {
                SseClient.Event resync = ahead.next();
                assertThat(resync.type()).isEqualTo("resync_required");
                assertThat(resync.revision()).isEqualTo(current);
                assertThat(resync.json().path("data").path("reason").asText()).startsWith("revision " + (current + 100)
                        + " is ahead of the log, whose newest is " + current);
                ahead.awaitEnd();
            }
        }
    }

    @Test
    void pruningKeepsEveryEventThatAConnectedSubscriberHasYetToRead() {
        try (FeedFixture feed = FeedFixture.start(dir, FeedSettings.defaults(), c -> c.withEvents(ONE_DAY_OR_THREE_EVENTS), "a")) {
            for (int i = 0; i < 10; i++) feed.change("a");
            EventFeed eventFeed = feed.switchboard().feed();
            EventPruner twoDaysLater = new EventPruner(feed.switchboard().store(), new EventRepository(JsonMapper.create()),
                    ONE_DAY_OR_THREE_EVENTS, Clock.offset(Clock.systemUTC(), Duration.ofDays(2)), eventFeed);

            try (EventStream reader = eventFeed.open(4, EventFilter.ALL)) {
                assertThat(twoDaysLater.pruneNow()).isEqualTo(4);
                assertThat(oldestRetained(feed)).isEqualTo(5);

                List<FeedEvent> read = ((Delivery.Events) reader.next().join()).events();
                assertThat(read).extracting(FeedEvent::revision).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
            }
            assertThat(twoDaysLater.pruneNow()).isEqualTo(3);
            assertThat(oldestRetained(feed)).isEqualTo(8);
        }
    }

    private static long oldestRetained(FeedFixture feed) {
        return feed.switchboard().store().withHandle(h -> h.createQuery("SELECT MIN(revision) FROM event_log").mapTo(Long.class).one());
    }
}
