package dev.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.config.ProviderConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9: {@code configs set --param KEY=VALUE} reads VALUE as JSON only when all of it is one JSON value; a
 * number out of range is refused instead of reaching the server as the string {@code "Infinity"}.
 */
class ConfigsSetParamValuesTest {
    /** Never fetched: --no-validate saves without asking it. */
    static final List<ProviderConfig> PROVIDERS = List.of(TestConfigs.openai("p", URI.create("http://127.0.0.1:9/v1")));
    @TempDir
    Path dir;

    private static CliRun set(int port, String param) {
        return CliRun.of("configs", "set", "x", "--provider", "p", "--model", "m", "--no-validate", "--param", param,
                "--server", "http://127.0.0.1:" + port);
    }

    private static JsonNode params(int port) throws Exception {
        CliRun got = CliRun.of("configs", "get", "x", "--server", "http://127.0.0.1:" + port);
        return new ObjectMapper().readTree(got.out()).path("params");
    }

    @Test
    void aValueWithTextAfterItsJsonIsText() throws Exception {
        try (Switchboard server = Switchboard.open(TestConfigs.embedded(dir, PROVIDERS)).serve()) {
            CliRun set = set(server.port(), "note=1 and more");
            assertThat(set.exitCode()).as(set.err()).isZero();
            assertThat(params(server.port()).path("note").isTextual()).isTrue();
            assertThat(params(server.port()).path("note").asText()).isEqualTo("1 and more");
        }
    }

    @Test
    void aNumberOutOfRangeIsRefusedBeforeAnythingIsSent() throws Exception {
        try (Switchboard server = Switchboard.open(TestConfigs.embedded(dir, PROVIDERS)).serve()) {
            CliRun set = set(server.port(), "temperature=1e999999999");
            assertThat(set.exitCode()).isEqualTo(2);
            assertThat(set.err()).contains("--param temperature: 1e999999999 is a number out of range");
            assertThat(CliRun.of("configs", "get", "x", "--server", "http://127.0.0.1:" + server.port()).exitCode()).isEqualTo(1);
        }
    }
}
