package dev.switchboard.http;

import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.ConfigSummary;
import dev.switchboard.config.Secret;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6: no response body, event, log line or exception message contains a provider secret. The upstream
 * here echoes the credential it received in its error body, the worst case for a leak.
 */
class NoSecretInAnswersEventsOrLogsTest {
    static final String FILE_SECRET = "sk-file-SECRET-aaaaaaaaaaaa";
    static final String API_SECRET = "sk-api-SECRET-bbbbbbbbbbbbb";
    @TempDir
    Path dir;

    @Test
    void noAnswerEventOrLogLineContainsAProviderSecret() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        StringBuilder answers = new StringBuilder();
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.on("/v1/models", request -> FakeUpstream.Reply.json(401,
                    "{\"error\":\"bad key " + request.header("Authorization").orElse("") + "\"}"));
            PrintStream tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
            System.setErr(tee);
            System.setOut(tee);
            org.slf4j.LoggerFactory.getLogger(NoSecretInAnswersEventsOrLogsTest.class).warn("capture probe");
            var config = TestConfigs.embedded(dir, List.of(TestConfigs.openai("from-file", upstream.uri("/v1"))
                    .withApiKey(new Secret(FILE_SECRET, "${env:FILE_KEY}"))));
            try (Switchboard switchboard = Switchboard.open(config).serve(); TestHttp http = new TestHttp(switchboard.port())) {
                answers.append(http.post("/api/v1/providers:refresh").text());
                answers.append(http.json("POST", "/api/v1/providers", "{\"id\":\"via-api\",\"kind\":\"openai\",\"base_url\":\""
                        + upstream.uri("/v1") + "\",\"api_key\":\"" + API_SECRET + "\"}").text());
                answers.append(http.json("PATCH", "/api/v1/providers/via-api", "{\"api_key\":\"" + API_SECRET + "\",\"kind\":7}").text());
                for (String path : List.of("/api/v1/providers", "/api/v1/providers/from-file", "/api/v1/providers/via-api",
                        "/v1/models", "/metrics", "/openapi.json", "/api/v1/events?since=0")) {
                    answers.append(http.get(path, "Accept", "application/json").text());
                }
                answers.append((String) switchboard.store().withHandle(h -> String.join("\n",
                        h.createQuery("SELECT data FROM event_log").mapTo(String.class).list())));
                answers.append((String) switchboard.store().withHandle(h -> String.join("\n",
                        h.createQuery("SELECT COALESCE(last_error, '') FROM provider_snapshot").mapTo(String.class).list())));
                answers.append(ConfigSummary.render(config));
                assertThat(upstream.lastRequest("/v1/models").header("Authorization")).isPresent(); // the secrets were really used
            }
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
        String everything = answers + "\n" + captured.toString(StandardCharsets.UTF_8);
        assertThat(everything).contains("HTTP 401"); // the failure itself is reported
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("capture probe"); // log lines were captured
        assertThat(everything).doesNotContain(FILE_SECRET).doesNotContain(API_SECRET);
    }
}
