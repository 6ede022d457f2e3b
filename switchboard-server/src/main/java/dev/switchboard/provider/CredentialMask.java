package dev.switchboard.provider;

import dev.switchboard.config.ProviderConfig;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * Hides what a request to a provider carried as credentials — its {@code api_key} (as sent in
 * {@code Authorization: Bearer}), its configured header values and the query of the URL — in text the upstream
 * sends back: an error that quotes the key it was given must not hand it to whoever made the call. Encoded and
 * escaped echoes are hidden too (see {@link Redactor}).
 */
public final class CredentialMask {
    private final Redactor redactor;

    private CredentialMask(Redactor redactor) {
        this.redactor = redactor;
    }

    /** For requests to {@code url} made with {@code provider}'s credentials. */
    public static CredentialMask of(ProviderConfig provider, URI url) {
        Map<String, String> headers = new HashMap<>(provider.headers());
        if (provider.apiKey().isPresent()) headers.put("Authorization", "Bearer " + provider.apiKey().value());
        return new CredentialMask(Redactor.forRequest(url, headers));
    }

    /** {@code text} with every credential replaced by {@code ***}. */
    public String redact(String text) {
        return redactor.redact(text);
    }
}
