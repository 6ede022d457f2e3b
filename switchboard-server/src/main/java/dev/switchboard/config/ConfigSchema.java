package dev.switchboard.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The keys the config file may contain. Anything else is an error: a silently ignored section or key
 * (a typo, or a key that moved) leaves the user believing a setting is in force when it is not.
 */
final class ConfigSchema {
    static final String PROVIDERS = "providers";
    static final String PROVIDERS_LABEL = "[[providers]]";
    static final List<String> PROVIDER_KEYS = List.of(
            "id", "kind", "base_url", "api_key", "allowed_models", "denied_models", "models", "headers", "api_base_url",
            "metadata_provider");
    /** Keys whose values are credentials: kept as {@link Secret} and never printed. */
    static final List<String> SECRET_KEYS = List.of("api_key", "password", "admin_key", "token");
    static final String ENV_PREFIX = "SWITCHBOARD_";
    static final String METADATA_SOURCES = "metadata_sources";
    static final String METADATA_SOURCES_LABEL = "[[metadata_sources]]";
    static final List<String> METADATA_SOURCE_KEYS = List.of(
            "id", "kind", "url", "refresh_interval", "max_bytes", "headers", "api_key");
    static final String MODEL_CONFIGS = "model_configs";
    static final String MODEL_CONFIGS_LABEL = "[[model_configs]]";
    static final List<String> MODEL_CONFIG_KEYS = List.of(
            "alias", "provider", "model", "params", "fixed_params", "fallbacks", "description", "labels", "metadata");

    private ConfigSchema() {
    }

    /** The single-table sections; each of their keys can also be set from the environment. */
    enum Section {
        SERVER("server", "host", "port", "max_body_size", "allowed_origins", "allowed_hosts"),
        STORE("store", "url", "user", "password", "pool_size", "master_key_file", "write_timeout"),
        MODEL_CATALOG("model_catalog", "refresh_interval", "refresh_on_start", "jitter", "fetch_timeout",
                "refresh_deadline", "max_response_bytes", "max_models", "concurrency", "shrink_guard",
                "max_backoff", "leader_lease", "metadata_precedence"),
        EVENTS("events", "retention", "min_events"),
        AUTH("auth", "mode", "admin_key", "access_token_ttl", "refresh_token_ttl", "write_rate_per_minute",
                "allowed_provider_hosts"),
        GATEWAY("gateway", "connect_timeout", "first_byte_timeout", "idle_timeout", "max_request_bytes"),
        NATS("nats", "url", "subject_prefix", "stream", "duplicate_window", "user", "password", "token", "creds_file");

        final String tomlName;
        final List<String> keys;

        Section(String tomlName, String... keys) {
            this.tomlName = tomlName;
            this.keys = List.of(keys);
        }

        String label() {
            return "[" + tomlName + "]";
        }

        /** {@code SWITCHBOARD_MODEL_CATALOG_} for {@code [model_catalog]}. */
        String envPrefix() {
            return ENV_PREFIX + name() + "_";
        }

        String knownKeys() {
            return String.join(", ", keys);
        }

        static Optional<Section> byTomlName(String name) {
            return Arrays.stream(values()).filter(s -> s.tomlName.equals(name)).findFirst();
        }
    }

    static String knownSections() {
        return String.join(", ", Arrays.stream(Section.values()).map(Section::label).toList()) + ", " + PROVIDERS_LABEL + ", " + MODEL_CONFIGS_LABEL
                + ", " + METADATA_SOURCES_LABEL;
    }

    static String knownProviderKeys() {
        return String.join(", ", PROVIDER_KEYS);
    }
}
