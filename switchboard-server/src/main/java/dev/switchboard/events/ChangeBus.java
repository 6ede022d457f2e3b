package dev.switchboard.events;

import java.util.List;
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
        revision.accumulateAndGet(fresh.getLast().revision(), Math::max);
        for (Consumer<List<ChangeEvent>> listener : listeners) listener.accept(fresh);
    }
}
