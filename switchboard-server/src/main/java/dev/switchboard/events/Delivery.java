package dev.switchboard.events;

import java.util.List;

/** What an {@link EventStream} hands its consumer next. */
public sealed interface Delivery {
    /** Events in revision order, each matching the stream's filter; empty only from {@link EventStream#available()}. */
    record Events(List<FeedEvent> events) implements Delivery {
        public Events {
            events = List.copyOf(events);
        }
    }

    /**
     * The stream cannot go on without a gap: send this {@code resync_required} event and end. The stream is
     * closed once it hands this out.
     */
    record Resync(FeedEvent event) implements Delivery {
    }
}
