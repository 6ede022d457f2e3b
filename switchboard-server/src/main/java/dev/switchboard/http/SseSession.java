package dev.switchboard.http;

import dev.switchboard.auth.Revocations;
import dev.switchboard.events.Delivery;
import dev.switchboard.events.EventStream;
import dev.switchboard.events.FeedEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * One Server-Sent Events response fed by an {@link EventStream}, on the request's event loop. It asks the
 * stream for more only when the connection can take it, so a client that reads slowly leaves events in the
 * stream's bounded buffer (and is dropped when that overflows) instead of in the server's write queue.
 */
final class SseSession {
    private static final Logger log = LoggerFactory.getLogger(SseSession.class);
    /** Tells EventSource clients to reconnect after a second, with Last-Event-ID. */
    private static final String PREAMBLE = "retry: 1000\n\n";
    private static final String PING = ": ping\n\n";

    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final EventStream stream;
    private final Context context;
    private long heartbeat = -1;
    private long expiry = -1;
    /** The revision of the last event sent, or the one the stream resumed from: where the client resumes. */
    private long lastSent;
    private Revocations.Registration revocation;
    private boolean done;

    SseSession(RoutingContext ctx, EventStream stream) {
        this.ctx = ctx;
        this.response = ctx.response();
        this.stream = stream;
        this.context = ctx.vertx().getOrCreateContext();
    }

    /**
     * @param credentialLifetime how long the caller's access token has left; when it runs out the stream ends with
     *                           an {@code auth_expired} event, so the client refreshes and resumes with Last-Event-ID
     */
    void start(long revision, Duration heartbeatPeriod, Optional<Duration> credentialLifetime) {
        response.setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("X-Accel-Buffering", "no") // nginx would otherwise hold events back in its buffer
                .putHeader(ApiServer.REVISION_HEADER, Long.toString(revision));
        response.closeHandler(v -> finish());
        response.exceptionHandler(e -> finish());
        response.write(PREAMBLE);
        lastSent = stream.position(); // nothing read yet: the revision the stream resumes after
        heartbeat = ctx.vertx().setPeriodic(heartbeatPeriod.toMillis(), id -> ping());
        credentialLifetime.ifPresent(left -> expiry = ctx.vertx().setTimer(Math.max(1, left.toMillis()),
                id -> authEnded("expired", "the access token expired; refresh it and reconnect with Last-Event-ID")));
        // A client that stopped reading leaves this session waiting for a drain that never comes.
        Future.fromCompletionStage(stream.overflowed(), context).onSuccess(this::resync);
        pull();
    }

    static Buffer frame(FeedEvent event) {
        byte[] head = ("id: " + event.revision() + "\nevent: " + event.type() + "\ndata: ").getBytes(StandardCharsets.UTF_8);
        return Buffer.buffer(head.length + event.envelope().length + 2)
                .appendBytes(head).appendBytes(event.envelope()).appendString("\n\n");
    }

    private void pull() {
        if (done) return;
        Future.fromCompletionStage(stream.next(), context).onComplete(result -> {
            if (done) return;
            if (result.failed()) {
                log.debug("event stream ended: {}", result.cause().toString());
                end();
                return;
            }
            switch (result.result()) {
                case Delivery.Events events -> send(events);
                case Delivery.Resync resync -> resync(resync.event());
            }
        });
    }

    private void send(Delivery.Events events) {
        for (FeedEvent event : events.events()) {
            response.write(frame(event));
            lastSent = event.revision();
        }
        if (response.writeQueueFull()) {
            response.drainHandler(v -> {
                response.drainHandler(null);
                pull();
            });
        } else {
            pull();
        }
    }

    /** The last event of this response. A client that is not reading cannot take it: it is cut off at once. */
    private void resync(FeedEvent event) {
        if (done) return;
        response.write(frame(event));
        boolean stuck = response.writeQueueFull();
        end();
        if (stuck) ctx.request().connection().close();
    }

    /**
     * Ends the stream when the key or session it was opened with is revoked; {@code watch} registers the callback
     * (which may run on any thread, at once if the credential is already gone).
     */
    void endWhenRevoked(Function<Runnable, Revocations.Registration> watch) {
        if (done) return;
        revocation = watch.apply(() -> context.runOnContext(v -> authEnded("revoked",
                "the key or session of this stream was revoked; sign in again")));
    }

    /**
     * The credential ran out ({@code expired}) or was revoked ({@code revoked}): tell the client with an event that
     * carries no {@code id:} (its Last-Event-ID stays on the last real event, so resuming after a refresh loses
     * nothing), then end the response.
     */
    private void authEnded(String reason, String message) {
        if (done) return;
        response.write("event: auth_expired\ndata: {\"type\":\"auth_expired\",\"data\":{\"last_revision\":" + lastSent
                + ",\"reason\":\"" + reason + "\",\"message\":\"" + message + "\"}}\n\n");
        end();
    }

    private void ping() {
        if (!done && !response.writeQueueFull()) response.write(PING);
    }

    private void end() {
        if (done) return;
        finish();
        response.end();
    }

    private void finish() {
        done = true;
        if (heartbeat >= 0) ctx.vertx().cancelTimer(heartbeat);
        if (expiry >= 0) ctx.vertx().cancelTimer(expiry);
        if (revocation != null) revocation.close();
        stream.close();
    }
}
