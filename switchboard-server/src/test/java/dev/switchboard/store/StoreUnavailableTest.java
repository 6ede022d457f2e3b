package dev.switchboard.store;

import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.Secret;
import dev.switchboard.config.StoreConfig;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The store goes away under a running server (its schema disappears on PostgreSQL): reads keep answering
 * from memory, writes answer 503, and nothing is half-written.
 */
class StoreUnavailableTest {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    @TempDir
    Path dir;
    String schema;

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(URL, "postgres", "");
    }

    @BeforeEach
    void createSchema() throws Exception {
        schema = "sb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var connection = admin()) {
            connection.createStatement().execute("CREATE SCHEMA " + schema);
        }
    }

    @AfterEach
    void dropSchema() throws Exception {
        try (var connection = admin()) {
            connection.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + "_gone CASCADE");
            connection.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private void storeGoes(boolean away) throws SQLException {
        try (var connection = admin()) {
            connection.createStatement().execute(away ? "ALTER SCHEMA " + schema + " RENAME TO " + schema + "_gone"
                    : "ALTER SCHEMA " + schema + "_gone RENAME TO " + schema);
        }
    }

    private long count(String sql) throws SQLException {
        try (var connection = admin(); var rs = connection.createStatement().executeQuery(sql.replace("{s}", schema))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void readsAnswerFromMemoryWritesAre503AndNothingIsHalfWritten() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.onJson("/v1/models", openAiList("gpt-5", "o3"));
            var config = TestConfigs.embedded(dir, List.of(TestConfigs.openai("openai", upstream.uri("/v1"))))
                    .withStore(new StoreConfig(URL + "?currentSchema=" + schema, "postgres", Secret.NONE, 2));
            try (Switchboard switchboard = new Switchboard(config, java.time.Clock.systemUTC(),
                    java.util.Map.of(CredentialCipher.ENV, "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")).serve(); TestHttp http = new TestHttp(switchboard.port())) {
                http.post("/api/v1/providers:refresh");
                assertThat(http.json("PUT", "/api/v1/model-configs/planner", "{\"provider\":\"openai\",\"model\":\"gpt-5\"}").status())
                        .isEqualTo(201);
                long revision = switchboard.bus().revision();
                long events = count("SELECT COUNT(*) FROM {s}.event_log");

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
                assertThat(count("SELECT COUNT(*) FROM {s}.event_log")).isEqualTo(events);
                assertThat(count("SELECT COUNT(*) FROM {s}.model_config_history")).isEqualTo(1);
                assertThat(count("SELECT version FROM {s}.model_config WHERE alias = 'planner'")).isEqualTo(1);
                assertThat(count("SELECT COUNT(*) FROM {s}.model_config")).isEqualTo(1);

                // back: writes work again once the store answers the probe, the refresh applies now
                await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/readyz").status() == 200);
                assertThat(http.json("PUT", "/api/v1/model-configs/planner", "{\"provider\":\"openai\",\"model\":\"o3\"}").status()).isEqualTo(200);
                assertThat(http.post("/api/v1/providers:refresh").json().path("changed").get(0).path("added").get(0).asText()).isEqualTo("o4");
            }
        }
    }
}
