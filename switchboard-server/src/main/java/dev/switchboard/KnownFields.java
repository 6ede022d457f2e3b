package dev.switchboard;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The fields a resource's JSON has: those a client sets and those the server sets (which a client may send back
 * from a GET, and which are ignored). Anything else a body or a merge patch names is refused as an unknown field.
 *
 * @param editable fields a client sets
 * @param readOnly fields the server sets
 */
public record KnownFields(Set<String> editable, Set<String> readOnly) {

    /** Adds an "unknown field" error for every member of {@code body} that is neither editable nor read-only. */
    public void addUnknown(JsonNode body, Map<String, String> errors) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!editable.contains(name) && !readOnly.contains(name)) errors.put(name, "unknown field");
        }
    }

    /**
     * A merge patch names only known fields. Checked on the patch itself: once merged, a misspelt field set to
     * {@code null} (a removal) would leave no trace to refuse.
     */
    public void requireKnownIn(JsonNode patch) {
        Map<String, String> errors = new LinkedHashMap<>();
        addUnknown(patch, errors);
        if (!errors.isEmpty()) throw new Problem.Invalid("invalid merge patch: " + summary(errors), errors);
    }

    /** The errors on one line, field by field: {@code "model is required; params must be a JSON object"}. */
    public static String summary(Map<String, String> errors) {
        return String.join("; ", errors.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
    }
}
