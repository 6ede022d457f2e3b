package dev.switchboard.store;

import dev.switchboard.config.StoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Shutdown of the one writer: the write under way finishes, the ones still queued are refused, never dropped. */
class WriteQueueTest {
    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() {
        store = Store.open(StoreConfig.of("jdbc:h2:file:" + dir.resolve("switchboard").toAbsolutePath()));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private WriteQueue writer() {
        return new WriteQueue(store, Duration.ofSeconds(30), () -> 0);
    }

    @Test
    void closeRefusesTheWritesStillQueuedAtOnceAndLetsTheOneUnderWayFinish() throws Exception {
        WriteQueue writer = writer();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> underWay = writer.submit(() -> {
            started.countDown();
            block(release);
            return "committed";
        });
        AtomicBoolean queuedRan = new AtomicBoolean();
        CompletableFuture<String> queued = writer.submit(() -> {
            queuedRan.set(true);
            return "should not run";
        });
        started.await();

        Thread closing = Thread.ofVirtual().start(writer::close);

        // refused while the write under way still holds the writer: its caller is answered at once
        await().atMost(Duration.ofSeconds(5)).until(queued::isDone);
        assertThat(underWay).isNotDone();
        assertThat(failure(queued)).isInstanceOf(CancellationException.class).hasMessage("shutting down");
        release.countDown();
        assertThat(underWay.get()).isEqualTo("committed");
        closing.join();
        assertThat(queuedRan).isFalse();
    }

    @Test
    void aWriteSubmittedAfterCloseIsRefusedWithShuttingDown() {
        WriteQueue writer = writer();
        writer.close();

        assertThat(failure(writer.submit(() -> "late"))).isInstanceOf(CancellationException.class).hasMessage("shutting down");
    }

    /** What the future failed with (join() would turn a CancellationException into one of its own). */
    private static Throwable failure(CompletableFuture<?> future) {
        Throwable failure = future.handle((value, error) -> error).join();
        return failure instanceof java.util.concurrent.CompletionException wrapped ? wrapped.getCause() : failure;
    }

    private static void block(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
