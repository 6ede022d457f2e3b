package dev.switchboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} on a {@link TestClock}: nothing runs by itself; {@link #runDue()} runs, on the
 * test's thread, every task whose time has come on that clock. Timing rules become exact steps of a test.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final TestClock clock;
    private final List<Task> tasks = new ArrayList<>();
    private boolean shutdown;
    private int scheduled;

    public ManualScheduler(TestClock clock) {
        this.clock = clock;
    }

    /** Runs every task due at the clock's time, including tasks those schedule for now; returns how many ran. */
    public int runDue() {
        int ran = 0;
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> !t.cancelled && !t.at.isAfter(clock.instant()))
                        .min(Comparator.comparing((Task t) -> t.at)).orElse(null);
                if (next == null) return ran;
                tasks.remove(next);
            }
            next.command.run();
            next.done = true;
            ran++;
        }
    }

    /** When the earliest task still waiting is due, if any. */
    public synchronized Optional<Instant> nextRun() {
        return tasks.stream().filter(t -> !t.cancelled).map(t -> t.at).min(Comparator.naturalOrder());
    }

    /**
     * How many tasks were ever handed to this timer: work finishing on another thread that plans its follow-up
     * here (a refresh planning the next one) shows up as one more, which a test can wait for.
     */
    public synchronized int timesScheduled() {
        return scheduled;
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (shutdown) throw new java.util.concurrent.RejectedExecutionException("shut down");
        Task task = new Task(command, clock.instant().plus(Duration.ofNanos(unit.toNanos(delay))));
        tasks.add(task);
        scheduled++;
        return task;
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("not needed by the code under test");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("not needed by the code under test");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("not needed by the code under test");
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> pending = tasks.stream().map(t -> t.command).toList();
        tasks.clear();
        return pending;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    private final class Task implements ScheduledFuture<Object> {
        final Runnable command;
        final Instant at;
        volatile boolean cancelled;
        volatile boolean done;

        Task(Runnable command, Instant at) {
            this.command = command;
            this.at = at;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(Duration.between(clock.instant(), at));
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return !done;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException("not needed by the code under test");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException("not needed by the code under test");
        }
    }
}
