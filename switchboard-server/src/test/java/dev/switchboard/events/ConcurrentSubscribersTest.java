package dev.switchboard.events;

import dev.switchboard.FeedFixture;
import dev.switchboard.SseClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every subscriber sees the one sequence of the log: same events, same order, no gaps, no duplicates. */
class ConcurrentSubscribersTest {
    private static final int SUBSCRIBERS = 50;
    private static final int WRITERS = 4;
    private static final int CHANGES_EACH = 50;

    @TempDir
    Path dir;

    @Test
    void fiftySubscribersSeeTheSameGapFreeSequenceWhile200ChangesHappenConcurrently() throws Exception {
        String[] providers = IntStream.range(0, WRITERS).mapToObj(i -> "p" + i).toArray(String[]::new);
        // Few recent events in memory, so that subscribers joining late catch up from the store, then join live.
        try (FeedFixture feed = FeedFixture.start(dir, FeedSettings.defaults().withRecentEvents(20), providers);
             ExecutorService writers = Executors.newFixedThreadPool(WRITERS)) {
            long start = feed.revision();
            List<SseClient> subscribers = new ArrayList<>();
            for (int i = 0; i < SUBSCRIBERS / 2; i++) subscribers.add(feed.subscribe("?since=" + start));

            List<CompletableFuture<Void>> changes = new ArrayList<>();
            for (String provider : providers) {
                changes.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < CHANGES_EACH; i++) feed.change(provider);
                }, writers));
            }
            for (int i = 0; i < SUBSCRIBERS / 2; i++) subscribers.add(feed.subscribe("?since=" + start));
            CompletableFuture.allOf(changes.toArray(CompletableFuture[]::new)).join();

            int total = WRITERS * CHANGES_EACH;
            assertThat(feed.revision()).isEqualTo(start + total);
            List<Long> expected = LongStream.rangeClosed(start + 1, start + total).boxed().toList();
            List<String> reference = null;
            for (SseClient subscriber : subscribers) {
                List<SseClient.Event> events = subscriber.next(total);
                assertThat(events).extracting(SseClient.Event::revision).containsExactlyElementsOf(expected);
                List<String> data = events.stream().map(SseClient.Event::data).toList();
                if (reference == null) reference = data;
                assertThat(data).isEqualTo(reference);
                assertThat(subscriber.pending()).isEmpty();
                subscriber.close();
            }
        }
    }
}
