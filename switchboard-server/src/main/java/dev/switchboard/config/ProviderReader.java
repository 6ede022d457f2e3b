package dev.switchboard.config;

import dev.switchboard.config.RawConfig.RawTable;
import dev.switchboard.metadata.ModelFacts;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Converts the {@code [[providers]]} tables into {@link ProviderConfig}s, checking the rules of each kind. */
final class ProviderReader {
    private static final String LABEL = ConfigSchema.PROVIDERS_LABEL;
    /** RFC 9110 token: what a header name may contain. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final EnvReferences references;
    private final BaseUrls baseUrls;
    private final Problems problems;
    private final TableArrays tables;

    ProviderReader(EnvReferences references, BaseUrls baseUrls, Problems problems) {
        this.references = references;
        this.baseUrls = baseUrls;
        this.problems = problems;
        this.tables = new TableArrays(LABEL, "provider", problems);
    }

    /** Every provider that could be read; the others are reported. Ids are checked to be unique. */
    List<ProviderConfig> readAll(List<RawTable> raws) {
        return tables.readUnique(raws, this::read, ProviderConfig::id);
    }

    private Optional<ProviderConfig> read(RawTable raw) {
        SectionReader table = new SectionReader(LABEL, raw.settings(), references, problems);
        Optional<String> id = tables.required(raw, table, "id", "id = \"openai\"", TableArrays::id);
        Optional<ProviderKind> kind = tables.required(raw, table, "kind", "kind = \"openai\" (one of "
                + ProviderKind.wireNames() + ")", ProviderReader::kind);
        Secret apiKey = table.secret("api_key");
        List<String> allowed = table.strings("allowed_models");
        List<String> denied = table.strings("denied_models");
        Map<String, String> headers = headers(table);
        if (id.isEmpty() || kind.isEmpty()) return Optional.empty();

        URI baseUrl = baseUrl(raw, table, kind.get());
        Map<String, ModelFacts> metadata = modelMetadata(raw);
        List<String> models = metadata.isEmpty() ? models(raw, table, kind.get()) : staticIds(kind.get(), metadata);
        URI apiBaseUrl = table.read("api_base_url", null, value -> baseUrls.web(Values.text(value)));
        String metadataProvider = table.read("metadata_provider", null, ProviderReader::metadataProvider);
        return Optional.of(new ProviderConfig(id.get(), kind.get(), baseUrl, apiKey, allowed, denied, models,
                headers, ProviderConfig.Source.CONFIG, apiBaseUrl, metadata, metadataProvider));
    }



    /** A provider id of the metadata catalogs (models.dev's are slugs such as "openai" or "google-vertex"). */
    private static String metadataProvider(Object value) {
        String id = Values.text(value);
        if (!ProviderConfig.ID_PATTERN.matcher(id).matches()) {
            throw new IllegalArgumentException("must be a metadata catalog's provider id such as \"openai\" or"
                    + " \"google\" (lowercase letters, digits, \".\", \"_\" or \"-\"), got " + Values.quote(id));
        }
        return id;
    }

    private static ProviderKind kind(Object value) {
        String name = Values.text(value);
        return ProviderKind.fromWireName(name).orElseThrow(() -> new IllegalArgumentException(
                "must be one of " + ProviderKind.wireNames() + ", got " + Values.quote(name)));
    }

    /** Required for every kind that fetches; a static provider is never fetched, so it must have none. */
    private URI baseUrl(RawTable raw, SectionReader table, ProviderKind kind) {
        if (kind == ProviderKind.STATIC) {
            if (table.has("base_url")) {
                table.problem("base_url", "is not used by kind = \"static\", whose models are listed in the file;"
                        + " remove it, or choose the kind of the upstream it points at");
            }
            return null;
        }
        if (!table.has("base_url")) {
            problems.add(raw.origin().prefix(LABEL) + "kind = \"" + kind.wireName() + "\" needs base_url, e.g."
                    + " base_url = \"https://api.openai.com/v1\"");
            return null;
        }
        return table.read("base_url", null, value -> baseUrls.parse(Values.text(value), kind));
    }

    /** {@code models} written as a table of metadata per model id (any kind), else empty. */
    private Map<String, ModelFacts> modelMetadata(RawTable raw) {
        Setting models = raw.settings().get("models");
        if (models == null || !ModelMetadataTable.isTable(models.value())) return Map.of();
        SectionReader table = new SectionReader(LABEL, raw.settings(), references, problems);
        Map<?, ?> entries = (Map<?, ?>) models.value();
        if (entries.isEmpty()) table.problem("models", "is an empty table; give each model its own table, e.g."
                + " [providers.models.\"gpt-4o\"] context_window = 128000");
        return ModelMetadataTable.read(table, entries);
    }

    /** A static provider's models are the ids of its metadata table; the other kinds list theirs upstream. */
    private static List<String> staticIds(ProviderKind kind, Map<String, ModelFacts> metadata) {
        return kind == ProviderKind.STATIC ? List.copyOf(metadata.keySet()) : List.of();
    }

    /** Required for a static provider, which has no upstream to ask; meaningless for the others. */
    private List<String> models(RawTable raw, SectionReader table, ProviderKind kind) {
        if (kind != ProviderKind.STATIC) {
            if (table.has("models")) {
                table.problem("models", "as a list is only for kind = \"static\"; the models of kind = \"" + kind.wireName()
                        + "\" come from its upstream (use allowed_models or denied_models to filter them, or a table"
                        + " [providers.models.\"<id>\"] to set their metadata)");
            }
            return List.of();
        }
        if (!table.has("models")) {
            problems.add(raw.origin().prefix(LABEL) + "kind = \"static\" needs models, e.g."
                    + " models = [\"llama-3.1-8b-instruct\"]");
            return List.of();
        }
        List<String> models = table.nonEmptyStrings("models");
        Set<String> seen = new HashSet<>();
        for (String model : models) {
            if (!seen.add(model)) table.problem("models", "lists " + Values.quote(model) + " more than once");
        }
        return models;
    }

    /** The {@code headers} table, checked as request headers (shared with {@code [[metadata_sources]]}). */
    static Map<String, String> headers(SectionReader table) {
        Map<String, String> headers = table.stringTable("headers");
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (!HEADER_NAME.matcher(header.getKey()).matches()) {
                table.problem("headers", "has an invalid header name " + Values.quote(header.getKey())
                        + "; a name is letters, digits and -, e.g. \"X-Org\"");
            }
            ProviderConfig.reservedHeader(header.getKey()).ifPresent(reason -> table.problem("headers",
                    "cannot set " + Values.quote(header.getKey()) + ": " + reason + " ("
                            + ProviderConfig.RESERVED_HEADERS_TEXT + " are reserved)"));
            // A line break in a value would let it inject further headers into the upstream request.
            if (header.getValue().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                table.problem("headers", "value of " + Values.quote(header.getKey()) + " contains a line break");
            }
        }
        return headers;
    }

}
