package dev.switchboard.provider;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the models of one listing, across pages, in upstream order. An id listed twice keeps
 * its first entry: later duplicates (a page boundary that shifted, an upstream bug) are dropped.
 */
final class ModelListBuilder {
    private final Map<String, Model> byId = new LinkedHashMap<>();

    void add(Model model) {
        byId.putIfAbsent(model.id(), model);
    }

    List<Model> build() {
        return List.copyOf(byId.values());
    }
}
