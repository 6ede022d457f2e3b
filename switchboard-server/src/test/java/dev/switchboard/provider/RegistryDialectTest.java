package dev.switchboard.provider;

import java.util.Map;
import dev.switchboard.config.ProviderKind;
import dev.switchboard.config.ProviderConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryDialectTest extends DialectTestSupport {
    private final RegistryDialect dialect = new RegistryDialect();

    @Test
    void readsTheOpenAiListShapeAtTheBaseUrlItself() throws Exception {
        upstream.onJson("/catalog/models.json", """
                {"object":"list","data":[{"id":"planner-large","owned_by":"platform-team","tier":"gold"}]}""");

        var models = dialect.listModels(provider(ProviderKind.REGISTRY, "/catalog/models.json"), client);

        assertThat(models).containsExactly(new Model("planner-large", 0, "platform-team", json("{\"tier\":\"gold\"}")));
        assertThat(upstream.lastRequest("/catalog/models.json").header("Authorization")).contains("Bearer " + KEY);
    }

    @Test
    void readsAPlainArrayOfIdsAndObjects() throws Exception {
        upstream.onJson("/registry", "[\"gpt-5\", {\"id\":\"claude-x\",\"context\":200000}, \"gpt-5\"]");

        var models = dialect.listModels(provider(ProviderKind.REGISTRY, "/registry"), client);

        assertThat(ids(models)).containsExactly("gpt-5", "claude-x");
        assertThat(models.get(1).metadata()).isEqualTo(json("{\"context\":200000}"));
    }

    @Test
    void readsABundledFileWithoutNetwork(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("registry.json"), "{\"data\":[\"local-a\",\"local-b\"]}");
        var provider = ProviderConfig.of("bundled", ProviderKind.REGISTRY, file.toUri());

        assertThat(ids(dialect.listModels(provider, client))).containsExactly("local-a", "local-b");
    }

    @Test
    void itemThatIsNeitherIdNorObjectIsMalformed() {
        upstream.onJson("/registry", "[\"a\", 42]");
        upstream.onJson("/blank", "{\"data\":[\"\"]}");

        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.REGISTRY, "/registry"), client))
                .hasMessage("malformed response: expected [1] to be a model id or an object, got a number");
        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.REGISTRY, "/blank"), client))
                .hasMessage("malformed response: data[0] is a blank model id");
    }

    @Test
    void factsFromAnOpenRouterShapedListingAndFromOurOwnVocabulary() throws Exception {
        upstream.onJson("/api/v1/models", fixture("openrouter-models.json"));

        var facts = factsById(dialect, dialect.listModels(provider(ProviderKind.REGISTRY, "/api/v1/models"), client));

        assertThat(facts).containsExactly(
                Map.entry("openai/gpt-4o", facts("""
                        {"display_name":"OpenAI: GPT-4o","context_window":128000,"max_output_tokens":16384,
                         "input_modalities":["text","image","file"],"output_modalities":["text"],
                         "capabilities":["tool_call","structured_output","json_mode","vision"],
                         "pricing":{"input":2.5,"output":10,"cached_input":1.25,"currency":"USD"}}""")),
                Map.entry("deepseek/deepseek-r1:free", facts("""
                        {"display_name":"DeepSeek: R1 (free)","context_window":163840,
                         "input_modalities":["text"],"output_modalities":["text"],"capabilities":["reasoning"],
                         "pricing":{"input":0,"output":0,"currency":"USD"}}""")),
                // "Varies" prices (-1), unknown modalities and no supported_parameters: all left out.
                Map.entry("openrouter/auto", facts("""
                        {"display_name":"Auto Router","context_window":2000000,
                         "input_modalities":["text","image","audio","video","file"]}""")),
                // Switchboard's own names win over the OpenRouter ones; "deprecated":"soon" does not fit.
                Map.entry("acme/planner-large", facts("""
                        {"display_name":"Acme Planner (large)","context_window":65536,
                         "capabilities":["tool_call","streaming"],"pricing":{"input":1.5,"output":6,"currency":"EUR"},
                         "knowledge_cutoff":"2025-03","release_date":"2025-06-01","family":"planner","open_weights":false}""")));
    }
}
