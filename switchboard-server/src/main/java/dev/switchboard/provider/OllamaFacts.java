package dev.switchboard.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.metadata.MetadataField;
import dev.switchboard.metadata.ModelFacts;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What Ollama says about a local model: the {@code /api/tags} entry ({@code details.family}) and the
 * part of its {@code /api/show} answer that {@link #trimShow} keeps under {@value #SHOW} in the raw metadata.
 *
 * <p>Facts: {@code family} (the show answer's, else the tags entry's); {@code context_window} from
 * {@code model_info["<general.architecture>.context_length"]}; and, when the show answer lists
 * {@code capabilities} (its whole answer about what the model does): {@code tools} → tool_call,
 * {@code thinking} → reasoning, {@code vision} → vision, {@code embedding} → embeddings; input modalities
 * text (for {@code completion} or {@code embedding}) and image ({@code vision}); output modality text for
 * {@code completion}. Names this vocabulary lacks ({@code insert} …) are dropped.
 */
final class OllamaFacts {
    /** Where the kept part of the show answer sits in a model's raw metadata. */
    static final String SHOW = "show";
    private static final Map<String, String> CAPABILITIES = Map.of(
            "tools", "tool_call",
            "thinking", "reasoning",
            "vision", "vision",
            "embedding", "embeddings");

    private OllamaFacts() {
    }

    /**
     * The few fields of an {@code /api/show} answer the facts need — {@code capabilities},
     * {@code context_length}, {@code family}, {@code parameter_size} — each only when it has the expected
     * type. The rest (license, modelfile, template, the tokenizer's vocabulary in {@code model_info}) is
     * large, changes with no consequence for a client, and is not kept.
     */
    static ObjectNode trimShow(ObjectNode show) {
        ObjectNode kept = JsonNodeFactory.instance.objectNode();
        UpstreamFields.strings(show, "capabilities").ifPresent(names -> kept.set("capabilities", UpstreamFields.array(names)));
        contextLength(show.path("model_info")).ifPresent(length -> kept.set("context_length", length));
        for (String field : new String[] {"family", "parameter_size"}) {
            JsonNode value = show.path("details").get(field);
            if (value != null && value.isTextual()) kept.set(field, value);
        }
        return kept;
    }

    private static Optional<JsonNode> contextLength(JsonNode modelInfo) {
        String architecture = modelInfo.path("general.architecture").asText("");
        if (architecture.isEmpty()) return Optional.empty();
        JsonNode length = modelInfo.get(architecture + ".context_length");
        return length != null && length.isIntegralNumber() ? Optional.of(length) : Optional.empty();
    }

    static ModelFacts of(Model model) {
        JsonNode show = model.metadata().path(SHOW);
        var facts = ModelFacts.builder()
                .put(MetadataField.FAMILY, model.metadata().path("details").get("family"))
                .put(MetadataField.FAMILY, show.get("family"))
                .put(MetadataField.CONTEXT_WINDOW, show.get("context_length"));
        UpstreamFields.strings(show, "capabilities").ifPresent(names -> {
            facts.put(MetadataField.CAPABILITIES, UpstreamFields.array(UpstreamFields.mapNames(names, CAPABILITIES)));
            Set<String> inputs = new LinkedHashSet<>();
            if (names.contains("completion") || names.contains("embedding")) inputs.add("text");
            if (names.contains("vision")) inputs.add("image");
            if (!inputs.isEmpty()) facts.put(MetadataField.INPUT_MODALITIES, UpstreamFields.array(inputs));
            if (names.contains("completion")) facts.put(MetadataField.OUTPUT_MODALITIES, UpstreamFields.array(Set.of("text")));
        });
        return facts.build();
    }
}
