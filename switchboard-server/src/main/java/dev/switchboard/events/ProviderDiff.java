package dev.switchboard.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;

/** How one provider's model list changed: model ids added, removed, and with changed metadata. */
public record ProviderDiff(String providerId, List<String> added, List<String> removed, List<String> updated) {
    public ProviderDiff {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        updated = List.copyOf(updated);
    }

    @JsonIgnore // a query, not part of the payload
    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && updated.isEmpty();
    }
}
