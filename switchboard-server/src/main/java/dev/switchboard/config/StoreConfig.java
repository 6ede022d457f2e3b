package dev.switchboard.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code [store]} section: an H2 file by default, PostgreSQL in cluster mode.
 *
 * @param url           JDBC URL ({@code jdbc:h2:file:…} or {@code jdbc:postgresql://…})
 * @param user          database user, may be empty
 * @param password      database password, may be empty
 * @param poolSize      maximum connections in the pool
 * @param masterKeyFile the file holding the master key that encrypts provider credentials; when empty,
 *                      {@code SWITCHBOARD_MASTER_KEY} or, on H2 only, {@code master.key} beside the database
 * @param writeTimeout  the longest a write keeps its caller waiting, from the request's arrival: a write that
 *                      cannot start (queued, no connection, a lock held elsewhere) within it answers 503 and is
 *                      never applied
 */
public record StoreConfig(String url, String user, Secret password, int poolSize, Optional<Path> masterKeyFile,
                          Duration writeTimeout) {
    public static final String DEFAULT_URL = "jdbc:h2:file:./data/switchboard";
    public static final int DEFAULT_POOL_SIZE = 8;
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration MIN_WRITE_TIMEOUT = Duration.ofMillis(250);
    public static final Duration MAX_WRITE_TIMEOUT = Duration.ofMinutes(5);
    /** {@code password=…} in a query ({@code ?password=}, {@code &sslpassword=}) or an H2 setting ({@code ;PASSWORD=}). */
    private static final Pattern PASSWORD_SETTING = Pattern.compile("(?i)([?&;][a-z_]*password=)[^&;]*");
    /** {@code //user:password@host}. */
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/?#@:]*:)[^/?#@]*@");

    public StoreConfig(String url, String user, Secret password, int poolSize) {
        this(url, user, password, poolSize, Optional.empty());
    }

    public StoreConfig(String url, String user, Secret password, int poolSize, Optional<Path> masterKeyFile) {
        this(url, user, password, poolSize, masterKeyFile, DEFAULT_WRITE_TIMEOUT);
    }

    public static StoreConfig defaults() {
        return new StoreConfig(DEFAULT_URL, "", Secret.NONE, DEFAULT_POOL_SIZE);
    }

    public static StoreConfig of(String url) {
        return new StoreConfig(url, "", Secret.NONE, DEFAULT_POOL_SIZE);
    }

    public StoreConfig withMasterKeyFile(Path file) {
        return new StoreConfig(url, user, password, poolSize, Optional.of(file), writeTimeout);
    }

    public StoreConfig withWriteTimeout(Duration timeout) {
        return new StoreConfig(url, user, password, poolSize, masterKeyFile, timeout);
    }

    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    /** The URL as logs and error messages show it: a password written into it is masked. */
    public String redactedUrl() {
        String masked = USER_INFO_PASSWORD.matcher(url).replaceFirst("$1***@");
        return PASSWORD_SETTING.matcher(masked).replaceAll("$1***");
    }
}
