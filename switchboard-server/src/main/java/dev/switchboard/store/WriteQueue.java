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
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one writer. Every change of observable state (catalog refreshes, provider and model-configuration
 * edits) runs here, one at a time: its transaction, its in-memory swap and the publication of its events
 * happen in revision order, and no two writes interleave.
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
    private volatile boolean closed;

    /** Runs {@code write} after every write submitted before it; fails with "shutting down" once closed. */
    public <T> CompletableFuture<T> submit(Supplier<T> write) {
        Write<T> task = new Write<>(write);
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            task.refuse();
        }
        return task.result;
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
        for (Runnable write : queued) ((Write<?>) write).refuse();
        try {
            if (!thread.awaitTermination(WRITE_UNDER_WAY_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("a write was still under way after {} ms of shutdown; closing the store rolls it back",
                        WRITE_UNDER_WAY_BOUND.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CancellationException shuttingDown() {
        return new CancellationException("shutting down");
    }

    /** One write and the future its caller holds. */
    private final class Write<T> implements Runnable {
        private final Supplier<T> work;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Write(Supplier<T> work) {
            this.work = work;
        }

        @Override
        public void run() {
            // Taken from the queue by the writer just as close() began: it must not start either.
            if (closed) {
                refuse();
                return;
            }
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }

        void refuse() {
            result.completeExceptionally(shuttingDown());
        }
    }
}
