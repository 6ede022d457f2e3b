package dev.switchboard.events;

import dev.switchboard.FeedFixture;
import dev.switchboard.SseClient;
import dev.switchboard.store.EventRepository;
import dev.switchboard.store.JsonMapper;
import dev.switchboard.store.RevisionCounter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writers other than the catalog (model configurations, providers) publish through the same feed. Their
 * commits are in revision order, their calls to publish may cross: subscribers still get revision order.
 */
class OutOfOrderPublishTest {
    @TempDir
    Path dir;
    EventLog eventLog;

    @BeforeEach
    void eventLog() {
        eventLog = new EventLog(new EventRepository(JsonMapper.create()), new RevisionCounter(), JsonMapper.create(), Clock.systemUTC());
    }

    @Test
    void anEventPublishedBeforeItsPredecessorWaitsForIt() {
        try (FeedFixture feed = FeedFixture.start(dir, FeedSettings.defaults().withGapTimeout(Duration.ofMinutes(1)), "a");
             SseClient subscriber = feed.subscribe("")) {
            ChangeEvent first = commit(feed, "ok");
            ChangeEvent second = commit(feed, "error");

            feed.switchboard().feed().publish(List.of(second));
            assertThat(feed.revision()).isEqualTo(first.revision() - 1);
            feed.switchboard().feed().publish(List.of(first));

            assertThat(subscriber.next(2)).extracting(SseClient.Event::revision).containsExactly(first.revision(), second.revision());
        }
    }

    @Test
    void aPredecessorThatIsNeverPublishedIsReadFromTheStoreAfterTheGapTimeout() {
        try (FeedFixture feed = FeedFixture.start(dir, FeedSettings.defaults().withGapTimeout(Duration.ofMillis(100)), "a");
             SseClient subscriber = feed.subscribe("")) {
            ChangeEvent lost = commit(feed, "ok"); // its writer died before publishing it
            ChangeEvent second = commit(feed, "error");

            feed.switchboard().feed().publish(List.of(second));

            List<SseClient.Event> events = subscriber.next(2);
            assertThat(events).extracting(SseClient.Event::revision).containsExactly(lost.revision(), second.revision());
            assertThat(events.getFirst().json().path("data").path("to").asText()).isEqualTo("ok");
        }
    }

    @Test
    void publishingAnEventTwiceDeliversItOnce() {
        try (FeedFixture feed = FeedFixture.start(dir, FeedSettings.defaults(), "a");
             SseClient subscriber = feed.subscribe("")) {
            ChangeEvent once = commit(feed, "ok");
            feed.switchboard().feed().publish(List.of(once));
            feed.switchboard().feed().publish(List.of(once));
            long next = feed.change("a");

            assertThat(subscriber.next(2)).extracting(SseClient.Event::revision).containsExactly(once.revision(), next);
        }
    }

    /** What another writer does: its change and its event in one transaction (here, only the event). */
    private ChangeEvent commit(FeedFixture feed, String to) {
        return feed.switchboard().store().inTransaction(handle ->
                eventLog.append(handle, new ProviderStatusChanged("a", "never", to, "test writer")));
    }
}
