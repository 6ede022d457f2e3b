package dev.switchboard.gateway;

import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A finished request leaves nothing behind. The idle timeout of an answer once held every request — its
 * buffers, headers, contexts — until {@code idle_timeout} (default 5 minutes) after it ended: at a few thousand
 * requests a second the heap filled within minutes and the collector took most of the CPU.
 */
class FinishedRequestsAreReleasedTest {
    static final int REQUESTS = 1_200;
    /** Far below what {@link #REQUESTS} leaked requests hold (about 17 KB each), far above what the fake records. */
    static final long MAX_GROWTH_BYTES = 10L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void theHeapDoesNotGrowWithFinishedRequests() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.onJson("/v1/models", openAiList("m"));
            upstream.onJson("/v1/chat/completions", Upstreams.chatCompletion("c", "m", "hi"));
            try (Switchboard switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of(
                    TestConfigs.openai("openai", upstream.uri("/v1"))))).serve(); TestHttp http = new TestHttp(switchboard.port())) {
                String chat = "{\"model\":\"openai/m\",\"messages\":[]}";
                for (int i = 0; i < 100; i++) assertThat(http.json("POST", "/v1/chat/completions", chat).status()).isEqualTo(200);
                long before = usedAfterCollection();

                for (int i = 0; i < REQUESTS; i++) assertThat(http.json("POST", "/v1/chat/completions", chat).status()).isEqualTo(200);

                assertThat(usedAfterCollection() - before).isLessThan(MAX_GROWTH_BYTES);
            }
        }
    }

    private static long usedAfterCollection() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
