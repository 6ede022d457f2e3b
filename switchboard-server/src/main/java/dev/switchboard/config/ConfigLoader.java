package dev.switchboard.config;

import dev.switchboard.metadata.MetadataPrecedence;

import dev.switchboard.config.ConfigSchema.Section;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@link SwitchboardConfig} from a TOML file and the environment.
 *
 * <p>The pipeline, each stage reporting every problem it finds with the file and line (or the
 * environment variable) and what to fix, as a {@link ConfigException}:
 * <ol>
 *   <li>parse the TOML; syntax errors are reported as {@code file:line:column: message};</li>
 *   <li>reject unknown sections and keys, listing the known ones — a silently ignored setting is worse
 *       than a failed start;</li>
 *   <li>apply environment overrides: every key of {@code [server]}, {@code [store]}, {@code [model_catalog]},
 *       {@code [events]}, {@code [auth]}, {@code [gateway]} and {@code [nats]} can be set by {@code SWITCHBOARD_<SECTION>_<KEY>}, upper case
 *       (e.g. {@code SWITCHBOARD_MODEL_CATALOG_REFRESH_INTERVAL=30m}); the environment wins over the file.
 *       A list key takes its items comma-separated ({@code SWITCHBOARD_SERVER_ALLOWED_ORIGINS=http://a:3000,http://b}).
 *       A variable with a section prefix and an unknown key is an error; variables without a section
 *       prefix ({@code SWITCHBOARD_CONFIG}, {@code SWITCHBOARD_ADMIN_KEY} …) are left to others.
 *       Provider and metadata source keys cannot be overridden this way — providers form an array with no stable name to put
 *       in a variable — so a {@code SWITCHBOARD_PROVIDERS_…} variable is an error; a provider takes values
 *       from the environment through {@code ${env:NAME}} references instead;</li>
 *   <li>expand {@code ${env:NAME}} references in string values (see {@link EnvReferences}); a variable that
 *       is not set is an error. {@code api_key}, {@code password} and {@code token} become {@link Secret}s that remember
 *       the reference, so the effective configuration can be printed without them;</li>
 *   <li>convert each value to its type (durations by {@link Durations}, sizes by {@link ByteSizes});</li>
 *   <li>check the rules that span keys: {@code refresh_deadline ≥ fetch_timeout}, unique provider ids,
 *       {@code models} only and always for {@code static} providers, {@code base_url} for the others.</li>
 * </ol>
 *
 * <p>A relative {@code file:} {@code base_url} of a {@code registry} provider
 * ({@code file:config/sample-registry.json}) is resolved against the working directory the process runs
 * in, not against the config file's directory, and stored as an absolute {@code file:} URI.
 */
public final class ConfigLoader {
    private final Path workingDirectory;

    /** A loader that resolves relative {@code file:} URLs against the process's working directory. */
    public ConfigLoader() {
        this(Path.of("").toAbsolutePath());
    }

    /** A loader that resolves relative {@code file:} URLs against {@code workingDirectory}. */
    public ConfigLoader(Path workingDirectory) {
        this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
    }

    /**
     * Reads {@code file}, then applies {@code env} (the process environment, injected for tests).
     *
     * @throws ConfigException listing every problem found, each with its file and line or variable
     */
    public SwitchboardConfig load(Path file, Map<String, String> env) {
        return build(TomlFile.read(file), env, Optional.of(file));
    }

    /**
     * The configuration with no file: every default, with the overrides of {@code env} applied.
     *
     * @throws ConfigException when an environment variable is unusable
     */
    public SwitchboardConfig defaults(Map<String, String> env) {
        return build(RawConfig.empty(), env, Optional.empty());
    }

    private SwitchboardConfig build(RawConfig fromFile, Map<String, String> env, Optional<Path> source) {
        Problems problems = new Problems();
        RawConfig raw = EnvOverrides.apply(fromFile, env, problems);
        EnvReferences references = new EnvReferences(env);

        ServerConfig server = server(reader(raw, Section.SERVER, references, problems));
        StoreConfig store = store(reader(raw, Section.STORE, references, problems));
        SectionReader catalogSettings = reader(raw, Section.MODEL_CATALOG, references, problems);
        CatalogConfig catalog = catalog(catalogSettings);
        EventsConfig events = events(reader(raw, Section.EVENTS, references, problems));
        SectionReader authSettings = reader(raw, Section.AUTH, references, problems);
        AuthConfig auth = auth(authSettings);
        GatewayConfig gateway = gateway(reader(raw, Section.GATEWAY, references, problems));
        Optional<NatsConfig> nats = NatsReader.read(reader(raw, Section.NATS, references, problems));
        List<ProviderConfig> providers = new ProviderReader(references, new BaseUrls(workingDirectory), problems)
                .readAll(raw.providers());
        // Rules across keys only make sense once each key is valid; otherwise they would report fallbacks.
        if (problems.isEmpty()) checkDeadline(catalogSettings, catalog);
        if (problems.isEmpty()) checkAdminKey(authSettings, auth);
        List<ModelConfigSeed> seeds = new ModelConfigSeedReader(references, problems).readAll(raw.modelConfigs());
        List<MetadataSourceConfig> metadataSources = new MetadataSourceReader(references, new BaseUrls(workingDirectory),
                problems).readAll(raw.metadataSources());
        problems.throwIfAny();
        return new SwitchboardConfig(server, store, catalog, events, auth, providers, seeds, source, gateway, nats,
                metadataSources);
    }

    private static SectionReader reader(RawConfig raw, Section section, EnvReferences references, Problems problems) {
        return new SectionReader(section.label(), raw.section(section), references, problems);
    }

    private static ServerConfig server(SectionReader s) {
        return new ServerConfig(
                s.read("host", ServerConfig.DEFAULT_HOST, Values::nonBlankText),
                s.integer("port", ServerConfig.DEFAULT_PORT, 0, 65_535),
                s.size("max_body_size", ServerConfig.DEFAULT_MAX_BODY_BYTES),
                s.strings("allowed_origins", WebNames::origin),
                s.strings("allowed_hosts", WebNames::hostName));
    }

    private static StoreConfig store(SectionReader s) {
        return new StoreConfig(
                s.read("url", StoreConfig.DEFAULT_URL, ConfigLoader::jdbcUrl),
                s.string("user", ""),
                s.secret("password"),
                s.integer("pool_size", StoreConfig.DEFAULT_POOL_SIZE, 1, 1_000),
                s.optional("master_key_file", value -> Path.of(Values.nonBlankText(value))),
                s.read("write_timeout", StoreConfig.DEFAULT_WRITE_TIMEOUT, ConfigLoader::writeTimeout));
    }

    /**
     * The database pool cannot wait for a connection less than 250 ms; a write held for minutes is a hung
     * request, not a slow one.
     */
    private static Duration writeTimeout(Object value) {
        Duration timeout = Values.duration(value);
        if (timeout.compareTo(StoreConfig.MIN_WRITE_TIMEOUT) < 0 || timeout.compareTo(StoreConfig.MAX_WRITE_TIMEOUT) > 0) {
            throw new IllegalArgumentException("must be from " + Durations.format(StoreConfig.MIN_WRITE_TIMEOUT) + " to "
                    + Durations.format(StoreConfig.MAX_WRITE_TIMEOUT) + ", got " + Values.quote(Durations.format(timeout)));
        }
        return timeout;
    }

    /** Only the drivers Switchboard ships with: H2 embedded, PostgreSQL for a cluster. */
    private static String jdbcUrl(Object value) {
        String url = Values.text(value).strip();
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("must be an H2 or PostgreSQL JDBC URL such as"
                    + " \"jdbc:h2:file:./data/switchboard\" or \"jdbc:postgresql://db:5432/switchboard\", got "
                    + Values.quote(url));
        }
        return url;
    }

    private static CatalogConfig catalog(SectionReader s) {
        return new CatalogConfig(
                s.duration("refresh_interval", CatalogConfig.DEFAULT_REFRESH_INTERVAL),
                s.bool("refresh_on_start", true),
                s.fraction("jitter", CatalogConfig.DEFAULT_JITTER),
                s.positiveDuration("fetch_timeout", CatalogConfig.DEFAULT_FETCH_TIMEOUT),
                s.positiveDuration("refresh_deadline", CatalogConfig.DEFAULT_REFRESH_DEADLINE),
                s.size("max_response_bytes", CatalogConfig.DEFAULT_MAX_RESPONSE_BYTES),
                s.integer("max_models", CatalogConfig.DEFAULT_MAX_MODELS, 1, Integer.MAX_VALUE),
                s.integer("concurrency", CatalogConfig.DEFAULT_CONCURRENCY, 1, 256),
                s.fraction("shrink_guard", CatalogConfig.DEFAULT_SHRINK_GUARD),
                s.positiveDuration("max_backoff", CatalogConfig.DEFAULT_MAX_BACKOFF),
                s.read("leader_lease", CatalogConfig.DEFAULT_LEADER_LEASE, ConfigLoader::leaderLease),
                s.read("metadata_precedence", MetadataPrecedence.DEFAULT, value -> MetadataPrecedence.parse(SectionReader.stringList(value))));
    }

    private static Duration leaderLease(Object value) {
        Duration lease = Values.duration(value);
        if (lease.compareTo(CatalogConfig.MIN_LEADER_LEASE) < 0) {
            throw new IllegalArgumentException("must be at least " + Durations.format(CatalogConfig.MIN_LEADER_LEASE)
                    + ", got " + Durations.format(lease));
        }
        return lease;
    }

    private static EventsConfig events(SectionReader s) {
        return new EventsConfig(
                s.duration("retention", EventsConfig.DEFAULT_RETENTION),
                s.integer("min_events", EventsConfig.DEFAULT_MIN_EVENTS, 0, Integer.MAX_VALUE));
    }

    private static AuthConfig auth(SectionReader s) {
        return new AuthConfig(
                s.read("mode", AuthConfig.Mode.NONE, ConfigLoader::authMode),
                s.secret("admin_key"),
                s.positiveDuration("access_token_ttl", AuthConfig.DEFAULT_ACCESS_TOKEN_TTL),
                s.positiveDuration("refresh_token_ttl", AuthConfig.DEFAULT_REFRESH_TOKEN_TTL),
                s.integer("write_rate_per_minute", AuthConfig.DEFAULT_WRITE_RATE_PER_MINUTE, 1, 1_000_000),
                s.strings("allowed_provider_hosts"));
    }

    private static GatewayConfig gateway(SectionReader s) {
        return new GatewayConfig(
                s.positiveDuration("connect_timeout", GatewayConfig.DEFAULT_CONNECT_TIMEOUT),
                s.positiveDuration("first_byte_timeout", GatewayConfig.DEFAULT_FIRST_BYTE_TIMEOUT),
                s.positiveDuration("idle_timeout", GatewayConfig.DEFAULT_IDLE_TIMEOUT),
                s.size("max_request_bytes", GatewayConfig.DEFAULT_MAX_REQUEST_BYTES));
    }

    private static AuthConfig.Mode authMode(Object value) {
        String mode = Values.text(value).strip();
        return switch (mode) {
            case "none" -> AuthConfig.Mode.NONE;
            case "token" -> AuthConfig.Mode.TOKEN;
            default -> throw new IllegalArgumentException("must be \"none\" or \"token\", got " + Values.quote(mode));
        };
    }

    /** A short admin key can be guessed; it unlocks everything. */
    private static void checkAdminKey(SectionReader s, AuthConfig auth) {
        if (auth.adminKey().isPresent() && auth.adminKey().value().length() < 16) {
            s.problem("admin_key", "must be at least 16 characters (use a long random value, e.g. `openssl rand -base64 32`)");
        }
    }

    /** One request can never outlast the whole fetch it belongs to. */
    private static void checkDeadline(SectionReader s, CatalogConfig catalog) {
        Duration timeout = catalog.fetchTimeout();
        Duration deadline = catalog.refreshDeadline();
        if (deadline.compareTo(timeout) >= 0) return;
        String values = " (" + Durations.format(deadline) + " < " + Durations.format(timeout) + ")";
        if (s.has("refresh_deadline")) {
            s.problem("refresh_deadline", "must be at least fetch_timeout" + values);
        } else {
            s.problem("fetch_timeout", "must not exceed refresh_deadline, whose default is "
                    + Durations.format(deadline) + "; lower fetch_timeout or raise refresh_deadline");
        }
    }
}
