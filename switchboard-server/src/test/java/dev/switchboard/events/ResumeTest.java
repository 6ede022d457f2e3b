package dev.switchboard.events;

import dev.switchboard.FeedFixture;
import dev.switchboard.SseClient;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A subscriber that was away resumes with Last-Event-ID: every missed event once, in order, then live ones. */
class ResumeTest {
    @TempDir
    Path dir;

    /** 10 000 recent events serve the replay from memory; 10 make it read the store. */
    @ParameterizedTest(name = "{0} recent events in memory")
    @ValueSource(ints = {10_000, 10})
    void aSubscriberThatMissed100ChangesGetsExactlyThoseInOrderThenLiveOnes(int recentEvents) {
        try (FeedFixture feed = FeedFixture.start(dir, FeedSettings.defaults().withRecentEvents(recentEvents), "a", "b")) {
            long lastSeen;
            try (SseClient away = feed.subscribe("")) {
                long revision = feed.change("a");
                lastSeen = away.next().revision();
                assertThat(lastSeen).isEqualTo(revision);
            }
            for (int i = 0; i < 100; i++) feed.change(i % 2 == 0 ? "b" : "a");

            try (SseClient back = feed.subscribe("", "Last-Event-ID", Long.toString(lastSeen))) {
                List<SseClient.Event> missed = back.next(100);
                assertThat(missed).extracting(SseClient.Event::revision)
                        .containsExactlyElementsOf(LongStream.rangeClosed(lastSeen + 1, lastSeen + 100).boxed().toList());
                assertThat(missed).extracting(SseClient.Event::type).containsOnly(CatalogChanged.TYPE);
                assertThat(missed.getLast().json().path("data").path("changed").get(0).path("added").get(0).asText())
                        .isEqualTo("a-m51");

                long live = feed.change("b");
                assertThat(back.next().revision()).isEqualTo(live).isEqualTo(lastSeen + 101);
            }
        }
    }
}
