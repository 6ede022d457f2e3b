package dev.switchboard.config;

import dev.switchboard.config.ConfigSchema.Section;
import dev.switchboard.config.RawConfig.RawTable;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a TOML config file into a {@link RawConfig}: syntax errors and unknown sections or keys are
 * rejected here, each with the file and line, before any value is looked at.
 */
final class TomlFile {
    private final String fileName;
    private final Problems problems = new Problems();

    private TomlFile(String fileName) {
        this.fileName = fileName;
    }

    static RawConfig read(Path file) {
        TomlParseResult toml = parse(file);
        TomlFile reader = new TomlFile(file.toString());
        RawConfig raw = reader.structure(toml);
        reader.problems.throwIfAny();
        return raw;
    }

    private static TomlParseResult parse(Path file) {
        TomlParseResult toml;
        try {
            if (Files.isDirectory(file)) throw new ConfigException("config file " + file + " is a directory");
            toml = Toml.parse(file);
        } catch (NoSuchFileException missing) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException unreadable) {
            throw new ConfigException("cannot read config file " + file + ": " + unreadable.getMessage());
        }
        if (!toml.errors().isEmpty()) {
            throw new ConfigException(toml.errors().stream().map(e -> syntaxError(file, e)).toList());
        }
        return toml;
    }

    private static String syntaxError(Path file, TomlParseError error) {
        TomlPosition at = error.position();
        return file + ":" + at.line() + ":" + at.column() + ": " + error.getMessage();
    }

    private RawConfig structure(TomlTable root) {
        Map<Section, Map<String, Setting>> sections = new EnumMap<>(Section.class);
        List<RawTable> providers = new ArrayList<>();
        List<RawTable> modelConfigs = new ArrayList<>();
        List<RawTable> metadataSources = new ArrayList<>();
        for (String key : root.keySet()) {
            // Keys are looked up as one-element paths: a quoted key such as "a.b" is not a dotted path.
            List<String> path = List.of(key);
            Object value = root.get(path);
            Origin origin = at(root.inputPositionOf(path));
            var section = Section.byTomlName(key);
            if (section.isPresent()) {
                sectionTable(section.get(), value, origin).ifPresent(s -> sections.put(section.get(), s));
            } else if (key.equals(ConfigSchema.PROVIDERS)) {
                providers.addAll(tables(value, origin, ConfigSchema.PROVIDERS, ConfigSchema.PROVIDERS_LABEL, ConfigSchema.PROVIDER_KEYS));
            } else if (key.equals(ConfigSchema.MODEL_CONFIGS)) {
                modelConfigs.addAll(tables(value, origin, ConfigSchema.MODEL_CONFIGS, ConfigSchema.MODEL_CONFIGS_LABEL,
                        ConfigSchema.MODEL_CONFIG_KEYS));
            } else if (key.equals(ConfigSchema.METADATA_SOURCES)) {
                metadataSources.addAll(tables(value, origin, ConfigSchema.METADATA_SOURCES,
                        ConfigSchema.METADATA_SOURCES_LABEL, ConfigSchema.METADATA_SOURCE_KEYS));
            } else if (value instanceof TomlTable) {
                problems.add(origin.prefix("") + "unknown section [" + key + "]; known sections: "
                        + ConfigSchema.knownSections());
            } else {
                problems.add(origin.prefix("") + "unknown key \"" + key + "\" outside any section; known sections: "
                        + ConfigSchema.knownSections());
            }
        }
        return new RawConfig(sections, providers, modelConfigs, metadataSources);
    }

    private Optional<Map<String, Setting>> sectionTable(Section section, Object value, Origin origin) {
        if (value instanceof TomlTable table) {
            return Optional.of(settings(section.label(), table, section.keys));
        }
        problems.add(origin.prefix("") + section.tomlName + " must be a single table: write " + section.label()
                + " on its own line with its keys below it");
        return Optional.empty();
    }

    private List<RawTable> tables(Object value, Origin origin, String name, String label, List<String> keys) {
        if (!(value instanceof TomlArray array) || !allTables(array)) {
            problems.add(origin.prefix("") + name + " must be an array of tables: write "
                    + label + " (double brackets) above each entry");
            return List.of();
        }
        List<RawTable> tables = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            Origin header = at(array.inputPositionOf(i));
            tables.add(new RawTable(header, settings(label, array.getTable(i), keys)));
        }
        return tables;
    }

    private static boolean allTables(TomlArray array) {
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof TomlTable)) return false;
        }
        return true;
    }

    /** The known keys of {@code table}; every other key is reported with the list of known ones. */
    private Map<String, Setting> settings(String label, TomlTable table, List<String> knownKeys) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (String key : table.keySet()) {
            List<String> path = List.of(key);
            Origin origin = at(table.inputPositionOf(path));
            if (knownKeys.contains(key)) {
                settings.put(key, new Setting(key, plain(table.get(path)), origin));
            } else {
                problems.add(origin.prefix("") + "unknown key \"" + key + "\" in " + label + "; known keys: "
                        + String.join(", ", knownKeys));
            }
        }
        return settings;
    }

    /** tomlj's arrays and tables as plain lists and maps, so that later stages need not know tomlj. */
    private Object plain(Object value) {
        if (value instanceof TomlArray array) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) items.add(plain(array.get(i)));
            return items;
        }
        if (value instanceof TomlTable table) {
            Map<String, Setting> entries = new LinkedHashMap<>();
            for (String key : table.keySet()) {
                List<String> path = List.of(key);
                entries.put(key, new Setting(key, plain(table.get(path)), at(table.inputPositionOf(path))));
            }
            return entries;
        }
        return value;
    }

    private Origin at(TomlPosition position) {
        return new Origin.FileLine(fileName, position == null ? 0 : position.line());
    }
}
