package dev.switchboard.nats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.NatsConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.config.ProviderKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The {@code [nats]} credentials reach the broker: a broker of the test's own that wants a user or a token. */
class BrokerAuthenticationTest {
    static final Duration SOON = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    NatsServerProcess broker;
    Switchboard switchboard;
    TestHttp http;

    @AfterEach
    void stop() {
        if (http != null) http.close();
        if (switchboard != null) switchboard.close();
        if (broker != null) broker.close();
    }

    private JsonNode start(NatsConfig nats) {
        switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of(ProviderConfig.of("local", ProviderKind.STATIC, null)
                .withStaticModels(List.of("small")))).withNats(nats)).serve();
        http = new TestHttp(switchboard.port());
        return http.get("/api/v1/nats").json();
    }

    private NatsConfig withCredentials(String user, String password, String token) {
        NatsConfig plain = NatsConfig.of(broker.url(), "auth");
        return new NatsConfig(plain.servers(), plain.subjectPrefix(), plain.stream(), plain.duplicateWindow(), user,
                password.isEmpty() ? Secret.NONE : Secret.literal(password), token.isEmpty() ? Secret.NONE : Secret.literal(token),
                Optional.empty());
    }

    @Test
    void aUserAndPasswordAreSent() {
        broker = NatsServerProcess.prepare(dir.resolve("broker"), List.of("--user", "sb", "--pass", "s3cret-pw"));
        broker.start();

        start(withCredentials("sb", "s3cret-pw", ""));

        await().atMost(SOON).until(() -> http.get("/api/v1/nats").json().path("connected").asBoolean());
    }

    @Test
    void aTokenIsSent() {
        broker = NatsServerProcess.prepare(dir.resolve("broker"), List.of("--auth", "t0ken-123"));
        broker.start();

        start(withCredentials("", "", "t0ken-123"));

        await().atMost(SOON).until(() -> http.get("/api/v1/nats").json().path("connected").asBoolean());
    }

    @Test
    void aWrongPasswordShowsInTheStatusWithoutThePassword() {
        broker = NatsServerProcess.prepare(dir.resolve("broker"), List.of("--user", "sb", "--pass", "s3cret-pw"));
        broker.start();

        start(withCredentials("sb", "wrong-pw", ""));

        await().atMost(SOON).untilAsserted(() -> {
            JsonNode status = http.get("/api/v1/nats").json();
            assertThat(status.path("connected").asBoolean()).isFalse();
            assertThat(status.path("last_error").asText()).containsIgnoringCase("authorization").doesNotContain("wrong-pw");
        });
    }
}
