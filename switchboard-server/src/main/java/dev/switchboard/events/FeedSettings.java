package dev.switchboard.events;

import java.time.Duration;

/**
 * The feed's limits. The defaults are what a server runs with; tests shrink them to reach the edges fast.
 *
 * @param heartbeat        how often an idle SSE stream gets a {@code : ping} comment
 * @param subscriberBuffer live events a subscriber may leave unread before it is dropped
 * @param recentEvents     events kept in memory so that most resumes need no store read
 */
public record FeedSettings(Duration heartbeat, int subscriberBuffer, int recentEvents) {
    /** Often enough for proxies that close idle connections after 30–60 s, and for clients to notice a dead one. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /**
     * A subscriber that leaves this many live events unread (it stopped reading, or its network is slower
     * than the change rate) loses its stream: it gets {@code resync_required} and is disconnected, and must
     * reload state and resume from the current revision. A bounded buffer keeps one slow client from
     * growing the server's memory or slowing the others.
     */
    public static final int SUBSCRIBER_BUFFER = 1024;
    /** As many as the log keeps at least (events.min_events), so a resume rarely touches the store. */
    public static final int RECENT_EVENTS = 10_000;

    public FeedSettings {
        if (heartbeat.isNegative() || heartbeat.isZero()) throw new IllegalArgumentException("heartbeat must be positive");
        if (subscriberBuffer < 1) throw new IllegalArgumentException("subscriberBuffer must be at least 1");
        if (recentEvents < 0) throw new IllegalArgumentException("recentEvents must not be negative");
    }

    public static FeedSettings defaults() {
        return new FeedSettings(HEARTBEAT, SUBSCRIBER_BUFFER, RECENT_EVENTS);
    }

    public FeedSettings withHeartbeat(Duration newHeartbeat) {
        return new FeedSettings(newHeartbeat, subscriberBuffer, recentEvents);
    }

    public FeedSettings withSubscriberBuffer(int events) {
        return new FeedSettings(heartbeat, events, recentEvents);
    }

    public FeedSettings withRecentEvents(int events) {
        return new FeedSettings(heartbeat, subscriberBuffer, events);
    }
}
