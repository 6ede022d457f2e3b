package dev.switchboard.provider;

import dev.switchboard.metadata.ModelFacts;
import dev.switchboard.config.ProviderKind;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenAiDialectTest extends DialectTestSupport {
    private final OpenAiDialect dialect = new OpenAiDialect();

    @Test
    void getsModelsWithBearerAuth() throws Exception {
        upstream.onJson("/v1/models", """
                {"object":"list","data":[{"id":"gpt-5","object":"model","created":1754000000,"owned_by":"openai"}]}""");

        var models = dialect.listModels(provider(ProviderKind.OPENAI, "/v1"), client);

        assertThat(models).containsExactly(new Model("gpt-5", 1754000000, "openai", json("{\"object\":\"model\"}")));
        var request = upstream.lastRequest("/v1/models");
        assertThat(request.rawQuery()).isNull();
        assertThat(request.header("Authorization")).contains("Bearer " + KEY);
    }

    @Test
    void keepsEveryOtherFieldAsMetadata() throws Exception {
        upstream.onJson("/v1/models", """
                {"data":[{"id":"llama","created":1,"owned_by":"vllm","root":"/models/llama","max_model_len":8192,
                          "permission":[{"allow_sampling":true}]}]}""");

        var model = dialect.listModels(provider(ProviderKind.OPENAI, "/v1"), client).getFirst();

        assertThat(model.metadata()).isEqualTo(json("""
                {"root":"/models/llama","max_model_len":8192,"permission":[{"allow_sampling":true}]}"""));
    }

    @Test
    void acceptsCompatiblesThatOmitObjectCreatedAndOwnedBy() throws Exception {
        upstream.onJson("/v1/models", "{\"data\":[{\"id\":\"qwen2.5-7b-instruct\"}]}");

        var models = dialect.listModels(provider(ProviderKind.OPENAI, "/v1"), client);

        assertThat(models).containsExactly(new Model("qwen2.5-7b-instruct", 0, "", json("{}")));
    }

    @Test
    void acceptsTheBareArrayTogetherReturns() throws Exception {
        upstream.onJson("/v1/models", """
                [{"id":"meta-llama/Llama-3-8b-chat-hf","object":"model","created":1692896905,"type":"chat",
                  "organization":"Meta","context_length":8192}]""");

        var model = dialect.listModels(provider(ProviderKind.OPENAI, "/v1"), client).getFirst();

        assertThat(model.id()).isEqualTo("meta-llama/Llama-3-8b-chat-hf");
        assertThat(model.metadata().path("context_length").asInt()).isEqualTo(8192);
    }

    @Test
    void keepsTheFirstOfDuplicateIds() throws Exception {
        upstream.onJson("/v1/models", """
                {"data":[{"id":"a","owned_by":"first"},{"id":"b"},{"id":"a","owned_by":"second"}]}""");

        var models = dialect.listModels(provider(ProviderKind.OPENAI, "/v1"), client);

        assertThat(ids(models)).containsExactly("a", "b");
        assertThat(models.getFirst().ownedBy()).isEqualTo("first");
    }

    @Test
    void oddlyTypedCreatedStaysInTheMetadata() throws Exception {
        upstream.onJson("/v1/models", "{\"data\":[{\"id\":\"a\",\"created\":\"yesterday\"}]}");

        var model = dialect.listModels(provider(ProviderKind.OPENAI, "/v1"), client).getFirst();

        assertThat(model.created()).isZero();
        assertThat(model.metadata()).isEqualTo(json("{\"created\":\"yesterday\"}"));
    }

    @Test
    void sendsNoAuthorizationWithoutAKeyAndCopesWithATrailingSlash() throws Exception {
        upstream.onJson("/v1/models", "{\"data\":[]}");
        var keyless = ProviderConfig.of("local", ProviderKind.OPENAI, upstream.uri("/v1/")).withApiKey(Secret.NONE);

        assertThat(dialect.listModels(keyless, client)).isEmpty();
        assertThat(upstream.lastRequest("/v1/models").header("Authorization")).isEmpty();
    }

    @Test
    void keepsAQueryThatIsPartOfTheBaseUrl() throws Exception {
        upstream.onJson("/openai/models", "{\"data\":[]}");
        var azure = ProviderConfig.of("azure", ProviderKind.OPENAI, upstream.uri("/openai?api-version=2024-10-21"));

        dialect.listModels(azure, client);

        assertThat(upstream.lastRequest("/openai/models").rawQuery()).isEqualTo("api-version=2024-10-21");
    }

    @Test
    void sendsTheConfiguredHeaders() throws Exception {
        upstream.onJson("/v1/models", "{\"data\":[]}");
        var provider = provider(ProviderKind.OPENAI, "/v1").withHeaders(Map.of("OpenAI-Organization", "org-42"));

        dialect.listModels(provider, client);

        assertThat(upstream.lastRequest("/v1/models").header("OpenAI-Organization")).contains("org-42");
        assertThat(upstream.lastRequest("/v1/models").header("Authorization")).contains("Bearer " + KEY);
    }

    @Test
    void dataThatIsNotAnArrayIsMalformed() {
        upstream.onJson("/v1/models", "{\"object\":\"list\",\"data\":{\"id\":\"a\"}}");

        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.OPENAI, "/v1"), client))
                .isInstanceOf(FetchException.class)
                .hasMessage("malformed response: expected field \"data\" to be an array");
    }

    @Test
    void missingDataIsMalformed() {
        upstream.onJson("/v1/models", "{\"error\":\"nope\"}");

        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.OPENAI, "/v1"), client))
                .hasMessage("malformed response: expected field \"data\" to be an array, it is missing");
    }

    @Test
    void entryWithoutUsableIdIsMalformed() {
        upstream.on("/v1/models", request -> Reply.json("{\"data\":[{\"id\":\"a\"},{\"object\":\"model\"}]}"));
        upstream.on("/v2/models", request -> Reply.json("{\"data\":[{\"id\":\"  \"}]}"));
        upstream.on("/v3/models", request -> Reply.json("{\"data\":[{\"id\":7}]}"));
        upstream.on("/v4/models", request -> Reply.json("{\"data\":[\"a\"]}"));

        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.OPENAI, "/v1"), client))
                .hasMessage("malformed response: data[1] has no \"id\"");
        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.OPENAI, "/v2"), client))
                .hasMessage("malformed response: data[0] has a blank \"id\"");
        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.OPENAI, "/v3"), client))
                .hasMessage("malformed response: expected data[0].id to be a string, got a number");
        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.OPENAI, "/v4"), client))
                .hasMessage("malformed response: expected data[0] to be an object, got a string");
    }

    @Test
    void bodyThatIsNeitherObjectNorArrayIsMalformed() {
        upstream.onJson("/v1/models", "\"hello\"");

        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.OPENAI, "/v1"), client))
                .hasMessageStartingWith("malformed response: expected a JSON object with a \"data\" array");
    }

    @Test
    void theListingGivesNoFacts() throws Exception {
        upstream.onJson("/v1/models", fixture("openai-models.json"));

        var models = dialect.listModels(provider(ProviderKind.OPENAI, "/v1"), client);

        assertThat(ids(models)).hasSize(2);
        assertThat(models).allSatisfy(model -> assertThat(dialect.facts(model)).isEqualTo(ModelFacts.EMPTY));
    }
}
