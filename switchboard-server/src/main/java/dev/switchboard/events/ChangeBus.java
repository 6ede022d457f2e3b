package dev.switchboard.events;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The revision this instance has applied, the reads waiting for one ({@code ?min_revision=}), and the read-only
 * views refreshed after each publication (the {@code /v1/models} body, gauges). Only {@link Commits} moves it, on
 * the writer, after the commit and the in-memory swap, so a view that reads state sees at least what the events
 * describe. Views only read: a view that writes (commits) is refused, since it would publish inside a publication.
 */
public final class ChangeBus {
    private final AtomicLong revision;
    private final List<Consumer<List<ChangeEvent>>> views = new CopyOnWriteArrayList<>();
    private volatile LongConsumer catchUp = upTo -> {
    };
    /** Reads waiting for a revision ({@code ?min_revision=}), lowest first. Guarded by itself. */
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>(Comparator.comparingLong(Waiter::revision));

    private record Waiter(long revision, CompletableFuture<Void> applied) {
    }

    public ChangeBus(long initialRevision) {
        this.revision = new AtomicLong(initialRevision);
    }

    /** The newest committed revision this instance has applied. */
    public long revision() {
        return revision.get();
    }

    /**
     * A read-only view of the state, refreshed after each publication with its events. Views are independent of
     * each other (each reads the swapped state), so the order in which they were added does not matter.
     */
    public void onPublished(Consumer<List<ChangeEvent>> view) {
        views.add(view);
    }

    /**
     * In a cluster, what to do when a commit's first revision is not the next one: another instance committed
     * in between, and its events must be applied here first (the writer replays them through {@link Commits}).
     */
    public void onGap(LongConsumer catchUpTo) {
        this.catchUp = catchUpTo;
    }

    /**
     * Called by a write under the revision lock with the store's revision: in a cluster, what other instances
     * committed up to it is applied here first, so that the write is computed against it (on the writer).
     */
    public void catchUpTo(long storeRevision) {
        if (storeRevision > revision.get()) catchUp.accept(storeRevision);
    }

    /**
     * Completes once this instance has applied {@code wanted} (at once when it has). A caller that stops waiting
     * cancels it, which forgets it.
     */
    public CompletableFuture<Void> whenApplied(long wanted) {
        CompletableFuture<Void> applied = new CompletableFuture<>();
        Waiter waiter = new Waiter(wanted, applied);
        synchronized (waiters) {
            // checked under the lock that release() takes after moving the revision: no wake-up is lost
            if (revision.get() >= wanted) return CompletableFuture.completedFuture(null);
            waiters.add(waiter);
        }
        applied.whenComplete((v, e) -> {
            if (e != null) {
                synchronized (waiters) {
                    waiters.remove(waiter);
                }
            }
        });
        return applied;
    }

    /** Step 3 of a commit: moves the revision over the events not applied yet, and returns them. */
    List<ChangeEvent> advance(List<ChangeEvent> events) {
        if (events.isEmpty()) return List.of();
        long first = events.getFirst().revision();
        if (first > revision.get() + 1) catchUp.accept(first - 1);
        List<ChangeEvent> fresh = events.stream().filter(e -> e.revision() > revision.get()).toList();
        if (!fresh.isEmpty()) revision.accumulateAndGet(fresh.getLast().revision(), Math::max);
        return fresh;
    }

    void refreshViews(List<ChangeEvent> fresh) {
        for (Consumer<List<ChangeEvent>> view : views) view.accept(fresh);
    }

    /** After the views: a read that waited sees what the events describe (the rendered {@code /v1/models} too). */
    void release() {
        long reached = revision.get();
        List<Waiter> done = new ArrayList<>();
        synchronized (waiters) {
            while (!waiters.isEmpty() && waiters.peek().revision() <= reached) done.add(waiters.poll());
        }
        for (Waiter waiter : done) waiter.applied().complete(null);
    }
}
