package dev.switchboard.client;

import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.provider.ProviderKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** DESIGN §9: the SDK bootstraps an alias, follows it live, survives a server restart and resumes by revision. */
class LiveModelTest {
    static final String ADMIN = "admin-key-for-tests-0123456789";
    @TempDir
    Path dir;

    private SwitchboardConfig config() {
        return TestConfigs.embedded(dir, List.of(ProviderConfig.of("local", ProviderKind.STATIC, null)
                .withStaticModels(List.of("small", "large"))));
    }

    private static void put(TestHttp http, String alias, String model, String... headers) {
        int status = http.json("PUT", "/api/v1/model-configs/" + alias,
                "{\"provider\":\"local\",\"model\":\"" + model + "\",\"params\":{\"temperature\":0.2,\"api_key\":\"sk-not-redacted-here\"}}",
                headers).status();
        assertThat(status).isIn(200, 201);
    }

    @Test
    void aModelStartsUnconfiguredBecomesReadyWhenCreatedAndFollowsEveryChange() throws Exception {
        try (var server = dev.switchboard.Switchboard.open(config()).serve(); TestHttp http = new TestHttp(server.port());
             Switchboard sb = Switchboard.connect(URI.create("http://127.0.0.1:" + server.port()), null)) {
            LiveModel planner = sb.model("planner");
            assertThat(planner.awaitReady(Duration.ofSeconds(5))).isEqualTo(LiveModel.State.UNCONFIGURED);
            List<ModelConfig> seen = new CopyOnWriteArrayList<>();
            planner.onChange(seen::add);

            put(http, "planner", "small");
            await().atMost(Duration.ofSeconds(5)).until(() -> planner.state() == LiveModel.State.READY);
            assertThat(planner.current().target()).isEqualTo("local/small");
            assertThat(planner.current().params()).containsEntry("temperature", 0.2);
            // the SDK reads the configuration itself, not the event's redacted copy
            assertThat(planner.current().params()).containsEntry("api_key", "sk-not-redacted-here");

            put(http, "planner", "large");
            await().atMost(Duration.ofSeconds(5)).until(() -> planner.current().version() == 2);
            assertThat(planner.current().model()).isEqualTo("large");
            assertThat(seen).extracting(ModelConfig::version).containsExactly(1L, 2L);

            assertThat(http.send("DELETE", "/api/v1/model-configs/planner", "").status()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(5)).until(() -> planner.state() == LiveModel.State.UNCONFIGURED);
            assertThat(planner.currentIfConfigured()).isEmpty();
        }
    }

    @Test
    void itKeepsTheLastValueWhileTheServerIsDownAndCatchesUpAfterARestart() throws Exception {
        SwitchboardConfig config = config();
        var first = dev.switchboard.Switchboard.open(config).serve();
        int port = first.port();
        try (TestHttp http = new TestHttp(port)) {
            put(http, "coder", "small");
        }
        try (Switchboard sb = Switchboard.builder(URI.create("http://127.0.0.1:" + port))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(400)).build()) {
            LiveModel coder = sb.model("coder");
            assertThat(coder.awaitReady(Duration.ofSeconds(5))).isEqualTo(LiveModel.State.READY);
            first.close();
            Thread.sleep(300); // the client notices the drop and starts reconnecting
            assertThat(coder.current().model()).isEqualTo("small"); // still served while disconnected

            var second = dev.switchboard.Switchboard.open(config.withServer(config.server().withPort(port))).serve();
            try (TestHttp http = new TestHttp(port)) {
                put(http, "coder", "large");
                await().atMost(Duration.ofSeconds(10)).until(() -> coder.current().model().equals("large"));
            } finally {
                second.close();
            }
        }
    }

    @Test
    void aRefusedCredentialIsAnErrorStateWithTheReason() throws Exception {
        var secured = config().withAuth(dev.switchboard.config.AuthConfig.token(dev.switchboard.config.Secret.literal(ADMIN)));
        try (var server = dev.switchboard.Switchboard.open(secured).serve();
             Switchboard wrong = Switchboard.connect(URI.create("http://127.0.0.1:" + server.port()), "sbk_wrong");
             Switchboard right = Switchboard.connect(URI.create("http://127.0.0.1:" + server.port()), ADMIN);
             TestHttp http = new TestHttp(server.port())) {
            put(http, "planner", "small", "Authorization", "Bearer " + ADMIN);
            LiveModel refused = wrong.model("planner");
            assertThat(refused.awaitReady(Duration.ofSeconds(5))).isEqualTo(LiveModel.State.ERROR);
            assertThat(refused.lastError()).get().asString().contains("401");
            assertThat(right.model("planner").awaitReady(Duration.ofSeconds(5))).isEqualTo(LiveModel.State.READY);
            assertThat(right.fetch("planner")).get().extracting(ModelConfig::model).isEqualTo("small");
        }
    }
}
