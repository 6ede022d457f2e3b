package dev.switchboard.store;

import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The store goes away under a running server (its schema disappears on PostgreSQL): reads keep answering
 * from memory, writes answer 503, and nothing is half-written.
 */
class StoreUnavailableTest {
    @TempDir
    Path dir;
    PostgresSchema schema;

    @BeforeEach
    void createSchema() throws Exception {
        schema = new PostgresSchema();
    }

    @AfterEach
    void dropSchema() throws Exception {
        try (var connection = PostgresSchema.admin()) {
            connection.createStatement().execute("DROP SCHEMA IF EXISTS " + schema.name + "_gone CASCADE");
        }
        schema.close();
    }

    private void storeGoes(boolean away) throws SQLException {
        try (var connection = PostgresSchema.admin()) {
            connection.createStatement().execute(away ? "ALTER SCHEMA " + schema.name + " RENAME TO " + schema.name + "_gone"
                    : "ALTER SCHEMA " + schema.name + "_gone RENAME TO " + schema.name);
        }
    }

    @Test
    void readsAnswerFromMemoryWritesAre503AndNothingIsHalfWritten() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.onJson("/v1/models", openAiList("gpt-5", "o3"));
            var config = TestConfigs.embedded(dir, List.of(TestConfigs.openai("openai", upstream.uri("/v1"))))
                    .withStore(schema.store(2));
            try (Switchboard switchboard = new Switchboard(config, java.time.Clock.systemUTC(),
                    PostgresSchema.MASTER_KEY).serve(); TestHttp http = new TestHttp(switchboard.port())) {
                http.post("/api/v1/providers:refresh");
                assertThat(http.json("PUT", "/api/v1/model-configs/planner", "{\"provider\":\"openai\",\"model\":\"gpt-5\"}").status())
                        .isEqualTo(201);
                long revision = switchboard.bus().revision();
                long events = schema.count("SELECT COUNT(*) FROM {s}.event_log");

                storeGoes(true);
                try {
                    assertThat(http.get("/api/v1/model-configs/planner").json().path("model").asText()).isEqualTo("gpt-5");
                    assertThat(http.get("/v1/models").json().findValuesAsText("id")).contains("openai/gpt-5", "planner");
                    assertThat(http.get("/readyz").status()).isEqualTo(503);

                    TestHttp.Response write = http.json("PUT", "/api/v1/model-configs/planner", "{\"provider\":\"openai\",\"model\":\"o3\"}");
                    assertThat(write.status()).as(write.text()).isEqualTo(503);
                    assertThat(write.json().path("error").path("type").asText()).isEqualTo("store_unavailable");
                    assertThat(http.json("PUT", "/api/v1/model-configs/coder", "{\"provider\":\"openai\",\"model\":\"o3\"}").status()).isEqualTo(503);
                    upstream.onJson("/v1/models", openAiList("gpt-5", "o3", "o4"));
                    assertThat(http.post("/api/v1/providers:refresh").status()).isEqualTo(503);

                    // memory did not move ahead of the store
                    assertThat(http.get("/api/v1/model-configs/planner").json().path("version").asLong()).isEqualTo(1);
                    assertThat(http.get("/v1/models").json().findValuesAsText("id")).doesNotContain("openai/o4");
                    assertThat(switchboard.bus().revision()).isEqualTo(revision);
                } finally {
                    storeGoes(false);
                }
                assertThat(schema.count("SELECT COUNT(*) FROM {s}.event_log")).isEqualTo(events);
                assertThat(schema.count("SELECT COUNT(*) FROM {s}.model_config_history")).isEqualTo(1);
                assertThat(schema.count("SELECT version FROM {s}.model_config WHERE alias = 'planner'")).isEqualTo(1);
                assertThat(schema.count("SELECT COUNT(*) FROM {s}.model_config")).isEqualTo(1);

                // back: writes work again once the store answers the probe, the refresh applies now
                await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/readyz").status() == 200);
                assertThat(http.json("PUT", "/api/v1/model-configs/planner", "{\"provider\":\"openai\",\"model\":\"o3\"}").status()).isEqualTo(200);
                assertThat(http.post("/api/v1/providers:refresh").json().path("changed").get(0).path("added").get(0).asText()).isEqualTo("o4");
            }
        }
    }
}
