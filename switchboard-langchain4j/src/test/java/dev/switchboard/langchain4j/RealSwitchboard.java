package dev.switchboard.langchain4j;

import dev.switchboard.Switchboard;
import dev.switchboard.config.ConfigLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Switchboard server for the tests: an H2 file in the test's folder, two static providers ({@code local}
 * with the models {@code small} and {@code large}, {@code elsewhere} with {@code big}), no refresh schedule. Its
 * configuration is a TOML file, read as {@code switchboard serve --config} reads it. It can be stopped and started
 * again on the same port with the same data, as a restart.
 */
final class RealSwitchboard implements AutoCloseable {
    private static final String CONFIG = """
            [server]
            port = %d

            [store]
            url = "jdbc:h2:file:%s"

            [model_catalog]
            refresh_on_start = false
            refresh_interval = 0

            [[providers]]
            id = "local"
            kind = "static"
            models = ["small", "large"]

            [[providers]]
            id = "elsewhere"
            kind = "static"
            models = ["big"]
            %s""";

    private final Path dir;
    /** More TOML after the providers above, such as another [[providers]] table. */
    private final String more;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Switchboard server;
    private int port;

    private RealSwitchboard(Path dir, String more) {
        this.dir = dir;
        this.more = more;
    }

    /** Starts on a free port. */
    static RealSwitchboard start(Path dir) {
        return start(dir, "");
    }

    /** Starts on a free port, with more TOML at the end of the configuration. */
    static RealSwitchboard start(Path dir, String more) {
        RealSwitchboard switchboard = new RealSwitchboard(dir, more);
        switchboard.serve(0);
        return switchboard;
    }

    private void serve(int onPort) {
        Path file = dir.resolve("switchboard.toml");
        try {
            Files.writeString(file, CONFIG.formatted(onPort, dir.resolve("switchboard").toAbsolutePath().toString().replace('\\', '/'), more));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = Switchboard.open(new ConfigLoader(dir).load(file, Map.of())).serve();
        port = server.port();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Stops the server; its data stays. */
    void stop() {
        server.close();
    }

    /** Starts it again on the same port, with the same data. */
    void restart() {
        serve(port);
    }

    /** Creates or replaces {@code alias}; {@code params} is a JSON object. */
    void put(String alias, String provider, String model, String params) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri().resolve("/api/v1/model-configs/" + alias))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"provider\":\"" + provider + "\",\"model\":\"" + model
                        + "\",\"params\":" + params + "}")));
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    }

    void delete(String alias) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri().resolve("/api/v1/model-configs/" + alias)).DELETE());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        http.close();
    }
}
