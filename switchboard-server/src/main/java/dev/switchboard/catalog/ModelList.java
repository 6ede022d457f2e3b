package dev.switchboard.catalog;

import dev.switchboard.provider.Model;

import java.util.AbstractList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * A snapshot's models: an immutable list (equal to any list of the same models) that also finds a model by id
 * without a scan, which the {@code /v1/models} filters do for every alias of a 100k-model catalog. The index is
 * built on the first look-up, so snapshots nobody searches cost nothing more.
 */
final class ModelList extends AbstractList<Model> implements RandomAccess {
    private final List<Model> models;
    private volatile Map<String, Model> byId;

    private ModelList(List<Model> models) {
        this.models = models;
    }

    static ModelList of(List<Model> models) {
        return models instanceof ModelList list ? list : new ModelList(List.copyOf(models));
    }

    @Override
    public Model get(int index) {
        return models.get(index);
    }

    @Override
    public int size() {
        return models.size();
    }

    /** The first model with this id (as a scan would find it), or null. */
    Model byId(String id) {
        Map<String, Model> index = byId;
        if (index == null) {
            // built twice at worst, by two first readers at once: the same map either way
            Map<String, Model> built = new HashMap<>(Math.max(16, models.size() * 4 / 3 + 1));
            for (Model model : models) built.putIfAbsent(model.id(), model);
            byId = index = built;
        }
        return index.get(id);
    }
}
