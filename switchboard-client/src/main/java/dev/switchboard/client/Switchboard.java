package dev.switchboard.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A connection to a Switchboard server. {@link #model(String)} gives a {@link LiveModel} that bootstraps
 * the alias and then follows it on the change feed, without restarts:
 *
 * <pre>{@code
 * var sb = Switchboard.connect(URI.create("http://localhost:8080"), token);
 * LiveModel planner = sb.model("planner");
 * planner.awaitReady(Duration.ofSeconds(5));   // READY, UNCONFIGURED or ERROR
 * planner.current();                           // immutable ModelConfig
 * planner.onChange(cfg -> rebuildClient(cfg));
 * }</pre>
 *
 * Thread-safe. Close it to stop every live model's feed connection.
 */
public final class Switchboard implements AutoCloseable {
    private final URI base;
    private final String token;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final List<LiveModel> models = new CopyOnWriteArrayList<>();

    private Switchboard(Builder builder) {
        this.base = builder.base;
        this.token = builder.token;
        this.minBackoff = builder.minBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(builder.connectTimeout).build();
    }

    /** Connects with an API key or access token ({@code null} for a server without auth). */
    public static Switchboard connect(URI base, String token) {
        return builder(base).token(token).build();
    }

    public static Builder builder(URI base) {
        return new Builder(base);
    }

    /** A model configuration that follows the server: bootstraps now, then updates itself on every change. */
    public LiveModel model(String alias) {
        Objects.requireNonNull(alias, "alias");
        LiveModel model = new LiveModel(this, alias, minBackoff, maxBackoff);
        models.add(model);
        model.start();
        return model;
    }

    /** Reads one configuration now; empty when the alias is not configured. */
    public Optional<ModelConfig> fetch(String alias) {
        return bootstrap(alias).config();
    }

    /** What a bootstrap read: the configuration (or none) and the revision it is valid at. */
    record Bootstrap(Optional<ModelConfig> config, long revision) {
    }

    Bootstrap bootstrap(String alias) {
        HttpResponse<String> response = send(request("/api/v1/model-configs/" + URLEncoder.encode(alias, StandardCharsets.UTF_8))
                .timeout(Duration.ofSeconds(30)).GET().build());
        long revision = response.headers().firstValue("X-Switchboard-Revision").map(Long::parseLong).orElse(0L);
        if (response.statusCode() == 404) return new Bootstrap(Optional.empty(), revision);
        if (response.statusCode() != 200) throw failure(response.statusCode(), response.body());
        return new Bootstrap(Optional.of(parse(read(response.body()))), revision);
    }

    HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).header("Accept", "application/json");
        if (token != null && !token.isBlank()) request.header("Authorization", "Bearer " + token);
        return request;
    }

    HttpClient http() {
        return http;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SwitchboardException("cannot reach Switchboard at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SwitchboardException("interrupted", e);
        }
    }

    SwitchboardException failure(int status, String body) {
        String message = "HTTP " + status;
        try {
            message = read(body).path("error").path("message").asText(message) + " (HTTP " + status + ")";
        } catch (SwitchboardException notJson) {
            // keep the status line
        }
        return new SwitchboardException(message, status);
    }

    JsonNode read(String body) {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new SwitchboardException("Switchboard sent malformed JSON: " + e.getMessage(), e);
        }
    }

    ModelConfig parse(JsonNode node) {
        Map<String, Object> params = mapper.convertValue(node.path("params"), mapper.getTypeFactory()
                .constructMapType(LinkedHashMap.class, String.class, Object.class));
        Map<String, String> labels = mapper.convertValue(node.path("labels"), mapper.getTypeFactory()
                .constructMapType(LinkedHashMap.class, String.class, String.class));
        List<String> fallbacks = new ArrayList<>();
        node.path("fallbacks").forEach(f -> fallbacks.add(f.asText()));
        return new ModelConfig(node.path("alias").asText(), node.path("provider").asText(), node.path("model").asText(),
                params == null ? Map.of() : immutable(params), fallbacks, node.path("description").asText(""),
                labels == null ? Map.of() : labels, node.path("version").asLong(),
                node.hasNonNull("updated_at") ? Instant.parse(node.path("updated_at").asText()) : Instant.EPOCH,
                node.path("updated_by").asText(""), node.path("target_status").asText(""));
    }

    /** Nested maps and lists made unmodifiable, so a ModelConfig is immutable all the way down. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> immutable(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, immutableValue(v)));
        return java.util.Collections.unmodifiableMap(copy);
    }

    @SuppressWarnings("unchecked")
    private static Object immutableValue(Object value) {
        if (value instanceof Map<?, ?> m) return immutable((Map<String, Object>) m);
        if (value instanceof List<?> l) return l.stream().map(Switchboard::immutableValue).toList();
        return value;
    }

    void forget(LiveModel model) {
        models.remove(model);
    }

    @Override
    public void close() {
        for (LiveModel model : models) model.close();
        http.close();
    }

    /** Options of the connection; {@link #build()} checks them. */
    public static final class Builder {
        private final URI base;
        private String token;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration minBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);

        private Builder(URI base) {
            this.base = Objects.requireNonNull(base, "base");
        }

        /** An API key or an access token. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long to wait before reconnecting the feed: from {@code min}, doubling up to {@code max}. */
        public Builder reconnectBackoff(Duration min, Duration max) {
            this.minBackoff = Objects.requireNonNull(min, "min");
            this.maxBackoff = Objects.requireNonNull(max, "max");
            return this;
        }

        public Switchboard build() {
            if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
                throw new IllegalArgumentException("reconnect backoff must satisfy 0 < min <= max, got " + minBackoff + " and " + maxBackoff);
            }
            if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
                throw new IllegalArgumentException("base must be an http(s) URL, got " + base);
            }
            return new Switchboard(this);
        }
    }
}
