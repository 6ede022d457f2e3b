package dev.switchboard.config;

import dev.switchboard.config.ConfigSchema.Section;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration as written, keys checked but values not yet converted: what the file says, then what
 * the environment overrides.
 *
 * @param sections  the settings of each single-table section, by key (absent sections are empty)
 * @param providers the {@code [[providers]]} tables in file order
 * @param modelConfigs the {@code [[model_configs]]} tables in file order
 * @param metadataSources the {@code [[metadata_sources]]} tables in file order
 */
record RawConfig(Map<Section, Map<String, Setting>> sections, List<RawTable> providers, List<RawTable> modelConfigs,
                 List<RawTable> metadataSources) {

    /** One table of an array of tables ({@code [[providers]]}, {@code [[model_configs]]}); {@code origin} is the line of its header. */
    record RawTable(Origin origin, Map<String, Setting> settings) {
    }

    RawConfig {
        EnumMap<Section, Map<String, Setting>> copy = new EnumMap<>(Section.class);
        for (Section section : Section.values()) {
            copy.put(section, Map.copyOf(sections.getOrDefault(section, Map.of())));
        }
        sections = copy;
        providers = List.copyOf(providers);
        modelConfigs = List.copyOf(modelConfigs);
        metadataSources = List.copyOf(metadataSources);
    }

    static RawConfig empty() {
        return new RawConfig(Map.of(), List.of(), List.of(), List.of());
    }

    Map<String, Setting> section(Section section) {
        return sections.get(section);
    }

    /** This configuration with {@code overrides} replacing the settings of the same keys. */
    RawConfig overriddenBy(Map<Section, Map<String, Setting>> overrides) {
        Map<Section, Map<String, Setting>> merged = new EnumMap<>(Section.class);
        for (Section section : Section.values()) {
            Map<String, Setting> settings = new LinkedHashMap<>(section(section));
            settings.putAll(overrides.getOrDefault(section, Map.of()));
            merged.put(section, settings);
        }
        return new RawConfig(merged, providers, modelConfigs, metadataSources);
    }
}
