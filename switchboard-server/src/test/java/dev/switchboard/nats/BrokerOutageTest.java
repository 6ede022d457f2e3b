package dev.switchboard.nats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.NatsConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13 part 2: the broker going away never holds up a write, and the stream ends up with every revision once,
 * in order, when it comes back. Each test runs a nats-server of its own (the machine's is shared) that it kills
 * (SIGKILL) and starts again on the same port and store.
 */
class BrokerOutageTest {
    static final Duration SOON = Duration.ofSeconds(30);
    static final String CONFIG = "{\"provider\":\"local\",\"model\":\"large\",\"params\":{\"temperature\":0.%d}}";

    @TempDir
    Path dir;
    NatsServerProcess broker;
    NatsConfig nats;
    Switchboard switchboard;
    TestHttp http;

    private void startSwitchboard() {
        nats = NatsConfig.of(broker.url(), "outage");
        switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of(ProviderConfig.of("local", ProviderKind.STATIC, null)
                .withStaticModels(List.of("small", "large")))).withNats(nats)).serve();
        http = new TestHttp(switchboard.port());
    }

    @AfterEach
    void stop() {
        if (http != null) http.close();
        if (switchboard != null) switchboard.close();
        if (broker != null) broker.close();
    }

    private long write(int i) {
        TestHttp.Response written = http.json("PUT", "/api/v1/model-configs/agent-" + (i % 4) + "?validate=false", CONFIG.formatted(i));
        assertThat(written.status()).as(written.text()).isIn(200, 201);
        return written.revision();
    }

    private JsonNode status() {
        return http.get("/api/v1/nats").json();
    }

    private static List<Long> oneToN(long n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    private void awaitStreamHoldsExactly(long newest) {
        await().atMost(SOON).ignoreExceptions().untilAsserted(() -> assertThat(StreamContents.revisions(broker.url(), nats.stream()))
                .containsExactlyElementsOf(oneToN(newest)));
    }

    @Test
    void aBrokerKilledAndRestartedMidStreamLeavesNoGapAndNoDuplicate() throws Exception {
        broker = NatsServerProcess.start(dir.resolve("broker"));
        startSwitchboard();
        await().atMost(SOON).ignoreExceptions().until(() -> status().path("connected").asBoolean());
        int total = 60;
        AtomicInteger done = new AtomicInteger();
        CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> {
            long newest = 0;
            for (int i = 0; i < total; i++) {
                newest = write(i);
                done.incrementAndGet();
            }
            return newest;
        });

        await().atMost(SOON).ignoreExceptions().until(() -> StreamContents.revisions(broker.url(), nats.stream()).size() >= 10);
        broker.kill();
        int atKill = done.get();
        await().atMost(SOON).ignoreExceptions().until(() -> done.get() >= Math.min(total, atKill + 10)); // writes go on without the broker
        broker.start();
        long newest = writer.get();

        awaitStreamHoldsExactly(newest);
        await().atMost(SOON).ignoreExceptions().untilAsserted(() -> assertThat(status().path("lag").asLong()).isZero());
    }

    @Test
    void writesAnswerWhileTheBrokerIsDownAndArePublishedInOrderWhenItReturns() {
        broker = NatsServerProcess.start(dir.resolve("broker"));
        startSwitchboard();
        await().atMost(SOON).ignoreExceptions().until(() -> status().path("connected").asBoolean());
        write(0);
        long before = write(1);
        awaitStreamHoldsExactly(before);

        broker.kill();
        long newest = 0;
        for (int i = 2; i < 12; i++) newest = write(i); // all answered with the broker still down

        assertThat(newest).isEqualTo(before + 10);
        await().atMost(SOON).ignoreExceptions().untilAsserted(() -> {
            JsonNode status = status();
            assertThat(status.path("connected").asBoolean()).isFalse();
            assertThat(status.path("published_revision").asLong()).isEqualTo(before);
            assertThat(status.path("lag").asLong()).isEqualTo(10);
        });
        assertThat(http.get("/metrics").text()).contains("switchboard_nats_lag_events 10.0")
                .contains("switchboard_nats_connected 0.0");

        broker.start();

        awaitStreamHoldsExactly(newest);
        await().atMost(SOON).ignoreExceptions().untilAsserted(() -> {
            JsonNode status = status();
            assertThat(status.path("connected").asBoolean()).isTrue();
            assertThat(status.path("lag").asLong()).isZero();
            assertThat(status.has("last_error")).isFalse();
        });
    }

    @Test
    void aHungBrokerHoldsUpNeitherWritesNorShutdown() {
        broker = NatsServerProcess.start(dir.resolve("broker"));
        startSwitchboard();
        await().atMost(SOON).ignoreExceptions().until(() -> status().path("connected").asBoolean());
        write(0);
        awaitStreamHoldsExactly(1);

        broker.freeze(true); // connected, silent: every publish waits for an acknowledgement that never comes
        try {
            for (int i = 1; i < 6; i++) write(i);
            await().atMost(SOON).untilAsserted(() -> assertThat(status().path("last_error").asText()).isNotBlank());

            long start = System.nanoTime();
            switchboard.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("README: shutdown stops within a second")
                    .isLessThan(Duration.ofSeconds(1));
        } finally {
            broker.freeze(false);
        }
        switchboard = null;
        http.close();
        http = null;
    }

    @Test
    void aSwitchboardStartedBeforeItsBrokerPublishesEverythingOnceTheBrokerComesUp() {
        broker = NatsServerProcess.prepare(dir.resolve("broker"));
        startSwitchboard();
        long newest = 0;
        for (int i = 0; i < 3; i++) newest = write(i);

        JsonNode down = status();
        assertThat(down.path("connected").asBoolean()).isFalse();
        assertThat(down.has("published_revision")).as("nothing is known of the stream yet").isFalse();
        await().atMost(SOON).ignoreExceptions().untilAsserted(() -> assertThat(status().path("last_error").asText()).isNotBlank());

        broker.start();

        awaitStreamHoldsExactly(newest);
    }
}
