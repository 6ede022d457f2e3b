package dev.switchboard.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The effective configuration as text for the startup log, in the file's own TOML shape so that it can
 * be compared with the file. Credentials never appear: a {@link Secret} shows its {@code ${env:…}}
 * reference or {@code ***}, a password written into the JDBC URL is masked, and header values (which may
 * carry tokens) are left out.
 */
public final class ConfigSummary {
    private ConfigSummary() {
    }

    public static String render(SwitchboardConfig config) {
        StringBuilder out = new StringBuilder();
        out.append("# effective configuration: ")
                .append(config.source().map(path -> "file " + path).orElse("no file, defaults"))
                .append(" (environment overrides applied)\n");
        server(out, config.server());
        store(out, config.store());
        catalog(out, config.catalog());
        events(out, config.events());
        auth(out, config.auth());
        gateway(out, config.gateway());
        config.nats().ifPresent(nats -> nats(out, nats));
        config.providers().forEach(provider -> provider(out, provider));
        config.metadataSources().forEach(source -> metadataSource(out, source));
        return out.toString();
    }

    private static void server(StringBuilder out, ServerConfig server) {
        out.append("[server]\n");
        line(out, "host", Values.quote(server.host()));
        line(out, "port", server.port());
        line(out, "max_body_size", size(server.maxBodyBytes()));
        line(out, "allowed_origins", list(server.allowedOrigins()));
        line(out, "allowed_hosts", list(server.allowedHosts()));
    }

    private static void store(StringBuilder out, StoreConfig store) {
        out.append("[store]\n");
        line(out, "url", Values.quote(store.redactedUrl()));
        line(out, "user", Values.quote(store.user()));
        line(out, "password", secret(store.password()));
        line(out, "pool_size", store.poolSize());
        store.masterKeyFile().ifPresent(file -> line(out, "master_key_file", Values.quote(file.toString())));
        line(out, "write_timeout", duration(store.writeTimeout()));
    }

    private static void catalog(StringBuilder out, CatalogConfig catalog) {
        out.append("[model_catalog]\n");
        line(out, "refresh_interval", duration(catalog.refreshInterval())
                + (catalog.scheduled() ? "" : "  # schedule disabled"));
        line(out, "refresh_on_start", catalog.refreshOnStart());
        line(out, "jitter", catalog.jitter());
        line(out, "fetch_timeout", duration(catalog.fetchTimeout()));
        line(out, "refresh_deadline", duration(catalog.refreshDeadline()));
        line(out, "max_response_bytes", size(catalog.maxResponseBytes()));
        line(out, "max_models", catalog.maxModels());
        line(out, "concurrency", catalog.concurrency());
        line(out, "shrink_guard", catalog.shrinkGuard());
        line(out, "max_backoff", duration(catalog.maxBackoff()));
        line(out, "leader_lease", duration(catalog.leaderLease()));
        line(out, "metadata_precedence", String.join(" > ", catalog.metadataPrecedence().wireNames()));
    }

    private static void events(StringBuilder out, EventsConfig events) {
        out.append("[events]\n");
        line(out, "retention", duration(events.retention()));
        line(out, "min_events", events.minEvents());
    }

    private static void auth(StringBuilder out, AuthConfig auth) {
        out.append("[auth]\n");
        line(out, "mode", Values.quote(auth.mode().wireName()));
        if (auth.adminKey().isPresent() || !auth.adminKey().reference().isEmpty()) {
            line(out, "admin_key", Values.quote(auth.adminKey().toString()));
        }
        line(out, "access_token_ttl", duration(auth.accessTokenTtl()));
        line(out, "refresh_token_ttl", duration(auth.refreshTokenTtl()));
        line(out, "write_rate_per_minute", auth.writeRatePerMinute());
    }

    private static void gateway(StringBuilder out, GatewayConfig gateway) {
        out.append("[gateway]\n");
        line(out, "connect_timeout", duration(gateway.connectTimeout()));
        line(out, "first_byte_timeout", duration(gateway.firstByteTimeout()));
        line(out, "idle_timeout", duration(gateway.idleTimeout()));
        line(out, "max_request_bytes", size(gateway.maxRequestBytes()));
    }

    private static void nats(StringBuilder out, NatsConfig nats) {
        out.append("[nats]\n");
        line(out, "url", Values.quote(String.join(",", nats.redactedServers())));
        line(out, "subject_prefix", Values.quote(nats.subjectPrefix()));
        line(out, "stream", Values.quote(nats.stream()));
        line(out, "duplicate_window", duration(nats.duplicateWindow()));
        if (!nats.user().isEmpty()) {
            line(out, "user", Values.quote(nats.user()));
            line(out, "password", secret(nats.password()));
        }
        if (nats.token().isPresent() || !nats.token().reference().isEmpty()) line(out, "token", secret(nats.token()));
        nats.credsFile().ifPresent(file -> line(out, "creds_file", Values.quote(file.toString())));
    }

    private static void provider(StringBuilder out, ProviderConfig provider) {
        out.append("[[providers]]\n");
        line(out, "id", Values.quote(provider.id()));
        line(out, "kind", Values.quote(provider.kind().wireName()));
        if (provider.baseUrl() != null) line(out, "base_url", Values.quote(provider.baseUrl().toString()));
        if (provider.apiBaseUrl() != null) line(out, "api_base_url", Values.quote(provider.apiBaseUrl().toString()));
        if (provider.apiKey().isPresent() || !provider.apiKey().reference().isEmpty()) {
            line(out, "api_key", secret(provider.apiKey()));
        }
        if (!provider.allowedModels().isEmpty()) line(out, "allowed_models", list(provider.allowedModels()));
        if (!provider.deniedModels().isEmpty()) line(out, "denied_models", list(provider.deniedModels()));
        if (!provider.modelMetadata().isEmpty()) {
            line(out, "models", provider.modelMetadata().keySet().stream().collect(Collectors.joining(", ", "[", "]"))
                    + "  # with metadata");
        } else if (!provider.staticModels().isEmpty()) {
            line(out, "models", list(provider.staticModels()));
        }
        if (provider.metadataProvider() != null) line(out, "metadata_provider", Values.quote(provider.metadataProvider()));
        headers(out, provider.headers());
    }

    private static void metadataSource(StringBuilder out, MetadataSourceConfig source) {
        out.append("[[metadata_sources]]\n");
        line(out, "id", Values.quote(source.id()));
        line(out, "kind", Values.quote(source.kind().wireName()));
        line(out, "url", Values.quote(source.url().toString()));
        line(out, "refresh_interval", duration(source.refreshInterval()));
        line(out, "max_bytes", size(source.maxBytes()));
        if (source.apiKey().isPresent() || !source.apiKey().reference().isEmpty()) line(out, "api_key", secret(source.apiKey()));
        headers(out, source.headers());
    }

    /** Header names only: values may hold credentials. */
    private static void headers(StringBuilder out, Map<String, String> headers) {
        if (headers.isEmpty()) return;
        line(out, "headers", headers.keySet().stream().sorted().collect(Collectors.joining(", ", "[", "]")) + "  # values hidden");
    }

    private static void line(StringBuilder out, String key, Object value) {
        out.append(key).append(" = ").append(value).append('\n');
    }

    /** The reference or a mask, quoted as in the file; {@link Secret#toString()} never shows the value. */
    private static String secret(Secret secret) {
        return Values.quote(secret.toString());
    }

    private static String duration(Duration duration) {
        return duration.isZero() ? "0" : Values.quote(Durations.format(duration));
    }

    private static String size(long bytes) {
        return Values.quote(ByteSizes.format(bytes));
    }

    private static String list(List<String> items) {
        return items.stream().map(Values::quote).collect(Collectors.joining(", ", "[", "]"));
    }
}
