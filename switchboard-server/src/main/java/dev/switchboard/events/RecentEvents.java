package dev.switchboard.events;

import java.util.ArrayList;
import java.util.List;

/**
 * The newest published events in a ring indexed by revision (they are contiguous), bounded by count and by
 * bytes: one refresh of a large catalog can make a multi-megabyte event. Not thread-safe: the feed guards it.
 */
final class RecentEvents {
    /** Keeps a burst of huge events from holding hundreds of megabytes. */
    static final long MAX_BYTES = 32L * 1024 * 1024;

    private final FeedEvent[] ring;
    private long newest;
    private int size;
    private long bytes;

    RecentEvents(int capacity, long head) {
        this.ring = new FeedEvent[capacity];
        this.newest = head;
    }

    /** Appends the event that follows the newest one. */
    void add(FeedEvent event) {
        if (event.revision() != newest + 1) {
            throw new IllegalArgumentException("revision " + event.revision() + " does not follow " + newest);
        }
        if (ring.length > 0) {
            if (size == ring.length) evictOldest();
            ring[slot(event.revision())] = event;
            size++;
            bytes += event.envelope().length;
        }
        newest = event.revision();
        while (size > 1 && bytes > MAX_BYTES) evictOldest();
    }

    /** True when every event after {@code revision} up to the newest is held here. */
    boolean coversAfter(long revision) {
        return revision >= newest - size && revision <= newest;
    }

    /** Up to {@code max} events after {@code revision}, oldest first; {@link #coversAfter} must hold. */
    List<FeedEvent> after(long revision, int max) {
        long last = Math.min(newest, revision + max);
        List<FeedEvent> found = new ArrayList<>((int) Math.max(0, last - revision));
        for (long r = revision + 1; r <= last; r++) found.add(ring[slot(r)]);
        return found;
    }

    private void evictOldest() {
        long oldest = newest - size + 1;
        bytes -= ring[slot(oldest)].envelope().length;
        ring[slot(oldest)] = null;
        size--;
    }

    private int slot(long revision) {
        return (int) Math.floorMod(revision, (long) ring.length);
    }
}
