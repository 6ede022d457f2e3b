package dev.switchboard.configs;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every model configuration at one moment, by alias; immutable, swapped whole by the writer. */
public record ConfigSet(Map<String, ModelConfig> byAlias) {
    public static final ConfigSet EMPTY = new ConfigSet(Map.of());

    public ConfigSet {
        byAlias = Collections.unmodifiableMap(new TreeMap<>(byAlias));
    }

    public Optional<ModelConfig> find(String alias) {
        return Optional.ofNullable(byAlias.get(alias));
    }

    public ConfigSet with(ModelConfig config) {
        Map<String, ModelConfig> next = new TreeMap<>(byAlias);
        next.put(config.alias(), config);
        return new ConfigSet(next);
    }

    public ConfigSet without(String alias) {
        Map<String, ModelConfig> next = new TreeMap<>(byAlias);
        next.remove(alias);
        return new ConfigSet(next);
    }
}
