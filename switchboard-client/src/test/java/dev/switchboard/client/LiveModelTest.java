package dev.switchboard.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A live model against a real HTTP server that speaks Switchboard's API and feed ({@link FakeSwitchboard}). */
class LiveModelTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private FakeSwitchboard server;
    private Switchboard sb;

    @BeforeEach
    void start() {
        server = FakeSwitchboard.start();
        sb = Switchboard.builder(server.uri()).reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).build();
    }

    @AfterEach
    void stop() {
        sb.close();
        server.close();
    }

    @Test
    void aModelStartsUnconfiguredBecomesReadyWhenCreatedAndFollowsEveryChange() throws Exception {
        LiveModel planner = sb.model("planner");
        assertThat(planner.awaitReady(WAIT)).isEqualTo(LiveModel.State.UNCONFIGURED);
        List<ModelConfig> seen = new CopyOnWriteArrayList<>();
        planner.onChange(seen::add);

        server.put("planner", "small", Map.of("temperature", 0.2));
        await().atMost(WAIT).until(() -> planner.state() == LiveModel.State.READY);
        assertThat(planner.current().target()).isEqualTo("local/small");
        assertThat(planner.current().params()).containsEntry("temperature", 0.2);

        server.put("planner", "large");
        await().atMost(WAIT).until(() -> seen.size() == 2);
        assertThat(seen).extracting(ModelConfig::version).containsExactly(1L, 2L);
        assertThat(planner.current().model()).isEqualTo("large");
    }

    @Test
    void everyVersionOfABurstIsDeliveredOnceInOrderWithItsRealParams() throws Exception {
        server.put("planner", "small", Map.of("api_key", "sk-1"));
        LiveModel planner = sb.model("planner");
        assertThat(planner.awaitReady(WAIT)).isEqualTo(LiveModel.State.READY);
        CountDownLatch inVersion2 = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<ModelConfig> seen = new CopyOnWriteArrayList<>();
        planner.onChange(config -> {
            seen.add(config);
            if (config.version() == 2) {
                inVersion2.countDown();
                waitFor(release); // a slow listener: versions 3 and 4 are saved meanwhile
            }
        });

        server.put("planner", "large", Map.of("api_key", "sk-2"));
        assertThat(inVersion2.await(5, TimeUnit.SECONDS)).isTrue();
        server.put("planner", "small", Map.of("api_key", "sk-3"));
        server.put("planner", "large", Map.of("api_key", "sk-4"));
        release.countDown();

        await().atMost(WAIT).until(() -> seen.size() >= 4);
        assertThat(seen).extracting(ModelConfig::version).containsExactly(1L, 2L, 3L, 4L);
        // events carry api_key as "***": each version comes with the params it was saved with
        assertThat(seen).extracting(c -> c.params().get("api_key")).containsExactly("sk-1", "sk-2", "sk-3", "sk-4");
        assertThat(seen).extracting(ModelConfig::model).containsExactly("small", "large", "small", "large");
        assertThat(planner.current().version()).isEqualTo(4);
    }

    @Test
    void aListenerThatThrowsIsLoggedAndTheModelKeepsFollowing() throws Exception {
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(LiveModel.class.getName());
        Handler handler = collect(logged);
        logger.addHandler(handler);
        try {
            LiveModel planner = sb.model("planner");
            assertThat(planner.awaitReady(WAIT)).isEqualTo(LiveModel.State.UNCONFIGURED);
            List<Long> seen = new CopyOnWriteArrayList<>();
            planner.onChange(config -> {
                throw new IllegalStateException("listener bug on version " + config.version());
            });
            planner.onChange(config -> seen.add(config.version()));

            server.put("planner", "small");
            server.put("planner", "large");

            await().atMost(WAIT).until(() -> seen.size() == 2);
            assertThat(seen).containsExactly(1L, 2L); // the other listener missed nothing
            assertThat(planner.current().version()).isEqualTo(2);
            assertThat(planner.state()).isEqualTo(LiveModel.State.READY);
            await().atMost(WAIT).until(() -> logged.size() == 2);
            assertThat(logged).allSatisfy(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.WARNING);
                assertThat(record.getMessage()).startsWith("a listener of model configuration \"planner\" failed on version");
                assertThat(record.getThrown()).hasMessageStartingWith("listener bug on version");
            });

            server.put("planner", "small"); // and the feed is still followed
            await().atMost(WAIT).until(() -> planner.current().version() == 3);
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void aMalformedEventIsLoggedAndTheAliasReloaded() throws Exception {
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler handler = collect(logged);
        Logger logger = Logger.getLogger(LiveModel.class.getName());
        logger.addHandler(handler);
        try {
            server.put("planner", "small");
            LiveModel planner = sb.model("planner");
            assertThat(planner.awaitReady(WAIT)).isEqualTo(LiveModel.State.READY);

            server.rawEvent("planner", "model_config.updated", "{not json");
            server.put("planner", "large");

            await().atMost(WAIT).until(() -> planner.current().version() == 2);
            assertThat(logged).singleElement().satisfies(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.WARNING);
                assertThat(record.getMessage()).isEqualTo("following model configuration \"planner\" failed; reloading it");
                assertThat(record.getThrown()).hasMessageStartingWith("malformed model_config.updated event at revision 2: Switchboard sent malformed JSON");
            });
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void deletingTheAliasCallsOnRemoveAndCurrentThenSaysWhyItHasNone() throws Exception {
        server.put("planner", "small");
        LiveModel planner = sb.model("planner");
        assertThat(planner.awaitReady(WAIT)).isEqualTo(LiveModel.State.READY);
        List<ModelConfig> removed = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        planner.onRemove(config -> {
            removed.add(config);
            threads.add(Thread.currentThread().getName());
        });

        server.delete("planner");
        await().atMost(WAIT).until(() -> removed.size() == 1);
        assertThat(removed.getFirst().version()).isEqualTo(1); // the configuration that was deleted
        assertThat(threads).containsExactly("switchboard-live-planner");
        assertThat(planner.state()).isEqualTo(LiveModel.State.UNCONFIGURED);
        assertThat(planner.currentIfConfigured()).isEmpty();
        assertThatThrownBy(planner::current).isInstanceOf(IllegalStateException.class)
                .hasMessage("model configuration \"planner\" does not exist on the server (UNCONFIGURED): it was never created or it was deleted");

        List<Long> seen = new CopyOnWriteArrayList<>();
        planner.onChange(config -> seen.add(config.version()));
        server.put("planner", "large"); // re-created: versions continue after the deletion's
        await().atMost(WAIT).until(() -> seen.size() == 1);
        assertThat(seen).containsExactly(3L);
        assertThat(planner.state()).isEqualTo(LiveModel.State.READY);
    }

    @Test
    void everyListenerCallRunsOnTheModelsThreadTheFirstOneToo() throws Exception {
        server.put("planner", "small");
        LiveModel planner = sb.model("planner");
        assertThat(planner.awaitReady(WAIT)).isEqualTo(LiveModel.State.READY);
        List<String> threads = new CopyOnWriteArrayList<>();
        planner.onChange(config -> threads.add(Thread.currentThread().getName()));

        server.put("planner", "large");
        await().atMost(WAIT).until(() -> threads.size() == 2);
        assertThat(threads).containsOnly("switchboard-live-planner");
    }

    @Test
    void aTargetThatLeavesTheCatalogIsDeliveredWithTheSameVersion() throws Exception {
        server.put("planner", "small");
        LiveModel planner = sb.model("planner");
        List<ModelConfig> seen = new CopyOnWriteArrayList<>();
        planner.onChange(seen::add);
        await().atMost(WAIT).until(() -> seen.size() == 1);

        server.targetStatus("planner", "missing");
        await().atMost(WAIT).until(() -> seen.size() == 2);
        assertThat(seen).extracting(ModelConfig::version, ModelConfig::targetStatus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "ok"), org.assertj.core.groups.Tuple.tuple(1L, "missing"));
        assertThat(planner.current().targetStatus()).isEqualTo("missing");
    }

    @Test
    void itKeepsTheLastValueWhileTheServerIsDownAndCatchesUpAfterARestart() throws Exception {
        server.put("coder", "small");
        LiveModel coder = sb.model("coder");
        List<Long> seen = new CopyOnWriteArrayList<>();
        coder.onChange(config -> seen.add(config.version()));
        assertThat(coder.awaitReady(WAIT)).isEqualTo(LiveModel.State.READY);

        server.stop();
        await().atMost(WAIT).until(() -> coder.lastError().isPresent()); // it noticed and keeps retrying
        assertThat(coder.current().model()).isEqualTo("small"); // still served while disconnected
        assertThat(coder.state()).isEqualTo(LiveModel.State.READY);

        server.put("coder", "large"); // saved while this client could not see the server
        server.put("coder", "medium");
        server.restart();
        await().atMost(Duration.ofSeconds(10)).until(() -> coder.current().version() == 3);
        assertThat(seen).containsExactly(1L, 2L, 3L); // resumed by revision: nothing missed
        await().atMost(WAIT).until(() -> coder.lastError().isEmpty());
    }

    @Test
    void aResyncRequiredReloadsTheAlias() throws Exception {
        server.put("coder", "small");
        LiveModel coder = sb.model("coder");
        assertThat(coder.awaitReady(WAIT)).isEqualTo(LiveModel.State.READY);

        server.stop();
        server.put("coder", "large");
        server.pruneEvents(); // the client was away longer than the server keeps events
        server.restart();
        await().atMost(Duration.ofSeconds(10)).until(() -> coder.current().model().equals("large"));

        server.put("coder", "medium"); // and it follows from the reload on
        await().atMost(WAIT).until(() -> coder.current().model().equals("medium"));
    }

    @Test
    void aRefusedCredentialIsAnErrorStateWithTheReason() throws Exception {
        try (FakeSwitchboard secured = FakeSwitchboard.startWithToken("sbk_right");
             Switchboard wrong = Switchboard.connect(secured.uri(), "sbk_wrong");
             Switchboard right = Switchboard.connect(secured.uri(), "sbk_right")) {
            secured.put("planner", "small");
            LiveModel refused = wrong.model("planner");
            assertThat(refused.awaitReady(WAIT)).isEqualTo(LiveModel.State.ERROR);
            assertThat(refused.lastError()).get().extracting(Throwable::getMessage)
                    .isEqualTo("a valid API key or access token is required (Authorization: Bearer …) (HTTP 401)");
            assertThatThrownBy(refused::current).hasMessageStartingWith("model configuration \"planner\" could not be read (ERROR): a valid API key");
            assertThat(right.model("planner").awaitReady(WAIT)).isEqualTo(LiveModel.State.READY);
        }
    }

    /** Keeps what the SDK logs (System.Logger goes to java.util.logging here). */
    private static Handler collect(List<LogRecord> logged) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
