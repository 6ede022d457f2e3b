package dev.switchboard.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.SseClient;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9: revoking a key, signing out of a session or replaying a spent refresh token ends, at once, the
 * change-feed streams opened with those credentials (with {@code auth_expired}, reason {@code revoked}) and
 * every access token of them. Access tokens here live 15 minutes: nothing ends by expiry during a test.
 */
class RevocationEndsStreamsTest {
    static final String ADMIN = "admin-key-for-tests-0123456789";
    @TempDir
    Path dir;
    Switchboard switchboard;
    TestHttp http;

    @BeforeEach
    void start() {
        switchboard = Switchboard.open(TestConfigs.secured(dir, List.of(), ADMIN)).serve();
        http = new TestHttp(switchboard.port());
    }

    @AfterEach
    void stop() {
        if (http != null) http.close();
        if (switchboard != null) switchboard.close();
    }

    private JsonNode createKey(String name) {
        TestHttp.Response created = http.json("POST", "/api/v1/keys", "{\"name\":\"" + name + "\",\"role\":\"reader\"}",
                "Authorization", "Bearer " + ADMIN);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json();
    }

    private JsonNode session(String key) {
        TestHttp.Response session = http.json("POST", "/api/v1/auth/token", "{\"key\":\"" + key + "\"}");
        assertThat(session.status()).as(session.text()).isEqualTo(200);
        return session.json();
    }

    private int read(String credential) {
        return http.get("/api/v1/model-configs", "Authorization", "Bearer " + credential).status();
    }

    /** The stream's last message says the credential was revoked, and the stream ends. */
    static void endsRevoked(SseClient stream) {
        SseClient.Event last = stream.next();
        assertThat(last.type()).isEqualTo("auth_expired");
        assertThat(last.id()).isNull();
        JsonNode data = last.json().path("data");
        assertThat(data.path("reason").asText()).isEqualTo("revoked");
        assertThat(data.path("message").asText()).contains("revoked").contains("sign in again");
        assertThat(data.path("last_revision").asLong(-1)).isNotNegative();
        stream.awaitEnd();
    }

    @Test
    void deletingAKeyEndsTheStreamsOfTheKeyAndOfItsAccessTokensAndTheTokens() {
        JsonNode created = createKey("dashboard");
        String key = created.path("key").asText();
        String access = session(key).path("access_token").asText();
        String other = createKey("other").path("key").asText();

        try (SseClient byKey = SseClient.connect(switchboard.port(), "/api/v1/events", "Authorization", "Bearer " + key);
             SseClient byToken = SseClient.connect(switchboard.port(), "/api/v1/events?access_token=" + access);
             SseClient unrelated = SseClient.connect(switchboard.port(), "/api/v1/events", "Authorization", "Bearer " + other)) {
            assertThat(List.of(byKey.status(), byToken.status(), unrelated.status())).containsOnly(200);

            assertThat(http.send("DELETE", "/api/v1/keys/" + created.path("id").asText(), "", "Authorization", "Bearer " + ADMIN)
                    .status()).isEqualTo(204);

            endsRevoked(byKey);
            endsRevoked(byToken);
            assertThat(read(access)).isEqualTo(401);
            assertThat(read(key)).isEqualTo(401);
            assertThat(unrelated.isEnded()).isFalse();
            assertThat(read(other)).isEqualTo(200);
        }
    }

    @Test
    void signingOutEndsTheSessionsStreamsAndTokensAndNothingElse() {
        String key = createKey("ui").path("key").asText();
        JsonNode signedOut = session(key);
        JsonNode kept = session(key);

        try (SseClient ended = SseClient.connect(switchboard.port(), "/api/v1/events?access_token=" + signedOut.path("access_token").asText());
             SseClient running = SseClient.connect(switchboard.port(), "/api/v1/events",
                     "Authorization", "Bearer " + kept.path("access_token").asText())) {
            assertThat(List.of(ended.status(), running.status())).containsOnly(200);

            TestHttp.Response revoked = http.json("POST", "/api/v1/auth/revoke",
                    "{\"refresh_token\":\"" + signedOut.path("refresh_token").asText() + "\"}");
            assertThat(revoked.status()).as(revoked.text()).isEqualTo(204);

            endsRevoked(ended);
            assertThat(read(signedOut.path("access_token").asText())).isEqualTo(401);
            assertThat(http.json("POST", "/api/v1/auth/refresh",
                    "{\"refresh_token\":\"" + signedOut.path("refresh_token").asText() + "\"}").status()).isEqualTo(401);
            // the other session and the key itself go on
            assertThat(running.isEnded()).isFalse();
            assertThat(read(kept.path("access_token").asText())).isEqualTo(200);
            assertThat(read(key)).isEqualTo(200);
        }
    }

    @Test
    void aReplayedRefreshTokenEndsTheWholeChainsStreamsAndTokens() {
        JsonNode first = session(ADMIN);
        TestHttp.Response rotated = http.json("POST", "/api/v1/auth/refresh",
                "{\"refresh_token\":\"" + first.path("refresh_token").asText() + "\"}");
        assertThat(rotated.status()).isEqualTo(200);
        String newest = rotated.json().path("access_token").asText();

        try (SseClient stream = SseClient.connect(switchboard.port(), "/api/v1/events", "Authorization", "Bearer " + newest)) {
            assertThat(stream.status()).isEqualTo(200);
            // the spent token again: someone replayed it, the chain is revoked
            assertThat(http.json("POST", "/api/v1/auth/refresh",
                    "{\"refresh_token\":\"" + first.path("refresh_token").asText() + "\"}").status()).isEqualTo(401);

            endsRevoked(stream);
            assertThat(read(newest)).isEqualTo(401);
            assertThat(read(first.path("access_token").asText())).isEqualTo(401);
            assertThat(read(ADMIN)).isEqualTo(200);
        }
    }

    @Test
    void aSignedOutSessionStaysRevokedAfterARestart() {
        JsonNode session = session(ADMIN);
        String access = session.path("access_token").asText();
        assertThat(http.json("POST", "/api/v1/auth/revoke", "{\"refresh_token\":\"" + session.path("refresh_token").asText() + "\"}")
                .status()).isEqualTo(204);
        assertThat(read(access)).isEqualTo(401);

        http.close();
        switchboard.close();
        switchboard = Switchboard.open(TestConfigs.secured(dir, List.of(), ADMIN)).serve();
        http = new TestHttp(switchboard.port());
        assertThat(read(access)).isEqualTo(401);
    }

    @Test
    void signingOutWithAnUnknownTokenChangesNothing() {
        JsonNode session = session(ADMIN);
        assertThat(http.json("POST", "/api/v1/auth/revoke", "{\"refresh_token\":\"sbr_nonsense\"}").status()).isEqualTo(204);
        TestHttp.Response missing = http.json("POST", "/api/v1/auth/revoke", "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("error").path("details").path("fields").has("refresh_token")).isTrue();
        assertThat(read(session.path("access_token").asText())).isEqualTo(200);
    }
}
