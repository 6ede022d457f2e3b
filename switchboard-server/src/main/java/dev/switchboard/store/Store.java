package dev.switchboard.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.config.StoreConfig;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

import java.sql.SQLException;

/**
 * The database: a connection pool, the schema (Flyway, the same migrations for H2 and PostgreSQL)
 * and Jdbi for the repositories. Opening it migrates the schema.
 */
public final class Store implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final boolean postgres;

    private Store(HikariDataSource dataSource, boolean postgres) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        // Repositories bind one column map for several statements; not every statement uses every column.
        this.jdbi.getConfig(org.jdbi.v3.core.statement.SqlStatements.class).setUnusedBindingAllowed(true);
        this.postgres = postgres;
    }

    public static Store open(StoreConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(jdbcUrl(config.url()));
        if (!config.user().isEmpty()) hikari.setUsername(config.user());
        if (config.password().isPresent()) hikari.setPassword(config.password().value());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(1);
        hikari.setPoolName("switchboard-store");
        hikari.setConnectionTimeout(5_000);
        hikari.setInitializationFailTimeout(5_000);
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("cannot open the store at " + config.url() + ": " + rootMessage(e), e);
        }
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw new StoreUnavailableException("cannot migrate the store at " + config.url() + ": " + rootMessage(e), e);
        }
        return new Store(dataSource, config.isPostgres());
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

    static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (message.contains("Database may be already in use")) {
            return "the database file is locked by another Switchboard process (stop it, or talk to it over HTTP)";
        }
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }

    public boolean isPostgres() {
        return postgres;
    }

    public <R> R inTransaction(HandleCallback<R, RuntimeException> work) {
        try {
            return jdbi.inTransaction(work);
        } catch (org.jdbi.v3.core.ConnectionException | org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            throw StoreUnavailableException.wrap(e);
        }
    }

    public <R> R withHandle(HandleCallback<R, RuntimeException> work) {
        try {
            return jdbi.withHandle(work);
        } catch (org.jdbi.v3.core.ConnectionException | org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            throw StoreUnavailableException.wrap(e);
        }
    }

    /** True when the store answers a query on its own schema; used by {@code /readyz}. */
    public boolean isReachable() {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.setQueryTimeout(2);
            try (var rs = statement.executeQuery("SELECT revision FROM sb_state WHERE id = 1")) {
                return rs.next();
            }
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** A connection of its own for the cluster listener (LISTEN and the leader lock live as long as it does). */
    public java.sql.Connection dedicatedConnection() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
