package dev.switchboard.gateway;

import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import dev.switchboard.config.ProviderKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11: every kind is reached through its OpenAI-compatible endpoint — openai at {@code base_url}, ollama and
 * anthropic under {@code /v1}, gemini under {@code /v1beta/openai} — and registry or static providers through
 * {@code api_base_url}, which API-created providers may set too; the key goes as a Bearer token.
 */
class InferenceEndpointsTest {
    static final String KEY = "sk-kind-key-0123456789";

    @TempDir
    Path dir;
    FakeUpstream upstream;
    Switchboard switchboard;
    TestHttp http;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start();
        for (String path : List.of("/openai/v1/chat/completions", "/ollama/v1/chat/completions", "/anthropic/v1/chat/completions",
                "/gemini/v1beta/openai/chat/completions", "/inference/v1/chat/completions", "/gemini/v1beta/openai/embeddings",
                "/openai/v1/completions", "/openai/v1/responses", "/openai/v1/embeddings")) {
            upstream.on(path, request -> Reply.json(Upstreams.chatCompletion(path, "m", "hi")));
        }
        List<ProviderConfig> providers = List.of(
                TestConfigs.openai("openai", URI.create(upstream.baseUri() + "/openai/v1/")).withApiKey(Secret.literal(KEY)),
                ProviderConfig.of("ollama", ProviderKind.OLLAMA, upstream.uri("/ollama")),
                ProviderConfig.of("anthropic", ProviderKind.ANTHROPIC, upstream.uri("/anthropic")).withApiKey(Secret.literal(KEY)),
                ProviderConfig.of("gemini", ProviderKind.GEMINI, upstream.uri("/gemini")).withApiKey(Secret.literal(KEY)),
                ProviderConfig.of("registry", ProviderKind.REGISTRY, upstream.uri("/registry.json"))
                        .withApiBaseUrl(upstream.uri("/inference/v1")));
        switchboard = Switchboard.open(TestConfigs.embedded(dir, providers)).serve();
        http = new TestHttp(switchboard.port());
    }

    @AfterEach
    void stop() {
        http.close();
        switchboard.close();
        upstream.close();
    }

    private String calledPath(String provider) {
        assertThat(http.json("PUT", "/api/v1/model-configs/" + provider + "-alias?validate=false",
                "{\"provider\":\"" + provider + "\",\"model\":\"m\"}").status()).isIn(200, 201);
        TestHttp.Response answer = http.json("POST", "/v1/chat/completions", "{\"model\":\"" + provider + "-alias\",\"messages\":[]}");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.json().path("id").asText();
    }

    @Test
    void openAiIsCalledAtItsBaseUrl() {
        assertThat(calledPath("openai")).isEqualTo("/openai/v1/chat/completions");
        assertThat(upstream.lastRequest("/openai/v1/chat/completions").header("Authorization")).contains("Bearer " + KEY);
    }

    @Test
    void everyOperationGoesToItsOwnPath() {
        calledPath("openai");
        for (String operation : List.of("completions", "responses", "embeddings")) {
            TestHttp.Response answer = http.json("POST", "/v1/" + operation, "{\"model\":\"openai-alias\",\"input\":\"x\"}");
            assertThat(answer.json().path("id").asText()).isEqualTo("/openai/v1/" + operation);
        }
    }

    @Test
    void ollamaIsCalledUnderV1() {
        assertThat(calledPath("ollama")).isEqualTo("/ollama/v1/chat/completions");
        assertThat(upstream.lastRequest("/ollama/v1/chat/completions").header("Authorization")).isEmpty();
    }

    @Test
    void anthropicIsCalledAtItsOpenAiCompatibleEndpoint() {
        assertThat(calledPath("anthropic")).isEqualTo("/anthropic/v1/chat/completions");
        assertThat(upstream.lastRequest("/anthropic/v1/chat/completions").header("Authorization")).contains("Bearer " + KEY);
    }

    @Test
    void geminiIsCalledUnderV1betaOpenai() {
        assertThat(calledPath("gemini")).isEqualTo("/gemini/v1beta/openai/chat/completions");
        TestHttp.Response embeddings = http.json("POST", "/v1/embeddings", "{\"model\":\"gemini-alias\",\"input\":\"x\"}");
        assertThat(embeddings.json().path("id").asText()).isEqualTo("/gemini/v1beta/openai/embeddings");
        assertThat(upstream.lastRequest("/gemini/v1beta/openai/chat/completions").rawQuery()).as("the key is no query parameter").isNull();
    }

    @Test
    void aRegistryIsCalledAtItsApiBaseUrl() {
        assertThat(calledPath("registry")).isEqualTo("/inference/v1/chat/completions");
    }

    @Test
    void anApiCreatedProviderMaySetApiBaseUrlAndKeepsItAcrossRestarts() {
        TestHttp.Response created = http.json("POST", "/api/v1/providers", "{\"id\":\"lab\",\"kind\":\"static\",\"models\":[\"m\"],"
                + "\"api_base_url\":\"" + upstream.uri("/inference/v1") + "\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().path("api_base_url").asText()).isEqualTo(upstream.uri("/inference/v1").toString());
        http.close();
        switchboard.close();

        switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of())).serve();
        http = new TestHttp(switchboard.port());

        TestHttp.Response answer = http.json("POST", "/v1/chat/completions", "{\"model\":\"lab/m\",\"messages\":[]}");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().path("id").asText()).isEqualTo("/inference/v1/chat/completions");
        assertThat(http.get("/api/v1/providers/lab").json().path("api_base_url").asText()).isEqualTo(upstream.uri("/inference/v1").toString());
    }

    @Test
    void anApiBaseUrlIsChangedAndRemovedByMergePatch() {
        http.json("POST", "/api/v1/providers", "{\"id\":\"lab\",\"kind\":\"static\",\"models\":[\"m\"],\"api_base_url\":\"http://127.0.0.1:9/v1\"}");

        TestHttp.Response patched = http.json("PATCH", "/api/v1/providers/lab", "{\"api_base_url\":null}");

        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
        assertThat(patched.json().has("api_base_url")).isFalse();
        assertThat(http.json("POST", "/v1/chat/completions", "{\"model\":\"lab/m\"}").json().path("error").path("code").asText())
                .isEqualTo("no_inference_endpoint");
    }

    @Test
    void anApiBaseUrlOnAMetadataAddressIsRefused() {
        TestHttp.Response refused = http.json("POST", "/api/v1/providers", "{\"id\":\"evil\",\"kind\":\"static\",\"models\":[\"m\"],"
                + "\"api_base_url\":\"http://169.254.169.254/v1\"}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").path("details").path("fields").path("api_base_url").asText())
                .startsWith("resolves to 169.254.169.254, a link-local or metadata address");
    }
}
