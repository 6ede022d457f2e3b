package dev.switchboard.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * {@code provider.created|updated|deleted}: an API-managed provider changed.
 *
 * @param provider the provider as the API shows it (never its credentials); null when deleted
 * @param changed  the fields that changed
 */
public record ProviderChanged(@JsonIgnore Change change, String providerId, JsonNode provider, List<String> changed)
        implements ChangeData {
    public enum Change {CREATED, UPDATED, DELETED}

    public ProviderChanged {
        changed = List.copyOf(changed);
    }

    @Override
    public String type() {
        return "provider." + change.name().toLowerCase();
    }

    @Override
    public List<String> providerIds() {
        return List.of(providerId);
    }
}
