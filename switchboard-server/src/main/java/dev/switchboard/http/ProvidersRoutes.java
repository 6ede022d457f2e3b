package dev.switchboard.http;

import dev.switchboard.Problem;

import dev.switchboard.catalog.Catalog;
import dev.switchboard.catalog.CatalogState;
import dev.switchboard.catalog.RefreshCoordinator;
import dev.switchboard.catalog.RefreshProgress;
import dev.switchboard.catalog.RefreshTrigger;
import dev.switchboard.catalog.Snapshot;
import dev.switchboard.config.CatalogConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.provider.ProviderRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
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

    ProvidersRoutes(ProviderRegistry providers, CatalogState state, RefreshCoordinator coordinator,
                    ModelsRenderer renderer, CatalogConfig config, Clock clock, Responses responses) {
        this.providers = providers;
        this.state = state;
        this.coordinator = coordinator;
        this.renderer = renderer;
        this.config = config;
        this.clock = clock;
        this.responses = responses;
    }

    void register(Router router) {
        router.get("/api/v1/providers").handler(this::handleListProviders);
        router.postWithRegex("/api/v1/providers:(?<action>[^/]*)").handler(this::handleRefreshAll);
        router.postWithRegex("/api/v1/providers/(?<id>[^/:]+):(?<action>[^/]*)").handler(this::handleRefreshOne);
        router.getWithRegex("/api/v1/providers/(?<id>[^/:]+)/models").handler(this::handleProviderModels);
        router.getWithRegex("/api/v1/providers/(?<id>[^/:]+)").handler(this::handleGetProvider);
    }

    private void handleListProviders(RoutingContext ctx) {
        Catalog catalog = state.current();
        List<Map<String, Object>> data = providers.all().stream().map(p -> describe(p, catalog)).toList();
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

    private void respond(RoutingContext ctx, java.util.concurrent.CompletableFuture<?> refresh) {
        Future.fromCompletionStage(refresh, ctx.vertx().getOrCreateContext())
                .onSuccess(result -> responses.json(ctx, 200, result))
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

    private Map<String, Object> describe(ProviderConfig provider, Catalog catalog) {
        Snapshot snapshot = snapshot(provider.id(), catalog);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", provider.id());
        body.put("kind", provider.kind().wireName());
        if (provider.baseUrl() != null) body.put("base_url", provider.baseUrl().toString());
        body.put("source", provider.source().wireName());
        body.put("status", snapshot.status().wireName());
        body.put("model_count", snapshot.models().size());
        body.put("last_refreshed_at", snapshot.fetchedAt().orElse(null));
        body.put("last_success_at", snapshot.lastSuccessAt().orElse(null));
        body.put("age_seconds", snapshot.lastSuccessAt().map(t -> Duration.between(t, clock.instant()).toSeconds()).orElse(null));
        body.put("stale", isStale(snapshot));
        body.put("last_error", snapshot.lastError().orElse(null));
        body.put("consecutive_failures", snapshot.consecutiveFailures());
        if (!snapshot.pending().isEmpty()) body.put("suspect_model_count", snapshot.pending().size());
        body.put("has_credentials", provider.apiKey().isPresent());
        body.put("allowed_models", provider.allowedModels());
        body.put("denied_models", provider.deniedModels());
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
