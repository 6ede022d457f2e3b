package dev.switchboard.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.catalog.CatalogState;
import dev.switchboard.catalog.ModelLookup;
import dev.switchboard.catalog.RefreshCoordinator;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.events.EventFeed;
import dev.switchboard.provider.ProviderRegistry;
import dev.switchboard.store.Store;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The HTTP face of Switchboard: the route table, the revision header on every answer, and the hot
 * {@code GET /v1/models} path that skips the router.
 */
public final class ApiServer {
    public static final String REVISION_HEADER = "X-Switchboard-Revision";

    private final Vertx vertx;
    private final SwitchboardConfig config;
    private final CatalogState state;
    private final Router router;
    private final ModelsRoutes models;
    private HttpServer server;

    public ApiServer(Vertx vertx, SwitchboardConfig config, ObjectMapper mapper, CatalogState state, ProviderRegistry providers,
                     RefreshCoordinator coordinator, ModelLookup lookup, Store store, PrometheusMeterRegistry prometheus,
                     BooleanSupplier started, Clock clock, EventFeed feed, Duration heartbeat) {
        this.vertx = vertx;
        this.config = config;
        this.state = state;
        Responses responses = new Responses(mapper);
        ModelsRenderer renderer = new ModelsRenderer(mapper, state);
        this.models = new ModelsRoutes(renderer, lookup, responses, prometheus);
        this.router = Router.router(vertx);
        router.route().handler(ctx -> {
            ctx.addHeadersEndHandler(v -> {
                if (!ctx.response().headers().contains(REVISION_HEADER)) {
                    ctx.response().putHeader(REVISION_HEADER, Long.toString(state.revision()));
                }
            });
            ctx.next();
        });
        router.route().method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH)
                .handler(BodyHandler.create(false).setBodyLimit(config.server().maxBodyBytes()));
        models.register(router);
        new ProvidersRoutes(providers, state, coordinator, renderer, config.catalog(), clock, responses).register(router);
        new EventsRoutes(feed, heartbeat, responses).register(router);
        new OpsRoutes(state, store, started, prometheus, responses).register(router);
        router.route().failureHandler(ctx -> responses.fail(ctx, ctx.failure()));
        router.route().last().handler(ctx -> ctx.fail(404));
    }

    public Future<Integer> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.server().host())
                .setPort(config.server().port())
                .setCompressionSupported(false)
                .setTcpNoDelay(true);
        return vertx.createHttpServer(options).requestHandler(this::handle).listen().map(s -> {
            server = s;
            return s.actualPort();
        });
    }

    private void handle(HttpServerRequest request) {
        if (request.method() == HttpMethod.GET && "/v1/models".equals(request.path()) && request.query() == null
                && models.serveUnfiltered(request)) {
            return;
        }
        router.handle(request);
    }

    public Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
