package dev.switchboard.cli;

import dev.switchboard.Switchboard;
import dev.switchboard.TestHttp;
import dev.switchboard.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The first admin key made offline, then keys managed through the server with it. */
class KeysCliTest {
    @TempDir
    Path dir;

    @Test
    void aSecuredServerWithoutAnAdminRefusesToStartUntilOneIsCreatedOffline() throws Exception {
        Path config = dir.resolve("switchboard.toml");
        Files.writeString(config, """
                [server]
                port = 0
                [store]
                url = "jdbc:h2:file:%s"
                [auth]
                mode = "token"
                """.formatted(dir.resolve("db").toAbsolutePath()));
        var loaded = new ConfigLoader().load(config, Map.of());
        assertThatThrownBy(() -> Switchboard.open(loaded)).hasMessageContaining("needs an admin")
                .hasMessageContaining("switchboard keys create --offline");

        CliRun created = CliRun.of("keys", "create", "--offline", "--name", "ops", "--role", "admin", "--config", config.toString());
        assertThat(created.exitCode()).as(created.err()).isZero();
        String admin = created.out().lines().filter(l -> l.startsWith("sbk_")).findFirst().orElseThrow();

        try (Switchboard server = Switchboard.open(loaded).serve(); TestHttp http = new TestHttp(server.port())) {
            String url = "http://127.0.0.1:" + server.port();
            CliRun denied = CliRun.of("keys", "list", "--server", url, "--config", config.toString());
            assertThat(denied.exitCode()).isEqualTo(1);
            assertThat(denied.err()).contains("401").contains("--key");

            CliRun reader = CliRun.of("keys", "create", "--name", "dashboard", "--role", "reader", "--server", url, "--key", admin,
                    "--config", config.toString(), "--json");
            assertThat(reader.exitCode()).as(reader.err()).isZero();
            var readerJson = new com.fasterxml.jackson.databind.ObjectMapper().readTree(reader.out());
            String readerKey = readerJson.path("key").asText();
            assertThat(http.get("/v1/models", "Authorization", "Bearer " + readerKey).status()).isEqualTo(200);

            CliRun list = CliRun.of("keys", "list", "--server", url, "--key", admin, "--config", config.toString());
            assertThat(list.out()).contains("ops").contains("dashboard").doesNotContain(readerKey).doesNotContain(admin);

            CliRun revoked = CliRun.of("keys", "revoke", readerJson.path("id").asText(), "--server", url, "--key", admin, "--config", config.toString());
            assertThat(revoked.exitCode()).as(revoked.err()).isZero();
            assertThat(http.get("/v1/models", "Authorization", "Bearer " + readerKey).status()).isEqualTo(401);
        }
    }

    /** Issue 9: a name stored before control characters were refused cannot drive the terminal that lists it. */
    @Test
    void keysListEscapesControlCharactersInNames() throws Exception {
        Path config = dir.resolve("switchboard.toml");
        Files.writeString(config, """
                [store]
                url = "jdbc:h2:file:%s"
                """.formatted(dir.resolve("db").toAbsolutePath()));
        CliRun created = CliRun.of("keys", "create", "--offline", "--name", "ops", "--role", "admin", "--config", config.toString());
        assertThat(created.exitCode()).as(created.err()).isZero();
        var loaded = new ConfigLoader().load(config, Map.of());
        try (var store = dev.switchboard.store.Store.open(loaded.store())) {
            store.withHandle(h -> h.createUpdate("UPDATE api_key SET name = :name").bind("name", "\u001b]0;pwned\u0007\u001b[2J\u001b[31mops\r\nfake\u009b1m").execute());
        }

        CliRun list = CliRun.of("keys", "list", "--offline", "--config", config.toString());
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().chars().filter(c -> Character.isISOControl(c) && c != '\n').count()).as(list.out()).isZero();
        assertThat(list.out().lines().count()).isEqualTo(1);
        assertThat(list.out()).contains("\\u001b]0;pwned\\u0007\\u001b[2J\\u001b[31mops\\r\\nfake\\u009b1m");
    }
}
