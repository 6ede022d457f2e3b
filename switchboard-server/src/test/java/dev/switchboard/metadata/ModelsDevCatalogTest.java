package dev.switchboard.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The models.dev api.json shape read into normalised facts, and how model ids are matched. */
class ModelsDevCatalogTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ModelsDevCatalog CATALOG = ModelsDevCatalog.parse(fixture());

    static JsonNode fixture() {
        try (InputStream in = ModelsDevCatalogTest.class.getResourceAsStream("/fixtures/metadata/models-dev.json")) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void everyMappedFieldOfAFullEntry() {
        ModelFacts facts = CATALOG.find("openai", "gpt-4o").orElseThrow();
        assertThat(facts).isEqualTo(ModelFacts.parse(json("""
                {"display_name": "GPT-4o", "context_window": 128000, "max_output_tokens": 16384,
                 "input_modalities": ["text", "image"], "output_modalities": ["text"],
                 "capabilities": ["tool_call", "structured_output"],
                 "pricing": {"input": 2.5, "output": 10, "cached_input": 1.25, "currency": "USD"},
                 "knowledge_cutoff": "2023-09", "release_date": "2024-05-13", "family": "gpt-4o", "open_weights": false}
                """), "expected"));
    }

    @Test
    void pdfIsAFileUnknownModalitiesAreDroppedAndAZeroLimitIsUnknown() {
        assertThat(CATALOG.find("openai", "o1").orElseThrow().toJson().get("input_modalities"))
                .isEqualTo(json("[\"text\", \"image\", \"file\"]"));
        ModelFacts gemini = CATALOG.find("google", "gemini-1.5-pro").orElseThrow();
        assertThat(gemini.toJson().get("input_modalities")).isEqualTo(json("[\"text\", \"image\", \"audio\", \"video\"]"));
        assertThat(gemini.get(MetadataField.MAX_OUTPUT_TOKENS)).isEmpty();
        assertThat(gemini.get(MetadataField.PRICING).orElseThrow()).isEqualTo(MetadataField.PRICING.normalise(json("{\"input\": 1.25, \"output\": 5, \"currency\": \"USD\"}")));
    }

    @Test
    void onlyWhatTheEntryStatesIsTaken() {
        ModelFacts facts = CATALOG.find("openai", "gpt-4-turbo-2024-04-09").orElseThrow();
        assertThat(facts.get(MetadataField.CAPABILITIES).orElseThrow()).isEqualTo(json("[\"tool_call\"]"));
        // an image input is no vision capability: only explicit fields are, and absent fields stay absent
        assertThat(CATALOG.find("openai", "gpt-4o").orElseThrow().get(MetadataField.CAPABILITIES).orElseThrow().toString())
                .doesNotContain("vision");
        assertThat(facts.get(MetadataField.DEPRECATED)).isEmpty();
        assertThat(facts.get(MetadataField.OPEN_WEIGHTS)).isEmpty();
        assertThat(facts.get(MetadataField.PRICING)).isEmpty();
        assertThat(CATALOG.find("openai", "gpt-3.5-turbo-0125").orElseThrow().get(MetadataField.DEPRECATED))
                .contains(json("true"));
    }

    @Test
    void anEntryThatIsNotAnObjectIsSkippedAndCounted() {
        assertThat(CATALOG.skipped()).isEqualTo(1);
        assertThat(CATALOG.modelCount()).isEqualTo(9);
        assertThat(CATALOG.find("openai", "odd-entry")).isEmpty();
    }

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
            "openai, gpt-4o, GPT-4o",
            "openai, GPT-4o, GPT-4o",
            "OpenAI, gpt-4o, GPT-4o",
            "openai, gpt-4o-latest, GPT-4o",
            "openai, gpt-4o-2024-08-06, GPT-4o",
            "openai, gpt-4o@20240806, GPT-4o",
            "openai, gpt-4o-mini, GPT-4o mini",
            "openai, gpt-4o-mini-latest, GPT-4o mini",
            "openai, gpt-4o-mini-2024-07-18, GPT-4o mini",
            // two dated snapshots share the canonical id: neither is guessed
            "openai, gpt-4-turbo, null",
            "openai, gpt-4-turbo-2024-04-09, GPT-4 Turbo (April)",
            // four digits are not stripped: they are not always dates
            "openai, gpt-3.5-turbo, null",
            "openai, gpt-3.5-turbo-0125, GPT-3.5 Turbo",
            "groq, llama3-8b, null",
            "groq, llama3-8b-8192, Llama 3 8B",
            "anthropic, claude-3-5-sonnet-20241022, Claude Sonnet 3.5 v2",
            "anthropic, claude-3-5-sonnet-latest, Claude Sonnet 3.5 v2",
            "anthropic, claude-3-5-sonnet@20241022, Claude Sonnet 3.5 v2",
            "google, models/gemini-1.5-pro, Gemini 1.5 Pro",
            "google, models/gemini-1.5-pro-latest, Gemini 1.5 Pro",
            "null, openai/gpt-4o, GPT-4o",
            "null, google/gemini-1.5-pro, Gemini 1.5 Pro",
            "null, gpt-4o, null",
            "null, /gpt-4o, null",
            "anthropic, gpt-4o, null",
            "nobody, gpt-4o, null",
    })
    void idsAreMatchedAsDocumented(String provider, String id, String expectedName) {
        Optional<String> name = CATALOG.find(provider, id).flatMap(f -> f.get(MetadataField.DISPLAY_NAME)).map(JsonNode::asText);
        assertThat(name).isEqualTo(Optional.ofNullable(expectedName));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "[] | expected the models.dev api.json shape, an object of providers by id, got array",
            "{\"openai\": 3} | provider \"openai\" must be an object with models, got number",
            "{\"openai\": {\"name\": \"OpenAI\"}} | provider \"openai\": models must be an object of models by id, got nothing",
            "{\"openai\": {\"models\": []}} | provider \"openai\": models must be an object of models by id, got array",
    })
    void aDocumentOfAnotherShapeIsRefusedNamingWhere(String document, String message) {
        assertThatThrownBy(() -> ModelsDevCatalog.parse(json(document)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void theStoredFormReadsBackEqual() {
        ModelsDevCatalog read = ModelsDevCatalog.fromJson(json(CATALOG.toJson().toString()));
        assertThat(read).isEqualTo(CATALOG);
        assertThat(read.find("openai", "gpt-4o-2024-08-06")).isEqualTo(CATALOG.find("openai", "gpt-4o"));
        assertThat(read.skipped()).isEqualTo(1);
    }

    @Test
    void aHundredThousandModelsAreLookedUpByIndex() {
        StringBuilder doc = new StringBuilder("{\"big\": {\"models\": {");
        for (int i = 0; i < 100_000; i++) {
            if (i > 0) doc.append(',');
            doc.append("\"model-").append(i).append("-2024-01-01\": {\"name\": \"M").append(i).append("\"}");
        }
        ModelsDevCatalog big = ModelsDevCatalog.parse(json(doc.append("}}}").toString()));
        long start = System.nanoTime();
        int found = 0;
        for (int i = 0; i < 100_000; i++) {
            if (big.find("big", "model-" + i + "-latest").isPresent()) found++;
        }
        long elapsed = System.nanoTime() - start;
        assertThat(found).isEqualTo(100_000);
        // a scan per lookup would take 10^10 steps; hash lookups finish in well under this even on a loaded machine
        assertThat(elapsed).isLessThan(5_000_000_000L);
    }
}
