package dev.switchboard.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A Switchboard server in miniature, for the SDK's own tests: a real HTTP server (the JDK's) that speaks the part
 * of the API the SDK uses, as the real one does (docs/events.md): {@code GET /api/v1/model-configs/{alias}} (404
 * {@code not_configured}), {@code …/{alias}/history}, and the change feed {@code GET /api/v1/events?aliases=&since=}
 * as Server-Sent Events ({@code retry:}, {@code id:}/{@code event:}/{@code data:} frames carrying the envelope with
 * secret-looking params redacted, replay after {@code since}, {@code resync_required} for a revision no longer
 * kept), {@code X-Switchboard-Revision} on every answer, and bearer-token auth when given a token.
 * The test changes its state directly ({@link #put}, {@link #delete} …) as the store would.
 * The end-to-end test against the real server ({@code SdkEndToEndTest} in switchboard-server) keeps the two honest.
 */
final class FakeSwitchboard implements AutoCloseable {
    /** As the server's ConfigJson: params with these names leave in events as {@code ***}. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i)^(.*[_-])?(api[_-]?key|apikey|secret|password|authorization|credentials?|token|access[_-]?token)$");

    private final ObjectMapper mapper = new ObjectMapper();
    private final String prefix;
    private final String token;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final int port;
    private HttpServer server;
    // guarded by this: what the store holds
    private long revision;
    private long firstRetained = 1;
    private boolean stopped;
    private final List<Event> log = new ArrayList<>();
    private final Map<String, ObjectNode> configs = new HashMap<>();
    private final Map<String, List<ObjectNode>> history = new HashMap<>();

    private record Event(long revision, String type, String alias, String envelope) {
        String frame() {
            return "id: " + revision + "\nevent: " + type + "\ndata: " + envelope + "\n\n";
        }
    }

    private FakeSwitchboard(int port, String prefix, String token) {
        this.prefix = prefix;
        this.token = token;
        this.server = bind(port);
        this.port = server.getAddress().getPort();
    }

    static FakeSwitchboard start() {
        return new FakeSwitchboard(0, "", null);
    }

    /** Serves the API under a path, as behind a reverse proxy: {@code http://host:port/switchboard/api/v1/…}. */
    static FakeSwitchboard startUnder(String prefix) {
        return new FakeSwitchboard(0, prefix, null);
    }

    /** Answers 401 unless a request carries {@code Authorization: Bearer token}. */
    static FakeSwitchboard startWithToken(String token) {
        return new FakeSwitchboard(0, "", token);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port + prefix);
    }

    int port() {
        return port;
    }

    /** Each request as {@code METHOD path?query content-type}, for asserting what the SDK sent. */
    List<String> requests() {
        return requests;
    }

    // ---- the test's side: changes as the store would commit them ----

    /** Creates or replaces a configuration: the next version, its history entry and its event. */
    synchronized long put(String alias, String model, Map<String, Object> params) {
        long version = lastVersion(alias) + 1;
        boolean created = !configs.containsKey(alias);
        String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        ObjectNode spec = mapper.createObjectNode().put("provider", "local").put("model", model);
        spec.set("params", mapper.valueToTree(params));
        spec.set("fallbacks", mapper.createArrayNode());
        spec.put("description", "");
        spec.set("labels", mapper.createObjectNode());
        ObjectNode config = mapper.createObjectNode().put("alias", alias);
        config.setAll(spec);
        config.put("version", version).put("updated_at", now).put("updated_by", "test")
                .put("target", "local/" + model).put("target_status", "ok");
        configs.put(alias, config);
        ObjectNode entry = mapper.createObjectNode().put("version", version).put("change", created ? "created" : "updated")
                .put("updated_at", now).put("updated_by", "test").put("revision", revision + 1);
        entry.set("config", spec);
        history.computeIfAbsent(alias, a -> new ArrayList<>()).add(entry);
        ArrayNode changed = mapper.createArrayNode();
        if (!created) changed.add("model").add("params");
        append(created ? "model_config.created" : "model_config.updated", alias, version, redacted(config), changed);
        return version;
    }

    synchronized long put(String alias, String model) {
        return put(alias, model, Map.of());
    }

    /** Deletes a configuration: the deletion takes the next version, as on the server. */
    synchronized void delete(String alias) {
        if (configs.remove(alias) == null) throw new IllegalStateException(alias + " is not configured");
        long version = lastVersion(alias) + 1;
        history.get(alias).add(mapper.createObjectNode().put("version", version).put("change", "deleted")
                .put("updated_at", Instant.now().toString()).put("updated_by", "test").put("revision", revision + 1));
        append("model_config.deleted", alias, version, null, mapper.createArrayNode());
    }

    /** The target model left (or came back to) its provider's catalog: same version, new {@code target_status}. */
    synchronized void targetStatus(String alias, String status) {
        ObjectNode config = configs.get(alias);
        config.put("target_status", status);
        append("model_config.updated", alias, config.get("version").asLong(), redacted(config),
                mapper.createArrayNode().add("target_status"));
    }

    /** An event of the alias with {@code data:} as given (say, not JSON), as a faulty proxy or server could send. */
    synchronized void rawEvent(String alias, String type, String data) {
        revision++;
        log.add(new Event(revision, type, alias, data));
        notifyAll();
    }

    /** Retention pruned every event so far: a client resuming from before now gets {@code resync_required}. */
    synchronized void pruneEvents() {
        log.clear();
        firstRetained = revision + 1;
    }

    /** Ends every open stream and stops listening, keeping the state (a restart of the server). */
    void stop() {
        synchronized (this) {
            stopped = true;
            notifyAll();
        }
        server.stop(0);
    }

    /** Listens again on the same port, as a restarted server would. */
    void restart() {
        synchronized (this) {
            stopped = false;
        }
        server = bind(port);
    }

    @Override
    public void close() {
        stop();
        executor.shutdownNow();
    }

    private long lastVersion(String alias) {
        List<ObjectNode> entries = history.getOrDefault(alias, List.of());
        return entries.isEmpty() ? 0 : entries.getLast().get("version").asLong();
    }

    private ObjectNode redacted(ObjectNode config) {
        ObjectNode copy = config.deepCopy();
        redact((ObjectNode) copy.get("params"));
        return copy;
    }

    private static void redact(ObjectNode node) {
        for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = node.fields(); it.hasNext(); ) {
            var field = it.next();
            if (field.getValue() instanceof ObjectNode nested) redact(nested);
            else if (SECRET_NAME.matcher(field.getKey()).matches()) field.setValue(node.textNode("***"));
        }
    }

    private void append(String type, String alias, long version, ObjectNode config, ArrayNode changed) {
        revision++;
        ObjectNode data = mapper.createObjectNode().put("alias", alias).put("version", version);
        data.set("changed", changed);
        data.set("config", config);
        log.add(new Event(revision, type, alias, envelope(type, data)));
        notifyAll();
    }

    private String envelope(String type, ObjectNode data) {
        ObjectNode envelope = mapper.createObjectNode().put("revision", revision).put("type", type)
                .put("time", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        envelope.set("data", data);
        return envelope.toString();
    }

    // ---- the server's side ----

    private HttpServer bind(int port) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            http.setExecutor(executor);
            http.createContext(prefix + "/", this::handle);
            http.start();
            return http;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            requests.add(exchange.getRequestMethod() + " " + uri + " " + exchange.getRequestHeaders().getFirst("Content-Type"));
            synchronized (this) {
                exchange.getResponseHeaders().set("X-Switchboard-Revision", Long.toString(revision));
            }
            if (token != null && !("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                error(exchange, 401, "unauthorized", "a valid API key or access token is required (Authorization: Bearer …)");
                return;
            }
            String path = uri.getPath().substring(prefix.length());
            Map<String, String> query = query(uri.getRawQuery());
            if (!exchange.getRequestMethod().equals("GET")) {
                error(exchange, 405, "method_not_allowed", "the fake serves reads only");
            } else if (path.equals("/api/v1/events")) {
                events(exchange, query);
            } else if (path.startsWith("/api/v1/model-configs/") && path.endsWith("/history")) {
                history(exchange, path.substring("/api/v1/model-configs/".length(), path.length() - "/history".length()));
            } else if (path.startsWith("/api/v1/model-configs/")) {
                config(exchange, path.substring("/api/v1/model-configs/".length()));
            } else {
                error(exchange, 404, "not_found", "no route " + path);
            }
        }
    }

    private void config(HttpExchange exchange, String alias) throws IOException {
        ObjectNode config;
        synchronized (this) {
            config = configs.get(alias);
            config = config == null ? null : config.deepCopy();
        }
        if (config == null) {
            error(exchange, 404, "not_configured", "no model configuration \"" + alias + "\"");
        } else {
            exchange.getResponseHeaders().set("ETag", "\"" + config.get("version").asLong() + "\"");
            json(exchange, 200, config.toString());
        }
    }

    private void history(HttpExchange exchange, String alias) throws IOException {
        ObjectNode body = mapper.createObjectNode().put("alias", alias);
        synchronized (this) {
            if (!history.containsKey(alias)) {
                error(exchange, 404, "not_configured", "no model configuration \"" + alias + "\"");
                return;
            }
            body.set("data", mapper.valueToTree(history.get(alias)));
        }
        json(exchange, 200, body.toString());
    }

    /** The feed for one alias: replay after {@code since}, then live, with a ping comment while idle. */
    private void events(HttpExchange exchange, Map<String, String> query) throws IOException {
        String alias = query.get("aliases");
        long sent;
        synchronized (this) {
            sent = query.containsKey("since") ? Long.parseLong(query.get("since")) : revision;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        write(out, "retry: 1000\n\n");
        while (true) {
            StringBuilder frames = new StringBuilder();
            boolean end = false;
            synchronized (this) {
                if (!stopped && sent == revision) {
                    try {
                        wait(1_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (stopped) return;
                if (sent < firstRetained - 1 || sent > revision) {
                    frames.append(resync(sent));
                    end = true;
                } else {
                    for (Event event : log) {
                        if (event.revision() <= sent) continue;
                        if (alias == null || alias.equals(event.alias())) frames.append(event.frame());
                    }
                    sent = revision;
                }
            }
            try {
                write(out, frames.isEmpty() ? ": ping\n\n" : frames.toString());
            } catch (IOException clientLeft) {
                return;
            }
            if (end) return;
        }
    }

    private String resync(long since) {
        ObjectNode data = mapper.createObjectNode().put("revision", revision)
                .put("reason", "events after revision " + since + " are no longer retained; reload and resume from revision " + revision);
        return new Event(revision, "resync_required", null, envelope("resync_required", data)).frame();
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        ObjectNode error = mapper.createObjectNode();
        error.putObject("error").put("type", type).put("message", message);
        json(exchange, status, error.toString());
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null) return query;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }
}
