package dev.switchboard.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Problem;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.Principal;
import dev.switchboard.auth.Role;
import dev.switchboard.auth.TokenService;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** API keys ({@code /api/v1/keys}, admin) and browser sessions ({@code /api/v1/auth/token|refresh}). */
final class AuthRoutes {
    private final ApiKeys keys;
    private final TokenService tokens;
    private final AccessControl access;
    private final Responses responses;
    private final RequestBodies bodies;
    private final Async async;

    AuthRoutes(ApiKeys keys, TokenService tokens, AccessControl access, Responses responses, RequestBodies bodies, Async async) {
        this.keys = keys;
        this.tokens = tokens;
        this.access = access;
        this.responses = responses;
        this.bodies = bodies;
        this.async = async;
    }

    void register(RouteTable routes) {
        routes.add(HttpMethod.POST, "/api/v1/keys", Role.ADMIN, "Create an API key (shown once)", this::handleCreateKey);
        routes.add(HttpMethod.GET, "/api/v1/keys", Role.ADMIN, "List API keys (never the keys themselves)", this::handleListKeys);
        routes.add(HttpMethod.DELETE, "/api/v1/keys/{id}", Role.ADMIN, "Revoke an API key", this::handleRevokeKey);
        routes.add(HttpMethod.POST, "/api/v1/auth/token", Role.PUBLIC, "Exchange a key for an access token and a refresh token", this::handleToken);
        routes.add(HttpMethod.POST, "/api/v1/auth/refresh", Role.PUBLIC, "Rotate a refresh token for a new access token", this::handleRefresh);
        routes.add(HttpMethod.POST, "/api/v1/auth/revoke", Role.PUBLIC, "Sign out: revoke a session (its refresh and access tokens, its streams)",
                this::handleRevoke);
    }

    private void handleCreateKey(RoutingContext ctx) {
        JsonNode body = bodies.object(ctx, "a key", Set.of("name", "role"));
        String name = body.path("name").asText(null);
        Role role = Role.ofKey(body.path("role").asText("")).orElseThrow(() -> new Problem.Invalid(
                "role must be reader, caller, writer or admin", Map.of("role", "must be reader, caller, writer or admin")));
        async.run(ctx, () -> CompletableFuture.completedFuture(keys.create(name, role)), created -> {
            Map<String, Object> answer = describe(created.info());
            answer.put("key", created.secret());
            responses.json(ctx, 201, answer);
        });
    }

    private void handleListKeys(RoutingContext ctx) {
        async.run(ctx, () -> CompletableFuture.completedFuture(keys.list()),
                list -> responses.json(ctx, 200, Map.of("data", list.stream().map(AuthRoutes::describe).toList())));
    }

    private void handleRevokeKey(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        async.run(ctx, () -> {
            keys.revoke(id);
            return CompletableFuture.completedFuture(id);
        }, revoked -> ctx.response().setStatusCode(204).end());
    }

    /** The key comes as {@code {"key": …}} or as the bearer credential. */
    private void handleToken(RoutingContext ctx) {
        String presented = ctx.body() != null && ctx.body().length() > 0
                ? bodies.object(ctx, "a token request", Set.of("key")).path("key").asText(null) : null;
        if (presented == null) presented = AccessControl.credential(ctx.request());
        String key = presented;
        Optional<Principal> principal = key == null ? Optional.empty() : keys.authenticate(key);
        if (principal.isEmpty()) {
            responses.error(ctx, 401, "unauthorized", "a valid API key is required to open a session", Map.of());
            return;
        }
        async.run(ctx, () -> CompletableFuture.completedFuture(tokens.open(principal.get())), session -> responses.json(ctx, 200, session));
    }

    private void handleRefresh(RoutingContext ctx) {
        String refresh = bodies.object(ctx, "a refresh", Set.of("refresh_token")).path("refresh_token").asText(null);
        async.run(ctx, () -> CompletableFuture.completedFuture(tokens.refresh(refresh)), session -> {
            if (session.isEmpty()) {
                responses.error(ctx, 401, "invalid_refresh_token",
                        "the refresh token is unknown, expired, revoked or was already used; sign in with a key again", Map.of());
            } else {
                responses.json(ctx, 200, session.get());
            }
        });
    }

    /**
     * Holding the refresh token is what proves the session is the caller's. An unknown one answers 204 as well
     * (as OAuth's token revocation does): either way the token does not work afterwards.
     */
    private void handleRevoke(RoutingContext ctx) {
        JsonNode refresh = bodies.json(ctx).path("refresh_token");
        if (!refresh.isTextual() || refresh.asText().isBlank()) {
            throw new Problem.Invalid("refresh_token is required: the refresh token of the session to end",
                    Map.of("refresh_token", "is required"));
        }
        async.run(ctx, () -> CompletableFuture.completedFuture(tokens.signOut(refresh.asText())),
                ended -> ctx.response().setStatusCode(204).end());
    }

    private static Map<String, Object> describe(ApiKeys.KeyInfo info) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("id", info.id());
        key.put("name", info.name());
        key.put("role", info.role().wireName());
        key.put("prefix", info.prefix());
        key.put("created_at", info.createdAt().toString());
        key.put("revoked_at", info.revokedAt().map(Object::toString).orElse(null));
        return key;
    }
}
