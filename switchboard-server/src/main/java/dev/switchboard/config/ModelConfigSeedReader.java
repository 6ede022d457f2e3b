package dev.switchboard.config;

import dev.switchboard.metadata.ModelFacts;

import dev.switchboard.config.RawConfig.RawTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Converts the {@code [[model_configs]]} tables into {@link ModelConfigSeed}s. Only the shape is checked here;
 * whether the provider and the fallbacks exist is checked when they are imported, like any other write.
 */
final class ModelConfigSeedReader {
    private static final String LABEL = ConfigSchema.MODEL_CONFIGS_LABEL;

    private final EnvReferences references;
    private final Problems problems;

    ModelConfigSeedReader(EnvReferences references, Problems problems) {
        this.references = references;
        this.problems = problems;
    }

    List<ModelConfigSeed> readAll(List<RawTable> raws) {
        List<ModelConfigSeed> seeds = new ArrayList<>();
        Map<String, Origin> firstSeen = new HashMap<>();
        for (RawTable raw : raws) {
            read(raw).ifPresent(seed -> {
                Origin at = raw.settings().get("alias").origin();
                Origin first = firstSeen.putIfAbsent(seed.alias(), at);
                if (first != null) {
                    problems.add(at.prefix(LABEL) + "duplicate alias \"" + seed.alias() + "\": already declared at "
                            + first.prefix("").replaceAll(":\\s*$", "") + "; aliases must be unique");
                } else {
                    seeds.add(seed);
                }
            });
        }
        return seeds;
    }

    private Optional<ModelConfigSeed> read(RawTable raw) {
        SectionReader table = new SectionReader(LABEL, raw.settings(), references, problems);
        Optional<String> alias = required(raw, table, "alias", "alias = \"planner\"");
        Optional<String> provider = required(raw, table, "provider", "provider = \"openai\"");
        Optional<String> model = required(raw, table, "model", "model = \"gpt-5\"");
        alias.filter(a -> !ProviderConfig.ID_PATTERN.matcher(a).matches()).ifPresent(a -> table.problem("alias",
                "must be 1 to 63 lowercase letters, digits, \".\", \"_\" or \"-\", starting with a letter or digit, got " + Values.quote(a)));
        Map<String, Object> params = params(table);
        List<String> fixedParams = table.strings("fixed_params");
        List<String> fallbacks = table.strings("fallbacks");
        String description = table.string("description", "");
        Map<String, String> labels = table.stringTable("labels");
        Map<String, Object> metadata = table.read("metadata", Map.of(), value -> {
            if (!(value instanceof Map<?, ?> entries)) {
                throw new IllegalArgumentException("must be a table of model metadata such as { context_window = 128000 }");
            }
            ModelFacts.parse(ModelMetadataTable.json(entries), "metadata"); // checked here, so a bad one fails the load
            return plain(entries);
        });
        if (alias.isEmpty() || provider.isEmpty() || model.isEmpty()) return Optional.empty();
        return Optional.of(new ModelConfigSeed(alias.get(), provider.get(), model.get(), params, fallbacks, description, labels,
                raw.origin().prefix("").replaceAll(":\\s*$", ""), fixedParams, metadata));
    }

    private Optional<String> required(RawTable raw, SectionReader table, String key, String example) {
        if (!table.has(key)) {
            problems.add(raw.origin().prefix(LABEL) + "needs " + key + ", e.g. " + example);
            return Optional.empty();
        }
        return table.optional(key, Values::nonBlankText);
    }

    /** {@code params} is a table of any TOML values; nested tables become maps. */
    private Map<String, Object> params(SectionReader table) {
        return table.read("params", Map.of(), value -> {
            if (!(value instanceof Map<?, ?> entries)) {
                throw new IllegalArgumentException("must be a table such as { temperature = 0.2, max_tokens = 4096 }");
            }
            return plain(entries);
        });
    }

    private static Map<String, Object> plain(Map<?, ?> settings) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : settings.entrySet()) {
            values.put(entry.getKey().toString(), plainValue(((Setting) entry.getValue()).value()));
        }
        return values;
    }

    private static Object plainValue(Object value) {
        if (value instanceof Map<?, ?> table) return plain(table);
        if (value instanceof List<?> list) return list.stream().map(ModelConfigSeedReader::plainValue).toList();
        if (value instanceof java.time.temporal.TemporalAccessor) return value.toString();
        return value;
    }
}
