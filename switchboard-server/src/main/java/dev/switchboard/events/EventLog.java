package dev.switchboard.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.store.ClusterNotifier;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;

/**
 * Appends events to the persisted log, and reads them back for subscribers that resume. Appends are always
 * made inside the transaction of the change the event describes, so an event exists exactly when its
 * change committed.
 *
 * <p>Writers do not call it themselves: {@link Commits} takes the lock, appends through its transaction, and
 * publishes once the transaction committed.
 */
public final class EventLog {
    private final EventRepository events;
    private final RevisionCounter revisions;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final ClusterNotifier cluster;

    public EventLog(EventRepository events, RevisionCounter revisions, ObjectMapper mapper, Clock clock) {
        this(events, revisions, mapper, clock, ClusterNotifier.NONE);
    }

    /** @param cluster tells the other instances sharing the store (on PostgreSQL) of each append, at commit */
    public EventLog(EventRepository events, RevisionCounter revisions, ObjectMapper mapper, Clock clock, ClusterNotifier cluster) {
        this.events = events;
        this.revisions = revisions;
        this.mapper = mapper;
        this.clock = clock;
        this.cluster = cluster;
    }

    /**
     * Starts a write: takes the revision lock, which no other writer of any instance passes until this transaction
     * ends, then applies to this instance what the others committed before it. The write is then validated and
     * diffed against the store as it is, not against a memory still waiting for a notification.
     */
    public void lockForWrite(Handle transaction, ChangeBus bus) {
        bus.catchUpTo(revisions.lock(transaction));
    }

    /** Takes the next revision (locking the counter until the transaction ends) and appends the event. */
    public ChangeEvent append(Handle transaction, ChangeData data) {
        long revision = revisions.next(transaction);
        // Millisecond precision, as the store keeps it: a replayed event is the live one, byte for byte.
        Instant time = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ChangeEvent event = new ChangeEvent(revision, data.type(), time, mapper.valueToTree(data));
        events.append(transaction, event);
        cluster.changes(transaction, revision);
        return event;
    }

    /**
     * A refresh saved these providers' status (times, failure count, error), maybe without any event: tell the
     * other instances to re-read it, at commit. Not an event: the log and the revision stay as they are.
     */
    public void announceStatus(Handle transaction, Collection<String> providerIds) {
        cluster.status(transaction, providerIds);
    }

    public long currentRevision(Handle handle) {
        return revisions.current(handle);
    }

    /** Committed events after {@code revision}, oldest first, at most {@code limit}. */
    public List<ChangeEvent> after(Handle handle, long revision, int limit) {
        return events.after(handle, revision, limit);
    }
}
