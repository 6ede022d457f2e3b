package dev.switchboard.store;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10 item 8: a write answers with the revision its own commit produced, and a read on any instance with
 * {@code ?min_revision=N} answers once that instance has applied N: read-your-writes behind a load balancer.
 */
class ReadYourWritesTest {
    static final Duration SOON = Duration.ofSeconds(10);
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(2);
    @TempDir
    Path dir;
    PostgresCluster cluster;
    FakeUpstream upstream;
    Switchboard a;
    Switchboard b;
    TestHttp httpA;
    TestHttp httpB;

    @BeforeEach
    void start() throws Exception {
        cluster = new PostgresCluster();
        upstream = FakeUpstream.start();
        upstream.onJson("/v1/models", openAiList("m1", "m2"));
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
                .withStore(cluster.schema.store(WRITE_TIMEOUT)));
    }

    private TestHttp http(Switchboard switchboard) {
        return cluster.http(switchboard);
    }

    private AutoCloseable bMissesNotifications() {
        return cluster.closeLater(b.cluster().orElseThrow().holdNotifications());
    }

    @Test
    void everyWriteAnswersWithTheRevisionOfItsOwnCommit() throws Exception {
        // writes on both instances at once: each instance applies the other's commits while answering its own
        List<CompletableFuture<TestHttp.Response>> writes = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            TestHttp http = i % 2 == 0 ? httpA : httpB;
            writes.add(http.jsonAsync("PUT", "/api/v1/model-configs/burst-" + i, "{\"provider\":\"p\",\"model\":\"m1\"}"));
        }
        for (int i = 0; i < writes.size(); i++) {
            TestHttp.Response answer = writes.get(i).get(30, TimeUnit.SECONDS);
            assertThat(answer.status()).as(answer.text()).isEqualTo(201);
            JsonNode history = httpA.get("/api/v1/model-configs/burst-" + i + "/history").json();
            long committed = history.path("data").get(0).path("revision").asLong();
            assertThat(answer.revision()).as("burst-%d", i).isEqualTo(committed);
        }
    }

    @Test
    void aReadWithMinRevisionOnAnotherInstanceWaitsUntilThatInstanceAppliedIt() throws Exception {
        AutoCloseable held = bMissesNotifications();
        TestHttp.Response written = httpA.json("PUT", "/api/v1/model-configs/planner", "{\"provider\":\"p\",\"model\":\"m1\"}");
        long revision = written.revision();

        CompletableFuture<TestHttp.Response> config = httpB.getAsync("/api/v1/model-configs/planner?min_revision=" + revision);
        CompletableFuture<TestHttp.Response> models = httpB.getAsync("/v1/models?min_revision=" + revision);
        held.close();

        TestHttp.Response read = config.get(10, TimeUnit.SECONDS);
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        assertThat(read.json().path("model").asText()).isEqualTo("m1");
        assertThat(read.revision()).isGreaterThanOrEqualTo(revision);
        assertThat(models.get(10, TimeUnit.SECONDS).json().findValuesAsText("id")).contains("planner");
    }

    @Test
    void aReadWithMinRevisionNotReachedInTimeAnswers503() throws Exception {
        bMissesNotifications();
        long revision = httpA.json("PUT", "/api/v1/model-configs/planner", "{\"provider\":\"p\",\"model\":\"m1\"}").revision();
        long applied = b.bus().revision();

        long start = System.nanoTime();
        TestHttp.Response read = httpB.get("/api/v1/model-configs/planner?min_revision=" + revision);
        Duration after = Duration.ofNanos(System.nanoTime() - start);

        assertThat(read.status()).as(read.text()).isEqualTo(503);
        assertThat(read.json().path("error").path("type").asText()).isEqualTo("revision_not_reached");
        assertThat(read.json().path("error").path("message").asText())
                .contains("revision " + revision, "revision " + applied, "2s");
        assertThat(read.header("Retry-After")).isEqualTo("1");
        assertThat(after).isGreaterThanOrEqualTo(WRITE_TIMEOUT).isLessThan(WRITE_TIMEOUT.plusSeconds(3));
    }

    @Test
    void aReadWithARevisionAlreadyAppliedAnswersAtOnce() {
        long revision = b.bus().revision();
        TestHttp.Response read = httpB.get("/api/v1/providers?min_revision=" + revision);
        assertThat(read.status()).isEqualTo(200);
        assertThat(httpB.get("/api/v1/providers?min_revision=0").status()).isEqualTo(200);
    }

    @Test
    void minRevisionMustBeARevisionNumber() {
        for (String value : List.of("abc", "-1", "1.5", "")) {
            TestHttp.Response read = httpB.get("/api/v1/model-configs?min_revision=" + value);
            assertThat(read.status()).as(value).isEqualTo(400);
            assertThat(read.json().path("error").path("message").asText()).contains("min_revision");
        }
    }
}
