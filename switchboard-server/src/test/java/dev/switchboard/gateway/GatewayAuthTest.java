package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.Secret;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 11 with {@code [auth] mode = "token"}: the caller's {@code Authorization} is a Switchboard key with the
 * {@code caller} role (or above); the upstream gets the provider's credential, never the caller's key.
 */
class GatewayAuthTest {
    static final String ADMIN = "admin-key-for-gateway-tests-0123";
    /** Exactly the admin's writes of the set-up; each key has its own allowance. */
    static final int WRITE_RATE = 4;
    static final String UPSTREAM_KEY = "sk-upstream-SECRET-abcdefghij";
    static final ChatCompletionCreateParams CHAT = ChatCompletionCreateParams.builder().model("planner").addUserMessage("hi").build();

    @TempDir
    Path dir;
    FakeUpstream upstream;
    Switchboard switchboard;
    TestHttp http;
    String callerKey;
    String readerKey;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start();
        upstream.onJson("/v1/models", openAiList("gpt-5"));
        Upstreams.answersChat(upstream, "/v1/chat/completions", "c", "hi");
        var config = TestConfigs.secured(dir, List.of(TestConfigs.openai("openai", upstream.uri("/v1"))
                .withApiKey(Secret.literal(UPSTREAM_KEY))), ADMIN);
        switchboard = Switchboard.open(config.withAuth(config.auth().withWriteRatePerMinute(WRITE_RATE))).serve();
        http = new TestHttp(switchboard.port());
        http.post("/api/v1/providers:refresh", "Authorization", "Bearer " + ADMIN);
        assertThat(http.json("POST", "/api/v1/model-configs", "{\"alias\":\"planner\",\"provider\":\"openai\",\"model\":\"gpt-5\"}",
                "Authorization", "Bearer " + ADMIN).status()).isEqualTo(201);
        callerKey = key("caller");
        readerKey = key("reader");
    }

    @AfterEach
    void stop() {
        http.close();
        switchboard.close();
        upstream.close();
    }

    private void calling(String key, java.util.function.Consumer<OpenAIClient> calls) {
        OpenAIClient openai = Upstreams.client(switchboard.port(), key);
        try {
            calls.accept(openai);
        } finally {
            openai.close();
        }
    }

    private String key(String role) {
        TestHttp.Response created = http.json("POST", "/api/v1/keys", "{\"name\":\"" + role + "-app\",\"role\":\"" + role + "\"}",
                "Authorization", "Bearer " + ADMIN);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().path("key").asText();
    }

    @Test
    void aCallerKeyCallsAndTheUpstreamGetsTheProvidersCredentialInstead() {
        calling(callerKey, openai -> assertThat(openai.chat().completions().create(CHAT).id()).isEqualTo("c"));

        FakeUpstream.RecordedRequest sent = upstream.lastRequest("/v1/chat/completions");
        assertThat(sent.header("Authorization")).contains("Bearer " + UPSTREAM_KEY);
        assertThat(sent.headers().toString()).doesNotContain(callerKey);
    }

    @Test
    void withoutAKeyTheAnswerIs401InOpenAisShape() {
        TestHttp.Response response = http.json("POST", "/v1/chat/completions", "{\"model\":\"planner\"}");

        assertThat(response.status()).isEqualTo(401);
        JsonNode error = response.json().path("error");
        assertThat(error.path("type").asText()).isEqualTo("authentication_error");
        assertThat(error.path("code").asText()).isEqualTo("unauthorized");
        calling("sbk_not-a-key", openai ->
                assertThatThrownBy(() -> openai.chat().completions().create(CHAT)).isInstanceOf(UnauthorizedException.class));
        assertThat(upstream.requestCount("/v1/chat/completions")).isZero();
    }

    @Test
    void aReaderKeyMayNotCallModels() {
        calling(readerKey, openai -> assertThatThrownBy(() -> openai.chat().completions().create(CHAT))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("this needs the caller role"));
        assertThat(upstream.requestCount("/v1/chat/completions")).isZero();
    }

    @Test
    void aCallerKeyMayReadTheCatalogButNotChangeConfigurations() {
        assertThat(http.get("/v1/models", "Authorization", "Bearer " + callerKey).status()).isEqualTo(200);
        assertThat(http.json("DELETE", "/api/v1/model-configs/planner", "", "Authorization", "Bearer " + callerKey).status())
                .isEqualTo(403);
    }

    @Test
    void callsAreNotWritesSoTheWriteRateDoesNotLimitThem() {
        calling(callerKey, openai -> {
            for (int i = 0; i < WRITE_RATE + 1; i++) assertThat(openai.chat().completions().create(CHAT).id()).isEqualTo("c");
        });
    }
}
