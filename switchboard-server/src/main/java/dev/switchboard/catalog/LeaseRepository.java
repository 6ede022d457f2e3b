package dev.switchboard.catalog;

import org.jdbi.v3.core.Handle;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * Leases in {@code sb_lease}: one row per lease, its holder, its epoch (the fencing token, one per term) and its
 * expiry. Every expiry is computed and compared by the database's clock ({@code clock_timestamp()}), never by an
 * instance's, so instances whose clocks disagree still agree on who holds a lease. PostgreSQL only: a lease
 * matters only when several instances share one store.
 */
public final class LeaseRepository {
    /**
     * Takes the lease if it is free or ran out, starting a new term; empty when another holder's lease still runs.
     * Taking it waits for the row while a transaction checks the current term (see {@link #lockedEpoch}), so a term
     * never ends in the middle of a write fenced by it.
     */
    public OptionalLong acquire(Handle transaction, String name, String holder, Duration lease) {
        return transaction.createQuery("""
                        UPDATE sb_lease SET holder = :holder, epoch = epoch + 1,
                          expires_at = clock_timestamp() + make_interval(secs => :seconds)
                        WHERE name = :name AND (holder IS NULL OR expires_at <= clock_timestamp())
                        RETURNING epoch""")
                .bind("name", name).bind("holder", holder).bind("seconds", seconds(lease))
                .mapTo(Long.class).findOne().map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /**
     * Extends the lease of this holder's term by {@code lease} from now; false when the term ended (another holder
     * took the lease since). A term that ran out but was not taken over is extended: no one else led meanwhile.
     */
    public boolean renew(Handle transaction, String name, String holder, long epoch, Duration lease) {
        return transaction.createUpdate("""
                        UPDATE sb_lease SET expires_at = clock_timestamp() + make_interval(secs => :seconds)
                        WHERE name = :name AND holder = :holder AND epoch = :epoch""")
                .bind("name", name).bind("holder", holder).bind("epoch", epoch).bind("seconds", seconds(lease))
                .execute() == 1;
    }

    /** Frees the lease of this term, so another instance takes it at once instead of when it runs out. */
    public void release(Handle transaction, String name, String holder, long epoch) {
        transaction.createUpdate("UPDATE sb_lease SET holder = NULL, expires_at = NULL"
                        + " WHERE name = :name AND holder = :holder AND epoch = :epoch")
                .bind("name", name).bind("holder", holder).bind("epoch", epoch).execute();
    }

    /**
     * The current term's epoch, inside a write transaction. The row stays share-locked until that transaction
     * ends, so no other instance's takeover commits between this check and the write it guards.
     */
    public long lockedEpoch(Handle transaction, String name) {
        return transaction.createQuery("SELECT epoch FROM sb_lease WHERE name = :name FOR SHARE")
                .bind("name", name).mapTo(Long.class).one();
    }

    /**
     * Bounds how long this transaction's statements wait for a row lock, so a heartbeat never hangs behind a
     * stalled transaction.
     */
    public void limitLockWait(Handle transaction, Duration wait) {
        transaction.execute("SET LOCAL lock_timeout = '" + Math.max(1, wait.toMillis()) + "ms'");
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
