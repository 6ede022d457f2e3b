package dev.switchboard.provider;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.metadata.MetadataField;
import dev.switchboard.metadata.ModelFacts;
import dev.switchboard.metadata.ResolvedMetadata;
import dev.switchboard.metadata.SourcedFacts;
import dev.switchboard.store.JsonMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The normalised record is derived: the store keeps only what the upstream said. */
class ModelJsonTest {
    private final ObjectMapper mapper = JsonMapper.create();

    @Test
    void theNormalisedRecordIsNeitherWrittenNorRead() throws Exception {
        var metadata = JsonNodeFactory.instance.objectNode().put("context_length", 8192);
        var resolved = ResolvedMetadata.resolve(List.of(new SourcedFacts(SourcedFacts.UPSTREAM,
                ModelFacts.builder().put(MetadataField.CONTEXT_WINDOW, 8192).build())));
        Model model = new Model("m", 7, "acme", metadata).withNormalized(resolved);

        String json = mapper.writeValueAsString(List.of(model));
        List<Model> read = mapper.readValue(json, new TypeReference<>() {
        });

        assertThat(json).doesNotContain("normalized").contains("\"context_length\":8192");
        assertThat(read).containsExactly(new Model("m", 7, "acme", metadata));
        assertThat(read.getFirst().normalized()).isEqualTo(ResolvedMetadata.EMPTY);
        assertThat(read.getFirst().sameUpstreamAnswer(model)).isTrue();
    }
}
