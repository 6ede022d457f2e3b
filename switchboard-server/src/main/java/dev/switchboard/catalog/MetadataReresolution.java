package dev.switchboard.catalog;

import dev.switchboard.events.CatalogChanged;
import dev.switchboard.events.Commits;
import dev.switchboard.events.ProviderDiff;
import dev.switchboard.metadata.ModelsDevCatalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A metadata source's new catalog, applied like any catalog change: in one transaction its row is stored and every
 * model whose normalised record it changes is listed as {@code updated} (naming the fields) in a
 * {@code model_catalog.changed} event; then the catalog and the re-resolved models are swapped in together.
 */
public final class MetadataReresolution implements MetadataCatalogSink {
    private final Commits commits;
    private final CatalogState state;
    private final MetadataCatalogs catalogs;
    private final MetadataResolution resolution;

    public MetadataReresolution(Commits commits, CatalogState state, MetadataCatalogs catalogs, MetadataResolution resolution) {
        this.commits = commits;
        this.state = state;
        this.catalogs = catalogs;
        this.resolution = resolution;
    }

    @Override
    public void statusChanged(Consumer<Commits.Transaction> persist) {
        commits.commit(tx -> {
            persist.accept(tx);
            return Commits.Outcome.unchanged(null);
        });
    }

    @Override
    public void catalogChanged(String sourceId, ModelsDevCatalog served, Consumer<Commits.Transaction> persist) {
        commits.commit(tx -> {
            persist.accept(tx);
            var with = catalogs.factsWith(sourceId, served);
            Catalog current = state.current();
            Map<String, Snapshot> resolved = new LinkedHashMap<>();
            List<ProviderDiff> diffs = new ArrayList<>();
            for (Snapshot snapshot : current.snapshots().values()) {
                Snapshot next = snapshot.withModels(resolution.resolve(snapshot.providerId(), snapshot.models(), with));
                ProviderDiff diff = CatalogDiff.between(snapshot.providerId(), snapshot.models(), next.models());
                if (diff.isEmpty()) continue;
                diffs.add(diff);
                resolved.put(snapshot.providerId(), next);
            }
            if (!diffs.isEmpty()) tx.append(new CatalogChanged(diffs, List.of()));
            return Commits.Outcome.of(null, events -> {
                catalogs.replace(sourceId, served);
                if (!resolved.isEmpty()) state.replace(state.current().with(resolved, events));
            });
        });
    }
}
