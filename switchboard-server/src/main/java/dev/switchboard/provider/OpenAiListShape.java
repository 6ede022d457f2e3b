package dev.switchboard.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The list shape of OpenAI's {@code GET /models}, {@code {"object":"list","data":[…]}}, also served
 * by registries; some compatibles (Together) answer with the bare array instead.
 *
 * @param entries the model entries
 * @param label   how an entry is named in reasons: {@code data[3]}, or {@code [3]} for a bare array
 */
record OpenAiListShape(ArrayNode entries, String label) {

    static OpenAiListShape of(JsonNode body) throws FetchException {
        if (body instanceof ArrayNode array) return new OpenAiListShape(array, "");
        if (body instanceof ObjectNode object) return new OpenAiListShape(ModelEntries.requireArray(object, "data"), "data");
        throw ModelEntries.malformed("expected a JSON object with a \"data\" array, or a JSON array; got "
                + ModelEntries.describe(body));
    }

    String where(int index) {
        return label + "[" + index + "]";
    }
}
