package dev.switchboard.provider;

import dev.switchboard.config.ProviderKind;
import dev.switchboard.config.ProviderConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProviderDialectsTest {
    private final ProviderDialects dialects = new ProviderDialects();

    @ParameterizedTest
    @EnumSource(ProviderKind.class)
    void everyKindHasItsDialect(ProviderKind kind) {
        assertThat(dialects.forKind(kind).kind()).isEqualTo(kind);
    }

    @Test
    void aDialectCanBeSwappedForATestDouble() {
        ProviderDialect fake = new ProviderDialect() {
            @Override
            public ProviderKind kind() {
                return ProviderKind.OPENAI;
            }

            @Override
            public List<Model> listModels(ProviderConfig provider, UpstreamClient upstream, int maxModels) {
                return List.of();
            }
        };

        var swapped = dialects.with(fake);

        assertThat(swapped.forKind(ProviderKind.OPENAI)).isSameAs(fake);
        assertThat(swapped.forKind(ProviderKind.ANTHROPIC)).isInstanceOf(AnthropicDialect.class);
        assertThat(dialects.forKind(ProviderKind.OPENAI)).isInstanceOf(OpenAiDialect.class);
    }

    @Test
    void twoDialectsForOneKindAreRefused() {
        assertThatThrownBy(() -> new ProviderDialects(List.of(new OpenAiDialect(), new OpenAiDialect())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("two dialects for kind openai");
    }

    @Test
    void aKindWithoutDialectIsNamed() {
        var onlyStatic = new ProviderDialects(List.of(new StaticDialect()));

        assertThatThrownBy(() -> onlyStatic.forKind(ProviderKind.GEMINI)).hasMessage("no dialect for kind gemini");
    }
}
