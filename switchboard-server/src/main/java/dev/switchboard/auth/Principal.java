package dev.switchboard.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * Who is calling: the key (or the key behind an access token), its name and role, and when the
 * credential stops working (access tokens expire; keys do not).
 */
public record Principal(String keyId, String name, Role role, Optional<Instant> expiresAt) {
    /** The caller when {@code [auth] mode = "none"}: anyone on loopback, with every right. */
    public static final Principal ANONYMOUS = new Principal("anonymous", "anonymous", Role.ADMIN, Optional.empty());
}
