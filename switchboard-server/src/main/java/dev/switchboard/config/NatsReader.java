package dev.switchboard.config;

import dev.switchboard.config.ConfigSchema.Section;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the optional {@code [nats]} section into a {@link NatsConfig}: empty when the section has no keys. The
 * bridge is meant to run without anyone watching its start, so each value is checked here, at load, rather than
 * at the first connect: a subject prefix with a wildcard, a stream name with a dot or two ways to authenticate
 * would otherwise fail later, in a log line nobody reads.
 */
final class NatsReader {
    /** Subject tokens: no wildcards, no whitespace, no empty token. */
    private static final Pattern SUBJECT_PREFIX = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    /** What JetStream accepts as a stream name (it is also a subject token of its API). */
    private static final Pattern STREAM_NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Set<String> SCHEMES = Set.of("nats", "tls", "ws", "wss");
    private static final Duration MIN_DUPLICATE_WINDOW = Duration.ofSeconds(1);

    private NatsReader() {
    }

    static Optional<NatsConfig> read(SectionReader s) {
        Optional<String> firstKey = Section.NATS.keys.stream().filter(s::has).findFirst();
        if (firstKey.isEmpty()) return Optional.empty();
        if (!s.has("url")) {
            s.problem(s.origin(firstKey.get()).orElseThrow(), "url", "is required when [nats] is present,"
                    + " e.g. url = \"nats://127.0.0.1:4222\" (or SWITCHBOARD_NATS_URL)");
        }
        List<String> servers = s.read("url", List.of(), NatsReader::servers);
        String prefix = s.read("subject_prefix", NatsConfig.DEFAULT_SUBJECT_PREFIX, NatsReader::subjectPrefix);
        String stream = s.read("stream", NatsConfig.defaultStream(prefix), NatsReader::streamName);
        Duration window = s.read("duplicate_window", NatsConfig.DEFAULT_DUPLICATE_WINDOW, NatsReader::duplicateWindow);
        String user = s.string("user", "");
        Secret password = s.secret("password");
        Secret token = s.secret("token");
        Optional<Path> credsFile = s.optional("creds_file", NatsReader::credsFile);
        checkOneAuthentication(s, user, password, token, credsFile);
        return Optional.of(new NatsConfig(servers, prefix, stream, window, user, password, token, credsFile));
    }

    private static List<String> servers(Object value) {
        List<String> urls = Arrays.stream(Values.text(value).split(",")).map(String::strip).filter(u -> !u.isEmpty()).toList();
        if (urls.isEmpty()) throw new IllegalArgumentException("must name a broker, e.g. \"nats://127.0.0.1:4222\"");
        for (String url : urls) checkUrl(url);
        return urls;
    }

    private static void checkUrl(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("must be a broker URL such as \"nats://127.0.0.1:4222\""
                        + " (nats://, tls://, ws:// or wss://), got " + Values.quote(NatsConfig.redactUrl(url)));
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a URL: " + Values.quote(NatsConfig.redactUrl(url)));
        }
    }

    private static String subjectPrefix(Object value) {
        String prefix = Values.text(value).strip();
        if (!SUBJECT_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("must be subject tokens of letters, digits, \"_\" or \"-\" separated by"
                    + " dots, without wildcards, e.g. \"switchboard\" or \"acme.switchboard\", got " + Values.quote(prefix));
        }
        return prefix;
    }

    private static String streamName(Object value) {
        String name = Values.text(value).strip();
        if (!STREAM_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("must be letters, digits, \"_\" or \"-\" (no dots, spaces or wildcards),"
                    + " e.g. \"SWITCHBOARD_EVENTS\", got " + Values.quote(name));
        }
        return name;
    }

    private static Duration duplicateWindow(Object value) {
        Duration window = Values.duration(value);
        if (window.compareTo(MIN_DUPLICATE_WINDOW) < 0) {
            throw new IllegalArgumentException("must be at least " + Durations.format(MIN_DUPLICATE_WINDOW)
                    + ", got " + Values.quote(Durations.format(window)));
        }
        return window;
    }

    private static Path credsFile(Object value) {
        Path file = Path.of(Values.nonBlankText(value));
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot be read: " + Values.quote(file.toString())
                    + " (a .creds file, as `nsc generate creds` writes)");
        }
        return file;
    }

    /** The broker takes one kind of credentials; a second one would be silently ignored by the client. */
    private static void checkOneAuthentication(SectionReader s, String user, Secret password, Secret token,
                                               Optional<Path> credsFile) {
        if (!user.isEmpty() && !password.isPresent()) {
            s.problem("user", "needs password (e.g. password = \"${env:NATS_PASSWORD}\")");
        }
        if (user.isEmpty() && s.has("password")) {
            s.problem("password", "needs user");
        }
        int ways = (user.isEmpty() ? 0 : 1) + (s.has("token") ? 1 : 0) + (s.has("creds_file") ? 1 : 0);
        if (ways > 1) {
            String key = s.has("creds_file") ? "creds_file" : "token";
            s.problem(key, "cannot be combined with another way to authenticate: set user and password, or token,"
                    + " or creds_file");
        }
    }
}
