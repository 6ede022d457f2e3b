package dev.switchboard.langchain4j;

import java.net.URI;
import java.util.Objects;

/**
 * Where the application calls a provider itself, in {@link SwitchboardModels.Builder#directly direct} mode: the
 * provider's OpenAI-compatible base URL and the application's own credential for it.
 *
 * @param baseUrl the OpenAI-compatible API root, the part before {@code /chat/completions}, such as
 *                {@code https://api.openai.com/v1} or {@code http://127.0.0.1:8000/v1}
 * @param apiKey  sent as {@code Authorization: Bearer …}; {@code null} for an endpoint without auth
 */
public record ProviderEndpoint(String baseUrl, String apiKey) {
    /**
     * Checks the base URL.
     *
     * @throws NullPointerException     when the base URL is null
     * @throws IllegalArgumentException when it is not an http(s) URL with a host
     */
    public ProviderEndpoint {
        Objects.requireNonNull(baseUrl, "baseUrl");
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL, got \"" + baseUrl + "\"", e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL with a host, such as "
                    + "https://api.openai.com/v1, got \"" + baseUrl + "\"");
        }
    }

    /**
     * An endpoint.
     *
     * @param baseUrl the OpenAI-compatible API root, such as {@code https://api.openai.com/v1}
     * @param apiKey  the application's credential for it, {@code null} for none
     * @return the endpoint
     */
    public static ProviderEndpoint of(String baseUrl, String apiKey) {
        return new ProviderEndpoint(baseUrl, apiKey);
    }

    /** Never shows the key: endpoints end up in logs and exception messages. */
    @Override
    public String toString() {
        return "ProviderEndpoint[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "***") + "]";
    }
}
