package dev.switchboard.store;

import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.StoreConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.UUID;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/** The same migrations and repositories on the machine's PostgreSQL, in a schema of the test's own. */
class PostgresStoreTest {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    @TempDir
    Path dir;
    String schema;

    @BeforeEach
    void createSchema() throws Exception {
        schema = "sb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var connection = DriverManager.getConnection(URL, "postgres", "")) {
            connection.createStatement().execute("CREATE SCHEMA " + schema);
        }
    }

    @AfterEach
    void dropSchema() throws Exception {
        try (var connection = DriverManager.getConnection(URL, "postgres", "")) {
            connection.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    /** Cluster mode needs an explicit key; it lives in the test's folder, never in the source tree. */
    private Path masterKey() throws java.io.IOException {
        return java.nio.file.Files.writeString(dir.resolve("master.key"), "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\n");
    }

    @Test
    void refreshPersistsAndARestartServesTheCatalogOnPostgres() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.onJson("/v1/models", openAiList("a", "b"));
            SwitchboardConfig config = TestConfigs.embedded(dir, List.of(TestConfigs.openai("p", upstream.uri("/v1"))))
                    .withStore(new StoreConfig(URL + "?currentSchema=" + schema, "postgres",
                            dev.switchboard.config.Secret.NONE, 4).withMasterKeyFile(masterKey()));
            long revision;
            try (Switchboard first = Switchboard.open(config).serve(); TestHttp http = new TestHttp(first.port())) {
                assertThat(first.store().isPostgres()).isTrue();
                revision = http.post("/api/v1/providers:refresh").json().path("revision").asLong();
                assertThat(revision).isEqualTo(1);
                upstream.onJson("/v1/models", openAiList("a", "b", "c"));
                assertThat(http.post("/api/v1/providers:refresh").json().path("changed").get(0).path("added").get(0).asText())
                        .isEqualTo("c");
            }
            upstream.close();
            try (Switchboard second = Switchboard.open(config).serve(); TestHttp http = new TestHttp(second.port())) {
                assertThat(http.get("/v1/models").json().findValuesAsText("id")).containsExactly("p/a", "p/b", "p/c");
                assertThat(second.bus().revision()).isEqualTo(2);
            }
        }
    }
}
