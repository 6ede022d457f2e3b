package dev.switchboard.config;

import dev.switchboard.config.RawConfig.RawTable;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    private final TableArrays tables;

    MetadataSourceReader(EnvReferences references, BaseUrls baseUrls, Problems problems) {
        this.references = references;
        this.baseUrls = baseUrls;
        this.problems = problems;
        this.tables = new TableArrays(LABEL, "metadata source", problems);
    }

    /** Every source that could be read, in file order; the others are reported. Ids are checked to be unique. */
    List<MetadataSourceConfig> readAll(List<RawTable> raws) {
        return tables.readUnique(raws, this::read, MetadataSourceConfig::id);
    }

    private Optional<MetadataSourceConfig> read(RawTable raw) {
        SectionReader table = new SectionReader(LABEL, raw.settings(), references, problems);
        Optional<String> id = tables.required(raw, table, "id", "id = \"models-dev\"", TableArrays::id);
        Optional<MetadataSourceConfig.Kind> kind = tables.required(raw, table, "kind", "kind = \"models_dev\" (one of "
                + MetadataSourceConfig.Kind.wireNames() + ")", MetadataSourceReader::kind);
        Optional<URI> url = tables.required(raw, table, "url", "url = \"https://models.dev/api.json\"",
                value -> baseUrls.document(Values.text(value)));
        Duration interval = table.duration("refresh_interval", MetadataSourceConfig.DEFAULT_REFRESH_INTERVAL);
        long maxBytes = table.size("max_bytes", MetadataSourceConfig.DEFAULT_MAX_BYTES);
        Map<String, String> headers = ProviderReader.headers(table);
        Secret apiKey = table.secret("api_key");
        if (id.isEmpty() || kind.isEmpty() || url.isEmpty()) return Optional.empty();
        return Optional.of(new MetadataSourceConfig(id.get(), kind.get(), url.get(), interval, maxBytes, headers, apiKey));
    }



    private static MetadataSourceConfig.Kind kind(Object value) {
        String name = Values.text(value);
        return MetadataSourceConfig.Kind.fromWireName(name).orElseThrow(() -> new IllegalArgumentException(
                "must be one of " + MetadataSourceConfig.Kind.wireNames() + ", got " + Values.quote(name)));
    }

}
