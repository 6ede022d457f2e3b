package dev.switchboard.config;

/**
 * The {@code [store]} section: an H2 file by default, PostgreSQL in cluster mode.
 *
 * @param url      JDBC URL ({@code jdbc:h2:file:…} or {@code jdbc:postgresql://…})
 * @param user     database user, may be empty
 * @param password database password, may be empty
 * @param poolSize maximum connections in the pool
 */
public record StoreConfig(String url, String user, Secret password, int poolSize) {
    public static final String DEFAULT_URL = "jdbc:h2:file:./data/switchboard";
    public static final int DEFAULT_POOL_SIZE = 8;

    public static StoreConfig defaults() {
        return new StoreConfig(DEFAULT_URL, "", Secret.NONE, DEFAULT_POOL_SIZE);
    }

    public static StoreConfig of(String url) {
        return new StoreConfig(url, "", Secret.NONE, DEFAULT_POOL_SIZE);
    }

    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }
}
