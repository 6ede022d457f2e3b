package dev.switchboard.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one source says about one model, in the normalised vocabulary: only the fields it gave, each value in its
 * canonical form ({@link MetadataField#normalise}). Immutable.
 */
public record ModelFacts(Map<MetadataField, JsonNode> values) {
    public static final ModelFacts EMPTY = new ModelFacts(Map.of());

    public ModelFacts {
        EnumMap<MetadataField, JsonNode> copy = new EnumMap<>(MetadataField.class);
        values.forEach((field, value) -> copy.put(field, value.deepCopy()));
        values = Collections.unmodifiableMap(copy);
    }

    /**
     * Facts as a client or the config file wrote them: an object of wire names. Strict: an unknown field or a value
     * of the wrong shape is an error that names it.
     *
     * @param where what the object is, for the message (e.g. {@code providers[0].models."gpt-4o"})
     * @throws IllegalArgumentException naming the field and what it takes
     */
    public static ModelFacts parse(JsonNode object, String where) {
        if (!(object instanceof ObjectNode fields)) throw new IllegalArgumentException(where + " must be an object of model metadata");
        Builder builder = new Builder();
        for (var entries = fields.fields(); entries.hasNext(); ) {
            var entry = entries.next();
            MetadataField field = MetadataField.fromWireName(entry.getKey()).orElseThrow(() -> new IllegalArgumentException(
                    where + "." + entry.getKey() + " is not a model metadata field; known: " + MetadataField.wireNames()));
            try {
                builder.values.put(field, field.normalise(entry.getValue()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "." + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    public Optional<JsonNode> get(MetadataField field) {
        return Optional.ofNullable(values.get(field));
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The wire form: an object of the fields present, in the field order. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        values.forEach((field, value) -> json.set(field.wireName(), value.deepCopy()));
        return json;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects what an upstream or catalog said; values that do not fit their field are left out, never guessed. */
    public static final class Builder {
        private final EnumMap<MetadataField, JsonNode> values = new EnumMap<>(MetadataField.class);

        /** Sets the field when the value fits it; a null, missing or unfit value leaves the field as it was. */
        public Builder put(MetadataField field, JsonNode value) {
            if (value == null || value.isNull() || value.isMissingNode()) return this;
            field.tryNormalise(value).ifPresent(canonical -> values.put(field, canonical));
            return this;
        }

        public Builder put(MetadataField field, String value) {
            return value == null ? this : put(field, JsonNodeFactory.instance.textNode(value));
        }

        public Builder put(MetadataField field, long value) {
            return put(field, JsonNodeFactory.instance.numberNode(value));
        }

        public Builder put(MetadataField field, boolean value) {
            return put(field, JsonNodeFactory.instance.booleanNode(value));
        }

        public ModelFacts build() {
            return values.isEmpty() ? EMPTY : new ModelFacts(values);
        }
    }
}
