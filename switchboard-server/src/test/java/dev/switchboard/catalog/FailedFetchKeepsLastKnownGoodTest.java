package dev.switchboard.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.CatalogConfig;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/** DESIGN §3: a failed fetch never removes models; the provider shows error with the reason; others are unaffected. */
class FailedFetchKeepsLastKnownGoodTest {
    @TempDir
    Path dir;
    FakeUpstream good;
    FakeUpstream flaky;
    Switchboard switchboard;
    TestHttp http;

    @BeforeEach
    void start() throws Exception {
        good = FakeUpstream.start();
        flaky = FakeUpstream.start();
        good.onJson("/v1/models", openAiList("alpha", "beta"));
        flaky.onJson("/v1/models", openAiList("gamma", "delta", "epsilon"));
        var config = TestConfigs.embedded(dir, List.of(
                TestConfigs.openai("good", good.uri("/v1")), TestConfigs.openai("flaky", flaky.uri("/v1"))));
        CatalogConfig catalog = config.catalog().withFetchTimeout(Duration.ofMillis(800)).withMaxResponseBytes(64 * 1024);
        switchboard = Switchboard.open(config.withCatalog(catalog)).serve();
        http = new TestHttp(switchboard.port());
        JsonNode first = http.post("/api/v1/providers:refresh").json();
        assertThat(first.path("changed")).hasSize(2);
    }

    @AfterEach
    void stop() {
        http.close();
        switchboard.close();
        good.close();
        flaky.close();
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("timeout", Reply.hang(), "timed out"),
                Arguments.of("HTTP 500", Reply.json(500, "{\"error\":\"boom\"}"), "HTTP 500"),
                Arguments.of("HTTP 401", Reply.json(401, "{\"error\":\"bad key\"}"), "HTTP 401"),
                Arguments.of("malformed JSON", Reply.json("{\"data\": [ {\"id\": "), "malformed"),
                Arguments.of("body over the cap", Reply.paddedJson(openAiList("gamma"), 200_000, Reply.Framing.CHUNKED), "cap"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aFailingProviderKeepsItsModelsAndReportsTheReason(String name, Reply failure, String reasonFragment) {
        long revisionBefore = switchboard.bus().revision();
        flaky.on("/v1/models", request -> failure);

        JsonNode result = http.post("/api/v1/providers:refresh").json();

        assertThat(result.path("failed")).hasSize(1);
        assertThat(result.path("failed").get(0).path("provider_id").asText()).isEqualTo("flaky");
        assertThat(result.path("failed").get(0).path("reason").asText()).containsIgnoringCase(reasonFragment);
        assertThat(result.path("unchanged").toString()).contains("good");
        assertThat(result.path("changed")).isEmpty();

        JsonNode provider = http.get("/api/v1/providers/flaky").json();
        assertThat(provider.path("status").asText()).isEqualTo("error");
        assertThat(provider.path("model_count").asInt()).isEqualTo(3);
        assertThat(provider.path("last_error").asText()).containsIgnoringCase(reasonFragment);
        assertThat(provider.path("consecutive_failures").asInt()).isEqualTo(1);

        JsonNode models = http.get("/v1/models").json();
        assertThat(models.findValuesAsText("id")).contains("flaky/gamma", "flaky/delta", "flaky/epsilon", "good/alpha", "good/beta");
        assertThat(http.get("/api/v1/providers/good").json().path("status").asText()).isEqualTo("ok");
        // the status change is an event of its own; the models did not change
        assertThat(switchboard.bus().revision()).isEqualTo(revisionBefore + 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aRecoveredProviderGoesBackToOk(String name, Reply failure, String reasonFragment) {
        flaky.on("/v1/models", request -> failure);
        http.post("/api/v1/providers/flaky:refresh");
        flaky.onJson("/v1/models", openAiList("gamma", "delta", "epsilon"));

        JsonNode result = http.post("/api/v1/providers/flaky:refresh").json();

        assertThat(result.path("unchanged").toString()).contains("flaky");
        JsonNode provider = http.get("/api/v1/providers/flaky").json();
        assertThat(provider.path("status").asText()).isEqualTo("ok");
        assertThat(provider.path("consecutive_failures").asInt()).isZero();
        assertThat(provider.has("last_error") && !provider.path("last_error").isNull()).isFalse();
    }
}
