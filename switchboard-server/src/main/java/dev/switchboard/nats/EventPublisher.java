package dev.switchboard.nats;

import dev.switchboard.events.ChangeEvent;
import io.nats.client.JetStreamApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Publishes the committed events that the stream does not hold yet, oldest first, one at a time: revision r + 1
 * is sent only once JetStream confirmed r, so the stream's order is the log's and a failure leaves no hole.
 *
 * <p>Where to resume is read from the stream (its newest message's revision) whenever it may have changed under
 * this instance: at the first pass, after any failure or reconnect, and when this instance becomes the leader.
 * Only the leader publishes; the others read the stream's revision now and then, so their lag is true too.
 * Called by the bridge's one thread only; {@link #publishedRevision()} and {@link #isPublishing()} are read by
 * any.
 */
final class EventPublisher {
    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
    /** Events read from the log per query while catching up. */
    static final int BATCH = 500;
    private static final long UNKNOWN = -1;

    private final EventSource events;
    private final LongSupplier newest;
    private final BooleanSupplier leading;
    private final Runnable onPublished;
    /** The stream's newest revision, as this thread knows it for sure; UNKNOWN when it must be read back (reset from others). */
    private volatile long cursor = UNKNOWN;
    private volatile long published = UNKNOWN;
    private volatile boolean publishing;
    private boolean warnedAhead;

    /**
     * @param events      the event log
     * @param newest      the newest committed revision this instance has applied (cheap: read on every pass)
     * @param leading     true while this instance is the one that publishes
     * @param onPublished called after each event JetStream confirmed (a metric)
     */
    EventPublisher(EventSource events, LongSupplier newest, BooleanSupplier leading, Runnable onPublished) {
        this.events = events;
        this.newest = newest;
        this.leading = leading;
        this.onPublished = onPublished;
    }

    /** The stream may hold more or fewer events than this instance thinks (a failure, a reconnect): read it back next. */
    void forgetCursor() {
        cursor = UNKNOWN;
    }

    /**
     * One pass: as leader, publishes what the stream lacks, until it holds every revision this instance has
     * applied; as follower, reads where the stream is.
     */
    void publishPending(JetStreamLog stream) throws IOException, JetStreamApiException {
        if (!leading.getAsBoolean()) {
            publishing = false;
            cursor = UNKNOWN;
            OptionalLong onStream = stream.lastRevision();
            if (onStream.isPresent()) published = onStream.getAsLong();
            return;
        }
        if (!publishing || cursor == UNKNOWN) resume(stream);
        while (cursor < newest.getAsLong() && leading.getAsBoolean()) {
            List<ChangeEvent> batch = events.after(cursor, BATCH);
            if (batch.isEmpty()) return;
            reportPruned(batch.getFirst());
            for (ChangeEvent event : batch) {
                stream.publish(event);
                cursor = event.revision();
                published = cursor;
                onPublished.run();
            }
        }
    }

    private void resume(JetStreamLog stream) throws IOException, JetStreamApiException {
        stream.ensureStream();
        cursor = stream.lastRevision().orElse(0);
        published = cursor;
        if (!publishing) log.info("publishing events to NATS from revision {} on", cursor + 1);
        publishing = true;
        long applied = newest.getAsLong();
        // Ahead of this instance is normal for a moment in a cluster (a new leader still applying the old one's
        // last commits); ahead of the log itself means the store is not the one the stream was filled from.
        if (cursor > applied && !warnedAhead && events.after(applied, 1).isEmpty()) {
            warnedAhead = true;
            log.warn("the stream holds revision {} but the event log's newest is {}: if the store was replaced, delete"
                    + " the stream (its consumers resume by revision); events are published again from revision {} on",
                    cursor, applied, cursor + 1);
        }
    }

    /** Revisions pruned from the log before they could be published are lost to the stream: say so. */
    private void reportPruned(ChangeEvent first) {
        if (cursor > 0 && first.revision() > cursor + 1) {
            log.warn("revisions {}..{} were pruned from the event log before NATS could take them; the stream goes on"
                    + " from revision {}", cursor + 1, first.revision() - 1, first.revision());
        }
    }

    /** The newest revision known to be on the stream; empty until the broker was reached. */
    OptionalLong publishedRevision() {
        long known = published;
        return known == UNKNOWN ? OptionalLong.empty() : OptionalLong.of(known);
    }

    boolean isPublishing() {
        return publishing;
    }
}
