package dev.switchboard.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.MetadataSourceConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** [[metadata_sources]] over real HTTP and files, with a real H2 file: last-known-good, shrink guard, restart, roles. */
class MetadataSourcesTest {
    private static final String ADMIN = "admin-key-for-tests-0123456789";
    private static final String SOURCE = "/api/v1/metadata-sources/models-dev";

    @TempDir
    Path dir;

    static String fixture() {
        try (InputStream in = MetadataSourcesTest.class.getResourceAsStream("/fixtures/metadata/models-dev.json")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private SwitchboardConfig config(URI url) {
        return TestConfigs.embedded(dir, List.of()).withMetadataSources(List.of(MetadataSourceConfig.modelsDev("models-dev", url)));
    }

    private static JsonNode awaitStatus(TestHttp http, String status) {
        await().until(() -> http.get(SOURCE).json().path("status").asText().equals(status));
        return http.get(SOURCE).json();
    }

    @Test
    void aFileSourceIsReadOnStartAndEnrichesLookups() throws IOException {
        Path file = Files.writeString(dir.resolve("api.json"), fixture());
        try (Switchboard switchboard = Switchboard.open(config(file.toUri())).serve(); TestHttp http = new TestHttp(switchboard.port())) {
            JsonNode source = awaitStatus(http, "ok");
            assertThat(source.path("model_count").asInt()).isEqualTo(9);
            assertThat(source.path("skipped_entries").asInt()).isEqualTo(1);
            assertThat(source.path("kind").asText()).isEqualTo("models_dev");
            assertThat(source.path("last_success_at").asText()).isNotBlank();
            assertThat(source.path("next_refresh_at").asText()).isNotBlank();
            assertThat(http.get("/api/v1/metadata-sources").json().path("data").findValuesAsText("id")).containsExactly("models-dev");
            var found = switchboard.metadataCatalogs().find("openai", "gpt-4o-2024-08-06");
            assertThat(found).hasSize(1);
            assertThat(found.getFirst().source()).isEqualTo("catalog:models-dev");
            assertThat(http.get("/api/v1/metadata-sources/nope").status()).isEqualTo(404);
        }
    }

    @Test
    void failuresAndGarbageKeepTheLastKnownGoodThenARestartServesIt() throws IOException {
        AtomicReference<FakeUpstream.Reply> reply = new AtomicReference<>(FakeUpstream.Reply.json(fixture()));
        SwitchboardConfig config;
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.on("/api.json", request -> reply.get());
            config = config(upstream.uri("/api.json?token=secret-token-value"));
            try (Switchboard switchboard = Switchboard.open(config).serve(); TestHttp http = new TestHttp(switchboard.port())) {
                assertThat(awaitStatus(http, "ok").path("url").asText()).isEqualTo(upstream.uri("/api.json") + "?***");

                reply.set(FakeUpstream.Reply.json(500, "{\"error\": \"down\"}"));
                JsonNode failed = http.post(SOURCE + ":refresh", "Accept", "application/json").json();
                assertThat(failed.path("status").asText()).isEqualTo("error");
                assertThat(failed.path("last_error").asText()).contains("HTTP 500").doesNotContain("secret-token-value");
                assertThat(failed.path("model_count").asInt()).isEqualTo(9);
                assertThat(failed.path("consecutive_failures").asInt()).isEqualTo(1);

                reply.set(FakeUpstream.Reply.json("{\"openai\": {\"models\": [1, 2]}}"));
                JsonNode garbage = http.post(SOURCE + "/refresh").json();
                assertThat(garbage.path("status").asText()).isEqualTo("error");
                assertThat(garbage.path("last_error").asText())
                        .isEqualTo("not a models.dev catalog: provider \"openai\": models must be an object of models by id, got array");

                reply.set(FakeUpstream.Reply.json("{\"openai\": {\"models\": {"));
                assertThat(http.post(SOURCE + ":refresh").json().path("last_error").asText()).startsWith("malformed JSON");
                assertThat(switchboard.metadataCatalogs().find("anthropic", "claude-3-5-sonnet-latest")).hasSize(1);
            }
        } // the source is gone from here on

        try (Switchboard restarted = Switchboard.open(config).serve(); TestHttp http = new TestHttp(restarted.port())) {
            assertThat(restarted.metadataCatalogs().find("openai", "gpt-4o")).hasSize(1);
            JsonNode source = http.get(SOURCE).json();
            assertThat(source.path("model_count").asInt()).isEqualTo(9);
            assertThat(source.path("status").asText()).isEqualTo("error");
            assertThat(source.path("consecutive_failures").asInt()).isEqualTo(3);
            JsonNode failedAgain = http.post(SOURCE + ":refresh").json();
            assertThat(failedAgain.path("consecutive_failures").asInt()).isEqualTo(4);
            assertThat(failedAgain.path("model_count").asInt()).isEqualTo(9);
            assertThat(restarted.metadataCatalogs().find("openai", "gpt-4o")).hasSize(1);
        }
    }

    @Test
    void aBodyOverMaxBytesFailsWithTheCap() throws IOException {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.onJson("/api.json", fixture());
            SwitchboardConfig config = config(upstream.uri("/api.json"));
            config = config.withMetadataSources(List.of(config.metadataSources().getFirst().withMaxBytes(1024)));
            try (Switchboard switchboard = Switchboard.open(config).serve(); TestHttp http = new TestHttp(switchboard.port())) {
                JsonNode source = awaitStatus(http, "error");
                assertThat(source.path("last_error").asText()).contains("over the 1 KB cap");
                assertThat(source.path("model_count").asInt()).isZero();
            }
        }
    }

    @Test
    void aShrinkingAnswerIsHeldUntilConfirmedOrForced() throws IOException {
        AtomicReference<String> body = new AtomicReference<>(fixture());
        String small = "{\"openai\": {\"models\": {\"gpt-4o\": {\"name\": \"GPT-4o\"}}}}";
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.on("/api.json", request -> FakeUpstream.Reply.json(body.get()));
            try (Switchboard switchboard = Switchboard.open(config(upstream.uri("/api.json"))).serve();
                 TestHttp http = new TestHttp(switchboard.port())) {
                awaitStatus(http, "ok");
                body.set(small);
                JsonNode held = http.post(SOURCE + ":refresh").json();
                assertThat(held.path("status").asText()).isEqualTo("suspect");
                assertThat(held.path("last_error").asText()).contains("dropped 8 of 9 models");
                assertThat(held.path("model_count").asInt()).isEqualTo(9);
                assertThat(held.path("suspect_model_count").asInt()).isEqualTo(1);
                assertThat(switchboard.metadataCatalogs().find("google", "gemini-1.5-pro")).hasSize(1);

                JsonNode confirmed = http.post(SOURCE + ":refresh").json();
                assertThat(confirmed.path("status").asText()).isEqualTo("ok");
                assertThat(confirmed.path("model_count").asInt()).isEqualTo(1);
                assertThat(switchboard.metadataCatalogs().find("google", "gemini-1.5-pro")).isEmpty();

                body.set("{\"openai\": {\"models\": {}}}");
                assertThat(http.post(SOURCE + ":refresh").json().path("status").asText()).isEqualTo("suspect");
                JsonNode forced = http.post(SOURCE + ":refresh?force=true").json();
                assertThat(forced.path("status").asText()).isEqualTo("ok");
                assertThat(forced.path("model_count").asInt()).isZero();
            }
        }
    }

    @Test
    void refreshIsForAdminsAndStatusForReaders() throws IOException {
        Path file = Files.writeString(dir.resolve("api.json"), fixture());
        SwitchboardConfig config = TestConfigs.secured(dir, List.of(), ADMIN)
                .withMetadataSources(List.of(MetadataSourceConfig.modelsDev("models-dev", file.toUri())));
        try (Switchboard switchboard = Switchboard.open(config).serve(); TestHttp http = new TestHttp(switchboard.port())) {
            String reader = http.json("POST", "/api/v1/keys", "{\"name\":\"r\",\"role\":\"reader\"}", "Authorization", "Bearer " + ADMIN)
                    .json().path("key").asText();
            assertThat(http.get(SOURCE).status()).isEqualTo(401);
            assertThat(http.get(SOURCE, "Authorization", "Bearer " + reader).status()).isEqualTo(200);
            assertThat(http.post(SOURCE + ":refresh", "Authorization", "Bearer " + reader).status()).isEqualTo(403);
            assertThat(http.post(SOURCE + "/refresh", "Authorization", "Bearer " + reader).status()).isEqualTo(403);
            TestHttp.Response refreshed = http.post(SOURCE + ":refresh", "Authorization", "Bearer " + ADMIN);
            assertThat(refreshed.status()).isEqualTo(200);
            assertThat(refreshed.json().path("status").asText()).isEqualTo("ok");
            assertThat(http.post(SOURCE + ":reload", "Authorization", "Bearer " + ADMIN).status()).isEqualTo(400);
            assertThat(http.get("/openapi.json").json().path("paths").has("/api/v1/metadata-sources/{id}")).isTrue();
        }
    }
}
