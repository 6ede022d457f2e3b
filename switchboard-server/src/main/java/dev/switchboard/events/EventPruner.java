package dev.switchboard.events;

import dev.switchboard.config.EventsConfig;
import dev.switchboard.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the event log within {@code [events]}: an event goes only when it is older than {@code retention},
 * not among the newest {@code min_events}, and no connected subscriber still has to read it. Runs at start
 * and then every {@link #INTERVAL}, on its own thread.
 */
public final class EventPruner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventPruner.class);
    /** Retention is counted in days; pruning more often would only cost queries. */
    static final Duration INTERVAL = Duration.ofHours(1);

    private final Store store;
    private final EventRepository events;
    private final EventsConfig config;
    private final Clock clock;
    private final EventFeed feed;
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("switchboard-event-pruner").daemon().factory());

    public EventPruner(Store store, EventRepository events, EventsConfig config, Clock clock, EventFeed feed) {
        this.store = store;
        this.events = events;
        this.config = config;
        this.clock = clock;
        this.feed = feed;
    }

    public void start() {
        schedule.scheduleWithFixedDelay(this::pruneQuietly, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Prunes now; returns how many events went. */
    public int pruneNow() {
        int pruned = store.inTransaction(handle -> events.prune(handle, clock.instant().minus(config.retention()),
                config.minEvents(), feed.oldestNeeded()));
        if (pruned > 0) log.info("pruned {} events from the change feed's log", pruned);
        return pruned;
    }

    private void pruneQuietly() {
        try {
            pruneNow();
        } catch (RuntimeException e) {
            log.warn("cannot prune the change feed's log: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }
}
