package dev.switchboard.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.events.ProviderDiff;
import dev.switchboard.provider.Model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes which model ids were added, removed or updated between two lists, and for each updated one which
 * fields changed: the normalised fields by name, or {@code metadata} when only the upstream's own wording changed.
 */
final class CatalogDiff {
    static final String UPSTREAM_ANSWER = "metadata";

    private CatalogDiff() {
    }

    static ProviderDiff between(String providerId, List<Model> before, List<Model> after) {
        Map<String, Model> old = index(before);
        Map<String, Model> now = index(after);
        List<String> added = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        Map<String, List<String>> fields = new LinkedHashMap<>();
        Map<String, ObjectNode> records = new LinkedHashMap<>();
        for (Model model : now.values()) {
            Model previous = old.get(model.id());
            if (previous == null) {
                added.add(model.id());
            } else if (!previous.equals(model)) {
                updated.add(model.id());
                fields.put(model.id(), changedFields(previous, model));
                records.put(model.id(), model.normalized().facts().toJson());
            }
        }
        List<String> removed = old.keySet().stream().filter(id -> !now.containsKey(id)).toList();
        return new ProviderDiff(providerId, added, removed, updated, fields, records);
    }

    /** The normalised fields that changed; {@code metadata} alone when only the upstream's wording did. */
    private static List<String> changedFields(Model before, Model after) {
        List<String> changed = after.normalized().changedFields(before.normalized());
        return changed.isEmpty() ? List.of(UPSTREAM_ANSWER) : changed;
    }

    private static Map<String, Model> index(List<Model> models) {
        Map<String, Model> byId = new LinkedHashMap<>();
        for (Model model : models) byId.putIfAbsent(model.id(), model);
        return byId;
    }
}
