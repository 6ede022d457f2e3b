package dev.switchboard.gateway;

import dev.switchboard.config.ProviderConfig;

import java.net.URI;
import java.util.Optional;

/**
 * Where each kind of provider serves its OpenAI-compatible inference API, so that no body needs translating:
 * <ul>
 *   <li>{@code openai}: {@code base_url} itself ({@code https://api.openai.com/v1} → {@code …/v1/chat/completions});</li>
 *   <li>{@code ollama} and {@code anthropic}: {@code {base_url}/v1} (Ollama's OpenAI API; Anthropic's OpenAI SDK
 *       compatibility endpoint);</li>
 *   <li>{@code gemini}: {@code {base_url}/v1beta/openai};</li>
 *   <li>{@code registry} and {@code static}: none — a catalog document or a list says nothing about where the
 *       models run — unless the provider sets {@code api_base_url}.</li>
 * </ul>
 * {@code api_base_url}, when set, replaces the default of any kind.
 */
final class UpstreamEndpoints {

    /** The inference base of {@code provider}, or empty when it has none. */
    Optional<URI> base(ProviderConfig provider) {
        if (provider.apiBaseUrl() != null) return Optional.of(provider.apiBaseUrl());
        URI base = provider.baseUrl();
        return switch (provider.kind()) {
            case OPENAI -> Optional.ofNullable(base);
            case OLLAMA, ANTHROPIC -> Optional.ofNullable(base).map(b -> under(b, "v1"));
            case GEMINI -> Optional.ofNullable(base).map(b -> under(b, "v1beta/openai"));
            case REGISTRY, STATIC -> Optional.empty();
        };
    }

    Optional<UpstreamEndpoint> endpoint(ProviderConfig provider, Operation operation) {
        return base(provider).filter(UpstreamEndpoints::isWeb).map(base -> UpstreamEndpoint.of(base, operation.suffix()));
    }

    /** Why {@code provider} cannot be called, for the 400 that says so. */
    static String noEndpoint(ProviderConfig provider) {
        return "provider \"" + provider.id() + "\" (kind " + provider.kind().wireName() + ") has no inference endpoint;"
                + " set api_base_url on it to the base of its OpenAI-compatible API (e.g. \"http://127.0.0.1:8000/v1\")";
    }

    private static URI under(URI base, String path) {
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        String joined = (basePath.endsWith("/") ? basePath : basePath + "/") + path;
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + joined
                + (base.getRawQuery() == null ? "" : "?" + base.getRawQuery()));
    }

    private static boolean isWeb(URI uri) {
        String scheme = uri.getScheme();
        return uri.getHost() != null && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme));
    }
}
