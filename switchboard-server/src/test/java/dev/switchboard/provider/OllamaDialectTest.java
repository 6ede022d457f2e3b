package dev.switchboard.provider;

import dev.switchboard.config.ProviderKind;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

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

    /** Serves the recorded tags and show answers; nomic-embed-text was deleted between the two calls (404). */
    private void serveRecordedOllama() {
        upstream.onJson("/api/tags", fixture("ollama-tags.json"));
        upstream.on("/api/show", request -> switch (mapper.readTree(request.body()).path("model").asText()) {
            case "llava:13b" -> Reply.json(fixture("ollama-show-llava.json"));
            case "qwen3:8b" -> Reply.json(fixture("ollama-show-qwen3.json"));
            default -> Reply.json(404, "{\"error\":\"model 'nomic-embed-text:latest' not found\"}");
        });
    }

    @Test
    void factsFromTagsAndShow() throws Exception {
        serveRecordedOllama();

        var facts = factsById(dialect, dialect.listModels(provider(ProviderKind.OLLAMA, ""), client));

        assertThat(facts).containsExactly(
                Map.entry("llava:13b", facts("""
                        {"family":"llama","context_window":4096,"capabilities":["vision"],
                         "input_modalities":["text","image"],"output_modalities":["text"]}""")),
                // "insert" has no field; tools and thinking do.
                Map.entry("qwen3:8b", facts("""
                        {"family":"qwen3","context_window":40960,"capabilities":["tool_call","reasoning"],
                         "input_modalities":["text"],"output_modalities":["text"]}""")),
                // Deleted between the two calls: what the tags entry said, nothing more.
                Map.entry("nomic-embed-text:latest", facts("{\"family\":\"nomic-bert\"}")));
    }

    @Test
    void showIsPostedOncePerModelWithItsNameAndTheKey() throws Exception {
        serveRecordedOllama();

        dialect.listModels(provider(ProviderKind.OLLAMA, ""), client);

        var shows = upstream.requests("/api/show");
        assertThat(shows).extracting(FakeUpstream.RecordedRequest::method).containsOnly("POST");
        assertThat(shows).extracting(request -> mapper.readTree(request.body())).containsExactly(
                json("{\"model\":\"llava:13b\"}"), json("{\"model\":\"qwen3:8b\"}"),
                json("{\"model\":\"nomic-embed-text:latest\"}"));
        assertThat(shows).allSatisfy(request -> {
            assertThat(request.header("Content-Type")).contains("application/json");
            assertThat(request.header("Authorization")).contains("Bearer " + KEY);
        });
    }

    @Test
    void onlyASmallPartOfTheShowAnswerIsKept() throws Exception {
        serveRecordedOllama();

        var models = dialect.listModels(provider(ProviderKind.OLLAMA, ""), client);

        ObjectNode llava = (ObjectNode) json(fixture("ollama-tags.json")).get("models").get(0).deepCopy();
        llava.remove("id");
        llava.set("show", json("""
                {"capabilities":["completion","vision"],"context_length":4096,"family":"llama","parameter_size":"13B"}"""));
        assertThat(models.getFirst().metadata()).isEqualTo(llava);
        assertThat(models.getLast().metadata().has("show")).isFalse();
        assertThat(models.toString()).doesNotContain("LICENSE", "Modelfile", "[INST]", "tokenizer");
    }

    @Test
    void aShowThatFailsOtherwiseFailsTheFetch() {
        upstream.onJson("/api/tags", fixture("ollama-tags.json"));
        upstream.on("/api/show", request -> Reply.json(500, "{\"error\":\"llama runner process has terminated\"}"));

        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.OLLAMA, ""), client))
                .isInstanceOf(FetchException.class)
                .hasMessage("details of model \"llava:13b\": HTTP 500 from " + upstream.uri("/api/show")
                        + ": {\"error\":\"llama runner process has terminated\"}");
        assertThat(upstream.requestCount("/api/show")).isEqualTo(1);
    }

    @Test
    void aShowAnswerThatIsNotAnObjectFailsTheFetch() {
        upstream.onJson("/api/tags", fixture("ollama-tags.json"));
        upstream.onJson("/api/show", "[]");

        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.OLLAMA, ""), client))
                .hasMessage("details of model \"llava:13b\": malformed response: expected a JSON object, got an array");
    }

    @Test
    void noShowCallForATagsListOverTheCap() {
        serveRecordedOllama();

        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.OLLAMA, ""), client, 2))
                .hasMessageContaining("more than 2 models");
        assertThat(upstream.requestCount("/api/show")).isZero();
    }

    @Test
    void showCallsShareTheFetchDeadline() {
        upstream.onJson("/api/tags", fixture("ollama-tags.json"));
        upstream.on("/api/show", request -> Reply.hang());

        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.OLLAMA, ""),
                client.withDeadline(Instant.now().plusMillis(400))))
                .hasMessage("details of model \"llava:13b\": total deadline exceeded");
    }
}
