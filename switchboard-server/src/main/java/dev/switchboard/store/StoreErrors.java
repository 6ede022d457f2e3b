package dev.switchboard.store;

import dev.switchboard.config.Durations;
import org.jdbi.v3.core.ConnectionException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * The one place that knows what a database error means, from its SQLState (PostgreSQL's codes, and H2's where
 * they differ). A failed COMMIT arrives as Jdbi's {@code TransactionException} and is read the same way.
 */
final class StoreErrors {
    /** The connection is gone or the server is going away (besides SQLState class 08). */
    private static final Set<String> UNAVAILABLE = Set.of(
            "57P01", "57P02", "57P03",                  // PostgreSQL: admin shutdown, crash shutdown, cannot connect now
            "53300",                                    // PostgreSQL: too many connections
            "90067", "90098", "90121", "90028", "90100" // H2: connection broken, database closed or closing, I/O error, disk full
    );
    /**
     * The store's own tables or schema are gone (they were migrated at start): the database was replaced or
     * restored under the running server, which cannot work until it is back, like an outage.
     */
    private static final Set<String> SCHEMA_GONE = Set.of("42P01", "3F000", "42S02", "42104");
    /** Retrying the same request can succeed: serialization failure, deadlock, lock timeout, concurrent update. */
    private static final Set<String> BUSY = Set.of("40001", "40P01", "55P03", "HYT00", "90131");
    /** A session limit (Store#sessionLimits) ended the statement or the transaction: retrying can succeed. */
    private static final String LOCK_TIMEOUT = "55P03";
    private static final String STATEMENT_TIMEOUT = "57014";
    private static final String IDLE_IN_TRANSACTION_TIMEOUT = "25P03";

    private StoreErrors() {
    }

    /** Reads a failure of Jdbi (a statement, a COMMIT, opening a connection) or of plain JDBC. */
    static StoreException classify(Exception e) {
        String state = sqlState(e);
        String reason = Store.rootMessage(e);
        if (poolExhausted(e)) {
            return new StoreException.Busy("every store connection is in use; nothing was changed, retry it", e);
        }
        if (e instanceof ConnectionException || lostConnection(e) || state != null
                && (state.startsWith("08") || UNAVAILABLE.contains(state) || SCHEMA_GONE.contains(state))) {
            return new StoreUnavailableException("store unavailable: " + reason, e);
        }
        if (state != null && state.startsWith("23")) {
            return new StoreException.Conflict("the write conflicts with another one committed at the same time; reload"
                    + " and try again (" + reason + ")", e);
        }
        if (LOCK_TIMEOUT.equals(state)) {
            return new StoreException.Busy("another write, on this instance or another, held the store's lock for longer"
                    + " than this write could wait (SQLState 55P03); nothing was changed, retry it", e);
        }
        if (STATEMENT_TIMEOUT.equals(state) || IDLE_IN_TRANSACTION_TIMEOUT.equals(state)) {
            return new StoreException.Busy("the store ended this write, which took too long" + inParentheses(state)
                    + "; nothing was changed, retry it", e);
        }
        if (state != null && BUSY.contains(state) || has(e, SQLTransactionRollbackException.class)) {
            return new StoreException.Busy("the store could not order this write with a concurrent one" + inParentheses(state)
                    + "; nothing was changed, retry it", e);
        }
        return new StoreException.Failed("store error" + inParentheses(state) + ": " + reason, e);
    }

    /** A write whose caller's deadline passed before it could wait any longer: it was not applied. */
    static StoreException.Busy deadlinePassed(WriteTicket ticket) {
        return new StoreException.Busy("the write could not be applied within the write timeout (" + Durations.format(ticket.timeout())
                + ", [store] write_timeout) while the store was busy with others; nothing was changed, retry it", null);
    }

    /**
     * No connection of the pool came free in time although the database was not refusing any (HikariCP names the
     * last refusal as the cause when there was one): the store is busy, not down.
     */
    private static boolean poolExhausted(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException timeout) {
                return timeout.getCause() == null && timeout.getSQLState() == null
                        && String.valueOf(timeout.getMessage()).contains("Connection is not available");
            }
        }
        return false;
    }

    private static String inParentheses(String state) {
        return state == null ? "" : " (SQLState " + state + ")";
    }

    /** The first SQLState in the chain of causes, if any. */
    private static String sqlState(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) return sql.getSQLState();
        }
        return null;
    }

    private static boolean lostConnection(Throwable e) {
        return has(e, SQLTransientConnectionException.class) || has(e, SQLNonTransientConnectionException.class)
                || has(e, SQLRecoverableException.class);
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) return true;
        }
        return false;
    }
}
