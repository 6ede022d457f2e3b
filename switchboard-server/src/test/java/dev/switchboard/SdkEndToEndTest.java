package dev.switchboard;

import dev.switchboard.client.LiveModel;
import dev.switchboard.client.ModelConfig;
import dev.switchboard.config.AuthConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.config.ProviderKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Java SDK (switchboard-client, whose own tests run against a fake server) against the real server: the
 * contract both sides keep (DESIGN §9, docs/events.md). Bootstrap, every version from the feed with its real
 * params, deletion, restart with resume by revision, refused credentials.
 */
class SdkEndToEndTest {
    private static final String ADMIN = "admin-key-for-tests-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(5);
    @TempDir
    Path dir;

    private SwitchboardConfig config() {
        return TestConfigs.embedded(dir, List.of(ProviderConfig.of("local", ProviderKind.STATIC, null)
                .withStaticModels(List.of("small", "large"))));
    }

    private static void put(TestHttp http, String alias, String model, String secret, String... headers) {
        int status = http.json("PUT", "/api/v1/model-configs/" + alias,
                "{\"provider\":\"local\",\"model\":\"" + model + "\",\"params\":{\"temperature\":0.2,\"api_key\":\"" + secret + "\"}}",
                headers).status();
        assertThat(status).isIn(200, 201);
    }

    @Test
    void everyVersionOfABurstReachesTheSdkInOrderWithItsRealParamsAndADeletionCallsOnRemove() throws Exception {
        try (var server = Switchboard.open(config()).serve(); TestHttp http = new TestHttp(server.port());
             var sb = dev.switchboard.client.Switchboard.connect(URI.create("http://127.0.0.1:" + server.port()), null)) {
            LiveModel planner = sb.model("planner");
            assertThat(planner.awaitReady(WAIT)).isEqualTo(LiveModel.State.UNCONFIGURED);
            CountDownLatch inVersion2 = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<ModelConfig> seen = new CopyOnWriteArrayList<>();
            List<ModelConfig> removed = new CopyOnWriteArrayList<>();
            planner.onRemove(removed::add);
            planner.onChange(config -> {
                seen.add(config);
                if (config.version() == 2) {
                    inVersion2.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS); // a slow listener: versions 3 and 4 are saved meanwhile
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });

            put(http, "planner", "small", "sk-1");
            put(http, "planner", "large", "sk-2");
            assertThat(inVersion2.await(5, TimeUnit.SECONDS)).isTrue();
            put(http, "planner", "small", "sk-3");
            put(http, "planner", "large", "sk-4");
            release.countDown();

            await().atMost(WAIT).until(() -> seen.size() >= 4);
            assertThat(seen).extracting(ModelConfig::version).containsExactly(1L, 2L, 3L, 4L);
            // the events carry api_key as "***"; the SDK hands over what was saved
            assertThat(seen).extracting(c -> c.params().get("api_key")).containsExactly("sk-1", "sk-2", "sk-3", "sk-4");
            assertThat(planner.current().params()).containsEntry("temperature", 0.2);

            assertThat(http.send("DELETE", "/api/v1/model-configs/planner", "").status()).isEqualTo(204);
            await().atMost(WAIT).until(() -> removed.size() == 1);
            assertThat(removed.getFirst().version()).isEqualTo(4);
            assertThat(planner.state()).isEqualTo(LiveModel.State.UNCONFIGURED);
            assertThatThrownBy(planner::current).isInstanceOf(IllegalStateException.class).hasMessageContaining("UNCONFIGURED");
        }
    }

    @Test
    void itKeepsTheLastValueWhileTheServerIsDownAndCatchesUpAfterARestart() throws Exception {
        SwitchboardConfig config = config();
        var first = Switchboard.open(config).serve();
        int port = first.port();
        try (TestHttp http = new TestHttp(port)) {
            put(http, "coder", "small", "sk-1");
        }
        try (var sb = dev.switchboard.client.Switchboard.builder(URI.create("http://127.0.0.1:" + port))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(400)).build()) {
            LiveModel coder = sb.model("coder");
            assertThat(coder.awaitReady(WAIT)).isEqualTo(LiveModel.State.READY);
            first.close();
            await().atMost(WAIT).until(() -> coder.lastError().isPresent()); // it noticed the drop and keeps retrying
            assertThat(coder.current().model()).isEqualTo("small"); // still served while disconnected

            var second = Switchboard.open(config.withServer(config.server().withPort(port))).serve();
            try (TestHttp http = new TestHttp(port)) {
                put(http, "coder", "large", "sk-2");
                await().atMost(Duration.ofSeconds(10)).until(() -> coder.current().model().equals("large"));
            } finally {
                second.close();
            }
        }
    }

    @Test
    void aRefusedCredentialIsAnErrorStateWithTheReason() throws Exception {
        var secured = config().withAuth(AuthConfig.token(Secret.literal(ADMIN)));
        try (var server = Switchboard.open(secured).serve();
             var wrong = dev.switchboard.client.Switchboard.connect(URI.create("http://127.0.0.1:" + server.port()), "sbk_wrong");
             var right = dev.switchboard.client.Switchboard.connect(URI.create("http://127.0.0.1:" + server.port()), ADMIN);
             TestHttp http = new TestHttp(server.port())) {
            put(http, "planner", "small", "sk-1", "Authorization", "Bearer " + ADMIN);
            LiveModel refused = wrong.model("planner");
            assertThat(refused.awaitReady(WAIT)).isEqualTo(LiveModel.State.ERROR);
            assertThat(refused.lastError()).get().asString().contains("401");
            assertThat(right.model("planner").awaitReady(WAIT)).isEqualTo(LiveModel.State.READY);
            assertThat(right.fetch("planner")).get().extracting(ModelConfig::model).isEqualTo("small");
        }
    }
}
