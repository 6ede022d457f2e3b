package dev.switchboard.catalog;

import dev.switchboard.catalog.RefreshFence;
import dev.switchboard.catalog.ScheduleLeadership;
import dev.switchboard.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Cluster mode: the refresh schedule's leadership is a lease in the store, renewed by a heartbeat every third of
 * the lease. An instance that does not renew in time (dead, or alive but stalled) loses it: another takes it over
 * once it ran out, starting a new term whose epoch is the fencing token. A scheduled refresh checks that token in
 * the transaction that applies its result ({@link RefreshFence}), so the results of a leader that resumes after it
 * lost the lease are refused and it steps down.
 *
 * <p>This instance counts on its term only until one lease after it last sent a renewal that succeeded (by its
 * own monotonic clock): by then the lease may have run out in the store, and a stalled leader that resumes does
 * not start new scheduled refreshes before its heartbeat learns whether it still leads.
 */
public final class LeaderLease implements ScheduleLeadership, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderLease.class);
    /** The row in {@code sb_lease}. */
    static final String SCHEDULE = "schedule";

    private final Store store;
    private final LeaseRepository leases;
    private final Duration lease;
    private final String holder;
    private final Counter fenced;
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("switchboard-lease").daemon().factory());
    private final AtomicReference<Term> term = new AtomicReference<>();
    private volatile boolean stalled;
    private volatile boolean closed;

    /** A term of this instance: its epoch, and until when (by {@link System#nanoTime()}) it may count on it. */
    private record Term(long epoch, long validUntil) {
        boolean valid() {
            return System.nanoTime() - validUntil < 0;
        }
    }

    public LeaderLease(Store store, LeaseRepository leases, Duration lease, MeterRegistry meters) {
        this.store = store;
        this.leases = leases;
        this.lease = lease;
        this.holder = holderId();
        this.fenced = Counter.builder("switchboard.schedule.fenced")
                .description("scheduled refresh results refused because this instance had lost the schedule's lease")
                .register(meters);
        Gauge.builder("switchboard.schedule.leader", this, l -> l.isLeader() ? 1 : 0)
                .description("1 while this instance runs the refresh schedule").register(meters);
    }

    /** Host, process and a random part: several instances may share a host, or a JVM in tests. */
    private static String holderId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown-host";
        }
        return host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Tries to take the lease at once (so the schedule knows whether it leads when it starts), then keeps beating. */
    public void start() {
        beat();
        long period = Math.max(1, lease.toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
    }

    /** True while this instance runs the refresh schedule. */
    public boolean isLeader() {
        Term current = term.get();
        return current != null && current.valid();
    }

    @Override
    public Optional<RefreshFence> term() {
        Term current = term.get();
        if (current == null || !current.valid()) return Optional.empty();
        return Optional.of(transaction -> fence(transaction, current));
    }

    /**
     * For failover tests: stops the heartbeat (no renewal, no takeover) as a process paused by SIGSTOP or a long
     * GC would, while everything else goes on; closing the returned handle resumes it.
     */
    public AutoCloseable stall() {
        stalled = true;
        return () -> stalled = false;
    }

    private void fence(org.jdbi.v3.core.Handle transaction, Term started) {
        long current = leases.lockedEpoch(transaction, SCHEDULE);
        if (current == started.epoch()) return;
        fenced.increment();
        stepDown(started, "its lease term " + started.epoch() + " ended (term " + current + " runs now)");
        throw new RefreshFence.TermEnded("not applied: this instance no longer runs the refresh schedule (lease term "
                + started.epoch() + " ended; term " + current + " runs now)");
    }

    private void beat() {
        if (stalled || closed) return;
        long sent = System.nanoTime();
        Duration lockWait = lease.dividedBy(3);
        Term current = term.get();
        try {
            if (current != null) {
                boolean renewed = store.inTransaction(transaction -> {
                    leases.limitLockWait(transaction, lockWait);
                    return leases.renew(transaction, SCHEDULE, holder, current.epoch(), lease);
                });
                if (renewed) {
                    term.compareAndSet(current, new Term(current.epoch(), sent + lease.toNanos()));
                } else {
                    stepDown(current, "another instance took the lease over");
                }
            } else {
                var taken = store.inTransaction(transaction -> {
                    leases.limitLockWait(transaction, lockWait);
                    return leases.acquire(transaction, SCHEDULE, holder, lease);
                });
                if (taken.isPresent()) {
                    term.set(new Term(taken.getAsLong(), sent + lease.toNanos()));
                    log.info("this instance runs the refresh schedule now (lease term {}, holder {})", taken.getAsLong(), holder);
                }
            }
        } catch (RuntimeException e) {
            // The store is unreachable or the row busy: try again at the next beat. A term not renewed in time
            // runs out here by itself (see Term.valid), as it does in the store.
            log.debug("schedule lease heartbeat failed: {}", e.getMessage());
        }
    }

    private void stepDown(Term ended, String why) {
        if (term.compareAndSet(ended, null)) log.warn("this instance stops running the refresh schedule: {}", why);
    }

    /** Stops the heartbeat and frees the lease, so another instance takes the schedule over at once. */
    @Override
    public void close() {
        closed = true;
        heartbeat.shutdownNow();
        try {
            heartbeat.awaitTermination(200, TimeUnit.MILLISECONDS); // a beat under way may just have taken the lease
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Term current = term.getAndSet(null);
        if (current == null) return;
        try {
            store.inTransaction(transaction -> {
                leases.limitLockWait(transaction, Duration.ofMillis(200));
                leases.release(transaction, SCHEDULE, holder, current.epoch());
                return null;
            });
        } catch (RuntimeException e) {
            log.debug("could not free the schedule lease ({}); it runs out by itself", e.getMessage());
        }
    }
}
