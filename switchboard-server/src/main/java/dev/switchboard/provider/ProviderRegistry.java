package dev.switchboard.provider;

import dev.switchboard.config.ProviderConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The providers Switchboard knows, in configuration order. */
public final class ProviderRegistry {
    private final Map<String, ProviderConfig> byId = new LinkedHashMap<>();

    public ProviderRegistry(List<ProviderConfig> providers) {
        for (ProviderConfig provider : providers) byId.put(provider.id(), provider);
    }

    public List<ProviderConfig> all() {
        return List.copyOf(byId.values());
    }

    public Set<String> ids() {
        return Set.copyOf(byId.keySet());
    }

    public Optional<ProviderConfig> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }
}
