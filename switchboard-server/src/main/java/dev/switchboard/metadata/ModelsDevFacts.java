package dev.switchboard.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;

/**
 * One models.dev model entry in the normalised vocabulary. Only what the entry states explicitly is taken:
 * <ul>
 *   <li>{@code name} → display_name; {@code limit.context} / {@code limit.output} → context_window /
 *       max_output_tokens (models.dev writes 0 for unknown: left out);</li>
 *   <li>{@code modalities.input} / {@code .output} → input_modalities / output_modalities, {@code pdf} read as
 *       {@code file}; a modality outside the vocabulary is dropped from the list, the others kept;</li>
 *   <li>{@code tool_call}, {@code reasoning}, {@code structured_output} → capabilities: those that are true, when
 *       the entry states at least one of them (all false gives an empty list: the catalog says "none of these").
 *       {@code vision} is not derived from an image input modality: that is what input_modalities says, and
 *       capabilities only carry what the catalog states. {@code attachment} and {@code temperature} are not mapped;</li>
 *   <li>{@code cost.input} / {@code .output} / {@code .cache_read} → pricing input / output / cached_input, in USD
 *       per 1M tokens ({@code cache_write} has no field);</li>
 *   <li>{@code knowledge} → knowledge_cutoff, {@code release_date}, {@code family}, {@code open_weights};
 *       {@code status = "deprecated"} → deprecated true (no status says nothing, not false).</li>
 * </ul>
 */
final class ModelsDevFacts {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[][] CAPABILITIES = {
            {"tool_call", "tool_call"}, {"reasoning", "reasoning"}, {"structured_output", "structured_output"}};

    private ModelsDevFacts() {
    }

    static ModelFacts of(ObjectNode entry) {
        ModelFacts.Builder facts = ModelFacts.builder()
                .put(MetadataField.DISPLAY_NAME, entry.get("name"))
                .put(MetadataField.CONTEXT_WINDOW, entry.path("limit").get("context"))
                .put(MetadataField.MAX_OUTPUT_TOKENS, entry.path("limit").get("output"))
                .put(MetadataField.INPUT_MODALITIES, modalities(entry.path("modalities").get("input")))
                .put(MetadataField.OUTPUT_MODALITIES, modalities(entry.path("modalities").get("output")))
                .put(MetadataField.CAPABILITIES, capabilities(entry))
                .put(MetadataField.PRICING, pricing(entry.get("cost")))
                .put(MetadataField.KNOWLEDGE_CUTOFF, entry.get("knowledge"))
                .put(MetadataField.RELEASE_DATE, entry.get("release_date"))
                .put(MetadataField.FAMILY, entry.get("family"))
                .put(MetadataField.OPEN_WEIGHTS, entry.get("open_weights"));
        if ("deprecated".equals(entry.path("status").asText(null))) facts.put(MetadataField.DEPRECATED, true);
        return facts.build();
    }

    private static JsonNode modalities(JsonNode list) {
        if (list == null || !list.isArray()) return null;
        ArrayNode known = NODES.arrayNode();
        for (JsonNode item : list) {
            if (!item.isTextual()) continue;
            String name = item.asText().toLowerCase(Locale.ROOT);
            if (name.equals("pdf")) name = "file";
            if (MetadataField.MODALITIES.contains(name)) known.add(name);
        }
        return known.isEmpty() ? null : known;
    }

    private static JsonNode capabilities(ObjectNode entry) {
        ArrayNode stated = NODES.arrayNode();
        boolean any = false;
        for (String[] capability : CAPABILITIES) {
            JsonNode flag = entry.get(capability[0]);
            if (flag == null || !flag.isBoolean()) continue;
            any = true;
            if (flag.asBoolean()) stated.add(capability[1]);
        }
        return any ? stated : null;
    }

    private static JsonNode pricing(JsonNode cost) {
        if (!(cost instanceof ObjectNode prices)) return null;
        ObjectNode pricing = NODES.objectNode();
        copyPrice(prices, "input", pricing, "input");
        copyPrice(prices, "output", pricing, "output");
        copyPrice(prices, "cache_read", pricing, "cached_input");
        if (pricing.isEmpty()) return null;
        return pricing.put("currency", "USD");
    }

    private static void copyPrice(ObjectNode from, String name, ObjectNode to, String as) {
        JsonNode price = from.get(name);
        if (price != null && price.isNumber() && price.asDouble() >= 0 && Double.isFinite(price.asDouble())) to.set(as, price);
    }
}
