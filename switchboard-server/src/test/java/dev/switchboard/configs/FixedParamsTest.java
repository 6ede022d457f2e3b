package dev.switchboard.configs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11: {@code fixed_params} names the params that a gateway request cannot override. It is part of the
 * configuration like any other field: validated, versioned, in events, history and rollback, merge-patchable.
 */
class FixedParamsTest {
    static final String CODER = """
            {"alias":"coder","provider":"local","model":"llama","params":{"temperature":0.2,"max_tokens":512},
             "fixed_params":["max_tokens"]}""";

    @TempDir
    Path dir;
    Switchboard switchboard;
    TestHttp http;

    @BeforeEach
    void start() {
        ProviderConfig local = ProviderConfig.of("local", ProviderKind.STATIC, null).withStaticModels(List.of("llama"));
        switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of(local))).serve();
        http = new TestHttp(switchboard.port());
        http.post("/api/v1/providers:refresh");
    }

    @AfterEach
    void stop() {
        http.close();
        switchboard.close();
    }

    @Test
    void fixedParamsAreStoredAndShown() {
        TestHttp.Response created = http.json("POST", "/api/v1/model-configs", CODER);

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().path("fixed_params").toString()).isEqualTo("[\"max_tokens\"]");
        assertThat(http.get("/api/v1/model-configs/coder").json().path("fixed_params").toString()).isEqualTo("[\"max_tokens\"]");
    }

    @Test
    void aConfigurationWithoutFixedParamsShowsAnEmptyList() {
        http.json("POST", "/api/v1/model-configs", "{\"alias\":\"plain\",\"provider\":\"local\",\"model\":\"llama\"}");

        assertThat(http.get("/api/v1/model-configs/plain").json().path("fixed_params").toString()).isEqualTo("[]");
    }

    @Test
    void aFixedParamMustHaveItsValueInParams() {
        TestHttp.Response refused = http.json("POST", "/api/v1/model-configs", """
                {"alias":"coder","provider":"local","model":"llama","params":{"temperature":0.2},"fixed_params":["max_tokens"]}""");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").path("message").asText()).isEqualTo("invalid model configuration: fixed_params"
                + " names \"max_tokens\", which params does not set; a fixed param needs its value in params");
    }

    @Test
    void fixedParamsMustBeAnArrayOfNames() {
        TestHttp.Response refused = http.json("POST", "/api/v1/model-configs", """
                {"alias":"coder","provider":"local","model":"llama","params":{"max_tokens":1},"fixed_params":{"max_tokens":1}}""");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").path("details").path("fields").path("fixed_params").asText())
                .startsWith("must be an array of strings");
    }

    @Test
    void changingFixedParamsIsAVersionWithAnEventThatNamesIt() {
        http.json("POST", "/api/v1/model-configs", CODER);
        long before = http.get("/api/v1/model-configs/coder").revision();

        TestHttp.Response patched = http.json("PATCH", "/api/v1/model-configs/coder", "{\"fixed_params\":[\"max_tokens\",\"temperature\"]}");

        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
        assertThat(patched.json().path("version").asLong()).isEqualTo(2);
        JsonNode events = http.get("/api/v1/events?since=" + before, "Accept", "application/json").json();
        JsonNode updated = events.get(events.size() - 1).path("data");
        assertThat(updated.path("changed").toString()).contains("fixed_params");
        assertThat(updated.path("config").path("fixed_params").toString()).isEqualTo("[\"max_tokens\",\"temperature\"]");
    }

    @Test
    void historyKeepsFixedParamsAndRollbackRestoresThem() {
        http.json("POST", "/api/v1/model-configs", CODER);
        http.json("PATCH", "/api/v1/model-configs/coder", "{\"fixed_params\":null}");
        assertThat(http.get("/api/v1/model-configs/coder").json().path("fixed_params").toString()).isEqualTo("[]");

        JsonNode history = http.get("/api/v1/model-configs/coder/history").json().path("data");
        assertThat(history.get(0).path("config").path("fixed_params").toString()).isEqualTo("[\"max_tokens\"]");
        TestHttp.Response rolled = http.json("POST", "/api/v1/model-configs/coder:rollback", "{\"version\":1}");

        assertThat(rolled.status()).as(rolled.text()).isEqualTo(200);
        assertThat(rolled.json().path("fixed_params").toString()).isEqualTo("[\"max_tokens\"]");
        assertThat(rolled.json().path("version").asLong()).isEqualTo(3);
    }

    @Test
    void fixedParamsSurviveARestart() {
        http.json("POST", "/api/v1/model-configs", CODER);
        http.close();
        switchboard.close();

        switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of(
                ProviderConfig.of("local", ProviderKind.STATIC, null).withStaticModels(List.of("llama"))))).serve();
        http = new TestHttp(switchboard.port());

        assertThat(switchboard.configs().find("coder").orElseThrow().spec().fixedParams()).containsExactly("max_tokens");
    }
}
