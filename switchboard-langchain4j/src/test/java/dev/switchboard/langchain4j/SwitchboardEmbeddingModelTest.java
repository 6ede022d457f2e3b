package dev.switchboard.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.switchboard.client.Switchboard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The embedding model against a real Switchboard server and a fake provider over real HTTP. */
class SwitchboardEmbeddingModelTest {
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

    @Test
    void anEmbeddingComesFromTheConfiguredModelWithItsParamsAndFollowsASwitch() {
        server.put("embedder", "local", "small", "{\"dimensions\":2,\"user\":\"team-a\"}");
        try (SwitchboardEmbeddingModel embedder = models.embeddingModel("embedder")) {
            Embedding embedding = embedder.embed("some text").content();
            assertThat(embedding.vector()).containsExactly(0.6f, 0.8f);
            FakeOpenAi.Call call = upstream.lastCall();
            assertThat(call.path()).isEqualTo("/v1/embeddings");
            assertThat(call.model()).isEqualTo("small");
            assertThat(call.authorization()).isEqualTo("Bearer sk-local");
            assertThat(call.body()).contains("\"dimensions\":2", "\"user\":\"team-a\"");
            assertThat(embedder.modelName()).isEqualTo("small");

            server.put("embedder", "local", "large", "{}");
            await().atMost(WAIT).until(() -> embedder.currentConfig().model().equals("large"));
            assertThat(embedder.embed("some text").content().dimension()).isEqualTo(3);
            assertThat(upstream.lastCall().model()).isEqualTo("large");
            assertThat(upstream.lastCall().body()).doesNotContain("dimensions");
        }
    }

    @Test
    void aDeletedAliasFailsWithAnErrorNamingIt() {
        server.put("embedder", "local", "small", "{}");
        try (SwitchboardEmbeddingModel embedder = models.embeddingModel("embedder")) {
            assertThat(embedder.currentConfig().version()).isEqualTo(1);
            server.delete("embedder");
            await().atMost(WAIT).untilAsserted(() -> assertThatThrownBy(() -> embedder.embed("some text"))
                    .isInstanceOf(AliasNotConfiguredException.class)
                    .hasMessageStartingWith("model configuration \"embedder\" is not configured: it was deleted"));
        }
    }
}
