package dev.switchboard.config;


import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One upstream provider, from a {@code [[providers]]} table of the config file or created through the API.
 *
 * @param id            slug {@code [a-z0-9][a-z0-9._-]{0,62}}
 * @param kind          wire dialect
 * @param baseUrl       where its API lives; null only for {@code static}
 * @param apiKey        credential sent in the dialect's own way; never printed
 * @param allowedModels globs; when not empty, only matching model ids are kept
 * @param deniedModels  globs; matching model ids are dropped
 * @param staticModels  the model ids of a {@code static} provider
 * @param headers       extra request headers sent to the upstream
 * @param source        where the provider was declared
 */
public record ProviderConfig(String id, ProviderKind kind, URI baseUrl, Secret apiKey,
                             List<String> allowedModels, List<String> deniedModels,
                             List<String> staticModels, Map<String, String> headers, Source source) {

    public static final Pattern ID_PATTERN = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    /**
     * Request headers the HTTP client sets itself (lower case): the JDK refuses them, so a provider
     * configured with one could never be fetched.
     */
    public static final Set<String> RESERVED_HEADERS = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding");
    public static final String RESERVED_HEADERS_TEXT = "Host, Connection, Content-Length, Expect, Upgrade and Transfer-Encoding";

    /** Why {@code name} cannot be among a provider's headers, or empty when it can. */
    public static Optional<String> reservedHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!RESERVED_HEADERS.contains(lower)) return Optional.empty();
        return Optional.of(lower.equals("host") ? "the HTTP client sets it from base_url" : "the HTTP client manages it");
    }

    public enum Source {
        CONFIG, API;

        public String wireName() {
            return name().toLowerCase();
        }
    }

    public ProviderConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        apiKey = apiKey == null ? Secret.NONE : apiKey;
        allowedModels = List.copyOf(allowedModels == null ? List.of() : allowedModels);
        deniedModels = List.copyOf(deniedModels == null ? List.of() : deniedModels);
        staticModels = List.copyOf(staticModels == null ? List.of() : staticModels);
        headers = Map.copyOf(headers == null ? Map.of() : headers);
        Objects.requireNonNull(source, "source");
    }

    /** A provider declared in code, as tests and the sample config need it. */
    public static ProviderConfig of(String id, ProviderKind kind, URI baseUrl) {
        return new ProviderConfig(id, kind, baseUrl, Secret.NONE, List.of(), List.of(), List.of(), Map.of(), Source.CONFIG);
    }

    public ProviderConfig withApiKey(Secret key) {
        return new ProviderConfig(id, kind, baseUrl, key, allowedModels, deniedModels, staticModels, headers, source);
    }

    public ProviderConfig withFilters(List<String> allowed, List<String> denied) {
        return new ProviderConfig(id, kind, baseUrl, apiKey, allowed, denied, staticModels, headers, source);
    }

    public ProviderConfig withStaticModels(List<String> models) {
        return new ProviderConfig(id, kind, baseUrl, apiKey, allowedModels, deniedModels, models, headers, source);
    }

    public ProviderConfig withHeaders(Map<String, String> extra) {
        return new ProviderConfig(id, kind, baseUrl, apiKey, allowedModels, deniedModels, staticModels, extra, source);
    }
}
