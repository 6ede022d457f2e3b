package dev.switchboard.catalog;

import dev.switchboard.events.ProviderDiff;
import dev.switchboard.provider.Model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Computes which model ids were added, removed or changed their metadata between two lists. */
final class CatalogDiff {
    private CatalogDiff() {
    }

    static ProviderDiff between(String providerId, List<Model> before, List<Model> after) {
        Map<String, Model> old = index(before);
        Map<String, Model> now = index(after);
        List<String> added = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        for (Model model : now.values()) {
            Model previous = old.get(model.id());
            if (previous == null) added.add(model.id());
            else if (!previous.equals(model)) updated.add(model.id());
        }
        List<String> removed = old.keySet().stream().filter(id -> !now.containsKey(id)).toList();
        return new ProviderDiff(providerId, added, removed, updated);
    }

    private static Map<String, Model> index(List<Model> models) {
        Map<String, Model> byId = new LinkedHashMap<>();
        for (Model model : models) byId.putIfAbsent(model.id(), model);
        return byId;
    }
}
