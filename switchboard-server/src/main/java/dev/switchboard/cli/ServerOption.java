package dev.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.SwitchboardConfig;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** {@code --server URL} (else $SWITCHBOARD_URL, else the configured host and port) and the calls the CLI makes. */
final class ServerOption {
    @Option(names = "--server", paramLabel = "URL", description = "Switchboard server URL. Default: $SWITCHBOARD_URL, else http://<[server] host>:<port>.")
    URI server;

    URI base(SwitchboardConfig config) {
        if (server != null) return server;
        String env = System.getenv("SWITCHBOARD_URL");
        if (env != null && !env.isBlank()) return URI.create(env);
        String host = config.server().host().equals("0.0.0.0") ? "127.0.0.1" : config.server().host();
        return URI.create("http://" + host + ":" + config.server().port());
    }

    static JsonNode call(ObjectMapper mapper, URI base, String method, String pathAndQuery, Duration timeout)
            throws IOException, InterruptedException {
        return call(mapper, base, method, pathAndQuery, null, Map.of(), timeout);
    }

    /** One JSON call; an error answer becomes an exception whose message is the server's, plus the status. */
    static JsonNode call(ObjectMapper mapper, URI base, String method, String pathAndQuery, JsonNode body,
                         Map<String, String> headers, Duration timeout) throws IOException, InterruptedException {
        URI uri = base.resolve(pathAndQuery);
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body)));
            if (body != null) request.header("Content-Type", "application/json");
            headers.forEach(request::header);
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode answer = response.body().isEmpty() ? mapper.nullNode() : mapper.readTree(response.body());
            if (response.statusCode() >= 400) {
                String message = answer.path("error").path("message").asText("HTTP " + response.statusCode());
                throw new IllegalStateException(message + " (HTTP " + response.statusCode() + " from " + method + " " + uri.getPath() + ")");
            }
            return answer;
        } catch (ConnectException e) {
            throw new IllegalStateException("cannot reach the Switchboard server at " + base
                    + " (is it running? use --server URL, or --offline where offered)");
        }
    }
}
