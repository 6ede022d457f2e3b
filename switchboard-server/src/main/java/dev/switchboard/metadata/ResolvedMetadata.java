package dev.switchboard.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's normalised record: for each field, the value of the first source in precedence order that gave one,
 * and which source that was.
 *
 * @param facts   the winning values
 * @param sources for each field of {@code facts}, the source it came from
 */
public record ResolvedMetadata(ModelFacts facts, Map<MetadataField, String> sources) {
    public static final ResolvedMetadata EMPTY = new ResolvedMetadata(ModelFacts.EMPTY, Map.of());

    public ResolvedMetadata {
        Objects.requireNonNull(facts, "facts");
        EnumMap<MetadataField, String> copy = new EnumMap<>(MetadataField.class);
        copy.putAll(sources);
        sources = Collections.unmodifiableMap(copy);
    }

    /** Each field from the first candidate that has it; candidates in precedence order, highest first. */
    public static ResolvedMetadata resolve(List<SourcedFacts> candidates) {
        EnumMap<MetadataField, JsonNode> values = new EnumMap<>(MetadataField.class);
        EnumMap<MetadataField, String> sources = new EnumMap<>(MetadataField.class);
        for (SourcedFacts candidate : candidates) {
            candidate.facts().values().forEach((field, value) -> {
                if (values.putIfAbsent(field, value) == null) sources.put(field, candidate.source());
            });
        }
        return values.isEmpty() ? EMPTY : new ResolvedMetadata(new ModelFacts(values), sources);
    }

    /**
     * The wire names of the fields whose value or source differs from {@code before}'s (added, removed, changed, or
     * now from another source), in field order.
     */
    public List<String> changedFields(ResolvedMetadata before) {
        List<String> changed = new ArrayList<>();
        for (MetadataField field : MetadataField.values()) {
            if (!Objects.equals(facts.values().get(field), before.facts().values().get(field))
                    || !Objects.equals(sources.get(field), before.sources().get(field))) {
                changed.add(field.wireName());
            }
        }
        return changed;
    }

    public ObjectNode sourcesJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        sources.forEach((field, source) -> json.put(field.wireName(), source));
        return json;
    }
}
