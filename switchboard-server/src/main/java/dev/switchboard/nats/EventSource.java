package dev.switchboard.nats;

import dev.switchboard.events.ChangeEvent;

import java.util.List;

/** The committed events the bridge publishes: the event log, read after the stream's newest revision. */
@FunctionalInterface
public interface EventSource {
    /** Committed events after {@code revision}, oldest first, at most {@code limit}. */
    List<ChangeEvent> after(long revision, int limit);
}
