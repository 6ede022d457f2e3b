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

/**
 * {@code --server URL} (else $SWITCHBOARD_URL, else the configured host and port) and {@code --key}
 * (else $SWITCHBOARD_KEY): where the CLI sends its calls and with which credential.
 */
final class ServerOption {
    @Option(names = "--server", paramLabel = "URL", description = "Switchboard server URL. Default: $SWITCHBOARD_URL, else http://<[server] host>:<port>.")
    URI server;

    @Option(names = "--key", paramLabel = "KEY", description = "API key or access token. Default: $SWITCHBOARD_KEY (prefer it: a key on the command line stays in shell history).")
    String key;

    Target target(SwitchboardConfig config) {
        String credential = key != null ? key : System.getenv("SWITCHBOARD_KEY");
        return new Target(base(config), credential == null || credential.isBlank() ? null : credential);
    }

    private URI base(SwitchboardConfig config) {
        if (server != null) return server;
        String env = System.getenv("SWITCHBOARD_URL");
        if (env != null && !env.isBlank()) return URI.create(env);
        String host = config.server().host().equals("0.0.0.0") ? "127.0.0.1" : config.server().host();
        return URI.create("http://" + host + ":" + config.server().port());
    }

    /** A server and the credential to present to it. */
    record Target(URI base, String key) {
        HttpRequest.Builder request(String pathAndQuery) {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery));
            if (key != null) request.header("Authorization", "Bearer " + key);
            return request;
        }

        JsonNode call(ObjectMapper mapper, String method, String pathAndQuery, Duration timeout) throws IOException, InterruptedException {
            return call(mapper, method, pathAndQuery, null, Map.of(), timeout);
        }

        /** One JSON call; an error answer becomes an exception whose message is the server's, plus the status. */
        JsonNode call(ObjectMapper mapper, String method, String pathAndQuery, JsonNode body, Map<String, String> headers,
                      Duration timeout) throws IOException, InterruptedException {
            try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
                HttpRequest.Builder request = request(pathAndQuery).timeout(timeout).header("Accept", "application/json")
                        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body)));
                if (body != null) request.header("Content-Type", "application/json");
                headers.forEach(request::header);
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode answer = response.body().isEmpty() ? mapper.nullNode() : mapper.readTree(response.body());
                if (response.statusCode() >= 400) {
                    String message = answer.path("error").path("message").asText("HTTP " + response.statusCode());
                    String hint = response.statusCode() == 401 && key == null ? "; pass --key or set SWITCHBOARD_KEY" : "";
                    throw new IllegalStateException(message + hint + " (HTTP " + response.statusCode() + " from " + method + " "
                            + base.resolve(pathAndQuery).getRawPath() + ")");
                }
                return answer;
            } catch (ConnectException e) {
                throw new IllegalStateException("cannot reach the Switchboard server at " + base
                        + " (is it running? use --server URL, or --offline where offered)");
            }
        }
    }
}
