package dev.switchboard.http;

import dev.switchboard.auth.Role;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every endpoint of the API with the role it requires. Routes are only registered through here, so no
 * endpoint exists without a role; the table also feeds {@code /openapi.json} and the auth test.
 *
 * <p>Templates name their parameters in braces: {@code {alias}} matches one segment without {@code /} or
 * {@code :}, {@code {id+}} matches the rest of the path (model ids contain slashes).
 */
final class RouteTable {
    static final String ENDPOINT = "switchboard.endpoint";
    private static final Pattern PARAM = Pattern.compile("\\{(\\w+)(\\+?)}");

    private final Router router;
    private final AccessControl access;
    private final Handler<RoutingContext> minRevision;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final List<Pattern> paths = new ArrayList<>();

    /** One endpoint: what it is for, for people and for the OpenAPI document. */
    record Endpoint(HttpMethod method, String template, Role role, String summary) {
        /** The template as a regex with named groups. */
        String regex() {
            StringBuilder regex = new StringBuilder();
            Matcher matcher = PARAM.matcher(template);
            int last = 0;
            while (matcher.find()) {
                regex.append(Pattern.quote(template.substring(last, matcher.start())));
                regex.append("(?<").append(matcher.group(1)).append(">").append(matcher.group(2).isEmpty() ? "[^/:]+" : ".+").append(")");
                last = matcher.end();
            }
            return regex.append(Pattern.quote(template.substring(last))).toString();
        }

        boolean hasParameters() {
            return template.contains("{");
        }

        /** The template with every parameter replaced by {@code value} (for tests that call every endpoint). */
        String example(String value) {
            return PARAM.matcher(template).replaceAll(match -> match.group(1).equals("action") ? "refresh" : value);
        }

        /** The template in OpenAPI's form: {@code {id+}} becomes {@code {id}}. */
        String openApiPath() {
            return template.replace("+}", "}");
        }

        List<String> parameters() {
            return PARAM.matcher(template).results().map(m -> m.group(1)).toList();
        }
    }

    /** @param minRevision what every read passes before its handler: {@code ?min_revision=} ({@link MinRevision}) */
    RouteTable(Router router, AccessControl access, Handler<RoutingContext> minRevision) {
        this.router = router;
        this.access = access;
        this.minRevision = minRevision;
    }

    void add(HttpMethod method, String template, Role role, String summary, Handler<RoutingContext> handler) {
        Endpoint endpoint = new Endpoint(method, template, role, summary);
        endpoints.add(endpoint);
        paths.add(Pattern.compile(endpoint.regex()));
        Route route = endpoint.hasParameters() ? router.routeWithRegex(method, endpoint.regex()) : router.route(method, template);
        // the endpoint in the context, for the request metrics' route label (HttpMetrics)
        route.putMetadata(ENDPOINT, endpoint).handler(ctx -> {
            ctx.put(ENDPOINT, endpoint);
            ctx.next();
        }).handler(access.require(role));
        if (method == HttpMethod.GET) route.handler(minRevision); // after the role check: strangers cannot make it wait
        route.handler(handler);
    }

    List<Endpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    /** The methods served on {@code path}, in the order registered; empty when no endpoint has that path. */
    Set<HttpMethod> methods(String path) {
        Set<HttpMethod> methods = new LinkedHashSet<>();
        for (int i = 0; i < endpoints.size(); i++) {
            if (paths.get(i).matcher(path).matches()) methods.add(endpoints.get(i).method());
        }
        return methods;
    }

    /** The endpoint serving {@code method} on {@code path}, if any (the first registered, as the router picks). */
    Optional<Endpoint> endpoint(HttpMethod method, String path) {
        for (int i = 0; i < endpoints.size(); i++) {
            if (endpoints.get(i).method().equals(method) && paths.get(i).matcher(path).matches()) return Optional.of(endpoints.get(i));
        }
        return Optional.empty();
    }

    /**
     * The last handler of the router: 405 with {@code Allow} when the path exists with other methods (OPTIONS
     * is answered for every path), else 404.
     */
    void handleUnmatched(RoutingContext ctx) {
        Set<HttpMethod> methods = methods(ctx.normalizedPath());
        if (methods.isEmpty()) {
            ctx.fail(404);
            return;
        }
        ctx.response().putHeader(HttpHeaders.ALLOW, allow(methods) + ", OPTIONS");
        ctx.fail(405);
    }

    static String allow(Set<HttpMethod> methods) {
        return methods.stream().map(HttpMethod::name).collect(Collectors.joining(", "));
    }
}
