package dev.switchboard.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import com.zaxxer.hikari.pool.HikariPool;
import io.micrometer.core.instrument.MeterRegistry;
import dev.switchboard.config.StoreConfig;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The database: a connection pool, the schema (Flyway, the same migrations for H2 and PostgreSQL)
 * and Jdbi for the repositories. Opening it migrates the schema.
 *
 * <p>No call waits on a store known to be down ({@link StoreCircuit}), and a write's waits for a connection
 * and for a lock are bounded by its caller's deadline ({@link WriteTicket}).
 */
public final class Store implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Store.class);
    /** How long {@code /readyz} and the circuit's probe wait for a connection and for their query. */
    private static final Duration PROBE_LIMIT = Duration.ofMillis(800);
    /** A statement may run this many write timeouts: generous for the longest read, short of a hung session. */
    private static final int STATEMENT_TIMEOUTS = 6;

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final boolean postgres;
    private final Optional<Path> createdFolder;
    private final StoreCircuit circuit = new StoreCircuit(() -> answers(PROBE_LIMIT));
    /** The write the current thread runs (the writer's), whose deadline bounds its waits. */
    private final ThreadLocal<WriteTicket> running = new ThreadLocal<>();

    private Store(HikariDataSource dataSource, boolean postgres, Optional<Path> createdFolder) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(this::connection);
        // Repositories bind one column map for several statements; not every statement uses every column.
        this.jdbi.getConfig(org.jdbi.v3.core.statement.SqlStatements.class).setUnusedBindingAllowed(true);
        this.postgres = postgres;
        this.createdFolder = createdFolder;
    }

    public static Store open(StoreConfig config) {
        Optional<Path> createdFolder = prepareFolder(config);
        try {
            return open(config, createdFolder);
        } catch (RuntimeException e) {
            // A process that started at the same moment and holds the file now uses the folder: leave it be.
            if (!lockedByAnother(e)) createdFolder.ifPresent(Store::deleteTree);
            throw e;
        }
    }

    private static Store open(StoreConfig config, Optional<Path> createdFolder) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(jdbcUrl(config.url()));
        if (!config.user().isEmpty()) hikari.setUsername(config.user());
        if (config.password().isPresent()) hikari.setPassword(config.password().value());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(1);
        hikari.setPoolName("switchboard-store");
        // Nothing waits for a connection longer than a caller waits for its write; the writer waits less (what
        // is left of its caller's deadline), and a dead connection is told from a slow one within a second.
        long writeTimeout = config.writeTimeout().toMillis();
        hikari.setConnectionTimeout(writeTimeout);
        hikari.setValidationTimeout(Math.min(1_000, writeTimeout));
        hikari.setInitializationFailTimeout(5_000);
        if (config.isPostgres()) hikari.setConnectionInitSql(sessionLimits(config.writeTimeout()));
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("cannot open the store at " + config.redactedUrl() + ": " + rootMessage(e), e);
        }
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw new StoreUnavailableException("cannot migrate the store at " + config.redactedUrl() + ": " + rootMessage(e), e);
        }
        return new Store(dataSource, config.isPostgres(), createdFolder);
    }

    /**
     * Limits of every PostgreSQL session of the pool. A lock is not waited for longer than a caller waits for its
     * write (an instance stalled in a write holds the revision lock: the others answer 503 instead of stalling
     * too); a transaction left idle that long is ended by the server, which frees the locks of a stalled
     * instance; a statement may run several write timeouts. Idle time counts inside a transaction only, so the
     * cluster listener's connection, which waits outside any, is not affected.
     */
    static String sessionLimits(Duration writeTimeout) {
        long millis = writeTimeout.toMillis();
        return "SELECT set_config('lock_timeout', '" + millis + "ms', false),"
                + " set_config('idle_in_transaction_session_timeout', '" + millis + "ms', false),"
                + " set_config('statement_timeout', '" + millis * STATEMENT_TIMEOUTS + "ms', false)";
    }

    /**
     * The folder of an embedded H2 file, when the URL names one ({@code jdbc:h2:file:…} or a bare path; not
     * {@code mem:} or a server). H2 reads a leading {@code ~} as the home directory.
     */
    static Optional<Path> h2Directory(String url) {
        if (!url.startsWith("jdbc:h2:")) return Optional.empty();
        String location = url.substring("jdbc:h2:".length());
        if (location.startsWith("file:")) location = location.substring("file:".length());
        else if (location.matches("[A-Za-z]{2,}:.*")) return Optional.empty(); // mem:, tcp:, ssl:, zip:, nio: …
        String file = location.split(";", 2)[0];
        if (file.startsWith("~")) file = System.getProperty("user.home") + file.substring(1);
        return Optional.ofNullable(Path.of(file).toAbsolutePath().normalize().getParent());
    }

    /**
     * Makes sure the H2 folder can be used before H2 tries (H2 answers a bad folder with pages of stack
     * traces and no reason), creating it when missing. Returns the topmost folder it created, so that a
     * failed start can remove it again.
     */
    private static Optional<Path> prepareFolder(StoreConfig config) {
        Optional<Path> folder = h2Directory(config.url());
        if (folder.isEmpty()) return Optional.empty();
        Path topmostMissing = null;
        Path existing = folder.get();
        while (existing != null && !Files.exists(existing)) {
            topmostMissing = existing;
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) throw unusableFolder(config, existing + " is not a directory");
        if (existing != null && !Files.isWritable(existing)) throw unusableFolder(config, existing + " is not writable");
        if (topmostMissing == null) return Optional.empty();
        try {
            Files.createDirectories(folder.get());
        } catch (IOException e) {
            throw unusableFolder(config, "cannot create " + folder.get() + ": "
                    + (e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage()));
        }
        return Optional.of(topmostMissing);
    }

    private static StoreUnavailableException unusableFolder(StoreConfig config, String reason) {
        return new StoreUnavailableException("cannot open the store at " + config.redactedUrl() + ": " + reason, null);
    }

    /** Best effort: a folder this process created and filled, removed after a failed start. */
    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not remove {} after a failed start: {}", root, e.toString());
        }
    }

    /**
     * H2 must not close the file from its own shutdown hook while we are still flushing state, and must write
     * each commit at once (its default delays writes by 500 ms, so a crash could lose an acknowledged change).
     * Closing does not compact the file: H2 spends up to 200 ms on it by default, a fifth of shutdown's
     * second, and space freed in the file is reused while running anyway.
     */
    private static String jdbcUrl(String url) {
        if (!url.startsWith("jdbc:h2:")) return url;
        String upper = url.toUpperCase();
        String result = url;
        if (!upper.contains("DB_CLOSE_ON_EXIT")) result += ";DB_CLOSE_ON_EXIT=FALSE";
        if (!upper.contains("WRITE_DELAY")) result += ";WRITE_DELAY=0";
        if (!upper.contains("MAX_COMPACT_TIME")) result += ";MAX_COMPACT_TIME=0";
        return result;
    }

    private static boolean lockedByAnother(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains("Database may be already in use")) return true;
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (lockedByAnother(e)) {
            return "the database file is locked by another Switchboard process (stop it, or talk to it over HTTP)";
        }
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }

    /** Tells the other instances sharing this store what changed, at commit (nobody on H2). */
    public ClusterNotifier notifier() {
        return isPostgres() ? new ClusterNotifier(true) : ClusterNotifier.NONE;
    }

    /**
     * Publishes the pool's {@code hikaricp_*} series (connections active, idle, pending, max, acquire and usage
     * times) to {@code meters}. Once per store: Hikari refuses a second tracker.
     */
    public void bindMetrics(MeterRegistry meters) {
        dataSource.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
    }

    public boolean isPostgres() {
        return postgres;
    }

    /**
     * Runs {@code work} in one transaction; a database failure, at any statement or at COMMIT, is a {@link StoreException}.
     * Refused at once while the store is known down. In a write, a lock is waited for until its caller's deadline.
     */
    public <R> R inTransaction(HandleCallback<R, RuntimeException> work) {
        if (circuit.isOpen()) throw circuit.refusal();
        try {
            return jdbi.inTransaction(handle -> {
                boundLockWaits(handle);
                return work.withHandle(handle);
            });
        } catch (JdbiException e) {
            throw failed(e);
        }
    }

    /**
     * Runs {@code work} on a connection; a database failure is a {@link StoreException}. Refused at once while the
     * store is known down. Inside {@link #inTransaction} it joins that transaction (Jdbi reuses the thread's handle).
     */
    public <R> R withHandle(HandleCallback<R, RuntimeException> work) {
        if (circuit.isOpen()) throw circuit.refusal();
        try {
            return jdbi.withHandle(work);
        } catch (JdbiException e) {
            throw failed(e);
        }
    }

    /** True while the store is known down: calls are refused at once, a probe watches for its return. */
    public boolean isKnownDown() {
        return circuit.isOpen();
    }

    /** What a call refused while the store is known down throws. */
    public StoreUnavailableException refusal() {
        return circuit.refusal();
    }

    /** Runs one write of the writer with its caller's deadline bounding its waits. */
    <T> T within(WriteTicket ticket, Supplier<T> write) {
        running.set(ticket);
        try {
            return write.get();
        } finally {
            running.remove();
        }
    }

    private StoreException failed(Exception e) {
        StoreException classified = StoreErrors.classify(e);
        if (classified instanceof StoreUnavailableException down) circuit.opened(down);
        return classified;
    }

    /**
     * A connection for Jdbi: within a write, waited for no longer than its caller's deadline (a store that does
     * not answer then is down, and the circuit opens); otherwise for the pool's connection timeout.
     */
    private Connection connection() throws SQLException {
        WriteTicket ticket = running.get();
        if (ticket == null || !ticket.bounded()) return dataSource.getConnection();
        long wait = TimeUnit.NANOSECONDS.toMillis(ticket.remainingNanos());
        if (wait <= 0) throw StoreErrors.deadlinePassed(ticket);
        return connection(wait);
    }

    private Connection connection(long waitMillis) throws SQLException {
        if (dataSource.getHikariPoolMXBean() instanceof HikariPool pool) return pool.getConnection(waitMillis);
        return dataSource.getConnection();
    }

    /** In a write on PostgreSQL, a lock is waited for until the caller's deadline, not the session's whole limit. */
    private void boundLockWaits(org.jdbi.v3.core.Handle handle) {
        WriteTicket ticket = running.get();
        if (ticket == null || !ticket.bounded() || !postgres) return;
        long wait = TimeUnit.NANOSECONDS.toMillis(ticket.remainingNanos());
        if (wait <= 0) throw StoreErrors.deadlinePassed(ticket);
        handle.createQuery("SELECT set_config('lock_timeout', :wait, true)").bind("wait", wait + "ms").mapTo(String.class).one();
    }

    /**
     * True when the store answers a query on its own schema within a second; used by {@code /readyz}. False at
     * once while the store is known down; a store found unreachable here opens the circuit.
     */
    public boolean isReachable() {
        if (circuit.isOpen()) return false;
        try {
            return query(PROBE_LIMIT);
        } catch (SQLException | RuntimeException e) {
            if (StoreErrors.classify(e) instanceof StoreUnavailableException down) circuit.opened(down);
            return false;
        }
    }

    /** The circuit's probe: true when the store answers; never throws. */
    private boolean answers(Duration limit) {
        try {
            return query(limit);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private boolean query(Duration limit) throws SQLException {
        try (var connection = connection(limit.toMillis()); var statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, limit.toSeconds()));
            try (var rs = statement.executeQuery("SELECT revision FROM sb_state WHERE id = 1")) {
                return rs.next();
            }
        }
    }

    /** A connection of its own for the cluster listener (LISTEN and the leader lock live as long as it does). */
    public java.sql.Connection dedicatedConnection() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void close() {
        circuit.close();
        dataSource.close();
    }

    /**
     * Closes, and removes the H2 folder when this start created it: a start that failed (a port in use, a
     * refused setting) leaves nothing behind. A store that was already there is kept whole.
     */
    public void discard() {
        close();
        createdFolder.ifPresent(Store::deleteTree);
    }
}
