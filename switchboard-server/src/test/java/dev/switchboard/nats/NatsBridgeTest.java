package dev.switchboard.nats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.NatsConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderKind;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13 part 2 (DESIGN §15) against the machine's NATS server (127.0.0.1:4222, JetStream on;
 * {@code scripts/ensure-services.sh} starts it): every committed event on the stream in revision order with its
 * revision as message id, and request/reply for bootstrap and the catalog. Each test has its own subject prefix
 * and stream, deleted afterwards.
 */
class NatsBridgeTest {
    static final String BROKER = "nats://127.0.0.1:4222";
    static final Duration SOON = Duration.ofSeconds(15);
    static final String PLANNER = """
            {"provider":"local","model":"large","params":{"temperature":0.2,"api_key":"sk-secret-123456"},"description":"plans"}""";

    @TempDir
    Path dir;
    String prefix;
    NatsConfig nats;
    Switchboard switchboard;
    TestHttp http;
    Connection client;
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void brokerIsRunning() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 4222), 2_000);
        } catch (Exception e) {
            throw new IllegalStateException("no NATS server on 127.0.0.1:4222: run scripts/ensure-services.sh", e);
        }
    }

    @BeforeEach
    void start() throws Exception {
        prefix = "sbtest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        nats = NatsConfig.of(BROKER, prefix);
        switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of(ProviderConfig.of("local", ProviderKind.STATIC, null)
                .withStaticModels(List.of("small", "large")))).withNats(nats)).serve();
        http = new TestHttp(switchboard.port());
        client = StreamContents.connect(BROKER);
        awaitConnected();
    }

    /** The bridge connects on its own thread: serve() does not wait for the broker. */
    private void awaitConnected() {
        await().atMost(SOON).until(() -> http.get("/api/v1/nats").json().path("connected").asBoolean());
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
        switchboard.close();
        client.close();
        StreamContents.delete(BROKER, nats.stream());
    }

    private long put(String alias, String body) {
        TestHttp.Response written = http.json("PUT", "/api/v1/model-configs/" + alias + "?validate=false", body);
        assertThat(written.status()).as(written.text()).isIn(200, 201);
        return written.revision();
    }

    @Test
    void everyCommittedEventIsOnTheStreamInRevisionOrderWithItsRevisionAsMessageId() throws Exception {
        for (int i = 0; i < 12; i++) put("agent-" + (i % 3), PLANNER.replace("0.2", "0." + i));
        long newest = http.get("/api/v1/model-configs").revision();

        await().atMost(SOON).ignoreExceptions().untilAsserted(() -> assertThat(StreamContents.revisions(BROKER, nats.stream()))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, newest).boxed().toList()));
        List<StreamContents.Entry> entries = StreamContents.read(BROKER, nats.stream());
        for (StreamContents.Entry entry : entries) {
            assertThat(entry.messageId()).isEqualTo(Long.toString(entry.revision()));
            assertThat(entry.revisionHeader()).isEqualTo(entry.revision());
            assertThat(entry.subject()).isEqualTo(prefix + ".events." + entry.body().path("type").asText());
        }
        StreamContents.Entry first = entries.getFirst();
        assertThat(first.subject()).isEqualTo(prefix + ".events.model_config.created");
        assertThat(first.body().path("data").path("alias").asText()).isEqualTo("agent-0");
        assertThat(first.body().path("time").asText()).isNotBlank();
        assertThat(first.body().path("data").path("config").path("params").path("api_key").asText())
                .as("secrets are redacted as on the change feed").isEqualTo("***");
    }

    @Test
    void theEventsAreTheChangeFeedsEventsByteForByte() throws Exception {
        put("planner", PLANNER);
        put("planner", PLANNER.replace("plans", "plans better"));
        await().atMost(SOON).ignoreExceptions().until(() -> StreamContents.revisions(BROKER, nats.stream()).size() == 2);

        JsonNode feed = http.get("/api/v1/events?since=0&wait=1s", "Accept", "application/json").json();
        List<StreamContents.Entry> entries = StreamContents.read(BROKER, nats.stream());
        assertThat(feed).hasSize(2);
        for (int i = 0; i < entries.size(); i++) {
            assertThat(entries.get(i).body()).isEqualTo(feed.get(i));
        }
    }

    @Test
    void bootstrapAnswersTheConfigurationAsTheApiShowsItWithSecretsRedacted() throws Exception {
        long revision = put("planner", PLANNER);

        Message reply = client.request(prefix + ".bootstrap.planner", new byte[0], Duration.ofSeconds(5));

        JsonNode config = mapper.readTree(reply.getData());
        JsonNode api = http.get("/api/v1/model-configs/planner").json();
        assertThat(config.path("params").path("api_key").asText()).isEqualTo("***");
        ((com.fasterxml.jackson.databind.node.ObjectNode) api.path("params")).put("api_key", "***");
        assertThat(config).isEqualTo(api);
        assertThat(reply.getHeaders().getFirst(JetStreamLog.REVISION_HEADER)).isEqualTo(Long.toString(revision));
    }

    @Test
    void bootstrapOfAnAliasThatIsNotConfiguredAnswersNotConfigured() throws Exception {
        Message reply = client.request(prefix + ".bootstrap.nobody", new byte[0], Duration.ofSeconds(5));

        assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("{\"error\":\"not_configured\"}");
    }

    @Test
    void bootstrapTakesAnAliasWithDots() throws Exception {
        put("gpt-4.1", PLANNER);

        Message reply = client.request(prefix + ".bootstrap.gpt-4.1", new byte[0], Duration.ofSeconds(5));

        assertThat(mapper.readTree(reply.getData()).path("alias").asText()).isEqualTo("gpt-4.1");
    }

    @Test
    void modelsAnswersTheCatalogAsGetV1ModelsDoes() throws Exception {
        http.post("/api/v1/providers:refresh");
        put("planner", PLANNER);
        TestHttp.Response models = http.get("/v1/models");

        Message reply = client.request(prefix + ".models", new byte[0], Duration.ofSeconds(5));

        assertThat(mapper.readTree(reply.getData())).isEqualTo(models.json());
        assertThat(mapper.readTree(reply.getData()).path("data")).hasSize(3); // two models and the alias
        assertThat(reply.getHeaders().getFirst(JetStreamLog.REVISION_HEADER)).isEqualTo(Long.toString(models.revision()));
    }

    @Test
    void statusShowsThePublishedRevisionAndNoLagOnceCaughtUp() {
        long revision = put("planner", PLANNER);

        await().atMost(SOON).untilAsserted(() -> {
            JsonNode status = http.get("/api/v1/nats").json();
            assertThat(status.path("enabled").asBoolean()).isTrue();
            assertThat(status.path("connected").asBoolean()).isTrue();
            assertThat(status.path("publishing").asBoolean()).isTrue();
            assertThat(status.path("stream").asText()).isEqualTo(nats.stream());
            assertThat(status.path("published_revision").asLong()).isEqualTo(revision);
            assertThat(status.path("lag").asLong()).isZero();
        });
        assertThat(http.get("/metrics").text()).contains("switchboard_nats_lag_events 0.0")
                .contains("switchboard_nats_published_total 1.0");
    }

    @Test
    void anExistingStreamGetsTheSubjectsAndDuplicateWindowAndKeepsTheOperatorsLimits() throws Exception {
        http.close();
        switchboard.close();
        StreamContents.delete(BROKER, nats.stream());
        JetStreamManagement management = client.jetStreamManagement();
        management.addStream(StreamConfiguration.builder().name(nats.stream()).subjects(prefix + ".audit")
                .storageType(StorageType.Memory).maxAge(Duration.ofDays(3)).duplicateWindow(Duration.ofSeconds(30)).build());

        switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of(ProviderConfig.of("local", ProviderKind.STATIC, null)
                .withStaticModels(List.of("small", "large")))).withNats(nats)).serve();
        http = new TestHttp(switchboard.port());
        awaitConnected();
        put("planner", PLANNER);

        await().atMost(SOON).ignoreExceptions().untilAsserted(() -> assertThat(StreamContents.revisions(BROKER, nats.stream())).containsExactly(1L));
        StreamConfiguration updated = management.getStreamInfo(nats.stream()).getConfiguration();
        assertThat(updated.getSubjects()).containsExactly(prefix + ".audit", prefix + ".events.>");
        assertThat(updated.getDuplicateWindow()).isEqualTo(NatsConfig.DEFAULT_DUPLICATE_WINDOW);
        assertThat(updated.getMaxAge()).isEqualTo(Duration.ofDays(3));
        assertThat(updated.getStorageType()).isEqualTo(StorageType.Memory);
    }

    @Test
    void aSwitchboardRestartedResumesAfterTheStreamsNewestRevision() throws Exception {
        put("planner", PLANNER);
        await().atMost(SOON).ignoreExceptions().until(() -> StreamContents.revisions(BROKER, nats.stream()).size() == 1);
        http.close();
        switchboard.close();

        switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of(ProviderConfig.of("local", ProviderKind.STATIC, null)
                .withStaticModels(List.of("small", "large")))).withNats(nats)).serve();
        http = new TestHttp(switchboard.port());
        awaitConnected();
        put("planner", PLANNER.replace("plans", "plans again"));

        await().atMost(SOON).ignoreExceptions().untilAsserted(() -> assertThat(StreamContents.revisions(BROKER, nats.stream())).containsExactly(1L, 2L));
    }
}
