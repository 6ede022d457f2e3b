package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The real params of versions whose change event carried them redacted. Events show params with secret-looking
 * names (such as {@code api_key}) as {@code ***}; the configuration itself has them. Usually the version is the
 * current one, one read of the alias; in a burst the alias has moved on, and the alias's history (every version)
 * is read once for all the versions still to come. Used by one follower thread only.
 */
final class RedactedParams {
    /** What the server puts in place of a secret param's value (docs/events.md). */
    static final String MASK = "***";

    private final Switchboard switchboard;
    private final String alias;
    /** Versions read from the history and not yet asked for. */
    private final NavigableMap<Long, Map<String, Object>> ahead = new TreeMap<>();

    RedactedParams(Switchboard switchboard, String alias) {
        this.switchboard = switchboard;
        this.alias = alias;
    }

    static boolean hidesSecrets(JsonNode params) {
        if (params.isTextual()) return MASK.equals(params.asText());
        for (JsonNode value : params) {
            if (hidesSecrets(value)) return true;
        }
        return false;
    }

    /** The params that {@code version} was saved with. */
    Map<String, Object> of(long version) {
        Map<String, Object> params = ahead.get(version);
        if (params == null) {
            Optional<ModelConfig> now = switchboard.fetch(alias);
            if (now.isPresent() && now.get().version() == version) {
                params = now.get().params();
            } else {
                ahead.putAll(switchboard.paramsByVersion(alias));
                params = ahead.get(version);
            }
        }
        ahead.headMap(version, true).clear(); // versions come in order: older ones are not asked for again
        if (params == null) {
            // not a failure to reach the server, which resuming would cure: the follower reloads the alias
            throw new IllegalStateException("version " + version + " of model configuration \"" + alias
                    + "\" is neither the current one nor in its history");
        }
        return params;
    }
}
