package dev.switchboard.cli;

import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code switchboard serve} as its own process: it stops cleanly on SIGTERM even while an upstream hangs. */
class ServeProcessTest {
    @TempDir
    Path dir;

    @Test
    void serveStopsOnSigtermWithinTheBoundWhileAnUpstreamHangs() throws Exception {
        try (FakeUpstream hung = FakeUpstream.start()) {
            hung.on("/v1/models", request -> Reply.hang());
            Path config = dir.resolve("switchboard.toml");
            Files.writeString(config, """
                    [server]
                    port = 0
                    [store]
                    url = "jdbc:h2:file:%s"
                    [model_catalog]
                    fetch_timeout = "5m"
                    refresh_deadline = "10m"
                    [[providers]]
                    id = "hung"
                    kind = "openai"
                    base_url = "%s"
                    """.formatted(dir.resolve("db").toAbsolutePath(), hung.uri("/v1")));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new java.util.ArrayList<>(List.of(java));
            if (Runtime.version().feature() >= 24) command.add("--sun-misc-unsafe-memory-access=allow");
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--config", config.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("serve.log").toFile()).start();
            try {
                Path log = dir.resolve("serve.log");
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("Switchboard ready on"));
                await().atMost(Duration.ofSeconds(10)).until(() -> hung.requestCount("/v1/models") == 1);

                long start = System.nanoTime();
                process.destroy(); // SIGTERM
                assertThat(process.waitFor(5, TimeUnit.SECONDS)).as("exited within 5 s of SIGTERM").isTrue();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(Files.readString(log)).contains("switchboard: stopped");
                assertThat(took).isLessThan(Duration.ofSeconds(5));
            } finally {
                process.destroyForcibly();
            }
        }
    }
}
