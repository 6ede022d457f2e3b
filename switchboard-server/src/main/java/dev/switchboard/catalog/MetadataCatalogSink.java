package dev.switchboard.catalog;

import dev.switchboard.events.Commits;
import dev.switchboard.metadata.ModelsDevCatalog;

import java.util.function.Consumer;

/** Where the metadata source refresher hands a changed catalog: to whatever resolves models' metadata from it. */
public interface MetadataCatalogSink {
    /**
     * Called on the writer thread when a source's served catalog changed (new last-known-good), with a step that
     * persists it in the same transaction as the catalog re-resolution.
     */
    void catalogChanged(String sourceId, ModelsDevCatalog served, Consumer<Commits.Transaction> persist);

    /** Called on the writer thread when only a source's status changed (a failure, a held answer): no event. */
    void statusChanged(Consumer<Commits.Transaction> persist);
}
