package dev.switchboard.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.RawHttp;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, low: a wrong method answers 405 with {@code Allow}, not 404; answers Vert.x gives before any
 * route (414 URI too long, 431 headers too large) carry the JSON error body like every other error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusAnswersTest {
    @TempDir
    static Path dir;
    Switchboard switchboard;
    TestHttp http;
    int port;

    @BeforeAll
    void start() {
        switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of())).serve();
        port = switchboard.port();
        http = new TestHttp(port);
    }

    @AfterAll
    void stop() {
        http.close();
        switchboard.close();
    }

    private static JsonNode error(String body) {
        try {
            return new ObjectMapper().readTree(body).path("error");
        } catch (Exception e) {
            throw new AssertionError("not a JSON error: " + body, e);
        }
    }

    @Test
    void aWrongMethodAnswers405WithTheMethodsOfThePath() {
        TestHttp.Response response = http.send("DELETE", "/v1/models", "");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Allow")).isEqualTo("GET, OPTIONS");
        assertThat(response.json().path("error").path("type").asText()).isEqualTo("method_not_allowed");
        assertThat(response.json().path("error").path("message").asText()).isEqualTo("DELETE is not allowed on /v1/models");
    }

    @Test
    void aPathWithParametersListsEveryMethodRegisteredForIt() {
        TestHttp.Response response = http.post("/api/v1/model-configs/planner");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Allow")).isEqualTo("GET, PUT, PATCH, DELETE, OPTIONS");
    }

    @Test
    void anUnknownPathStillAnswers404() {
        TestHttp.Response response = http.get("/api/v1/nothing-here");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Allow")).isNull();
        assertThat(response.json().path("error").path("type").asText()).isEqualTo("not_found");
    }

    @Test
    void optionsWithoutAnOriginListsTheMethodsOfThePath() {
        RawHttp.Answer answer = RawHttp.send(port, "OPTIONS", "/api/v1/providers", null, "Host: 127.0.0.1:" + port);

        assertThat(answer.status()).isEqualTo(204);
        assertThat(answer.header("Allow")).isEqualTo("GET, POST, OPTIONS");
    }

    @Test
    void aTooLongUriAnswers414WithAJsonError() {
        RawHttp.Answer answer = RawHttp.send(port, "GET", "/v1/models?provider=" + "x".repeat(10_000), null, "Host: 127.0.0.1:" + port);

        assertThat(answer.status()).isEqualTo(414);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(error(answer.body()).path("type").asText()).isEqualTo("uri_too_long");
        assertThat(error(answer.body()).path("message").asText()).isEqualTo("the request line is longer than 4096 bytes");
    }

    @Test
    void tooLargeHeadersAnswer431WithAJsonError() {
        RawHttp.Answer answer = RawHttp.send(port, "GET", "/v1/models", null, "Host: 127.0.0.1:" + port,
                "X-Padding: " + "x".repeat(20_000));

        assertThat(answer.status()).isEqualTo(431);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(error(answer.body()).path("type").asText()).isEqualTo("headers_too_large");
        assertThat(error(answer.body()).path("message").asText()).isEqualTo("the request headers are larger than 16 KB");
    }

    @Test
    void aMalformedRequestAnswers400WithAJsonError() {
        RawHttp.Answer answer = RawHttp.send(port, "GET", "/v1/models", null, "Host: 127.0.0.1:" + port, "Content-Length: nope");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(error(answer.body()).path("type").asText()).isEqualTo("invalid_request");
    }
}
