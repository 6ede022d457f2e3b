package dev.switchboard.catalog;

import dev.switchboard.metadata.ModelsDevCatalog;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One metadata source's served catalog and how it got there, as {@link Snapshot} is for a provider.
 *
 * @param served  the last-known-good catalog (empty until a first success)
 * @param pending an answer held by the shrink guard until the next fetch confirms it (kept in memory only: after a
 *                restart the next shrinking answer is held again)
 */
public record MetadataSourceState(String sourceId, ProviderStatus status, ModelsDevCatalog served,
                                  Optional<ModelsDevCatalog> pending, Optional<Instant> fetchedAt,
                                  Optional<Instant> lastSuccessAt, Optional<String> lastError, int consecutiveFailures) {
    public MetadataSourceState {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(served, "served");
        Objects.requireNonNull(pending, "pending");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        Objects.requireNonNull(lastSuccessAt, "lastSuccessAt");
        Objects.requireNonNull(lastError, "lastError");
    }

    public static MetadataSourceState never(String sourceId) {
        return new MetadataSourceState(sourceId, ProviderStatus.NEVER, ModelsDevCatalog.EMPTY, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 0);
    }

    MetadataSourceState succeeded(ModelsDevCatalog catalog, Instant at) {
        return new MetadataSourceState(sourceId, ProviderStatus.OK, catalog, Optional.empty(), Optional.of(at),
                Optional.of(at), Optional.empty(), 0);
    }

    MetadataSourceState failed(String reason, Instant at) {
        return new MetadataSourceState(sourceId, ProviderStatus.ERROR, served, pending, Optional.of(at), lastSuccessAt,
                Optional.of(reason), consecutiveFailures + 1);
    }

    MetadataSourceState suspect(ModelsDevCatalog answer, String reason, Instant at) {
        return new MetadataSourceState(sourceId, ProviderStatus.SUSPECT, served, Optional.of(answer), Optional.of(at),
                lastSuccessAt, Optional.of(reason), consecutiveFailures);
    }
}
