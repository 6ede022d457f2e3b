package dev.switchboard.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.store.EventRepository;
import dev.switchboard.store.RevisionCounter;
import org.jdbi.v3.core.Handle;

import java.time.Clock;

/**
 * Appends events to the persisted log. Always called inside the transaction of the change the event
 * describes, so an event exists exactly when its change committed.
 */
public final class EventLog {
    private final EventRepository events;
    private final RevisionCounter revisions;
    private final ObjectMapper mapper;
    private final Clock clock;

    public EventLog(EventRepository events, RevisionCounter revisions, ObjectMapper mapper, Clock clock) {
        this.events = events;
        this.revisions = revisions;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** Takes the next revision (locking the counter until the transaction ends) and appends the event. */
    public ChangeEvent append(Handle transaction, ChangeData data) {
        long revision = revisions.next(transaction);
        ChangeEvent event = new ChangeEvent(revision, data.type(), clock.instant(), mapper.valueToTree(data));
        events.append(transaction, event);
        return event;
    }

    public long currentRevision(Handle handle) {
        return revisions.current(handle);
    }
}
