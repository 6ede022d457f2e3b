package dev.switchboard.events;

import dev.switchboard.store.Store;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The one way a write changes what Switchboard serves. Every write (a refresh's apply, a provider or model
 * configuration edit, a target-status reconciliation) runs {@link #commit} on the writer, which does, in this
 * order and nowhere else:
 * <ol>
 *     <li>the transaction: it takes the revision lock and applies what other instances committed before it
 *         ({@link EventLog#lockForWrite}), then runs the write, which appends its events through {@link Transaction};</li>
 *     <li>the swap: the write's in-memory state is replaced ({@link Outcome#swap}), once the transaction committed;</li>
 *     <li>the publication: the applied revision moves, the events go to the change feed (in revision order: there is
 *         one writer), the read-only views ({@link ChangeBus#onPublished}) refresh, reads waiting for the revision wake;</li>
 *     <li>the follow-ups: derived writes ({@link #followWith}), each a commit of its own through this same path, in
 *         the order declared. Only after a local commit: the instance that made a change makes its consequences.</li>
 * </ol>
 * Events another instance committed take steps 3 (after their state was reloaded) through {@link #replayed}.
 */
public final class Commits {
    private final Store store;
    private final EventLog eventLog;
    private final ChangeBus bus;
    private final EventFeed feed;
    private final List<FollowUp> followUps = new CopyOnWriteArrayList<>();
    /** True while views refresh: they only read, and a commit from one would publish inside a publication. */
    private boolean refreshingViews;

    public Commits(Store store, EventLog eventLog, ChangeBus bus, EventFeed feed) {
        this.store = store;
        this.eventLog = eventLog;
        this.bus = bus;
        this.feed = feed;
        // Alone on the store, revisions this writer did not make (an older version's, a hand-made row) are read
        // from the log before the next commit, so the feed never skips one. In a cluster, ClusterSync does this and
        // also reloads what they changed.
        bus.onGap(this::readMissing);
    }

    /** A write: reads and writes the store through {@code tx}, appends its events, and says what to swap in memory. */
    @FunctionalInterface
    public interface Work<T> {
        Outcome<T> run(Transaction tx);
    }

    /** A derived write made after a local commit, e.g. the target status of aliases after the catalog moved. */
    @FunctionalInterface
    public interface FollowUp {
        void after(List<ChangeData> committed);
    }

    /**
     * What a write decided: its value, and the in-memory swap to make once it committed. The swap gets the events
     * the write appended (empty when it appended none).
     */
    public record Outcome<T>(T value, Consumer<List<ChangeEvent>> swap) {
        /** Nothing to swap (the write changed nothing, or nothing held in memory). */
        public static <T> Outcome<T> unchanged(T value) {
            return new Outcome<>(value, events -> {
            });
        }

        public static <T> Outcome<T> of(T value, Consumer<List<ChangeEvent>> swap) {
            return new Outcome<>(value, swap);
        }
    }

    /**
     * What {@link #commit} returns: the write's value, the events it committed in revision order, and its revision:
     * that of its last event, or, when it appended none, the revision it was checked against.
     */
    public record Committed<T>(T value, List<ChangeEvent> events, long revision) {
    }

    /** The write's transaction: its handle, and the appending of its events. */
    public final class Transaction {
        private final Handle handle;
        private final List<ChangeEvent> events = new ArrayList<>();
        private final List<ChangeData> data = new ArrayList<>();

        private Transaction(Handle handle) {
            this.handle = handle;
        }

        public Handle handle() {
            return handle;
        }

        /** Appends an event, committed with the write or not at all. */
        public ChangeEvent append(ChangeData change) {
            ChangeEvent event = eventLog.append(handle, change);
            events.add(event);
            data.add(change);
            return event;
        }

        /** Providers' status saved without an event: the other instances re-read it at commit. */
        public void announceStatus(Collection<String> providerIds) {
            eventLog.announceStatus(handle, providerIds);
        }
    }

    /** {@link #commit(Consumer, Work)} with nothing to check before the revision lock. */
    public <T> Committed<T> commit(Work<T> work) {
        return commit(handle -> {
        }, work);
    }

    /**
     * Runs on the writer. Commits {@code work} with its events, swaps its state, publishes, then runs the follow-ups.
     * A write that throws commits nothing, swaps nothing and publishes nothing.
     *
     * @param first checked in the transaction before the revision lock is taken (a scheduled refresh's fence)
     */
    public <T> Committed<T> commit(Consumer<Handle> first, Work<T> work) {
        record Done<T>(Outcome<T> outcome, Transaction tx) {
        }
        if (refreshingViews) throw new IllegalStateException("a view of the state committed a write; views only read");
        Done<T> done = store.inTransaction(handle -> {
            first.accept(handle);
            eventLog.lockForWrite(handle, bus);
            Transaction tx = new Transaction(handle);
            return new Done<>(work.run(tx), tx);
        });
        List<ChangeEvent> events = List.copyOf(done.tx().events);
        done.outcome().swap().accept(events);
        publish(events);
        long revision = events.isEmpty() ? bus.revision() : events.getLast().revision();
        if (!events.isEmpty()) {
            List<ChangeData> data = List.copyOf(done.tx().data);
            for (FollowUp followUp : followUps) followUp.after(data);
        }
        return new Committed<>(done.outcome().value(), events, revision);
    }

    /** Runs on the writer: events another instance committed, once this instance's state follows them. No follow-ups. */
    public void replayed(List<ChangeEvent> events) {
        publish(events);
    }

    /**
     * Declares a derived write, run after each local commit that appended events, after the follow-ups declared
     * before it. Wired once, in {@code Switchboard}.
     */
    public void followWith(FollowUp followUp) {
        followUps.add(followUp);
    }

    /** On the writer: publishes the logged events after the applied revision, up to {@code upTo}. */
    private void readMissing(long upTo) {
        while (bus.revision() < upTo) {
            long from = bus.revision();
            List<ChangeEvent> page = store.withHandle(handle -> eventLog.after(handle, from, (int) Math.min(EventFeed.BATCH, upTo - from)));
            if (page.isEmpty()) return;
            replayed(page);
        }
    }

    private void publish(List<ChangeEvent> events) {
        List<ChangeEvent> fresh = bus.advance(events);
        if (fresh.isEmpty()) return;
        feed.publish(fresh);
        refreshingViews = true;
        try {
            bus.refreshViews(fresh);
        } finally {
            refreshingViews = false;
        }
        bus.release();
    }
}
