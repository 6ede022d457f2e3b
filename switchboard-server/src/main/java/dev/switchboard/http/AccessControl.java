package dev.switchboard.http;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.Principal;
import dev.switchboard.auth.Role;
import dev.switchboard.auth.TokenService;
import dev.switchboard.auth.WriteRateLimiter;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Checks every request against the role its endpoint requires: a key or an access token in
 * {@code Authorization: Bearer …}, or an access token (never a key) in {@code ?access_token=} on a {@code GET}
 * for browsers' EventSource, which cannot set headers. 401 without a valid credential, 403 for a role that may
 * not, 429 past the write rate.
 */
final class AccessControl {
    static final String PRINCIPAL = "switchboard.principal";

    private final boolean enabled;
    private final ApiKeys keys;
    private final TokenService tokens;
    private final WriteRateLimiter writes;
    private final Responses responses;

    AccessControl(boolean enabled, ApiKeys keys, TokenService tokens, WriteRateLimiter writes, Responses responses) {
        this.enabled = enabled;
        this.keys = keys;
        this.tokens = tokens;
        this.writes = writes;
        this.responses = responses;
    }

    boolean enabled() {
        return enabled;
    }

    Handler<RoutingContext> require(Role role) {
        return ctx -> {
            if (!enabled) {
                ctx.put(PRINCIPAL, Principal.ANONYMOUS);
                ctx.next();
                return;
            }
            Optional<Principal> principal = authenticate(ctx.request());
            if (role == Role.PUBLIC) {
                principal.ifPresent(p -> ctx.put(PRINCIPAL, p));
                ctx.next();
                return;
            }
            if (principal.isEmpty()) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"switchboard\"");
                responses.error(ctx, 401, "unauthorized", "a valid API key or access token is required (Authorization: Bearer …)", Map.of());
                return;
            }
            if (!principal.get().role().covers(role)) {
                responses.error(ctx, 403, "forbidden", "this needs the " + role.wireName() + " role; the key \"" + principal.get().name()
                        + "\" has " + principal.get().role().wireName(), Map.of());
                return;
            }
            // The gateway's POSTs are calls, not changes: what bounds them is the upstreams, not the write rate.
            if (role != Role.CALLER && isWrite(ctx.request().method())) {
                Optional<Duration> wait = writes.acquire(principal.get().keyId());
                if (wait.isPresent()) {
                    long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
                    ctx.response().putHeader("Retry-After", Long.toString(seconds));
                    responses.error(ctx, 429, "rate_limited", "too many writes with this key; retry in " + seconds + "s", Map.of());
                    return;
                }
            }
            ctx.put(PRINCIPAL, principal.get());
            ctx.next();
        };
    }

    /** For the hot path that bypasses the router: may this request read? */
    boolean mayRead(HttpServerRequest request) {
        return !enabled || authenticate(request).isPresent();
    }

    /** For the gateway's fast path: may this request call through the gateway ({@link Role#CALLER})? */
    boolean mayCall(HttpServerRequest request) {
        return !enabled || authenticate(request).map(principal -> principal.role().covers(Role.CALLER)).orElse(false);
    }

    Optional<Principal> authenticate(HttpServerRequest request) {
        String credential = credential(request);
        if (credential != null) {
            if (credential.startsWith(ApiKeys.KEY_PREFIX) || !credential.contains(".")) return keys.authenticate(credential);
            return tokens.verify(credential);
        }
        // URLs end up in access logs, proxies and browser history: only a short-lived access token may go there
        String query = request.method() == HttpMethod.GET ? request.getParam("access_token") : null;
        return query == null ? Optional.empty() : tokens.verify(query);
    }

    /** The {@code Authorization: Bearer} credential, or null. */
    static String credential(HttpServerRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) return header.substring(7).trim();
        return null;
    }

    static Principal principal(RoutingContext ctx) {
        Principal principal = ctx.get(PRINCIPAL);
        return principal == null ? Principal.ANONYMOUS : principal;
    }

    private static boolean isWrite(HttpMethod method) {
        return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH || method == HttpMethod.DELETE;
    }
}
