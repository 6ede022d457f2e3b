package dev.switchboard.events;

import dev.switchboard.FeedFixture;
import dev.switchboard.SseClient;
import dev.switchboard.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** An event exists exactly when its change committed: none without a commit, never lost after one. */
class CommitAndEventTest {
    @TempDir
    Path dir;

    @Test
    void aChangeThatFailsToCommitPublishesNothingAndKeepsTheRevision() {
        try (FeedFixture feed = FeedFixture.start(dir, FeedSettings.defaults(), "a")) {
            long before = feed.change("a");
            try (SseClient subscriber = feed.subscribe("")) {
                // The store refuses the next event: another row already holds its revision.
                feed.switchboard().store().inTransaction(h -> h.execute("INSERT INTO event_log (revision, type, occurred_at, data)"
                        + " VALUES (?, 'blocker', CURRENT_TIMESTAMP, '{}')", before + 1));
                feed.grow("a");

                TestHttp.Response refused = feed.http().post("/api/v1/providers/a:refresh");

                // a unique violation is a conflict with a concurrent write (409), like every integrity violation
                assertThat(refused.status()).isEqualTo(409);
                assertThat(refused.json().path("error").path("type").asText()).isEqualTo("conflict");
                assertThat(refused.revision()).isEqualTo(before);
                assertThat(feed.revision()).isEqualTo(before);
                assertThat(feed.http().get("/v1/models").json().findValuesAsText("id")).containsExactly("a/a-m0", "a/a-m1");

                // Once the store takes writes again, the same change commits and is the very next event.
                feed.switchboard().store().inTransaction(h -> h.execute("DELETE FROM event_log WHERE type = 'blocker'"));
                assertThat(feed.refresh("a")).isEqualTo(before + 1);
                SseClient.Event next = subscriber.next();
                assertThat(next.revision()).isEqualTo(before + 1);
                assertThat(added(next)).isEqualTo("[\"a-m2\"]");
            }
        }
    }

    @Test
    void aChangeCommittedJustBeforeTheProcessDiedReachesASubscriberResumingAfterRestart() {
        try (FeedFixture feed = FeedFixture.start(dir, FeedSettings.defaults(), "a")) {
            long delivered;
            try (SseClient subscriber = feed.subscribe("")) {
                delivered = feed.change("a");
                assertThat(subscriber.next().revision()).isEqualTo(delivered);

                feed.switchboard().feed().haltDelivery(); // from here on the process is "dead" after each commit
                assertThat(feed.change("a")).isEqualTo(delivered + 1);
                feed.stop();

                subscriber.awaitEnd();
                assertThat(subscriber.pending()).as("the change never reached the subscriber").isEmpty();
            }

            feed.open(FeedSettings.defaults(), Clock.systemUTC());
            try (SseClient resumed = feed.subscribe("", "Last-Event-ID", Long.toString(delivered))) {
                SseClient.Event event = resumed.next();
                assertThat(event.revision()).isEqualTo(delivered + 1);
                assertThat(added(event)).isEqualTo("[\"a-m2\"]");
            }
        }
    }

    @Test
    void aRefreshThatChangesNothingPublishesNothing() {
        try (FeedFixture feed = FeedFixture.start(dir, FeedSettings.defaults(), "a")) {
            long changed = feed.change("a");
            try (SseClient subscriber = feed.subscribe("")) {
                assertThat(feed.refresh("a")).isEqualTo(changed);
                assertThat(feed.refresh("a")).isEqualTo(changed);

                long next = feed.change("a");

                assertThat(subscriber.next().revision()).isEqualTo(next).isEqualTo(changed + 1);
            }
        }
    }

    /** The model ids a catalog change added to its first provider, as JSON. */
    private static String added(SseClient.Event event) {
        return event.json().path("data").path("changed").get(0).path("added").toString();
    }
}
