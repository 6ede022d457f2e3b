package dev.switchboard.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Problem;
import dev.switchboard.auth.Role;
import dev.switchboard.catalog.MetadataSourceRefresher;
import dev.switchboard.catalog.MetadataSourceView;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** {@code /api/v1/metadata-sources…}: each metadata catalog's status, and its refresh on demand. */
final class MetadataSourcesRoutes {
    private final MetadataSourceRefresher sources;
    private final Responses responses;

    MetadataSourcesRoutes(MetadataSourceRefresher sources, Responses responses) {
        this.sources = sources;
        this.responses = responses;
    }

    void register(RouteTable routes) {
        routes.add(HttpMethod.GET, "/api/v1/metadata-sources", Role.READER, "Every metadata source with status and model count", this::handleList);
        routes.add(HttpMethod.POST, "/api/v1/metadata-sources/{id}:{action}", Role.ADMIN,
                "Fetch one metadata source now (:refresh, ?force=true applies an answer the shrink guard holds)", this::handleRefreshAction);
        routes.add(HttpMethod.POST, "/api/v1/metadata-sources/{id}/refresh", Role.ADMIN,
                "Fetch one metadata source now (as :refresh)", this::handleRefresh);
        routes.add(HttpMethod.GET, "/api/v1/metadata-sources/{id}", Role.READER, "One metadata source", this::handleGet);
    }

    private void handleList(RoutingContext ctx) {
        responses.json(ctx, 200, Map.of("data", sources.all().stream().map(MetadataSourcesRoutes::describe).toList()));
    }

    private void handleGet(RoutingContext ctx) {
        responses.json(ctx, 200, describe(source(ctx.pathParam("id"))));
    }

    private void handleRefreshAction(RoutingContext ctx) {
        String action = ctx.pathParam("action");
        if (!"refresh".equals(action)) {
            throw new Problem.Invalid("unknown action \":" + action + "\"; the only action on metadata sources is \":refresh\"", Map.of());
        }
        handleRefresh(ctx);
    }

    private void handleRefresh(RoutingContext ctx) {
        MetadataSourceView source = source(ctx.pathParam("id"));
        boolean force = RequestBodies.flag(ctx, "force", false);
        Future.fromCompletionStage(sources.refresh(source.config().id(), force), ctx.vertx().getOrCreateContext())
                .onSuccess(view -> responses.json(ctx, 200, describe(view)))
                .onFailure(error -> responses.fail(ctx, error));
    }

    private MetadataSourceView source(String id) {
        return sources.find(id).orElseThrow(() -> new Problem.NotFound("metadata_source_not_found", "no metadata source \"" + id + "\""));
    }

    static ObjectNode describe(MetadataSourceView view) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("id", view.config().id());
        body.put("kind", view.config().kind().wireName());
        body.put("url", shown(view.config().url()));
        body.put("status", view.state().status().wireName());
        body.put("model_count", view.state().served().modelCount());
        body.put("skipped_entries", view.state().served().skipped());
        body.put("fetched_at", text(view.state().fetchedAt()));
        body.put("last_success_at", text(view.state().lastSuccessAt()));
        body.put("last_error", view.state().lastError().orElse(null));
        body.put("consecutive_failures", view.state().consecutiveFailures());
        view.state().pending().ifPresent(held -> body.put("suspect_model_count", held.modelCount()));
        body.put("refresh_interval_seconds", view.config().refreshInterval().toSeconds());
        body.put("next_refresh_at", text(view.nextRefreshAt()));
        return body;
    }

    /** The URL without its query's values, where a token may travel. */
    private static String shown(URI url) {
        if (url.getRawQuery() == null) return url.toString();
        String text = url.toString();
        return text.substring(0, text.indexOf('?')) + "?***";
    }

    private static String text(Optional<Instant> instant) {
        return instant.map(Instant::toString).orElse(null);
    }
}
