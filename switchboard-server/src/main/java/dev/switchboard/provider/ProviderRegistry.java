package dev.switchboard.provider;

import dev.switchboard.config.ProviderConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The providers Switchboard knows: those of the config file, in its order, then those created through
 * the API. Swapped whole by the writer when an API-managed provider changes.
 */
public final class ProviderRegistry {
    private final AtomicReference<Map<String, ProviderConfig>> byId;

    public ProviderRegistry(List<ProviderConfig> providers) {
        Map<String, ProviderConfig> initial = new LinkedHashMap<>();
        for (ProviderConfig provider : providers) initial.put(provider.id(), provider);
        this.byId = new AtomicReference<>(initial);
    }

    public List<ProviderConfig> all() {
        return List.copyOf(byId.get().values());
    }

    public Set<String> ids() {
        return Set.copyOf(byId.get().keySet());
    }

    public List<String> idsInOrder() {
        return List.copyOf(byId.get().keySet());
    }

    public Optional<ProviderConfig> find(String id) {
        return Optional.ofNullable(byId.get().get(id));
    }

    /**
     * A token that changes (by identity) whenever a provider is added, replaced or removed: for caches of what is
     * derived from the providers.
     */
    public Object version() {
        return byId.get();
    }

    /** Adds or replaces a provider; called only by the writer. */
    public void put(ProviderConfig provider) {
        byId.updateAndGet(current -> {
            Map<String, ProviderConfig> next = new LinkedHashMap<>(current);
            next.put(provider.id(), provider);
            return next;
        });
    }

    /** Removes a provider; called only by the writer. */
    public void remove(String id) {
        byId.updateAndGet(current -> {
            Map<String, ProviderConfig> next = new LinkedHashMap<>(current);
            next.remove(id);
            return next;
        });
    }
}
