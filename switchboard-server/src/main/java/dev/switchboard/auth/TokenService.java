package dev.switchboard.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.AuthConfig;
import dev.switchboard.store.Store;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Browser sessions: a key is exchanged for a short-lived signed access token (HS256, checked here and
 * nowhere else) and a refresh token. Each refresh rotates the refresh token; presenting a used one again
 * revokes its whole family, so a stolen token works at most until its owner refreshes.
 */
public final class TokenService {
    public static final String REFRESH_PREFIX = "sbr_";
    private static final String HEADER = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private final ApiKeys keys;
    private final Store store;
    private final AuthConfig config;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final byte[] signingKey;
    private final Secrets secrets = new Secrets();

    /** What the token endpoints answer. */
    public record Session(String accessToken, long expiresIn, Instant expiresAt, String refreshToken, String role) {
    }

    public TokenService(ApiKeys keys, Store store, AuthConfig config, ObjectMapper mapper, Clock clock, byte[] signingKey) {
        this.keys = keys;
        this.store = store;
        this.config = config;
        this.mapper = mapper;
        this.clock = clock;
        this.signingKey = signingKey.clone();
    }

    /** A new session for a principal authenticated by key. */
    public Session open(Principal principal) {
        String family = secrets.newId();
        return issue(principal, family);
    }

    /** Rotates a refresh token; a reused, revoked, expired or unknown one is refused (and reuse revokes the family). */
    public Optional<Session> refresh(String refreshToken) {
        if (refreshToken == null || !refreshToken.startsWith(REFRESH_PREFIX)) return Optional.empty();
        String hash = Secrets.sha256(refreshToken);
        Instant now = clock.instant();
        record Found(String family, String keyId, Instant expiresAt, boolean used, boolean revoked) {
        }
        Optional<Found> found = store.inTransaction(handle -> {
            Optional<Found> row = handle.createQuery("SELECT * FROM refresh_token WHERE token_hash = :hash FOR UPDATE")
                    .bind("hash", hash)
                    .map((rs, ctx) -> new Found(rs.getString("family"), rs.getString("key_id"),
                            rs.getTimestamp("expires_at").toInstant(), rs.getTimestamp("used_at") != null, rs.getBoolean("revoked")))
                    .findOne();
            if (row.isEmpty()) return row;
            if (row.get().used()) {
                // replay of a rotated token: whoever holds the family is not to be trusted any more
                handle.createUpdate("UPDATE refresh_token SET revoked = TRUE WHERE family = :family").bind("family", row.get().family()).execute();
                return Optional.empty();
            }
            handle.createUpdate("UPDATE refresh_token SET used_at = :now WHERE token_hash = :hash")
                    .bind("now", Timestamp.from(now)).bind("hash", hash).execute();
            return row;
        });
        if (found.isEmpty() || found.get().revoked() || !found.get().expiresAt().isAfter(now)) return Optional.empty();
        return keys.active(found.get().keyId()).map(principal -> issue(principal, found.get().family()));
    }

    /** The principal an access token stands for, while it is unexpired, well signed and its key is active. */
    public Optional<Principal> verify(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) return Optional.empty();
        try {
            JsonNode header = mapper.readTree(Base64.getUrlDecoder().decode(parts[0]));
            if (!"HS256".equals(header.path("alg").asText())) return Optional.empty(); // no "none", no algorithm switching
            byte[] expected = sign(parts[0] + "." + parts[1]);
            if (!MessageDigest.isEqual(expected, Base64.getUrlDecoder().decode(parts[2]))) return Optional.empty();
            JsonNode claims = mapper.readTree(Base64.getUrlDecoder().decode(parts[1]));
            Instant expires = Instant.ofEpochSecond(claims.path("exp").asLong(0));
            if (!expires.isAfter(clock.instant())) return Optional.empty();
            return keys.active(claims.path("sub").asText(""))
                    .map(p -> new Principal(p.keyId(), p.name(), p.role(), Optional.of(expires)));
        } catch (java.io.IOException | IllegalArgumentException e) {
            return Optional.empty(); // garbage: refused like any bad token, without detail
        }
    }

    private Session issue(Principal principal, String family) {
        Instant now = clock.instant();
        Instant expires = now.plus(config.accessTokenTtl());
        ObjectNode claims = mapper.createObjectNode()
                .put("sub", principal.keyId())
                .put("role", principal.role().wireName())
                .put("iat", now.getEpochSecond())
                .put("exp", expires.getEpochSecond())
                .put("jti", secrets.newId());
        String unsigned = HEADER + "." + b64(claims.toString().getBytes(StandardCharsets.UTF_8));
        String access = unsigned + "." + b64(sign(unsigned));
        String refresh = secrets.newCredential(REFRESH_PREFIX);
        store.inTransaction(handle -> handle.createUpdate("""
                        INSERT INTO refresh_token (token_hash, family, key_id, expires_at) VALUES (:hash, :family, :key, :expires)""")
                .bind("hash", Secrets.sha256(refresh)).bind("family", family).bind("key", principal.keyId())
                .bind("expires", Timestamp.from(now.plus(config.refreshTokenTtl()))).execute());
        return new Session(access, config.accessTokenTtl().toSeconds(), Instant.ofEpochSecond(expires.getEpochSecond()),
                refresh, principal.role().wireName());
    }

    private byte[] sign(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
