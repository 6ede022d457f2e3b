package dev.switchboard.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads model entries out of upstream JSON. Every shape the dialects cannot use becomes a
 * {@code malformed response: …} {@link FetchException} that names what was wrong and where.
 */
final class ModelEntries {
    private ModelEntries() {
    }

    static FetchException malformed(String what) {
        return new FetchException("malformed response: " + what);
    }

    static ObjectNode requireObjectBody(JsonNode body) throws FetchException {
        if (body instanceof ObjectNode object) return object;
        throw malformed("expected a JSON object, got " + describe(body));
    }

    static ArrayNode requireArray(JsonNode parent, String field) throws FetchException {
        JsonNode value = parent.get(field);
        if (value instanceof ArrayNode array) return array;
        throw malformed("expected field \"" + field + "\" to be an array" + (value == null ? ", it is missing" : ""));
    }

    /** An array that an upstream may leave out when it is empty (Google APIs omit empty repeated fields). */
    static Optional<ArrayNode> optionalArray(JsonNode parent, String field) throws FetchException {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) return Optional.empty();
        return Optional.of(requireArray(parent, field));
    }

    static ObjectNode requireEntry(JsonNode item, String where) throws FetchException {
        if (item instanceof ObjectNode object) return object;
        throw malformed("expected " + where + " to be an object, got " + describe(item));
    }

    /** The text of a field that must be a non-blank string. */
    static String requireText(JsonNode entry, String field, String where) throws FetchException {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) throw malformed(where + " has no \"" + field + "\"");
        if (!value.isTextual()) throw malformed("expected " + where + "." + field + " to be a string, got " + describe(value));
        if (value.asText().isBlank()) throw malformed(where + " has a blank \"" + field + "\"");
        return value.asText();
    }

    /**
     * An entry in the OpenAI shape ({@code id}, {@code created}, {@code owned_by}). Fields that the
     * model lifts out are left out of the metadata, but only when they had the expected type: an
     * odd {@code created} stays in the metadata as the upstream sent it rather than being lost.
     */
    static Model openAiModel(ObjectNode entry, String where) throws FetchException {
        String id = requireText(entry, "id", where);
        ObjectNode metadata = entry.deepCopy();
        metadata.remove("id");
        long created = 0;
        JsonNode createdNode = entry.get("created");
        if (createdNode != null && createdNode.isIntegralNumber() && createdNode.canConvertToLong()) {
            created = createdNode.asLong();
            metadata.remove("created");
        }
        String ownedBy = "";
        JsonNode ownedByNode = entry.get("owned_by");
        if (ownedByNode != null && ownedByNode.isTextual()) {
            ownedBy = ownedByNode.asText();
            metadata.remove("owned_by");
        }
        return new Model(id, created, ownedBy, metadata);
    }

    /** A model whose id comes from another field; the whole entry is its metadata, minus a literal {@code id}. */
    static Model withId(String id, long created, String ownedBy, ObjectNode entry) {
        ObjectNode metadata = entry.deepCopy();
        metadata.remove("id");
        return new Model(id, created, ownedBy, metadata);
    }

    static Model bareId(String id) {
        return new Model(id, 0, "", JsonNodeFactory.instance.objectNode());
    }

    /**
     * Unix seconds of an RFC 3339 timestamp field, or 0 when it is missing or unreadable: a creation
     * date is informative, and the field itself stays in the metadata either way.
     */
    static long epochSeconds(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        if (value == null || !value.isTextual()) return 0;
        try {
            return OffsetDateTime.parse(value.asText()).toEpochSecond();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) return "nothing";
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case BINARY -> "binary data";
            case MISSING -> "nothing";
        };
    }
}
