package dev.switchboard.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;

/**
 * The change feed's hub: every committed event goes through {@link #publish} and reaches every subscriber's
 * {@link EventStream}, in revision order, exactly once.
 *
 * <p>The feed is an ordered log in memory fed by the one writer ({@link Commits}): its own commits and, in a
 * cluster, the other instances' (caught up on the writer too), each once and in revision order, so the feed's
 * order is the writer's. Publishing never waits for a subscriber: each stream buffers what it has not read, up
 * to a bound, on its own.
 *
 * <p>The newest events are kept in memory ({@link RecentEvents}), so most subscribers that resume never
 * touch the store; older ones are read from the store on virtual threads, never on an event loop.
 */
public final class EventFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventFeed.class);
    /** Events handed over at once while catching up, and read from the store per query. */
    static final int BATCH = 500;

    private final Store store;
    private final EventLog eventLog;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final FeedSettings settings;
    private final Object lock = new Object();
    private final Set<EventStream> open = ConcurrentHashMap.newKeySet();
    private final Set<EventStream> live = ConcurrentHashMap.newKeySet();
    /** Revisions already logged as unrenderable: a bad event is reported once, not at every replay. */
    private final Set<Long> unrenderable = ConcurrentHashMap.newKeySet();
    private final ExecutorService readers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("switchboard-feed-reader-", 0).factory());
    private final Counter published;
    private final MeterRegistry meters;
    // Guarded by lock.
    private final RecentEvents recent;
    private long head;
    private boolean closed;
    private volatile boolean halted;

    /**
     * @param head the newest revision in the store when the feed starts: events after it are published,
     *             events up to it are read from the store by subscribers that resume
     */
    public EventFeed(Store store, EventLog eventLog, ObjectMapper mapper, Clock clock, FeedSettings settings,
                     long head, MeterRegistry meters) {
        this.store = store;
        this.eventLog = eventLog;
        this.mapper = mapper;
        this.clock = clock;
        this.settings = settings;
        this.head = head;
        this.recent = new RecentEvents(settings.recentEvents(), head);
        this.meters = meters;
        this.published = Counter.builder("switchboard.events.published")
                .description("Events handed to the live subscribers' fan-out").register(meters);
        Gauge.builder("switchboard.events.subscribers", open, Set::size)
                .description("Open change-feed subscriptions (SSE, long polls, the NATS bridge's reader)").register(meters);
        Gauge.builder("switchboard.events.lag.revisions", this, EventFeed::lagRevisions)
                .description("Revisions between the newest published event and the furthest-behind subscriber's position").register(meters);
        Gauge.builder("switchboard.events.buffered.max", this, EventFeed::mostBuffered)
                .description("Events waiting in the fullest subscriber's buffer (a subscriber that fills it is told to resync)")
                .register(meters);
    }

    /**
     * Publishes events whose transaction committed, in revision order; called by the writer only. Events already
     * published are ignored, so publishing twice is harmless. Never throws: a failure here must not undo a commit
     * (subscribers that lost an event find it in the store when they resume).
     */
    public void publish(List<ChangeEvent> committed) {
        if (committed.isEmpty() || halted) return;
        try {
            List<FeedEvent> events = committed.stream().map(this::render).toList();
            synchronized (lock) {
                for (FeedEvent event : events) {
                    if (event.revision() <= head) continue;
                    head = event.revision();
                    recent.add(event);
                    for (EventStream stream : live) stream.offer(event);
                    published.increment();
                }
            }
        } catch (RuntimeException e) {
            log.error("cannot publish events {}..{}", committed.getFirst().revision(), committed.getLast().revision(), e);
        }
    }

    /** For the lag gauge: how far the furthest-behind open subscriber is from the head; read at scrape time only. */
    private double lagRevisions() {
        long newest = head();
        long lag = 0;
        for (EventStream stream : open) lag = Math.max(lag, newest - stream.position());
        return lag;
    }

    /** For the buffer gauge: the fullest live subscriber's buffer; read at scrape time only. */
    private double mostBuffered() {
        int most = 0;
        for (EventStream stream : live) most = Math.max(most, stream.buffered());
        return most;
    }

    /** The newest revision published, in order, to subscribers. */
    public long head() {
        synchronized (lock) {
            return head;
        }
    }

    /**
     * A stream of the events after {@code since} that match {@code filter}, then of live ones. It reads
     * nothing until its consumer asks.
     *
     * @throws CancellationException when the feed is closed (the server is shutting down)
     */
    public EventStream open(long since, EventFilter filter) {
        if (since < 0) throw new IllegalArgumentException("since must not be negative, got " + since);
        EventStream stream = new EventStream(this, since, filter, settings.subscriberBuffer(), live);
        synchronized (lock) {
            if (closed) throw new CancellationException("the change feed is closed");
            open.add(stream);
        }
        return stream;
    }

    /**
     * The lowest revision that a connected subscriber still has to read from the store: pruning keeps it and
     * every later event. {@link Long#MAX_VALUE} when every subscriber is served from memory.
     */
    public long oldestNeeded() {
        long oldest = Long.MAX_VALUE;
        for (EventStream stream : open) {
            if (stream.isCatchingUp()) oldest = Math.min(oldest, stream.position() + 1);
        }
        return oldest;
    }

    /** Catch-up step of {@link EventStream#next}: memory if it holds what follows, the store if not. */
    CompletableFuture<Delivery> catchUp(EventStream stream, boolean waitForLive) {
        synchronized (lock) {
            while (true) {
                if (stream.canJoin(head)) {
                    if (!stream.join()) return CompletableFuture.failedFuture(new CancellationException("the event stream is closed"));
                    return stream.next(waitForLive);
                }
                long position = stream.position();
                if (!recent.coversAfter(position)) break;
                List<FeedEvent> read = recent.after(position, BATCH);
                stream.advance(read.getLast().revision());
                List<FeedEvent> matched = stream.filter().select(read);
                if (!matched.isEmpty()) return CompletableFuture.completedFuture(new Delivery.Events(matched));
            }
        }
        try {
            return CompletableFuture.supplyAsync(() -> readStored(stream), readers)
                    .thenCompose(delivery -> delivery != null ? CompletableFuture.completedFuture(delivery)
                            : stream.next(waitForLive));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new CancellationException("the change feed is closed"));
        }
    }

    /**
     * Reads from the store until there are events to hand over, or memory (or joining) can take over
     * (then null). Revisions are gap-free, so a page that does not start right after the position means
     * the events in between were pruned.
     */
    private Delivery readStored(EventStream stream) {
        while (true) {
            long position = stream.position();
            synchronized (lock) {
                if (recent.coversAfter(position)) return null;
            }
            List<ChangeEvent> page = store.withHandle(handle -> eventLog.after(handle, position, BATCH));
            if (page.isEmpty()) {
                long current = store.withHandle(eventLog::currentRevision);
                if (position > current) {
                    return resync(stream, current, "ahead", "revision " + position + " is ahead of the log, whose newest is "
                            + current + ": the store was replaced or reset");
                }
                if (position < current) return expired(stream, position, current);
                stream.markAheadVerified();
                return null;
            }
            if (page.getFirst().revision() != position + 1) {
                return expired(stream, position, store.withHandle(eventLog::currentRevision));
            }
            List<FeedEvent> read = page.stream().map(this::render).toList();
            stream.advance(read.getLast().revision());
            List<FeedEvent> matched = stream.filter().select(read);
            if (!matched.isEmpty()) return new Delivery.Events(matched);
        }
    }

    /**
     * The event as subscribers get it. One that cannot be rendered is a bug, but it must not stop the feed at
     * its revision (a live publish that keeps failing, a replay that fails at it every time): it goes out
     * {@linkplain FeedEvent#unrenderable degraded}, and is logged once however often it is read again.
     */
    private FeedEvent render(ChangeEvent event) {
        if (event.data() == null || event.data().isMissingNode()) {
            return degraded(event, "its data in the event log is not readable JSON", null);
        }
        try {
            return FeedEvent.of(event, mapper);
        } catch (RuntimeException e) {
            return degraded(event, e.toString(), e);
        }
    }

    private FeedEvent degraded(ChangeEvent event, String reason, RuntimeException error) {
        if (unrenderable.add(event.revision())) {
            log.error("event at revision {} ({}) cannot be rendered: {}; subscribers get it with its identifying fields only",
                    event.revision(), event.type(), reason, error);
        }
        return FeedEvent.unrenderable(event, mapper);
    }

    private Delivery expired(EventStream stream, long position, long current) {
        return resync(stream, current, "expired", "events after revision " + position + " are no longer retained");
    }

    private Delivery resync(EventStream stream, long current, String cause, String reason) {
        long revision = Math.max(current, head());
        return stream.endWith(resyncEvent(revision, cause, reason + "; reload and resume from revision " + revision));
    }

    /** The resync for a stream whose buffer is full; the feed's lock is held (called from {@link #publish}). */
    FeedEvent overflowed(long revision) {
        return resyncEvent(revision, "overflow", "more than " + settings.subscriberBuffer()
                + " events went unread; reload and resume from revision " + revision);
    }

    private FeedEvent resyncEvent(long revision, String cause, String reason) {
        Counter.builder("switchboard.events.resyncs").description("resync_required events sent to subscribers, by cause")
                .tag("cause", cause).register(meters).increment();
        return FeedEvent.resyncRequired(revision, reason, clock.instant(), mapper);
    }

    void closed(EventStream stream) {
        open.remove(stream);
    }

    /**
     * Test hook: behaves as if the process died right after each commit, before delivery. Publishing
     * delivers nothing from now on; the events are only in the store.
     */
    void haltDelivery() {
        halted = true;
    }

    /** Ends every stream (their pending {@code next()} fail with {@link CancellationException}) and stops. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        for (EventStream stream : List.copyOf(open)) stream.close();
        readers.shutdownNow();
    }
}
