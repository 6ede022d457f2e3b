package dev.switchboard.provider;

import dev.switchboard.config.ProviderConfig;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.SequencedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Builds request URIs and headers the same way for every dialect. */
final class UpstreamRequests {
    private UpstreamRequests() {
    }

    /** {@code base_url} + {@code path} + the query, whether or not the base ends with a slash. */
    static URI endpoint(ProviderConfig provider, String path, SequencedMap<String, String> query) throws FetchException {
        String base = baseUrl(provider).toString();
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        String queryString = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            return URI.create(base + path + (queryString.isEmpty() ? "" : "?" + queryString));
        } catch (IllegalArgumentException e) {
            throw new FetchException("invalid base_url for provider " + provider.id());
        }
    }

    static URI baseUrl(ProviderConfig provider) throws FetchException {
        if (provider.baseUrl() == null) throw new FetchException("provider " + provider.id() + " has no base_url");
        return provider.baseUrl();
    }

    /** {@code Authorization: Bearer <key>} when the provider has a key, else nothing. */
    static Map<String, String> bearerAuth(ProviderConfig provider) {
        return provider.apiKey().isPresent()
                ? Map.of("Authorization", "Bearer " + provider.apiKey().value())
                : Map.of();
    }

    /**
     * The dialect's own headers with the provider's configured headers on top: header names are
     * case-insensitive, and a configured header replaces the dialect's (an operator pinning
     * {@code anthropic-version}, a proxy wanting its own {@code Authorization}).
     */
    static Map<String, String> headers(ProviderConfig provider, Map<String, String> dialectHeaders) {
        var merged = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        merged.putAll(dialectHeaders);
        provider.headers().forEach((name, value) -> {
            merged.remove(name);
            merged.put(name, value);
        });
        return Collections.unmodifiableMap(merged);
    }
}
