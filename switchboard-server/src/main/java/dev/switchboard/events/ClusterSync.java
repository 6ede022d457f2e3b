package dev.switchboard.events;

import dev.switchboard.catalog.LeaderLease;
import dev.switchboard.store.ClusterNotifier.Channel;
import dev.switchboard.store.Store;
import dev.switchboard.store.WriteQueue;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Cluster mode on PostgreSQL. Every commit NOTIFYs; each instance LISTENs, reads the new log entries in
 * revision order, applies them to its own memory ({@link RemoteChanges}) and fans them out to its own
 * subscribers. A periodic check covers a missed notification. A refresh that changed nothing appends no event
 * but NOTIFYs its providers' saved status, which every instance re-reads ({@link RemoteStatus}). Who runs the
 * schedule is the {@link LeaderLease}'s business, not this listener's.
 */
public final class ClusterSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterSync.class);
    /** Even without a notification, look at the log this often (a notification can be lost with its connection). */
    private static final Duration SAFETY_POLL = Duration.ofSeconds(2);
    private static final int PAGE = 1_000;

    private final Store store;
    private final EventLog eventLog;
    private final ChangeBus bus;
    private final Commits commits;
    private final WriteQueue writer;
    private final List<RemoteChanges> followers;
    private final Runnable keysChanged;
    private final RemoteStatus statusSaved;
    private volatile boolean closed;
    private volatile boolean held;
    /** Tests: the listener's PostgreSQL backend, and what its next (re)connect waits for. */
    private volatile int listenerBackend;
    private volatile java.util.concurrent.CompletableFuture<Void> reconnect = java.util.concurrent.CompletableFuture.completedFuture(null);
    private Thread listener;

    public ClusterSync(Store store, EventLog eventLog, ChangeBus bus, Commits commits, WriteQueue writer, List<RemoteChanges> followers,
                       Runnable keysChanged, RemoteStatus statusSaved) {
        this.store = store;
        this.eventLog = eventLog;
        this.bus = bus;
        this.commits = commits;
        this.writer = writer;
        this.followers = List.copyOf(followers);
        this.keysChanged = keysChanged;
        this.statusSaved = statusSaved;
        bus.onGap(this::catchUp);
    }

    public void start() {
        listener = Thread.ofVirtual().name("switchboard-cluster").start(this::listen);
    }

    /**
     * Stops following the other instances until the returned handle is closed: their notifications wait in the
     * connection meanwhile. For tests that need an instance behind the store (its writes still catch up first).
     */
    public AutoCloseable holdNotifications() {
        held = true;
        return () -> held = false;
    }

    /**
     * For tests that cut the listener's connection as a network fault would: the PostgreSQL backend it is
     * connected to (0 before its first connect), and a hold that keeps it from reconnecting until closed (from
     * connecting at all, when taken before {@code serve()}).
     */
    public int listenerBackend() {
        return listenerBackend;
    }

    public AutoCloseable holdReconnect() {
        var release = new java.util.concurrent.CompletableFuture<Void>();
        reconnect = release;
        return () -> release.complete(null);
    }

    private void listen() {
        while (!closed) {
            try {
                reconnect.get();
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                return; // closed
            }
            try (Connection connection = store.dedicatedConnection(); Statement statement = connection.createStatement()) {
                connection.setAutoCommit(true);
                for (Channel channel : Channel.values()) statement.execute("LISTEN " + channel.wireName());
                PGConnection pg = connection.unwrap(PGConnection.class);
                listenerBackend = pg.getBackendPID();
                // a revocation notified while this connection was down must not be missed: read them all now
                keysChanged.run();
                // nor a status saved meanwhile
                followStatus(Optional.empty());
                long nextPoll = 0;
                boolean pending = false;
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications((int) Math.min(500, SAFETY_POLL.toMillis()));
                    boolean changes = false;
                    boolean credentials = false;
                    Set<String> statuses = new LinkedHashSet<>();
                    boolean everyStatus = false;
                    for (PGNotification notification : notifications == null ? new PGNotification[0] : notifications) {
                        Channel channel = Arrays.stream(Channel.values())
                                .filter(c -> c.wireName().equals(notification.getName())).findFirst().orElse(Channel.CHANGES);
                        switch (channel) {
                            case KEYS -> credentials = true;
                            case STATUS -> {
                                if (notification.getParameter().isEmpty()) everyStatus = true;
                                else statuses.addAll(List.of(notification.getParameter().split(",")));
                            }
                            case CHANGES -> changes = true;
                        }
                    }
                    if (credentials) keysChanged.run();
                    if (everyStatus) followStatus(Optional.empty());
                    else if (!statuses.isEmpty()) followStatus(Optional.of(statuses));
                    pending |= changes;
                    if (held) continue;
                    if (pending || System.nanoTime() > nextPoll) {
                        pending = false;
                        writer.submit(() -> {
                            catchUp(Long.MAX_VALUE);
                            return null;
                        });
                        nextPoll = System.nanoTime() + SAFETY_POLL.toNanos();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) return;
                log.warn("cluster listener lost its connection ({}); reconnecting", e.getMessage());
                sleep(Duration.ofSeconds(1));
            }
        }
    }

    /** On the writer: first the log up to now (the status may belong to a change not applied here yet), then the status. */
    private void followStatus(Optional<Set<String>> providerIds) {
        writer.submit(() -> {
            catchUp(Long.MAX_VALUE);
            statusSaved.reload(providerIds);
            return null;
        });
    }

    /**
     * Applies and publishes every committed event after this instance's revision, up to {@code upTo}. Runs on
     * the writer (from the listener, and from {@link ChangeBus} when a local commit reveals a gap).
     */
    private void catchUp(long upTo) {
        while (true) {
            long from = bus.revision();
            if (from >= upTo) return;
            List<ChangeEvent> page = store.withHandle(handle -> eventLog.after(handle, from, PAGE));
            List<ChangeEvent> mine = new ArrayList<>();
            for (ChangeEvent event : page) if (event.revision() <= upTo) mine.add(event);
            if (mine.isEmpty()) return;
            for (ChangeEvent event : mine) {
                RemoteChange change = RemoteChange.of(event);
                for (RemoteChanges follower : followers) follower.applyRemote(change);
            }
            commits.replayed(mine);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        if (listener != null) listener.interrupt();
    }
}
