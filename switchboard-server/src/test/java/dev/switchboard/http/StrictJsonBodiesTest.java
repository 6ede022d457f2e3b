package dev.switchboard.http;

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
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9: every request body is read by one strict reader. Too deep, trailing content, out-of-range numbers
 * and unknown fields are a 400 that names the field, and nothing is committed.
 */
class StrictJsonBodiesTest {
    static final String ADMIN = "admin-key-for-tests-0123456789";
    @TempDir
    Path dir;
    FakeUpstream openai;
    Switchboard switchboard;
    TestHttp http;

    @BeforeEach
    void start() throws Exception {
        openai = FakeUpstream.start();
        openai.onJson("/v1/models", openAiList("gpt-5"));
        switchboard = Switchboard.open(TestConfigs.secured(dir, List.of(TestConfigs.openai("openai", openai.uri("/v1"))), ADMIN)).serve();
        http = new TestHttp(switchboard.port());
        http.post("/api/v1/providers:refresh", "Authorization", "Bearer " + ADMIN);
    }

    @AfterEach
    void stop() {
        http.close();
        switchboard.close();
        openai.close();
    }

    private TestHttp.Response send(String method, String path, String body) {
        return http.json(method, path, body, "Authorization", "Bearer " + ADMIN);
    }

    private TestHttp.Response get(String path) {
        return http.get(path, "Authorization", "Bearer " + ADMIN);
    }

    /** {@code {"a":{"a":…{}}}} with {@code levels} objects. */
    static String nested(int levels) {
        return "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
    }

    private static String config(String params) {
        return "{\"provider\":\"openai\",\"model\":\"gpt-5\",\"params\":" + params + "}";
    }

    private static void assertRefused(TestHttp.Response response, String field, String message) {
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        JsonNode error = response.json().path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request");
        assertThat(error.path("message").asText()).contains(message);
        assertThat(error.path("details").path("fields").path(field).asText()).as(response.text()).isNotEmpty();
    }

    @ParameterizedTest(name = "params nested {0} levels")
    @ValueSource(ints = {32, 996, 997, 998, 5000})
    void aBodyNestedDeeperThan32LevelsIsRefusedNamingTheFieldAndCommitsNothing(int levels) {
        long before = http.get("/healthz").revision();
        TestHttp.Response put = send("PUT", "/api/v1/model-configs/x", config(nested(levels)));
        assertRefused(put, "params", "params is nested deeper than 32 levels");
        assertThat(get("/api/v1/model-configs/x").status()).isEqualTo(404);
        assertThat(http.get("/healthz").revision()).isEqualTo(before);
        int events = switchboard.store().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM event_log WHERE data LIKE '%\"x\"%'")
                .mapTo(Integer.class).one());
        assertThat(events).isZero();
    }

    @Test
    void aBodyNestedExactly32LevelsIsAccepted() {
        // the body is level 1 and params level 2: params may hold 30 more levels
        TestHttp.Response put = send("PUT", "/api/v1/model-configs/x", config(nested(31)));
        assertThat(put.status()).as(put.text()).isEqualTo(201);
        assertThat(get("/api/v1/model-configs/x/history").status()).isEqualTo(200);
    }

    @Test
    void everyBodyHasTheSameDepthLimit() {
        assertRefused(send("POST", "/api/v1/providers", "{\"id\":\"p\",\"kind\":\"static\",\"models\":[\"m\"],\"headers\":" + nested(40) + "}"),
                "headers", "headers is nested deeper than 32 levels");
        assertRefused(send("POST", "/api/v1/keys", "{\"name\":\"n\",\"role\":\"reader\",\"labels\":" + nested(40) + "}"),
                "labels", "labels is nested deeper than 32 levels");
        assertRefused(send("POST", "/api/v1/auth/refresh", "{\"refresh_token\":" + nested(40) + "}"),
                "refresh_token", "refresh_token is nested deeper than 32 levels");
        assertRefused(send("POST", "/api/v1/model-configs/x:rollback", "[" + "[".repeat(40) + "]".repeat(40) + "]"),
                "body", "the body is nested deeper than 32 levels");
    }

    @Test
    void trailingContentAfterTheBodyIsRefused() {
        assertRefused(send("PUT", "/api/v1/model-configs/x", config("{}") + " garbage"), "body", "unexpected content after the JSON body");
        assertRefused(send("PUT", "/api/v1/model-configs/x", config("{}") + config("{}")), "body", "unexpected content after the JSON body");
        assertRefused(send("POST", "/api/v1/keys", "{\"name\":\"n\",\"role\":\"reader\"} {}"), "body", "unexpected content after the JSON body");
        assertThat(get("/api/v1/model-configs/x").status()).isEqualTo(404);
        // whitespace after the body is fine
        assertThat(send("PUT", "/api/v1/model-configs/x", config("{}") + " \n\t ").status()).isEqualTo(201);
    }

    @Test
    void aNumberOutOfRangeIsRefusedNamingItsField() {
        TestHttp.Response put = send("PUT", "/api/v1/model-configs/x", config("{\"temperature\":1e999999999}"));
        assertRefused(put, "params.temperature", "params.temperature is a number out of range");
        assertRefused(send("PUT", "/api/v1/model-configs/x", config("{\"limits\":[1, -1e400]}")),
                "params.limits[1]", "params.limits[1] is a number out of range");
        assertThat(get("/api/v1/model-configs/x").status()).isEqualTo(404);
        assertThat(send("PUT", "/api/v1/model-configs/x", config("{\"temperature\":1e300,\"tiny\":1e-300}")).status()).isEqualTo(201);
    }

    @Test
    void unknownFieldsAreRefusedInEveryBody() {
        assertThat(send("PUT", "/api/v1/model-configs/x", config("{}")).status()).isEqualTo(201);
        assertThat(send("PUT", "/api/v1/model-configs/x", config("{\"t\":1}")).status()).isEqualTo(200);

        assertRefused(send("POST", "/api/v1/model-configs/x:rollback", "{\"version\":1,\"dry_run\":true}"), "dry_run", "unknown field");
        assertRefused(send("PATCH", "/api/v1/model-configs/x", "{\"descripton\":null}"), "descripton", "unknown field");
        assertRefused(send("PATCH", "/api/v1/model-configs/x", "{\"descripton\":\"typo\"}"), "descripton", "unknown field");
        assertThat(get("/api/v1/model-configs/x").json().path("version").asLong()).isEqualTo(2);

        assertRefused(send("POST", "/api/v1/keys", "{\"name\":\"n\",\"role\":\"reader\",\"expires\":\"1d\"}"), "expires", "unknown field");
        assertThat(get("/api/v1/keys").json().path("data")).isEmpty();
        assertRefused(http.json("POST", "/api/v1/auth/token", "{\"key\":\"" + ADMIN + "\",\"ttl\":60}"), "ttl", "unknown field");
        assertRefused(http.json("POST", "/api/v1/auth/refresh", "{\"refresh_token\":\"x\",\"rotate\":false}"), "rotate", "unknown field");

        assertThat(send("POST", "/api/v1/providers", "{\"id\":\"p\",\"kind\":\"static\",\"models\":[\"m\"]}").status()).isEqualTo(201);
        assertRefused(send("PATCH", "/api/v1/providers/p", "{\"modles\":null}"), "modles", "unknown field");
    }
}
