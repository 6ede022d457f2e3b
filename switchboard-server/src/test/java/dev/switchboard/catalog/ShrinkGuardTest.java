package dev.switchboard.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/** DESIGN §3 shrink guard: a big drop is held as suspect until confirmed, or applied at once with force. */
class ShrinkGuardTest {
    @TempDir
    Path dir;
    FakeUpstream upstream;
    Switchboard switchboard;
    TestHttp http;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start();
        upstream.onJson("/v1/models", openAiList("m1", "m2", "m3", "m4"));
        switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of(TestConfigs.openai("p", upstream.uri("/v1"))))).serve();
        http = new TestHttp(switchboard.port());
        http.post("/api/v1/providers:refresh");
    }

    @AfterEach
    void stop() {
        http.close();
        switchboard.close();
        upstream.close();
    }

    @Test
    void anAnswerDroppingMoreThanHalfIsHeldAsSuspectAndTheModelsStay() {
        upstream.onJson("/v1/models", openAiList("m1"));
        JsonNode result = http.post("/api/v1/providers:refresh").json();
        assertThat(result.path("suspect")).hasSize(1);
        assertThat(result.path("suspect").get(0).path("answer_count").asInt()).isEqualTo(1);
        assertThat(result.path("changed")).isEmpty();
        JsonNode provider = http.get("/api/v1/providers/p").json();
        assertThat(provider.path("status").asText()).isEqualTo("suspect");
        assertThat(provider.path("model_count").asInt()).isEqualTo(4);
        assertThat(http.get("/v1/models").json().findValuesAsText("id")).hasSize(4);
    }

    @Test
    void anEmptyAnswerWhereThereWereModelsIsHeld() {
        upstream.onJson("/v1/models", openAiList());
        assertThat(http.post("/api/v1/providers:refresh").json().path("suspect")).hasSize(1);
        assertThat(http.get("/api/v1/providers/p").json().path("model_count").asInt()).isEqualTo(4);
    }

    @Test
    void twoEmptyAnswersInARowConfirmAndEmptyTheProvider() {
        upstream.onJson("/v1/models", openAiList());
        assertThat(http.post("/api/v1/providers:refresh").json().path("suspect")).hasSize(1);

        JsonNode confirmed = http.post("/api/v1/providers:refresh").json();

        assertThat(confirmed.path("suspect")).as(confirmed.toString()).isEmpty();
        assertThat(confirmed.path("changed").get(0).path("removed")).hasSize(4);
        JsonNode provider = http.get("/api/v1/providers/p").json();
        assertThat(provider.path("status").asText()).isEqualTo("ok");
        assertThat(provider.path("model_count").asInt()).isZero();
        assertThat(http.get("/v1/models").json().findValuesAsText("id")).isEmpty();
    }

    @Test
    void anEmptyAnswerAfterAHeldNonEmptyOneIsHeldAgain() {
        upstream.onJson("/v1/models", openAiList("m1"));
        http.post("/api/v1/providers:refresh");
        upstream.onJson("/v1/models", openAiList());

        assertThat(http.post("/api/v1/providers:refresh").json().path("suspect")).hasSize(1);
        assertThat(http.get("/api/v1/providers/p").json().path("model_count").asInt()).isEqualTo(4);
    }

    @Test
    void theNextFetchWithTheSameAnswerConfirmsAndAppliesIt() {
        upstream.onJson("/v1/models", openAiList("m1"));
        http.post("/api/v1/providers:refresh");
        JsonNode confirmed = http.post("/api/v1/providers:refresh").json();
        assertThat(confirmed.path("changed").get(0).path("removed").toString()).contains("m2", "m3", "m4");
        assertThat(http.get("/api/v1/providers/p").json().path("status").asText()).isEqualTo("ok");
        assertThat(http.get("/v1/models").json().findValuesAsText("id")).containsExactly("p/m1");
    }

    @Test
    void aForcedRefreshAppliesTheShrinkAtOnce() {
        upstream.onJson("/v1/models", openAiList("m1"));
        JsonNode forced = http.post("/api/v1/providers/p:refresh?force=true").json();
        assertThat(forced.path("suspect")).isEmpty();
        assertThat(forced.path("changed").get(0).path("removed")).hasSize(3);
        assertThat(http.get("/v1/models").json().findValuesAsText("id")).containsExactly("p/m1");
    }

    @Test
    void aDropWithinTheGuardIsAppliedNormally() {
        upstream.onJson("/v1/models", openAiList("m1", "m2", "m3"));
        JsonNode result = http.post("/api/v1/providers:refresh").json();
        assertThat(result.path("changed").get(0).path("removed").toString()).contains("m4");
        assertThat(result.path("suspect")).isEmpty();
    }
}
