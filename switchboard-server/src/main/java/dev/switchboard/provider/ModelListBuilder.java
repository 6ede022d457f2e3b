package dev.switchboard.provider;

import dev.switchboard.config.ProviderConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the models of one listing, across pages, in upstream order, keeping those the provider's
 * allow/deny globs accept. An id listed twice keeps its first entry: later duplicates (a page boundary
 * that shifted, an upstream bug) are dropped. More than {@code maxModels} kept fails the listing at
 * once, so that an oversized catalog is neither buffered whole nor paged through to its end.
 */
final class ModelListBuilder {
    private final ModelFilter filter;
    private final int maxModels;
    private final Map<String, Model> byId = new LinkedHashMap<>();

    ModelListBuilder(ProviderConfig provider, int maxModels) {
        this.filter = ModelFilter.of(provider);
        this.maxModels = maxModels;
    }

    void add(Model model) throws FetchException {
        if (!filter.accepts(model.id())) return;
        byId.putIfAbsent(model.id(), model);
        if (byId.size() > maxModels) {
            throw new FetchException("upstream listed more than " + maxModels + " models, over the max_models cap; the rest was not read");
        }
    }

    List<Model> build() {
        return List.copyOf(byId.values());
    }
}
