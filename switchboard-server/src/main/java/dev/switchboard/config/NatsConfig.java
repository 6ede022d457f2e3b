package dev.switchboard.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The optional {@code [nats]} section: the broker bridge (JetStream events, request/reply bootstrap). Present
 * only when {@code url} is set. At most one way to authenticate: {@code user} and {@code password}, a
 * {@code token}, or a {@code creds_file}; none for a broker without authentication.
 *
 * @param servers         broker URLs ({@code nats://host:4222}); {@code url} may list several, comma-separated
 * @param subjectPrefix   first tokens of every subject: {@code {prefix}.events.{type}}, {@code {prefix}.bootstrap.{alias}},
 *                        {@code {prefix}.models}
 * @param stream          the JetStream stream that keeps {@code {prefix}.events.>}; created (or its subjects and
 *                        duplicate window updated) at connect
 * @param duplicateWindow how long JetStream remembers a message id: a revision published twice within it is stored once
 * @param user            user name, with {@code password}; empty when not used
 * @param password        the user's password
 * @param token           an authentication token
 * @param credsFile       a {@code .creds} file (JWT and NKey seed), read at each connect
 */
public record NatsConfig(List<String> servers, String subjectPrefix, String stream, Duration duplicateWindow,
                         String user, Secret password, Secret token, Optional<Path> credsFile) {
    public static final String DEFAULT_SUBJECT_PREFIX = "switchboard";
    /** JetStream's own default: long enough to cover a publish retried after a reconnect. */
    public static final Duration DEFAULT_DUPLICATE_WINDOW = Duration.ofMinutes(2);
    /** {@code //user:password@host} in a URL. */
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/?#@:]*:)[^/?#@]*@");

    public NatsConfig {
        servers = List.copyOf(servers);
        Objects.requireNonNull(subjectPrefix, "subjectPrefix");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(duplicateWindow, "duplicateWindow");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(credsFile, "credsFile");
    }

    /** A broker without authentication, with the default stream for {@code subjectPrefix}. */
    public static NatsConfig of(String url, String subjectPrefix) {
        return new NatsConfig(List.of(url), subjectPrefix, defaultStream(subjectPrefix), DEFAULT_DUPLICATE_WINDOW,
                "", Secret.NONE, Secret.NONE, Optional.empty());
    }

    /**
     * {@code SWITCHBOARD_EVENTS} for the prefix {@code switchboard}: a stream name has no dots, so two
     * prefixes on one broker get two streams.
     */
    public static String defaultStream(String subjectPrefix) {
        return subjectPrefix.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_-]", "_") + "_EVENTS";
    }

    public NatsConfig withStream(String name) {
        return new NatsConfig(servers, subjectPrefix, name, duplicateWindow, user, password, token, credsFile);
    }

    public NatsConfig withServers(List<String> urls) {
        return new NatsConfig(urls, subjectPrefix, stream, duplicateWindow, user, password, token, credsFile);
    }

    /** The URLs with any password written into them masked, for logs. */
    public List<String> redactedServers() {
        return servers.stream().map(NatsConfig::redactUrl).toList();
    }

    /** {@code url} with a password written into it ({@code nats://user:secret@host}) masked. */
    public static String redactUrl(String url) {
        return USER_INFO_PASSWORD.matcher(url).replaceAll("$1***@");
    }
}
