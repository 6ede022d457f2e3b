package dev.switchboard.auth;

import dev.switchboard.Problem;
import dev.switchboard.config.AuthConfig;
import dev.switchboard.store.Store;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API keys: random, shown once at creation, stored as a SHA-256 hash. Active keys are held in memory by
 * hash, so checking a request costs a hash and a map lookup; revoking one takes effect at once, here and (through
 * a notification) on every instance of a cluster, and ends the streams opened with it ({@link Revocations}).
 */
public final class ApiKeys {
    public static final String KEY_PREFIX = "sbk_";
    /** The id of the admin key that comes from the config file. */
    public static final String CONFIG_ADMIN_ID = "config-admin";

    private final Store store;
    private final Clock clock;
    private final Secrets secrets = new Secrets();
    private final Optional<String> configAdminHash;
    private final Map<String, KeyInfo> activeByHash = new ConcurrentHashMap<>();
    private final Revocations revocations;

    /** A key as listed: never the key itself. */
    public record KeyInfo(String id, String name, Role role, String prefix, Instant createdAt, Optional<Instant> revokedAt) {
    }

    /** A new key: {@code secret} is shown to its creator once and never again. */
    public record Created(KeyInfo info, String secret) {
    }

    /** For the CLI's offline commands: nobody to tell about revocations. */
    public ApiKeys(Store store, AuthConfig config, Clock clock) {
        this(store, config, clock, new Revocations());
    }

    public ApiKeys(Store store, AuthConfig config, Clock clock, Revocations revocations) {
        this.store = store;
        this.clock = clock;
        this.revocations = revocations;
        this.configAdminHash = config.adminKey().isPresent() ? Optional.of(Secrets.sha256(config.adminKey().value())) : Optional.empty();
        reload();
    }

    /**
     * Re-reads the active keys; in a cluster, called when another instance created or revoked one. Streams of the
     * keys that went are told.
     */
    public void reload() {
        Map<String, KeyInfo> active = new java.util.HashMap<>();
        for (Row row : load(false)) active.put(row.hash(), row.info());
        Set<String> gone = new HashSet<>();
        for (KeyInfo key : activeByHash.values()) gone.add(key.id());
        for (KeyInfo key : active.values()) gone.remove(key.id());
        activeByHash.keySet().retainAll(active.keySet());
        activeByHash.putAll(active);
        revocations.keysRevoked(gone);
    }

    /**
     * Tells the other instances of a cluster that keys or sessions changed (delivered when the transaction
     * commits); they re-read both.
     */
    static void notifyCluster(Store store, org.jdbi.v3.core.Handle handle) {
        store.notifier().keys(handle);
    }

    public Created create(String name, Role role) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new Problem.Invalid("a key needs a name of 1 to 200 characters", Map.of("name", "is required"));
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            // names are printed in terminals and logs, where ANSI escapes or line breaks would forge output
            throw new Problem.Invalid("a key's name must not contain control characters (escape sequences, line breaks, tabs)",
                    Map.of("name", "contains a control character"));
        }
        if (role == Role.PUBLIC) throw new Problem.Invalid("role must be reader, writer or admin", Map.of("role", "invalid"));
        String secret = secrets.newCredential(KEY_PREFIX);
        KeyInfo info = new KeyInfo(secrets.newId(), name.trim(), role, secret.substring(0, KEY_PREFIX.length() + 4),
                clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), Optional.empty());
        String hash = Secrets.sha256(secret);
        store.inTransaction(handle -> {
            handle.createUpdate("""
                            INSERT INTO api_key (id, name, role, key_hash, prefix, created_at) VALUES (:id, :name, :role, :hash, :prefix, :at)""")
                    .bind("id", info.id()).bind("name", info.name()).bind("role", role.wireName()).bind("hash", hash)
                    .bind("prefix", info.prefix()).bind("at", Timestamp.from(info.createdAt())).execute();
            notifyCluster(store, handle);
            return null;
        });
        activeByHash.put(hash, info);
        return new Created(info, secret);
    }

    public List<KeyInfo> list() {
        return load(true).stream().map(Row::info).toList();
    }

    public void revoke(String id) {
        int revoked = store.inTransaction(handle -> {
            int rows = handle.createUpdate("UPDATE api_key SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                    .bind("at", Timestamp.from(clock.instant())).bind("id", id).execute();
            notifyCluster(store, handle);
            return rows;
        });
        if (revoked == 0) throw new Problem.NotFound("key_not_found", "no active key with id \"" + id + "\"");
        activeByHash.values().removeIf(key -> key.id().equals(id));
        revocations.keysRevoked(Set.of(id));
    }

    /** The principal a presented key stands for, or empty for an unknown or revoked key. */
    public Optional<Principal> authenticate(String presented) {
        String hash = Secrets.sha256(presented);
        if (configAdminHash.isPresent() && MessageDigest.isEqual(configAdminHash.get().getBytes(StandardCharsets.US_ASCII),
                hash.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(Principal.ofKey(CONFIG_ADMIN_ID, "admin (config)", Role.ADMIN));
        }
        KeyInfo key = activeByHash.get(hash);
        return key == null ? Optional.empty() : Optional.of(Principal.ofKey(key.id(), key.name(), key.role()));
    }

    /** The key's current role while it is active; tokens minted from a revoked key stop working with it. */
    public Optional<Principal> active(String keyId) {
        if (keyId.equals(CONFIG_ADMIN_ID)) {
            return configAdminHash.map(h -> Principal.ofKey(CONFIG_ADMIN_ID, "admin (config)", Role.ADMIN));
        }
        return activeByHash.values().stream().filter(k -> k.id().equals(keyId)).findFirst()
                .map(k -> Principal.ofKey(k.id(), k.name(), k.role()));
    }

    /** True when someone can get in as admin: the config's admin key or an active admin key in the store. */
    public boolean hasAdmin() {
        return configAdminHash.isPresent() || activeByHash.values().stream().anyMatch(k -> k.role() == Role.ADMIN);
    }

    private record Row(String hash, KeyInfo info) {
    }

    private List<Row> load(boolean includeRevoked) {
        return store.withHandle(handle -> handle.createQuery("SELECT * FROM api_key"
                        + (includeRevoked ? "" : " WHERE revoked_at IS NULL") + " ORDER BY created_at, id")
                .map((rs, ctx) -> new Row(rs.getString("key_hash"), new KeyInfo(rs.getString("id"), rs.getString("name"),
                        Role.ofKey(rs.getString("role")).orElseThrow(), rs.getString("prefix"),
                        rs.getTimestamp("created_at").toInstant(),
                        Optional.ofNullable(rs.getTimestamp("revoked_at")).map(Timestamp::toInstant))))
                .list());
    }
}
