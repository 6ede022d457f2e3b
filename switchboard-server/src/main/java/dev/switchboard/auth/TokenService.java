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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions: a key is exchanged for a short-lived signed access token (HS256, checked here and
 * nowhere else) and a refresh token. Each refresh rotates the refresh token; presenting a used one again
 * revokes its whole family, so a stolen token works at most until its owner refreshes.
 *
 * <p>A family is a session: its access tokens carry its id ({@code sid}). Revoking it (signing out, or a replay)
 * ends its access tokens at once: revoked sessions are held in memory, read from the store at start and, in a
 * cluster, whenever another instance revokes one, for as long as any of their access tokens could still live.
 * A refresh-token row goes once it expired that long ago ({@link #pruneExpired}).
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
    private final Revocations revocations;
    /** Revoked sessions, each until the last of its access tokens has expired. */
    private final Map<String, Instant> revokedSessions = new ConcurrentHashMap<>();

    /** What the token endpoints answer. */
    public record Session(String accessToken, long expiresIn, Instant expiresAt, String refreshToken, String role) {
    }

    public TokenService(ApiKeys keys, Store store, AuthConfig config, ObjectMapper mapper, Clock clock, byte[] signingKey,
                        Revocations revocations) {
        this.keys = keys;
        this.revocations = revocations;
        this.store = store;
        this.config = config;
        this.mapper = mapper;
        this.clock = clock;
        this.signingKey = signingKey.clone();
        reload();
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
                revokeFamily(handle, row.get().family(), now);
                return Optional.of(new Found(row.get().family(), row.get().keyId(), row.get().expiresAt(), true, true));
            }
            handle.createUpdate("UPDATE refresh_token SET used_at = :now WHERE token_hash = :hash")
                    .bind("now", Timestamp.from(now)).bind("hash", hash).execute();
            // the chain's spent tokens are only kept to detect replays, and only while they could be replayed
            handle.createUpdate("DELETE FROM refresh_token WHERE family = :family AND expires_at < :cutoff")
                    .bind("family", row.get().family()).bind("cutoff", Timestamp.from(pruneCutoff(now))).execute();
            return row;
        });
        if (found.isPresent() && found.get().used()) revoked(found.get().family(), now);
        if (found.isEmpty() || found.get().used() || found.get().revoked() || !found.get().expiresAt().isAfter(now)) return Optional.empty();
        return keys.active(found.get().keyId()).map(principal -> issue(principal, found.get().family()));
    }

    /**
     * Signs out: revokes the session a refresh token belongs to, with every access token of it, here and on every
     * instance of a cluster. An unknown token changes nothing (false).
     */
    public boolean signOut(String refreshToken) {
        if (refreshToken == null || !refreshToken.startsWith(REFRESH_PREFIX)) return false;
        Instant now = clock.instant();
        Optional<String> family = store.inTransaction(handle -> {
            Optional<String> found = handle.createQuery("SELECT family FROM refresh_token WHERE token_hash = :hash")
                    .bind("hash", Secrets.sha256(refreshToken)).mapTo(String.class).findOne();
            found.ifPresent(f -> revokeFamily(handle, f, now));
            return found;
        });
        family.ifPresent(f -> revoked(f, now));
        return family.isPresent();
    }

    /**
     * Marks a family revoked and ends its refresh tokens now (their row stays, as the revocation's record, until
     * {@link #pruneExpired} finds it expired for longer than an access token lives). Tells the cluster on commit.
     */
    private void revokeFamily(org.jdbi.v3.core.Handle handle, String family, Instant now) {
        handle.createUpdate("""
                        UPDATE refresh_token SET revoked = TRUE,
                            expires_at = CASE WHEN expires_at > :now THEN :now ELSE expires_at END
                        WHERE family = :family""")
                .bind("family", family).bind("now", Timestamp.from(now)).execute();
        ApiKeys.notifyCluster(store, handle);
    }

    /** After the commit of a revocation here: its access tokens stop working, its streams end. */
    private void revoked(String family, Instant now) {
        revokedSessions.put(family, now.plus(config.accessTokenTtl()));
        revocations.sessionsRevoked(Set.of(family));
    }

    /**
     * Re-reads the revoked sessions; in a cluster, called when another instance revoked one (or a key). Streams
     * of sessions newly revoked are told.
     */
    public void reload() {
        Instant now = clock.instant();
        Map<String, Instant> revoked = new HashMap<>();
        store.withHandle(handle -> handle.createQuery(
                        "SELECT family, MAX(expires_at) AS ended FROM refresh_token WHERE revoked = TRUE GROUP BY family")
                .map((rs, ctx) -> Map.entry(rs.getString("family"), rs.getTimestamp("ended").toInstant().plus(config.accessTokenTtl())))
                .list()).forEach(e -> revoked.put(e.getKey(), e.getValue()));
        revoked.values().removeIf(until -> !until.isAfter(now));
        Set<String> added = new HashSet<>(revoked.keySet());
        added.removeAll(revokedSessions.keySet());
        revokedSessions.putAll(revoked);
        revokedSessions.values().removeIf(until -> !until.isAfter(now));
        revocations.sessionsRevoked(added);
    }

    /**
     * Deletes refresh-token rows that expired (or were revoked) longer ago than an access token lives: none of
     * their access tokens can still work, so nothing needs them. Returns how many went.
     */
    public int pruneExpired() {
        Instant now = clock.instant();
        revokedSessions.values().removeIf(until -> !until.isAfter(now));
        return store.inTransaction(handle -> handle.createUpdate("DELETE FROM refresh_token WHERE expires_at < :cutoff")
                .bind("cutoff", Timestamp.from(pruneCutoff(now))).execute());
    }

    private Instant pruneCutoff(Instant now) {
        return now.minus(config.accessTokenTtl());
    }

    /**
     * Tells {@code revoked} (once, on the revoking thread) when the credential {@code principal} came with is
     * revoked: its key, or its session.
     */
    public Revocations.Registration watch(Principal principal, Runnable revoked) {
        if (principal == Principal.ANONYMOUS) return () -> { }; // [auth] mode = "none": there is nothing to revoke
        return revocations.watch(principal, revoked, this::isCurrent);
    }

    private boolean isCurrent(Principal principal) {
        return keys.active(principal.keyId()).isPresent()
                && principal.session().map(session -> !revokedSessions.containsKey(session)).orElse(true);
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
            Optional<String> session = Optional.ofNullable(claims.path("sid").textValue());
            if (session.isPresent() && revokedSessions.containsKey(session.get())) return Optional.empty();
            return keys.active(claims.path("sub").asText(""))
                    .map(p -> new Principal(p.keyId(), p.name(), p.role(), Optional.of(expires), session));
        } catch (java.io.IOException | IllegalArgumentException e) {
            return Optional.empty(); // garbage: refused like any bad token, without detail
        }
    }

    private Session issue(Principal principal, String family) {
        Instant now = clock.instant();
        Instant expires = now.plus(config.accessTokenTtl());
        ObjectNode claims = mapper.createObjectNode()
                .put("sub", principal.keyId())
                .put("sid", family)
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
