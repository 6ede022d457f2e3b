package dev.switchboard.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The one writer. Every change of observable state (catalog refreshes, provider and model-configuration
 * edits) runs here, one at a time: its transaction, its in-memory swap and the publication of its events
 * happen in revision order, and no two writes interleave.
 *
 * <p>Each write carries its caller's deadline ({@link WriteTicket}). A write still queued when its deadline
 * passes is answered 503 at that moment and is never started, so a caller that was told its write failed never
 * sees it applied later; while the store is known down, writes are refused before they queue.
 */
public final class WriteQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WriteQueue.class);
    /**
     * How long {@link #close()} waits for the write under way: a write takes milliseconds, and shutdown as a
     * whole has a second. One that takes longer is left to the store's close, which rolls it back.
     */
    static final Duration WRITE_UNDER_WAY_BOUND = Duration.ofMillis(300);

    private final ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), Thread.ofPlatform().name("switchboard-writer").daemon().factory());
    /** Answers the writes whose deadline passed in the queue, while the writer is busy with an earlier one. */
    private final ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1,
            Thread.ofPlatform().name("switchboard-write-deadlines").daemon().factory());
    private final Store store;
    private final Duration timeout;
    private final LongSupplier appliedRevision;
    private volatile boolean closed;

    /**
     * @param timeout         the time a write without a request of its own (a refresh, a catch-up) is given from
     *                        the moment it is queued
     * @param appliedRevision the revision this instance has applied, read on the writer after each write
     */
    public WriteQueue(Store store, Duration timeout, LongSupplier appliedRevision) {
        this.store = store;
        this.timeout = timeout;
        this.appliedRevision = appliedRevision;
        deadlines.setRemoveOnCancelPolicy(true);
    }

    /** Writes waiting for the writer, not counting the one under way: for the queue-depth gauge. */
    public int depth() {
        return thread.getQueue().size();
    }

    /** Queues a write with no request behind it: its time starts now. */
    public <T> CompletableFuture<T> submit(Supplier<T> write) {
        return submit(WriteTicket.startingNow(timeout), write);
    }

    /**
     * Queues a write for a caller holding {@code ticket}. Completes with the write's result, or exceptionally: at
     * once with {@link StoreUnavailableException} while the store is known down, with {@link StoreException.Busy}
     * when the deadline passes before the write could start (it is then never applied), or with what the write
     * threw. Once applied, {@code ticket} holds the revision this instance had applied after it.
     */
    public <T> CompletableFuture<T> submit(WriteTicket ticket, Supplier<T> write) {
        if (store.isKnownDown()) return CompletableFuture.failedFuture(store.refusal());
        QueuedWrite<T> queued = new QueuedWrite<>(ticket, write);
        try {
            if (ticket.bounded()) {
                queued.expiry = deadlines.schedule(queued::expire, Math.max(0, ticket.remainingNanos()), TimeUnit.NANOSECONDS);
            }
            thread.execute(queued);
        } catch (RejectedExecutionException e) {
            queued.refuse();
        }
        return queued.result;
    }

    /** A write waiting for the writer; either the writer starts it or its deadline answers it, never both. */
    private final class QueuedWrite<T> implements Runnable {
        private final WriteTicket ticket;
        private final Supplier<T> write;
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private final AtomicBoolean claimed = new AtomicBoolean();
        private volatile ScheduledFuture<?> expiry;

        QueuedWrite(WriteTicket ticket, Supplier<T> write) {
            this.ticket = ticket;
            this.write = write;
        }

        /** Shutting down: the caller hears "shutting down" now, and nothing of this write is applied. */
        void refuse() {
            if (expiry != null) expiry.cancel(false);
            if (claimed.compareAndSet(false, true)) result.completeExceptionally(new CancellationException("shutting down"));
        }

        /** The deadline passed in the queue: the caller hears now, and the writer will skip it. */
        void expire() {
            if (!claimed.compareAndSet(false, true)) return;
            result.completeExceptionally(store.isKnownDown() ? store.refusal() : StoreErrors.deadlinePassed(ticket));
        }

        @Override
        public void run() {
            // Taken from the queue just as close() began: it must not start either.
            if (closed) {
                refuse();
                return;
            }
            if (!claimed.compareAndSet(false, true)) return; // already answered 503: must never be applied
            if (expiry != null) expiry.cancel(false);
            try {
                if (store.isKnownDown()) throw store.refusal(); // the write ahead of it found the store gone
                if (ticket.expired()) throw StoreErrors.deadlinePassed(ticket);
                T value = store.within(ticket, write);
                ticket.applied(appliedRevision.getAsLong());
                result.complete(value);
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }
    }

    /**
     * Stops taking writes. The ones still queued are refused at once (their callers hear "shutting down";
     * nothing of theirs was committed); the one under way may finish within {@link #WRITE_UNDER_WAY_BOUND}.
     * It is never interrupted: an interrupt inside the database driver can close the store's file.
     */
    @Override
    public void close() {
        closed = true;
        thread.shutdown();
        List<Runnable> queued = new ArrayList<>();
        thread.getQueue().drainTo(queued);
        for (Runnable write : queued) ((QueuedWrite<?>) write).refuse();
        try {
            if (!thread.awaitTermination(WRITE_UNDER_WAY_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("a write was still under way after {} ms of shutdown; closing the store rolls it back",
                        WRITE_UNDER_WAY_BOUND.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deadlines.shutdownNow();
    }
}
