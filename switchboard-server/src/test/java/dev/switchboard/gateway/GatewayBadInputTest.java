package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.RawHttp;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.config.ProviderKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11: bad input is refused in OpenAI's error shape, {@code {"error": {"message", "type", "param", "code"}}},
 * with the right status — unknown model 404, body over {@code max_request_bytes} 413, not JSON 400, no
 * {@code model} 400 — and none of it reaches an upstream.
 */
class GatewayBadInputTest {
    static final long MAX_REQUEST_BYTES = 4096;

    @TempDir
    Path dir;
    FakeUpstream upstream;
    Switchboard switchboard;
    TestHttp http;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start();
        upstream.onJson("/v1/models", openAiList("gpt-5"));
        Upstreams.answersChat(upstream, "/v1/chat/completions", "c", "hi");
        ProviderConfig local = ProviderConfig.of("local", ProviderKind.STATIC, null).withStaticModels(List.of("llama"));
        switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of(TestConfigs.openai("openai", upstream.uri("/v1")), local))
                .withGateway(GatewayConfig.defaults().withMaxRequestBytes(MAX_REQUEST_BYTES))).serve();
        http = new TestHttp(switchboard.port());
        http.post("/api/v1/providers:refresh");
        http.json("POST", "/api/v1/model-configs", "{\"alias\":\"planner\",\"provider\":\"openai\",\"model\":\"gpt-5\"}");
        http.json("POST", "/api/v1/model-configs", "{\"alias\":\"local-llama\",\"provider\":\"local\",\"model\":\"llama\"}");
    }

    @AfterEach
    void stop() {
        http.close();
        switchboard.close();
        upstream.close();
    }

    /** The error object, after checking it has exactly OpenAI's four members. */
    private static JsonNode openAiError(TestHttp.Response response) {
        JsonNode error = response.json().path("error");
        assertThat(error.isObject()).as(response.text()).isTrue();
        assertThat(error.fieldNames()).toIterable().containsExactly("message", "type", "param", "code");
        return error;
    }

    private void assertNothingReachedTheUpstream() {
        assertThat(upstream.requestCount("/v1/chat/completions")).isZero();
    }

    @Test
    void anUnknownModelIs404ModelNotFound() {
        TestHttp.Response response = http.json("POST", "/v1/chat/completions", "{\"model\":\"nope\",\"messages\":[]}");

        assertThat(response.status()).isEqualTo(404);
        JsonNode error = openAiError(response);
        assertThat(error.path("code").asText()).isEqualTo("model_not_found");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asText()).isEqualTo("model");
        assertThat(error.path("message").asText()).isEqualTo("the model \"nope\" does not exist: it is neither an alias nor a"
                + " catalog id (<provider>/<model>); see GET /v1/models");
        assertNothingReachedTheUpstream();
    }

    @Test
    void aModelItsProviderDoesNotListIs404() {
        TestHttp.Response response = http.json("POST", "/v1/chat/completions", "{\"model\":\"openai/gpt-9\",\"messages\":[]}");

        assertThat(response.status()).isEqualTo(404);
        assertThat(openAiError(response).path("message").asText())
                .isEqualTo("the model \"openai/gpt-9\" does not exist: provider \"openai\" does not list it (see GET /v1/models)");
        assertNothingReachedTheUpstream();
    }

    @Test
    void aBodyOverMaxRequestBytesIs413() {
        String big = "{\"model\":\"planner\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat((int) MAX_REQUEST_BYTES) + "\"}]}";

        TestHttp.Response response = http.json("POST", "/v1/chat/completions", big);

        assertThat(response.status()).isEqualTo(413);
        assertThat(openAiError(response).path("code").asText()).isEqualTo("payload_too_large");
        assertNothingReachedTheUpstream();
    }

    @Test
    void theGatewaysCapIsItsOwnNotTheManagementApis() {
        // 4 KiB is far below [server] max_body_size (1 MiB): the management API still takes larger bodies
        String description = "d".repeat((int) MAX_REQUEST_BYTES);
        TestHttp.Response saved = http.json("PATCH", "/api/v1/model-configs/planner", "{\"description\":\"" + description + "\"}");

        assertThat(saved.status()).isEqualTo(400); // refused by the description rule, not by size
        assertThat(saved.json().path("error").path("message").asText()).contains("description");
    }

    @Test
    void aBodyThatIsNotJsonIs400() {
        TestHttp.Response response = http.json("POST", "/v1/chat/completions", "model=planner");

        assertThat(response.status()).isEqualTo(400);
        JsonNode error = openAiError(response);
        assertThat(error.path("code").asText()).isEqualTo("invalid_request");
        assertThat(error.path("message").asText()).startsWith("malformed JSON");
        assertNothingReachedTheUpstream();
    }

    @Test
    void aBodyThatIsNotAnObjectIs400() {
        TestHttp.Response response = http.json("POST", "/v1/chat/completions", "[\"planner\"]");

        assertThat(response.status()).isEqualTo(400);
        assertThat(openAiError(response).path("message").asText()).isEqualTo("the body must be a JSON object with a \"model\"");
        assertNothingReachedTheUpstream();
    }

    @Test
    void aMissingModelIs400NamingTheParam() {
        TestHttp.Response response = http.json("POST", "/v1/chat/completions", "{\"messages\":[]}");

        assertThat(response.status()).isEqualTo(400);
        JsonNode error = openAiError(response);
        assertThat(error.path("param").asText()).isEqualTo("model");
        assertThat(error.path("message").asText()).isEqualTo("you must provide a model parameter: an alias or a catalog id"
                + " (<provider>/<model>)");
        assertNothingReachedTheUpstream();
    }

    @Test
    void aModelThatIsNotAStringIs400() {
        TestHttp.Response response = http.json("POST", "/v1/embeddings", "{\"model\":7,\"input\":\"x\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(openAiError(response).path("param").asText()).isEqualTo("model");
    }

    @Test
    void aBodyNotDeclaredAsJsonIs415InOpenAisShape() {
        RawHttp.Answer answer = RawHttp.send(switchboard.port(), "POST", "/v1/chat/completions", "{\"model\":\"planner\"}",
                "Host: 127.0.0.1", "Content-Type: text/plain");

        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.body()).contains("\"type\":\"invalid_request_error\"").contains("\"code\":\"unsupported_media_type\"")
                .contains("\"param\":null");
        assertNothingReachedTheUpstream();
    }

    @Test
    void aProviderWithoutAnInferenceEndpointIs400SayingSo() {
        TestHttp.Response response = http.json("POST", "/v1/chat/completions", "{\"model\":\"local-llama\",\"messages\":[]}");

        assertThat(response.status()).isEqualTo(400);
        JsonNode error = openAiError(response);
        assertThat(error.path("code").asText()).isEqualTo("no_inference_endpoint");
        assertThat(error.path("message").asText()).isEqualTo("provider \"local\" (kind static) has no inference endpoint;"
                + " set api_base_url on it to the base of its OpenAI-compatible API (e.g. \"http://127.0.0.1:8000/v1\")");
    }

    @Test
    void refusalsAreCountedByCode() {
        http.json("POST", "/v1/chat/completions", "{\"model\":\"nope\"}");
        http.json("POST", "/v1/chat/completions", "{}");

        assertThat(http.get("/metrics").text())
                .contains("switchboard_gateway_rejected_total{code=\"model_not_found\"} 1.0")
                .contains("switchboard_gateway_rejected_total{code=\"invalid_request\"} 1.0");
    }

    @Test
    void otherPathsKeepSwitchboardsOwnErrorShape() {
        TestHttp.Response response = http.get("/api/v1/model-configs/nope");

        assertThat(response.json().path("error").path("type").asText()).isEqualTo("not_configured");
        assertThat(response.json().path("error").has("param")).isFalse();
    }
}
