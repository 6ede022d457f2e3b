package dev.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.metadata.ModelFacts;

import java.time.temporal.TemporalAccessor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A provider's {@code models} written as a table: normalised metadata per model id, e.g.
 * {@code [providers.models."gpt-4o"] context_window = 128000}. For a {@code static} provider the table also
 * declares its models, in the order written.
 */
final class ModelMetadataTable {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ModelMetadataTable() {
    }

    static boolean isTable(Object value) {
        return value instanceof Map<?, ?>;
    }

    /**
     * The metadata per model id; every model that cannot be read is reported on {@code table} and left out.
     *
     * @param models the {@code models} setting's value: a table of {@link Setting}s, each a table of fields
     */
    static Map<String, ModelFacts> read(SectionReader table, Map<?, ?> models) {
        Map<String, ModelFacts> byModel = new LinkedHashMap<>();
        for (Object item : models.values()) {
            Setting model = (Setting) item;
            String name = "models." + Values.quote(model.key());
            if (model.key().isBlank()) {
                table.problem(model.origin(), "models", "has a blank model id");
                continue;
            }
            try {
                byModel.put(model.key(), ModelFacts.parse(json(model.value()), name));
            } catch (IllegalArgumentException unusable) {
                table.problem(model.origin(), unusable.getMessage());
            }
        }
        return byModel;
    }

    /** A TOML value as JSON: tables become objects, arrays arrays, dates their ISO text. */
    static JsonNode json(Object value) {
        return switch (value) {
            case Setting setting -> json(setting.value());
            case Map<?, ?> table -> {
                ObjectNode object = NODES.objectNode();
                table.forEach((key, entry) -> object.set(String.valueOf(key), json(entry)));
                yield object;
            }
            case List<?> items -> {
                ArrayNode array = NODES.arrayNode();
                items.forEach(entry -> array.add(json(entry)));
                yield array;
            }
            case String text -> NODES.textNode(text);
            case Long number -> NODES.numberNode(number);
            case Double number -> NODES.numberNode(number);
            case Boolean flag -> NODES.booleanNode(flag);
            case TemporalAccessor date -> NODES.textNode(date.toString());
            default -> NODES.textNode(String.valueOf(value));
        };
    }
}
