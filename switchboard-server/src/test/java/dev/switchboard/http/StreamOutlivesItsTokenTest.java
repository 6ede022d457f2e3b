package dev.switchboard.http;

import dev.switchboard.SseClient;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6 (Solace's 401-on-SSE problem): a stream opened with an access token ends with {@code auth_expired}
 * when the token runs out; the client refreshes, resumes with Last-Event-ID and has every event.
 */
class StreamOutlivesItsTokenTest {
    static final String ADMIN = "admin-key-for-tests-0123456789";
    @TempDir
    Path dir;

    @Test
    void theClientGetsAuthExpiredRefreshesResumesAndMissesNothing() throws Exception {
        var config = TestConfigs.secured(dir, List.of(ProviderConfig.of("local", ProviderKind.STATIC, null)
                .withStaticModels(List.of("m1", "m2"))), ADMIN);
        config = config.withAuth(config.auth().withAccessTokenTtl(Duration.ofSeconds(2)));
        try (Switchboard switchboard = Switchboard.open(config).serve(); TestHttp http = new TestHttp(switchboard.port())) {
            String admin = "Bearer " + ADMIN;
            assertThat(http.post("/api/v1/providers:refresh", "Authorization", admin).status()).isEqualTo(200);
            long start = switchboard.bus().revision();
            var session = http.json("POST", "/api/v1/auth/token", "{\"key\":\"" + ADMIN + "\"}").json();
            List<Long> seen = new ArrayList<>();

            try (SseClient stream = SseClient.connect(switchboard.port(), "/api/v1/events?since=" + start,
                    "Authorization", "Bearer " + session.path("access_token").asText())) {
                assertThat(stream.status()).isEqualTo(200);
                for (int i = 0; i < 3; i++) put(http, admin, "a" + i);
                for (SseClient.Event event : stream.next(3)) seen.add(event.revision());
                SseClient.Event expired = stream.next();
                assertThat(expired.type()).isEqualTo("auth_expired");
                assertThat(expired.id()).isEqualTo(Long.toString(seen.getLast())); // carries no id: the last one stays
                stream.awaitEnd();
            }
            // changes while the client is away
            for (int i = 3; i < 5; i++) put(http, admin, "a" + i);

            var refreshed = http.json("POST", "/api/v1/auth/refresh",
                    "{\"refresh_token\":\"" + session.path("refresh_token").asText() + "\"}").json();
            try (SseClient resumed = SseClient.connect(switchboard.port(), "/api/v1/events",
                    "Authorization", "Bearer " + refreshed.path("access_token").asText(), "Last-Event-ID", Long.toString(seen.getLast()))) {
                for (SseClient.Event event : resumed.next(2)) seen.add(event.revision());
            }
            List<Long> expected = new ArrayList<>();
            for (long r = start + 1; r <= switchboard.bus().revision(); r++) expected.add(r);
            assertThat(seen).containsExactlyElementsOf(expected).hasSize(5);
        }
    }

    /** Issue 9: a stream that sent nothing names the revision it resumed from, never -1 (which {@code since} refuses). */
    @Test
    void aStreamThatSentNothingNamesTheRevisionItResumedFrom() throws Exception {
        var config = TestConfigs.secured(dir, List.of(ProviderConfig.of("local", ProviderKind.STATIC, null)
                .withStaticModels(List.of("m1"))), ADMIN);
        config = config.withAuth(config.auth().withAccessTokenTtl(Duration.ofSeconds(1)));
        try (Switchboard switchboard = Switchboard.open(config).serve(); TestHttp http = new TestHttp(switchboard.port())) {
            String admin = "Bearer " + ADMIN;
            for (int i = 0; i < 2; i++) put(http, admin, "a" + i);
            long head = switchboard.bus().revision();

            for (String since : List.of("", "?since=" + head, "?since=" + (head - 1) + "&aliases=nothing-matches")) {
                var session = http.json("POST", "/api/v1/auth/token", "{\"key\":\"" + ADMIN + "\"}").json();
                String access = session.path("access_token").asText();
                long expected = since.isEmpty() ? head : Long.parseLong(since.replaceAll("\\?since=(\\d+).*", "$1"));
                try (SseClient stream = SseClient.connect(switchboard.port(), "/api/v1/events" + since, "Authorization", "Bearer " + access)) {
                    SseClient.Event expired = stream.next();
                    assertThat(expired.type()).isEqualTo("auth_expired");
                    var data = expired.json().path("data");
                    assertThat(data.path("last_revision").asLong()).as(since).isEqualTo(expected);
                    assertThat(data.path("reason").asText()).isEqualTo("expired");
                    stream.awaitEnd();
                }
                // resuming as the docs say works
                var refreshed = http.json("POST", "/api/v1/auth/refresh",
                        "{\"refresh_token\":\"" + session.path("refresh_token").asText() + "\"}").json();
                assertThat(http.get("/api/v1/events?since=" + expected, "Accept", "application/json",
                        "Authorization", "Bearer " + refreshed.path("access_token").asText()).status()).isEqualTo(200);
            }
        }
    }

    private static void put(TestHttp http, String auth, String alias) {
        assertThat(http.json("PUT", "/api/v1/model-configs/" + alias, "{\"provider\":\"local\",\"model\":\"m1\"}",
                "Authorization", auth).status()).isEqualTo(201);
    }
}
