package dev.switchboard.provider;

import dev.switchboard.config.ProviderConfig;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.SequencedMap;
import java.util.TreeMap;

/** Builds request URIs and headers the same way for every dialect. */
final class UpstreamRequests {
    private UpstreamRequests() {
    }

    /**
     * {@code base_url} + {@code path} + the query, whether or not the base ends with a slash. A query
     * already on the base (Azure's {@code ?api-version=}) is kept, ahead of the dialect's parameters.
     */
    static URI endpoint(ProviderConfig provider, String path, SequencedMap<String, String> query) throws FetchException {
        URI base = baseUrl(provider);
        String prefix = base.toString();
        int cut = indexOfAny(prefix, '?', '#');
        if (cut >= 0) prefix = prefix.substring(0, cut);
        while (prefix.endsWith("/")) prefix = prefix.substring(0, prefix.length() - 1);
        var parameters = new ArrayList<String>();
        if (base.getRawQuery() != null && !base.getRawQuery().isEmpty()) parameters.add(base.getRawQuery());
        query.forEach((name, value) -> parameters.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        try {
            return URI.create(prefix + path + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters)));
        } catch (IllegalArgumentException e) {
            throw new FetchException("invalid base_url for provider " + provider.id());
        }
    }

    private static int indexOfAny(String text, char first, char second) {
        int a = text.indexOf(first);
        int b = text.indexOf(second);
        if (a < 0) return b;
        return b < 0 ? a : Math.min(a, b);
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
