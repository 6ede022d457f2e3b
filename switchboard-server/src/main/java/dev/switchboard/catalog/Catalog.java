package dev.switchboard.catalog;

import dev.switchboard.events.ChangeEvent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * This catalog with {@code changed} in place of those providers' snapshots, after the commit that changed them: at
     * the revision of its last event, or at this catalog's when it appended none.
     */
    Catalog with(Map<String, Snapshot> changed, List<ChangeEvent> events) {
        Map<String, Snapshot> merged = new LinkedHashMap<>(snapshots);
        merged.putAll(changed);
        return new Catalog(events.isEmpty() ? revision : events.getLast().revision(), merged);
    }

    public int modelCount() {
        return snapshots.values().stream().mapToInt(s -> s.models().size()).sum();
    }
}
