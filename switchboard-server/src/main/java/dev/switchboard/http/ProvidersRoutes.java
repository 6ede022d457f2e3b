package dev.switchboard.http;

import dev.switchboard.Problem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.catalog.Catalog;
import dev.switchboard.catalog.ProviderAdmin;
import dev.switchboard.catalog.CatalogState;
import dev.switchboard.catalog.RefreshCoordinator;
import dev.switchboard.catalog.RefreshProgress;
import dev.switchboard.catalog.RefreshResult;
import dev.switchboard.catalog.RefreshTrigger;
import dev.switchboard.catalog.Snapshot;
import dev.switchboard.config.CatalogConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.provider.ProviderRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import dev.switchboard.auth.Role;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/providers…}: provider status, their models, and refresh on demand. */
final class ProvidersRoutes {
    private final ProviderRegistry providers;
    private final CatalogState state;
    private final RefreshCoordinator coordinator;
    private final ModelsRenderer renderer;
    private final CatalogConfig config;
    private final Clock clock;
    private final Responses responses;
    private final ProviderAdmin admin;
    private final RequestBodies bodies;
    private final Async async;

    ProvidersRoutes(ProviderRegistry providers, CatalogState state, RefreshCoordinator coordinator,
                    ModelsRenderer renderer, CatalogConfig config, Clock clock, Responses responses,
                    ProviderAdmin admin, RequestBodies bodies, Async async) {
        this.admin = admin;
        this.bodies = bodies;
        this.async = async;
        this.providers = providers;
        this.state = state;
        this.coordinator = coordinator;
        this.renderer = renderer;
        this.config = config;
        this.clock = clock;
        this.responses = responses;
    }

    void register(RouteTable routes) {
        routes.add(HttpMethod.GET, "/api/v1/providers", Role.READER, "Every provider with status, counts and ages", this::handleListProviders);
        routes.add(HttpMethod.POST, "/api/v1/providers:{action}", Role.ADMIN, "Refresh every provider now (:refresh, ?force=true)", this::handleRefreshAll);
        routes.add(HttpMethod.POST, "/api/v1/providers/{id}:{action}", Role.ADMIN, "Refresh one provider now (:refresh, ?force=true)", this::handleRefreshOne);
        routes.add(HttpMethod.GET, "/api/v1/providers/{id}/models", Role.READER, "One provider's models", this::handleProviderModels);
        routes.add(HttpMethod.GET, "/api/v1/providers/{id}", Role.READER, "One provider", this::handleGetProvider);
        routes.add(HttpMethod.POST, "/api/v1/providers", Role.ADMIN, "Create a provider (source=api)", this::handleCreate);
        routes.add(HttpMethod.PUT, "/api/v1/providers/{id}", Role.ADMIN, "Create or replace a provider (source=api)", this::handlePut);
        routes.add(HttpMethod.PATCH, "/api/v1/providers/{id}", Role.ADMIN, "Change a provider (JSON merge patch)", this::handlePatch);
        routes.add(HttpMethod.DELETE, "/api/v1/providers/{id}", Role.ADMIN, "Delete a provider (source=api)", this::handleDelete);
    }

    private void handleListProviders(RoutingContext ctx) {
        Catalog catalog = state.current();
        List<ObjectNode> data = providers.all().stream().map(p -> describe(p, catalog)).toList();
        responses.json(ctx, 200, Map.of("data", data));
    }

    private void handleGetProvider(RoutingContext ctx) {
        ProviderConfig provider = provider(ctx.pathParam("id"));
        responses.json(ctx, 200, describe(provider, state.current()));
    }

    private void handleProviderModels(RoutingContext ctx) {
        ProviderConfig provider = provider(ctx.pathParam("id"));
        Snapshot snapshot = snapshot(provider.id(), state.current());
        responses.json(ctx, 200, Map.of("object", "list", "provider_id", provider.id(), "status", snapshot.status().wireName(),
                "data", snapshot.models().stream().map(m -> renderer.entry(snapshot, m)).toList()));
    }

    private void handleCreate(RoutingContext ctx) {
        JsonNode body = bodies.json(ctx);
        async.write(ctx, ticket -> admin.create(body, AccessControl.principal(ctx).name(), ticket), provider -> {
            ctx.response().putHeader(HttpHeaders.LOCATION, "/api/v1/providers/" + provider.id());
            responses.json(ctx, 201, describe(provider, state.current()));
        });
    }

    private void handlePut(RoutingContext ctx) {
        JsonNode body = bodies.json(ctx);
        async.write(ctx, ticket -> admin.put(ctx.pathParam("id"), body, AccessControl.principal(ctx).name(), ticket),
                saved -> responses.json(ctx, saved.created() ? 201 : 200, describe(saved.provider(), state.current())));
    }

    private void handlePatch(RoutingContext ctx) {
        JsonNode patch = bodies.json(ctx);
        async.write(ctx, ticket -> admin.patch(ctx.pathParam("id"), patch, AccessControl.principal(ctx).name(), ticket),
                provider -> responses.json(ctx, 200, describe(provider, state.current())));
    }

    private void handleDelete(RoutingContext ctx) {
        async.write(ctx, ticket -> admin.delete(ctx.pathParam("id"), AccessControl.principal(ctx).name(), ticket),
                done -> ctx.response().setStatusCode(204).end());
    }

    private void handleRefreshAll(RoutingContext ctx) {
        requireRefreshAction(ctx);
        boolean force = force(ctx);
        respond(ctx, coordinator.refreshAll(force, RefreshTrigger.MANUAL, RefreshProgress.NONE));
    }

    private void handleRefreshOne(RoutingContext ctx) {
        requireRefreshAction(ctx);
        ProviderConfig provider = provider(ctx.pathParam("id"));
        boolean force = force(ctx);
        respond(ctx, coordinator.refresh(List.of(provider.id()), force, RefreshTrigger.MANUAL, RefreshProgress.NONE));
    }

    /** The refresh result, with the revision it was applied at (not whatever the instance reached since). */
    private void respond(RoutingContext ctx, java.util.concurrent.CompletableFuture<RefreshResult> refresh) {
        Future.fromCompletionStage(refresh, ctx.vertx().getOrCreateContext())
                .onSuccess(result -> {
                    ctx.response().putHeader(ApiServer.REVISION_HEADER, Long.toString(result.revision()));
                    responses.json(ctx, 200, result);
                })
                .onFailure(error -> responses.fail(ctx, error));
    }

    private static void requireRefreshAction(RoutingContext ctx) {
        String action = ctx.pathParam("action");
        if (!"refresh".equals(action)) {
            throw new Problem.Invalid("unknown action \":" + action + "\"; the only action on providers is \":refresh\"", java.util.Map.of());
        }
    }

    private static boolean force(RoutingContext ctx) {
        return RequestBodies.flag(ctx, "force", false);
    }

    private ProviderConfig provider(String id) {
        return providers.find(id).orElseThrow(() -> new Problem.NotFound("provider_not_found", "no provider \"" + id + "\""));
    }

    private static Snapshot snapshot(String id, Catalog catalog) {
        return catalog.snapshot(id).orElse(Snapshot.never(id));
    }

    private ObjectNode describe(ProviderConfig provider, Catalog catalog) {
        Snapshot snapshot = snapshot(provider.id(), catalog);
        ObjectNode body = admin.describe(provider);
        body.put("status", snapshot.status().wireName());
        body.put("model_count", snapshot.models().size());
        body.put("last_refreshed_at", snapshot.fetchedAt().map(Object::toString).orElse(null));
        body.put("last_success_at", snapshot.lastSuccessAt().map(Object::toString).orElse(null));
        if (snapshot.lastSuccessAt().isPresent()) {
            body.put("age_seconds", Duration.between(snapshot.lastSuccessAt().get(), clock.instant()).toSeconds());
        } else {
            body.putNull("age_seconds");
        }
        body.put("stale", isStale(snapshot));
        body.put("last_error", snapshot.lastError().orElse(null));
        body.put("consecutive_failures", snapshot.consecutiveFailures());
        if (!snapshot.pending().isEmpty()) body.put("suspect_model_count", snapshot.pending().size());
        return body;
    }

    /** Older than two refresh intervals (or never fetched successfully); with no schedule, never stale by age. */
    private boolean isStale(Snapshot snapshot) {
        if (snapshot.lastSuccessAt().isEmpty()) return true;
        if (!config.scheduled()) return false;
        Instant limit = snapshot.lastSuccessAt().get().plus(config.refreshInterval().multipliedBy(2));
        return clock.instant().isAfter(limit);
    }
}
