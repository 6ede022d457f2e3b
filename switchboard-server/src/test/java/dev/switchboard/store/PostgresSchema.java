package dev.switchboard.store;

import dev.switchboard.config.Secret;
import dev.switchboard.config.StoreConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

/** A schema of its own on the test PostgreSQL (127.0.0.1:5432), dropped on close; plain JDBC beside the server. */
final class PostgresSchema implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    static final int PORT = 5432;
    static final String URL = "jdbc:postgresql://" + HOST + ":" + PORT + "/test";
    /** Every instance sharing a store needs the same master key. */
    static final java.util.Map<String, String> MASTER_KEY = java.util.Map.of(CredentialCipher.ENV,
            "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");

    final String name = "sb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    PostgresSchema() throws SQLException {
        try (var connection = admin()) {
            connection.createStatement().execute("CREATE SCHEMA " + name);
        }
    }

    /** A connection of the test's own, outside every pool. */
    static Connection admin() throws SQLException {
        return DriverManager.getConnection(URL, "postgres", "");
    }

    /** The store of this schema, reached directly or through a relay listening on {@code port}. */
    StoreConfig store(int port, Duration writeTimeout) {
        return new StoreConfig("jdbc:postgresql://" + HOST + ":" + port + "/test?currentSchema=" + name, "postgres",
                Secret.NONE, 4).withWriteTimeout(writeTimeout);
    }

    StoreConfig store(Duration writeTimeout) {
        return store(PORT, writeTimeout);
    }

    /** The store of this schema with a pool of {@code poolSize}, reached directly, with the default write timeout. */
    StoreConfig store(int poolSize) {
        return new StoreConfig(URL + "?currentSchema=" + name, "postgres", Secret.NONE, poolSize);
    }

    /** The single number a query answers; {@code {s}} stands for the schema. */
    long count(String sql) throws SQLException {
        try (var connection = admin(); var rs = connection.createStatement().executeQuery(sql.replace("{s}", name))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        try (var connection = admin()) {
            connection.createStatement().execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }
}
