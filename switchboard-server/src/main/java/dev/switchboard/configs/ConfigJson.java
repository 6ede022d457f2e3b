package dev.switchboard.configs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.JsonMergePatch;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/** The JSON shapes of model configurations: the API's, the events' (redacted), and merge patches. */
public final class ConfigJson {
    /** Param names that usually hold credentials; their values never leave in events. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i)^(.*[_-])?(api[_-]?key|apikey|secret|client[_-]?secret|password|passwd"
            + "|authorization|credentials?|token|access[_-]?token|auth[_-]?token|bearer[_-]?token|refresh[_-]?token|private[_-]?key)$");
    static final String REDACTED = "***";

    private final ObjectMapper mapper;

    ConfigJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * {@code {alias, provider, model, params, fixed_params, fallbacks, description, labels, version, updated_at, updated_by,
     * target, target_status}}.
     */
    public ObjectNode render(ModelConfig config) {
        ObjectNode node = mapper.createObjectNode();
        node.put("alias", config.alias());
        ModelConfigSpec spec = config.spec();
        node.put("provider", spec.provider());
        node.put("model", spec.model());
        node.set("params", spec.params());
        node.set("fixed_params", mapper.valueToTree(spec.fixedParams()));
        node.set("fallbacks", mapper.valueToTree(spec.fallbacks()));
        node.put("description", spec.description());
        node.set("labels", mapper.valueToTree(spec.labels()));
        node.set("metadata", spec.metadata());
        node.put("version", config.version());
        node.put("updated_at", config.updatedAt().toString());
        node.put("updated_by", config.updatedBy());
        node.put("target", spec.target());
        node.put("target_status", config.targetStatus().wireName());
        return node;
    }

    /** As {@link #render}, with secret-looking params replaced by {@code ***} (for events and logs). */
    public ObjectNode redacted(ModelConfig config) {
        ObjectNode node = render(config);
        redact(node.get("params"));
        return node;
    }

    /** The spec as an editable JSON object, with {@code patch} merged in (RFC 7386: null removes). */
    JsonNode merge(ModelConfigSpec spec, JsonNode patch) {
        ObjectNode base = mapper.valueToTree(spec);
        return JsonMergePatch.apply(base, patch);
    }

    private static void redact(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (SECRET_NAME.matcher(field.getKey()).matches() && !field.getValue().isContainerNode()) {
                    field.setValue(object.textNode(REDACTED));
                } else {
                    redact(field.getValue());
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(ConfigJson::redact);
        }
    }
}
