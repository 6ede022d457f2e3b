package dev.switchboard.catalog;

import dev.switchboard.config.CatalogConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.provider.ProviderRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Refreshes providers on start and then every {@code refresh_interval} ± {@code jitter}; a provider that
 * keeps failing is retried with exponential backoff capped at {@code max_backoff}. Each provider keeps its
 * own due time; one timer thread wakes at the earliest.
 */
public final class RefreshScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RefreshScheduler.class);
    /** Re-check at least this often, so providers added at run time get a due time promptly. */
    private static final Duration MAX_SLEEP = Duration.ofSeconds(1);

    private final RefreshCoordinator coordinator;
    private final ProviderRegistry providers;
    private final CatalogState state;
    private final CatalogConfig config;
    private final Clock clock;
    private final RandomGenerator random;
    private final ScheduledExecutorService timer;
    private final java.util.function.BooleanSupplier leading;
    private final Map<String, Instant> due = new HashMap<>();
    private final Set<String> running = new HashSet<>();
    private ScheduledFuture<?> next;
    private boolean closed;

    public RefreshScheduler(RefreshCoordinator coordinator, ProviderRegistry providers, CatalogState state,
                            CatalogConfig config, Clock clock, RandomGenerator random, ScheduledExecutorService timer) {
        this(coordinator, providers, state, config, clock, random, timer, () -> true);
    }

    /** @param leading whether this instance runs the schedule now (in a cluster, only the leader does) */
    public RefreshScheduler(RefreshCoordinator coordinator, ProviderRegistry providers, CatalogState state,
                            CatalogConfig config, Clock clock, RandomGenerator random, ScheduledExecutorService timer,
                            java.util.function.BooleanSupplier leading) {
        this.leading = leading;
        this.coordinator = coordinator;
        this.providers = providers;
        this.state = state;
        this.config = config;
        this.clock = clock;
        this.random = random;
        this.timer = timer;
    }

    /** Plans the first refresh of every provider: now when refresh_on_start, else one interval after its last fetch. */
    public synchronized void start() {
        Instant now = clock.instant();
        for (ProviderConfig provider : providers.all()) {
            Snapshot snapshot = state.current().snapshot(provider.id()).orElse(Snapshot.never(provider.id()));
            boolean immediately = config.refreshOnStart() || snapshot.fetchedAt().isEmpty();
            due.put(provider.id(), immediately ? now : snapshot.fetchedAt().get().plus(delayAfter(snapshot)));
        }
        if (!config.scheduled() && !config.refreshOnStart()) due.clear();
        wakeAt(now);
    }

    /**
     * How long after a fetch the provider is due again: the interval with jitter after a success; after
     * {@code n} consecutive failures, {@code min(max_backoff, interval × 2^(n-1))}, with jitter too.
     */
    public Duration delayAfter(Snapshot snapshot) {
        double base;
        if (snapshot.status() == ProviderStatus.ERROR && snapshot.consecutiveFailures() > 0) {
            double backoff = config.refreshInterval().toMillis() * Math.pow(2, Math.min(30, snapshot.consecutiveFailures() - 1));
            base = Math.min(config.maxBackoff().toMillis(), backoff);
        } else {
            base = config.refreshInterval().toMillis();
        }
        double factor = 1 + config.jitter() * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.max(1, Math.round(base * factor)));
    }

    private synchronized void tick() {
        if (closed) return;
        Instant now = clock.instant();
        if (config.scheduled()) {
            for (ProviderConfig provider : providers.all()) due.computeIfAbsent(provider.id(), id -> firstDue(id, now));
        }
        due.keySet().retainAll(providers.ids());
        if (!leading.getAsBoolean()) {
            // another instance runs the schedule; look again soon, in case it goes away
            wakeAt(now.plus(MAX_SLEEP));
            return;
        }
        List<String> ready = due.entrySet().stream()
                .filter(e -> !e.getValue().isAfter(now) && !running.contains(e.getKey()))
                .map(Map.Entry::getKey).sorted().toList();
        if (!ready.isEmpty()) {
            running.addAll(ready);
            RefreshTrigger trigger = state.current().snapshots().values().stream().allMatch(s -> s.fetchedAt().isEmpty())
                    ? RefreshTrigger.START : RefreshTrigger.SCHEDULE;
            coordinator.refresh(ready, false, trigger, RefreshProgress.NONE).whenComplete((result, error) -> {
                // Cancelled means shutting down: the schedule is closed already, nothing to report.
                if (error != null && !(error instanceof CancellationException || error.getCause() instanceof CancellationException)) {
                    log.warn("scheduled refresh failed: {}", error.getMessage());
                }
                planAfter(ready);
            });
        }
        wakeAt(earliestDue().orElse(now.plus(MAX_SLEEP)));
    }

    /** A provider added at run time was usually just refreshed by whoever added it: due one interval later. */
    private Instant firstDue(String providerId, Instant now) {
        Snapshot snapshot = state.current().snapshot(providerId).orElse(Snapshot.never(providerId));
        return snapshot.fetchedAt().map(at -> at.plus(delayAfter(snapshot))).orElse(now);
    }

    private synchronized void planAfter(List<String> refreshed) {
        running.removeAll(refreshed);
        if (closed) return;
        Instant now = clock.instant();
        for (String id : refreshed) {
            if (!config.scheduled()) {
                due.remove(id);
                continue;
            }
            state.current().snapshot(id).ifPresent(snapshot -> due.put(id, now.plus(delayAfter(snapshot))));
        }
        wakeAt(earliestDue().orElse(now.plus(MAX_SLEEP)));
    }

    private java.util.Optional<Instant> earliestDue() {
        return due.entrySet().stream().filter(e -> !running.contains(e.getKey()))
                .map(Map.Entry::getValue).min(Instant::compareTo);
    }

    private void wakeAt(Instant when) {
        if (closed) return;
        if (!config.scheduled() && due.isEmpty()) return;
        long delay = Math.max(0, Math.min(Duration.between(clock.instant(), when).toMillis(), MAX_SLEEP.toMillis()));
        if (next != null) next.cancel(false);
        next = timer.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
    }

    /** Cancels all scheduled work at once; fetches under way are aborted by the coordinator. */
    @Override
    public synchronized void close() {
        closed = true;
        if (next != null) next.cancel(false);
        timer.shutdownNow();
    }
}
