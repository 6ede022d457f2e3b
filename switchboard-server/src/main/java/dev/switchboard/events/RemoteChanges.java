package dev.switchboard.events;

/**
 * A feature whose in-memory state must follow changes committed by another instance of a cluster. Called on
 * the writer, in revision order, before the event is published here; it reloads what the change names from
 * the store (the event says what changed, the store says what it is now).
 */
@FunctionalInterface
public interface RemoteChanges {
    void applyRemote(RemoteChange change);
}
