package dev.switchboard.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One metadata catalog, from a {@code [[metadata_sources]]} table: a document of model facts (context windows,
 * prices, capabilities …) that enriches the models providers list, refreshed on its own schedule.
 *
 * @param id              slug, as provider ids; facts from it are sourced as {@code catalog:<id>}
 * @param kind            the document's shape
 * @param url             http, https or a local {@code file:} URL
 * @param refreshInterval time between fetches; {@link Duration#ZERO} fetches only on start and on demand
 * @param maxBytes        largest document accepted
 * @param headers         extra request headers (values may hold credentials; never printed)
 * @param apiKey          sent as {@code Authorization: Bearer …} when set
 */
public record MetadataSourceConfig(String id, Kind kind, URI url, Duration refreshInterval, long maxBytes,
                                   Map<String, String> headers, Secret apiKey) {
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofHours(24);
    public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;

    /** The shapes of metadata document Switchboard reads. */
    public enum Kind {
        /** The {@code api.json} of models.dev: providers, each with its models. */
        MODELS_DEV;

        public String wireName() {
            return name().toLowerCase();
        }

        public static Optional<Kind> fromWireName(String name) {
            return Arrays.stream(values()).filter(k -> k.wireName().equals(name)).findFirst();
        }

        public static String wireNames() {
            return String.join(", ", Arrays.stream(values()).map(Kind::wireName).toList());
        }
    }

    public MetadataSourceConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        if (maxBytes <= 0) throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        headers = Map.copyOf(headers == null ? Map.of() : headers);
        apiKey = apiKey == null ? Secret.NONE : apiKey;
    }

    /** A models.dev source with the defaults, as tests and code declare one. */
    public static MetadataSourceConfig modelsDev(String id, URI url) {
        return new MetadataSourceConfig(id, Kind.MODELS_DEV, url, DEFAULT_REFRESH_INTERVAL, DEFAULT_MAX_BYTES, Map.of(), Secret.NONE);
    }

    public boolean scheduled() {
        return !refreshInterval.isZero();
    }

    public MetadataSourceConfig withRefreshInterval(Duration interval) {
        return new MetadataSourceConfig(id, kind, url, interval, maxBytes, headers, apiKey);
    }

    public MetadataSourceConfig withMaxBytes(long bytes) {
        return new MetadataSourceConfig(id, kind, url, refreshInterval, bytes, headers, apiKey);
    }
}
