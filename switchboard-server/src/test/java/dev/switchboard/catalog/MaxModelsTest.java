package dev.switchboard.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import dev.switchboard.config.ProviderKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** DESIGN §3 "Bounded": max_models is enforced while the pages arrive, not once they are all in memory. */
class MaxModelsTest {
    private static final int CAP = 3;
    private static final int PAGES = 5;

    @TempDir
    Path dir;
    FakeUpstream upstream;
    Switchboard switchboard;
    TestHttp http;

    /** An Anthropic listing of {@link #PAGES} pages of two models each: m1 m2, m3 m4, … */
    @BeforeEach
    void startUpstream() throws Exception {
        upstream = FakeUpstream.start();
        upstream.on("/v1/models", request -> {
            String after = request.query().get("after_id");
            int page = after == null ? 0 : Integer.parseInt(after.substring(1)) / 2;
            int first = 2 * page + 1;
            boolean more = page + 1 < PAGES;
            return Reply.json("{\"data\":[{\"id\":\"m" + first + "\"},{\"id\":\"m" + (first + 1) + "\"}],\"has_more\":" + more
                    + ",\"last_id\":\"m" + (first + 1) + "\"}");
        });
    }

    private void serve(ProviderConfig provider) {
        SwitchboardConfig config = TestConfigs.embedded(dir, List.of(provider));
        switchboard = Switchboard.open(config.withCatalog(config.catalog().withMaxModels(CAP))).serve();
        http = new TestHttp(switchboard.port());
    }

    @AfterEach
    void stop() {
        if (http != null) http.close();
        if (switchboard != null) switchboard.close();
        upstream.close();
    }

    @Test
    void aListingStopsAtThePageThatGoesOverTheCapAndFailsWithTheReason() {
        serve(ProviderConfig.of("a", ProviderKind.ANTHROPIC, upstream.baseUri()));

        JsonNode result = http.post("/api/v1/providers:refresh").json();

        assertThat(result.path("failed").get(0).path("reason").asText())
                .isEqualTo("upstream listed more than 3 models, over the max_models cap; the rest was not read");
        assertThat(upstream.requestCount("/v1/models")).isEqualTo(2);
        assertThat(http.get("/api/v1/providers/a").json().path("status").asText()).isEqualTo("error");
    }

    @Test
    void modelsTheFiltersDropDoNotCount() {
        serve(ProviderConfig.of("a", ProviderKind.ANTHROPIC, upstream.baseUri()).withFilters(List.of("m1", "m2", "m9"), List.of()));

        JsonNode result = http.post("/api/v1/providers:refresh").json();

        assertThat(result.path("failed")).as(result.toString()).isEmpty();
        assertThat(result.path("changed").get(0).path("added")).hasSize(3);
        assertThat(upstream.requestCount("/v1/models")).isEqualTo(PAGES);
    }
}
