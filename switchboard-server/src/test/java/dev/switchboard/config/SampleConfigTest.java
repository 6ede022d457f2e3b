package dev.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundled config/switchboard.sample.toml loads as is, offline, from the repository root. */
class SampleConfigTest {
    private final Path root = repositoryRoot();
    private final SwitchboardConfig config =
            new ConfigLoader(root).load(root.resolve("config/switchboard.sample.toml"), Map.of());

    @Test
    void theSampleUsesAnEmbeddedH2Store() {
        assertThat(config.store().url()).isEqualTo("jdbc:h2:file:./data/switchboard");
    }

    @Test
    void theSampleHasAStaticProviderNeedingNoNetwork() {
        ProviderConfig local = config.provider("local").orElseThrow();

        assertThat(local.kind()).isEqualTo(ProviderKind.STATIC);
        assertThat(local.staticModels()).contains("llama-3.1-8b-instruct", "qwen2.5-coder-7b");
    }

    @Test
    void theSampleRegistryPointsAtTheBundledDocument() {
        ProviderConfig registry = config.provider("acme-registry").orElseThrow();

        assertThat(registry.kind()).isEqualTo(ProviderKind.REGISTRY);
        assertThat(Path.of(registry.baseUrl())).isEqualTo(root.resolve("config/sample-registry.json"));
        assertThat(Path.of(registry.baseUrl())).isRegularFile();
    }

    @Test
    void theBundledRegistryDocumentHasTheOpenAiListShape() throws Exception {
        JsonNode document = new ObjectMapper().readTree(root.resolve("config/sample-registry.json").toFile());

        assertThat(document.path("object").asText()).isEqualTo("list");
        assertThat(document.path("data")).hasSizeGreaterThanOrEqualTo(5);
        document.path("data").forEach(model -> {
            assertThat(model.path("id").asText()).isNotEmpty();
            assertThat(model.path("context_length").asInt()).isPositive();
        });
    }

    @Test
    void theSampleShowsEveryDefaultOfTheCatalog() {
        assertThat(config.catalog()).isEqualTo(CatalogConfig.defaults());
        assertThat(config.server()).isEqualTo(ServerConfig.defaults());
        assertThat(config.events()).isEqualTo(EventsConfig.defaults());
    }

    /** Tests run in the module directory; the sample lives at the repository root above it. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("config/switchboard.sample.toml"))) return dir;
        }
        throw new IllegalStateException("config/switchboard.sample.toml not found above " + Path.of("").toAbsolutePath());
    }
}
