package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.Secret;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, first "must hold": OpenAI's own Java SDK calls an alias through Switchboard — a chat completion, a
 * streamed one, embeddings — against a fake upstream over real HTTP, and gets exactly the upstream's answer. On
 * the way the model is rewritten to the provider's id, the configuration's params are applied (defaults unless
 * fixed) and the provider's credential replaces the caller's.
 */
class OpenAiSdkThroughGatewayTest {
    static final String UPSTREAM_KEY = "sk-upstream-SECRET-0123456789";
    static final String CALLER_KEY = "sk-caller-key-not-for-upstreams";
    final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dir;
    FakeUpstream upstream;
    Switchboard switchboard;
    TestHttp http;
    OpenAIClient openai;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start();
        upstream.onJson("/v1/models", openAiList("gpt-5", "text-embedding-3-small"));
        switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of(
                TestConfigs.openai("openai", upstream.uri("/v1")).withApiKey(Secret.literal(UPSTREAM_KEY))))).serve();
        http = new TestHttp(switchboard.port());
        http.post("/api/v1/providers:refresh");
        assertThat(http.json("POST", "/api/v1/model-configs", """
                {"alias":"planner","provider":"openai","model":"gpt-5",
                 "params":{"temperature":0.2,"max_completion_tokens":100},"fixed_params":["max_completion_tokens"]}""").status())
                .isEqualTo(201);
        assertThat(http.json("POST", "/api/v1/model-configs", """
                {"alias":"embedder","provider":"openai","model":"text-embedding-3-small"}""").status()).isEqualTo(201);
        openai = Upstreams.client(switchboard.port(), CALLER_KEY);
    }

    @AfterEach
    void stop() {
        openai.close();
        http.close();
        switchboard.close();
        upstream.close();
    }

    private static ChatCompletionCreateParams chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello").maxCompletionTokens(5000L).build();
    }

    @Test
    void aChatCompletionThroughAnAliasIsExactlyTheUpstreamsAnswer() throws Exception {
        String body = Upstreams.chatCompletion("chatcmpl-1", "gpt-5-2025-08-07", "Hello from upstream");
        upstream.on("/v1/chat/completions", request -> Reply.json(body));

        ChatCompletion completion = openai.chat().completions().create(chat("planner"));
        try (HttpResponseFor<ChatCompletion> raw = openai.chat().completions().withRawResponse().create(chat("planner"))) {
            assertThat(new String(raw.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(body);
            assertThat(raw.headers().values("X-Switchboard-Target")).containsExactly("openai/gpt-5");
            assertThat(raw.headers().values("X-Switchboard-Attempts")).containsExactly("1");
        }

        assertThat(completion.id()).isEqualTo("chatcmpl-1");
        assertThat(completion.model()).isEqualTo("gpt-5-2025-08-07");
        assertThat(completion.choices().getFirst().message().content()).contains("Hello from upstream");
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(18);
    }

    @Test
    void theUpstreamGetsItsOwnModelIdTheParamsAndTheProvidersCredentialOnly() throws Exception {
        upstream.on("/v1/chat/completions", request -> Reply.json(Upstreams.chatCompletion("c", "gpt-5", "hi")));

        openai.chat().completions().create(chat("planner"));

        FakeUpstream.RecordedRequest sent = upstream.lastRequest("/v1/chat/completions");
        JsonNode json = mapper.readTree(sent.body());
        assertThat(json.path("model").asText()).isEqualTo("gpt-5");
        assertThat(json.path("temperature").asDouble()).as("a default the request did not set").isEqualTo(0.2);
        assertThat(json.path("max_completion_tokens").asInt()).as("fixed: the request's 5000 does not win").isEqualTo(100);
        assertThat(json.path("messages").get(0).path("content").asText()).isEqualTo("Say hello");
        assertThat(sent.header("Authorization")).contains("Bearer " + UPSTREAM_KEY);
        assertThat(sent.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(sent.headers().toString()).doesNotContain(CALLER_KEY);
        assertThat(sent.headers().keySet()).noneMatch(name -> name.toLowerCase().startsWith("x-stainless"));
    }

    @Test
    void aParamTheRequestSetsWinsOverTheConfigurationsDefault() throws Exception {
        upstream.on("/v1/chat/completions", request -> Reply.json(Upstreams.chatCompletion("c", "gpt-5", "hi")));

        openai.chat().completions().create(chat("planner").toBuilder().temperature(0.9).build());

        JsonNode json = mapper.readTree(upstream.lastRequest("/v1/chat/completions").body());
        assertThat(json.path("temperature").asDouble()).isEqualTo(0.9);
    }

    @Test
    void aStreamedChatCompletionPassesThroughChunkByChunk() {
        List<String> chunks = Upstreams.chatChunks("chatcmpl-s", "gpt-5", "Hello", " streamed", " world");
        upstream.on("/v1/chat/completions", request -> Reply.sse(chunks, Duration.ofMillis(20)));

        List<ChatCompletionChunk> received;
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(chat("planner"))) {
            received = stream.stream().toList();
        }

        assertThat(received).hasSize(4).allSatisfy(chunk -> assertThat(chunk.id()).isEqualTo("chatcmpl-s"));
        assertThat(received.stream().flatMap(chunk -> chunk.choices().stream())
                .map(choice -> choice.delta().content().orElse("")).collect(Collectors.joining())).isEqualTo("Hello streamed world");
        assertThat(received.getLast().usage().orElseThrow().completionTokens()).isEqualTo(3);
        JsonNode sent = readJson(upstream.lastRequest("/v1/chat/completions").body());
        assertThat(sent.path("stream").asBoolean()).isTrue();
    }

    @Test
    void aStreamArrivesByteForByteWithItsEventStreamType() {
        List<String> chunks = Upstreams.chatChunks("chatcmpl-s", "gpt-5", "a", "b");
        upstream.on("/v1/chat/completions", request -> Reply.sse(chunks, Duration.ofMillis(5)));

        TestHttp.Response response = http.json("POST", "/v1/chat/completions",
                "{\"model\":\"planner\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/event-stream");
        assertThat(response.text()).isEqualTo(chunks.stream().map(data -> "data: " + data + "\n\n").collect(Collectors.joining()));
    }

    @Test
    void embeddingsThroughAnAlias() throws Exception {
        upstream.on("/v1/embeddings", request -> Reply.json(Upstreams.embeddings("text-embedding-3-small")));

        CreateEmbeddingResponse embeddings = openai.embeddings().create(EmbeddingCreateParams.builder()
                .model("embedder").input("hello").encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());

        assertThat(embeddings.data().getFirst().embedding()).containsExactly(0.25f, -0.5f, 0.125f);
        assertThat(embeddings.model()).isEqualTo("text-embedding-3-small");
        JsonNode sent = mapper.readTree(upstream.lastRequest("/v1/embeddings").body());
        assertThat(sent.path("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(sent.path("input").asText()).isEqualTo("hello");
    }

    @Test
    void aCatalogIdIsCalledAsItIsWithoutAnyParams() throws Exception {
        upstream.on("/v1/chat/completions", request -> Reply.json(Upstreams.chatCompletion("c", "gpt-5", "direct")));

        ChatCompletion completion = openai.chat().completions().create(
                ChatCompletionCreateParams.builder().model("openai/gpt-5").addUserMessage("hi").build());

        assertThat(completion.choices().getFirst().message().content()).contains("direct");
        JsonNode sent = mapper.readTree(upstream.lastRequest("/v1/chat/completions").body());
        assertThat(sent.path("model").asText()).isEqualTo("gpt-5");
        assertThat(sent.has("temperature")).isFalse();
    }

    @Test
    void aLargeBodyArrivesWholeWithItsModelRewritten() throws Exception {
        upstream.on("/v1/chat/completions", request -> Reply.json(Upstreams.chatCompletion("c", "gpt-5", "big")));
        String content = "x".repeat(Gateway.INLINE_JSON_BYTES + 1024); // read and written on a worker

        ChatCompletion completion = openai.chat().completions().create(
                ChatCompletionCreateParams.builder().model("planner").addUserMessage(content).build());

        assertThat(completion.choices().getFirst().message().content()).contains("big");
        JsonNode sent = mapper.readTree(upstream.lastRequest("/v1/chat/completions").body());
        assertThat(sent.path("model").asText()).isEqualTo("gpt-5");
        assertThat(sent.path("messages").get(0).path("content").asText()).isEqualTo(content);
    }

    @Test
    void tokensFromTheAnswersUsageAreCountedPerAliasAndProvider() {
        upstream.on("/v1/chat/completions", request -> Reply.json(Upstreams.chatCompletion("c", "gpt-5", "hi")));

        openai.chat().completions().create(chat("planner"));
        openai.chat().completions().create(chat("planner"));

        String metrics = http.get("/metrics").text();
        assertThat(metrics).contains("switchboard_gateway_tokens_total{alias=\"planner\",provider=\"openai\",type=\"prompt\"} 22.0");
        assertThat(metrics).contains("switchboard_gateway_tokens_total{alias=\"planner\",provider=\"openai\",type=\"completion\"} 14.0");
        assertThat(metrics).contains("switchboard_gateway_requests_total{alias=\"planner\",outcome=\"answered\",provider=\"openai\"} 2.0");
        assertThat(metrics).contains("switchboard_gateway_first_byte_seconds_count{alias=\"planner\",provider=\"openai\"} 2");
    }

    @Test
    void theUsageAtTheEndOfALongStreamIsCounted() {
        String[] words = new String[400]; // some 60 KB of events before the one with usage
        java.util.Arrays.fill(words, "word ");
        upstream.on("/v1/chat/completions", request -> Reply.sse(Upstreams.chatChunks("s", "gpt-5", words), Duration.ZERO));

        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(chat("planner"))) {
            assertThat(stream.stream().count()).isEqualTo(401);
        }

        assertThat(http.get("/metrics").text())
                .contains("switchboard_gateway_tokens_total{alias=\"planner\",provider=\"openai\",type=\"completion\"} 400.0");
    }

    private JsonNode readJson(byte[] body) {
        try {
            return mapper.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
