package dev.switchboard.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Switchboard;
import dev.switchboard.TestHttp;
import dev.switchboard.store.JsonMapper;

import java.io.UncheckedIOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the metadata tests read back: a model's {@code switchboard} object, and the catalog changes in the store. */
final class MetadataReads {
    private static final ObjectMapper MAPPER = JsonMapper.create();

    private MetadataReads() {
    }

    /** {@code GET /v1/models/{id}}'s {@code switchboard} object; the answer must be a 200. */
    static JsonNode entry(TestHttp http, String id) {
        TestHttp.Response answer = http.get("/v1/models/" + id);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.json().path("switchboard");
    }

    /** The first provider diff of each {@code model_catalog.changed} event after {@code revision}, in order. */
    static List<JsonNode> catalogChangesAfter(Switchboard switchboard, long revision) {
        return switchboard.store().withHandle(handle -> handle.createQuery(
                        "SELECT data FROM event_log WHERE type = 'model_catalog.changed' AND revision > :revision ORDER BY revision")
                .bind("revision", revision).mapTo(String.class).list()).stream()
                .map(data -> {
                    try {
                        return MAPPER.readTree(data).path("changed").get(0);
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new UncheckedIOException(e);
                    }
                }).toList();
    }
}
