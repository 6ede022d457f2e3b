package dev.switchboard.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.metadata.MetadataField;
import dev.switchboard.metadata.ModelFacts;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a registry entry says, read in two vocabularies.
 *
 * <p>The OpenRouter shape ({@code /api/v1/models}): {@code name} → display_name, {@code context_length},
 * {@code top_provider.max_completion_tokens}; {@code pricing} in US dollars per token, as decimal strings
 * ({@code prompt} → input, {@code completion} → output, {@code input_cache_read} → cached_input, each times
 * one million; a negative price — OpenRouter's "varies" for routers — is left out);
 * {@code architecture.input_modalities} / {@code output_modalities} (names this vocabulary lacks are
 * dropped); and, when {@code supported_parameters} is there, the capability set it implies
 * ({@code tools} → tool_call, {@code reasoning} / {@code include_reasoning} → reasoning,
 * {@code structured_outputs} → structured_output, {@code response_format} → json_mode, and vision for a
 * model that takes images). {@code created} is when the model was listed, not released: not a fact here.
 *
 * <p>Switchboard's own vocabulary: an entry may also carry any normalised field under its own name
 * ({@code context_window}, {@code capabilities}, {@code pricing} as {@code {"input": 2.5, "currency": "USD"}} …),
 * which is how an organisation's registry states facts directly. A field in that form wins over the same
 * field read from the OpenRouter shape; a value of the wrong shape is left out.
 */
final class RegistryFacts {
    private static final BigDecimal PER_MILLION = BigDecimal.valueOf(1_000_000);
    private static final Map<String, String> PRICES = Map.of(
            "prompt", "input",
            "completion", "output",
            "input_cache_read", "cached_input");
    private static final Map<String, String> PARAMETERS = Map.of(
            "tools", "tool_call",
            "reasoning", "reasoning",
            "include_reasoning", "reasoning",
            "structured_outputs", "structured_output",
            "response_format", "json_mode");
    private static final Map<String, String> MODALITIES = identity(MetadataField.MODALITIES);

    private RegistryFacts() {
    }

    static ModelFacts of(Model model) {
        ObjectNode entry = model.metadata();
        var facts = ModelFacts.builder()
                .put(MetadataField.DISPLAY_NAME, entry.get("name"))
                .put(MetadataField.CONTEXT_WINDOW, entry.get("context_length"))
                .put(MetadataField.MAX_OUTPUT_TOKENS, entry.path("top_provider").get("max_completion_tokens"));
        if (entry.get("pricing") instanceof ObjectNode pricing) facts.put(MetadataField.PRICING, pricing(pricing));
        JsonNode architecture = entry.get("architecture");
        var inputs = UpstreamFields.strings(architecture, "input_modalities").map(names -> UpstreamFields.mapNames(names, MODALITIES));
        inputs.filter(names -> !names.isEmpty())
                .ifPresent(names -> facts.put(MetadataField.INPUT_MODALITIES, UpstreamFields.array(names)));
        UpstreamFields.strings(architecture, "output_modalities").map(names -> UpstreamFields.mapNames(names, MODALITIES))
                .filter(names -> !names.isEmpty())
                .ifPresent(names -> facts.put(MetadataField.OUTPUT_MODALITIES, UpstreamFields.array(names)));
        UpstreamFields.strings(entry, "supported_parameters").ifPresent(parameters -> {
            Set<String> capabilities = UpstreamFields.mapNames(parameters, PARAMETERS);
            if (inputs.orElse(Set.of()).contains("image")) capabilities.add("vision");
            facts.put(MetadataField.CAPABILITIES, UpstreamFields.array(capabilities));
        });
        // Switchboard's own vocabulary last, so that it wins.
        for (MetadataField field : MetadataField.values()) facts.put(field, entry.get(field.wireName()));
        return facts.build();
    }

    /** OpenRouter's per-token USD strings as prices per 1M tokens; only those that read as a price, zero or more. */
    private static ObjectNode pricing(ObjectNode openRouter) {
        ObjectNode prices = JsonNodeFactory.instance.objectNode();
        PRICES.forEach((theirs, ours) -> {
            JsonNode value = openRouter.get(theirs);
            if (value == null || !(value.isTextual() || value.isNumber())) return;
            try {
                BigDecimal perToken = new BigDecimal(value.asText().strip());
                if (perToken.signum() >= 0) prices.put(ours, perToken.multiply(PER_MILLION).stripTrailingZeros());
            } catch (NumberFormatException e) {
                // not a price: left out
            }
        });
        if (!prices.isEmpty()) prices.put("currency", "USD");
        return prices;
    }

    private static Map<String, String> identity(Iterable<String> names) {
        Map<String, String> map = new HashMap<>();
        names.forEach(name -> map.put(name, name));
        return Map.copyOf(map);
    }
}
