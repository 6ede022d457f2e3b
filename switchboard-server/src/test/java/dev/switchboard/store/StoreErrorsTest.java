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
import java.time.Clock;
import java.util.List;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Store errors are answered by kind, whether a statement or the commit fails: an integrity violation is a
 * conflict (409), a lost connection is {@code store_unavailable} (503), a serialization failure or deadlock
 * is {@code store_busy} (503, retry), anything else a 500 that names the store. The failures are raised by
 * PostgreSQL itself, from triggers on the test's own schema; deferred triggers fail the COMMIT.
 */
class StoreErrorsTest {
    @TempDir
    Path dir;
    PostgresSchema schema;
    FakeUpstream upstream;
    Switchboard switchboard;
    TestHttp http;

    @BeforeEach
    void start() throws Exception {
        schema = new PostgresSchema();
        upstream = FakeUpstream.start();
        upstream.onJson("/v1/models", openAiList("m1"));
        var config = TestConfigs.embedded(dir, List.of(TestConfigs.openai("p", upstream.uri("/v1"))))
                .withStore(schema.store(2));
        switchboard = new Switchboard(config, Clock.systemUTC(), PostgresSchema.MASTER_KEY).serve();
        http = new TestHttp(switchboard.port());
        http.post("/api/v1/providers:refresh");
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
        switchboard.close();
        upstream.close();
        schema.close();
    }

    /** Makes every insert into model_config run {@code body} (PL/pgSQL), at the statement or at COMMIT. */
    private void onConfigInsert(String body, boolean atCommit) throws SQLException {
        try (var connection = PostgresSchema.admin(); var statement = connection.createStatement()) {
            statement.execute("CREATE FUNCTION " + schema.name + ".fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + body + "; RETURN NEW; END $$");
            statement.execute((atCommit ? "CREATE CONSTRAINT TRIGGER fail AFTER INSERT ON " + schema.name
                    + ".model_config DEFERRABLE INITIALLY DEFERRED" : "CREATE TRIGGER fail AFTER INSERT ON " + schema.name + ".model_config")
                    + " FOR EACH ROW EXECUTE FUNCTION " + schema.name + ".fail()");
        }
    }

    private TestHttp.Response createPlanner() {
        return http.json("PUT", "/api/v1/model-configs/planner", "{\"provider\":\"p\",\"model\":\"m1\"}");
    }

    private void nothingChanged(long revision) {
        assertThat(switchboard.bus().revision()).isEqualTo(revision);
        assertThat(http.get("/api/v1/model-configs/planner").status()).isEqualTo(404);
    }

    @Test
    void aSerializationFailureAtCommitIs503StoreBusyWithRetryAfter() throws Exception {
        onConfigInsert("RAISE EXCEPTION 'could not serialize access' USING ERRCODE = 'serialization_failure'", true);
        long revision = switchboard.bus().revision();

        TestHttp.Response answer = createPlanner();

        assertThat(answer.status()).as(answer.text()).isEqualTo(503);
        assertThat(answer.json().path("error").path("type").asText()).isEqualTo("store_busy");
        assertThat(answer.json().path("error").path("message").asText()).contains("retry");
        assertThat(answer.header("Retry-After")).isEqualTo("1");
        nothingChanged(revision);
    }

    @Test
    void aDeadlockIs503StoreBusy() throws Exception {
        onConfigInsert("RAISE EXCEPTION 'deadlock detected' USING ERRCODE = 'deadlock_detected'", false);

        TestHttp.Response answer = createPlanner();

        assertThat(answer.status()).as(answer.text()).isEqualTo(503);
        assertThat(answer.json().path("error").path("type").asText()).isEqualTo("store_busy");
    }

    @Test
    void anIntegrityViolationAtCommitIs409Conflict() throws Exception {
        onConfigInsert("RAISE EXCEPTION 'duplicate key value' USING ERRCODE = 'unique_violation'", true);
        long revision = switchboard.bus().revision();

        TestHttp.Response answer = createPlanner();

        assertThat(answer.status()).as(answer.text()).isEqualTo(409);
        assertThat(answer.json().path("error").path("type").asText()).isEqualTo("conflict");
        nothingChanged(revision);
    }

    @Test
    void aConnectionLostAtCommitIs503StoreUnavailable() throws Exception {
        onConfigInsert("PERFORM pg_terminate_backend(pg_backend_pid())", true);
        long revision = switchboard.bus().revision();

        TestHttp.Response answer = createPlanner();

        assertThat(answer.status()).as(answer.text()).isEqualTo(503);
        assertThat(answer.json().path("error").path("type").asText()).isEqualTo("store_unavailable");
        nothingChanged(revision);
    }

    @Test
    void anyOtherStoreErrorIs500NamingTheStoreAndItsSqlState() throws Exception {
        onConfigInsert("PERFORM 1 / 0", false);

        TestHttp.Response answer = createPlanner();

        assertThat(answer.status()).as(answer.text()).isEqualTo(500);
        assertThat(answer.json().path("error").path("type").asText()).isEqualTo("store_error");
        assertThat(answer.json().path("error").path("message").asText()).contains("22012", "division by zero");
    }
}
