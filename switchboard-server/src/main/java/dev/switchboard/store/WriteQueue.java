package dev.switchboard.store;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one writer. Every change of observable state (catalog refreshes, provider and model-configuration
 * edits) runs here, one at a time: its transaction, its in-memory swap and the publication of its events
 * happen in revision order, and no two writes interleave.
 */
public final class WriteQueue implements Executor, AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("switchboard-writer").daemon().factory());

    public <T> CompletableFuture<T> submit(Supplier<T> write) {
        try {
            return CompletableFuture.supplyAsync(write, thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new CancellationException("shutting down"));
        }
    }

    @Override
    public void execute(Runnable command) {
        thread.execute(command);
    }

    /** Lets the write under way finish (bounded), then stops. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(1, TimeUnit.SECONDS)) thread.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
    }
}
