package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import dev.switchboard.config.ProviderKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 11: on a connect error, a timeout before the first byte, 429 or 5xx the gateway tries the configuration's
 * fallbacks in order — and never once the answer has started; a caller who leaves cancels the upstream request.
 */
class FallbackTest {
    static final Duration FIRST_BYTE_TIMEOUT = Duration.ofMillis(400);
    static final Duration IDLE_TIMEOUT = Duration.ofMillis(400);
    static final String CHAT = "{\"model\":\"planner\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String STREAMED_CHAT = "{\"model\":\"planner\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @TempDir
    Path dir;
    FakeUpstream a;
    FakeUpstream b;
    FakeUpstream c;
    int closedPort;
    Switchboard switchboard;
    TestHttp http;

    @BeforeEach
    void start() throws Exception {
        a = FakeUpstream.start();
        b = FakeUpstream.start();
        c = FakeUpstream.start();
        for (FakeUpstream upstream : List.of(a, b, c)) upstream.onJson("/v1/models", openAiList("m"));
        Upstreams.answersChat(b, "/v1/chat/completions", "from-b", "answer of b");
        Upstreams.answersChat(c, "/v1/chat/completions", "from-c", "answer of c");
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // nothing listens there once closed: connections are refused
        }
        List<ProviderConfig> providers = List.of(TestConfigs.openai("a", a.uri("/v1")), TestConfigs.openai("b", b.uri("/v1")),
                TestConfigs.openai("c", c.uri("/v1")),
                // lists "m" (static), its inference endpoint refuses connections
                ProviderConfig.of("down", ProviderKind.STATIC, null).withStaticModels(List.of("m"))
                        .withApiBaseUrl(URI.create("http://127.0.0.1:" + closedPort + "/v1")));
        var config = TestConfigs.embedded(dir, providers).withGateway(new GatewayConfig(Duration.ofSeconds(2), FIRST_BYTE_TIMEOUT,
                IDLE_TIMEOUT, GatewayConfig.DEFAULT_MAX_REQUEST_BYTES));
        switchboard = Switchboard.open(config).serve();
        http = new TestHttp(switchboard.port());
        http.post("/api/v1/providers:refresh?force=true");
    }

    @AfterEach
    void stop() {
        http.close();
        switchboard.close();
        a.close();
        b.close();
        c.close();
    }

    private void configure(String provider, String... fallbacks) {
        String list = String.join("\",\"", fallbacks);
        TestHttp.Response saved = http.json("PUT", "/api/v1/model-configs/planner?validate=false", "{\"provider\":\"" + provider
                + "\",\"model\":\"m\",\"fallbacks\":[" + (fallbacks.length == 0 ? "" : "\"" + list + "\"") + "]}");
        assertThat(saved.status()).as(saved.text()).isIn(200, 201);
    }

    private TestHttp.Response chat() {
        return http.json("POST", "/v1/chat/completions", CHAT);
    }

    @Test
    void a500FallsBackToTheNextTarget() {
        configure("a", "b/m", "c/m");
        a.on("/v1/chat/completions", request -> Reply.json(500, "{\"error\":{\"message\":\"boom\"}}"));

        TestHttp.Response answer = chat();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("id").asText()).isEqualTo("from-b");
        assertThat(answer.header("X-Switchboard-Target")).isEqualTo("b/m");
        assertThat(answer.header("X-Switchboard-Attempts")).isEqualTo("2");
        assertThat(a.requestCount("/v1/chat/completions")).isEqualTo(1);
        assertThat(c.requestCount("/v1/chat/completions")).isZero();
    }

    @Test
    void a429FallsBackToTheNextTarget() {
        configure("a", "b/m");
        a.on("/v1/chat/completions", request -> Reply.json(429, "{\"error\":{\"message\":\"slow down\"}}"));

        TestHttp.Response answer = chat();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("X-Switchboard-Target")).isEqualTo("b/m");
        assertThat(answer.header("X-Switchboard-Attempts")).isEqualTo("2");
    }

    @Test
    void anUpstreamThatHangsBeforeItsFirstByteFallsBackAfterTheTimeout() {
        configure("a", "b/m");
        a.on("/v1/chat/completions", request -> Reply.hang());
        long started = System.nanoTime();

        TestHttp.Response answer = chat();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("X-Switchboard-Target")).isEqualTo("b/m");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(FIRST_BYTE_TIMEOUT);
        assertThat(http.get("/metrics").text())
                .contains("switchboard_gateway_attempts_total{alias=\"planner\",provider=\"a\",result=\"first_byte_timeout\"} 1.0")
                .contains("switchboard_gateway_fallbacks_total{alias=\"planner\",provider=\"a\"} 1.0");
    }

    @Test
    void aRefusedConnectionFallsBackToTheNextTarget() {
        configure("down", "b/m");

        TestHttp.Response answer = chat();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("X-Switchboard-Target")).isEqualTo("b/m");
        assertThat(answer.header("X-Switchboard-Attempts")).isEqualTo("2");
        assertThat(http.get("/metrics").text())
                .contains("switchboard_gateway_attempts_total{alias=\"planner\",provider=\"down\",result=\"connect_error\"} 1.0");
    }

    @Test
    void aFallbackThatIsAnAliasBringsItsOwnTargetAndFallbacks() {
        assertThat(http.json("PUT", "/api/v1/model-configs/backup?validate=false",
                "{\"provider\":\"a\",\"model\":\"m\",\"fallbacks\":[\"c/m\"]}").status()).isEqualTo(201);
        configure("down", "backup");
        a.on("/v1/chat/completions", request -> Reply.json(503, "{}"));

        TestHttp.Response answer = chat();

        assertThat(answer.header("X-Switchboard-Target")).isEqualTo("c/m");
        assertThat(answer.header("X-Switchboard-Attempts")).isEqualTo("3");
    }

    @Test
    void anotherClientErrorIsTheAnswerNotAReasonToFallBack() {
        configure("a", "b/m");
        a.on("/v1/chat/completions", request -> Reply.json(400, "{\"error\":{\"message\":\"bad messages\",\"code\":\"x\"}}"));

        TestHttp.Response answer = chat();

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text()).isEqualTo("{\"error\":{\"message\":\"bad messages\",\"code\":\"x\"}}");
        assertThat(answer.header("X-Switchboard-Target")).isEqualTo("a/m");
        assertThat(b.requestCount("/v1/chat/completions")).isZero();
    }

    @Test
    void theLastTargetsErrorIsPassedOnAsTheUpstreamSentIt() {
        configure("a", "b/m");
        a.on("/v1/chat/completions", request -> Reply.json(500, "{}"));
        b.on("/v1/chat/completions", request -> Reply.json(429, "{\"error\":{\"message\":\"quota\",\"type\":\"rate_limit_error\"}}"));

        TestHttp.Response answer = chat();

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.text()).isEqualTo("{\"error\":{\"message\":\"quota\",\"type\":\"rate_limit_error\"}}");
        assertThat(answer.header("X-Switchboard-Target")).isEqualTo("b/m");
        assertThat(answer.header("X-Switchboard-Attempts")).isEqualTo("2");
    }

    @Test
    void whenNoTargetAnswersTheCallerGets502InOpenAisShape() {
        configure("down");

        TestHttp.Response answer = chat();

        assertThat(answer.status()).isEqualTo(502);
        JsonNode error = answer.json().path("error");
        assertThat(error.path("code").asText()).isEqualTo("upstream_unavailable");
        assertThat(error.path("type").asText()).isEqualTo("server_error");
        assertThat(error.path("message").asText()).isEqualTo("no upstream answered for alias \"planner\" after 1 attempt;"
                + " the last, down/m, failed: connect error (details in the server log)");
        assertThat(answer.header("X-Switchboard-Target")).isEqualTo("down/m");
    }

    @Test
    void whenTheLastTargetTimesOutTheCallerGets504() {
        configure("a");
        a.on("/v1/chat/completions", request -> Reply.hang());

        TestHttp.Response answer = chat();

        assertThat(answer.status()).isEqualTo(504);
        assertThat(answer.json().path("error").path("code").asText()).isEqualTo("upstream_timeout");
    }

    @Test
    void aTargetItsProviderNoLongerListsGoesStraightToTheFallbacks() {
        configure("a", "b/m");
        a.onJson("/v1/models", openAiList("another-model"));
        http.post("/api/v1/providers/a:refresh?force=true");
        assertThat(http.get("/api/v1/model-configs/planner").json().path("target_status").asText()).isEqualTo("missing");

        TestHttp.Response answer = chat();

        assertThat(answer.header("X-Switchboard-Target")).isEqualTo("b/m");
        assertThat(answer.header("X-Switchboard-Attempts")).isEqualTo("1");
        assertThat(a.requestCount("/v1/chat/completions")).isZero();
    }

    @Test
    void noFallbackOnceAStreamHasStarted() throws Exception {
        configure("a", "b/m");
        a.on("/v1/chat/completions", request -> (exchange, pause) -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write("data: {\"n\":0}\n\n".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            pause.untilClosed(); // silent past the idle timeout
        });

        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + switchboard.port() + "/v1/chat/completions"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(STREAMED_CHAT)).build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Switchboard-Target")).contains("a/m");
            // the first event, then the caller's connection is closed: a cut stream can never pass for a whole one
            assertThatThrownBy(() -> response.body().readAllBytes()).isInstanceOf(IOException.class);
        }
        assertThat(b.requestCount("/v1/chat/completions")).isZero();
        assertThat(http.get("/metrics").text())
                .contains("switchboard_gateway_requests_total{alias=\"planner\",outcome=\"broken\",provider=\"a\"} 1.0");
    }

    @Test
    void aCallerThatDisconnectsCancelsTheUpstreamRequest() throws Exception {
        configure("a");
        CountDownLatch upstreamSawTheClose = new CountDownLatch(1);
        a.on("/v1/chat/completions", request -> Reply.streamUntilClientLeaves(Duration.ofMillis(50), upstreamSawTheClose));

        try (Socket socket = new Socket("127.0.0.1", switchboard.port())) {
            byte[] body = STREAMED_CHAT.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            socket.setSoTimeout(5_000);
            readUntil(socket.getInputStream(), "data: {\"n\":1}");
        } // the caller leaves in the middle of the stream

        assertThat(upstreamSawTheClose.await(5, TimeUnit.SECONDS)).as("the upstream's connection was closed").isTrue();
        assertThat(http.get("/metrics").text())
                .contains("switchboard_gateway_requests_total{alias=\"planner\",outcome=\"cancelled\",provider=\"a\"} 1.0");
    }

    private static void readUntil(InputStream in, String marker) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int b; (b = in.read()) >= 0; ) {
            text.append((char) b);
            if (text.indexOf(marker) >= 0) return;
        }
        throw new AssertionError("the stream ended before " + marker + ": " + text);
    }
}
