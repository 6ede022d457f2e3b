package dev.switchboard.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
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
 * planner.current();                           // immutable ModelConfig; throws while there is none
 * planner.onChange(cfg -> rebuildClient(cfg)); // every version, once, in order, on the model's thread
 * planner.onRemove(cfg -> dropClient(cfg));    // the alias was deleted
 * }</pre>
 *
 * The base URL may carry a path, as behind a reverse proxy ({@code http://gateway/switchboard}): the API's paths
 * are appended to it. Thread-safe. Close it to stop every live model's feed connection.
 */
public final class Switchboard implements AutoCloseable {
    private final URI base;
    /** The base without a trailing slash: API paths are appended to it, so a path in the base is kept as a prefix. */
    private final String root;
    private final String token;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Duration connectTimeout;
    private final List<LiveModel> models = new CopyOnWriteArrayList<>();

    private Switchboard(Builder builder) {
        this.base = builder.base;
        String root = builder.base.toString();
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        this.token = builder.token;
        this.minBackoff = builder.minBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.connectTimeout = builder.connectTimeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(builder.connectTimeout).build();
    }

    /**
     * Connects with the default options.
     *
     * @param base  the server's URL, such as {@code http://localhost:8080}; a path in it is kept as a prefix
     * @param token an API key or access token, {@code null} for a server without auth
     * @return the connection (nothing is sent until a model is asked for)
     */
    public static Switchboard connect(URI base, String token) {
        return builder(base).token(token).build();
    }

    /**
     * Starts a connection with options (token, timeouts, reconnect backoff).
     *
     * @param base the server's URL, such as {@code http://localhost:8080}; a path in it is kept as a prefix
     * @return a builder
     */
    public static Builder builder(URI base) {
        return new Builder(base);
    }

    /**
     * A model configuration that follows the server: bootstraps now, then updates itself on every change. Each call
     * opens its own feed connection; close the model (or this connection) to stop it.
     *
     * @param alias the configuration's name, such as {@code planner}
     * @return the live model, {@link LiveModel.State#CONNECTING} until the first read
     */
    public LiveModel model(String alias) {
        Objects.requireNonNull(alias, "alias");
        LiveModel model = new LiveModel(this, alias, minBackoff, maxBackoff);
        models.add(model);
        model.start();
        return model;
    }

    /**
     * Reads one configuration now.
     *
     * @param alias the configuration's name
     * @return the configuration, or empty when the alias is not configured
     * @throws SwitchboardException when the server cannot be reached or refuses the call
     */
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
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root + pathAndQuery)).header("Accept", "application/json");
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
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SwitchboardException("interrupted", e);
        }
    }

    /** The server could not be reached, with the reason in words: the JDK's exceptions often carry no message. */
    SwitchboardException unreachable(Exception e) {
        return new SwitchboardException("cannot reach Switchboard at " + base + ": " + reason(e), e);
    }

    private String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) return "unknown host " + base.getHost();
            if (t instanceof HttpConnectTimeoutException) return "connect timed out after " + connectTimeout.toMillis() + " ms";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage();
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            // the JDK client's refused connect is a bare ConnectException (over a ClosedChannelException)
            if (t instanceof ConnectException) return "connection refused";
        }
        return e.getClass().getSimpleName();
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

    /** The params of every version in the alias's history, by version (deletions have none). */
    Map<Long, Map<String, Object>> paramsByVersion(String alias) {
        HttpResponse<String> response = send(request("/api/v1/model-configs/" + URLEncoder.encode(alias, StandardCharsets.UTF_8)
                + "/history").timeout(Duration.ofSeconds(30)).GET().build());
        if (response.statusCode() != 200) throw failure(response.statusCode(), response.body());
        Map<Long, Map<String, Object>> byVersion = new LinkedHashMap<>();
        for (JsonNode entry : read(response.body()).path("data")) {
            if (entry.hasNonNull("config")) byVersion.put(entry.path("version").asLong(), params(entry.path("config").path("params")));
        }
        return byVersion;
    }

    ModelConfig parse(JsonNode node) {
        Map<String, String> labels = mapper.convertValue(node.path("labels"), mapper.getTypeFactory()
                .constructMapType(LinkedHashMap.class, String.class, String.class));
        List<String> fallbacks = new ArrayList<>();
        node.path("fallbacks").forEach(f -> fallbacks.add(f.asText()));
        return new ModelConfig(node.path("alias").asText(), node.path("provider").asText(), node.path("model").asText(),
                params(node.path("params")), fallbacks, node.path("description").asText(""),
                labels == null ? Map.of() : labels, node.path("version").asLong(),
                node.hasNonNull("updated_at") ? Instant.parse(node.path("updated_at").asText()) : Instant.EPOCH,
                node.path("updated_by").asText(""), node.path("target_status").asText(""));
    }

    private Map<String, Object> params(JsonNode node) {
        Map<String, Object> params = mapper.convertValue(node, mapper.getTypeFactory()
                .constructMapType(LinkedHashMap.class, String.class, Object.class));
        return params == null ? Map.of() : immutable(params);
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

    /** Closes every live model of this connection (their last values stay readable) and the HTTP client. */
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

        /**
         * The credential sent as {@code Authorization: Bearer …}.
         *
         * @param token an API key or an access token; {@code null} (the default) for a server without auth
         * @return this builder
         */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /**
         * The TCP connect timeout.
         *
         * @param timeout how long to wait for a TCP connection to the server (default 5 s)
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * How long to wait before reconnecting the feed: from {@code min}, doubling up to {@code max}
         * (default 0.5 s to 30 s).
         *
         * @param min the first wait, more than zero
         * @param max the longest wait, at least {@code min}
         * @return this builder
         */
        public Builder reconnectBackoff(Duration min, Duration max) {
            this.minBackoff = Objects.requireNonNull(min, "min");
            this.maxBackoff = Objects.requireNonNull(max, "max");
            return this;
        }

        /**
         * Checks the options and makes the connection.
         *
         * @return the connection
         * @throws IllegalArgumentException when the base is not an http(s) URL with a host, has a query or a fragment,
         *                                  or the backoff is not {@code 0 < min <= max}
         */
        public Switchboard build() {
            if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
                throw new IllegalArgumentException("reconnect backoff must satisfy 0 < min <= max, got " + minBackoff + " and " + maxBackoff);
            }
            if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
                throw new IllegalArgumentException("base must be an http(s) URL, got " + base);
            }
            if (base.getHost() == null || base.getRawQuery() != null || base.getRawFragment() != null) {
                throw new IllegalArgumentException("base must be an http(s) URL with a host and at most a path "
                        + "(no query or fragment), such as http://localhost:8080 or http://gateway/switchboard, got " + base);
            }
            return new Switchboard(this);
        }
    }
}
