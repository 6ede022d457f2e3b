package dev.switchboard.cli;

import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 9: the CLI counts aliases apart from models, names its own flag in hints, and sends aliases as path segments. */
class CliAliasesTest {
    @TempDir
    Path dir;
    FakeUpstream upstream;
    Switchboard server;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start();
        upstream.onJson("/v1/models", openAiList("gpt-5", "gpt-5-mini"));
        server = Switchboard.open(TestConfigs.embedded(dir, List.of(TestConfigs.openai("acme", upstream.uri("/v1"))))).serve();
        assertThat(run("refresh").exitCode()).isZero();
    }

    @AfterEach
    void stop() {
        server.close();
        upstream.close();
    }

    private CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--server");
        all.add("http://127.0.0.1:" + server.port());
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void modelsCountsModelsAndAliasesApart() {
        assertThat(run("configs", "set", "planner", "--provider", "acme", "--model", "gpt-5").exitCode()).isZero();
        CliRun models = run("models");
        assertThat(models.exitCode()).as(models.err()).isZero();
        assertThat(models.out()).contains("acme/gpt-5", "acme/gpt-5-mini", "planner")
                .contains("2 models, 1 alias").doesNotContain("3 models");
    }

    @Test
    void aModelTheCatalogDoesNotListIsRefusedWithTheFlagThatSavesItAnyway() {
        CliRun refused = run("configs", "set", "future", "--provider", "acme", "--model", "gpt-9");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("does not list model \"gpt-9\"").contains("pass --no-validate to save it anyway")
                .doesNotContain("validate=false");
        CliRun saved = run("configs", "set", "future", "--provider", "acme", "--model", "gpt-9", "--no-validate");
        assertThat(saved.exitCode()).as(saved.err()).isZero();
    }

    @Test
    void anAliasWithASpaceIsSentPercentEncoded() {
        CliRun got = run("configs", "get", "my alias");
        assertThat(got.exitCode()).isEqualTo(1);
        assertThat(got.err()).contains("\"my alias\"").contains("/api/v1/model-configs/my%20alias").doesNotContain("my+alias");
        CliRun plus = run("configs", "get", "a+b");
        assertThat(plus.err()).contains("\"a+b\"");
    }
}
