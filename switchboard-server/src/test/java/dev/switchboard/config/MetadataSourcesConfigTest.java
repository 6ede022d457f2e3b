package dev.switchboard.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The rules of [[metadata_sources]] and of a provider's metadata_provider. */
class MetadataSourcesConfigTest extends TomlFileTestSupport {

    @Test
    void aSourceWithItsDefaults() {
        MetadataSourceConfig source = load("""
                [[metadata_sources]]
                id = "models-dev"
                kind = "models_dev"
                url = "https://models.dev/api.json"
                """).metadataSources().getFirst();

        assertThat(source).isEqualTo(MetadataSourceConfig.modelsDev("models-dev", URI.create("https://models.dev/api.json")));
        assertThat(source.refreshInterval()).isEqualTo(Duration.ofHours(24));
        assertThat(source.maxBytes()).isEqualTo(16L * 1024 * 1024);
    }

    @Test
    void everyKeySetAndARelativeFileResolvedAgainstTheWorkingDirectory() {
        MetadataSourceConfig source = load("""
                [[metadata_sources]]
                id = "local"
                kind = "models_dev"
                url = "file:config/models-dev.json"
                refresh_interval = "1h"
                max_bytes = "4MB"
                headers = { "X-Org" = "acme" }
                api_key = "${env:CATALOG_KEY}"
                """, Map.of("CATALOG_KEY", "k-123")).metadataSources().getFirst();

        assertThat(source.url()).isEqualTo(dir.resolve("config/models-dev.json").toUri());
        assertThat(source.refreshInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(source.maxBytes()).isEqualTo(4L * 1024 * 1024);
        assertThat(source.headers()).containsEntry("X-Org", "acme");
        assertThat(source.apiKey().value()).isEqualTo("k-123");
        assertThat(source.apiKey().toString()).isEqualTo("${env:CATALOG_KEY}");
    }

    static Stream<Arguments> badSources() {
        return Stream.of(
                arguments("id = \"m\"\nkind = \"litellm\"\nurl = \"https://x.example\"",
                        3, "[[metadata_sources]] kind must be one of models_dev, got \"litellm\""),
                arguments("id = \"m\"\nkind = \"models_dev\"\nurl = \"ftp://x.example/api.json\"",
                        4, "[[metadata_sources]] url must be an http, https or file: URL such as \"https://models.dev/api.json\""
                                + " or \"file:config/models-dev.json\", got \"ftp://x.example/api.json\""),
                arguments("id = \"m\"\nkind = \"models_dev\"\nurl = \"https://u:p@x.example\"",
                        4, "[[metadata_sources]] url must not contain a user name or password; put credentials in api_key or headers"),
                arguments("id = \"m\"\nkind = \"models_dev\"\nurl = \"file://server/share/api.json\"",
                        4, "[[metadata_sources]] url must be a local file: URL such as \"file:///etc/switchboard/models.json\""
                                + " or \"file:config/models.json\", got \"file://server/share/api.json\""),
                arguments("id = \"Models Dev\"\nkind = \"models_dev\"\nurl = \"https://x.example\"",
                        2, "[[metadata_sources]] id must be 1 to 63 lowercase letters, digits, \".\", \"_\" or \"-\","
                                + " starting with a letter or digit, got \"Models Dev\""),
                arguments("id = \"m\"\nkind = \"models_dev\"", 1, "[[metadata_sources]] needs url, e.g. url = \"https://models.dev/api.json\""),
                arguments("id = \"m\"\nurl = \"https://x.example\"", 1,
                        "[[metadata_sources]] needs kind, e.g. kind = \"models_dev\" (one of models_dev)"),
                arguments("id = \"m\"\nkind = \"models_dev\"\nurl = \"https://x.example\"\nrefresh_interval = \"soon\"", 5,
                        "[[metadata_sources]] refresh_interval must be"),
                arguments("id = \"m\"\nkind = \"models_dev\"\nurl = \"https://x.example\"\nmax_bytes = 0", 5,
                        "[[metadata_sources]] max_bytes must be larger than 0, got 0"),
                arguments("id = \"m\"\nkind = \"models_dev\"\nurl = \"https://x.example\"\nrefresh = \"1h\"", 5,
                        "unknown key \"refresh\" in [[metadata_sources]]; known keys: id, kind, url, refresh_interval, max_bytes,"
                                + " headers, api_key"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("badSources")
    void aSourceThatCannotBeUsedIsRejectedAtItsLine(String table, int line, String message) {
        assertThat(loadError("[[metadata_sources]]\n" + table + "\n")).startsWith(at(line) + message);
    }

    @Test
    void aDuplicateIdNamesTheFirstLine() {
        String source = "[[metadata_sources]]\nid = \"m\"\nkind = \"models_dev\"\nurl = \"https://x.example\"\n";
        assertThat(loadError(source + source)).isEqualTo(at(6) + "[[metadata_sources]] duplicate id \"m\": already used at line 2;"
                + " metadata source ids must be unique");
    }

    @Test
    void sourcesCannotBeSetFromTheEnvironment() {
        assertThat(loadError("", Map.of("SWITCHBOARD_METADATA_SOURCES_URL", "https://x.example")))
                .isEqualTo("environment variable SWITCHBOARD_METADATA_SOURCES_URL: metadata source settings cannot be set from the"
                        + " environment; reference a variable in the file instead, e.g. url = \"${env:MODELS_DEV_URL}\"");
    }

    @Test
    void aProviderIsMatchedInItsKindsCatalogProviderUnlessItSaysOtherwise() {
        SwitchboardConfig config = load("""
                [[providers]]
                id = "openai"
                kind = "openai"
                base_url = "https://api.openai.com/v1"

                [[providers]]
                id = "groq"
                kind = "openai"
                base_url = "https://api.groq.com/openai/v1"
                metadata_provider = "groq"

                [[providers]]
                id = "gemini"
                kind = "gemini"
                base_url = "https://generativelanguage.googleapis.com"

                [[providers]]
                id = "local"
                kind = "ollama"
                base_url = "http://localhost:11434"
                """);
        assertThat(config.providers().stream().map(p -> p.catalogProvider()).toList())
                .containsExactly(Optional.of("openai"), Optional.of("groq"), Optional.of("google"), Optional.empty());
        assertThat(config.provider("groq").orElseThrow().metadataProvider()).isEqualTo("groq");
    }

    @Test
    void aMetadataProviderThatIsNotAnIdIsRejected() {
        assertThat(loadError("[[providers]]\nid = \"x\"\nkind = \"openai\"\nbase_url = \"https://x.example\"\nmetadata_provider = \"Open AI\"\n"))
                .isEqualTo(at(5) + "[[providers]] metadata_provider must be a metadata catalog's provider id such as \"openai\" or"
                        + " \"google\" (lowercase letters, digits, \".\", \"_\" or \"-\"), got \"Open AI\"");
    }
}
