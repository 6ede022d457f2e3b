package dev.switchboard.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The live revision and the fan-out of committed events to in-process listeners (the {@code /v1/models}
 * renderer, the change feed). The writer calls {@link #published} after a commit and after swapping its
 * in-memory state, so a listener that reads state sees at least what the events describe.
 */
public final class ChangeBus {
    private final AtomicLong revision;
    private final List<Consumer<List<ChangeEvent>>> listeners = new CopyOnWriteArrayList<>();

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

    /** Called by the writer with the events of one commit, in revision order. */
    public void published(List<ChangeEvent> events) {
        if (events.isEmpty()) return;
        revision.accumulateAndGet(events.getLast().revision(), Math::max);
        for (Consumer<List<ChangeEvent>> listener : listeners) listener.accept(events);
    }
}
