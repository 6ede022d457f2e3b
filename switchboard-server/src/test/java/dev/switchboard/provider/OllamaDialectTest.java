package dev.switchboard.provider;

import dev.switchboard.config.ProviderKind;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OllamaDialectTest extends DialectTestSupport {
    private final OllamaDialect dialect = new OllamaDialect();

    private static final String LLAMA = """
            {"name":"llama3:8b","model":"llama3:8b","modified_at":"2024-05-06T14:27:41.123456789-07:00",
             "size":4661224676,"digest":"365c0bd3c000a25d28ddbf732fe1c6add414de7275464c4e4d1c3b5fcb5d8ad1",
             "details":{"format":"gguf","family":"llama","parameter_size":"8.0B","quantization_level":"Q4_0"}}""";

    @Test
    void listsTheLocalTags() throws Exception {
        upstream.onJson("/api/tags", "{\"models\":[" + LLAMA + ",{\"name\":\"qwen2.5:7b\"}]}");

        var models = dialect.listModels(provider(ProviderKind.OLLAMA, ""), client);

        assertThat(ids(models)).containsExactly("llama3:8b", "qwen2.5:7b");
        assertThat(upstream.lastRequest("/api/tags").method()).isEqualTo("GET");
    }

    @Test
    void createdComesFromModifiedAtAndTheEntryIsKeptAsMetadata() throws Exception {
        upstream.onJson("/api/tags", "{\"models\":[" + LLAMA + "]}");

        var model = dialect.listModels(provider(ProviderKind.OLLAMA, ""), client).getFirst();

        assertThat(model.created()).isEqualTo(OffsetDateTime.parse("2024-05-06T14:27:41-07:00").toEpochSecond());
        assertThat(model.ownedBy()).isEmpty();
        assertThat(model.metadata()).isEqualTo(json(LLAMA));
    }

    @Test
    void missingModelsIsMalformed() {
        upstream.onJson("/api/tags", "{\"tags\":[]}");

        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.OLLAMA, ""), client))
                .hasMessage("malformed response: expected field \"models\" to be an array, it is missing");
    }

    @Test
    void entryWithoutNameIsMalformed() {
        upstream.onJson("/api/tags", "{\"models\":[{\"model\":\"x\"}]}");

        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.OLLAMA, ""), client))
                .hasMessage("malformed response: models[0] has no \"name\"");
    }
}
