package dev.switchboard.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * One subscriber's way through the change feed. It catches up first — from the feed's recent events in
 * memory, else from the store, at the pace its consumer asks — and joins the live fan-out only once it has
 * read up to the newest published revision. From then on live events wait in a bounded buffer until the
 * consumer asks for them. Every event is handed over once and in revision order: anything at or below the
 * position already read is skipped, which makes the seam between catch-up and live exact.
 *
 * <p>The consumer calls {@link #next()} or {@link #available()} again only after the previous result
 * completed, and {@link #close()} when it goes away. Results may complete on the publisher's thread, so a
 * consumer hands them to its own thread (e.g. {@code Future.fromCompletionStage(stage, context)}).
 */
public final class EventStream implements AutoCloseable {
    private final EventFeed feed;
    private final EventFilter filter;
    private final int bufferLimit;
    private final Set<EventStream> live;
    // All fields below are guarded by this.
    private final ArrayDeque<FeedEvent> buffer = new ArrayDeque<>();
    /** The highest revision read from any source, matching the filter or not. */
    private long position;
    /** The store confirmed that nothing follows {@link #position} although the feed has not published it yet. */
    private boolean aheadVerified;
    private boolean joined;
    private boolean closed;
    private boolean ended;
    private FeedEvent overflow;
    private CompletableFuture<Delivery> waiting;
    private final CompletableFuture<FeedEvent> overflowed = new CompletableFuture<>();

    EventStream(EventFeed feed, long since, EventFilter filter, int bufferLimit, Set<EventStream> live) {
        this.feed = feed;
        this.position = since;
        this.filter = filter;
        this.bufferLimit = bufferLimit;
        this.live = live;
    }

    /** The next events (waiting for live ones when caught up), or the resync that ends the stream. */
    public CompletableFuture<Delivery> next() {
        return next(true);
    }

    /** Like {@link #next()}, but completes with no events instead of waiting for live ones. */
    public CompletableFuture<Delivery> available() {
        return next(false);
    }

    CompletableFuture<Delivery> next(boolean waitForLive) {
        synchronized (this) {
            if (closed || ended) return CompletableFuture.failedFuture(new CancellationException("the event stream is closed"));
            if (joined) return takeBuffered(waitForLive);
        }
        return feed.catchUp(this, waitForLive);
    }

    /**
     * Completes with the {@code resync_required} event when the buffer overflows. A consumer that stops
     * asking while it waits for its client (a full socket) listens to this to drop the client at once;
     * the next {@link #next()} also hands it out.
     */
    public CompletableFuture<FeedEvent> overflowed() {
        return overflowed;
    }

    public EventFilter filter() {
        return filter;
    }

    /** The highest revision this stream has read. */
    public synchronized long position() {
        return position;
    }

    /** Live events waiting for the consumer. */
    synchronized int buffered() {
        return buffer.size();
    }

    synchronized boolean isCatchingUp() {
        return !joined && !closed;
    }

    /** True when the stream has read every published event and may join the live fan-out. */
    synchronized boolean canJoin(long head) {
        return position == head || (position > head && aheadVerified);
    }

    synchronized void advance(long revision) {
        if (revision > position) {
            position = revision;
            aheadVerified = false;
        }
    }

    synchronized void markAheadVerified() {
        aheadVerified = true;
    }

    /** Joins the live fan-out unless the consumer is gone. Called by the feed, holding its lock. */
    synchronized boolean join() {
        if (closed) return false;
        joined = true;
        live.add(this);
        return true;
    }

    /**
     * A live event, in revision order; called by the feed, holding its lock. A stream that cannot buffer it
     * is done: it is handed the resync the feed made for it.
     */
    void offer(FeedEvent event) {
        CompletableFuture<Delivery> wake;
        Delivery delivery;
        FeedEvent resync;
        synchronized (this) {
            if (closed || overflow != null || event.revision() <= position) return;
            position = event.revision();
            if (!filter.matches(event)) return;
            if (buffer.size() >= bufferLimit) {
                buffer.clear();
                overflow = feed.overflowed(event.revision());
            } else {
                buffer.addLast(event);
            }
            wake = waiting;
            waiting = null;
            delivery = wake == null ? null : takeBuffered(true).join(); // completed: there is something to take
            resync = overflow;
        }
        if (resync != null) overflowed.complete(resync);
        if (wake != null) wake.complete(delivery);
    }

    /** Ends the stream with a resync the feed made while catching up (the log no longer serves it). */
    synchronized Delivery.Resync endWith(FeedEvent resync) {
        ended = true;
        return new Delivery.Resync(resync);
    }

    private CompletableFuture<Delivery> takeBuffered(boolean waitForLive) {
        if (overflow != null) {
            ended = true;
            return CompletableFuture.completedFuture(new Delivery.Resync(overflow));
        }
        if (!buffer.isEmpty()) {
            List<FeedEvent> events = new ArrayList<>(buffer);
            buffer.clear();
            return CompletableFuture.completedFuture(new Delivery.Events(events));
        }
        if (!waitForLive) return CompletableFuture.completedFuture(new Delivery.Events(List.of()));
        waiting = new CompletableFuture<>();
        return waiting;
    }

    /** Leaves the feed; a pending {@link #next()} fails with {@link CancellationException}. Idempotent. */
    @Override
    public void close() {
        CompletableFuture<Delivery> wake;
        synchronized (this) {
            closed = true;
            buffer.clear();
            wake = waiting;
            waiting = null;
        }
        live.remove(this);
        feed.closed(this);
        if (wake != null) wake.completeExceptionally(new CancellationException("the event stream is closed"));
    }
}
