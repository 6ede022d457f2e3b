package dev.switchboard.catalog;

import dev.switchboard.events.ChangeEvent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The catalog every reader sees, swapped whole by the one writer, and the listeners told of each swap
 * (the {@code /v1/models} renderer, the change feed).
 */
public final class CatalogState {
    private final AtomicReference<Catalog> current;
    private final List<Consumer<CatalogUpdate>> listeners = new CopyOnWriteArrayList<>();

    public CatalogState(Catalog initial) {
        this.current = new AtomicReference<>(initial);
    }

    public Catalog current() {
        return current.get();
    }

    public long revision() {
        return current.get().revision();
    }

    public void onUpdate(Consumer<CatalogUpdate> listener) {
        listeners.add(listener);
    }

    /** Called only by the writer, after the change and its events committed. */
    void replace(Catalog next, List<ChangeEvent> events) {
        current.set(next);
        CatalogUpdate update = new CatalogUpdate(next, events);
        for (Consumer<CatalogUpdate> listener : listeners) listener.accept(update);
    }

    /** A new catalog and the events that led to it, in revision order (empty for bookkeeping-only swaps). */
    public record CatalogUpdate(Catalog catalog, List<ChangeEvent> events) {
    }
}
