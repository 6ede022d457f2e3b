package dev.switchboard.catalog;

import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/** Snapshots are persisted: a restart serves the last-known-good catalog before any upstream answers. */
class RestartTest {
    @TempDir
    Path dir;

    @Test
    void aRestartWithEveryUpstreamDownServesThePersistedCatalog() throws Exception {
        SwitchboardConfig config;
        try (FakeUpstream a = FakeUpstream.start(); FakeUpstream b = FakeUpstream.start()) {
            a.onJson("/v1/models", openAiList("a1", "a2"));
            b.onJson("/v1/models", openAiList("b1"));
            config = TestConfigs.embedded(dir, List.of(TestConfigs.openai("a", a.uri("/v1")), TestConfigs.openai("b", b.uri("/v1"))));
            try (Switchboard first = Switchboard.open(config).serve(); TestHttp http = new TestHttp(first.port())) {
                http.post("/api/v1/providers:refresh");
            }
        } // both upstreams are gone from here on

        config = config.withCatalog(config.catalog().withRefreshOnStart(true));
        try (Switchboard second = Switchboard.open(config).serve(); TestHttp http = new TestHttp(second.port())) {
            TestHttp.Response models = http.get("/v1/models");
            assertThat(models.status()).isEqualTo(200);
            assertThat(models.json().findValuesAsText("id")).containsExactly("a/a1", "a/a2", "b/b1");
            assertThat(models.revision()).isPositive();
            // the refresh on start fails against the dead upstreams and keeps everything
            org.awaitility.Awaitility.await().until(() -> http.get("/api/v1/providers/a").json().path("status").asText().equals("error"));
            assertThat(http.get("/v1/models").json().findValuesAsText("id")).containsExactly("a/a1", "a/a2", "b/b1");
        }
    }

    @Test
    void aProviderRemovedFromTheConfigDisappearsOnRestartAndItsSnapshotIsPruned() throws Exception {
        try (FakeUpstream a = FakeUpstream.start(); FakeUpstream b = FakeUpstream.start()) {
            a.onJson("/v1/models", openAiList("a1"));
            b.onJson("/v1/models", openAiList("b1"));
            SwitchboardConfig both = TestConfigs.embedded(dir, List.of(TestConfigs.openai("a", a.uri("/v1")), TestConfigs.openai("b", b.uri("/v1"))));
            long revisionBefore;
            try (Switchboard first = Switchboard.open(both).serve(); TestHttp http = new TestHttp(first.port())) {
                revisionBefore = http.post("/api/v1/providers:refresh").json().path("revision").asLong();
            }
            SwitchboardConfig onlyA = both.withProviders(List.of(both.providers().getFirst()));
            try (Switchboard second = Switchboard.open(onlyA).serve(); TestHttp http = new TestHttp(second.port())) {
                assertThat(http.get("/v1/models").json().findValuesAsText("id")).containsExactly("a/a1");
                assertThat(http.get("/api/v1/providers/b").status()).isEqualTo(404);
                List<String> stored = second.store().withHandle(h ->
                        h.createQuery("SELECT provider_id FROM provider_snapshot").mapTo(String.class).list());
                assertThat(stored).containsExactly("a");
                // the removal is a change of the catalog: one more revision, with its event
                assertThat(second.bus().revision()).isEqualTo(revisionBefore + 1);
                String data = second.store().withHandle(h -> h.createQuery("SELECT data FROM event_log WHERE revision = :r")
                        .bind("r", revisionBefore + 1).mapTo(String.class).one());
                assertThat(data).contains("\"removed\":[\"b1\"]");
            }
        }
    }
}
