package dev.switchboard.http;

import dev.switchboard.Problem;
import dev.switchboard.config.Durations;
import dev.switchboard.events.ChangeBus;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code ?min_revision=N} on every read: the answer waits until this instance has applied revision N, the
 * {@code X-Switchboard-Revision} of a write made here or on another instance behind the same load balancer
 * (read-your-writes). The wait is asynchronous, never on the event loop's time, and bounded by the write timeout;
 * past it the answer is 503 {@code revision_not_reached}.
 */
final class MinRevision implements Handler<RoutingContext> {
    static final String PARAMETER = "min_revision";

    private final ChangeBus bus;
    private final Duration wait;
    private final Responses responses;

    MinRevision(ChangeBus bus, Duration wait, Responses responses) {
        this.bus = bus;
        this.wait = wait;
        this.responses = responses;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String value = ctx.queryParams().get(PARAMETER);
        if (value == null) {
            ctx.next();
            return;
        }
        long wanted = parse(value);
        if (bus.revision() >= wanted) {
            ctx.next();
            return;
        }
        CompletableFuture<Void> applied = bus.whenApplied(wanted);
        Future.fromCompletionStage(applied, ctx.vertx().getOrCreateContext())
                .timeout(wait.toMillis(), TimeUnit.MILLISECONDS)
                .onSuccess(reached -> ctx.next())
                .onFailure(timedOut -> {
                    applied.cancel(false); // forgotten by the bus
                    ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
                    responses.error(ctx, 503, "revision_not_reached", "this instance has applied revision " + bus.revision()
                            + ", not yet revision " + wanted + ", after waiting " + Durations.format(wait)
                            + "; retry, or read from the instance that made the write",
                            Map.of("min_revision", wanted, "revision", bus.revision()));
                });
    }

    private static long parse(String value) {
        try {
            long revision = Long.parseLong(value);
            if (revision >= 0) return revision;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new Problem.Invalid(PARAMETER + " must be a revision number (0 or more), as in X-Switchboard-Revision; got \""
                + value + "\"", Map.of(PARAMETER, "must be a non-negative integer"));
    }
}
