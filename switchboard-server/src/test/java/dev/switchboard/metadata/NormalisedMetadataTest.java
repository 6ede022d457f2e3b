package dev.switchboard.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.store.JsonMapper;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 15: one normalised record per model, where each field came from, and changes named by field. */
class NormalisedMetadataTest {
    /** An OpenRouter-shaped registry entry, with the parameters it supports. */
    static String registry(String supportedParameters) {
        return """
                {"data": [{"id": "vendor/m1", "name": "M One", "context_length": 131072,
                           "architecture": {"input_modalities": ["text", "image"], "output_modalities": ["text"]},
                           "pricing": {"prompt": "0.0000025", "completion": "0.00001"},
                           "supported_parameters": [%s]}]}""".formatted(supportedParameters);
    }

    @TempDir
    Path dir;
    FakeUpstream upstream;
    Switchboard switchboard;
    TestHttp http;
    final ObjectMapper mapper = JsonMapper.create();

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start();
        upstream.onJson("/registry", registry("\"tools\""));
        switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of())).serve();
        http = new TestHttp(switchboard.port());
    }

    @AfterEach
    void stop() {
        http.close();
        switchboard.close();
        upstream.close();
    }

    private void createRegistry(String models) {
        TestHttp.Response created = http.json("POST", "/api/v1/providers", """
                {"id": "reg", "kind": "registry", "base_url": "%s"%s}""".formatted(upstream.uri("/registry"),
                models == null ? "" : ", \"models\": " + models));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }


    @Test
    void theUpstreamsAnswerIsNormalisedAndSaysSo() throws Exception {
        createRegistry(null);

        JsonNode model = MetadataReads.entry(http, "reg/vendor/m1");
        assertThat(model.path("normalized")).isEqualTo(mapper.readTree("""
                {"display_name": "M One", "context_window": 131072, "input_modalities": ["text", "image"],
                 "output_modalities": ["text"], "capabilities": ["tool_call", "vision"],
                 "pricing": {"input": 2.5, "output": 10, "currency": "USD"}}"""));
        assertThat(model.path("sources").path("context_window").asText()).isEqualTo("upstream");
        assertThat(model.path("normalized").has("knowledge_cutoff")).as("never guessed").isFalse();
        JsonNode listed = http.get("/v1/models").json().path("data").get(0).path("switchboard");
        assertThat(listed.path("normalized")).isEqualTo(model.path("normalized"));
        JsonNode providerModels = http.get("/api/v1/providers/reg/models").json().path("data").get(0).path("switchboard");
        assertThat(providerModels.path("normalized")).isEqualTo(model.path("normalized"));
        TestHttp.Response badExplain = http.get("/v1/models/reg/vendor/m1?explain=maybe");
        assertThat(badExplain.status()).as(badExplain.text()).isEqualTo(400);
        assertThat(badExplain.text()).contains("explain must be true or false");
    }

    @Test
    void theConfigurationWinsExplainShowsEveryOfferAndRemovingItBringsTheUpstreamValueBackWithAnEvent() throws Exception {
        createRegistry("{\"vendor/m1\": {\"context_window\": 200000, \"family\": \"m\"}}");
        assertThat(MetadataReads.entry(http, "reg/vendor/m1").path("normalized").path("context_window").asLong()).isEqualTo(200_000);
        assertThat(MetadataReads.entry(http, "reg/vendor/m1").path("sources").path("context_window").asText()).isEqualTo("config");

        JsonNode explain = http.get("/v1/models/reg/vendor/m1?explain=true").json().path("switchboard").path("explain");
        assertThat(explain.path("precedence")).isEqualTo(mapper.readTree("[\"config\", \"upstream\", \"catalog\"]"));
        assertThat(explain.path("fields").path("context_window")).isEqualTo(mapper.readTree("""
                {"winner": "config", "candidates": [{"source": "config", "value": 200000},
                                                    {"source": "upstream", "value": 131072}]}"""));
        assertThat(explain.path("fields").path("family").path("winner").asText()).isEqualTo("config");
        assertThat(explain.path("fields").has("knowledge_cutoff")).isFalse();

        long before = http.get("/v1/models").revision();
        TestHttp.Response patched = http.json("PATCH", "/api/v1/providers/reg", "{\"models\": null}");
        assertThat(patched.status()).as(patched.text()).isEqualTo(200);

        JsonNode model = MetadataReads.entry(http, "reg/vendor/m1");
        assertThat(model.path("normalized").path("context_window").asLong()).isEqualTo(131_072);
        assertThat(model.path("sources").path("context_window").asText()).isEqualTo("upstream");
        assertThat(model.path("normalized").has("family")).isFalse();
        List<JsonNode> changes = MetadataReads.catalogChangesAfter(switchboard, before);
        assertThat(changes).hasSize(1);
        assertThat(changes.getFirst().path("updated_fields")).isEqualTo(mapper.readTree("""
                {"vendor/m1": ["context_window", "family"]}"""));
        assertThat(changes.getFirst().path("normalized").path("vendor/m1").path("context_window").asLong()).isEqualTo(131_072);
    }

    @Test
    void aCapabilityOnlyUpstreamChangeIsOneUpdatedEntryNamingTheField() throws Exception {
        createRegistry(null);
        upstream.onJson("/registry", registry("\"tools\", \"structured_outputs\""));

        JsonNode refresh = http.post("/api/v1/providers/reg:refresh").json();

        assertThat(refresh.path("changed")).hasSize(1);
        assertThat(refresh.path("changed").get(0).path("updated")).isEqualTo(mapper.readTree("[\"vendor/m1\"]"));
        assertThat(refresh.path("changed").get(0).path("updated_fields")).isEqualTo(mapper.readTree("{\"vendor/m1\": [\"capabilities\"]}"));
        assertThat(MetadataReads.entry(http, "reg/vendor/m1").path("normalized").path("capabilities"))
                .isEqualTo(mapper.readTree("[\"tool_call\", \"structured_output\", \"vision\"]"));
    }

    @Test
    void anAliasesOwnMetadataWinsInItsEntryAndTheRestComesFromItsTarget() throws Exception {
        createRegistry(null);
        TestHttp.Response put = http.json("PUT", "/api/v1/model-configs/planner", """
                {"provider": "reg", "model": "vendor/m1", "metadata": {"display_name": "Planner"}}""");
        assertThat(put.status()).as(put.text()).isIn(200, 201);

        JsonNode alias = MetadataReads.entry(http, "planner");
        assertThat(alias.path("normalized").path("display_name").asText()).isEqualTo("Planner");
        assertThat(alias.path("sources").path("display_name").asText()).isEqualTo("alias");
        assertThat(alias.path("normalized").path("context_window").asLong()).isEqualTo(131_072);
        assertThat(alias.path("sources").path("context_window").asText()).isEqualTo("upstream");
        JsonNode explain = http.get("/v1/models/planner?explain=true").json().path("switchboard").path("explain");
        assertThat(explain.path("fields").path("display_name").path("candidates").findValuesAsText("source"))
                .containsExactly("alias", "upstream");
    }

    @Test
    void badMetadataIsRefusedNamingTheField() {
        TestHttp.Response provider = http.json("POST", "/api/v1/providers", """
                {"id": "reg", "kind": "registry", "base_url": "%s", "models": {"m": {"context_window": -1}}}"""
                .formatted(upstream.uri("/registry")));
        assertThat(provider.status()).isEqualTo(400);
        assertThat(provider.json().path("error").path("details").path("fields").path("models").asText()).contains("context_window must be a positive whole number");

        TestHttp.Response alias = http.json("PUT", "/api/v1/model-configs/planner", """
                {"provider": "reg", "model": "m", "metadata": {"capabilities": ["telepathy"]}}""");
        assertThat(alias.status()).isEqualTo(400);
        assertThat(alias.json().path("error").path("details").path("fields").path("metadata").asText()).contains("capabilities must be a list of tool_call");

        TestHttp.Response explain = http.get("/v1/models/planner?explain=maybe");
        assertThat(explain.status()).isIn(400, 404);
    }

}
