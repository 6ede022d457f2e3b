package dev.switchboard.http;

import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.auth.Role;
import io.vertx.ext.web.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6: every endpoint of the API, enumerated from the router itself, refuses a missing key (401), refuses
 * a role that may not (403) and lets the right role through. A route registered without a role fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EveryEndpointIsGuardedTest {
    static final String ADMIN = "admin-key-for-tests-0123456789";
    @TempDir
    static Path dir;
    Switchboard switchboard;
    TestHttp http;
    Map<Role, String> keys;

    @BeforeAll
    void start() {
        switchboard = Switchboard.open(TestConfigs.secured(dir, List.of(), ADMIN)).serve();
        http = new TestHttp(switchboard.port());
        keys = Map.of(Role.READER, createKey("reader"), Role.CALLER, createKey("caller"), Role.WRITER, createKey("writer"),
                Role.ADMIN, ADMIN);
    }

    @AfterAll
    void stop() {
        http.close();
        switchboard.close();
    }

    private String createKey(String role) {
        TestHttp.Response created = http.json("POST", "/api/v1/keys", "{\"name\":\"" + role + "\",\"role\":\"" + role + "\"}",
                "Authorization", "Bearer " + ADMIN);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().path("key").asText();
    }

    private TestHttp.Response call(RouteTable.Endpoint endpoint, String key) {
        String path = endpoint.example("nope") + (endpoint.template().equals("/api/v1/events") ? "?since=0" : "");
        String[] headers = key == null ? new String[]{"Accept", "application/json"}
                : new String[]{"Accept", "application/json", "Authorization", "Bearer " + key};
        return http.json(endpoint.method().name(), path, "{}", headers);
    }

    private List<RouteTable.Endpoint> endpoints() {
        return switchboard.api().routes().endpoints();
    }

    @Test
    void everyRouteOfTheRouterWasRegisteredWithARole() {
        List<Route> routes = switchboard.api().router().getRoutes();
        int withPaths = 0;
        for (Route route : routes) {
            if (route.getPath() == null && !route.isRegexPath()) continue; // the global handlers: revision header, body, 404
            withPaths++;
            assertThat(route.<Object>getMetadata(RouteTable.ENDPOINT)).as("route %s has a role", route.getPath()).isNotNull();
        }
        assertThat(withPaths).isEqualTo(endpoints().size()).isGreaterThan(20);
    }

    @Test
    void withoutAKeyEveryNonPublicEndpointAnswers401() {
        for (RouteTable.Endpoint endpoint : endpoints()) {
            if (endpoint.role() == Role.PUBLIC) continue;
            TestHttp.Response response = call(endpoint, null);
            assertThat(response.status()).as(endpoint.toString()).isEqualTo(401);
            // the gateway's paths answer in OpenAI's error shape, where Switchboard's type is the code
            String type = OpenAiErrors.appliesTo(endpoint.template()) ? "code" : "type";
            assertThat(response.json().path("error").path(type).asText()).isEqualTo("unauthorized");
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        }
    }

    @Test
    void aBadKeyIsRefusedLikeNoKey() {
        for (RouteTable.Endpoint endpoint : endpoints()) {
            if (endpoint.role() == Role.PUBLIC) continue;
            assertThat(call(endpoint, "sbk_not-a-real-key").status()).as(endpoint.toString()).isEqualTo(401);
        }
    }

    @Test
    void aRoleBelowTheRequiredOneAnswers403() {
        for (RouteTable.Endpoint endpoint : endpoints()) {
            if (endpoint.role() == Role.CALLER || endpoint.role() == Role.WRITER || endpoint.role() == Role.ADMIN) {
                assertThat(call(endpoint, keys.get(Role.READER)).status()).as("reader on " + endpoint).isEqualTo(403);
            }
            if (endpoint.role() == Role.WRITER || endpoint.role() == Role.ADMIN) {
                assertThat(call(endpoint, keys.get(Role.CALLER)).status()).as("caller on " + endpoint).isEqualTo(403);
            }
            if (endpoint.role() == Role.ADMIN) {
                assertThat(call(endpoint, keys.get(Role.WRITER)).status()).as("writer on " + endpoint).isEqualTo(403);
            }
        }
    }

    @Test
    void theRightRoleGetsThrough() {
        for (RouteTable.Endpoint endpoint : endpoints()) {
            if (endpoint.role() == Role.PUBLIC) continue;
            TestHttp.Response response = call(endpoint, keys.get(endpoint.role()));
            assertThat(response.status()).as(endpoint + " -> " + response.text()).isNotIn(401, 403).isLessThan(500);
        }
    }

    @Test
    void publicEndpointsNeedNoKey() {
        for (RouteTable.Endpoint endpoint : endpoints()) {
            if (endpoint.role() != Role.PUBLIC || endpoint.template().startsWith("/api/v1/auth/")) continue;
            // a public path with a parameter (the console's files) answers 404 for a made-up name, but never asks for a key
            if (endpoint.hasParameters()) assertThat(call(endpoint, null).status()).as(endpoint.toString()).isNotIn(401, 403);
            else assertThat(call(endpoint, null).status()).as(endpoint.toString()).isEqualTo(200);
        }
        // the session endpoints check their own credential (a key, a refresh token) and say so
        assertThat(http.json("POST", "/api/v1/auth/token", "{}").status()).isEqualTo(401);
        assertThat(http.json("POST", "/api/v1/auth/token", "{}", "Authorization", "Bearer " + keys.get(Role.READER)).status()).isEqualTo(200);
    }

    @Test
    void theOpenApiDocumentListsEveryEndpointWithItsRole() {
        var doc = http.get("/openapi.json").json();
        for (RouteTable.Endpoint endpoint : endpoints()) {
            var operation = doc.path("paths").path(endpoint.openApiPath()).path(endpoint.method().name().toLowerCase());
            assertThat(operation.path("x-switchboard-role").asText()).as(endpoint.toString()).isEqualTo(endpoint.role().wireName());
        }
    }
}
