package dev.switchboard.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one provider's model list changed: model ids added, removed, and updated.
 *
 * @param updatedFields for each updated model id, what changed: the normalised fields whose value changed
 *                      ({@code context_window}, {@code capabilities}…), or {@code metadata} when only the
 *                      upstream's own answer for the model changed
 * @param normalized    for each updated model id, its normalised record now (added models: see {@code /v1/models/{id}},
 *                      which keeps a first fetch's event small)
 */
public record ProviderDiff(String providerId, List<String> added, List<String> removed, List<String> updated,
                           Map<String, List<String>> updatedFields, Map<String, ObjectNode> normalized) {
    public ProviderDiff {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        updated = List.copyOf(updated);
        Map<String, List<String>> fields = new LinkedHashMap<>();
        (updatedFields == null ? Map.<String, List<String>>of() : updatedFields).forEach((id, names) -> fields.put(id, List.copyOf(names)));
        updatedFields = Collections.unmodifiableMap(fields);
        Map<String, ObjectNode> records = new LinkedHashMap<>();
        (normalized == null ? Map.<String, ObjectNode>of() : normalized).forEach((id, record) -> records.put(id, record.deepCopy()));
        normalized = Collections.unmodifiableMap(records);
    }

    /** Without field names. */
    public ProviderDiff(String providerId, List<String> added, List<String> removed, List<String> updated) {
        this(providerId, added, removed, updated, Map.of(), Map.of());
    }

    @JsonIgnore // a query, not part of the payload
    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && updated.isEmpty();
    }
}
