package dev.switchboard.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAI-compatible surface and the provider API, over real HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelsEndpointTest {
    @TempDir
    static Path dir;
    FakeUpstream upstream;
    Switchboard switchboard;
    TestHttp http;

    @BeforeAll
    void start() throws Exception {
        upstream = FakeUpstream.start();
        upstream.onJson("/v1/models", """
                {"object":"list","data":[
                  {"id":"gpt-5","object":"model","created":1754000000,"owned_by":"openai","context_window":400000},
                  {"id":"ft:gpt-4o:acme/ok","object":"model","created":1700000000,"owned_by":"acme"}]}""");
        switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of(TestConfigs.openai("openai", upstream.uri("/v1"))))).serve();
        http = new TestHttp(switchboard.port());
        http.post("/api/v1/providers:refresh");
    }

    @AfterAll
    void stop() {
        http.close();
        switchboard.close();
        upstream.close();
    }

    @Test
    void listsModelsInOpenAiShapeWithTheSwitchboardExtension() {
        TestHttp.Response response = http.get("/v1/models");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode body = response.json();
        assertThat(body.path("object").asText()).isEqualTo("list");
        JsonNode first = body.path("data").get(0);
        assertThat(first.path("id").asText()).isEqualTo("openai/gpt-5");
        assertThat(first.path("object").asText()).isEqualTo("model");
        assertThat(first.path("created").asLong()).isEqualTo(1754000000L);
        assertThat(first.path("owned_by").asText()).isEqualTo("openai");
        assertThat(first.path("switchboard").path("kind").asText()).isEqualTo("model");
        assertThat(first.path("switchboard").path("provider").asText()).isEqualTo("openai");
        assertThat(first.path("switchboard").path("status").asText()).isEqualTo("ok");
        assertThat(first.path("switchboard").path("metadata").path("context_window").asInt()).isEqualTo(400000);
    }

    @Test
    void anUnchangedCatalogAnswers304ToItsETag() {
        TestHttp.Response first = http.get("/v1/models");
        String etag = first.header("ETag");
        assertThat(etag).isNotBlank();
        TestHttp.Response again = http.get("/v1/models", "If-None-Match", etag);
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.bytes()).isEmpty();
        assertThat(again.revision()).isEqualTo(first.revision());
        assertThat(http.get("/v1/models", "If-None-Match", "\"other\"").status()).isEqualTo(200);
    }

    @Test
    void gzipIsSentWhenAsked() throws IOException {
        TestHttp.Response plain = http.get("/v1/models");
        TestHttp.Response zipped = http.get("/v1/models", "Accept-Encoding", "gzip");
        assertThat(zipped.header("Content-Encoding")).isEqualTo("gzip");
        try (var in = new GZIPInputStream(new ByteArrayInputStream(zipped.bytes()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(plain.text());
        }
        assertThat(plain.header("Content-Encoding")).isNull();
    }

    @Test
    void filtersByProviderAndKind() {
        assertThat(http.get("/v1/models?provider=openai").json().path("data")).hasSize(2);
        assertThat(http.get("/v1/models?provider=other").json().path("data")).isEmpty();
        assertThat(http.get("/v1/models?kind=model").json().path("data")).hasSize(2);
        assertThat(http.get("/v1/models?kind=alias").json().path("data")).isEmpty();
        TestHttp.Response bad = http.get("/v1/models?kind=banana");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").path("message").asText()).contains("kind");
    }

    @Test
    void oneModelByAnIdThatContainsSlashes() {
        TestHttp.Response response = http.get("/v1/models/openai/ft:gpt-4o:acme/ok");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("id").asText()).isEqualTo("openai/ft:gpt-4o:acme/ok");
        TestHttp.Response missing = http.get("/v1/models/openai/nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error").path("type").asText()).isEqualTo("model_not_found");
    }

    @Test
    void everyResponseCarriesTheRevision() {
        for (String path : List.of("/v1/models", "/v1/models/openai/gpt-5", "/v1/models/x/y", "/api/v1/providers",
                "/api/v1/providers/openai", "/api/v1/providers/nope", "/healthz", "/readyz", "/metrics", "/no/such/path")) {
            assertThat(http.get(path).header("X-Switchboard-Revision")).as(path).isEqualTo(Long.toString(switchboard.bus().revision()));
        }
    }

    @Test
    void providersShowStatusCountsAgesAndNoSecrets() {
        JsonNode provider = http.get("/api/v1/providers/openai").json();
        assertThat(provider.path("status").asText()).isEqualTo("ok");
        assertThat(provider.path("model_count").asInt()).isEqualTo(2);
        assertThat(provider.path("source").asText()).isEqualTo("config");
        assertThat(provider.path("stale").asBoolean()).isFalse();
        assertThat(provider.path("last_refreshed_at").asText()).isNotBlank();
        assertThat(provider.path("last_success_at").asText()).isNotBlank();
        assertThat(provider.has("api_key")).isFalse();
        assertThat(http.get("/api/v1/providers").json().path("data")).hasSize(1);
        JsonNode models = http.get("/api/v1/providers/openai/models").json();
        assertThat(models.path("data").findValuesAsText("id")).containsExactly("openai/gpt-5", "openai/ft:gpt-4o:acme/ok");
    }

    @Test
    void unknownProvidersAndActionsAreClearErrors() {
        TestHttp.Response unknownProvider = http.post("/api/v1/providers/nope:refresh");
        assertThat(unknownProvider.status()).isEqualTo(404);
        assertThat(unknownProvider.json().path("error").path("type").asText()).isEqualTo("provider_not_found");
        TestHttp.Response unknownAction = http.post("/api/v1/providers:frobnicate");
        assertThat(unknownAction.status()).isEqualTo(400);
        assertThat(unknownAction.json().path("error").path("message").asText()).contains(":frobnicate");
        assertThat(http.post("/api/v1/providers/openai:frobnicate").status()).isEqualTo(400);
        assertThat(http.post("/api/v1/providers:refresh?force=maybe").status()).isEqualTo(400);
        TestHttp.Response noRoute = http.get("/api/v1/nothing");
        assertThat(noRoute.status()).isEqualTo(404);
        assertThat(noRoute.json().path("error").path("type").asText()).isEqualTo("not_found");
    }

    @Test
    void healthReadinessAndMetrics() {
        assertThat(http.get("/healthz").status()).isEqualTo(200);
        JsonNode ready = http.get("/readyz").json();
        assertThat(ready.path("status").asText()).isEqualTo("ready");
        String metrics = http.get("/metrics").text();
        assertThat(metrics).contains("switchboard_refresh_duration_seconds_count{")
                .contains("switchboard_provider_models{provider=\"openai\"} 2.0")
                .contains("switchboard_models_requests_total{");
    }
}
