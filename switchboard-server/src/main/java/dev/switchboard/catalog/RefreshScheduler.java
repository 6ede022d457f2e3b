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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Refreshes providers on start and then every {@code refresh_interval} ± {@code jitter}; a provider that
 * keeps failing is retried with exponential backoff capped at {@code max_backoff}. Each provider keeps its
 * own due time; one timer thread wakes at the earliest.
 *
 * <p>In a cluster only the leader polls, but every instance keeps the due times: a provider is due one interval
 * (or its backoff) after its last refresh, whichever instance made it (this instance sees the others' through
 * the store). An instance that takes the schedule over thus continues it rather than polling everything at once.
 * {@code refresh_on_start} belongs to the instance that leads when it starts.
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
    private final ScheduleLeadership leadership;
    private final Map<String, Instant> due = new HashMap<>();
    /** The last refresh each due time was planned from (a snapshot's fetchedAt), to notice newer ones. */
    private final Map<String, Optional<Instant>> plannedFrom = new HashMap<>();
    private final Set<String> running = new HashSet<>();
    private ScheduledFuture<?> next;
    private boolean closed;

    public RefreshScheduler(RefreshCoordinator coordinator, ProviderRegistry providers, CatalogState state,
                            CatalogConfig config, Clock clock, RandomGenerator random, ScheduledExecutorService timer) {
        this(coordinator, providers, state, config, clock, random, timer, ScheduleLeadership.ALONE);
    }

    /** @param leadership whether this instance runs the schedule now (in a cluster, only the leader does) */
    public RefreshScheduler(RefreshCoordinator coordinator, ProviderRegistry providers, CatalogState state,
                            CatalogConfig config, Clock clock, RandomGenerator random, ScheduledExecutorService timer,
                            ScheduleLeadership leadership) {
        this.leadership = leadership;
        this.coordinator = coordinator;
        this.providers = providers;
        this.state = state;
        this.config = config;
        this.clock = clock;
        this.random = random;
        this.timer = timer;
    }

    /**
     * Plans the first refresh of every provider: now when refresh_on_start (and this instance leads), else one
     * interval after its last fetch; a provider never fetched, now.
     */
    public synchronized void start() {
        Instant now = clock.instant();
        boolean onStart = config.refreshOnStart() && leadership.term().isPresent();
        for (ProviderConfig provider : providers.all()) {
            Snapshot snapshot = state.current().snapshot(provider.id()).orElse(Snapshot.never(provider.id()));
            boolean immediately = onStart || snapshot.fetchedAt().isEmpty();
            due.put(provider.id(), immediately ? now : snapshot.fetchedAt().get().plus(delayAfter(snapshot)));
            plannedFrom.put(provider.id(), snapshot.fetchedAt());
        }
        if (!config.scheduled() && !onStart) due.clear();
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
            followRefreshes();
        }
        due.keySet().retainAll(providers.ids());
        plannedFrom.keySet().retainAll(providers.ids());
        Optional<RefreshFence> term = leadership.term();
        if (term.isEmpty()) {
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
            coordinator.refresh(ready, false, trigger, RefreshProgress.NONE, term.get()).whenComplete((result, error) -> {
                Throwable cause = error instanceof CompletionException wrapped && wrapped.getCause() != null ? wrapped.getCause() : error;
                if (cause instanceof RefreshFence.TermEnded ended) log.info("scheduled refresh of {} {}", ready, ended.getMessage());
                // Cancelled means shutting down: the schedule is closed already, nothing to report.
                else if (error != null && !(cause instanceof CancellationException)) log.warn("scheduled refresh failed: {}", error.getMessage());
                planAfter(ready);
            });
        }
        wakeAt(earliestDue().orElse(now.plus(MAX_SLEEP)));
    }

    /** A provider added at run time was usually just refreshed by whoever added it: due one interval later. */
    private Instant firstDue(String providerId, Instant now) {
        Snapshot snapshot = state.current().snapshot(providerId).orElse(Snapshot.never(providerId));
        plannedFrom.put(providerId, snapshot.fetchedAt());
        return snapshot.fetchedAt().map(at -> at.plus(delayAfter(snapshot))).orElse(now);
    }

    /**
     * A refresh this schedule did not start (the leader's, seen here through the store; a manual one; one on a
     * cache miss) moves its provider's due time to one interval, or its backoff, after it.
     */
    private void followRefreshes() {
        for (Map.Entry<String, Snapshot> entry : state.current().snapshots().entrySet()) {
            String id = entry.getKey();
            Snapshot snapshot = entry.getValue();
            if (running.contains(id) || !due.containsKey(id) || snapshot.fetchedAt().isEmpty()) continue;
            if (snapshot.fetchedAt().equals(plannedFrom.get(id))) continue;
            due.put(id, snapshot.fetchedAt().get().plus(delayAfter(snapshot)));
            plannedFrom.put(id, snapshot.fetchedAt());
        }
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
            state.current().snapshot(id).ifPresent(snapshot -> {
                due.put(id, now.plus(delayAfter(snapshot)));
                plannedFrom.put(id, snapshot.fetchedAt());
            });
        }
        wakeAt(earliestDue().orElse(now.plus(MAX_SLEEP)));
    }

    private Optional<Instant> earliestDue() {
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
