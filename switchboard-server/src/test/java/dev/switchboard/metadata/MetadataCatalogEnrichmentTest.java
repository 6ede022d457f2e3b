package dev.switchboard.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.MetadataSourceConfig;
import dev.switchboard.store.JsonMapper;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: a models.dev-shaped catalog enriches an OpenAI-kind provider that gives only ids; the configuration and
 * an alias override fields; {@code sources} and {@code ?explain=true} show the three; removing the override brings
 * the catalog's value back with an event, and a catalog change is an event naming the field.
 */
class MetadataCatalogEnrichmentTest {
    static final String CATALOG = """
            {"openai": {"id": "openai", "name": "OpenAI", "models": {
              "gpt-4o": {"id": "gpt-4o", "name": "GPT-4o", "family": "gpt-4o", "tool_call": true, "reasoning": false,
                         "knowledge": "2023-09", "release_date": "2024-05-13", "open_weights": false,
                         "modalities": {"input": ["text", "image"], "output": ["text"]},
                         "cost": {"input": 2.5, "output": 10, "cache_read": 1.25},
                         "limit": {"context": %d, "output": 16384}}}}}""";

    @TempDir
    Path dir;
    Path catalogFile;
    FakeUpstream upstream;
    Switchboard switchboard;
    TestHttp http;
    final ObjectMapper mapper = JsonMapper.create();

    @BeforeEach
    void start() throws Exception {
        catalogFile = dir.resolve("models-dev.json");
        Files.writeString(catalogFile, CATALOG.formatted(128_000));
        upstream = FakeUpstream.start();
        upstream.onJson("/v1/models", openAiList("gpt-4o-2024-08-06"));
        var config = TestConfigs.embedded(dir, List.of())
                .withMetadataSources(List.of(MetadataSourceConfig.modelsDev("models-dev", catalogFile.toUri())));
        switchboard = Switchboard.open(config).serve();
        http = new TestHttp(switchboard.port());
        TestHttp.Response created = http.json("POST", "/api/v1/providers", """
                {"id": "openai", "kind": "openai", "base_url": "%s",
                 "models": {"gpt-4o-2024-08-06": {"context_window": 1000000}}}""".formatted(upstream.uri("/v1")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        TestHttp.Response alias = http.json("PUT", "/api/v1/model-configs/planner", """
                {"provider": "openai", "model": "gpt-4o-2024-08-06", "metadata": {"display_name": "Planner"}}""");
        assertThat(alias.status()).as(alias.text()).isIn(200, 201);
    }

    @AfterEach
    void stop() {
        http.close();
        switchboard.close();
        upstream.close();
    }


    @Test
    void theCatalogEnrichesAModelItsUpstreamOnlyNamesAndEverySourceShowsWhereItWins() throws Exception {
        JsonNode model = MetadataReads.entry(http, "openai/gpt-4o-2024-08-06");
        assertThat(model.path("normalized").path("context_window").asLong()).isEqualTo(1_000_000);
        assertThat(model.path("sources").path("context_window").asText()).isEqualTo("config");
        assertThat(model.path("normalized").path("display_name").asText()).isEqualTo("GPT-4o");
        assertThat(model.path("sources").path("display_name").asText()).isEqualTo("catalog:models-dev");
        assertThat(model.path("normalized").path("pricing")).isEqualTo(mapper.readTree("""
                {"input": 2.5, "output": 10, "cached_input": 1.25, "currency": "USD"}"""));
        assertThat(model.path("normalized").path("knowledge_cutoff").asText()).isEqualTo("2023-09");

        JsonNode alias = MetadataReads.entry(http, "planner");
        assertThat(alias.path("sources").path("display_name").asText()).isEqualTo("alias");
        assertThat(alias.path("sources").path("context_window").asText()).isEqualTo("config");
        assertThat(alias.path("sources").path("family").asText()).isEqualTo("catalog:models-dev");

        JsonNode explain = http.get("/v1/models/planner?explain=true").json().path("switchboard").path("explain");
        assertThat(explain.path("sources")).isEqualTo(mapper.readTree("[\"alias\", \"config\", \"catalog:models-dev\"]"));
        assertThat(explain.path("fields").path("display_name")).isEqualTo(mapper.readTree("""
                {"winner": "alias", "candidates": [{"source": "alias", "value": "Planner"},
                                                   {"source": "catalog:models-dev", "value": "GPT-4o"}]}"""));
        assertThat(explain.path("fields").path("context_window").path("candidates").findValuesAsText("source"))
                .containsExactly("config", "catalog:models-dev");
    }

    @Test
    void removingTheOverrideBringsTheCatalogValueBackWithAnEvent() throws Exception {
        long before = http.get("/v1/models").revision();

        TestHttp.Response patched = http.json("PATCH", "/api/v1/providers/openai", "{\"models\": null}");
        assertThat(patched.status()).as(patched.text()).isEqualTo(200);

        JsonNode model = MetadataReads.entry(http, "openai/gpt-4o-2024-08-06");
        assertThat(model.path("normalized").path("context_window").asLong()).isEqualTo(128_000);
        assertThat(model.path("sources").path("context_window").asText()).isEqualTo("catalog:models-dev");
        assertThat(MetadataReads.catalogChangesAfter(switchboard, before)).containsExactly(mapper.readTree("""
                {"provider_id": "openai", "added": [], "removed": [], "updated": ["gpt-4o-2024-08-06"],
                 "updated_fields": {"gpt-4o-2024-08-06": ["context_window"]},
                 "normalized": {"gpt-4o-2024-08-06": %s}}""".formatted(model.path("normalized"))));
    }

    @Test
    void aCatalogChangeIsAnUpdatedEntryNamingTheField() throws Exception {
        http.json("PATCH", "/api/v1/providers/openai", "{\"models\": null}");
        long before = http.get("/v1/models").revision();
        Files.writeString(catalogFile, CATALOG.formatted(256_000));

        TestHttp.Response refreshed = http.post("/api/v1/metadata-sources/models-dev:refresh");
        assertThat(refreshed.status()).as(refreshed.text()).isEqualTo(200);

        assertThat(MetadataReads.entry(http, "openai/gpt-4o-2024-08-06").path("normalized").path("context_window").asLong()).isEqualTo(256_000);
        List<JsonNode> changes = MetadataReads.catalogChangesAfter(switchboard, before);
        assertThat(changes).hasSize(1);
        assertThat(changes.getFirst().path("updated_fields")).isEqualTo(mapper.readTree("""
                {"gpt-4o-2024-08-06": ["context_window"]}"""));
    }

}
