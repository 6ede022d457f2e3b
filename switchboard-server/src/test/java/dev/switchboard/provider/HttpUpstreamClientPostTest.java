package dev.switchboard.provider;

import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link UpstreamClient#postJson}: the same bounds and reasons as a GET, plus the status of a non-2xx answer. */
class HttpUpstreamClientPostTest extends DialectTestSupport {

    @Test
    void postsTheBodyAsJsonWithTheGivenHeaders() throws Exception {
        upstream.onJson("/api/show", "{\"capabilities\":[\"completion\"]}");

        var answer = client.postJson(upstream.uri("/api/show"), Map.of("Authorization", "Bearer " + KEY),
                json("{\"model\":\"llava:13b\"}"));

        assertThat(answer).isEqualTo(json("{\"capabilities\":[\"completion\"]}"));
        var request = upstream.lastRequest("/api/show");
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Content-Type")).contains("application/json");
        assertThat(request.header("Accept")).contains("application/json");
        assertThat(request.header("Authorization")).contains("Bearer " + KEY);
        assertThat(mapper.readTree(request.body())).isEqualTo(json("{\"model\":\"llava:13b\"}"));
    }

    @Test
    void aNonSuccessAnswerCarriesItsStatusAndARedactedReason() {
        upstream.on("/api/show", request -> Reply.json(404, "{\"error\":\"no such model for key " + KEY + "\"}"));

        var failure = catchThrowableOfType(FetchException.class, () -> client.postJson(upstream.uri("/api/show"),
                Map.of("Authorization", "Bearer " + KEY), json("{\"model\":\"gone\"}")));

        assertThat(failure.httpStatus()).isEqualTo(OptionalInt.of(404));
        assertThat(failure).hasMessage("HTTP 404 from " + upstream.uri("/api/show") + ": {\"error\":\"no such model for key ***\"}");
    }

    @Test
    void failuresOtherThanAnAnswerHaveNoStatus() throws Exception {
        URI closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/api/show");
        }
        upstream.onJson("/garbage", "{");
        final URI refused = closedPort;

        assertThat(catchThrowableOfType(FetchException.class, () -> client.postJson(refused, Map.of(), json("{}"))).httpStatus())
                .isEmpty();
        assertThat(catchThrowableOfType(FetchException.class,
                () -> client.postJson(upstream.uri("/garbage"), Map.of(), json("{}"))).httpStatus()).isEmpty();
    }

    @Test
    void a307Or308RepeatsThePostAndOtherRedirectsFailIt() throws Exception {
        upstream.on("/kept", request -> redirect(307, "/api/show"));
        upstream.on("/changed", request -> redirect(302, "/api/show"));
        upstream.on("/api/show", request -> "POST".equals(request.method())
                ? Reply.json("{\"echo\":" + request.bodyText() + "}")
                : Reply.json(405, "{\"error\":\"method not allowed\"}"));

        assertThat(client.postJson(upstream.uri("/kept"), Map.of(), json("{\"model\":\"m\"}")))
                .isEqualTo(json("{\"echo\":{\"model\":\"m\"}}"));
        var notFollowed = catchThrowableOfType(FetchException.class,
                () -> client.postJson(upstream.uri("/changed"), Map.of(), json("{\"model\":\"m\"}")));
        assertThat(notFollowed.httpStatus()).isEqualTo(OptionalInt.of(302));
        assertThat(notFollowed).hasMessage("HTTP 302 from " + upstream.uri("/changed"));
        assertThat(upstream.requestCount("/api/show")).isEqualTo(1);
    }

    @Test
    void aDeadlineViewBoundsPostsToo() {
        upstream.on("/api/show", request -> Reply.hang());

        assertThatThrownBy(() -> client.withDeadline(Instant.now().minusSeconds(1))
                .postJson(upstream.uri("/api/show"), Map.of(), json("{}")))
                .hasMessage(FailureReasons.DEADLINE_EXCEEDED);
        assertThatThrownBy(() -> client.withDeadline(Instant.now().plusMillis(300))
                .postJson(upstream.uri("/api/show"), Map.of(), json("{}")))
                .hasMessage(FailureReasons.DEADLINE_EXCEEDED);
    }

    @Test
    void aPolicyViewChecksPostsToo() throws Exception {
        var metadataAddress = InetAddress.getByAddress(new byte[]{(byte) 169, (byte) 254, (byte) 169, (byte) 254});
        var policy = new UrlPolicy(List.of(), host -> new InetAddress[]{metadataAddress});
        URI uri = URI.create("http://localhost:" + upstream.baseUri().getPort() + "/api/show");

        assertThatThrownBy(() -> client.withDeadline(Instant.now().plusSeconds(30), policy).postJson(uri, Map.of(), json("{}")))
                .hasMessageStartingWith("refused " + uri + ": resolves to 169.254.169.254");
        assertThat(upstream.requestCount("/api/show")).isZero();
    }

    @Test
    void aFileUrlCannotBePostedTo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("registry.json"), "{}");

        assertThatThrownBy(() -> client.postJson(file.toUri(), Map.of(), json("{}"))).hasMessage("cannot POST to a file: URL");
    }

    @Test
    void aClientThatOnlyGetsRefusesToPost() {
        UpstreamClient getOnly = (uri, headers) -> json("{}");

        assertThatThrownBy(() -> getOnly.postJson(upstream.uri("/api/show?key=" + KEY), Map.of(), json("{}")))
                .hasMessage("this upstream client cannot POST to " + upstream.uri("/api/show"));
    }

    private static Reply redirect(int status, String location) {
        return (exchange, pause) -> {
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(status, -1);
        };
    }
}
