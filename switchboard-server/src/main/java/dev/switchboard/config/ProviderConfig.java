package dev.switchboard.config;


import dev.switchboard.metadata.ModelFacts;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
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
 * @param apiBaseUrl    where its OpenAI-compatible inference API lives (the gateway's upstream), when it is not
 *                      where the kind puts it by default; null for the default. The only inference endpoint
 *                      of {@code registry} and {@code static} providers
 * @param modelMetadata normalised metadata the configuration sets per model id ({@code models."<id>"}); it wins
 *                      over the upstream's answer and the metadata catalogs (by default; see {@code metadata_precedence})
 * @param metadataProvider the provider id of metadata catalogs (models.dev) this provider's models are matched in;
 *                      null for the default of its kind ({@link #catalogProvider()})
 */
public record ProviderConfig(String id, ProviderKind kind, URI baseUrl, Secret apiKey,
                             List<String> allowedModels, List<String> deniedModels,
                             List<String> staticModels, Map<String, String> headers, Source source, URI apiBaseUrl,
                             Map<String, ModelFacts> modelMetadata, String metadataProvider) {

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
        modelMetadata = Collections.unmodifiableMap(new LinkedHashMap<>(modelMetadata == null ? Map.of() : modelMetadata));
    }

    /** Without metadata overrides, with the kind's default {@code metadata_provider}. */
    public ProviderConfig(String id, ProviderKind kind, URI baseUrl, Secret apiKey, List<String> allowedModels,
                          List<String> deniedModels, List<String> staticModels, Map<String, String> headers, Source source,
                          URI apiBaseUrl) {
        this(id, kind, baseUrl, apiKey, allowedModels, deniedModels, staticModels, headers, source, apiBaseUrl, Map.of(), null);
    }

    /**
     * The provider id its models are looked up under in metadata catalogs: {@code metadata_provider} when set, else
     * the kind's own vendor (openai, anthropic, google for gemini); none for kinds that serve many vendors' models.
     */
    public Optional<String> catalogProvider() {
        if (metadataProvider != null) return Optional.of(metadataProvider);
        return switch (kind) {
            case OPENAI -> Optional.of("openai");
            case ANTHROPIC -> Optional.of("anthropic");
            case GEMINI -> Optional.of("google");
            case OLLAMA, REGISTRY, STATIC -> Optional.empty();
        };
    }

    public ProviderConfig withMetadataProvider(String catalogProviderId) {
        return new ProviderConfig(id, kind, baseUrl, apiKey, allowedModels, deniedModels, staticModels, headers, source,
                apiBaseUrl, modelMetadata, catalogProviderId);
    }

    /** Without an {@code api_base_url}. */
    public ProviderConfig(String id, ProviderKind kind, URI baseUrl, Secret apiKey, List<String> allowedModels,
                          List<String> deniedModels, List<String> staticModels, Map<String, String> headers, Source source) {
        this(id, kind, baseUrl, apiKey, allowedModels, deniedModels, staticModels, headers, source, null);
    }

    /** A provider declared in code, as tests and the sample config need it. */
    public static ProviderConfig of(String id, ProviderKind kind, URI baseUrl) {
        return new ProviderConfig(id, kind, baseUrl, Secret.NONE, List.of(), List.of(), List.of(), Map.of(), Source.CONFIG);
    }

    public ProviderConfig withApiKey(Secret key) {
        return new ProviderConfig(id, kind, baseUrl, key, allowedModels, deniedModels, staticModels, headers, source, apiBaseUrl, modelMetadata, metadataProvider);
    }

    public ProviderConfig withFilters(List<String> allowed, List<String> denied) {
        return new ProviderConfig(id, kind, baseUrl, apiKey, allowed, denied, staticModels, headers, source, apiBaseUrl, modelMetadata, metadataProvider);
    }

    public ProviderConfig withStaticModels(List<String> models) {
        return new ProviderConfig(id, kind, baseUrl, apiKey, allowedModels, deniedModels, models, headers, source, apiBaseUrl, modelMetadata, metadataProvider);
    }

    public ProviderConfig withHeaders(Map<String, String> extra) {
        return new ProviderConfig(id, kind, baseUrl, apiKey, allowedModels, deniedModels, staticModels, extra, source, apiBaseUrl, modelMetadata, metadataProvider);
    }

    public ProviderConfig withModelMetadata(Map<String, ModelFacts> overrides) {
        return new ProviderConfig(id, kind, baseUrl, apiKey, allowedModels, deniedModels, staticModels, headers, source, apiBaseUrl,
                overrides, metadataProvider);
    }

    public ProviderConfig withApiBaseUrl(URI url) {
        return new ProviderConfig(id, kind, baseUrl, apiKey, allowedModels, deniedModels, staticModels, headers, source, url, modelMetadata, metadataProvider);
    }
}
