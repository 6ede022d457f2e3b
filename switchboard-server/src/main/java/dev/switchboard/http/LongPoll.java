package dev.switchboard.http;

import dev.switchboard.events.Delivery;
import dev.switchboard.events.EventFeed;
import dev.switchboard.events.EventStream;
import dev.switchboard.events.FeedEvent;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.List;

/**
 * A long poll: the events after {@code since} as a JSON array of envelopes as soon as there is at least one,
 * or an empty array once {@code wait} has passed with none. Waiting starts when the backlog is read.
 */
final class LongPoll {
    private final RoutingContext ctx;
    private final EventFeed feed;
    private final EventStream stream;
    private final Responses responses;
    private final Context context;
    private boolean timedOut;

    LongPoll(RoutingContext ctx, EventFeed feed, EventStream stream, Responses responses) {
        this.ctx = ctx;
        this.feed = feed;
        this.stream = stream;
        this.responses = responses;
        this.context = ctx.vertx().getOrCreateContext();
    }

    void start(Duration wait) {
        ctx.response().closeHandler(v -> stream.close());
        Future.fromCompletionStage(stream.available(), context).onComplete(backlog -> {
            if (backlog.failed() || !isEmpty(backlog.result()) || wait.isZero()) {
                answer(backlog);
                return;
            }
            long timer = ctx.vertx().setTimer(Math.max(1, wait.toMillis()), id -> {
                timedOut = true;
                stream.close();
            });
            Future.fromCompletionStage(stream.next(), context).onComplete(next -> {
                ctx.vertx().cancelTimer(timer);
                answer(next);
            });
        });
    }

    private void answer(AsyncResult<Delivery> result) {
        stream.close();
        if (ctx.response().closed()) return;
        if (result.failed() && !timedOut) {
            responses.fail(ctx, result.cause());
            return;
        }
        List<FeedEvent> events = result.failed() ? List.of() : switch (result.result()) {
            case Delivery.Events found -> found.events();
            case Delivery.Resync resync -> List.of(resync.event());
        };
        Buffer body = Buffer.buffer().appendString("[");
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) body.appendString(",");
            body.appendBytes(events.get(i).envelope());
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, Responses.APPLICATION_JSON)
                .putHeader(ApiServer.REVISION_HEADER, Long.toString(feed.head()))
                .end(body.appendString("]"));
    }

    private static boolean isEmpty(Delivery delivery) {
        return delivery instanceof Delivery.Events events && events.events().isEmpty();
    }
}
