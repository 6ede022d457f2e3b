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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10 item 6: an instance that has not yet applied what another instance committed (its notification is
 * held back here) validates and diffs a write against the store's state, not its stale memory: under the
 * revision lock it applies the missing log entries first.
 */
class CatchUpBeforeWriteTest {
    static final Duration SOON = Duration.ofSeconds(10);
    @TempDir
    Path dir;
    PostgresCluster cluster;
    FakeUpstream upstream;
    final AtomicInteger generation = new AtomicInteger(1);
    Switchboard a;
    Switchboard b;
    TestHttp httpA;
    TestHttp httpB;

    @BeforeEach
    void start() throws Exception {
        cluster = new PostgresCluster();
        upstream = FakeUpstream.start();
        upstream.on("/v1/models", request -> FakeUpstream.Reply.json(openAiList(
                IntStream.rangeClosed(1, generation.get()).mapToObj(i -> "m" + i).toArray(String[]::new))));
        a = instance("a");
        b = instance("b");
        httpA = http(a);
        httpB = http(b);
        long revision = httpA.post("/api/v1/providers:refresh").json().path("revision").asLong();
        await().atMost(SOON).until(() -> b.bus().revision() == revision);
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
        upstream.close();
    }

    private Switchboard instance(String name) {
        return cluster.instance(TestConfigs.embedded(dir.resolve(name), List.of(TestConfigs.openai("p", upstream.uri("/v1"))))
                .withStore(cluster.schema.store(Duration.ofSeconds(5))));
    }

    private TestHttp http(Switchboard switchboard) {
        return cluster.http(switchboard);
    }

    private AutoCloseable bMissesNotifications() {
        return cluster.closeLater(b.cluster().orElseThrow().holdNotifications());
    }

    @Test
    void aFallbackToAnAliasCreatedOnAnotherInstanceValidates() throws Exception {
        bMissesNotifications();
        assertThat(httpA.json("PUT", "/api/v1/model-configs/helper", "{\"provider\":\"p\",\"model\":\"m1\"}").status()).isEqualTo(201);

        TestHttp.Response planner = httpB.json("PUT", "/api/v1/model-configs/planner",
                "{\"provider\":\"p\",\"model\":\"m1\",\"fallbacks\":[\"helper\"]}");

        assertThat(planner.status()).as(planner.text()).isEqualTo(201);
        assertThat(httpB.get("/api/v1/model-configs/helper").status()).isEqualTo(200);
    }

    @Test
    void anAliasCreatedOnAnotherInstanceCanBePatchedAtItsVersion() throws Exception {
        bMissesNotifications();
        assertThat(httpA.json("PUT", "/api/v1/model-configs/helper", "{\"provider\":\"p\",\"model\":\"m1\"}").status()).isEqualTo(201);
        assertThat(httpA.json("PATCH", "/api/v1/model-configs/helper", "{\"description\":\"from a\"}").status()).isEqualTo(200);

        TestHttp.Response patched = httpB.json("PATCH", "/api/v1/model-configs/helper", "{\"labels\":{\"team\":\"b\"}}", "If-Match", "\"2\"");

        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
        assertThat(patched.json().path("version").asLong()).isEqualTo(3);
        assertThat(patched.json().path("description").asText()).isEqualTo("from a");
    }

    @Test
    void aProviderCreatedOnAnotherInstanceIsAConflictNotAnOverwrite() throws Exception {
        bMissesNotifications();
        String body = "{\"id\":\"shared\",\"kind\":\"openai\",\"base_url\":\"" + upstream.uri("/v1") + "\"}";
        assertThat(httpA.json("POST", "/api/v1/providers", body).status()).isEqualTo(201);

        TestHttp.Response again = httpB.json("POST", "/api/v1/providers", body);

        assertThat(again.status()).as(again.text()).isEqualTo(409);
        assertThat(again.json().path("error").path("type").asText()).isEqualTo("already_exists");
        assertThat(cluster.schema.count("SELECT COUNT(*) FROM {s}.event_log WHERE type = 'provider.created'")).isEqualTo(1);
    }

    @Test
    void aRefreshDiffsAgainstWhatAnotherInstanceAlreadyApplied() throws Exception {
        generation.set(2);
        bMissesNotifications();
        TestHttp.Response onA = httpA.post("/api/v1/providers:refresh");
        assertThat(onA.json().path("changed").get(0).path("added").get(0).asText()).isEqualTo("m2");

        TestHttp.Response onB = httpB.post("/api/v1/providers:refresh");

        assertThat(onB.json().path("changed").isEmpty()).as(onB.text()).isTrue();
        assertThat(onB.json().path("unchanged").get(0).asText()).isEqualTo("p");
        assertThat(cluster.schema.count("SELECT COUNT(*) FROM {s}.event_log WHERE type = 'model_catalog.changed'")).isEqualTo(2);
        assertThat(httpB.get("/v1/models").json().findValuesAsText("id")).contains("p/m2");
    }
}
