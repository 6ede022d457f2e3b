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
 * The live revision and the fan-out of committed events to in-process listeners (the {@code /v1/models}
 * renderer, the change feed). The writer calls {@link #published} after a commit and after swapping its
 * in-memory state, so a listener that reads state sees at least what the events describe.
 */
public final class ChangeBus {
    private final AtomicLong revision;
    private final List<Consumer<List<ChangeEvent>>> listeners = new CopyOnWriteArrayList<>();
    private volatile LongConsumer catchUp = upTo -> {
    };
    private boolean replaying;
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

    public void onPublished(Consumer<List<ChangeEvent>> listener) {
        listeners.add(listener);
    }

    /**
     * In a cluster, what to do when a commit's first revision is not the next one: another instance committed
     * in between, and its events must be applied here first (the writer calls back into {@link #published}).
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

    private void release(long reached) {
        List<Waiter> done = new ArrayList<>();
        synchronized (waiters) {
            while (!waiters.isEmpty() && waiters.peek().revision() <= reached) done.add(waiters.poll());
        }
        for (Waiter waiter : done) waiter.applied().complete(null);
    }

    /** Called by the writer with events another instance committed, once this instance's state follows them. */
    public void replayed(List<ChangeEvent> events) {
        replaying = true;
        try {
            published(events);
        } finally {
            replaying = false;
        }
    }

    /**
     * True while the events being published were committed by another instance: listeners that react to a
     * change with a write of their own leave that to the instance that made the change.
     */
    public boolean isReplaying() {
        return replaying;
    }

    /** Called by the writer with the events of one commit, in revision order. */
    public void published(List<ChangeEvent> events) {
        if (events.isEmpty()) return;
        long first = events.getFirst().revision();
        if (first > revision.get() + 1) catchUp.accept(first - 1);
        List<ChangeEvent> fresh = events.stream().filter(e -> e.revision() > revision.get()).toList();
        if (fresh.isEmpty()) return;
        long reached = revision.accumulateAndGet(fresh.getLast().revision(), Math::max);
        for (Consumer<List<ChangeEvent>> listener : listeners) listener.accept(fresh);
        release(reached); // after the listeners: a read that waited sees what the events describe (the rendered /v1/models too)
    }
}
