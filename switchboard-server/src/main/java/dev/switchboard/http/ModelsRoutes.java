package dev.switchboard.http;

import dev.switchboard.Problem;

import dev.switchboard.catalog.ModelLookup;
import dev.switchboard.configs.ConfigSet;
import dev.switchboard.configs.ModelConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import dev.switchboard.auth.Role;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.function.Supplier;

/** The OpenAI-compatible {@code GET /v1/models} and {@code GET /v1/models/{id}}. */
final class ModelsRoutes {
    private static final CharSequence REVISION = HttpHeaders.createOptimized(ApiServer.REVISION_HEADER);
    private static final CharSequence GZIP = HttpHeaders.createOptimized("gzip");
    private static final CharSequence VARY_VALUE = HttpHeaders.createOptimized("Accept-Encoding");
    private static final CharSequence CACHE_CONTROL_VALUE = HttpHeaders.createOptimized("no-cache");
    private static final Set<String> KINDS = Set.of("model", "alias");

    private final ModelsRenderer renderer;
    private final ModelLookup lookup;
    private final Supplier<ConfigSet> aliases;
    private final Responses responses;
    private final Counter served;
    private final Counter notModified;
    private final Counter misses;

    ModelsRoutes(ModelsRenderer renderer, ModelLookup lookup, Supplier<ConfigSet> aliases, Responses responses, MeterRegistry meters) {
        this.renderer = renderer;
        this.lookup = lookup;
        this.aliases = aliases;
        this.responses = responses;
        this.served = modelsRequests(meters, "hit");
        this.notModified = modelsRequests(meters, "not_modified");
        this.misses = modelsRequests(meters, "miss");
    }

    private static Counter modelsRequests(MeterRegistry meters, String result) {
        return Counter.builder("switchboard.models.requests")
                .description("Model list answers: hit (a pre-rendered body), not_modified (304 on the ETag), miss (the catalog was cold)")
                .tag("result", result).register(meters);
    }

    void register(RouteTable routes) {
        routes.add(HttpMethod.GET, "/v1/models", Role.READER, "The catalog and the aliases in OpenAI's list shape", this::handleListModels);
        routes.add(HttpMethod.GET, "/v1/models/{id+}", Role.READER, "One model (provider/model) or alias", this::handleGetModel);
    }

    /** The hot path: also called straight from the server's request handler, before the router. */
    boolean serveUnfiltered(HttpServerRequest request) {
        if (!lookup.isWarm()) return false;
        write(request, renderer.full());
        return true;
    }

    private void handleListModels(RoutingContext ctx) {
        Set<String> providers = QueryParams.csv(ctx.queryParam("provider"));
        Set<String> kinds = QueryParams.csv(ctx.queryParam("kind"));
        if (kinds != null && !KINDS.containsAll(kinds)) {
            throw new Problem.Invalid("kind must be \"model\" or \"alias\", got " + String.join(",", ctx.queryParam("kind")),
                    java.util.Map.of("kind", "must be \"model\" or \"alias\""));
        }
        if (lookup.isWarm()) {
            writeFiltered(ctx, providers, kinds);
            return;
        }
        misses.increment();
        // what the miss just fetched must be in the answer: rendered from the current state, not the last full body
        Future.fromCompletionStage(lookup.warmCatalog(), ctx.vertx().getOrCreateContext())
                .onSuccess(catalog -> writeRendered(ctx, providers, kinds))
                .onFailure(error -> responses.fail(ctx, error));
    }

    private void writeFiltered(RoutingContext ctx, Set<String> providers, Set<String> kinds) {
        ModelsDocument ready = providers == null && kinds == null ? renderer.full() : renderer.cachedFiltered(providers, kinds);
        if (ready != null) {
            write(ctx.request(), ready);
        } else {
            writeRendered(ctx, providers, kinds);
        }
    }

    /** A list rendered from the current state (or cached at this revision); over a large catalog a large render, so on a worker. */
    private void writeRendered(RoutingContext ctx, Set<String> providers, Set<String> kinds) {
        ctx.vertx().executeBlocking(() -> renderer.filtered(providers, kinds), false)
                .onSuccess(document -> write(ctx.request(), document))
                .onFailure(error -> responses.fail(ctx, error));
    }

    private void handleGetModel(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        int slash = id.indexOf('/');
        if (slash < 0) {
            ModelConfig alias = aliases.get().find(id).orElseThrow(() -> new Problem.NotFound("model_not_found",
                    "no model or alias \"" + id + "\"; model ids look like <provider>/<model>"));
            ObjectNode entry = renderer.entry(alias);
            if (explain(ctx)) ((ObjectNode) entry.get("switchboard")).set("explain", renderer.explain(alias));
            responses.json(ctx, 200, entry);
            return;
        }
        if (slash == 0 || slash == id.length() - 1) {
            throw new Problem.NotFound("model_not_found", "no model \"" + id + "\"; model ids look like <provider>/<model>");
        }
        Future.fromCompletionStage(lookup.find(id.substring(0, slash), id.substring(slash + 1)), ctx.vertx().getOrCreateContext())
                .onSuccess(found -> {
                    if (found.isEmpty()) {
                        responses.error(ctx, 404, "model_not_found", "no model \"" + id + "\" in the catalog", java.util.Map.of());
                    } else {
                        ObjectNode entry = renderer.entry(found.get().snapshot(), found.get().model());
                        if (explain(ctx)) {
                            ((ObjectNode) entry.get("switchboard")).set("explain", renderer.explain(found.get().snapshot(), found.get().model()));
                        }
                        responses.json(ctx, 200, entry);
                    }
                })
                .onFailure(error -> responses.fail(ctx, error));
    }

    /** {@code ?explain=true}: where each normalised field came from, and what every source offered. */
    private static boolean explain(RoutingContext ctx) {
        var values = ctx.queryParam("explain");
        if (values.isEmpty()) return false;
        String value = values.getLast();
        if (value.equals("true") || value.isEmpty()) return true;
        if (value.equals("false")) return false;
        throw new Problem.Invalid("explain must be true or false, got \"" + value + "\"", java.util.Map.of("explain", "must be true or false"));
    }

    private void write(HttpServerRequest request, ModelsDocument document) {
        HttpServerResponse response = request.response();
        response.putHeader(REVISION, document.revisionHeader())
                .putHeader(HttpHeaders.ETAG, document.etagHeader())
                .putHeader(HttpHeaders.VARY, VARY_VALUE)
                .putHeader(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL_VALUE);
        if (document.matches(request.getHeader(HttpHeaders.IF_NONE_MATCH))) {
            notModified.increment();
            response.setStatusCode(304).end();
            return;
        }
        served.increment();
        response.putHeader(HttpHeaders.CONTENT_TYPE, Responses.APPLICATION_JSON);
        String acceptEncoding = request.getHeader(HttpHeaders.ACCEPT_ENCODING);
        if (acceptEncoding != null && acceptEncoding.contains("gzip")) {
            response.putHeader(HttpHeaders.CONTENT_ENCODING, GZIP).end(document.gzip());
        } else {
            response.end(document.json());
        }
    }
}
