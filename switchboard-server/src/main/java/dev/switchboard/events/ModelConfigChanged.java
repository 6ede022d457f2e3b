package dev.switchboard.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * {@code model_config.created|updated|deleted}: a configuration changed.
 *
 * @param config  the configuration after the change with secret-looking params redacted; null when deleted
 * @param changed the fields that changed ({@code target_status} when only the target's availability did)
 */
public record ModelConfigChanged(@JsonIgnore Change change, String alias, long version, JsonNode config,
                                 List<String> changed) implements ChangeData {
    public enum Change {CREATED, UPDATED, DELETED}

    public ModelConfigChanged {
        changed = List.copyOf(changed);
    }

    @Override
    public String type() {
        return "model_config." + change.name().toLowerCase();
    }

    @Override
    public List<String> providerIds() {
        return config == null || !config.hasNonNull("provider") ? List.of() : List.of(config.get("provider").asText());
    }

    @Override
    public List<String> aliases() {
        return List.of(alias);
    }
}
