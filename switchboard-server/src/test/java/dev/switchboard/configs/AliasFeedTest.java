package dev.switchboard.configs;

import dev.switchboard.SseClient;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 4: a subscriber filtered to one alias receives exactly that alias's events, in version order. */
class AliasFeedTest {
    @TempDir
    Path dir;

    @Test
    void aSubscriberFilteredToPlannerGetsExactlyPlannersEventsInVersionOrder() {
        var config = TestConfigs.embedded(dir, List.of(ProviderConfig.of("local", ProviderKind.STATIC, null)
                .withStaticModels(List.of("small", "large"))));
        try (Switchboard switchboard = Switchboard.open(config).serve(); TestHttp http = new TestHttp(switchboard.port())) {
            http.post("/api/v1/providers:refresh");
            try (SseClient planner = SseClient.connect(switchboard.port(), "/api/v1/events?aliases=planner&since=" + switchboard.bus().revision())) {
                String small = "{\"provider\":\"local\",\"model\":\"small\"}";
                String large = "{\"provider\":\"local\",\"model\":\"large\"}";
                assertThat(http.json("PUT", "/api/v1/model-configs/planner", small).status()).isEqualTo(201);
                assertThat(http.json("PUT", "/api/v1/model-configs/coder", small).status()).isEqualTo(201);
                assertThat(http.json("PUT", "/api/v1/model-configs/planner", large).status()).isEqualTo(200);
                assertThat(http.json("PUT", "/api/v1/model-configs/coder", large).status()).isEqualTo(200);
                assertThat(http.json("PATCH", "/api/v1/model-configs/planner", "{\"description\":\"x\"}").status()).isEqualTo(200);
                assertThat(http.send("DELETE", "/api/v1/model-configs/coder", "").status()).isEqualTo(204);
                assertThat(http.send("DELETE", "/api/v1/model-configs/planner", "").status()).isEqualTo(204);

                List<SseClient.Event> events = planner.next(4);
                assertThat(events).extracting(SseClient.Event::type).containsExactly(
                        "model_config.created", "model_config.updated", "model_config.updated", "model_config.deleted");
                assertThat(events).extracting(e -> e.json().path("data").path("alias").asText()).containsOnly("planner");
                assertThat(events).extracting(e -> e.json().path("data").path("version").asLong()).containsExactly(1L, 2L, 3L, 4L);
                assertThat(events.get(1).json().path("data").path("changed").toString()).contains("model");
                assertThat(planner.pending()).isEmpty();
            }
        }
    }
}
