package dev.switchboard.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * What {@code ?explain=true} shows: the precedence, and per field every source's offer in that order and which
 * one won. Fields no source offered are left out.
 */
public final class MetadataExplanation {
    private MetadataExplanation() {
    }

    /** @param candidates the sources' offers, highest precedence first (what resolution reads) */
    public static ObjectNode of(List<SourcedFacts> candidates, MetadataPrecedence precedence) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode explanation = nodes.objectNode();
        ArrayNode order = explanation.putArray("precedence");
        precedence.wireNames().forEach(order::add);
        ArrayNode sources = explanation.putArray("sources");
        candidates.forEach(candidate -> sources.add(candidate.source()));
        ObjectNode fields = explanation.putObject("fields");
        for (MetadataField field : MetadataField.values()) {
            ArrayNode offers = nodes.arrayNode();
            String winner = null;
            for (SourcedFacts candidate : candidates) {
                JsonNode value = candidate.facts().values().get(field);
                if (value == null) continue;
                if (winner == null) winner = candidate.source();
                offers.addObject().put("source", candidate.source()).set("value", value.deepCopy());
            }
            if (winner == null) continue;
            ObjectNode entry = fields.putObject(field.wireName());
            entry.put("winner", winner);
            entry.set("candidates", offers);
        }
        return explanation;
    }
}
