package dev.switchboard.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.metadata.MetadataField;
import dev.switchboard.metadata.ModelFacts;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What an Anthropic {@code /v1/models} entry says: {@code display_name}; {@code created_at}, the release
 * time, as {@code release_date} (Anthropic sends the epoch when it does not know the date, which is left out);
 * {@code max_input_tokens} and {@code max_tokens} as the context window and output limit; and, in answers
 * that carry it, the {@code capabilities} object of {@code {"supported": bool}} entries:
 * {@code thinking} → reasoning, {@code image_input} → vision, {@code structured_outputs} → structured_output,
 * {@code code_execution} → code_execution (the others — batch, citations, effort … — have no field).
 * The capability set is the object's whole answer, so it is set only when the object is there; input
 * modalities are text plus image and file ({@code pdf_input}), set only when the object says anything
 * about those two. Tool use is not in the object, so it is not claimed.
 */
final class AnthropicFacts {
    private static final Map<String, String> CAPABILITIES = Map.of(
            "thinking", "reasoning",
            "image_input", "vision",
            "structured_outputs", "structured_output",
            "code_execution", "code_execution");
    private static final Map<String, String> INPUTS = Map.of("image_input", "image", "pdf_input", "file");

    private AnthropicFacts() {
    }

    static ModelFacts of(Model model) {
        ObjectNode entry = model.metadata();
        var facts = ModelFacts.builder()
                .put(MetadataField.DISPLAY_NAME, entry.get("display_name"))
                .put(MetadataField.CONTEXT_WINDOW, entry.get("max_input_tokens"))
                .put(MetadataField.MAX_OUTPUT_TOKENS, entry.get("max_tokens"));
        UpstreamFields.dateAfterEpoch(entry, "created_at").ifPresent(date -> facts.put(MetadataField.RELEASE_DATE, date));
        if (entry.get("capabilities") instanceof ObjectNode capabilities) {
            Set<String> supported = new LinkedHashSet<>();
            capabilities.fields().forEachRemaining(field -> {
                if (field.getValue().path("supported").booleanValue()) supported.add(field.getKey());
            });
            facts.put(MetadataField.CAPABILITIES, UpstreamFields.array(UpstreamFields.mapNames(supported, CAPABILITIES)));
            if (INPUTS.keySet().stream().anyMatch(name -> isAnswered(capabilities.get(name)))) {
                Set<String> inputs = new LinkedHashSet<>(Set.of("text"));
                inputs.addAll(UpstreamFields.mapNames(supported, INPUTS));
                facts.put(MetadataField.INPUT_MODALITIES, UpstreamFields.array(inputs));
            }
        }
        return facts.build();
    }

    private static boolean isAnswered(JsonNode capability) {
        return capability != null && capability.path("supported").isBoolean();
    }
}
