package dev.switchboard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code switchboard configs …} and {@code switchboard providers …} against a running server. */
class ConfigsAndProvidersCliTest {
    @TempDir
    Path dir;

    private CliRun run(int port, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--server");
        all.add("http://127.0.0.1:" + port);
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void providersAndConfigsCanBeManagedFromTheCommandLine() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             Switchboard server = Switchboard.open(TestConfigs.embedded(dir, List.of())).serve()) {
            upstream.onJson("/v1/models", openAiList("gpt-5", "gpt-5-mini"));
            int port = server.port();

            CliRun added = run(port, "providers", "add", "acme", "--kind", "openai", "--base-url", upstream.uri("/v1").toString());
            assertThat(added.exitCode()).as(added.err()).isZero();
            assertThat(added.out()).contains("acme").contains("ok").contains("2 models");
            assertThat(run(port, "providers", "update", "acme", "--deny", "*-mini").out()).contains("1 models");
            assertThat(run(port, "providers", "list").out()).contains("acme");

            CliRun set = run(port, "configs", "set", "planner", "--provider", "acme", "--model", "gpt-5", "--param", "temperature=0.3",
                    "--param", "style=terse", "--label", "team=agents");
            assertThat(set.exitCode()).as(set.err()).isZero();
            assertThat(set.out()).contains("planner is at version 1 -> acme/gpt-5 (ok)");
            CliRun got = run(port, "configs", "get", "planner");
            var json = new ObjectMapper().readTree(got.out());
            assertThat(json.path("params").path("temperature").asDouble()).isEqualTo(0.3);
            assertThat(json.path("params").path("style").asText()).isEqualTo("terse");

            CliRun stale = run(port, "configs", "set", "planner", "--provider", "acme", "--model", "gpt-5", "--if-version", "7");
            assertThat(stale.exitCode()).isEqualTo(1);
            assertThat(stale.err()).contains("version 1").contains("412");
            CliRun unknownModel = run(port, "configs", "set", "planner", "--provider", "acme", "--model", "gpt-5-mini");
            assertThat(unknownModel.exitCode()).isEqualTo(1);
            assertThat(unknownModel.err()).contains("does not list model");

            run(port, "configs", "set", "planner", "--provider", "acme", "--model", "gpt-5", "--description", "v2");
            assertThat(run(port, "configs", "rollback", "planner", "--to", "1").out()).contains("version 3");
            assertThat(run(port, "configs", "history", "planner").out()).contains("v1").contains("v2").contains("rolled_back");
            assertThat(run(port, "configs", "list").out()).contains("planner").contains("acme/gpt-5");
            assertThat(run(port, "configs", "delete", "planner").out()).contains("deleted planner");
            assertThat(run(port, "configs", "get", "planner").err()).contains("no model configuration \"planner\"");
            assertThat(run(port, "providers", "remove", "acme").out()).contains("removed acme");
        }
    }
}
