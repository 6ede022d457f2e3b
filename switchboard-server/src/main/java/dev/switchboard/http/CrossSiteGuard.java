package dev.switchboard.http;

import dev.switchboard.config.ServerConfig;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Keeps web pages from using the API through the operator's browser. With {@code [auth] mode = "none"}
 * nothing else stands between a page the operator opens and every write:
 * <ul>
 *   <li><b>DNS rebinding</b>: a page whose name was made to resolve to 127.0.0.1 reaches a loopback server
 *       as its own origin, with its own name in {@code Host}. When bound to loopback only loopback names,
 *       the bound host and {@code [server] allowed_hosts} are accepted (421 otherwise); elsewhere the check
 *       is on once {@code allowed_hosts} lists names.</li>
 *   <li><b>Cross-site writes</b>: a form or a no-cors {@code fetch} can POST without a preflight. Every
 *       request with a body must say {@code Content-Type: application/json} (415 otherwise) — which a page
 *       can only send after a preflight — and a write whose {@code Origin} is neither the server's own nor in
 *       {@code [server] allowed_origins} is refused (403). Reads need no origin check: without CORS headers
 *       the browser keeps the answer from the page.</li>
 *   <li><b>CORS</b>: allowed origins get {@code Access-Control-Allow-Origin} on every answer and their
 *       preflights are answered; other origins' preflights are refused.</li>
 * </ul>
 * The checks run before the body is read and before authentication, so a refused request costs nothing.
 */
final class CrossSiteGuard implements Handler<RoutingContext> {
    private static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "[::1]");
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, If-Match, If-None-Match, Last-Event-ID, Accept";
    private static final String EXPOSED_HEADERS = "ETag, Location, Retry-After, WWW-Authenticate, " + ApiServer.REVISION_HEADER
            + ", X-Switchboard-Target, X-Switchboard-Attempts";
    private static final CharSequence VARY_ORIGIN = HttpHeaders.createOptimized("Origin");
    /** How long a browser may reuse a preflight answer. */
    private static final String PREFLIGHT_MAX_AGE_SECONDS = "600";

    /** Accepted {@code Host} names, lower case; null when every name is accepted. */
    private final String[] hostNames;
    private final String hostRefusal;
    private final Set<String> allowedOrigins;
    private final RouteTable routes;
    private final Responses responses;

    CrossSiteGuard(ServerConfig server, RouteTable routes, Responses responses) {
        this.hostNames = hostNames(server);
        this.hostRefusal = hostNames == null ? "" : " is not a name of this server (it answers to " + String.join(", ", hostNames)
                + "); a web page behind a rebound DNS name sends such a Host. List other names in [server] allowed_hosts";
        this.allowedOrigins = Set.copyOf(server.allowedOrigins());
        this.routes = routes;
        this.responses = responses;
    }

    private static String[] hostNames(ServerConfig server) {
        if (!server.loopback() && server.allowedHosts().isEmpty()) return null;
        Set<String> names = new LinkedHashSet<>(LOOPBACK_NAMES);
        String bound = server.host().toLowerCase(Locale.ROOT);
        if (bound.contains(":") && !bound.startsWith("[")) bound = "[" + bound + "]"; // IPv6 as Host carries it
        if (!bound.equals("0.0.0.0") && !bound.equals("[::]")) names.add(bound); // wildcards are no name
        names.addAll(server.allowedHosts());
        return names.toArray(String[]::new);
    }

    /**
     * For the hot path that bypasses the router: a plain read this guard would let through untouched — an
     * accepted {@code Host} and no {@code Origin} (which would need CORS headers). Allocates nothing.
     */
    boolean passesUntouched(HttpServerRequest request) {
        return hostAccepted(request.getHeader(HttpHeaders.HOST)) && !request.headers().contains(HttpHeaders.ORIGIN);
    }

    /** For the gateway's fast path: a body this guard would accept (none, or JSON in UTF-8). */
    boolean acceptsBody(HttpServerRequest request) {
        return bodyRefusal(request) == null;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String host = request.getHeader(HttpHeaders.HOST);
        if (!hostAccepted(host)) {
            responses.error(ctx, 421, "unknown_host", "Host \"" + host + "\"" + hostRefusal, Map.of());
            return;
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        boolean allowed = origin != null && allowedOrigins.contains(origin);
        if (request.method() == HttpMethod.OPTIONS) {
            handleOptions(ctx, origin, allowed || origin == null || sameOrigin(origin, host));
            return;
        }
        if (allowed) {
            ctx.response().putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                    .putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS)
                    .putHeader(HttpHeaders.VARY, VARY_ORIGIN);
        } else if (origin != null && !isRead(request.method()) && !sameOrigin(origin, host)) {
            refuseOrigin(ctx, origin);
            return;
        }
        String refusal = bodyRefusal(request);
        if (refusal != null) {
            responses.error(ctx, 415, "unsupported_media_type", refusal, Map.of());
            return;
        }
        ctx.next();
    }

    /** A preflight (or a plain {@code OPTIONS}): the methods of the path, with CORS headers for an allowed origin. */
    private void handleOptions(RoutingContext ctx, String origin, boolean allowed) {
        if (!allowed) {
            refuseOrigin(ctx, origin);
            return;
        }
        Set<HttpMethod> methods = routes.methods(ctx.normalizedPath());
        if (methods.isEmpty()) {
            ctx.next(); // no such path: the router's 404
            return;
        }
        MultiMap headers = ctx.response().headers();
        headers.set(HttpHeaders.ALLOW, RouteTable.allow(methods) + ", OPTIONS");
        if (origin != null && allowedOrigins.contains(origin)) {
            headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                    .set(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, RouteTable.allow(methods))
                    .set(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS)
                    .set(HttpHeaders.ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE_SECONDS)
                    .set(HttpHeaders.VARY, VARY_ORIGIN);
        }
        ctx.response().setStatusCode(204).end();
    }

    private void refuseOrigin(RoutingContext ctx, String origin) {
        responses.error(ctx, 403, "forbidden_origin", "requests from the web origin \"" + origin + "\" may not change anything"
                + " here; list it in [server] allowed_origins to allow it", Map.of());
    }

    /**
     * Whether {@code host} (a {@code Host} header, perhaps with a port) names this server; compares in place.
     * An absent {@code Host} is accepted: browsers always send one, so its absence is no rebinding.
     */
    private boolean hostAccepted(String host) {
        if (hostNames == null || host == null) return true;
        int end = nameEnd(host);
        for (String name : hostNames) {
            if (end == name.length() && host.regionMatches(true, 0, name, 0, end)) return true;
        }
        return false;
    }

    /** Where the name of a {@code Host} value ends: before {@code :port}, after the bracket of an IPv6 address. */
    private static int nameEnd(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close < 0 ? host.length() : close + 1;
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host.length() : colon;
    }

    /** The page was served by this server at the address the request names (behind TLS termination too). */
    private static boolean sameOrigin(String origin, String host) {
        if (host == null) return false;
        int scheme = origin.regionMatches(true, 0, "http://", 0, 7) ? 7 : origin.regionMatches(true, 0, "https://", 0, 8) ? 8 : -1;
        return scheme > 0 && origin.length() - scheme == host.length() && origin.regionMatches(true, scheme, host, 0, host.length());
    }

    private static boolean isRead(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD;
    }

    /** Why a request's body is refused, or null: it has none, or it is declared JSON in UTF-8. */
    private static String bodyRefusal(HttpServerRequest request) {
        if (!hasBody(request)) return null;
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null) return "request bodies must be JSON, sent with Content-Type: application/json; got no Content-Type";
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        boolean json = mediaType.equalsIgnoreCase("application/json")
                || (request.method() == HttpMethod.PATCH && mediaType.equalsIgnoreCase("application/merge-patch+json"));
        if (!json) {
            return "request bodies must be JSON, sent with Content-Type: application/json"
                    + (request.method() == HttpMethod.PATCH ? " (or application/merge-patch+json)" : "") + "; got " + mediaType;
        }
        String charset = semicolon < 0 ? null : charset(contentType.substring(semicolon + 1));
        if (charset != null && !charset.equalsIgnoreCase("utf-8")) return "JSON bodies must be UTF-8; got charset=" + charset;
        return null;
    }

    private static String charset(String parameters) {
        for (String parameter : parameters.split(";")) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).strip().equalsIgnoreCase("charset")) {
                return parameter.substring(equals + 1).strip().replace("\"", "");
            }
        }
        return null;
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) return !length.strip().equals("0");
        return request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }
}
