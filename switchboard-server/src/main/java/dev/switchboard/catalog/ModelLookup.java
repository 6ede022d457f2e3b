package dev.switchboard.catalog;

import dev.switchboard.provider.Model;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads of the catalog that may need an upstream first: a provider that was never fetched is fetched
 * on the first read that needs it (a cache miss), and the answer is written back through the one
 * writer. Concurrent misses share one fetch.
 */
public final class ModelLookup {
    /** A miss on a provider fetched more recently than this does not fetch again, so unknown ids cannot stampede an upstream. */
    public static final Duration MISS_REFETCH_MIN_AGE = Duration.ofSeconds(30);

    private final CatalogState state;
    private final RefreshCoordinator coordinator;
    private final Clock clock;
    private volatile Warmth warmth = new Warmth(null, false);

    public ModelLookup(CatalogState state, RefreshCoordinator coordinator, Clock clock) {
        this.state = state;
        this.coordinator = coordinator;
        this.clock = clock;
    }

    /** The catalog, once every provider has been fetched at least once (failures count as fetched). */
    public CompletableFuture<Catalog> warmCatalog() {
        List<String> cold = state.current().snapshots().values().stream()
                .filter(s -> s.status() == ProviderStatus.NEVER).map(Snapshot::providerId).toList();
        if (cold.isEmpty()) return CompletableFuture.completedFuture(state.current());
        return coordinator.refresh(cold, false, RefreshTrigger.MISS, RefreshProgress.NONE)
                .handle((result, error) -> state.current());
    }

    /**
     * True when no provider needs a first fetch: {@code /v1/models} can answer from memory at once. On the hot
     * path, so the answer is kept per catalog (catalogs are immutable and swapped whole).
     */
    public boolean isWarm() {
        Catalog catalog = state.current();
        Warmth known = warmth;
        if (known.catalog() == catalog) return known.warm();
        boolean warm = catalog.snapshots().values().stream().noneMatch(s -> s.status() == ProviderStatus.NEVER);
        warmth = new Warmth(catalog, warm);
        return warm;
    }

    private record Warmth(Catalog catalog, boolean warm) {
    }

    /** Finds {@code provider/model}, fetching the provider first when it is cold or stale enough to miss. */
    public CompletableFuture<Optional<Found>> find(String providerId, String modelId) {
        Optional<Snapshot> snapshot = state.current().snapshot(providerId);
        if (snapshot.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
        Optional<Model> model = snapshot.get().model(modelId);
        if (model.isPresent()) return CompletableFuture.completedFuture(Optional.of(new Found(snapshot.get(), model.get())));
        if (!worthFetching(snapshot.get())) return CompletableFuture.completedFuture(Optional.empty());
        return coordinator.refresh(List.of(providerId), false, RefreshTrigger.MISS, RefreshProgress.NONE)
                .handle((result, error) -> state.current().snapshot(providerId)
                        .flatMap(s -> s.model(modelId).map(m -> new Found(s, m))));
    }

    private boolean worthFetching(Snapshot snapshot) {
        if (snapshot.status() == ProviderStatus.NEVER) return true;
        Instant last = snapshot.fetchedAt().orElse(Instant.EPOCH);
        return Duration.between(last, clock.instant()).compareTo(MISS_REFETCH_MIN_AGE) > 0;
    }

    public record Found(Snapshot snapshot, Model model) {
    }
}
