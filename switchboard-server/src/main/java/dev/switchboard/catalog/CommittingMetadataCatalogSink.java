package dev.switchboard.catalog;

import dev.switchboard.events.Commits;
import dev.switchboard.metadata.ModelsDevCatalog;

import java.util.function.Consumer;

/**
 * The plain {@link MetadataCatalogSink}: commits the persisting step through {@link Commits} (the revision lock, no
 * event of its own) and then swaps the catalog into {@link MetadataCatalogs}. The metadata resolution replaces it
 * with one that also re-resolves the affected models and appends their events in the same transaction.
 */
public final class CommittingMetadataCatalogSink implements MetadataCatalogSink {
    private final Commits commits;
    private final MetadataCatalogs catalogs;

    public CommittingMetadataCatalogSink(Commits commits, MetadataCatalogs catalogs) {
        this.commits = commits;
        this.catalogs = catalogs;
    }

    @Override
    public void catalogChanged(String sourceId, ModelsDevCatalog served, Consumer<Commits.Transaction> persist) {
        commits.commit(tx -> {
            persist.accept(tx);
            return Commits.Outcome.of(null, events -> catalogs.replace(sourceId, served));
        });
    }
}
