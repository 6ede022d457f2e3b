package dev.switchboard.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9: errors on the OpenAI-compatible endpoints carry OpenAI's {@code code} and {@code param} besides
 * Switchboard's {@code type} and {@code message}, so official clients expose {@code e.code}.
 */
class OpenAiErrorShapeTest {
    @TempDir
    Path dir;

    @Test
    void anUnknownModelOrAliasAnswersCodeModelNotFoundAndANullParam() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.onJson("/v1/models", openAiList("gpt-5"));
            try (Switchboard switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of(TestConfigs.openai("openai", upstream.uri("/v1"))))).serve();
                 TestHttp http = new TestHttp(switchboard.port())) {
                http.post("/api/v1/providers:refresh");
                for (String path : List.of("/v1/models/openai/nope", "/v1/models/no-such-alias", "/v1/models/openai/")) {
                    String id = path.substring("/v1/models/".length());
                    TestHttp.Response missing = http.get(path);
                    assertThat(missing.status()).as(path).isEqualTo(404);
                    JsonNode error = missing.json().path("error");
                    assertThat(error.path("code").asText()).as(path).isEqualTo("model_not_found");
                    assertThat(error.path("type").asText()).as(path).isEqualTo("model_not_found");
                    assertThat(error.path("message").asText()).as(path).contains("\"" + id + "\"");
                    assertThat(error.has("param")).as(path).isTrue();
                    assertThat(error.path("param").isNull()).as(path).isTrue();
                }

                JsonNode badKind = http.get("/v1/models?kind=banana").json().path("error");
                assertThat(badKind.path("code").asText()).isEqualTo("invalid_request");
                assertThat(badKind.path("param").asText()).isEqualTo("kind");
                assertThat(badKind.path("message").asText()).contains("banana");

                // the management API keeps Switchboard's own shape
                JsonNode management = http.get("/api/v1/providers/nope").json().path("error");
                assertThat(management.path("type").asText()).isEqualTo("provider_not_found");
                assertThat(management.has("code")).isFalse();
                assertThat(management.has("param")).isFalse();
            }
        }
    }

    @Test
    void aMissingKeyOnTheModelListAnswersCodeUnauthorized() {
        try (Switchboard switchboard = Switchboard.open(TestConfigs.secured(dir, List.of(), "sb-admin-key-0123456789abcdef")).serve();
             TestHttp http = new TestHttp(switchboard.port())) {
            TestHttp.Response refused = http.get("/v1/models");
            assertThat(refused.status()).isEqualTo(401);
            JsonNode error = refused.json().path("error");
            assertThat(error.path("code").asText()).isEqualTo("unauthorized");
            assertThat(error.path("param").isNull()).isTrue();
        }
    }
}
