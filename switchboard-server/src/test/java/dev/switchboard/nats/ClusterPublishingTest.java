package dev.switchboard.nats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.NatsConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.config.StoreConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.config.ProviderKind;
import io.nats.client.Connection;
import io.nats.client.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13 part 2 in a cluster (two instances on the real PostgreSQL, the machine's NATS): only the schedule's
 * leader publishes, the stream still holds every revision once and in order whichever instance made the write,
 * a new leader continues where the old one stopped, and every instance answers bootstrap requests.
 */
class ClusterPublishingTest {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String BROKER = NatsBridgeTest.BROKER;
    static final Duration SOON = Duration.ofSeconds(20);
    static final String CONFIG = "{\"provider\":\"local\",\"model\":\"large\",\"params\":{\"temperature\":0.%d}}";

    @TempDir
    Path dir;
    String schema;
    NatsConfig nats;
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void createSchema() throws Exception {
        NatsBridgeTest.brokerIsRunning();
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        schema = "sb_" + id;
        try (var connection = DriverManager.getConnection(URL, "postgres", "")) {
            connection.createStatement().execute("CREATE SCHEMA " + schema);
        }
        nats = NatsConfig.of(BROKER, "sbcluster_" + id);
    }

    @AfterEach
    void dropSchema() throws Exception {
        for (AutoCloseable closeable : open.reversed()) closeable.close();
        StreamContents.delete(BROKER, nats.stream());
        try (var connection = DriverManager.getConnection(URL, "postgres", "")) {
            connection.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private SwitchboardConfig config() {
        SwitchboardConfig config = TestConfigs.embedded(dir, List.of(ProviderConfig.of("local", ProviderKind.STATIC, null)
                        .withStaticModels(List.of("small", "large"))))
                .withStore(new StoreConfig(URL + "?currentSchema=" + schema, "postgres", Secret.NONE, 4))
                .withNats(nats);
        return config.withCatalog(config.catalog().withLeaderLease(Duration.ofSeconds(1)));
    }

    private Switchboard instance() {
        Switchboard switchboard = new Switchboard(config(), Clock.systemUTC(),
                Map.of("SWITCHBOARD_MASTER_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")).serve();
        open.add(switchboard);
        return switchboard;
    }

    private TestHttp http(Switchboard switchboard) {
        TestHttp http = new TestHttp(switchboard.port());
        open.add(http);
        return http;
    }

    private static long write(TestHttp http, int i) {
        TestHttp.Response written = http.json("PUT", "/api/v1/model-configs/agent-" + (i % 3) + "?validate=false", CONFIG.formatted(i));
        assertThat(written.status()).as(written.text()).isIn(200, 201);
        return written.revision();
    }

    private void awaitStreamHoldsExactly(long newest) {
        await().atMost(SOON).ignoreExceptions().untilAsserted(() -> assertThat(StreamContents.revisions(BROKER, nats.stream()))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, newest).boxed().toList()));
    }

    private static double published(TestHttp http) {
        return http.get("/metrics").text().lines().filter(line -> line.startsWith("switchboard_nats_published_total "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst().orElseThrow();
    }

    @Test
    void onlyTheLeaderPublishesEveryInstancesWritesInRevisionOrder() {
        Switchboard leader = instance();
        Switchboard follower = instance();
        assertThat(leader.isScheduleLeader()).isTrue();
        assertThat(follower.isScheduleLeader()).isFalse();
        TestHttp viaLeader = http(leader);
        TestHttp viaFollower = http(follower);

        long newest = 0;
        for (int i = 0; i < 10; i++) newest = write(i % 2 == 0 ? viaLeader : viaFollower, i);

        awaitStreamHoldsExactly(newest);
        assertThat(published(viaLeader)).isEqualTo(newest);
        assertThat(published(viaFollower)).as("the follower publishes nothing").isZero();
        long finalNewest = newest;
        await().atMost(SOON).untilAsserted(() -> {
            JsonNode status = viaFollower.get("/api/v1/nats").json();
            assertThat(status.path("publishing").asBoolean()).isFalse();
            assertThat(status.path("published_revision").asLong()).as("read from the stream").isEqualTo(finalNewest);
            assertThat(status.path("lag").asLong()).isZero();
        });
    }

    @Test
    void aNewLeaderContinuesTheStreamWithoutGapOrDuplicate() {
        Switchboard first = instance();
        Switchboard second = instance();
        TestHttp viaSecond = http(second);
        for (int i = 0; i < 4; i++) write(viaSecond, i);
        awaitStreamHoldsExactly(4);

        first.close(); // frees the lease: the second instance takes the schedule, and the publishing, over
        await().atMost(SOON).until(second::isScheduleLeader);
        long newest = 0;
        for (int i = 4; i < 8; i++) newest = write(viaSecond, i);

        awaitStreamHoldsExactly(newest);
        assertThat(published(viaSecond)).isEqualTo(4);
    }

    @Test
    void everyInstanceAnswersBootstrap() throws Exception {
        Switchboard leader = instance();
        Switchboard follower = instance();
        write(http(leader), 0);
        TestHttp viaFollower = http(follower);
        await().atMost(SOON).until(() -> viaFollower.get("/api/v1/model-configs/agent-0").status() == 200);
        leader.close(); // only the follower is left to answer

        try (Connection client = StreamContents.connect(BROKER)) {
            await().atMost(SOON).ignoreExceptions().untilAsserted(() -> {
                Message reply = client.request(nats.subjectPrefix() + ".bootstrap.agent-0", new byte[0], Duration.ofSeconds(2));
                assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(reply.getData()).path("alias").asText())
                        .isEqualTo("agent-0");
            });
        }
    }
}
