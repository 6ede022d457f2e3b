package dev.switchboard.config;

import dev.switchboard.metadata.MetadataPrecedence;

import java.time.Duration;

/**
 * The {@code [model_catalog]} section: how and when provider model lists are refreshed.
 *
 * @param refreshInterval   time between scheduled refreshes; {@link Duration#ZERO} disables the schedule
 * @param refreshOnStart    refresh every provider when the server starts
 * @param jitter            fraction of the interval added or removed at random (0 to 1)
 * @param fetchTimeout      per-request timeout of one upstream call (connect to last byte)
 * @param refreshDeadline   total deadline of one provider's fetch, all pages included
 * @param maxResponseBytes  largest upstream response body accepted
 * @param maxModels         most models kept per provider; a larger answer is a failure
 * @param concurrency       upstream fetches running at once
 * @param shrinkGuard       fraction of a provider's models that may disappear in one refresh
 *                          before the answer is held as suspect
 * @param maxBackoff        longest delay between attempts for a provider that keeps failing
 * @param leaderLease       in a cluster, how long the schedule's leader holds the schedule without renewing its
 *                          lease; another instance takes the schedule over once it ran out
 */
public record CatalogConfig(Duration refreshInterval, boolean refreshOnStart, double jitter,
                            Duration fetchTimeout, Duration refreshDeadline, long maxResponseBytes,
                            int maxModels, int concurrency, double shrinkGuard, Duration maxBackoff,
                            Duration leaderLease, MetadataPrecedence metadataPrecedence) {
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofHours(6);
    public static final double DEFAULT_JITTER = 0.1;
    public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REFRESH_DEADLINE = Duration.ofSeconds(60);
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 16L * 1024 * 1024;
    public static final int DEFAULT_MAX_MODELS = 50_000;
    public static final int DEFAULT_CONCURRENCY = 8;
    public static final double DEFAULT_SHRINK_GUARD = 0.5;
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofHours(1);
    public static final Duration DEFAULT_LEADER_LEASE = Duration.ofSeconds(3);
    /** Shorter leases would be lost to an ordinary pause (a GC, a slow query) and the schedule would hop about. */
    public static final Duration MIN_LEADER_LEASE = Duration.ofSeconds(1);

    public static CatalogConfig defaults() {
        return new CatalogConfig(DEFAULT_REFRESH_INTERVAL, true, DEFAULT_JITTER, DEFAULT_FETCH_TIMEOUT,
                DEFAULT_REFRESH_DEADLINE, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_MODELS,
                DEFAULT_CONCURRENCY, DEFAULT_SHRINK_GUARD, DEFAULT_MAX_BACKOFF, DEFAULT_LEADER_LEASE,
                MetadataPrecedence.DEFAULT);
    }

    public boolean scheduled() {
        return !refreshInterval.isZero();
    }

    public CatalogConfig withRefreshInterval(Duration interval) {
        return new CatalogConfig(interval, refreshOnStart, jitter, fetchTimeout, refreshDeadline,
                maxResponseBytes, maxModels, concurrency, shrinkGuard, maxBackoff, leaderLease, metadataPrecedence);
    }

    public CatalogConfig withRefreshOnStart(boolean onStart) {
        return new CatalogConfig(refreshInterval, onStart, jitter, fetchTimeout, refreshDeadline,
                maxResponseBytes, maxModels, concurrency, shrinkGuard, maxBackoff, leaderLease, metadataPrecedence);
    }

    public CatalogConfig withFetchTimeout(Duration timeout) {
        return new CatalogConfig(refreshInterval, refreshOnStart, jitter, timeout, refreshDeadline,
                maxResponseBytes, maxModels, concurrency, shrinkGuard, maxBackoff, leaderLease, metadataPrecedence);
    }

    public CatalogConfig withMaxResponseBytes(long bytes) {
        return new CatalogConfig(refreshInterval, refreshOnStart, jitter, fetchTimeout, refreshDeadline,
                bytes, maxModels, concurrency, shrinkGuard, maxBackoff, leaderLease, metadataPrecedence);
    }

    public CatalogConfig withLeaderLease(Duration lease) {
        return new CatalogConfig(refreshInterval, refreshOnStart, jitter, fetchTimeout, refreshDeadline,
                maxResponseBytes, maxModels, concurrency, shrinkGuard, maxBackoff, lease, metadataPrecedence);
    }

    public CatalogConfig withMaxModels(int models) {
        return new CatalogConfig(refreshInterval, refreshOnStart, jitter, fetchTimeout, refreshDeadline,
                maxResponseBytes, models, concurrency, shrinkGuard, maxBackoff, leaderLease, metadataPrecedence);
    }

    public CatalogConfig withMetadataPrecedence(MetadataPrecedence precedence) {
        return new CatalogConfig(refreshInterval, refreshOnStart, jitter, fetchTimeout, refreshDeadline,
                maxResponseBytes, maxModels, concurrency, shrinkGuard, maxBackoff, leaderLease, precedence);
    }

    public CatalogConfig withJitter(double fraction) {
        return new CatalogConfig(refreshInterval, refreshOnStart, fraction, fetchTimeout, refreshDeadline,
                maxResponseBytes, maxModels, concurrency, shrinkGuard, maxBackoff, leaderLease, metadataPrecedence);
    }
}
