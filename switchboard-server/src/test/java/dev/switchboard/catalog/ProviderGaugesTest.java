package dev.switchboard.catalog;

import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 9: one {@code switchboard_provider_models} gauge per provider, registered once, removed with the provider. */
class ProviderGaugesTest {
    @TempDir
    Path dir;

    @Test
    void eachProviderGetsItsGaugeOnceAndLosesItWhenDeleted() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.onJson("/file/models", openAiList("f1"));
            upstream.onJson("/api/models", openAiList("a1", "a2"));
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            try (Switchboard switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of(TestConfigs.openai("from-file", upstream.uri("/file"))))).serve();
                 TestHttp http = new TestHttp(switchboard.port())) {
                http.post("/api/v1/providers:refresh");
                assertThat(http.json("POST", "/api/v1/providers", "{\"id\":\"acme\",\"kind\":\"openai\",\"base_url\":\"" + upstream.uri("/api") + "\"}")
                        .status()).isEqualTo(201);
                assertThat(http.json("PUT", "/api/v1/model-configs/planner", "{\"provider\":\"acme\",\"model\":\"a1\"}").status()).isEqualTo(201);
                assertThat(http.get("/metrics").text())
                        .contains("switchboard_provider_models{provider=\"from-file\"} 1.0")
                        .contains("switchboard_provider_models{provider=\"acme\"} 2.0");

                assertThat(http.send("DELETE", "/api/v1/providers/acme", "").status()).isEqualTo(204);
                assertThat(http.get("/metrics").text())
                        .contains("switchboard_provider_models{provider=\"from-file\"} 1.0")
                        .doesNotContain("provider=\"acme\"");
                org.slf4j.LoggerFactory.getLogger(ProviderGaugesTest.class).warn("capture probe");
            }
        } finally {
            System.setErr(originalErr);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("capture probe"); // the log was captured
        assertThat(logged).doesNotContainIgnoringCase("already registered").doesNotContain("MeterRegistry");
    }
}
