package dev.switchboard.configs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The editable part of a model configuration: what a client sends and what each version stores.
 *
 * @param fallbacks ordered {@code provider/model} targets or other aliases, tried when the target fails
 */
public record ModelConfigSpec(String provider, String model, ObjectNode params, List<String> fallbacks,
                              String description, Map<String, String> labels) {
    public ModelConfigSpec {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        params = params == null ? JsonNodeFactory.instance.objectNode() : params.deepCopy();
        fallbacks = List.copyOf(fallbacks == null ? List.of() : fallbacks);
        description = description == null ? "" : description;
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels == null ? Map.of() : labels));
    }

    public String target() {
        return provider + "/" + model;
    }

    @Override
    public ObjectNode params() {
        return params.deepCopy();
    }
}
