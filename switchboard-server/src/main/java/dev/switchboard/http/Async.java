package dev.switchboard.http;

import dev.switchboard.store.WriteTicket;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a feature call that may block (JDBC, waiting for the writer) off the event loop, and answers on
 * the request's context: success goes to {@code onSuccess}, any failure to the one error mapping.
 */
final class Async {
    private final Responses responses;
    private final Duration writeTimeout;

    Async(Responses responses, Duration writeTimeout) {
        this.responses = responses;
        this.writeTimeout = writeTimeout;
    }

    <T> void run(RoutingContext ctx, Callable<? extends CompletionStage<T>> call, Consumer<T> onSuccess) {
        ctx.vertx().<CompletionStage<T>>executeBlocking(call::call, false)
                .compose(stage -> Future.fromCompletionStage(stage, ctx.vertx().getOrCreateContext()))
                .onSuccess(onSuccess::accept)
                .onFailure(error -> responses.fail(ctx, error));
    }

    /**
     * A write: its deadline runs from now, the request's arrival ({@code [store] write_timeout}), and its answer
     * carries the revision at which this instance applied it, not whatever the instance reached since, so that a
     * client can wait for exactly that revision on another instance ({@code ?min_revision=}).
     */
    <T> void write(RoutingContext ctx, Function<WriteTicket, ? extends CompletionStage<T>> call, Consumer<T> onSuccess) {
        WriteTicket ticket = WriteTicket.startingNow(writeTimeout);
        run(ctx, () -> call.apply(ticket), result -> {
            ticket.revision().ifPresent(revision -> ctx.response().putHeader(ApiServer.REVISION_HEADER, Long.toString(revision)));
            onSuccess.accept(result);
        });
    }
}
