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

import java.util.function.Supplier;

/** The OpenAI-compatible {@code GET /v1/models} and {@code GET /v1/models/{id}}. */
final class ModelsRoutes {
    private static final CharSequence REVISION = HttpHeaders.createOptimized(ApiServer.REVISION_HEADER);
    private static final CharSequence GZIP = HttpHeaders.createOptimized("gzip");
    private static final CharSequence VARY_VALUE = HttpHeaders.createOptimized("Accept-Encoding");
    private static final CharSequence CACHE_CONTROL_VALUE = HttpHeaders.createOptimized("no-cache");

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
        routes.add(HttpMethod.GET, "/v1/models", Role.READER, "The catalog and the aliases in OpenAI's list shape; filters "
                + "(combinable): provider, kind (model, alias), capability (all listed), input_modality (all listed), "
                + "min_context (context_window at least), max_input_price (pricing.input per 1M tokens at most, currencies "
                + "not converted)", this::handleListModels);
        routes.add(HttpMethod.GET, "/v1/models/{id+}", Role.READER, "One model (provider/model) or alias", this::handleGetModel);
    }

    /**
     * The hot path: called straight from the server's request handler, before the router. The body to serve without
     * the router: the full list, or a filtered one already rendered at this revision; null (the router takes the
     * request) for anything else: a cold catalog, another parameter (e.g. {@code min_revision}), a bad filter (the
     * router answers 400) or a filter not rendered yet. The caller applies the router's host, origin and reader
     * checks before it {@link #serve serves} it.
     */
    ModelsDocument cached(HttpServerRequest request) {
        if (!lookup.isWarm()) return null;
        String query = request.query();
        if (query == null) return renderer.full();
        ModelsFilter filter = ModelsFilter.fromQuery(query);
        if (filter == null) return null;
        return filter.isEmpty() ? renderer.full() : renderer.cachedFiltered(filter);
    }

    void serve(HttpServerRequest request, ModelsDocument document) {
        write(request, document);
    }

    private void handleListModels(RoutingContext ctx) {
        ModelsFilter filter = ModelsFilter.parse(ctx::queryParam);
        if (lookup.isWarm()) {
            writeFiltered(ctx, filter);
            return;
        }
        misses.increment();
        // what the miss just fetched must be in the answer: rendered from the current state, not the last full body
        Future.fromCompletionStage(lookup.warmCatalog(), ctx.vertx().getOrCreateContext())
                .onSuccess(catalog -> writeRendered(ctx, filter))
                .onFailure(error -> responses.fail(ctx, error));
    }

    private void writeFiltered(RoutingContext ctx, ModelsFilter filter) {
        ModelsDocument ready = filter.isEmpty() ? renderer.full() : renderer.cachedFiltered(filter);
        if (ready != null) {
            write(ctx.request(), ready);
        } else {
            writeRendered(ctx, filter);
        }
    }

    /** A list rendered from the current state (or cached at this revision); over a large catalog a large render, so on a worker. */
    private void writeRendered(RoutingContext ctx, ModelsFilter filter) {
        ctx.vertx().executeBlocking(() -> renderer.filtered(filter), false)
                .onSuccess(document -> write(ctx.request(), document))
                .onFailure(error -> responses.fail(ctx, error));
    }

    private void handleGetModel(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        boolean explain = RequestBodies.flag(ctx, "explain", false); // read before any answer: a bad one is a 400
        int slash = id.indexOf('/');
        if (slash < 0) {
            ModelConfig alias = aliases.get().find(id).orElseThrow(() -> new Problem.NotFound("model_not_found",
                    "no model or alias \"" + id + "\"; model ids look like <provider>/<model>"));
            ObjectNode entry = renderer.entry(alias);
            if (explain) ((ObjectNode) entry.get("switchboard")).set("explain", renderer.explain(alias));
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
                        if (explain) {
                            ((ObjectNode) entry.get("switchboard")).set("explain", renderer.explain(found.get().snapshot(), found.get().model()));
                        }
                        responses.json(ctx, 200, entry);
                    }
                })
                .onFailure(error -> responses.fail(ctx, error));
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
