package dev.switchboard.http;

import dev.switchboard.auth.Principal;
import dev.switchboard.auth.Role;
import dev.switchboard.auth.TokenService;
import dev.switchboard.events.EventFeed;
import dev.switchboard.events.EventStream;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** {@code GET /api/v1/events}: the change feed as Server-Sent Events, or as a long poll for JSON clients. */
final class EventsRoutes {
    private final EventFeed feed;
    private final TokenService tokens;
    private final Duration heartbeat;
    private final Responses responses;
    private final Clock clock;

    EventsRoutes(EventFeed feed, TokenService tokens, Duration heartbeat, Responses responses, Clock clock) {
        this.clock = clock;
        this.feed = feed;
        this.tokens = tokens;
        this.heartbeat = heartbeat;
        this.responses = responses;
    }

    void register(RouteTable routes) {
        routes.add(HttpMethod.GET, "/api/v1/events", Role.READER, "The change feed: Server-Sent Events, or a JSON long poll", this::handleEvents);
    }

    private void handleEvents(RoutingContext ctx) {
        EventsRequest request = EventsRequest.parse(ctx);
        long head = feed.head();
        EventStream stream = feed.open(request.since().orElse(head), request.filter());
        if (request.longPoll()) {
            new LongPoll(ctx, feed, stream, responses).start(request.longPollWait());
        } else {
            Principal principal = AccessControl.principal(ctx);
            Optional<Duration> lifetime = principal.expiresAt().map(expires -> Duration.between(clock.instant(), expires));
            SseSession session = new SseSession(ctx, stream);
            session.start(head, heartbeat, lifetime);
            session.endWhenRevoked(revoked -> tokens.watch(principal, revoked));
        }
    }
}
