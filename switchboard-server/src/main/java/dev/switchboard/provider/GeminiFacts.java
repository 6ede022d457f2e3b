package dev.switchboard.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.metadata.MetadataField;
import dev.switchboard.metadata.ModelFacts;

import java.util.Map;
import java.util.Set;

/**
 * What a Gemini {@code models[]} entry says: {@code displayName}; {@code inputTokenLimit} and
 * {@code outputTokenLimit} as the context window and output limit; and capabilities from
 * {@code supportedGenerationMethods} ({@code embedContent} → embeddings, {@code streamGenerateContent} →
 * streaming; {@code generateContent} alone says nothing this vocabulary has) plus {@code thinking: true}
 * → reasoning. The methods list is the whole answer about what a model does, so capabilities are set
 * only when the entry has it. The listing names no modalities.
 */
final class GeminiFacts {
    private static final Map<String, String> METHODS = Map.of(
            "embedContent", "embeddings",
            "streamGenerateContent", "streaming");

    private GeminiFacts() {
    }

    static ModelFacts of(Model model) {
        ObjectNode entry = model.metadata();
        var facts = ModelFacts.builder()
                .put(MetadataField.DISPLAY_NAME, entry.get("displayName"))
                .put(MetadataField.CONTEXT_WINDOW, entry.get("inputTokenLimit"))
                .put(MetadataField.MAX_OUTPUT_TOKENS, entry.get("outputTokenLimit"));
        UpstreamFields.strings(entry, "supportedGenerationMethods").ifPresent(methods -> {
            Set<String> capabilities = UpstreamFields.mapNames(methods, METHODS);
            if (entry.path("thinking").booleanValue()) capabilities.add("reasoning");
            facts.put(MetadataField.CAPABILITIES, UpstreamFields.array(capabilities));
        });
        return facts.build();
    }
}
