package dev.switchboard.gateway;

import io.vertx.core.Vertx;

import java.time.Duration;

/**
 * Notices an answer that goes silent for longer than a limit. One timer per answer, pushed back lazily: data
 * only records when it came, and the timer, when it fires early, waits out the rest — no timer work per chunk.
 * Stopped when the answer ends, so a finished request holds nothing that a timer could keep alive.
 */
final class IdleWatch {
    private final Vertx vertx;
    private final long limitNanos;
    private final Runnable onSilence;
    private long lastData = System.nanoTime();
    private long timer;
    private boolean stopped;

    /** Starts watching at once; {@code onSilence} runs on the caller's event loop, at most once. */
    IdleWatch(Vertx vertx, Duration limit, Runnable onSilence) {
        this.vertx = vertx;
        this.limitNanos = limit.toNanos();
        this.onSilence = onSilence;
        this.timer = vertx.setTimer(Math.max(1, limit.toMillis()), id -> check());
    }

    void dataArrived() {
        lastData = System.nanoTime();
    }

    void stop() {
        if (stopped) return;
        stopped = true;
        vertx.cancelTimer(timer);
    }

    private void check() {
        if (stopped) return;
        long left = limitNanos - (System.nanoTime() - lastData);
        if (left > 0) {
            timer = vertx.setTimer(Math.max(1, (left + 999_999) / 1_000_000), id -> check());
            return;
        }
        stopped = true;
        onSilence.run();
    }
}
