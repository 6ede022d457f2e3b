package dev.switchboard.provider;

import dev.switchboard.config.ProviderKind;
import dev.switchboard.config.Secret;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GeminiDialectTest extends DialectTestSupport {
    private final GeminiDialect dialect = new GeminiDialect();

    private static String entry(String id) {
        return """
                {"name":"models/%s","version":"001","displayName":"%s","inputTokenLimit":1048576,
                 "supportedGenerationMethods":["generateContent","countTokens"]}""".formatted(id, id.toUpperCase());
    }

    @Test
    void followsNextPageTokenAcrossThreePagesWithTheKeyInTheQuery() throws Exception {
        upstream.on("/v1beta/models", request -> Reply.json(switch (request.query().getOrDefault("pageToken", "")) {
            case "" -> "{\"models\":[" + entry("gemini-2.5-pro") + "],\"nextPageToken\":\"tok/1+=\"}";
            case "tok/1+=" -> "{\"models\":[" + entry("gemini-2.5-flash") + "],\"nextPageToken\":\"tok2\"}";
            case "tok2" -> "{\"models\":[" + entry("embedding-001") + "]}";
            default -> "{\"error\":\"unexpected token\"}";
        }));

        var models = dialect.listModels(provider(ProviderKind.GEMINI, ""), client);

        assertThat(ids(models)).containsExactly("gemini-2.5-pro", "gemini-2.5-flash", "embedding-001");
        assertThat(upstream.requests("/v1beta/models")).extracting(FakeUpstream.RecordedRequest::query).containsExactly(
                Map.of("key", KEY, "pageSize", "1000"),
                Map.of("key", KEY, "pageSize", "1000", "pageToken", "tok/1+="),
                Map.of("key", KEY, "pageSize", "1000", "pageToken", "tok2"));
        assertThat(upstream.lastRequest("/v1beta/models").header("Authorization")).isEmpty();
    }

    @Test
    void idDropsTheResourcePrefixAndTheEntryIsKeptAsMetadata() throws Exception {
        upstream.onJson("/v1beta/models", "{\"models\":[" + entry("gemini-2.5-pro") + "]}");

        var model = dialect.listModels(provider(ProviderKind.GEMINI, ""), client).getFirst();

        assertThat(model.id()).isEqualTo("gemini-2.5-pro");
        assertThat(model.ownedBy()).isEqualTo("google");
        assertThat(model.metadata()).isEqualTo(json(entry("gemini-2.5-pro")));
    }

    @Test
    void anEmptyAnswerWithoutModelsIsAnEmptyList() throws Exception {
        upstream.onJson("/v1beta/models", "{}");

        assertThat(dialect.listModels(provider(ProviderKind.GEMINI, ""), client)).isEmpty();
    }

    @Test
    void sendsNoKeyParameterWithoutAKey() throws Exception {
        upstream.onJson("/v1beta/models", "{}");

        dialect.listModels(provider(ProviderKind.GEMINI, "").withApiKey(Secret.NONE), client);

        assertThat(upstream.lastRequest("/v1beta/models").query()).isEqualTo(Map.of("pageSize", "1000"));
    }

    @Test
    void aTokenThatRepeatsStopsThePagination() {
        upstream.onJson("/v1beta/models", "{\"models\":[" + entry("a") + "],\"nextPageToken\":\"same\"}");

        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.GEMINI, ""), client))
                .hasMessage("malformed response: pagination cursor repeated after page 2");
    }

    @Test
    void entryWithoutNameIsMalformed() {
        upstream.onJson("/v1beta/models", "{\"models\":[{\"displayName\":\"Gemini\"}]}");

        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.GEMINI, ""), client))
                .hasMessage("malformed response: models[0] has no \"name\"");
    }

    @Test
    void aRejectedKeyIsNeverQuotedEvenWhenTheUpstreamEchoesIt() {
        // Google echoes nothing this blatant, but proxies in front of it do.
        upstream.on("/v1beta/models", request -> Reply.json(400, """
                {"error":{"code":400,"message":"API key not valid: %s","url":"/v1beta/models?%s"}}"""
                .formatted(request.query().get("key"), request.rawQuery())));

        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.GEMINI, ""), client))
                .hasMessageStartingWith("HTTP 400 from " + upstream.baseUri() + "/v1beta/models: ")
                .hasMessageContaining("API key not valid: ***")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY).doesNotContain("key=").doesNotContain("pageSize"));
    }

    @Test
    void factsFromTheRecordedListing() throws Exception {
        upstream.onJson("/v1beta/models", fixture("gemini-models.json"));

        var facts = factsById(dialect, dialect.listModels(provider(ProviderKind.GEMINI, ""), client));

        assertThat(facts).containsExactly(
                Map.entry("gemini-2.5-pro", facts("""
                        {"display_name":"Gemini 2.5 Pro","context_window":1048576,"max_output_tokens":65536,
                         "capabilities":["reasoning"]}""")),
                Map.entry("gemini-2.0-flash", facts("""
                        {"display_name":"Gemini 2.0 Flash","context_window":1048576,"max_output_tokens":8192,
                         "capabilities":["streaming"]}""")),
                Map.entry("gemini-embedding-001", facts("""
                        {"display_name":"Gemini Embedding 001","context_window":2048,"max_output_tokens":1,
                         "capabilities":["embeddings"]}""")),
                // No methods list: no capability set, thinking or not; no output limit given, none claimed.
                Map.entry("aqa", facts("""
                        {"display_name":"Model that performs Attributed Question Answering.","context_window":7168}""")));
    }
}
