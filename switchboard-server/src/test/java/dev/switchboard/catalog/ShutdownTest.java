package dev.switchboard.catalog;

import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Hadrian's P1: a hung upstream never holds up shutdown (goal < 2 s; asserted with margin). */
class ShutdownTest {
    @TempDir
    Path dir;

    @Test
    void shutdownWithAHungUpstreamCompletesQuickly() throws Exception {
        try (FakeUpstream hung = FakeUpstream.start()) {
            hung.on("/v1/models", request -> Reply.hang());
            var config = TestConfigs.embedded(dir, List.of(TestConfigs.openai("hung", hung.uri("/v1"))));
            // a long timeout, so only cancellation can end the fetch
            config = config.withCatalog(config.catalog().withFetchTimeout(Duration.ofMinutes(5))
                    .withRefreshOnStart(true).withRefreshInterval(Duration.ofHours(1)));
            Switchboard switchboard = Switchboard.open(config).serve();
            await().atMost(Duration.ofSeconds(5)).until(() -> hung.requestCount("/v1/models") == 1);
            assertThat(switchboard.coordinator().isFetching("hung")).isTrue();

            long start = System.nanoTime();
            switchboard.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).isLessThan(Duration.ofSeconds(5));
        }
    }
}
