package dev.switchboard.gateway;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.switchboard.testsupport.FakeUpstream;

import java.time.Duration;
import java.util.List;

/** What fake OpenAI-compatible upstreams answer in the gateway's tests, and an OpenAI client for the gateway. */
final class Upstreams {
    private Upstreams() {
    }

    /** A chat completion as OpenAI sends it, its text and id telling which upstream answered. */
    static String chatCompletion(String id, String model, String text) {
        return """
                {"id":"%s","object":"chat.completion","created":1700000000,"model":"%s","choices":[{"index":0,\
                "message":{"role":"assistant","content":"%s","refusal":null},"logprobs":null,"finish_reason":"stop"}],\
                "usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18}}""".formatted(id, model, text);
    }

    /** The data of a streamed chat completion: one chunk per word, a final chunk with usage, then [DONE]. */
    static List<String> chatChunks(String id, String model, String... words) {
        var chunks = new java.util.ArrayList<String>();
        for (String word : words) {
            chunks.add("""
                    {"id":"%s","object":"chat.completion.chunk","created":1700000000,"model":"%s","choices":[{"index":0,\
                    "delta":{"content":"%s"},"logprobs":null,"finish_reason":null}]}""".formatted(id, model, word));
        }
        chunks.add("""
                {"id":"%s","object":"chat.completion.chunk","created":1700000000,"model":"%s","choices":[{"index":0,\
                "delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":%d,\
                "total_tokens":%d}}""".formatted(id, model, words.length, 5 + words.length));
        chunks.add("[DONE]");
        return chunks;
    }

    static String embeddings(String model) {
        return """
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.25,-0.5,0.125]}],"model":"%s",\
                "usage":{"prompt_tokens":3,"total_tokens":3}}""".formatted(model);
    }

    /** Answers chat completions at {@code base + /chat/completions} with {@link #chatCompletion}. */
    static void answersChat(FakeUpstream upstream, String path, String id, String text) {
        upstream.on(path, request -> FakeUpstream.Reply.json(chatCompletion(id, "upstream-model", text)));
    }

    /** OpenAI's SDK pointed at the gateway, without its own retries so that every attempt is the gateway's. */
    static OpenAIClient client(int port, String key) {
        return OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + port + "/v1")
                .apiKey(key)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(20))
                .build();
    }
}
