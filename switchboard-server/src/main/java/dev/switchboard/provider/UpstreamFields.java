package dev.switchboard.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Lenient reads of an upstream's raw model entry for the fact mappings: what has the wrong type reads as absent. */
final class UpstreamFields {
    private UpstreamFields() {
    }

    /** The strings of an array field, in order; empty when the field is missing or not an array (non-strings are skipped). */
    static Optional<Set<String>> strings(JsonNode parent, String field) {
        JsonNode value = parent == null ? null : parent.get(field);
        if (!(value instanceof ArrayNode array)) return Optional.empty();
        Set<String> strings = new LinkedHashSet<>();
        for (JsonNode item : array) {
            if (item.isTextual()) strings.add(item.asText());
        }
        return Optional.of(strings);
    }

    /** Each upstream name that {@code mapping} knows, mapped; names it does not know are dropped. */
    static Set<String> mapNames(Collection<String> upstreamNames, Map<String, String> mapping) {
        Set<String> mapped = new LinkedHashSet<>();
        for (String name : upstreamNames) {
            String ours = mapping.get(name);
            if (ours != null) mapped.add(ours);
        }
        return mapped;
    }

    static ArrayNode array(Collection<String> names) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        names.forEach(array::add);
        return array;
    }

    /** The calendar date (YYYY-MM-DD, in the timestamp's own offset) of an RFC 3339 timestamp field after the epoch. */
    static Optional<String> dateAfterEpoch(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        if (value == null || !value.isTextual()) return Optional.empty();
        try {
            OffsetDateTime time = OffsetDateTime.parse(value.asText());
            return time.toEpochSecond() > 0 ? Optional.of(time.toLocalDate().toString()) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
