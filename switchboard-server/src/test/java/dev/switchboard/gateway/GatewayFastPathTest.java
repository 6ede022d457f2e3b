package dev.switchboard.gateway;

import dev.switchboard.RawHttp;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's calls are served before the router when they qualify (a body with {@code Content-Length}),
 * through the router otherwise (a chunked body): both answer every call and every refusal alike, and the body
 * sent upstream is the caller's, byte for byte, but for {@code model} and the configuration's params.
 */
class GatewayFastPathTest {
    static final long MAX_REQUEST_BYTES = 4096;

    @TempDir
    Path dir;
    FakeUpstream upstream;
    Switchboard switchboard;
    TestHttp http;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start();
        upstream.onJson("/v1/models", openAiList("gpt-5"));
        Upstreams.answersChat(upstream, "/v1/chat/completions", "c", "hi");
        switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of(TestConfigs.openai("openai", upstream.uri("/v1"))))
                .withGateway(GatewayConfig.defaults().withMaxRequestBytes(MAX_REQUEST_BYTES))).serve();
        http = new TestHttp(switchboard.port());
        http.post("/api/v1/providers:refresh");
        http.json("POST", "/api/v1/model-configs", """
                {"alias":"planner","provider":"openai","model":"gpt-5","params":{"temperature":0.2,"seed":7,"model":"ignored"},
                 "fixed_params":["seed"]}""");
    }

    @AfterEach
    void stop() {
        http.close();
        switchboard.close();
        upstream.close();
    }

    private RawHttp.Answer direct(String body, String... headers) {
        return RawHttp.send(switchboard.port(), "POST", "/v1/chat/completions", body, withJson(headers));
    }

    private RawHttp.Answer routed(String body, String... headers) {
        return RawHttp.sendChunked(switchboard.port(), "POST", "/v1/chat/completions", body, withJson(headers));
    }

    private static String[] withJson(String... headers) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Host: 127.0.0.1";
        all[headers.length + 1] = "Content-Type: application/json";
        return all;
    }

    @Test
    void callsAndRefusalsAnswerAlikeWithAndWithoutTheRouter() {
        for (String body : List.of("{\"model\":\"planner\",\"messages\":[]}", "{\"model\":\"nope\"}", "{\"model\":", "[1]", "{}",
                "{\"model\":7}", "{\"model\":\"  \"}", "{\"model\":\"openai/gpt-9\"}", "{\"model\":\"planner\"} {}", "")) {
            RawHttp.Answer fast = direct(body);
            RawHttp.Answer slow = routed(body);

            assertThat(fast.status()).as(body).isEqualTo(slow.status());
            assertThat(fast.body()).as(body).isEqualTo(slow.body());
            for (String header : List.of("content-type", "content-length", "x-switchboard-target", "x-switchboard-attempts",
                    "x-switchboard-revision", "www-authenticate")) {
                assertThat(fast.header(header)).as(body + ": " + header).isEqualTo(slow.header(header));
            }
        }
        assertThat(upstream.requestCount("/v1/chat/completions")).isEqualTo(2); // the one valid call, once each way
    }

    @Test
    void whatTheRouterWouldRefuseIsStillRefused() {
        String call = "{\"model\":\"planner\"}";
        assertThat(RawHttp.send(switchboard.port(), "POST", "/v1/chat/completions", call, "Host: 127.0.0.1",
                "Content-Type: text/plain").status()).isEqualTo(415);
        assertThat(direct(call, "Origin: https://evil.example").status()).isEqualTo(403);
        assertThat(RawHttp.send(switchboard.port(), "POST", "/v1/chat/completions", call, "Host: rebound.example",
                "Content-Type: application/json").status()).isEqualTo(421);
        RawHttp.Answer tooLarge = direct("{\"model\":\"planner\",\"x\":\"" + "x".repeat((int) MAX_REQUEST_BYTES) + "\"}");
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("\"code\":\"payload_too_large\"");
        assertThat(upstream.requestCount("/v1/chat/completions")).isZero();
    }

    @Test
    void theUpstreamGetsTheCallersBytesWithModelAndParamsApplied() {
        String body = "{ \"model\" : \"planner\" ,\n \"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9 \\\"x\\\" \u20ac\"}],"
                + "\"seed\":1, \"n\" : 1, \"n\":2, \"stop\":null }";

        assertThat(direct(body).status()).isEqualTo(200);

        // in place: model rewritten, the fixed seed; kept as sent: the rest (n: the last value at the first place);
        // added at the end: the default temperature the call did not set
        assertThat(upstream.lastRequest("/v1/chat/completions").bodyText()).isEqualTo("{\"model\":\"gpt-5\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9 \\\"x\\\" \u20ac\"}],\"seed\":7,\"n\":2,\"stop\":null,"
                + "\"temperature\":0.2}");
    }

    @Test
    void answersCarryTheRevisionAndAreCountedInTheRequestMetrics() {
        RawHttp.Answer answer = direct("{\"model\":\"planner\"}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("x-switchboard-revision")).isNotBlank();
        assertThat(answer.header("x-switchboard-target")).isEqualTo("openai/gpt-5");
        assertThat(http.get("/metrics").text())
                .contains("switchboard_http_server_requests_seconds_count{method=\"POST\",route=\"/v1/chat/completions\",status=\"200\"} 1");
    }
}
