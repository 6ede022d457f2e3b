package dev.switchboard.gateway;

import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11: no provider credential in any answer, header, log line or metric of the gateway. The upstreams here
 * echo the credentials they received — in error bodies, in headers, base64-encoded — the worst case for a leak;
 * every way an attempt can fail is provoked so that each log line is written.
 */
class NoCredentialThroughTheGatewayTest {
    static final String FILE_KEY = "sk-file-SECRET-0123456789abcdef";
    static final String HEADER_SECRET = "org-token-SECRET-fedcba9876543210";
    static final String API_KEY = "sk-api-SECRET-aaaabbbbccccdddd";
    static final String CHAT = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @TempDir
    Path dir;

    @Test
    void noAnswerHeaderLogLineOrMetricCarriesAProviderCredential() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        StringBuilder answers = new StringBuilder();
        try (FakeUpstream echo = FakeUpstream.start(); FakeUpstream hung = FakeUpstream.start()) {
            echo.onJson("/v1/models", openAiList("m"));
            hung.onJson("/v1/models", openAiList("m"));
            hung.on("/v1/chat/completions", request -> Reply.hang());
            echo.on("/v1/chat/completions", request -> {
                String auth = request.header("Authorization").orElse("") + " " + request.header("X-Org-Token").orElse("");
                String encoded = Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8));
                return (exchange, pause) -> {
                    exchange.getResponseHeaders().set("X-Echo", auth);
                    exchange.getResponseHeaders().set("X-Echo-Encoded", encoded);
                    Reply.json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + auth + " (" + encoded + ")\"}}")
                            .send(exchange, pause);
                };
            });
            echo.on("/v1/embeddings", request -> Reply.json(500, "{\"error\":\"" + request.header("Authorization").orElse("") + "\"}"));
            PrintStream tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
            System.setErr(tee);
            System.setOut(tee);
            var config = TestConfigs.embedded(dir, List.of(
                    TestConfigs.openai("from-file", echo.uri("/v1")).withApiKey(new Secret(FILE_KEY, "${env:FILE_KEY}"))
                            .withHeaders(Map.of("X-Org-Token", HEADER_SECRET)),
                    TestConfigs.openai("hung", hung.uri("/v1")).withApiKey(Secret.literal(FILE_KEY))))
                    .withGateway(GatewayConfig.defaults().withFirstByteTimeout(Duration.ofMillis(300)));
            try (Switchboard switchboard = Switchboard.open(config).serve(); TestHttp http = new TestHttp(switchboard.port())) {
                http.post("/api/v1/providers:refresh");
                answers.append(http.json("POST", "/api/v1/providers", "{\"id\":\"via-api\",\"kind\":\"openai\",\"base_url\":\""
                        + echo.uri("/v1") + "\",\"api_key\":\"" + API_KEY + "\"}").text());
                http.json("POST", "/api/v1/model-configs?validate=false",
                        "{\"alias\":\"planner\",\"provider\":\"hung\",\"model\":\"m\",\"fallbacks\":[\"via-api/m\",\"from-file/m\"]}");
                http.json("POST", "/api/v1/model-configs?validate=false", "{\"alias\":\"api\",\"provider\":\"via-api\",\"model\":\"m\"}");
                for (String model : List.of("planner", "api", "from-file/m", "via-api/m")) {
                    TestHttp.Response answer = http.json("POST", "/v1/chat/completions", CHAT.formatted(model));
                    answers.append(answer.status()).append(' ').append(answer.text()).append(answer.header("X-Echo"))
                            .append(answer.header("X-Echo-Encoded"));
                }
                TestHttp.Response embedded = http.json("POST", "/v1/embeddings", "{\"model\":\"from-file/m\",\"input\":\"x\"}");
                answers.append(embedded.text());
                answers.append(http.get("/metrics").text());
                assertThat(echo.lastRequest("/v1/chat/completions").header("Authorization")).isPresent(); // really sent
            }
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        String everything = answers + "\n" + logs;
        assertThat(answers).contains("Incorrect API key provided: ***"); // the echo itself is passed on, masked
        assertThat(logs).contains("gateway: attempt 1 of 3 for alias \"planner\" to hung/m failed (first_byte_timeout)");
        for (String secret : List.of(FILE_KEY, HEADER_SECRET, API_KEY)) {
            assertThat(everything).doesNotContain(secret)
                    .doesNotContain(Base64.getEncoder().encodeToString(("Bearer " + secret).getBytes(StandardCharsets.UTF_8)));
        }
    }
}
