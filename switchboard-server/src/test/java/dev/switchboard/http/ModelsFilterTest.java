package dev.switchboard.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Problem;
import dev.switchboard.metadata.ModelFacts;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing, normalising and matching of the {@code /v1/models} filters. */
class ModelsFilterTest {
    private static ModelsFilter parse(Map<String, List<String>> params) {
        return ModelsFilter.parse(name -> params.getOrDefault(name, List.of()));
    }

    private static ModelFacts facts(String json) throws Exception {
        return ModelFacts.parse(new ObjectMapper().readTree(json), "test");
    }

    @Test
    void equivalentQueriesNormaliseToOneKeyAndHash() {
        ModelsFilter a = ModelsFilter.fromQuery("capability=vision,tool_call&max_input_price=2.50&min_context=0128000");
        ModelsFilter b = ModelsFilter.fromQuery("min_context=128000&capability=tool_call&capability=vision,tool_call&max_input_price=2.5");
        assertThat(a).isNotNull().isEqualTo(b);
        assertThat(a.key()).isEqualTo("capability=tool_call,vision&min_context=128000&max_input_price=2.5");
        assertThat(a.hash()).isEqualTo(b.hash()).hasSize(8);
        assertThat(ModelsFilter.fromQuery("max_input_price=10.0").key()).isEqualTo("max_input_price=10");
        assertThat(ModelsFilter.fromQuery("provider=b,a%2Cc").key()).isEqualTo("provider=a,b,c");
        assertThat(ModelsFilter.fromQuery("kind=alias,model").isEmpty()).as("both kinds: no filter").isTrue();
        assertThat(ModelsFilter.fromQuery("capability=").isEmpty()).isTrue();
        assertThat(ModelsFilter.fromQuery("").hash()).as("the full list's ETag has no filter hash").isEmpty();
        assertThat(ModelsFilter.fromQuery("capability=vision").hash()).isNotEqualTo(ModelsFilter.fromQuery("input_modality=image").hash());
    }

    @Test
    void theHotPathLeavesOtherParametersAndBadValuesToTheRouter() {
        assertThat(ModelsFilter.fromQuery("min_revision=3")).isNull();
        assertThat(ModelsFilter.fromQuery("provider=a&access_token=x")).isNull();
        assertThat(ModelsFilter.fromQuery("capability=teleport")).isNull();
        assertThat(ModelsFilter.fromQuery("min_context")).isNull();
        assertThat(ModelsFilter.fromQuery("provider=%zz")).isNull();
    }

    @Test
    void badValuesAreClearErrorsNamingWhatIsAllowed() {
        assertThatThrownBy(() -> parse(Map.of("capability", List.of("tool_call,teleport"))))
                .isInstanceOf(Problem.Invalid.class)
                .hasMessageContaining("capability").hasMessageContaining("teleport").hasMessageContaining("tool_call, reasoning");
        assertThatThrownBy(() -> parse(Map.of("input_modality", List.of("smell"))))
                .isInstanceOf(Problem.Invalid.class).hasMessageContaining("text, image, audio, video, file");
        assertThatThrownBy(() -> parse(Map.of("kind", List.of("banana")))).hasMessageContaining("kind").hasMessageContaining("model, alias");
        for (String bad : List.of("-1", "1.5", "lots", "1e6", "", "9999999999999999")) {
            assertThatThrownBy(() -> parse(Map.of("min_context", List.of(bad)))).as(bad)
                    .isInstanceOf(Problem.Invalid.class).hasMessageContaining("min_context must be a whole number");
        }
        for (String bad : List.of("-0.5", "cheap", "1e2", "NaN", "Infinity", ".5")) {
            assertThatThrownBy(() -> parse(Map.of("max_input_price", List.of(bad)))).as(bad)
                    .isInstanceOf(Problem.Invalid.class).hasMessageContaining("max_input_price must be a price");
        }
        assertThatThrownBy(() -> parse(Map.of("min_context", List.of("1", "2")))).hasMessageContaining("given once");
    }

    @Test
    void matchesNeedEveryNameAndAKnownValue() throws Exception {
        ModelFacts rich = facts("""
                {"context_window":200000,"capabilities":["tool_call","vision","reasoning"],"input_modalities":["text","image"],
                 "pricing":{"input":2.5,"output":10,"currency":"USD"}}""");
        ModelFacts bare = ModelFacts.EMPTY;
        ModelsFilter all = ModelsFilter.fromQuery("capability=vision,tool_call&input_modality=image&min_context=200000&max_input_price=2.5");
        assertThat(all.testsMetadata()).isTrue();
        assertThat(all.matches(rich)).isTrue();
        assertThat(all.matches(bare)).isFalse();
        assertThat(ModelsFilter.fromQuery("capability=vision,embeddings").matches(rich)).isFalse();
        assertThat(ModelsFilter.fromQuery("input_modality=audio").matches(rich)).isFalse();
        assertThat(ModelsFilter.fromQuery("min_context=200001").matches(rich)).isFalse();
        assertThat(ModelsFilter.fromQuery("min_context=0").matches(bare)).as("no context_window: no match").isFalse();
        assertThat(ModelsFilter.fromQuery("max_input_price=2.49").matches(rich)).isFalse();
        assertThat(ModelsFilter.fromQuery("max_input_price=100").matches(bare)).as("no pricing: no match").isFalse();
        assertThat(ModelsFilter.fromQuery("max_input_price=1").matches(facts("""
                {"pricing":{"output":0.1,"currency":"USD"}}"""))).as("no input price: no match").isFalse();
        ModelsFilter providers = ModelsFilter.fromQuery("provider=a&kind=alias");
        assertThat(providers.testsMetadata()).isFalse();
        assertThat(providers.allowsProvider("a")).isTrue();
        assertThat(providers.allowsProvider("b")).isFalse();
        assertThat(providers.allowsKind("model")).isFalse();
        assertThat(ModelsFilter.fromQuery("provider=").allowsProvider("a")).as("an empty provider list keeps nothing, as before").isFalse();
    }
}
