package dev.switchboard.store;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One write as its caller sees it: a deadline, fixed when the request arrived, and the revision at which this
 * instance applied the write. The writer does not start a write past its deadline, and bounds every wait inside
 * it (a connection, a lock) by what is left, so that a caller hears back within the write timeout, and a write
 * whose caller was told 503 is never applied later.
 */
public final class WriteTicket {
    /** Null for a write that may take as long as it needs (start-up work). */
    private final Duration timeout;
    /** On {@link System#nanoTime()}'s clock: deadlines must not move with the wall clock. */
    private final long deadline;
    private final AtomicLong revision = new AtomicLong(-1);

    private WriteTicket(Duration timeout) {
        this.timeout = timeout;
        this.deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    }

    /** A ticket whose time starts now: at the request's arrival, or when a write with no request is queued. */
    public static WriteTicket startingNow(Duration timeout) {
        return new WriteTicket(java.util.Objects.requireNonNull(timeout));
    }

    /** For work that must finish however long the store takes (start-up): waits as long as the pool does. */
    public static WriteTicket unbounded() {
        return new WriteTicket(null);
    }

    boolean bounded() {
        return timeout != null;
    }

    /** The whole time the write was given, for messages. */
    public Duration timeout() {
        return timeout;
    }

    long remainingNanos() {
        return bounded() ? deadline - System.nanoTime() : Long.MAX_VALUE;
    }

    boolean expired() {
        return remainingNanos() <= 0;
    }

    /**
     * Records that this instance's memory holds the write at {@code revision}; a request made of several writes
     * (a provider saved, then refreshed) keeps the highest.
     */
    public void applied(long revision) {
        this.revision.accumulateAndGet(revision, Math::max);
    }

    /**
     * The revision at which this instance applied the write: its own commit, or, when it changed nothing, the
     * revision it was checked against. Empty until it was applied. Another instance that has applied this
     * revision shows the write ({@code ?min_revision=}).
     */
    public OptionalLong revision() {
        long applied = revision.get();
        return applied < 0 ? OptionalLong.empty() : OptionalLong.of(applied);
    }
}
