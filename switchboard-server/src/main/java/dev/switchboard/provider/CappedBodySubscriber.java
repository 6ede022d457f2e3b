package dev.switchboard.provider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Collects a response body while it streams in, holding at most {@code limit} bytes. It asks for one
 * buffer at a time, so a body that never ends or is far too large is cut off as soon as the limit
 * is crossed instead of being buffered first, and {@link #abort()} stops a body that stalls.
 */
final class CappedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {

    /** What to do with a body longer than the limit. */
    enum Overflow {
        /** The body is unusable: fail with {@link BodyTooLargeException}. */
        FAIL,
        /** Keep the first {@code limit} bytes: enough to quote an error response. */
        TRUNCATE
    }

    /** A body over the cap; the message is the reason. */
    static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long limit) {
            super(FailureReasons.overCap(limit));
        }
    }

    private final long limit;
    private final Overflow overflow;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();

    CappedBodySubscriber(long limit, Overflow overflow) {
        this.limit = limit;
        this.overflow = overflow;
    }

    /** A subscriber for a body whose declared length is already over the cap: it reads nothing. */
    static CappedBodySubscriber rejecting(long limit) {
        var subscriber = new CappedBodySubscriber(limit, Overflow.FAIL);
        subscriber.body.completeExceptionally(new BodyTooLargeException(limit));
        return subscriber;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        if (!subscription.compareAndSet(null, s) || body.isDone()) {
            s.cancel();
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) return;
        for (ByteBuffer buffer : buffers) {
            long room = limit - received.size();
            if (buffer.remaining() > room) {
                overflow(buffer, (int) room);
                return;
            }
            copy(buffer, buffer.remaining());
        }
        subscription.get().request(1);
    }

    @Override
    public void onError(Throwable error) {
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        body.complete(received.toByteArray());
    }

    /** Stops reading (a timeout, an interrupt, shutdown); the connection is closed rather than drained. */
    void abort() {
        body.completeExceptionally(new IOException("aborted"));
        cancelSubscription();
    }

    private void overflow(ByteBuffer buffer, int room) {
        if (overflow == Overflow.TRUNCATE) {
            copy(buffer, room);
            body.complete(received.toByteArray());
        } else {
            body.completeExceptionally(new BodyTooLargeException(limit));
        }
        cancelSubscription();
    }

    private void copy(ByteBuffer buffer, int count) {
        byte[] chunk = new byte[count];
        buffer.get(chunk);
        received.write(chunk, 0, count);
    }

    private void cancelSubscription() {
        Flow.Subscription s = subscription.get();
        if (s != null) s.cancel();
    }
}
