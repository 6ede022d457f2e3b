package dev.switchboard.http;

import dev.switchboard.auth.Role;
import dev.switchboard.nats.NatsStatus;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Supplier;

/** {@code GET /api/v1/nats}: the broker bridge's state and how far the stream is behind the log. */
final class NatsRoutes {
    private final Supplier<NatsStatus> status;
    private final Responses responses;

    NatsRoutes(Supplier<NatsStatus> status, Responses responses) {
        this.status = status;
        this.responses = responses;
    }

    void register(RouteTable routes) {
        routes.add(HttpMethod.GET, "/api/v1/nats", Role.READER, "The NATS bridge: connection, published revision and lag",
                this::handleStatus);
    }

    private void handleStatus(RoutingContext ctx) {
        responses.json(ctx, 200, status.get());
    }
}
