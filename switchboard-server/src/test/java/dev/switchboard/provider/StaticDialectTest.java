package dev.switchboard.provider;

import dev.switchboard.metadata.ModelFacts;
import dev.switchboard.config.ProviderKind;
import dev.switchboard.config.ProviderConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StaticDialectTest {
    private final StaticDialect dialect = new StaticDialect();
    private final UpstreamClient noNetwork = (uri, headers) -> {
        throw new AssertionError("a static provider must not fetch " + uri);
    };

    @Test
    void listsTheConfiguredModelsWithoutFetching() throws Exception {
        var provider = ProviderConfig.of("fixed", ProviderKind.STATIC, null)
                .withStaticModels(List.of("model-a", "model-b", "model-a"));

        var models = dialect.listModels(provider, noNetwork);

        assertThat(models).extracting(Model::id).containsExactly("model-a", "model-b");
        assertThat(models).allSatisfy(model -> assertThat(model.metadata().isEmpty()).isTrue());
    }

    @Test
    void blankIdIsRefused() {
        var provider = ProviderConfig.of("fixed", ProviderKind.STATIC, null).withStaticModels(List.of("a", " "));

        assertThatThrownBy(() -> dialect.listModels(provider, noNetwork)).hasMessage("static_models[1] is blank");
    }

    @Test
    void noUpstreamFacts() throws Exception {
        var provider = ProviderConfig.of("fixed", ProviderKind.STATIC, null).withStaticModels(List.of("model-a"));

        assertThat(dialect.facts(dialect.listModels(provider, noNetwork).getFirst())).isEqualTo(ModelFacts.EMPTY);
    }
}
