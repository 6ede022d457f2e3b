package dev.switchboard.configs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.metadata.ModelFacts;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The editable part of a model configuration: what a client sends and what each version stores.
 *
 * @param params      call parameters; through the gateway they are defaults that a request may override
 * @param fallbacks   ordered {@code provider/model} targets or other aliases, tried when the target fails
 * @param fixedParams names of {@code params} that the gateway always sends as configured, whatever the request
 *                    says (a cap on {@code max_tokens}, a required {@code user}); each one is a key of {@code params}
 * @param metadata    normalised model metadata of the alias's own ({@code display_name}, {@code context_window}…), in
 *                    its wire form: it wins over its target's in the alias's entry of {@code /v1/models}
 */
public record ModelConfigSpec(String provider, String model, ObjectNode params, List<String> fallbacks,
                              String description, Map<String, String> labels, List<String> fixedParams,
                              ObjectNode metadata) {
    /** Without alias metadata. */
    public ModelConfigSpec(String provider, String model, ObjectNode params, List<String> fallbacks,
                           String description, Map<String, String> labels, List<String> fixedParams) {
        this(provider, model, params, fallbacks, description, labels, fixedParams, null);
    }

    /** Without fixed params. */
    public ModelConfigSpec(String provider, String model, ObjectNode params, List<String> fallbacks,
                           String description, Map<String, String> labels) {
        this(provider, model, params, fallbacks, description, labels, List.of());
    }

    public ModelConfigSpec {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        params = params == null ? JsonNodeFactory.instance.objectNode() : params.deepCopy();
        fallbacks = List.copyOf(fallbacks == null ? List.of() : fallbacks);
        description = description == null ? "" : description;
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels == null ? Map.of() : labels));
        fixedParams = List.copyOf(fixedParams == null ? List.of() : fixedParams);
        metadata = metadata == null ? JsonNodeFactory.instance.objectNode() : metadata.deepCopy();
    }

    /** The alias's own metadata; checked when the spec was read, so it parses. */
    public ModelFacts metadataFacts() {
        return ModelFacts.parse(metadata, "metadata");
    }

    @Override
    public ObjectNode metadata() {
        return metadata.deepCopy();
    }

    public String target() {
        return provider + "/" + model;
    }

    @Override
    public ObjectNode params() {
        return params.deepCopy();
    }
}
