package dev.switchboard.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

/**
 * Runs a feature call that may block (JDBC, waiting for the writer) off the event loop, and answers on
 * the request's context: success goes to {@code onSuccess}, any failure to the one error mapping.
 */
final class Async {
    private final Responses responses;

    Async(Responses responses) {
        this.responses = responses;
    }

    <T> void run(RoutingContext ctx, Callable<? extends CompletionStage<T>> call, java.util.function.Consumer<T> onSuccess) {
        ctx.vertx().<CompletionStage<T>>executeBlocking(call::call, false)
                .compose(stage -> Future.fromCompletionStage(stage, ctx.vertx().getOrCreateContext()))
                .onSuccess(onSuccess::accept)
                .onFailure(error -> responses.fail(ctx, error));
    }
}
