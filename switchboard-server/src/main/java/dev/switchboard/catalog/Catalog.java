package dev.switchboard.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every provider's snapshot at one revision. Immutable: the refresh coordinator replaces it whole,
 * so readers never see half an update.
 *
 * @param snapshots by provider id, in configuration order
 */
public record Catalog(long revision, Map<String, Snapshot> snapshots) {
    public Catalog {
        snapshots = Collections.unmodifiableMap(new LinkedHashMap<>(snapshots));
    }

    public Optional<Snapshot> snapshot(String providerId) {
        return Optional.ofNullable(snapshots.get(providerId));
    }

    public int modelCount() {
        return snapshots.values().stream().mapToInt(s -> s.models().size()).sum();
    }
}
