package dev.switchboard.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes refresh-token rows nothing needs any more ({@link TokenService#pruneExpired}): at start, then every
 * {@link #INTERVAL}, on its own thread. A chain's own spent tokens also go at its next rotation.
 */
public final class RefreshTokenPruner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RefreshTokenPruner.class);
    /** Refresh tokens live a day by default: pruning more often would only cost queries. */
    static final Duration INTERVAL = Duration.ofHours(1);

    private final TokenService tokens;
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("switchboard-session-pruner").daemon().factory());

    public RefreshTokenPruner(TokenService tokens) {
        this.tokens = tokens;
    }

    public void start() {
        schedule.scheduleWithFixedDelay(this::pruneQuietly, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Prunes now; returns how many rows went. */
    public int pruneNow() {
        int pruned = tokens.pruneExpired();
        if (pruned > 0) log.info("pruned {} expired or revoked refresh tokens", pruned);
        return pruned;
    }

    private void pruneQuietly() {
        try {
            pruneNow();
        } catch (RuntimeException e) {
            log.warn("cannot prune refresh tokens: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }
}
