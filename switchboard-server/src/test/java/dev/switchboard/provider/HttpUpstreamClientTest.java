package dev.switchboard.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import dev.switchboard.testsupport.FakeUpstream.Reply.Framing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class HttpUpstreamClientTest {
    private static final long CAP = 64 * 1024;
    /** Generous: these tests prove "bounded", not "fast to the millisecond", on a busy 2-core machine. */
    private static final Duration MARGIN = Duration.ofSeconds(3);

    private final ObjectMapper mapper = new ObjectMapper();
    private FakeUpstream upstream;
    private HttpUpstreamClient client;

    @BeforeEach
    void start() throws IOException {
        upstream = FakeUpstream.start();
        client = new HttpUpstreamClient(Duration.ofSeconds(5), CAP, mapper);
    }

    @AfterEach
    void stop() {
        client.close();
        upstream.close();
    }

    @Test
    void returnsTheParsedBodyAndSendsTheGivenHeaders() throws Exception {
        upstream.onJson("/v1/models", "{\"data\":[{\"id\":\"gpt-5\"}]}");

        JsonNode body = client.getJson(upstream.uri("/v1/models?x=1"), Map.of("X-Custom", "yes"));

        assertThat(body.path("data").get(0).path("id").asText()).isEqualTo("gpt-5");
        var request = upstream.lastRequest("/v1/models");
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.rawQuery()).isEqualTo("x=1");
        assertThat(request.header("X-Custom")).contains("yes");
        assertThat(request.header("Accept")).contains("application/json");
    }

    @Test
    void followsRedirects() throws Exception {
        upstream.on("/old", request -> (exchange, pause) -> {
            exchange.getResponseHeaders().set("Location", "/new");
            exchange.sendResponseHeaders(302, -1);
        });
        upstream.onJson("/new", "{\"ok\":true}");

        assertThat(client.getJson(upstream.uri("/old"), Map.of()).path("ok").asBoolean()).isTrue();
    }

    @Test
    void followsASameOriginRedirectGivenAsAnAbsoluteUrlWithTheSameHeaders() throws Exception {
        upstream.on("/v1/models", request -> redirect(302, upstream.uri("/v2/models").toString()));
        upstream.onJson("/v2/models", "{\"ok\":true}");

        assertThat(client.getJson(upstream.uri("/v1/models"), Map.of("x-api-key", "sk-same-origin")).path("ok").asBoolean())
                .isTrue();
        assertThat(upstream.lastRequest("/v2/models").header("x-api-key")).contains("sk-same-origin");
    }

    @Test
    void aRedirectToAnotherOriginIsNotFollowedAndNoCredentialReachesIt() throws Exception {
        try (var elsewhere = FakeUpstream.start()) {
            elsewhere.onJson("/latest/meta-data", "{\"AccessKeyId\":\"ASIA-INSTANCE-CREDENTIALS\"}");
            upstream.on("/v1/models", request -> redirect(307, elsewhere.uri("/latest/meta-data?x=1").toString()));

            assertThatThrownBy(() -> client.getJson(upstream.uri("/v1/models?key=sk-in-the-query"),
                    Map.of("x-api-key", "sk-in-a-header", "Authorization", "Bearer sk-in-a-header")))
                    .isInstanceOf(FetchException.class)
                    .hasMessage("redirected to another origin, " + elsewhere.baseUri() + "/latest/meta-data; not followed"
                            + " (credentials go to base_url's origin only): update base_url to the new location")
                    .hasMessageNotContaining("ASIA-INSTANCE-CREDENTIALS");
            assertThat(elsewhere.requests("/latest/meta-data")).isEmpty();
        }
    }

    @Test
    void aRedirectToTheMetadataAddressIsNotFetched() {
        upstream.on("/v1/models", request -> redirect(302, "http://169.254.169.254/latest/meta-data/"));

        assertThatThrownBy(() -> client.getJson(upstream.uri("/v1/models"), Map.of("x-api-key", "sk-in-a-header")))
                .hasMessageStartingWith("redirected to another origin, http://169.254.169.254/latest/meta-data/; not followed");
    }

    @Test
    void anotherSchemeOrPortIsAnotherOrigin() {
        upstream.on("/https", request -> redirect(301, "https://127.0.0.1:" + upstream.baseUri().getPort() + "/v1/models"));
        upstream.on("/port", request -> redirect(301, "http://127.0.0.1:1/v1/models"));

        assertThatThrownBy(() -> client.getJson(upstream.uri("/https"), Map.of()))
                .hasMessageStartingWith("redirected to another origin, https://127.0.0.1:");
        assertThatThrownBy(() -> client.getJson(upstream.uri("/port"), Map.of()))
                .hasMessageStartingWith("redirected to another origin, http://127.0.0.1:1/v1/models");
    }

    @Test
    void aRedirectLoopEndsAfterFiveHops() {
        upstream.on("/loop", request -> redirect(302, "/loop"));

        assertThatThrownBy(() -> client.getJson(upstream.uri("/loop"), Map.of()))
                .hasMessage("more than 5 redirects from " + upstream.baseUri() + "/loop");
        assertThat(upstream.requestCount("/loop")).isEqualTo(6);
    }

    private static Reply redirect(int status, String location) {
        return (exchange, pause) -> {
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(status, -1);
        };
    }

    @Test
    void http500NamesTheEndpointAndQuotesTheBody() {
        upstream.on("/v1/models", request -> Reply.json(500, "{\"error\":\"upstream exploded\"}"));

        assertThatThrownBy(() -> client.getJson(upstream.uri("/v1/models?limit=1000"), Map.of()))
                .isInstanceOf(FetchException.class)
                .hasMessage("HTTP 500 from " + upstream.baseUri() + "/v1/models: {\"error\":\"upstream exploded\"}");
    }

    @Test
    void http401And403HintAtTheApiKey() {
        upstream.on("/401", request -> Reply.json(401, "{\"error\":\"invalid x-api-key\"}"));
        upstream.on("/403", request -> Reply.json(403, ""));

        assertThatThrownBy(() -> client.getJson(upstream.uri("/401"), Map.of()))
                .hasMessageStartingWith("HTTP 401 from " + upstream.baseUri() + "/401")
                .hasMessageContaining("check the api key")
                .hasMessageContaining("invalid x-api-key");
        assertThatThrownBy(() -> client.getJson(upstream.uri("/403"), Map.of()))
                .hasMessage("HTTP 403 from " + upstream.baseUri() + "/403 (check the api key)");
    }

    @Test
    void errorExcerptIsOneShortLine() {
        upstream.on("/big-error", request -> Reply.json(502, "<html>\n<body>\n" + "x".repeat(10_000) + "</body></html>"));

        assertThatThrownBy(() -> client.getJson(upstream.uri("/big-error"), Map.of()))
                .satisfies(e -> {
                    String excerpt = e.getMessage().substring(e.getMessage().indexOf(": ") + 2);
                    assertThat(excerpt).hasSizeLessThanOrEqualTo(200).startsWith("<html> <body> xxx").doesNotContain("\n");
                });
    }

    @Test
    void malformedJsonIsReportedWithTheParserMessage() {
        upstream.on("/bad", request -> Reply.json("{\"data\": [1, 2"));

        assertThatThrownBy(() -> client.getJson(upstream.uri("/bad"), Map.of()))
                .hasMessage("malformed JSON: Unexpected end-of-input: expected close marker for Array (line 1, column 15)");
    }

    @Test
    void emptyBodyAndTrailingGarbageAreMalformed() {
        upstream.on("/empty", request -> Reply.json(""));
        upstream.on("/trailing", request -> Reply.json("{} <html>"));

        assertThatThrownBy(() -> client.getJson(upstream.uri("/empty"), Map.of()))
                .hasMessage("malformed JSON: empty body");
        assertThatThrownBy(() -> client.getJson(upstream.uri("/trailing"), Map.of()))
                .hasMessageStartingWith("malformed JSON: ");
    }

    @Test
    void declaredContentLengthOverTheCapIsRejectedWithoutReadingTheBody() {
        // The body never arrives: only a decision taken on the header can end this call before the timeout.
        upstream.on("/huge", request -> Reply.declaringLength(100L * 1024 * 1024));

        long started = System.nanoTime();
        assertThatThrownBy(() -> client.getJson(upstream.uri("/huge"), Map.of()))
                .hasMessage("response body over the 64 KB cap");
        assertThat(elapsedSince(started)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void chunkedBodyOverTheCapIsRejectedWhileStreaming() {
        upstream.on("/huge", request -> Reply.paddedJson("{}", 8 * 1024 * 1024, Framing.CHUNKED));

        assertThatThrownBy(() -> client.getJson(upstream.uri("/huge"), Map.of()))
                .hasMessage("response body over the 64 KB cap");
    }

    @Test
    void bodyOfExactlyTheCapIsAccepted() throws Exception {
        upstream.on("/fixed", request -> Reply.paddedJson("{}", CAP - 2, Framing.CONTENT_LENGTH));
        upstream.on("/chunked", request -> Reply.paddedJson("{}", CAP - 2, Framing.CHUNKED));
        upstream.on("/one-over", request -> Reply.paddedJson("{}", CAP - 1, Framing.CHUNKED));

        assertThat(client.getJson(upstream.uri("/fixed"), Map.of()).isObject()).isTrue();
        assertThat(client.getJson(upstream.uri("/chunked"), Map.of()).isObject()).isTrue();
        assertThatThrownBy(() -> client.getJson(upstream.uri("/one-over"), Map.of()))
                .hasMessage("response body over the 64 KB cap");
    }

    @Test
    void serverThatNeverAnswersTimesOut() {
        upstream.on("/hang", request -> Reply.hang());
        try (var quick = new HttpUpstreamClient(Duration.ofMillis(500), CAP, mapper)) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> quick.getJson(upstream.uri("/hang"), Map.of()))
                    .hasMessage("timed out after 500ms");
            assertThat(elapsedSince(started)).isLessThan(Duration.ofMillis(500).plus(MARGIN));
        }
    }

    @Test
    void serverThatStallsTheBodyAfterTheHeadersTimesOut() {
        upstream.on("/stall", request -> Reply.headersThenStall());
        try (var quick = new HttpUpstreamClient(Duration.ofMillis(500), CAP, mapper)) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> quick.getJson(upstream.uri("/stall"), Map.of()))
                    .hasMessage("timed out after 500ms");
            assertThat(elapsedSince(started)).isLessThan(Duration.ofMillis(500).plus(MARGIN));
        }
    }

    @Test
    void refusedConnectionIsReportedAsSuch() throws Exception {
        assertThatThrownBy(() -> client.getJson(closedPortUri("/v1/models"), Map.of()))
                .hasMessage("connection refused");
    }

    @Test
    void callAfterTheDeadlineFailsWithoutARequest() {
        upstream.onJson("/v1/models", "{}");
        var expired = client.withDeadline(Instant.now().minusSeconds(1));

        assertThatThrownBy(() -> expired.getJson(upstream.uri("/v1/models"), Map.of()))
                .hasMessage("total deadline exceeded");
        assertThat(upstream.requestCount("/v1/models")).isZero();
    }

    @Test
    void deadlineEndsACallThatTheRequestTimeoutWouldStillAllow() {
        upstream.on("/slow", request -> Reply.json("{}").after(Duration.ofSeconds(30)));
        var bounded = client.withDeadline(Instant.now().plusMillis(400));

        long started = System.nanoTime();
        assertThatThrownBy(() -> bounded.getJson(upstream.uri("/slow"), Map.of()))
                .hasMessage("total deadline exceeded");
        assertThat(elapsedSince(started)).isLessThan(Duration.ofMillis(400).plus(MARGIN));
    }

    @Test
    void closeAbortsAHungCallWithinOneSecond() throws Exception {
        upstream.on("/hang", request -> Reply.hang());
        try (var patient = new HttpUpstreamClient(Duration.ofSeconds(60), CAP, mapper)) {
            var call = callInBackground(patient, upstream.uri("/hang"));
            await().atMost(Duration.ofSeconds(5)).until(() -> upstream.requestCount("/hang") == 1);

            long started = System.nanoTime();
            patient.close();
            Throwable failure = call.get(1, TimeUnit.SECONDS);

            assertThat(elapsedSince(started)).isLessThan(Duration.ofSeconds(1));
            assertThat(failure).isInstanceOf(FetchException.class).hasMessage("shutting down");
        }
    }

    @Test
    void closeAlsoAbortsABodyThatStalls() throws Exception {
        upstream.on("/stall", request -> Reply.headersThenStall());
        try (var patient = new HttpUpstreamClient(Duration.ofSeconds(60), CAP, mapper)) {
            var call = callInBackground(patient, upstream.uri("/stall"));
            await().atMost(Duration.ofSeconds(5)).until(() -> upstream.requestCount("/stall") == 1);

            patient.close();

            assertThat(call.get(1, TimeUnit.SECONDS)).hasMessage("shutting down");
        }
    }

    @Test
    void callsAfterCloseFailAtOnce() {
        upstream.onJson("/v1/models", "{}");
        client.close();

        assertThatThrownBy(() -> client.getJson(upstream.uri("/v1/models"), Map.of()))
                .hasMessage("shutting down");
        assertThat(upstream.requestCount("/v1/models")).isZero();
    }

    @Test
    void interruptingTheCallerAbortsItsCall() throws Exception {
        upstream.on("/hang", request -> Reply.hang());
        var failure = new CompletableFuture<Throwable>();
        Thread caller = Thread.ofPlatform().start(() -> failure.complete(failureOf(client, upstream.uri("/hang"))));
        await().atMost(Duration.ofSeconds(5)).until(() -> upstream.requestCount("/hang") == 1);

        caller.interrupt();

        assertThat(failure.get(1, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    }

    @Test
    void fileUrisAreReadUnderTheSameCap(@TempDir Path dir) throws Exception {
        Path small = Files.writeString(dir.resolve("registry.json"), "[\"a\",\"b\"]");
        Path large = Files.writeString(dir.resolve("large.json"), " ".repeat((int) CAP) + "[]");

        assertThat(client.getJson(small.toUri(), Map.of()).size()).isEqualTo(2);
        assertThatThrownBy(() -> client.getJson(large.toUri(), Map.of()))
                .hasMessage("response body over the 64 KB cap");
        assertThatThrownBy(() -> client.getJson(dir.resolve("missing.json").toUri(), Map.of()))
                .hasMessageStartingWith("file not found: ");
    }

    @Test
    void unsupportedSchemeIsRefused() {
        assertThatThrownBy(() -> client.getJson(URI.create("ftp://example.org/models"), Map.of()))
                .hasMessage("unsupported URL scheme \"ftp\"");
    }

    @Test
    void headerTheJdkRefusesIsNamedButNotQuoted() {
        assertThatThrownBy(() -> client.getJson(upstream.uri("/x"), Map.of("Host", "secret-host-value")))
                .hasMessage("request header \"Host\" cannot be sent");
    }

    private URI closedPortUri(String path) throws IOException {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static CompletableFuture<Throwable> callInBackground(UpstreamClient client, URI uri) {
        var failure = new CompletableFuture<Throwable>();
        Thread.ofPlatform().daemon().start(() -> failure.complete(failureOf(client, uri)));
        return failure;
    }

    private static Throwable failureOf(UpstreamClient client, URI uri) {
        try {
            client.getJson(uri, Map.of());
            return new AssertionError("the call succeeded");
        } catch (FetchException | InterruptedException e) {
            return e;
        }
    }

    private static Duration elapsedSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
