package dev.switchboard.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Switchboard;
import dev.switchboard.TestClock;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.SwitchboardConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 9: refresh-token rows do not pile up. A row goes once its token expired (or was revoked) and every access
 * token issued with it has expired too ({@code access_token_ttl}, 15 minutes here): at the chain's next rotation,
 * and on the periodic prune (at start, then hourly).
 */
class RefreshTokenPruningTest {
    static final String ADMIN = "admin-key-for-tests-0123456789";
    static final Duration ACCESS_TTL = Duration.ofMinutes(15);
    @TempDir
    Path dir;
    final TestClock clock = TestClock.now();
    SwitchboardConfig config;
    Switchboard switchboard;
    TestHttp http;

    @BeforeEach
    void start() {
        config = TestConfigs.secured(dir, List.of(), ADMIN);
        open();
    }

    private void open() {
        switchboard = new Switchboard(config, clock, Map.of()).serve();
        http = new TestHttp(switchboard.port());
    }

    @AfterEach
    void stop() {
        if (http != null) http.close();
        if (switchboard != null) switchboard.close();
    }

    private JsonNode session() {
        TestHttp.Response session = http.json("POST", "/api/v1/auth/token", "{\"key\":\"" + ADMIN + "\"}");
        assertThat(session.status()).as(session.text()).isEqualTo(200);
        return session.json();
    }

    private JsonNode refresh(JsonNode session) {
        TestHttp.Response refreshed = http.json("POST", "/api/v1/auth/refresh",
                "{\"refresh_token\":\"" + session.path("refresh_token").asText() + "\"}");
        assertThat(refreshed.status()).as(refreshed.text()).isEqualTo(200);
        return refreshed.json();
    }

    private int rows() {
        return switchboard.store().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM refresh_token").mapTo(Integer.class).one());
    }

    @Test
    void aRotationDeletesTheChainsSpentTokensOnceTheyExpired() {
        JsonNode first = session();
        clock.advance(Duration.ofHours(1));
        JsonNode second = refresh(first);
        assertThat(rows()).isEqualTo(2);

        // the first token expired (24 h after it was issued) more than an access token's lifetime ago
        clock.advance(Duration.ofHours(23).plus(ACCESS_TTL).plusMinutes(1));
        refresh(second);
        assertThat(rows()).isEqualTo(2); // the second (spent, not expired yet) and the third
    }

    @Test
    void thePeriodicPruneDeletesExpiredAndRevokedRows() {
        session();
        JsonNode signedOut = session();
        assertThat(http.json("POST", "/api/v1/auth/revoke", "{\"refresh_token\":\"" + signedOut.path("refresh_token").asText() + "\"}")
                .status()).isEqualTo(204);
        RefreshTokenPruner pruner = new RefreshTokenPruner(switchboard.tokens());
        assertThat(pruner.pruneNow()).isZero(); // the revocation is remembered while the session's access tokens could live
        assertThat(rows()).isEqualTo(2);

        clock.advance(ACCESS_TTL.plusMinutes(1));
        assertThat(pruner.pruneNow()).isEqualTo(1);
        assertThat(rows()).isEqualTo(1);

        clock.advance(Duration.ofHours(24));
        assertThat(pruner.pruneNow()).isEqualTo(1);
        assertThat(rows()).isZero();
    }

    @Test
    void aStartPrunesWhatExpiredWhileTheServerWasDown() {
        session();
        session();
        assertThat(rows()).isEqualTo(2);
        http.close();
        switchboard.close();

        clock.advance(Duration.ofDays(2));
        open();
        await().atMost(Duration.ofSeconds(10)).until(() -> rows() == 0);
    }
}
