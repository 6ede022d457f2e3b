package dev.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Switchboard;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/** The CLI runs the same refresh code as the server, against a running server or straight on the store. */
class CliTest {
    @TempDir
    Path dir;

    private Path config(FakeUpstream upstream, int port) throws IOException {
        Path file = dir.resolve("switchboard.toml");
        Files.writeString(file, """
                [server]
                port = %d
                [store]
                url = "jdbc:h2:file:%s"
                [model_catalog]
                refresh_interval = 0
                refresh_on_start = false
                [[providers]]
                id = "up"
                kind = "openai"
                base_url = "%s"
                [[providers]]
                id = "local"
                kind = "static"
                models = ["tiny-1"]
                """.formatted(port, dir.resolve("db").toAbsolutePath(), upstream.uri("/v1")));
        return file;
    }

    @Test
    void offlineRefreshWorksStraightOnTheStoreAndPrintsAHumanSummary() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.onJson("/v1/models", openAiList("m1", "m2"));
            Path config = config(upstream, 0);

            CliRun first = CliRun.of("refresh", "--offline", "--config", config.toString());
            assertThat(first.exitCode()).as(first.err()).isZero();
            assertThat(first.out()).contains("revision 1").containsPattern("changed\\s+up\\s+\\+2 \\[m1, m2]")
                    .containsPattern("changed\\s+local\\s+\\+1 \\[tiny-1]");
            assertThat(first.err()).contains("2/2 providers fetched");

            CliRun again = CliRun.of("refresh", "--offline", "--json", "--config", config.toString(), "--provider", "up");
            JsonNode json = new ObjectMapper().readTree(again.out());
            assertThat(json.path("revision").asLong()).isEqualTo(1);
            assertThat(json.path("unchanged").get(0).asText()).isEqualTo("up");
        }
    }

    @Test
    void refreshAgainstARunningServerAndExitCodeThreeWhenAProviderFails() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.onJson("/v1/models", openAiList("m1"));
            Path config = config(upstream, 0);
            var loaded = new ConfigLoader().load(config, Map.of());
            try (Switchboard server = Switchboard.open(loaded).serve()) {
                String url = "http://127.0.0.1:" + server.port();
                CliRun ok = CliRun.of("refresh", "--server", url, "--config", config.toString());
                assertThat(ok.exitCode()).as(ok.err()).isZero();
                assertThat(ok.out()).contains("changed").contains("up");

                upstream.on("/v1/models", request -> FakeUpstream.Reply.json(503, "{}"));
                CliRun failed = CliRun.of("refresh", "--server", url, "--config", config.toString(), "--provider", "up");
                assertThat(failed.exitCode()).isEqualTo(RefreshCommand.SOME_PROVIDERS_FAILED);
                assertThat(failed.out()).containsPattern("failed\\s+up\\s+.*HTTP 503");

                CliRun models = CliRun.of("models", "--server", url, "--config", config.toString());
                assertThat(models.exitCode()).isZero();
                assertThat(models.out()).contains("up/m1").contains("local/tiny-1").contains("2 models");

                CliRun json = CliRun.of("models", "--server", url, "--json", "--provider", "local", "--config", config.toString());
                assertThat(new ObjectMapper().readTree(json.out()).path("data")).hasSize(1);

                CliRun unknown = CliRun.of("refresh", "--server", url, "--config", config.toString(), "--provider", "nope");
                assertThat(unknown.exitCode()).isEqualTo(1);
                assertThat(unknown.err()).contains("no provider \"nope\"");
            }
        }
    }

    @Test
    void anUnreachableServerIsAClearErrorNotAStackTrace() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            Path config = config(upstream, 1);
            CliRun run = CliRun.of("models", "--server", "http://127.0.0.1:1", "--config", config.toString());
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("cannot reach the Switchboard server at http://127.0.0.1:1").doesNotContain("Exception");
        }
    }

    @Test
    void aBadConfigFileStopsWithFileAndLine() throws Exception {
        Path file = dir.resolve("bad.toml");
        Files.writeString(file, "[model_catalog]\nrefresh_intervl = \"5m\"\n");
        CliRun run = CliRun.of("refresh", "--offline", "--config", file.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("bad.toml:2").contains("refresh_intervl");
    }
}
