package dev.switchboard.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.AuthConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 6: keys shown once and stored hashed, revocation at once, session tokens, refresh rotation, rate limits. */
class KeysAndSessionsTest {
    static final String ADMIN = "admin-key-for-tests-0123456789";
    @TempDir
    Path dir;
    Switchboard switchboard;
    TestHttp http;

    private void start(java.util.function.UnaryOperator<AuthConfig> auth) {
        var config = TestConfigs.secured(dir, List.of(), ADMIN);
        switchboard = Switchboard.open(config.withAuth(auth.apply(config.auth()))).serve();
        http = new TestHttp(switchboard.port());
    }

    @AfterEach
    void stop() {
        if (http != null) http.close();
        if (switchboard != null) switchboard.close();
    }

    private String bearer(String credential) {
        return "Bearer " + credential;
    }

    private JsonNode createKey(String name, String role) {
        TestHttp.Response created = http.json("POST", "/api/v1/keys", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}",
                "Authorization", bearer(ADMIN));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json();
    }

    private JsonNode session(String key) {
        TestHttp.Response session = http.json("POST", "/api/v1/auth/token", "{\"key\":\"" + key + "\"}");
        assertThat(session.status()).as(session.text()).isEqualTo(200);
        return session.json();
    }

    @Test
    void aKeyIsShownOnceAndStoredOnlyAsAHash() {
        start(a -> a);
        JsonNode created = createKey("ci", "reader");
        String key = created.path("key").asText();
        assertThat(key).startsWith("sbk_").hasSizeGreaterThan(30);
        String listed = http.get("/api/v1/keys", "Authorization", bearer(ADMIN)).text();
        assertThat(listed).contains("\"name\":\"ci\"").contains("\"role\":\"reader\"").doesNotContain(key);
        String stored = switchboard.store().withHandle(h -> String.join(",", h.createQuery("SELECT key_hash || prefix || name FROM api_key").mapTo(String.class).list()));
        assertThat(stored).doesNotContain(key);
        assertThat(http.get("/api/v1/providers", "Authorization", bearer(key)).status()).isEqualTo(200);
    }

    @Test
    void aRevokedKeyAndItsTokensStopWorkingAtOnce() {
        start(a -> a);
        JsonNode created = createKey("temp", "writer");
        String key = created.path("key").asText();
        String access = session(key).path("access_token").asText();
        assertThat(http.get("/api/v1/model-configs", "Authorization", bearer(access)).status()).isEqualTo(200);

        assertThat(http.send("DELETE", "/api/v1/keys/" + created.path("id").asText(), "", "Authorization", bearer(ADMIN)).status()).isEqualTo(204);

        assertThat(http.get("/api/v1/model-configs", "Authorization", bearer(key)).status()).isEqualTo(401);
        assertThat(http.get("/api/v1/model-configs", "Authorization", bearer(access)).status()).isEqualTo(401);
        assertThat(http.json("POST", "/api/v1/auth/token", "{\"key\":\"" + key + "\"}").status()).isEqualTo(401);
        assertThat(http.get("/api/v1/keys", "Authorization", bearer(ADMIN)).json().path("data").get(0).path("revoked_at").asText()).isNotBlank();
    }

    @Test
    void anAccessTokenCarriesTheKeysRoleAndExpires() {
        start(a -> a.withAccessTokenTtl(Duration.ofSeconds(1)));
        String reader = createKey("ui", "reader").path("key").asText();
        JsonNode session = session(reader);
        assertThat(session.path("expires_in").asLong()).isEqualTo(1);
        assertThat(session.path("role").asText()).isEqualTo("reader");
        String access = session.path("access_token").asText();
        assertThat(http.get("/v1/models", "Authorization", bearer(access)).status()).isEqualTo(200);
        assertThat(http.json("PUT", "/api/v1/model-configs/x", "{}", "Authorization", bearer(access)).status()).isEqualTo(403);
        await().atMost(Duration.ofSeconds(5)).until(() -> http.get("/v1/models", "Authorization", bearer(access)).status() == 401);
    }

    @Test
    void badTokensAreRefusedWith401AndNoStackTrace() {
        start(a -> a);
        String access = session(ADMIN).path("access_token").asText();
        String[] parts = access.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String forgedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("\"exp\":", "\"exp\":9").getBytes(StandardCharsets.UTF_8));
        String noneHeader = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String hs512Header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"HS512\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        List<String> bad = List.of(
                parts[0] + "." + forgedPayload + "." + parts[2],          // tampered claims
                parts[0] + "." + parts[1] + "." + parts[2].substring(2) + "AA", // tampered signature
                noneHeader + "." + parts[1] + ".",                        // alg none
                hs512Header + "." + parts[1] + "." + parts[2],            // wrong algorithm
                "garbage.garbage.garbage", "a.b", "....", "%%%%");
        for (String token : bad) {
            TestHttp.Response response = http.get("/api/v1/providers", "Authorization", bearer(token));
            assertThat(response.status()).as(token).isEqualTo(401);
            assertThat(response.text()).doesNotContain("Exception").doesNotContain("at dev.");
        }
        assertThat(http.get("/api/v1/providers", "Authorization", bearer(access)).status()).isEqualTo(200);
    }

    @Test
    void refreshRotatesAndAReusedRefreshTokenRevokesTheChain() {
        start(a -> a);
        JsonNode first = session(ADMIN);
        String refresh1 = first.path("refresh_token").asText();
        TestHttp.Response second = http.json("POST", "/api/v1/auth/refresh", "{\"refresh_token\":\"" + refresh1 + "\"}");
        assertThat(second.status()).isEqualTo(200);
        String refresh2 = second.json().path("refresh_token").asText();
        assertThat(refresh2).isNotEqualTo(refresh1);
        assertThat(http.get("/api/v1/keys", "Authorization", bearer(second.json().path("access_token").asText())).status()).isEqualTo(200);

        // refresh1 replayed: refused, and the chain it belongs to is revoked
        assertThat(http.json("POST", "/api/v1/auth/refresh", "{\"refresh_token\":\"" + refresh1 + "\"}").status()).isEqualTo(401);
        assertThat(http.json("POST", "/api/v1/auth/refresh", "{\"refresh_token\":\"" + refresh2 + "\"}").status()).isEqualTo(401);
        assertThat(http.json("POST", "/api/v1/auth/refresh", "{\"refresh_token\":\"sbr_nonsense\"}").status()).isEqualTo(401);
    }

    @Test
    void writesPastTheRatePerKeyAre429WithRetryAfter() {
        start(a -> a.withWriteRatePerMinute(2));
        String writer = createKey("busy", "writer").path("key").asText();
        for (int i = 0; i < 2; i++) {
            assertThat(http.json("PUT", "/api/v1/model-configs/a" + i, "{}", "Authorization", bearer(writer)).status()).isEqualTo(400);
        }
        TestHttp.Response limited = http.json("PUT", "/api/v1/model-configs/a9", "{}", "Authorization", bearer(writer));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
        // reads are not limited, and other keys have their own budget
        assertThat(http.get("/api/v1/model-configs", "Authorization", bearer(writer)).status()).isEqualTo(200);
    }

    /** Issue 9: keys never travel in URLs (they land in logs and histories); only short-lived access tokens may. */
    @Test
    void theAccessTokenQueryParameterTakesAccessTokensOnlyNeverKeys() {
        start(a -> a);
        String reader = createKey("ui", "reader").path("key").asText();
        String access = session(reader).path("access_token").asText();
        for (String path : List.of("/api/v1/providers", "/v1/models", "/api/v1/events?since=0&x=")) {
            String joiner = path.contains("?") ? "&" : "?";
            TestHttp.Response byKey = http.get(path + joiner + "access_token=" + reader, "Accept", "application/json");
            assertThat(byKey.status()).as(path).isEqualTo(401);
            assertThat(byKey.text()).doesNotContain(reader);
            assertThat(http.get(path + joiner + "access_token=" + ADMIN, "Accept", "application/json").status()).as(path).isEqualTo(401);
            assertThat(http.get(path + joiner + "access_token=" + access, "Accept", "application/json").status()).as(path).isEqualTo(200);
        }
        // the header takes either
        assertThat(http.get("/api/v1/providers", "Authorization", bearer(reader)).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/providers", "Authorization", bearer(access)).status()).isEqualTo(200);
    }

    /** Issue 9: a key's name is shown in terminals and logs: control characters (ANSI escapes, newlines) are refused. */
    @Test
    void aKeyNameWithControlCharactersIsRefusedNamingTheField() {
        start(a -> a);
        for (String name : List.of("evil\\u001b[31mred", "two\\nlines", "bell\\u0007", "c1\\u009b31m", "del\\u007f")) {
            TestHttp.Response refused = http.json("POST", "/api/v1/keys", "{\"name\":\"" + name + "\",\"role\":\"reader\"}",
                    "Authorization", bearer(ADMIN));
            assertThat(refused.status()).as(name).isEqualTo(400);
            assertThat(refused.json().path("error").path("details").path("fields").path("name").asText()).contains("control character");
            assertThat(refused.json().path("error").path("message").asText()).contains("name");
        }
        assertThat(http.get("/api/v1/keys", "Authorization", bearer(ADMIN)).json().path("data")).isEmpty();
        assertThat(createKey("tableau de bord \u00e9t\u00e9 \u2014 ok", "reader").path("name").asText()).isEqualTo("tableau de bord \u00e9t\u00e9 \u2014 ok");
    }

    @Test
    void anOversizedHeaderIsRefused() {
        start(a -> a);
        TestHttp.Response response = http.get("/healthz", "X-Big", "x".repeat(ApiServer.MAX_HEADER_BYTES + 100));
        assertThat(response.status()).isEqualTo(431);
    }
}
