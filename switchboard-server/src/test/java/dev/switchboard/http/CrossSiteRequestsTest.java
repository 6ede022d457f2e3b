package dev.switchboard.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.RawHttp;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.config.ProviderKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, item 3: with {@code [auth] mode = "none"} a web page the operator opens must not be able to write
 * (CSRF) nor read through a rebound DNS name. Bodies must be JSON (415), a foreign {@code Origin} may not
 * write (403), a foreign {@code Host} is refused on loopback (421); {@code allowed_origins} drives CORS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossSiteRequestsTest {
    static final String CONSOLE = "http://localhost:3000";
    static final String EVIL = "http://evil.example";
    static final String CONFIG = "{\"provider\":\"local\",\"model\":\"m1\"}";
    @TempDir
    static Path dir;
    Switchboard switchboard;
    TestHttp http;
    int port;

    @BeforeAll
    void start() {
        ProviderConfig local = new ProviderConfig("local", ProviderKind.STATIC, null, Secret.NONE, List.of(), List.of(),
                List.of("m1", "m2"), Map.of(), ProviderConfig.Source.CONFIG);
        SwitchboardConfig config = TestConfigs.embedded(dir, List.of(local));
        config = config.withServer(config.server().withAllowedOrigins(List.of(CONSOLE)).withAllowedHosts(List.of("switchboard.local")));
        switchboard = Switchboard.open(config).serve();
        port = switchboard.port();
        http = new TestHttp(port);
        assertThat(http.post("/api/v1/providers:refresh").status()).isEqualTo(200);
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

    private boolean configured(String alias) {
        return http.get("/api/v1/model-configs/" + alias).status() == 200;
    }

    // --- Content-Type

    @Test
    void aJsonBodySentAsTextPlainIsRefusedWith415AndNothingIsStored() {
        TestHttp.Response response = http.send("PUT", "/api/v1/model-configs/plain", CONFIG, "Content-Type", "text/plain");

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.json().path("error").path("type").asText()).isEqualTo("unsupported_media_type");
        assertThat(response.json().path("error").path("message").asText())
                .isEqualTo("request bodies must be JSON, sent with Content-Type: application/json; got text/plain");
        assertThat(configured("plain")).isFalse();
    }

    @Test
    void aFormEncodedBodyIsRefusedWith415() {
        TestHttp.Response response = http.send("POST", "/api/v1/providers", "id=x&kind=static",
                "Content-Type", "application/x-www-form-urlencoded");

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.json().path("error").path("message").asText()).endsWith("got application/x-www-form-urlencoded");
        assertThat(http.get("/api/v1/providers/x").status()).isEqualTo(404);
    }

    @Test
    void aBodyWithoutAContentTypeIsRefusedWith415() {
        RawHttp.Answer answer = RawHttp.send(port, "PUT", "/api/v1/model-configs/untyped", CONFIG, "Host: 127.0.0.1:" + port);

        assertThat(answer.status()).isEqualTo(415);
        assertThat(error(answer.body()).path("message").asText()).endsWith("got no Content-Type");
        assertThat(configured("untyped")).isFalse();
    }

    @Test
    void jsonWithAUtf8CharsetIsAcceptedAndAnotherCharsetIsNot() {
        assertThat(http.send("PUT", "/api/v1/model-configs/charset", CONFIG, "Content-Type", "application/json; charset=UTF-8")
                .status()).isEqualTo(201);
        TestHttp.Response latin = http.send("PUT", "/api/v1/model-configs/latin", CONFIG,
                "Content-Type", "application/json; charset=iso-8859-1");
        assertThat(latin.status()).isEqualTo(415);
        assertThat(latin.json().path("error").path("message").asText()).isEqualTo("JSON bodies must be UTF-8; got charset=iso-8859-1");
    }

    @Test
    void aMergePatchMediaTypeIsAcceptedByPatchOnly() {
        assertThat(http.json("PUT", "/api/v1/model-configs/patched", CONFIG).status()).isEqualTo(201);

        TestHttp.Response patched = http.send("PATCH", "/api/v1/model-configs/patched", "{\"model\":\"m2\"}",
                "Content-Type", "application/merge-patch+json");
        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
        assertThat(patched.json().path("model").asText()).isEqualTo("m2");
        assertThat(http.send("PUT", "/api/v1/model-configs/patched", CONFIG, "Content-Type", "application/merge-patch+json")
                .status()).isEqualTo(415);
    }

    @Test
    void aRequestWithoutABodyNeedsNoContentType() {
        assertThat(http.post("/api/v1/providers/local:refresh").status()).isEqualTo(200);
    }

    // --- Origin and CORS

    @Test
    void aWriteFromAForeignOriginIsRefusedWith403AndNothingIsStored() {
        TestHttp.Response response = http.json("PUT", "/api/v1/model-configs/csrf", CONFIG, "Origin", EVIL);

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().path("error").path("type").asText()).isEqualTo("forbidden_origin");
        assertThat(response.json().path("error").path("message").asText()).isEqualTo("requests from the web origin "
                + "\"http://evil.example\" may not change anything here; list it in [server] allowed_origins to allow it");
        assertThat(response.header("Access-Control-Allow-Origin")).isNull();
        assertThat(configured("csrf")).isFalse();
    }

    @Test
    void aWriteFromAnOpaqueOriginIsRefused() {
        assertThat(http.post("/api/v1/providers:refresh", "Origin", "null").status()).isEqualTo(403);
    }

    @Test
    void aWriteFromTheServersOwnOriginIsAccepted() {
        TestHttp.Response response = http.json("PUT", "/api/v1/model-configs/same-origin", CONFIG, "Origin", "http://127.0.0.1:" + port);

        assertThat(response.status()).as(response.text()).isEqualTo(201);
    }

    @Test
    void aWriteFromAnAllowedOriginIsAcceptedWithCorsHeaders() {
        TestHttp.Response response = http.json("PUT", "/api/v1/model-configs/console", CONFIG, "Origin", CONSOLE);

        assertThat(response.status()).as(response.text()).isEqualTo(201);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(CONSOLE);
        assertThat(response.header("Access-Control-Expose-Headers")).contains("ETag").contains("X-Switchboard-Revision");
        assertThat(response.header("Vary")).isEqualTo("Origin");
    }

    @Test
    void aReadFromAForeignOriginIsAnsweredWithoutCorsHeadersSoTheBrowserHidesIt() {
        TestHttp.Response response = http.get("/api/v1/model-configs", "Origin", EVIL);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void theModelListGivesAnAllowedOriginCorsHeaders() {
        TestHttp.Response response = http.get("/v1/models", "Origin", CONSOLE);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(CONSOLE);
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWithTheMethodsAndHeadersOfThePath() {
        RawHttp.Answer answer = RawHttp.send(port, "OPTIONS", "/api/v1/model-configs/planner", null, "Host: 127.0.0.1:" + port,
                "Origin: " + CONSOLE, "Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: content-type, if-match");

        assertThat(answer.status()).isEqualTo(204);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo(CONSOLE);
        assertThat(answer.header("Access-Control-Allow-Methods")).isEqualTo("GET, PUT, PATCH, DELETE");
        assertThat(answer.header("Access-Control-Allow-Headers"))
                .contains("Authorization").contains("Content-Type").contains("If-Match").contains("Last-Event-ID");
        assertThat(answer.header("Access-Control-Max-Age")).isNotBlank();
    }

    @Test
    void aPreflightFromAnotherOriginIsRefusedWith403() {
        RawHttp.Answer answer = RawHttp.send(port, "OPTIONS", "/api/v1/model-configs/planner", null, "Host: 127.0.0.1:" + port,
                "Origin: " + EVIL, "Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: content-type");

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.header("Access-Control-Allow-Origin")).isNull();
        assertThat(error(answer.body()).path("type").asText()).isEqualTo("forbidden_origin");
    }

    // --- Host (DNS rebinding)

    @Test
    void aForeignHostIsRefusedWith421OnEveryPathIncludingTheModelList() {
        for (String path : List.of("/v1/models", "/api/v1/providers", "/healthz")) {
            RawHttp.Answer answer = RawHttp.send(port, "GET", path, null, "Host: evil.example:" + port);

            assertThat(answer.status()).as(path).isEqualTo(421);
            assertThat(error(answer.body()).path("type").asText()).isEqualTo("unknown_host");
            assertThat(error(answer.body()).path("message").asText()).isEqualTo("Host \"evil.example:" + port
                    + "\" is not a name of this server (it answers to localhost, 127.0.0.1, [::1], switchboard.local);"
                    + " a web page behind a rebound DNS name sends such a Host. List other names in [server] allowed_hosts");
        }
    }

    @Test
    void aWriteThroughAForeignHostIsRefusedAndNothingIsStored() {
        RawHttp.Answer answer = RawHttp.send(port, "PUT", "/api/v1/model-configs/rebound", CONFIG,
                "Host: evil.example:" + port, "Content-Type: application/json", "Origin: http://evil.example:" + port);

        assertThat(answer.status()).isEqualTo(421);
        assertThat(configured("rebound")).isFalse();
    }

    @Test
    void loopbackNamesTheBoundHostAndAllowedHostsAreAccepted() {
        for (String host : List.of("localhost", "LOCALHOST", "127.0.0.1", "[::1]", "switchboard.local")) {
            assertThat(RawHttp.send(port, "GET", "/v1/models", null, "Host: " + host + ":" + port).status()).as(host).isEqualTo(200);
            assertThat(RawHttp.send(port, "GET", "/api/v1/providers", null, "Host: " + host).status()).as(host).isEqualTo(200);
        }
    }

    @Test
    void offLoopbackTheHostIsCheckedOnceAllowedHostsListsNames(@TempDir Path otherDir) {
        SwitchboardConfig config = TestConfigs.secured(otherDir, List.of(), "admin-key-for-tests-0123456789");
        config = config.withServer(new ServerConfig("0.0.0.0", 0, ServerConfig.DEFAULT_MAX_BODY_BYTES, List.of(),
                List.of("switchboard.internal")));
        try (Switchboard open = Switchboard.open(config).serve()) {
            int other = open.port();

            assertThat(RawHttp.send(other, "GET", "/healthz", null, "Host: switchboard.internal:" + other).status()).isEqualTo(200);
            assertThat(RawHttp.send(other, "GET", "/healthz", null, "Host: 127.0.0.1:" + other).status()).isEqualTo(200);
            assertThat(RawHttp.send(other, "GET", "/healthz", null, "Host: evil.example:" + other).status()).isEqualTo(421);
        }
    }
}
