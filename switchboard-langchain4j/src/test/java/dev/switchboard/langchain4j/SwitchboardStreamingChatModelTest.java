package dev.switchboard.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The streaming chat model against a real Switchboard server and a fake provider streaming over real HTTP. */
class SwitchboardStreamingChatModelTest {
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
        server = RealSwitchboard.start(dir);
        sb = Switchboard.connect(server.uri(), null);
        models = SwitchboardModels.builder(sb).directly(provider -> ProviderEndpoint.of(upstream.baseUrl(), "sk-local")).build();
    }

    @AfterEach
    void stop() {
        sb.close();
        server.close();
        upstream.close();
    }

    /** What one streamed call delivered: its pieces and how it ended. */
    private static final class Collected implements StreamingChatResponseHandler {
        final List<String> partials = new CopyOnWriteArrayList<>();
        final CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        @Override
        public void onPartialResponse(String partialResponse) {
            partials.add(partialResponse);
        }

        @Override
        public void onCompleteResponse(ChatResponse completeResponse) {
            done.complete(completeResponse);
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }
    }

    @Test
    void aStreamComesFromTheConfiguredModelWithItsParams() throws Exception {
        server.put("writer", "local", "small", "{\"temperature\":0.7}");
        try (SwitchboardStreamingChatModel writer = models.streamingChatModel("writer")) {
            Collected collected = new Collected();
            writer.chat("write", collected);

            assertThat(collected.done.get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("answer from small");
            assertThat(collected.partials).containsExactly("answer ", "from small");
            FakeOpenAi.Call call = upstream.lastCall();
            assertThat(call.streamed()).isTrue();
            assertThat(call.model()).isEqualTo("small");
            assertThat(call.authorization()).isEqualTo("Bearer sk-local");
            assertThat(call.body()).contains("\"temperature\":0.7");
            assertThat(writer.currentConfig().model()).isEqualTo("small");
        }
    }

    @Test
    void aStreamInFlightFinishesOnItsModelWhileTheNextStreamComesFromTheNewOne() throws Exception {
        server.put("writer", "local", "small", "{}");
        try (SwitchboardStreamingChatModel writer = models.streamingChatModel("writer")) {
            assertThat(writer.currentConfig().model()).isEqualTo("small");
            FakeOpenAi.Hold held = upstream.hold("small");
            Collected inFlight = new Collected();
            writer.chat("slow", inFlight);
            assertThat(held.awaitArrival()).isTrue();

            server.put("writer", "local", "large", "{}");
            await().atMost(WAIT).until(() -> writer.currentConfig().model().equals("large"));
            Collected next = new Collected();
            writer.chat("next", next);
            assertThat(next.done.get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("answer from large");

            held.release();
            assertThat(inFlight.done.get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("answer from small");
        }
    }

    @Test
    void aStreamOfADeletedAliasEndsInTheHandlersOnErrorWithAnErrorNamingIt() {
        server.put("writer", "local", "small", "{}");
        try (SwitchboardStreamingChatModel writer = models.streamingChatModel("writer")) {
            assertThat(writer.currentConfig().version()).isEqualTo(1);
            server.delete("writer");
            await().atMost(WAIT).untilAsserted(() -> {
                Collected collected = new Collected();
                writer.chat("write", collected);
                assertThat(collected.done).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                        .havingCause().isInstanceOf(AliasNotConfiguredException.class)
                        .withMessage("model configuration \"writer\" is not configured: it was deleted on Switchboard "
                                + "(its last version was 1, local/small); calls fail until it is created again");
            });
            assertThat(upstream.calls()).isEmpty();
        }
    }
}
