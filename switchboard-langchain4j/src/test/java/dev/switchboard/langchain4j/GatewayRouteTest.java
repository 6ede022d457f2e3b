package dev.switchboard.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.switchboard.client.Switchboard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gateway mode: what the models send to {@code {switchboard}/v1}. A fake stands in for the gateway (an
 * OpenAI-compatible endpoint, as the gateway is) so the test sees each request as it leaves the adapter; the alias
 * itself is followed on a real Switchboard server.
 */
class GatewayRouteTest {
    @TempDir
    Path dir;
    private FakeOpenAi gateway;
    private RealSwitchboard server;
    private Switchboard sb;

    @BeforeEach
    void start() throws Exception {
        gateway = new FakeOpenAi();
        server = RealSwitchboard.start(dir);
        sb = Switchboard.connect(server.uri(), null);
    }

    @AfterEach
    void stop() {
        sb.close();
        server.close();
        gateway.close();
    }

    private SwitchboardModels through(String url) {
        return SwitchboardModels.builder(sb).gateway(URI.create(url), "sbk_caller").build();
    }

    @Test
    void aChatCallNamesTheAliasWithTheSwitchboardKeyAndLeavesTheParamsToTheGateway() {
        server.put("planner", "local", "small", "{\"temperature\":0.2,\"max_tokens\":50}");
        try (SwitchboardChatModel planner = through("http://127.0.0.1:" + gateway.port()).chatModel("planner")) {
            assertThat(planner.chat("hello")).isEqualTo("answer from planner");
            FakeOpenAi.Call call = gateway.lastCall();
            assertThat(call.path()).isEqualTo("/v1/chat/completions");
            assertThat(call.model()).isEqualTo("planner");
            assertThat(call.authorization()).isEqualTo("Bearer sbk_caller");
            // the gateway applies the version it resolves per call; a value sent from here would override it
            assertThat(call.body()).doesNotContain("temperature", "max_tokens");
            assertThat(planner.currentConfig().model()).isEqualTo("small");
        }
    }

    @Test
    void aPathInTheSwitchboardUrlIsKeptBeforeV1ForEveryKindOfModel() throws Exception {
        server.put("planner", "local", "small", "{}");
        SwitchboardModels models = through("http://127.0.0.1:" + gateway.port() + "/switchboard/");
        try (SwitchboardStreamingChatModel streaming = models.streamingChatModel("planner");
             SwitchboardEmbeddingModel embedding = models.embeddingModel("planner")) {
            CompletableFuture<ChatResponse> done = new CompletableFuture<>();
            streaming.chat("hello", new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String partialResponse) {
                }

                @Override
                public void onCompleteResponse(ChatResponse completeResponse) {
                    done.complete(completeResponse);
                }

                @Override
                public void onError(Throwable error) {
                    done.completeExceptionally(error);
                }
            });
            assertThat(done.get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("answer from planner");
            assertThat(gateway.lastCall().path()).isEqualTo("/switchboard/v1/chat/completions");
            assertThat(gateway.lastCall().streamed()).isTrue();

            embedding.embed("text");
            assertThat(gateway.lastCall().path()).isEqualTo("/switchboard/v1/embeddings");
            assertThat(gateway.lastCall().model()).isEqualTo("planner");
            assertThat(gateway.lastCall().authorization()).isEqualTo("Bearer sbk_caller");
        }
    }
}
