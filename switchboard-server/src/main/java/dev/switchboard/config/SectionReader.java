package dev.switchboard.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed access to the settings of one table. Each value first has its {@code ${env:NAME}} references
 * expanded, then is converted; a value that cannot be used is reported to {@link Problems} with its file
 * and line (or environment variable) and the fallback is returned, so that reading goes on and every
 * problem is reported at once.
 */
final class SectionReader {
    private final String label;
    private final Map<String, Setting> settings;
    private final EnvReferences references;
    private final Problems problems;

    /**
     * @param label    how messages name the table, e.g. {@code [server]} or {@code [[providers]]}
     * @param settings the table's settings by key
     */
    SectionReader(String label, Map<String, Setting> settings, EnvReferences references, Problems problems) {
        this.label = label;
        this.settings = settings;
        this.references = references;
        this.problems = problems;
    }

    boolean has(String key) {
        return settings.containsKey(key);
    }

    Optional<Origin> origin(String key) {
        return Optional.ofNullable(settings.get(key)).map(Setting::origin);
    }

    /** Reports a problem with {@code key}: {@code reason} completes "KEY …". */
    void problem(String key, String reason) {
        problem(settings.get(key).origin(), key, reason);
    }

    void problem(Origin origin, String key, String reason) {
        problems.add(origin.prefix(label) + key + " " + reason);
    }

    /** Reports a problem whose message already names what it is about. */
    void problem(Origin origin, String message) {
        problems.add(origin.prefix(label) + message);
    }

    /** The converted value of {@code key}, or {@code fallback} when it is absent or cannot be used. */
    <T> T read(String key, T fallback, Function<Object, T> convert) {
        Setting setting = settings.get(key);
        if (setting == null) return fallback;
        try {
            return convert.apply(expand(setting.value()));
        } catch (IllegalArgumentException unusable) {
            problem(setting.origin(), key, unusable.getMessage());
            return fallback;
        }
    }

    /** Like {@link #read} for a key that may be absent, with no fallback. */
    <T> Optional<T> optional(String key, Function<Object, T> convert) {
        return Optional.ofNullable(read(key, null, convert));
    }

    String string(String key, String fallback) {
        return read(key, fallback, Values::text);
    }

    int integer(String key, int fallback, int min, int max) {
        return read(key, fallback, value -> Values.integer(value, min, max));
    }

    boolean bool(String key, boolean fallback) {
        return read(key, fallback, Values::bool);
    }

    double fraction(String key, double fallback) {
        return read(key, fallback, Values::fraction);
    }

    Duration duration(String key, Duration fallback) {
        return read(key, fallback, Values::duration);
    }

    Duration positiveDuration(String key, Duration fallback) {
        return read(key, fallback, Values::positiveDuration);
    }

    long size(String key, long fallback) {
        return read(key, fallback, Values::size);
    }

    /**
     * A credential. It keeps how it was written ({@code ${env:NAME}}, or the variable that overrode it) so
     * that the effective configuration can be printed without the value. Messages never show the value.
     */
    Secret secret(String key) {
        Setting setting = settings.get(key);
        if (setting == null) return Secret.NONE;
        if (!(setting.value() instanceof String written)) {
            problem(setting.origin(), key, "must be a string");
            return Secret.NONE;
        }
        try {
            String value = references.expand(written);
            if (EnvReferences.containsReference(written)) return new Secret(value, written);
            if (setting.origin() instanceof Origin.EnvVariable variable) {
                return new Secret(value, "${env:" + variable.name() + "}");
            }
            return Secret.literal(value);
        } catch (IllegalArgumentException unusable) {
            problem(setting.origin(), key, unusable.getMessage());
            return Secret.NONE;
        }
    }

    /**
     * An array of non-empty strings, or an empty list when absent. An environment variable has no arrays, so
     * there the items are comma-separated ({@code "a, b"}; an empty value gives an empty list).
     */
    List<String> strings(String key) {
        return strings(key, Function.identity());
    }

    /** Like {@link #strings}, each item converted by {@code convert} (whose refusal names the item). */
    List<String> strings(String key, Function<String, String> convert) {
        boolean fromEnvironment = origin(key).orElse(null) instanceof Origin.EnvVariable;
        return read(key, List.of(), value -> stringList(fromEnvironment ? commaSeparated(value) : value)
                .stream().map(convert).toList());
    }

    private static Object commaSeparated(Object value) {
        if (!(value instanceof String text)) return value;
        return Arrays.stream(text.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
    }

    /** Like {@link #strings}, but an array that is present must hold at least one string. */
    List<String> nonEmptyStrings(String key) {
        return read(key, List.of(), value -> {
            List<String> texts = stringList(value);
            if (texts.isEmpty()) throw new IllegalArgumentException("must list at least one, got []");
            return texts;
        });
    }

    static List<String> stringList(Object value) {
        if (!(value instanceof List<?> items)) {
            throw new IllegalArgumentException("must be an array of strings such as [\"a\", \"b\"], got "
                    + Values.describe(value));
        }
        List<String> texts = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof String text) || text.isBlank()) {
                throw new IllegalArgumentException("must be an array of non-empty strings, got "
                        + Values.describe(item) + " in it");
            }
            texts.add(text);
        }
        return List.copyOf(texts);
    }

    /**
     * A table of string values, e.g. {@code headers = { "X-Org" = "acme" }}; empty when absent. Values may
     * hold credentials ({@code "Bearer ${env:TOKEN}"}), so messages never show them.
     */
    Map<String, String> stringTable(String key) {
        Setting setting = settings.get(key);
        if (setting == null) return Map.of();
        if (!(setting.value() instanceof Map<?, ?> table)) {
            problem(setting.origin(), key, "must be a table of strings such as { \"X-Org\" = \"acme\" }, got "
                    + Values.describe(setting.value()));
            return Map.of();
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (Object item : table.values()) {
            Setting entry = (Setting) item;
            String name = key + "." + entry.key();
            if (!(entry.value() instanceof String written)) {
                problem(entry.origin(), name, "must be a string");
                continue;
            }
            try {
                entries.put(entry.key(), references.expand(written));
            } catch (IllegalArgumentException unusable) {
                problem(entry.origin(), name, unusable.getMessage());
            }
        }
        return entries;
    }

    /** Strings, and the strings inside arrays, with their references expanded. */
    private Object expand(Object value) {
        if (value instanceof String text) return references.expand(text);
        if (value instanceof List<?> items) return items.stream().map(this::expand).toList();
        return value;
    }
}
