package dev.switchboard.events;

import dev.switchboard.FeedFixture;
import dev.switchboard.SseClient;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/** A subscriber that stops reading loses its stream; the others never wait for it. */
class SlowSubscriberTest {
    /** Far more than the socket and write buffers between the server and a client that does not read. */
    private static final int MAX_CHANGES = 300;

    @TempDir
    Path dir;

    @Test
    void aSubscriberThatNeverReadsIsDroppedWhileTheOthersGetEveryEvent() throws Exception {
        try (FeedFixture feed = FeedFixture.start(dir, FeedSettings.defaults().withSubscriberBuffer(4), "big");
             Socket stalled = new Socket()) {
            AtomicInteger generation = new AtomicInteger();
            // Every change swaps 400 long model ids for 400 others: events of about 40 KB.
            feed.upstream().on("/big/v1/models", request -> Reply.json(bigList(generation.get())));
            long start = feed.revision();
            try (SseClient reader = feed.subscribe("")) {
                stalled.setReceiveBufferSize(4096);
                stalled.connect(new InetSocketAddress("127.0.0.1", feed.port()));
                stalled.getOutputStream().write(("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                awaitSubscribers(feed, 2);

                int changes = 0;
                while (changes < MAX_CHANGES && droppedSubscribers(feed) == 0) {
                    generation.incrementAndGet();
                    assertThat(feed.http().post("/api/v1/providers/big:refresh?force=true").status()).isEqualTo(200);
                    changes++;
                }

                assertThat(droppedSubscribers(feed)).as("dropped after " + changes + " changes").isEqualTo(1);
                assertThat(reader.next(changes)).extracting(SseClient.Event::revision)
                        .containsExactlyElementsOf(LongStream.rangeClosed(start + 1, start + changes).boxed().toList());
                awaitSubscribers(feed, 1);
                // the server closed the stalled connection: reading what is buffered ends
                stalled.setSoTimeout((int) SseClient.PATIENCE.toMillis());
                assertThat(drain(stalled.getInputStream())).isPositive();
            }
        }
    }

    private static String bigList(int generation) {
        return openAiList(IntStream.range(0, 400)
                .mapToObj(i -> "a-rather-long-model-identifier-generation-" + generation + "-number-" + i).toArray(String[]::new));
    }

    private static long drain(InputStream in) throws IOException {
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) total += n;
        return total;
    }

    private static double droppedSubscribers(FeedFixture feed) {
        return metric(feed, "switchboard_events_resyncs_total{cause=\"overflow\"}");
    }

    private static void awaitSubscribers(FeedFixture feed, int count) {
        org.awaitility.Awaitility.await().until(() -> metric(feed, "switchboard_events_subscribers") == count);
    }

    private static double metric(FeedFixture feed, String name) {
        List<String> lines = feed.http().get("/metrics").text().lines().filter(line -> line.startsWith(name + " ")).toList();
        return lines.isEmpty() ? 0 : Double.parseDouble(lines.getFirst().substring(name.length() + 1));
    }
}
