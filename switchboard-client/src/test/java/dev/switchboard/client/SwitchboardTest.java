package dev.switchboard.client;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The connection: where requests go, and what a failure to get there says. */
class SwitchboardTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void aBaseUrlWithAPathIsKeptAsAPrefix() throws Exception {
        try (FakeSwitchboard proxied = FakeSwitchboard.startUnder("/switchboard")) {
            for (String base : new String[]{proxied.uri().toString(), proxied.uri() + "/"}) {
                proxied.put("planner", "small", Map.of("temperature", 0.2));
                try (Switchboard sb = Switchboard.connect(URI.create(base), null)) {
                    assertThat(sb.fetch("planner")).get().extracting(ModelConfig::model).isEqualTo("small");
                    LiveModel planner = sb.model("planner");
                    assertThat(planner.awaitReady(WAIT)).isEqualTo(LiveModel.State.READY);
                    long next = proxied.put("planner", "large", Map.of("api_key", "sk-real"));
                    await().atMost(WAIT).until(() -> planner.current().version() == next);
                    assertThat(planner.current().params()).containsEntry("api_key", "sk-real"); // history read under the prefix too
                }
            }
            assertThat(proxied.requests()).allSatisfy(request -> assertThat(request).startsWith("GET /switchboard/api/v1/"));
        }
    }

    @Test
    void anUnreachableServerIsReportedWithTheReason() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort(); // free again once closed: nothing listens there
        }
        URI base = URI.create("http://127.0.0.1:" + closedPort);
        try (Switchboard sb = Switchboard.connect(base, null)) {
            assertThatThrownBy(() -> sb.fetch("planner")).isInstanceOf(SwitchboardException.class)
                    .hasMessage("cannot reach Switchboard at " + base + ": connection refused");
            LiveModel planner = sb.model("planner");
            assertThat(planner.awaitReady(WAIT)).isEqualTo(LiveModel.State.ERROR);
            assertThat(planner.lastError()).get().extracting(Throwable::getMessage)
                    .isEqualTo("cannot reach Switchboard at " + base + ": connection refused");
        }
    }

    @Test
    void anUnknownHostIsReportedByName() {
        URI base = URI.create("http://switchboard.invalid:8080");
        try (Switchboard sb = Switchboard.connect(base, null)) {
            assertThatThrownBy(() -> sb.fetch("planner"))
                    .hasMessage("cannot reach Switchboard at " + base + ": unknown host switchboard.invalid");
        }
    }

    @Test
    void aBaseWithAQueryIsRefusedWithAnExample() {
        assertThatThrownBy(() -> Switchboard.connect(URI.create("http://localhost:8080/?x=1"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("base must be an http(s) URL with a host and at most a path (no query or fragment), "
                        + "such as http://localhost:8080 or http://gateway/switchboard, got http://localhost:8080/?x=1");
    }

    @Test
    void aBaseThatIsNotHttpIsRefused() throws IOException {
        assertThatThrownBy(() -> Switchboard.connect(URI.create("ftp://localhost"), null))
                .hasMessage("base must be an http(s) URL, got ftp://localhost");
    }
}
