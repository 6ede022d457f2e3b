package dev.switchboard.provider;

import dev.switchboard.config.ProviderKind;
import dev.switchboard.config.ProviderConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryDialectTest extends DialectTestSupport {
    private final RegistryDialect dialect = new RegistryDialect();

    @Test
    void readsTheOpenAiListShapeAtTheBaseUrlItself() throws Exception {
        upstream.onJson("/catalog/models.json", """
                {"object":"list","data":[{"id":"planner-large","owned_by":"platform-team","tier":"gold"}]}""");

        var models = dialect.listModels(provider(ProviderKind.REGISTRY, "/catalog/models.json"), client);

        assertThat(models).containsExactly(new Model("planner-large", 0, "platform-team", json("{\"tier\":\"gold\"}")));
        assertThat(upstream.lastRequest("/catalog/models.json").header("Authorization")).contains("Bearer " + KEY);
    }

    @Test
    void readsAPlainArrayOfIdsAndObjects() throws Exception {
        upstream.onJson("/registry", "[\"gpt-5\", {\"id\":\"claude-x\",\"context\":200000}, \"gpt-5\"]");

        var models = dialect.listModels(provider(ProviderKind.REGISTRY, "/registry"), client);

        assertThat(ids(models)).containsExactly("gpt-5", "claude-x");
        assertThat(models.get(1).metadata()).isEqualTo(json("{\"context\":200000}"));
    }

    @Test
    void readsABundledFileWithoutNetwork(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("registry.json"), "{\"data\":[\"local-a\",\"local-b\"]}");
        var provider = ProviderConfig.of("bundled", ProviderKind.REGISTRY, file.toUri());

        assertThat(ids(dialect.listModels(provider, client))).containsExactly("local-a", "local-b");
    }

    @Test
    void itemThatIsNeitherIdNorObjectIsMalformed() {
        upstream.onJson("/registry", "[\"a\", 42]");
        upstream.onJson("/blank", "{\"data\":[\"\"]}");

        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.REGISTRY, "/registry"), client))
                .hasMessage("malformed response: expected [1] to be a model id or an object, got a number");
        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.REGISTRY, "/blank"), client))
                .hasMessage("malformed response: data[0] is a blank model id");
    }
}
