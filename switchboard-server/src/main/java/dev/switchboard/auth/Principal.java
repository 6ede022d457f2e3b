package dev.switchboard.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * Who is calling: the key (or the key behind an access token), its name and role, when the credential stops
 * working (access tokens expire; keys do not) and, for an access token, the session (the refresh chain) it
 * was issued in, which signing out revokes with every token of it.
 */
public record Principal(String keyId, String name, Role role, Optional<Instant> expiresAt, Optional<String> session) {
    /** The caller when {@code [auth] mode = "none"}: anyone on loopback, with every right. */
    public static final Principal ANONYMOUS = ofKey("anonymous", "anonymous", Role.ADMIN);

    /** The caller that presented an API key: no expiry, no session. */
    static Principal ofKey(String keyId, String name, Role role) {
        return new Principal(keyId, name, role, Optional.empty(), Optional.empty());
    }
}
