package dev.switchboard.configs;

import dev.switchboard.Switchboard;
import dev.switchboard.TestHttp;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.SwitchboardConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 4: [[model_configs]] in the config file are imported when absent; the store wins afterwards. */
class SeededConfigsTest {
    @TempDir
    Path dir;

    private SwitchboardConfig config(String seeds) throws Exception {
        Path file = dir.resolve("switchboard.toml");
        Files.writeString(file, """
                [server]
                port = 0
                [store]
                url = "jdbc:h2:file:%s"
                [model_catalog]
                refresh_interval = 0
                [[providers]]
                id = "local"
                kind = "static"
                models = ["small", "large"]
                """.formatted(dir.resolve("db").toAbsolutePath()) + seeds);
        return new ConfigLoader().load(file, Map.of());
    }

    static final String PLANNER = """
            [[model_configs]]
            alias = "planner"
            provider = "local"
            model = "large"
            params = { temperature = 0.2, reasoning = { effort = "high" } }
            fallbacks = ["local/small"]
            description = "plans the work"
            labels = { team = "agents" }
            """;

    @Test
    void aDeclaredConfigIsImportedOnceAndTheStoreWinsAfterwards() throws Exception {
        SwitchboardConfig config = config(PLANNER);
        try (Switchboard first = Switchboard.open(config).serve(); TestHttp http = new TestHttp(first.port())) {
            var planner = http.get("/api/v1/model-configs/planner").json();
            assertThat(planner.path("version").asLong()).isEqualTo(1);
            assertThat(planner.path("updated_by").asText()).isEqualTo("config-file");
            assertThat(planner.path("params").path("reasoning").path("effort").asText()).isEqualTo("high");
            assertThat(planner.path("params").path("temperature").asDouble()).isEqualTo(0.2);
            assertThat(planner.path("fallbacks").get(0).asText()).isEqualTo("local/small");
            assertThat(http.json("PATCH", "/api/v1/model-configs/planner", "{\"model\":\"small\"}").status()).isEqualTo(200);
        }
        try (Switchboard second = Switchboard.open(config).serve(); TestHttp http = new TestHttp(second.port())) {
            var planner = http.get("/api/v1/model-configs/planner").json();
            assertThat(planner.path("model").asText()).isEqualTo("small");
            assertThat(planner.path("version").asLong()).isEqualTo(2);
            assertThat(http.send("DELETE", "/api/v1/model-configs/planner", "").status()).isEqualTo(204);
        }
        try (Switchboard third = Switchboard.open(config).serve(); TestHttp http = new TestHttp(third.port())) {
            assertThat(http.get("/api/v1/model-configs/planner").status()).isEqualTo(404); // deleted through the API: stays deleted
        }
    }

    @Test
    void aDeclaredConfigWithAnUnknownProviderStopsTheStartWithItsLine() throws Exception {
        SwitchboardConfig config = config("""
                [[model_configs]]
                alias = "ghost"
                provider = "nowhere"
                model = "m"
                """);
        assertThatThrownBy(() -> Switchboard.open(config)).hasMessageContaining("switchboard.toml:11")
                .hasMessageContaining("ghost").hasMessageContaining("unknown provider \"nowhere\"");
    }

    @Test
    void declaredConfigsAreCheckedForShapeWhenTheFileLoads() {
        assertThatThrownBy(() -> config("""
                [[model_configs]]
                alias = "planner"
                colour = "red"
                """)).hasMessageContaining("switchboard.toml:13: unknown key \"colour\" in [[model_configs]]");
        assertThatThrownBy(() -> config("""
                [[model_configs]]
                alias = "Bad Alias"
                provider = "local"
                model = "m"
                [[model_configs]]
                provider = "local"
                """)).hasMessageContaining("switchboard.toml:12: [[model_configs]] alias must be 1 to 63")
                .hasMessageContaining("switchboard.toml:15: [[model_configs]] needs alias").hasMessageContaining("needs model");
    }
}
