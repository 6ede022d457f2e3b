package dev.switchboard.catalog;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The catalog every reader sees, swapped whole by the one writer, so readers never see half an update.
 * Changes are announced through {@link dev.switchboard.events.ChangeBus} once their events committed.
 */
public final class CatalogState {
    private final AtomicReference<Catalog> current;

    public CatalogState(Catalog initial) {
        this.current = new AtomicReference<>(initial);
    }

    public Catalog current() {
        return current.get();
    }

    /** The revision of the newest catalog change (the live revision may be newer: see ChangeBus). */
    public long revision() {
        return current.get().revision();
    }

    /** Called only by the writer, after the change committed. */
    void replace(Catalog next) {
        current.set(next);
    }
}
