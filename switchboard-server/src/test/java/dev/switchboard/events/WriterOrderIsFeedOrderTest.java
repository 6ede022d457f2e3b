package dev.switchboard.events;

import dev.switchboard.FeedFixture;
import dev.switchboard.SseClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every write commits and publishes on the one writer, so the feed's order is the writer's: writes made at the same
 * moment by several clients, of several kinds (model configurations, catalog refreshes), reach a subscriber in
 * revision order with no gap, and each once. (This replaces the reorder buffer's tests: events published out of
 * order can no longer happen, since nothing but the writer publishes.)
 */
class WriterOrderIsFeedOrderTest {
    @TempDir
    Path dir;

    @Test
    void concurrentWritesOfEveryKindReachASubscriberInRevisionOrder() {
        try (FeedFixture feed = FeedFixture.start(dir, FeedSettings.defaults(), "a");
             SseClient subscriber = feed.subscribe("")) {
            long before = feed.revision();
            List<CompletableFuture<?>> writes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String alias = "alias-" + i;
                writes.add(CompletableFuture.runAsync(() -> assertThat(feed.http().json("POST", "/api/v1/model-configs",
                        "{\"alias\":\"" + alias + "\",\"provider\":\"a\",\"model\":\"a-m1\"}").status()).isEqualTo(201)));
                if (i % 2 == 0) writes.add(CompletableFuture.runAsync(() -> feed.change("a")));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
            long after = feed.switchboard().bus().revision();

            List<Long> seen = subscriber.next((int) (after - before)).stream().map(SseClient.Event::revision).toList();

            assertThat(after - before).isGreaterThanOrEqualTo(9);
            assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(before + 1, after).boxed().toList());
            assertThat(feed.switchboard().feed().head()).isEqualTo(after);
        }
    }

    @Test
    void publishingAnEventTwiceDeliversItOnce() {
        try (FeedFixture feed = FeedFixture.start(dir, FeedSettings.defaults(), "a");
             SseClient subscriber = feed.subscribe("")) {
            long once = feed.change("a");
            ChangeEvent again = feed.switchboard().store().withHandle(handle ->
                    new EventLog(new dev.switchboard.events.EventRepository(feed.switchboard().mapper()),
                            new dev.switchboard.events.RevisionCounter(), feed.switchboard().mapper(), java.time.Clock.systemUTC())
                            .after(handle, once - 1, 1)).getFirst();
            feed.switchboard().feed().publish(List.of(again));
            long next = feed.change("a");

            assertThat(subscriber.next(2)).extracting(SseClient.Event::revision).containsExactly(once, next);
        }
    }
}
