package dev.switchboard.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A token bucket per key: {@code perMinute} writes, refilled smoothly; a burst of up to a minute's worth is fine. */
public final class WriteRateLimiter {
    private final double perSecond;
    private final double capacity;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public WriteRateLimiter(int perMinute, Clock clock) {
        this.perSecond = perMinute / 60.0;
        this.capacity = Math.max(1, perMinute);
        this.clock = clock;
    }

    /** Empty when the write may go ahead, else how long to wait before trying again. */
    public java.util.Optional<Duration> acquire(String keyId) {
        Bucket bucket = buckets.computeIfAbsent(keyId, id -> new Bucket(capacity, clock.millis()));
        synchronized (bucket) {
            long now = clock.millis();
            bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updatedAt) / 1000.0 * perSecond);
            bucket.updatedAt = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return java.util.Optional.empty();
            }
            double seconds = (1 - bucket.tokens) / perSecond;
            return java.util.Optional.of(Duration.ofMillis((long) Math.ceil(seconds * 1000)));
        }
    }

    private static final class Bucket {
        double tokens;
        long updatedAt;

        Bucket(double tokens, long updatedAt) {
            this.tokens = tokens;
            this.updatedAt = updatedAt;
        }
    }
}
