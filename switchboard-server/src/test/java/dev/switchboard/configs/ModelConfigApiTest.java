package dev.switchboard.configs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/** DESIGN §2/§4: model configurations with versions, validation, history and rollback, over real HTTP. */
class ModelConfigApiTest {
    static final String PLANNER = """
            {"alias":"planner","provider":"openai","model":"gpt-5","params":{"temperature":0.2,"max_tokens":4096,"api_key":"sk-secret-123456","auth":{"client_secret":"cs-1"}},
             "fallbacks":["anthropic/claude-sonnet-4"],"description":"plans","labels":{"team":"agents"}}""";

    @TempDir
    Path dir;
    FakeUpstream openai;
    FakeUpstream anthropic;
    Switchboard switchboard;
    TestHttp http;

    @BeforeEach
    void start() throws Exception {
        openai = FakeUpstream.start();
        anthropic = FakeUpstream.start();
        openai.onJson("/v1/models", openAiList("gpt-5", "gpt-5-mini"));
        anthropic.onJson("/v1/models", openAiList("claude-sonnet-4", "claude-opus-4"));
        switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of(
                TestConfigs.openai("openai", openai.uri("/v1")), TestConfigs.openai("anthropic", anthropic.uri("/v1"))))).serve();
        http = new TestHttp(switchboard.port());
        http.post("/api/v1/providers:refresh");
    }

    @AfterEach
    void stop() {
        http.close();
        switchboard.close();
        openai.close();
        anthropic.close();
    }

    private TestHttp.Response createPlanner() {
        TestHttp.Response created = http.json("POST", "/api/v1/model-configs", PLANNER);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created;
    }

    @Test
    void createThenGetWithVersionOneAndItsETag() {
        TestHttp.Response created = createPlanner();
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat(created.header("Location")).isEqualTo("/api/v1/model-configs/planner");
        JsonNode got = http.get("/api/v1/model-configs/planner").json();
        assertThat(got.path("version").asLong()).isEqualTo(1);
        assertThat(got.path("target").asText()).isEqualTo("openai/gpt-5");
        assertThat(got.path("target_status").asText()).isEqualTo("ok");
        assertThat(got.path("params").path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(got.path("labels").path("team").asText()).isEqualTo("agents");
        assertThat(got.path("updated_by").asText()).isNotBlank();
        assertThat(http.get("/api/v1/model-configs").json().path("data")).hasSize(1);
    }

    @Test
    void anUnknownAliasIsNotConfiguredSoAClientCanWaitForIt() {
        TestHttp.Response missing = http.get("/api/v1/model-configs/planner");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error").path("type").asText()).isEqualTo("not_configured");
    }

    @Test
    void everyUpdateAdvancesTheVersionAndAStaleIfMatchIs412WithTheCurrentVersion() {
        createPlanner();
        TestHttp.Response updated = http.json("PATCH", "/api/v1/model-configs/planner", "{\"model\":\"gpt-5-mini\"}", "If-Match", "\"1\"");
        assertThat(updated.status()).as(updated.text()).isEqualTo(200);
        assertThat(updated.json().path("version").asLong()).isEqualTo(2);
        assertThat(updated.json().path("params").path("temperature").asDouble()).isEqualTo(0.2);
        TestHttp.Response stale = http.json("PATCH", "/api/v1/model-configs/planner", "{\"model\":\"gpt-5\"}", "If-Match", "\"1\"");
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.json().path("error").path("details").path("current_version").asLong()).isEqualTo(2);
        assertThat(http.get("/api/v1/model-configs/planner").json().path("model").asText()).isEqualTo("gpt-5-mini");
    }

    @Test
    void twoConcurrentEditorsWithIfMatchExactlyOneWinsAndNoVersionIsLostOrDuplicated() {
        createPlanner();
        for (int round = 1; round <= 5; round++) {
            long version = round;
            List<CompletableFuture<TestHttp.Response>> editors = IntStream.range(0, 2).mapToObj(i ->
                    http.jsonAsync("PATCH", "/api/v1/model-configs/planner",
                            "{\"description\":\"editor " + i + " round " + version + "\"}", "If-Match", "\"" + version + "\"")).toList();
            List<Integer> statuses = editors.stream().map(f -> f.join().status()).sorted().toList();
            assertThat(statuses).containsExactly(200, 412);
            assertThat(http.get("/api/v1/model-configs/planner").json().path("version").asLong()).isEqualTo(version + 1);
        }
        JsonNode history = http.get("/api/v1/model-configs/planner/history").json().path("data");
        assertThat(history.findValuesAsText("version")).containsExactly("1", "2", "3", "4", "5", "6");
    }

    @Test
    void putCreatesOrReplacesAndAnIdenticalPutIsNotANewVersion() {
        String body = "{\"provider\":\"anthropic\",\"model\":\"claude-opus-4\"}";
        TestHttp.Response created = http.json("PUT", "/api/v1/model-configs/coder", body);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        long revision = switchboard.bus().revision();
        TestHttp.Response same = http.json("PUT", "/api/v1/model-configs/coder", body);
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.json().path("version").asLong()).isEqualTo(1);
        assertThat(switchboard.bus().revision()).isEqualTo(revision);
        assertThat(http.json("PUT", "/api/v1/model-configs/fresh", body, "If-Match", "\"3\"").status()).isEqualTo(412);
    }

    @Test
    void historyKeepsEveryVersionAndRollbackCreatesANewVersionEqualToTheOldOne() {
        createPlanner();
        http.json("PATCH", "/api/v1/model-configs/planner", "{\"model\":\"gpt-5-mini\",\"params\":{\"temperature\":null}}");
        TestHttp.Response rolled = http.json("POST", "/api/v1/model-configs/planner:rollback", "{\"version\":1}");
        assertThat(rolled.status()).as(rolled.text()).isEqualTo(200);
        assertThat(rolled.json().path("version").asLong()).isEqualTo(3);
        assertThat(rolled.json().path("model").asText()).isEqualTo("gpt-5");
        assertThat(rolled.json().path("params").path("temperature").asDouble()).isEqualTo(0.2);
        JsonNode history = http.get("/api/v1/model-configs/planner/history").json().path("data");
        assertThat(history.findValuesAsText("change")).containsExactly("created", "updated", "rolled_back");
        assertThat(history.get(1).path("config").path("params").has("temperature")).isFalse();
        assertThat(http.json("POST", "/api/v1/model-configs/planner:rollback", "{\"version\":9}").status()).isEqualTo(404);
        assertThat(http.json("POST", "/api/v1/model-configs/planner:rollback", "{\"version\":\"x\"}").status()).isEqualTo(400);
        assertThat(http.json("POST", "/api/v1/model-configs/planner:undo", "{}").status()).isEqualTo(400);
    }

    @Test
    void deleteRemovesItKeepsHistoryAndARecreatedAliasContinuesItsVersions() {
        createPlanner();
        assertThat(http.send("DELETE", "/api/v1/model-configs/planner", "", "If-Match", "\"7\"").status()).isEqualTo(412);
        assertThat(http.send("DELETE", "/api/v1/model-configs/planner", "").status()).isEqualTo(204);
        assertThat(http.get("/api/v1/model-configs/planner").status()).isEqualTo(404);
        assertThat(http.send("DELETE", "/api/v1/model-configs/planner", "").status()).isEqualTo(404);
        TestHttp.Response again = createPlanner();
        assertThat(again.json().path("version").asLong()).isEqualTo(3);
        assertThat(http.get("/api/v1/model-configs/planner/history").json().path("data").findValuesAsText("change"))
                .containsExactly("created", "deleted", "created");
    }

    @Test
    void aliasesAppearInTheModelListAndResolveById() {
        createPlanner();
        JsonNode list = http.get("/v1/models").json().path("data");
        JsonNode alias = null;
        for (JsonNode entry : list) if (entry.path("id").asText().equals("planner")) alias = entry;
        assertThat(alias).isNotNull();
        assertThat(alias.path("switchboard").path("kind").asText()).isEqualTo("alias");
        assertThat(alias.path("switchboard").path("target").asText()).isEqualTo("openai/gpt-5");
        assertThat(http.get("/v1/models?kind=alias").json().path("data")).hasSize(1);
        assertThat(http.get("/v1/models?kind=model").json().path("data")).hasSize(4);
        JsonNode one = http.get("/v1/models/planner").json();
        assertThat(one.path("switchboard").path("target").asText()).isEqualTo("openai/gpt-5");
        assertThat(http.get("/v1/models/nobody").status()).isEqualTo(404);
    }

    @Test
    void whenTheTargetModelDisappearsTheConfigIsFlaggedAndAnEventSaysSo() {
        createPlanner();
        openai.onJson("/v1/models", openAiList("gpt-5-mini", "o3"));
        http.post("/api/v1/providers/openai:refresh");
        JsonNode flagged = http.get("/api/v1/model-configs/planner").json();
        assertThat(flagged.path("target_status").asText()).isEqualTo("missing");
        assertThat(flagged.path("version").asLong()).isEqualTo(1);
        String event = switchboard.store().withHandle(h -> h.createQuery(
                "SELECT data FROM event_log WHERE type = 'model_config.updated' ORDER BY revision DESC LIMIT 1").mapTo(String.class).one());
        assertThat(event).contains("\"changed\":[\"target_status\"]").contains("\"target_status\":\"missing\"");
        assertThat(event).doesNotContain("sk-secret-123456").contains("\"api_key\":\"***\"")
                .doesNotContain("cs-1").contains("\"client_secret\":\"***\"")
                .contains("\"max_tokens\":4096"); // a name that merely contains "token" is not a secret
        for (JsonNode entry : http.get("/v1/models?kind=alias").json().path("data")) {
            assertThat(entry.path("switchboard").path("target_status").asText()).isEqualTo("missing");
        }
        openai.onJson("/v1/models", openAiList("gpt-5", "gpt-5-mini", "o3"));
        http.post("/api/v1/providers/openai:refresh");
        assertThat(http.get("/api/v1/model-configs/planner").json().path("target_status").asText()).isEqualTo("ok");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bad alias            | POST  | /api/v1/model-configs           | {"alias":"Bad Alias!","provider":"openai","model":"gpt-5"}        | 400 | alias
            missing alias        | POST  | /api/v1/model-configs           | {"provider":"openai","model":"gpt-5"}                             | 400 | alias
            missing model        | PUT   | /api/v1/model-configs/planner   | {"provider":"openai"}                                             | 400 | model
            missing provider     | PUT   | /api/v1/model-configs/planner   | {"model":"gpt-5"}                                                 | 400 | provider
            wrong type provider  | PUT   | /api/v1/model-configs/planner   | {"provider":7,"model":"gpt-5"}                                    | 400 | provider
            params not an object | PUT   | /api/v1/model-configs/planner   | {"provider":"openai","model":"gpt-5","params":[1]}                | 400 | params
            fallbacks not list   | PUT   | /api/v1/model-configs/planner   | {"provider":"openai","model":"gpt-5","fallbacks":"x"}             | 400 | fallbacks
            labels not strings   | PUT   | /api/v1/model-configs/planner   | {"provider":"openai","model":"gpt-5","labels":{"a":1}}            | 400 | labels.a
            unknown field        | PUT   | /api/v1/model-configs/planner   | {"provider":"openai","model":"gpt-5","temprature":1}              | 400 | temprature
            alias mismatch       | PUT   | /api/v1/model-configs/planner   | {"alias":"other","provider":"openai","model":"gpt-5"}             | 400 | alias
            malformed JSON       | PUT   | /api/v1/model-configs/planner   | {"provider": "openai",                                            | 400 | malformed JSON
            not an object        | PUT   | /api/v1/model-configs/planner   | [1,2]                                                             | 400 | JSON object
            unknown provider     | PUT   | /api/v1/model-configs/planner   | {"provider":"nope","model":"gpt-5"}                               | 422 | provider
            unknown model        | PUT   | /api/v1/model-configs/planner   | {"provider":"openai","model":"gpt-9"}                             | 422 | model
            unknown fallback     | PUT   | /api/v1/model-configs/planner   | {"provider":"openai","model":"gpt-5","fallbacks":["ghost"]}       | 422 | fallbacks
            fallback to self     | PUT   | /api/v1/model-configs/planner   | {"provider":"openai","model":"gpt-5","fallbacks":["planner"]}     | 422 | fallbacks
            fallback bad model   | PUT   | /api/v1/model-configs/planner   | {"provider":"openai","model":"gpt-5","fallbacks":["openai/nah"]}  | 422 | fallbacks
            """)
    void invalidInputAnswersTheRightStatusNamesTheFieldAndChangesNothing(String name, String method, String path, String body,
                                                                          int status, String field) {
        createPlanner();
        long revision = switchboard.bus().revision();
        TestHttp.Response response = http.json(method, path, body);
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.json().path("error").toString()).contains(field);
        assertThat(switchboard.bus().revision()).isEqualTo(revision);
        JsonNode planner = http.get("/api/v1/model-configs/planner").json();
        assertThat(planner.path("version").asLong()).isEqualTo(1);
        assertThat(planner.path("model").asText()).isEqualTo("gpt-5");
    }

    @Test
    void aFallbackCycleThroughAnotherAliasIsRefused() {
        createPlanner();
        assertThat(http.json("PUT", "/api/v1/model-configs/coder",
                "{\"provider\":\"openai\",\"model\":\"gpt-5\",\"fallbacks\":[\"planner\"]}").status()).isEqualTo(201);
        TestHttp.Response cycle = http.json("PATCH", "/api/v1/model-configs/planner", "{\"fallbacks\":[\"coder\"]}");
        assertThat(cycle.status()).isEqualTo(422);
        assertThat(cycle.json().path("error").path("details").path("fields").path("fallbacks").asText())
                .contains("planner -> coder -> planner");
    }

    @Test
    void validateFalseSavesAModelTheCatalogDoesNotList() {
        TestHttp.Response saved = http.json("PUT", "/api/v1/model-configs/future?validate=false", "{\"provider\":\"openai\",\"model\":\"gpt-9\"}");
        assertThat(saved.status()).as(saved.text()).isEqualTo(201);
        assertThat(saved.json().path("target_status").asText()).isEqualTo("missing");
    }

    @Test
    void aProviderInErrorStillValidatesAgainstItsLastKnownGoodList() {
        openai.on("/v1/models", request -> FakeUpstream.Reply.json(500, "{}"));
        http.post("/api/v1/providers/openai:refresh");
        assertThat(http.get("/api/v1/providers/openai").json().path("status").asText()).isEqualTo("error");
        assertThat(createPlanner().json().path("target_status").asText()).isEqualTo("ok");
    }

    @Test
    void aBodyOverTheSizeLimitIs413() {
        String huge = "{\"provider\":\"openai\",\"model\":\"gpt-5\",\"description\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        TestHttp.Response response = http.json("PUT", "/api/v1/model-configs/planner", huge);
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().path("error").path("type").asText()).isEqualTo("payload_too_large");
        assertThat(http.get("/api/v1/model-configs/planner").status()).isEqualTo(404);
    }
}
