package dev.switchboard.http;

import dev.switchboard.events.EventFeed;
import dev.switchboard.events.EventStream;
import dev.switchboard.auth.Role;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** {@code GET /api/v1/events}: the change feed as Server-Sent Events, or as a long poll for JSON clients. */
final class EventsRoutes {
    private final EventFeed feed;
    private final Duration heartbeat;
    private final Responses responses;
    private final Clock clock;

    EventsRoutes(EventFeed feed, Duration heartbeat, Responses responses, Clock clock) {
        this.clock = clock;
        this.feed = feed;
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
            Optional<Duration> lifetime = AccessControl.principal(ctx).expiresAt()
                    .map(expires -> Duration.between(clock.instant(), expires));
            new SseSession(ctx, stream).start(head, heartbeat, lifetime);
        }
    }
}
