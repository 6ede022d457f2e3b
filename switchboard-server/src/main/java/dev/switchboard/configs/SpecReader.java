package dev.switchboard.configs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.KnownFields;
import dev.switchboard.metadata.ModelFacts;
import dev.switchboard.Problem;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a model configuration from a request body, collecting one message per bad field (400), so a
 * client fixes everything in one round. Semantic checks (does the provider exist …) come after, in
 * {@link ConfigValidator}.
 */
final class SpecReader {
    static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    static final int MAX_DESCRIPTION = 2000;
    static final int MAX_FALLBACKS = 16;
    static final int MAX_LABELS = 64;
    private static final Set<String> EDITABLE = Set.of("provider", "model", "params", "fixed_params", "fallbacks", "description",
            "labels", "metadata");
    /** Fields a client may send back from a GET; they are set by the server and ignored here. */
    private static final Set<String> READ_ONLY = Set.of("alias", "version", "updated_at", "updated_by", "target", "target_status");
    private static final KnownFields FIELDS = new KnownFields(EDITABLE, READ_ONLY);

    private SpecReader() {
    }

    static void requireAlias(String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw new Problem.Invalid("invalid alias \"" + alias + "\"", Map.of("alias",
                    "must be 1 to 63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit"));
        }
    }

    static ModelConfigSpec read(JsonNode body, String alias) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (body == null || !body.isObject()) {
            throw new Problem.Invalid("the body must be a JSON object", Map.of());
        }
        FIELDS.addUnknown(body, errors);
        JsonNode bodyAlias = body.get("alias");
        if (bodyAlias != null && !bodyAlias.isNull() && !bodyAlias.asText().equals(alias)) {
            errors.put("alias", "\"" + bodyAlias.asText() + "\" does not match the alias in the path, \"" + alias + "\"");
        }
        String provider = requiredString(body, "provider", errors);
        String model = requiredString(body, "model", errors);
        ObjectNode params = null;
        JsonNode paramsNode = body.get("params");
        if (paramsNode != null && !paramsNode.isNull()) {
            if (paramsNode.isObject()) params = (ObjectNode) paramsNode;
            else errors.put("params", "must be a JSON object, got " + kind(paramsNode));
        }
        List<String> fixedParams = stringArray(body, "fixed_params", errors);
        fixedParamsProblem(params, fixedParams).ifPresent(problem -> errors.put("fixed_params", problem));
        List<String> fallbacks = stringArray(body, "fallbacks", errors);
        String description = optionalString(body, "description", errors);
        if (description != null && description.length() > MAX_DESCRIPTION) {
            errors.put("description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
        Map<String, String> labels = labels(body, errors);
        ObjectNode metadata = metadata(body.get("metadata"), errors);
        if (!errors.isEmpty()) {
            throw new Problem.Invalid("invalid model configuration: " + KnownFields.summary(errors), errors);
        }
        return new ModelConfigSpec(provider, model, params, fallbacks, description, labels, fixedParams, metadata);
    }

    /** The alias's own normalised metadata, in canonical form; null when absent. */
    static ObjectNode metadata(JsonNode node, Map<String, String> errors) {
        if (node == null || node.isNull()) return null;
        try {
            return ModelFacts.parse(node, "metadata").toJson();
        } catch (IllegalArgumentException e) {
            errors.put("metadata", e.getMessage());
            return null;
        }
    }

    /** Why {@code fixedParams} cannot go with {@code params}: a fixed param must have a value to fix. */
    static java.util.Optional<String> fixedParamsProblem(JsonNode params, List<String> fixedParams) {
        List<String> missing = fixedParams.stream().filter(name -> params == null || !params.has(name)).toList();
        if (missing.isEmpty()) return java.util.Optional.empty();
        return java.util.Optional.of("names " + String.join(", ", missing.stream().map(n -> "\"" + n + "\"").toList())
                + ", which params does not set; a fixed param needs its value in params");
    }

    /** A merge patch names only fields a configuration has. */
    static void requireKnownFields(JsonNode patch) {
        FIELDS.requireKnownIn(patch);
    }

    private static String requiredString(JsonNode body, String field, Map<String, String> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            errors.put(field, "is required");
            return null;
        }
        if (!node.isTextual()) {
            errors.put(field, "must be a string, got " + kind(node));
            return null;
        }
        if (node.asText().isBlank()) errors.put(field, "must not be empty");
        return node.asText();
    }

    private static String optionalString(JsonNode body, String field, Map<String, String> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) return null;
        if (!node.isTextual()) {
            errors.put(field, "must be a string, got " + kind(node));
            return null;
        }
        return node.asText();
    }

    private static List<String> stringArray(JsonNode body, String field, Map<String, String> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) return List.of();
        if (!node.isArray()) {
            errors.put(field, "must be an array of strings, got " + kind(node));
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || item.asText().isBlank()) {
                errors.put(field, "must be an array of non-empty strings");
                return List.of();
            }
            values.add(item.asText());
        }
        if (values.size() > MAX_FALLBACKS) errors.put(field, "must have at most " + MAX_FALLBACKS + " entries");
        if (values.stream().distinct().count() < values.size()) errors.put(field, "must not repeat an entry");
        return values;
    }

    private static Map<String, String> labels(JsonNode body, Map<String, String> errors) {
        JsonNode node = body.get("labels");
        if (node == null || node.isNull()) return Map.of();
        if (!node.isObject()) {
            errors.put("labels", "must be an object of string values, got " + kind(node));
            return Map.of();
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = fields.next();
            if (!entry.getValue().isTextual()) {
                errors.put("labels." + entry.getKey(), "must be a string, got " + kind(entry.getValue()));
                continue;
            }
            labels.put(entry.getKey(), entry.getValue().asText());
        }
        if (labels.size() > MAX_LABELS) errors.put("labels", "must have at most " + MAX_LABELS + " entries");
        return labels;
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase();
        };
    }
}
