package dev.switchboard.catalog;

import dev.switchboard.provider.Model;

import java.time.Duration;
import java.util.List;

/**
 * What one upstream fetch produced. {@code fetchId} identifies the fetch, so when several refreshes
 * share one fetch (single flight) its result is applied exactly once.
 */
sealed interface FetchOutcome {
    long fetchId();

    String providerId();

    Duration took();

    record Fetched(long fetchId, String providerId, List<Model> models, Duration took) implements FetchOutcome {
    }

    record Failed(long fetchId, String providerId, String reason, Duration took) implements FetchOutcome {
    }
}
