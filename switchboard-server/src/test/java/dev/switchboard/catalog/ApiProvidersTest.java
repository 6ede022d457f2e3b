package dev.switchboard.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/** DESIGN §2/§4: providers created through the API, stored with their credential encrypted and never shown. */
class ApiProvidersTest {
    static final String SECRET = "sk-live-THISISTHESECRET-42";

    @TempDir
    Path dir;
    FakeUpstream upstream;
    FakeUpstream fileProvider;
    SwitchboardConfig config;
    Switchboard switchboard;
    TestHttp http;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start();
        upstream.onJson("/v1/models", openAiList("m1", "m2"));
        fileProvider = FakeUpstream.start();
        fileProvider.onJson("/v1/models", openAiList("f1"));
        config = TestConfigs.embedded(dir, List.of(TestConfigs.openai("from-file", fileProvider.uri("/v1"))));
        switchboard = Switchboard.open(config).serve();
        http = new TestHttp(switchboard.port());
    }

    @AfterEach
    void stop() {
        http.close();
        switchboard.close();
        upstream.close();
        fileProvider.close();
    }

    private String body() {
        return """
                {"id":"acme","kind":"openai","base_url":"%s","api_key":"%s","denied_models":["m2"]}""".formatted(upstream.uri("/v1"), SECRET);
    }

    private TestHttp.Response create() {
        TestHttp.Response created = http.json("POST", "/api/v1/providers", body());
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created;
    }

    @Test
    void aCreatedProviderIsRefreshedAtOnceAndItsCredentialIsWriteOnly() throws Exception {
        JsonNode created = create().json();
        assertThat(created.path("source").asText()).isEqualTo("api");
        assertThat(created.path("status").asText()).isEqualTo("ok");
        assertThat(created.path("model_count").asInt()).isEqualTo(1);
        assertThat(created.path("has_credentials").asBoolean()).isTrue();
        assertThat(upstream.lastRequest("/v1/models").header("Authorization")).contains("Bearer " + SECRET);
        assertThat(http.get("/v1/models").json().findValuesAsText("id")).contains("acme/m1").doesNotContain("acme/m2");

        assertThat(http.get("/api/v1/providers/acme").text()).doesNotContain(SECRET);
        assertThat(http.get("/api/v1/providers").text()).doesNotContain(SECRET);
        String stored = switchboard.store().withHandle(h -> h.createQuery("SELECT api_key_ciphertext FROM api_provider").mapTo(String.class).one());
        assertThat(stored).startsWith("v1:").doesNotContain(SECRET);
        String events = switchboard.store().withHandle(h -> String.join("\n", h.createQuery("SELECT data FROM event_log").mapTo(String.class).list()));
        assertThat(events).contains("\"provider_id\":\"acme\"").doesNotContain(SECRET);
        assertThat(Files.readString(dir.resolve("master.key")).trim()).hasSizeGreaterThan(40);
    }

    @Test
    void anApiProviderSurvivesARestartAndItsCredentialStillDecrypts() {
        create();
        http.close();
        switchboard.close();
        switchboard = Switchboard.open(config).serve();
        http = new TestHttp(switchboard.port());
        assertThat(http.get("/api/v1/providers/acme").json().path("model_count").asInt()).isEqualTo(1);
        int before = upstream.requestCount("/v1/models");
        http.post("/api/v1/providers/acme:refresh");
        assertThat(upstream.requestCount("/v1/models")).isEqualTo(before + 1);
        assertThat(upstream.lastRequest("/v1/models").header("Authorization")).contains("Bearer " + SECRET);
    }

    @Test
    void patchKeepsTheCredentialUnlessToldAndNullRemovesIt() {
        create();
        TestHttp.Response patched = http.json("PATCH", "/api/v1/providers/acme", "{\"denied_models\":null}");
        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
        assertThat(patched.json().path("model_count").asInt()).isEqualTo(2);
        assertThat(upstream.lastRequest("/v1/models").header("Authorization")).contains("Bearer " + SECRET);
        TestHttp.Response cleared = http.json("PATCH", "/api/v1/providers/acme", "{\"api_key\":null}");
        assertThat(cleared.json().path("has_credentials").asBoolean()).isFalse();
        assertThat(upstream.lastRequest("/v1/models").header("Authorization")).isEmpty();
    }

    @Test
    void aProviderRedirectedToAnotherOriginFailsWithTheLocationAndNeitherItsKeyNorTheOtherAnswerTravels() throws Exception {
        try (var metadata = FakeUpstream.start()) {
            metadata.onJson("/latest/meta-data", "{\"AccessKeyId\":\"ASIA-INSTANCE-CREDENTIALS\"}");
            upstream.on("/v1/models", request -> (exchange, pause) -> {
                exchange.getResponseHeaders().set("Location", metadata.uri("/latest/meta-data").toString());
                exchange.sendResponseHeaders(302, -1);
            });

            JsonNode created = create().json();

            assertThat(created.path("status").asText()).isEqualTo("error");
            assertThat(created.path("last_error").asText())
                    .startsWith("redirected to another origin, " + metadata.baseUri() + "/latest/meta-data; not followed")
                    .doesNotContain("ASIA-INSTANCE-CREDENTIALS");
            assertThat(metadata.requests("/latest/meta-data")).isEmpty();
        }
    }

    @Test
    void configFileProvidersAreReadOnlyThroughTheApi() {
        String body = "{\"kind\":\"openai\",\"base_url\":\"" + upstream.uri("/v1") + "\"}";
        assertThat(http.json("PUT", "/api/v1/providers/from-file", body).status()).isEqualTo(409);
        assertThat(http.json("PATCH", "/api/v1/providers/from-file", "{}").status()).isEqualTo(409);
        TestHttp.Response delete = http.send("DELETE", "/api/v1/providers/from-file", "");
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.json().path("error").path("type").asText()).isEqualTo("read_only_provider");
        assertThat(http.json("POST", "/api/v1/providers", "{\"id\":\"from-file\"," + body.substring(1)).status()).isEqualTo(409);
    }

    @Test
    void creatingAnExistingProviderIsAConflictAndUnknownOnesAre404() {
        create();
        assertThat(http.json("POST", "/api/v1/providers", body()).status()).isEqualTo(409);
        assertThat(http.send("DELETE", "/api/v1/providers/nope", "").status()).isEqualTo(404);
        assertThat(http.json("PATCH", "/api/v1/providers/nope", "{}").status()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bad id            | {"id":"Not Valid","kind":"openai","base_url":"http://127.0.0.1:9/v1"}   | id
            unknown kind      | {"id":"x","kind":"bard","base_url":"http://127.0.0.1:9/v1"}        | kind
            missing base_url  | {"id":"x","kind":"openai"}                                          | base_url
            metadata address  | {"id":"x","kind":"openai","base_url":"http://169.254.169.254/v1"}  | base_url
            link-local v6     | {"id":"x","kind":"openai","base_url":"http://[fe80::1]/v1"}         | base_url
            file scheme       | {"id":"x","kind":"registry","base_url":"file:///etc/passwd"}        | base_url
            static no models  | {"id":"x","kind":"static"}                                          | models
            host header       | {"id":"x","kind":"openai","base_url":"http://127.0.0.1:9/v1","headers":{"Host":"internal"}} | headers.Host
            connection header | {"id":"x","kind":"openai","base_url":"http://127.0.0.1:9/v1","headers":{"connection":"close"}} | headers.connection
            unknown field     | {"id":"x","kind":"static","models":["a"],"colour":"red"}            | colour
            """)
    void invalidProvidersAreRefusedWithTheFieldNamedAndNothingChanges(String name, String body, String field) {
        long revision = switchboard.bus().revision();
        TestHttp.Response response = http.json("POST", "/api/v1/providers", body);
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.json().path("error").path("details").path("fields").has(field)).as(response.text()).isTrue();
        assertThat(switchboard.bus().revision()).isEqualTo(revision);
        assertThat(http.get("/api/v1/providers").json().path("data")).hasSize(1);
    }

    @Test
    void aHostHeaderIsRefusedWithTheReason() {
        TestHttp.Response response = http.json("POST", "/api/v1/providers",
                "{\"id\":\"x\",\"kind\":\"openai\",\"base_url\":\"" + upstream.uri("/v1") + "\",\"headers\":{\"Host\":\"internal\"}}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").path("details").path("fields").path("headers.Host").asText())
                .isEqualTo("cannot be set: the HTTP client sets it from base_url");
    }

    @Test
    void aStaticProviderListingMoreModelsThanMaxModelsIsRefused() throws Exception {
        http.close();
        switchboard.close();
        switchboard = Switchboard.open(config.withCatalog(config.catalog().withMaxModels(2))).serve();
        http = new TestHttp(switchboard.port());

        TestHttp.Response response = http.json("POST", "/api/v1/providers", "{\"id\":\"x\",\"kind\":\"static\",\"models\":[\"a\",\"b\",\"c\"]}");

        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.json().path("error").path("details").path("fields").path("models").asText())
                .isEqualTo("lists 3 models, over the max_models cap of 2");
        assertThat(http.json("POST", "/api/v1/providers", "{\"id\":\"y\",\"kind\":\"static\",\"models\":[\"a\",\"b\"]}").status())
                .isEqualTo(201);
    }

    @Test
    void deletingAProviderRemovesItsModelsAndFlagsItsConfigsAndRecreatingClearsTheFlag() {
        create();
        assertThat(http.json("PUT", "/api/v1/model-configs/planner", "{\"provider\":\"acme\",\"model\":\"m1\"}").status()).isEqualTo(201);
        assertThat(http.send("DELETE", "/api/v1/providers/acme", "").status()).isEqualTo(204);
        assertThat(http.get("/v1/models?kind=model").json().findValuesAsText("id")).doesNotContain("acme/m1");
        assertThat(http.get("/api/v1/model-configs/planner").json().path("target_status").asText()).isEqualTo("missing");
        List<String> types = switchboard.store().withHandle(h -> h.createQuery("SELECT type FROM event_log ORDER BY revision").mapTo(String.class).list());
        assertThat(types).containsSubsequence("provider.deleted", "model_catalog.changed", "model_config.updated");

        create();
        assertThat(http.get("/api/v1/model-configs/planner").json().path("target_status").asText()).isEqualTo("ok");
    }
}
