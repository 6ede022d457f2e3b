package dev.switchboard.config;

import dev.switchboard.config.RawConfig.RawTable;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Converts the {@code [[metadata_sources]]} tables into {@link MetadataSourceConfig}s. Sources come only from the
 * file, which is trusted as written: like config-file providers, their URLs are not held to the API's
 * {@code UrlPolicy}.
 */
final class MetadataSourceReader {
    private static final String LABEL = ConfigSchema.METADATA_SOURCES_LABEL;

    private final EnvReferences references;
    private final BaseUrls baseUrls;
    private final Problems problems;

    MetadataSourceReader(EnvReferences references, BaseUrls baseUrls, Problems problems) {
        this.references = references;
        this.baseUrls = baseUrls;
        this.problems = problems;
    }

    /** Every source that could be read, in file order; the others are reported. Ids are checked to be unique. */
    List<MetadataSourceConfig> readAll(List<RawTable> raws) {
        List<MetadataSourceConfig> sources = new ArrayList<>();
        Map<String, Origin> firstSeen = new HashMap<>();
        for (RawTable raw : raws) {
            read(raw).ifPresent(source -> {
                Origin at = raw.settings().get("id").origin();
                Origin first = firstSeen.putIfAbsent(source.id(), at);
                if (first != null) {
                    problems.add(at.prefix(LABEL) + "duplicate id \"" + source.id() + "\": already used at "
                            + where(first) + "; metadata source ids must be unique");
                } else {
                    sources.add(source);
                }
            });
        }
        return sources;
    }

    private Optional<MetadataSourceConfig> read(RawTable raw) {
        SectionReader table = new SectionReader(LABEL, raw.settings(), references, problems);
        Optional<String> id = required(raw, table, "id", "id = \"models-dev\"", MetadataSourceReader::id);
        Optional<MetadataSourceConfig.Kind> kind = required(raw, table, "kind", "kind = \"models_dev\" (one of "
                + MetadataSourceConfig.Kind.wireNames() + ")", MetadataSourceReader::kind);
        Optional<URI> url = required(raw, table, "url", "url = \"https://models.dev/api.json\"",
                value -> baseUrls.document(Values.text(value)));
        Duration interval = table.duration("refresh_interval", MetadataSourceConfig.DEFAULT_REFRESH_INTERVAL);
        long maxBytes = table.size("max_bytes", MetadataSourceConfig.DEFAULT_MAX_BYTES);
        Map<String, String> headers = ProviderReader.headers(table);
        Secret apiKey = table.secret("api_key");
        if (id.isEmpty() || kind.isEmpty() || url.isEmpty()) return Optional.empty();
        return Optional.of(new MetadataSourceConfig(id.get(), kind.get(), url.get(), interval, maxBytes, headers, apiKey));
    }

    private <T> Optional<T> required(RawTable raw, SectionReader table, String key, String example,
                                     Function<Object, T> convert) {
        if (!table.has(key)) {
            problems.add(raw.origin().prefix(LABEL) + "needs " + key + ", e.g. " + example);
            return Optional.empty();
        }
        return table.optional(key, convert);
    }

    private static String id(Object value) {
        String id = Values.text(value);
        if (!ProviderConfig.ID_PATTERN.matcher(id).matches()) {
            throw new IllegalArgumentException("must be 1 to 63 lowercase letters, digits, \".\", \"_\" or \"-\","
                    + " starting with a letter or digit, got " + Values.quote(id));
        }
        return id;
    }

    private static MetadataSourceConfig.Kind kind(Object value) {
        String name = Values.text(value);
        return MetadataSourceConfig.Kind.fromWireName(name).orElseThrow(() -> new IllegalArgumentException(
                "must be one of " + MetadataSourceConfig.Kind.wireNames() + ", got " + Values.quote(name)));
    }

    private static String where(Origin origin) {
        return origin instanceof Origin.FileLine line ? "line " + line.line() : origin.prefix("").trim();
    }
}
