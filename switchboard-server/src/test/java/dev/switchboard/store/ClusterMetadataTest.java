package dev.switchboard.store;

import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.MetadataSourceConfig;
import dev.switchboard.config.StoreConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 15 on PostgreSQL: a metadata catalog stored by one instance enriches the same models on every instance. */
class ClusterMetadataTest {
    static final Duration SOON = Duration.ofSeconds(10);
    static final String CATALOG = """
            {"openai": {"id": "openai", "models": {"gpt-4o": {"id": "gpt-4o", "name": "GPT-4o", "limit": {"context": %d}}}}}""";

    @TempDir
    Path dir;
    Path catalogFile;
    PostgresCluster cluster;
    FakeUpstream upstream;

    @BeforeEach
    void start() throws Exception {
        cluster = new PostgresCluster();
        upstream = FakeUpstream.start();
        upstream.onJson("/v1/models", openAiList("gpt-4o"));
        catalogFile = dir.resolve("models-dev.json");
        Files.writeString(catalogFile, CATALOG.formatted(128_000));
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
        upstream.close();
    }

    private SwitchboardConfig config(Path subdir) {
        return TestConfigs.embedded(subdir, List.of(TestConfigs.openai("p", upstream.uri("/v1"))))
                .withStore(cluster.schema.store(StoreConfig.DEFAULT_WRITE_TIMEOUT))
                .withMetadataSources(List.of(MetadataSourceConfig.modelsDev("models-dev", catalogFile.toUri())));
    }

    private static long contextWindow(TestHttp http) {
        return http.get("/v1/models/p/gpt-4o").json().path("switchboard").path("normalized").path("context_window").asLong();
    }

    @Test
    void aCatalogRefreshedOnOneInstanceShowsOnTheOtherWithItsEvent() throws Exception {
        Switchboard a = cluster.instance(config(dir.resolve("a")));
        Switchboard b = cluster.instance(config(dir.resolve("b")));
        TestHttp httpA = cluster.http(a);
        TestHttp httpB = cluster.http(b);
        assertThat(httpA.post("/api/v1/metadata-sources/models-dev:refresh").status()).isEqualTo(200);
        httpA.post("/api/v1/providers:refresh");
        await().atMost(SOON).until(() -> contextWindow(httpB) == 128_000);

        Files.writeString(catalogFile, CATALOG.formatted(256_000));
        assertThat(httpA.post("/api/v1/metadata-sources/models-dev:refresh").status()).isEqualTo(200);

        assertThat(contextWindow(httpA)).isEqualTo(256_000);
        await().atMost(SOON).until(() -> contextWindow(httpB) == 256_000);
        assertThat(httpB.get("/v1/models/p/gpt-4o").json().path("switchboard").path("sources").path("context_window").asText())
                .isEqualTo("catalog:models-dev");
        await().atMost(SOON).until(() -> a.bus().revision() == b.bus().revision());
    }
}
