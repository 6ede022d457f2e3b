package dev.switchboard.http;

import dev.switchboard.events.EventFeed;
import dev.switchboard.events.EventStream;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;

/** {@code GET /api/v1/events}: the change feed as Server-Sent Events, or as a long poll for JSON clients. */
final class EventsRoutes {
    private final EventFeed feed;
    private final Duration heartbeat;
    private final Responses responses;

    EventsRoutes(EventFeed feed, Duration heartbeat, Responses responses) {
        this.feed = feed;
        this.heartbeat = heartbeat;
        this.responses = responses;
    }

    void register(Router router) {
        router.get("/api/v1/events").handler(this::handleEvents);
    }

    private void handleEvents(RoutingContext ctx) {
        EventsRequest request = EventsRequest.parse(ctx);
        long head = feed.head();
        EventStream stream = feed.open(request.since().orElse(head), request.filter());
        if (request.longPoll()) {
            new LongPoll(ctx, feed, stream, responses).start(request.longPollWait());
        } else {
            new SseSession(ctx, stream).start(head, heartbeat);
        }
    }
}
