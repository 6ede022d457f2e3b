package dev.switchboard.provider;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP exchange in flight. The caller waits on {@link #outcome}, not on the JDK's own future, so
 * that a timeout, an interrupt or shutdown can end the wait at once with its own cause, whatever
 * stage (connect, headers, body) the exchange is stuck in; {@link #abort} then tears the exchange down.
 */
final class UpstreamCall {
    /** Enough of an error response to quote a helpful excerpt; the rest is not read. */
    static final int ERROR_BODY_BYTES = 4096;

    private final long maxBodyBytes;
    private final CompletableFuture<HttpResponse<byte[]>> outcome = new CompletableFuture<>();
    private volatile CompletableFuture<HttpResponse<byte[]>> exchange;
    private volatile CappedBodySubscriber body;

    UpstreamCall(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    void start(HttpClient http, HttpRequest request) {
        var started = http.sendAsync(request, this::subscriberFor);
        exchange = started;
        started.whenComplete((response, error) -> {
            if (error != null) outcome.completeExceptionally(error);
            else outcome.complete(response);
        });
        if (outcome.isDone()) started.cancel(true);
    }

    /** Waits at most {@code budget} for the whole response, headers and body. */
    HttpResponse<byte[]> await(Duration budget) throws ExecutionException, TimeoutException, InterruptedException {
        return outcome.get(Math.max(1, budget.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** Ends the wait with {@code cause} (unless it already ended) and stops the exchange. */
    void abort(Throwable cause) {
        outcome.completeExceptionally(cause);
        var started = exchange;
        if (started != null) started.cancel(true);
        var subscriber = body;
        if (subscriber != null) subscriber.abort();
    }

    /** Releases whatever the exchange still holds; a no-op once it completed. */
    void end() {
        abort(new CancellationException("call ended"));
    }

    private HttpResponse.BodySubscriber<byte[]> subscriberFor(HttpResponse.ResponseInfo info) {
        var subscriber = chooseSubscriber(info);
        body = subscriber;
        if (outcome.isDone()) subscriber.abort();
        return subscriber;
    }

    private CappedBodySubscriber chooseSubscriber(HttpResponse.ResponseInfo info) {
        if (!isSuccess(info.statusCode())) {
            return new CappedBodySubscriber(ERROR_BODY_BYTES, CappedBodySubscriber.Overflow.TRUNCATE);
        }
        long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
        if (declared > maxBodyBytes) return CappedBodySubscriber.rejecting(maxBodyBytes);
        return new CappedBodySubscriber(maxBodyBytes, CappedBodySubscriber.Overflow.FAIL);
    }

    static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }
}
