package dev.switchboard.catalog;

import dev.switchboard.metadata.ModelFacts;
import dev.switchboard.metadata.ModelsDevCatalog;
import dev.switchboard.metadata.SourcedFacts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The served catalog of every metadata source, in configured order: what model metadata resolution reads.
 * Written on the writer only (start-up load, then each changed catalog's swap); read from any thread.
 */
public final class MetadataCatalogs {
    private final Object writeLock = new Object();
    private volatile Map<String, ModelsDevCatalog> served;

    /** @param sourceIds the configured sources, in the order their facts are consulted */
    public MetadataCatalogs(List<String> sourceIds) {
        Map<String, ModelsDevCatalog> empty = new LinkedHashMap<>();
        for (String id : sourceIds) empty.put(id, ModelsDevCatalog.EMPTY);
        this.served = empty;
    }

    /** What each source knows of this model, sources in configured order; sources that know nothing are left out. */
    public List<SourcedFacts> find(String catalogProvider, String modelId) {
        return find(served, catalogProvider, modelId);
    }

    private static List<SourcedFacts> find(Map<String, ModelsDevCatalog> catalogs, String catalogProvider, String modelId) {
        List<SourcedFacts> found = new ArrayList<>();
        catalogs.forEach((id, catalog) -> {
            Optional<ModelFacts> facts = catalog.find(catalogProvider, modelId);
            facts.ifPresent(f -> found.add(SourcedFacts.catalog(id, f)));
        });
        return found;
    }

    /** The served catalogs as resolution reads them: a provider's models under its {@code metadata_provider}. */
    public MetadataResolution.CatalogFacts facts() {
        Map<String, ModelsDevCatalog> now = served;
        return (provider, modelId) -> find(now, provider.catalogProvider().orElse(null), modelId);
    }

    /** As {@link #facts()}, with one source's catalog replaced: the catalogs as they are about to be served. */
    MetadataResolution.CatalogFacts factsWith(String sourceId, ModelsDevCatalog catalog) {
        Map<String, ModelsDevCatalog> next = new LinkedHashMap<>(served);
        next.replace(sourceId, catalog);
        return (provider, modelId) -> find(next, provider.catalogProvider().orElse(null), modelId);
    }

    /** The configured sources with their stored catalogs (empty for those never fetched). */
    public static MetadataCatalogs of(List<String> sourceIds, List<MetadataSourceState> stored) {
        MetadataCatalogs catalogs = new MetadataCatalogs(sourceIds);
        stored.forEach(row -> catalogs.replace(row.sourceId(), row.served()));
        return catalogs;
    }

    public ModelsDevCatalog served(String sourceId) {
        return served.getOrDefault(sourceId, ModelsDevCatalog.EMPTY);
    }

    /** Replaces one source's catalog; unknown source ids are ignored (the configuration is fixed at start). */
    public void replace(String sourceId, ModelsDevCatalog catalog) {
        synchronized (writeLock) {
            if (!served.containsKey(sourceId)) return;
            Map<String, ModelsDevCatalog> next = new LinkedHashMap<>(served);
            next.put(sourceId, catalog);
            served = next;
        }
    }
}
