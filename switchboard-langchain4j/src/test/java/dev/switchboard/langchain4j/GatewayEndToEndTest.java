package dev.switchboard.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.switchboard.client.LiveModel;
import dev.switchboard.client.Switchboard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Gateway mode against the real gateway: the models call {@code {switchboard}/v1} with the alias, and Switchboard
 * forwards to the fake provider (a static provider whose {@code api_base_url} is the fake) with the target's model
 * and the configuration's params.
 */
class GatewayEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @TempDir
    Path dir;
    private FakeOpenAi upstream;
    private RealSwitchboard server;
    private Switchboard sb;
    private SwitchboardModels models;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeOpenAi();
        server = RealSwitchboard.start(dir, """

                [[providers]]
                id = "served"
                kind = "static"
                models = ["small", "large"]
                api_base_url = "%s"
                """.formatted(upstream.baseUrl()));
        sb = Switchboard.connect(server.uri(), null);
        models = SwitchboardModels.builder(sb).gateway(server.uri(), null).build();
    }

    @AfterEach
    void stop() {
        sb.close();
        server.close();
        upstream.close();
    }

    @Test
    void aCallThroughTheGatewayReachesTheTargetWithTheConfigurationsParams() {
        server.put("planner", "served", "small", "{\"temperature\":0.2}");
        try (SwitchboardChatModel planner = models.chatModel("planner")) {
            assertThat(planner.chat("hello")).isEqualTo("answer from small");
            FakeOpenAi.Call call = upstream.lastCall();
            assertThat(call.path()).isEqualTo("/v1/chat/completions");
            assertThat(call.model()).isEqualTo("small");
            assertThat(call.body()).contains("\"temperature\":0.2");
        }
    }

    @Test
    void everyCallOfALoopThroughTheGatewaySucceedsAcrossALiveSwitch() throws Exception {
        server.put("planner", "served", "small", "{}");
        try (LiveModel live = sb.model("planner"); SwitchboardChatModel planner = models.chatModel(live)) {
            assertThat(planner.chat("warm up")).isEqualTo("answer from small");
            List<String> answers = new CopyOnWriteArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Void> loop = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 2_000 && !stop.get(); i++) {
                    try {
                        answers.add(planner.chat("call " + i));
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            });
            await().atMost(WAIT).until(() -> answers.size() >= 20);
            server.put("planner", "served", "large", "{}");
            await().atMost(WAIT).until(() -> planner.currentConfig().version() == 2);
            int afterSwitch = answers.size();
            await().atMost(WAIT).until(() -> answers.size() >= afterSwitch + 20);
            stop.set(true);
            loop.get(30, TimeUnit.SECONDS);

            assertThat(failures).isEmpty();
            int firstLarge = answers.indexOf("answer from large");
            assertThat(answers.subList(0, firstLarge)).containsOnly("answer from small");
            assertThat(answers.subList(firstLarge, answers.size())).containsOnly("answer from large");
        }
    }

    @Test
    void streamsAndEmbeddingsGoThroughTheGatewayAndADeletedAliasFailsLocally() throws Exception {
        server.put("planner", "served", "small", "{}");
        try (SwitchboardStreamingChatModel streaming = models.streamingChatModel("planner");
             SwitchboardEmbeddingModel embedding = models.embeddingModel("planner");
             SwitchboardChatModel chat = models.chatModel("planner")) {
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
            assertThat(done.get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("answer from small");
            assertThat(upstream.lastCall().streamed()).isTrue();
            assertThat(embedding.embed("text").content().dimension()).isEqualTo(2);
            assertThat(upstream.lastCall().path()).isEqualTo("/v1/embeddings");

            assertThat(chat.chat("hello")).isEqualTo("answer from small");
            int calls = upstream.calls().size();
            server.delete("planner");
            await().atMost(WAIT).untilAsserted(() -> assertThatThrownBy(() -> chat.chat("hello"))
                    .isInstanceOf(AliasNotConfiguredException.class).hasMessageContaining("\"planner\" is not configured"));
            assertThat(upstream.calls()).hasSize(calls);
        }
    }
}
