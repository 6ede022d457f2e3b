package dev.switchboard.provider;

import dev.switchboard.config.ProviderKind;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.config.ProviderConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ModelFilterTest {

    private static ModelFilter filter(List<String> allowed, List<String> denied) {
        return new ModelFilter(allowed, denied);
    }

    @Test
    void noGlobsAcceptEverything() {
        assertThat(filter(List.of(), List.of()).accepts("anything/at:all")).isTrue();
    }

    @Test
    void allowedGlobsKeepOnlyWhatMatches() {
        var filter = filter(List.of("gpt-5*", "o3"), List.of());

        assertThat(filter.accepts("gpt-5")).isTrue();
        assertThat(filter.accepts("gpt-5-mini")).isTrue();
        assertThat(filter.accepts("o3")).isTrue();
        assertThat(filter.accepts("o3-mini")).isFalse();
        assertThat(filter.accepts("gpt-4o")).isFalse();
    }

    @Test
    void deniedWinsOverAllowed() {
        var filter = filter(List.of("gpt-*"), List.of("*-preview", "gpt-4*"));

        assertThat(filter.accepts("gpt-5")).isTrue();
        assertThat(filter.accepts("gpt-5-preview")).isFalse();
        assertThat(filter.accepts("gpt-4o")).isFalse();
    }

    @Test
    void starCrossesSlashesAndQuestionMarkIsOneCharacter() {
        assertThat(filter(List.of("meta-llama/*"), List.of()).accepts("meta-llama/Llama-3/8B")).isTrue();
        assertThat(filter(List.of("*"), List.of()).accepts("a/b/c")).isTrue();
        assertThat(filter(List.of("o?"), List.of()).accepts("o3")).isTrue();
        assertThat(filter(List.of("o?"), List.of()).accepts("o")).isFalse();
        assertThat(filter(List.of("o?"), List.of()).accepts("o3x")).isFalse();
    }

    @Test
    void matchingIsCaseSensitiveAndWhole() {
        var filter = filter(List.of("Llama*"), List.of());

        assertThat(filter.accepts("Llama-3")).isTrue();
        assertThat(filter.accepts("llama-3")).isFalse();
        assertThat(filter.accepts("my-Llama-3")).isFalse();
    }

    @Test
    void regexCharactersInGlobsAreLiteral() {
        var filter = filter(List.of("qwen2.5:7b", "a+b", "[x]"), List.of());

        assertThat(filter.accepts("qwen2.5:7b")).isTrue();
        assertThat(filter.accepts("qwen2x5:7b")).isFalse();
        assertThat(filter.accepts("a+b")).isTrue();
        assertThat(filter.accepts("aab")).isFalse();
        assertThat(filter.accepts("[x]")).isTrue();
    }

    @Test
    void appliesTheProvidersListsInOrder() {
        var provider = ProviderConfig.of("openai", ProviderKind.OPENAI, URI.create("https://api.openai.com/v1"))
                .withFilters(List.of("gpt-*", "o*"), List.of("*-audio-*"));
        var models = List.of(model("o3"), model("gpt-4o-audio-preview"), model("dall-e-3"), model("gpt-5"));

        assertThat(ModelFilter.of(provider).apply(models)).extracting(Model::id).containsExactly("o3", "gpt-5");
    }

    private static Model model(String id) {
        return new Model(id, 0, "", JsonNodeFactory.instance.objectNode());
    }
}
