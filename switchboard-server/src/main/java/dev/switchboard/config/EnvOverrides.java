package dev.switchboard.config;

import dev.switchboard.config.ConfigSchema.Section;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Applies {@code SWITCHBOARD_<SECTION>_<KEY>} environment variables over the file's settings. A variable
 * with a section prefix but an unknown key is an error, so that a typo is never silently ignored;
 * variables without a section prefix (SWITCHBOARD_CONFIG, SWITCHBOARD_ADMIN_KEY …) belong to others.
 */
final class EnvOverrides {
    private static final String PROVIDERS_PREFIX = ConfigSchema.ENV_PREFIX + "PROVIDERS_";
    private static final String METADATA_SOURCES_PREFIX = ConfigSchema.ENV_PREFIX + "METADATA_SOURCES_";

    private EnvOverrides() {
    }

    static RawConfig apply(RawConfig raw, Map<String, String> env, Problems problems) {
        Map<Section, Map<String, Setting>> overrides = new EnumMap<>(Section.class);
        // Sorted so that several problems are always reported in the same order.
        for (String name : new TreeSet<>(env.keySet())) {
            if (name.startsWith(PROVIDERS_PREFIX)) {
                problems.add("environment variable " + name + ": provider settings cannot be set from the environment;"
                        + " reference a variable in the file instead, e.g. api_key = \"${env:OPENAI_API_KEY}\"");
                continue;
            }
            if (name.startsWith(METADATA_SOURCES_PREFIX)) {
                problems.add("environment variable " + name + ": metadata source settings cannot be set from the environment;"
                        + " reference a variable in the file instead, e.g. url = \"${env:MODELS_DEV_URL}\"");
                continue;
            }
            for (Section section : Section.values()) {
                if (!name.startsWith(section.envPrefix())) continue;
                String key = name.substring(section.envPrefix().length()).toLowerCase(Locale.ROOT);
                if (section.keys.contains(key)) {
                    overrides.computeIfAbsent(section, s -> new LinkedHashMap<>())
                            .put(key, new Setting(key, env.get(name), new Origin.EnvVariable(name)));
                } else {
                    problems.add("environment variable " + name + ": unknown key \"" + key + "\" in " + section.label()
                            + "; known keys: " + section.knownKeys());
                }
            }
        }
        return raw.overriddenBy(overrides);
    }
}
