package dev.switchboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.catalog.CatalogApplier;
import dev.switchboard.catalog.CatalogState;
import dev.switchboard.catalog.MetadataResolution;
import dev.switchboard.catalog.MetadataReresolution;
import dev.switchboard.catalog.MetadataSourceState;
import dev.switchboard.events.RemoteChange;
import dev.switchboard.catalog.MetadataCatalogs;
import dev.switchboard.catalog.MetadataSourceRefresher;
import dev.switchboard.catalog.MetadataSourceRepository;
import dev.switchboard.catalog.ModelLookup;
import dev.switchboard.catalog.ProviderGauges;
import dev.switchboard.catalog.RefreshCoordinator;
import dev.switchboard.catalog.RefreshScheduler;
import dev.switchboard.catalog.ScheduleLeadership;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.RefreshTokenPruner;
import dev.switchboard.auth.Revocations;
import dev.switchboard.auth.TokenService;
import dev.switchboard.catalog.ProviderAdmin;
import dev.switchboard.config.AuthConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.http.ProviderRequest;
import dev.switchboard.provider.UrlPolicy;
import dev.switchboard.catalog.ApiProviderRepository;
import dev.switchboard.store.CredentialCipher;
import dev.switchboard.configs.ModelConfigService;
import dev.switchboard.events.ChangeBus;
import dev.switchboard.events.ClusterSync;
import dev.switchboard.events.Commits;
import dev.switchboard.events.EventLog;
import dev.switchboard.catalog.LeaderLease;
import dev.switchboard.gateway.AliasResolver;
import dev.switchboard.gateway.Gateway;
import dev.switchboard.gateway.GatewayMetrics;
import dev.switchboard.gateway.GatewayProxy;
import dev.switchboard.http.Features;
import dev.switchboard.configs.ModelConfigRepository;
import dev.switchboard.nats.NatsBridge;
import dev.switchboard.nats.NatsStatus;
import dev.switchboard.events.EventFeed;
import dev.switchboard.events.EventPruner;
import dev.switchboard.events.FeedSettings;
import dev.switchboard.http.ApiServer;
import dev.switchboard.provider.HttpUpstreamClient;
import dev.switchboard.provider.ProviderDialects;
import dev.switchboard.provider.ProviderRegistry;
import dev.switchboard.provider.UpstreamModelSource;
import dev.switchboard.events.EventRepository;
import dev.switchboard.store.JsonMapper;
import dev.switchboard.catalog.LeaseRepository;
import dev.switchboard.store.MicrosecondClock;
import dev.switchboard.events.RevisionCounter;
import dev.switchboard.catalog.SnapshotRepository;
import dev.switchboard.store.Store;
import dev.switchboard.store.WriteQueue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one place where Switchboard is constructed and wired. Opening it loads the persisted catalog
 * (serving last-known-good before any upstream answers); {@link #serve()} adds HTTP and the schedule.
 */
public final class Switchboard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Switchboard.class);
    /**
     * Shutdown's share of its one second (README) for HTTP and Vert.x: the answers in flight, which are 503s by
     * then, get the server's grace (a cold JSON path on a loaded machine takes a few hundred ms), then Vert.x's
     * threads stop. Only a hung step uses its whole share; the writer has its own, {@code WRITE_UNDER_WAY_BOUND}.
     */
    private static final Duration VERTX_CLOSE_BOUND = Duration.ofMillis(500);

    private final SwitchboardConfig config;
    private final Clock clock;
    private final ObjectMapper mapper = JsonMapper.create();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Listens to the JVM's GC notifications until closed. */
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final Store store;
    private final ProviderRegistry providers;
    private final CatalogState state;
    private final HttpUpstreamClient upstream;
    private final WriteQueue writer;
    private final RefreshCoordinator coordinator;
    private final ModelLookup lookup;
    private final ChangeBus bus;
    private final ModelConfigService configs;
    private final ProviderAdmin providerAdmin;
    private final ApiKeys keys;
    private final TokenService tokens;
    private final RefreshTokenPruner sessionPruner;
    private final ClusterSync cluster;
    private final LeaderLease lease;
    private final FeedSettings feedSettings;
    private final EventFeed feed;
    private final EventPruner pruner;
    private final UrlPolicy urlPolicy;
    /** The served catalog of each metadata source, for model metadata resolution. */
    private final MetadataCatalogs metadataCatalogs;
    private final MetadataSourceRefresher metadataSources;
    /** The broker bridge, when {@code [nats]} is set. */
    private final NatsBridge nats;
    private final MetadataResolution resolution;
    private Vertx vertx;
    private ApiServer server;
    private RefreshScheduler scheduler;
    private ExecutorService modelsRenderThread;
    private volatile boolean serving;
    private int port;

    public Switchboard(SwitchboardConfig config, Clock clock, Map<String, String> env) {
        this(config, clock, env, FeedSettings.defaults());
    }

    /** With the change feed's limits set, for tests that reach them. */
    public Switchboard(SwitchboardConfig config, Clock clock, FeedSettings feedSettings) {
        this(config, clock, System.getenv(), feedSettings);
    }

    public Switchboard(SwitchboardConfig config, Clock clock, Map<String, String> env, FeedSettings feedSettings) {
        clock = MicrosecondClock.of(clock); // times as the store keeps them, so answers match what is read back
        this.config = config;
        this.clock = clock;
        this.feedSettings = feedSettings;
        CredentialCipher.checkSource(env, config.store()); // cluster mode refuses a missing key before touching the store
        this.store = Store.open(config.store());
        try {
            CredentialCipher cipher = CredentialCipher.load(env, config.store());
            ApiProviderRepository apiProviders = new ApiProviderRepository(mapper, cipher);
            this.providers = new ProviderRegistry(withApiProviders(config.providers(), store.withHandle(apiProviders::loadAll)));
            SnapshotRepository snapshots = new SnapshotRepository(mapper);
            EventRepository eventRepository = new EventRepository(mapper);
            EventLog eventLog = new EventLog(eventRepository, new RevisionCounter(), mapper, clock, store.notifier());
            ProviderDialects dialects = new ProviderDialects();
            // the metadata catalogs as stored, so that the catalog loaded next is resolved from them
            MetadataSourceRepository sourceRows = new MetadataSourceRepository(mapper);
            List<MetadataSourceState> storedSources = MetadataSourceRefresher.loadStored(config.metadataSources(), store, sourceRows);
            this.metadataCatalogs = MetadataCatalogs.of(config.metadataSources().stream().map(s -> s.id()).toList(), storedSources);
            this.resolution = new MetadataResolution(providers, (provider, model) -> dialects.forKind(provider.kind()).facts(model),
                    metadataCatalogs::facts, config.catalog().metadataPrecedence());
            this.state = new CatalogState(CatalogApplier.load(store, snapshots, eventLog, providers, resolution));
            this.bus = new ChangeBus(store.withHandle(eventLog::currentRevision));
            this.writer = new WriteQueue(store, config.store().writeTimeout(), bus::revision);
            this.feed = new EventFeed(store, eventLog, mapper, clock, feedSettings, bus.revision(), meters);
            Commits commits = new Commits(store, eventLog, bus, feed);
            CatalogApplier applier = new CatalogApplier(state, commits, store, snapshots, config.catalog().shrinkGuard(), clock,
                    resolution);
            this.pruner = new EventPruner(store, eventRepository, config.events(), clock, feed);
            this.upstream = new HttpUpstreamClient(config.catalog().fetchTimeout(), config.catalog().maxResponseBytes(), mapper);
            this.urlPolicy = new UrlPolicy(config.auth().allowedProviderHosts());
            var source = new UpstreamModelSource(dialects, upstream, urlPolicy, config.catalog().maxModels());
            this.coordinator = new RefreshCoordinator(providers, source,
                    applier, writer, config.catalog(), clock, meters);
            this.lookup = new ModelLookup(state, coordinator, clock);
            this.metadataSources = new MetadataSourceRefresher(config.metadataSources(), storedSources, store, sourceRows, writer,
                    new MetadataReresolution(commits, state, metadataCatalogs, resolution), metadataCatalogs, config.catalog(), mapper, clock);
            this.configs = new ModelConfigService(store, new ModelConfigRepository(mapper), commits, writer, state, lookup,
                    providers, mapper, clock);
            this.providerAdmin = new ProviderAdmin(store, apiProviders, snapshots, commits, writer, providers, state,
                    coordinator, new ProviderRequest(urlPolicy, config.catalog().maxModels(), mapper), mapper, clock, resolution);
            Revocations revocations = new Revocations();
            this.keys = new ApiKeys(store, config.auth(), clock, revocations);
            this.tokens = new TokenService(keys, store, config.auth(), mapper, clock, cipher.derive("switchboard access tokens"), revocations);
            this.sessionPruner = new RefreshTokenPruner(tokens);
            // On PostgreSQL several instances may share the store: follow what the others commit.
            this.cluster = store.isPostgres() ? new ClusterSync(store, eventLog, bus, commits, writer, List.of(
                    providerAdmin::applyRemote, this::catchUpMetadataSources, event -> applier.applyRemote(event, providers),
                    configs::applyRemote),
                    () -> {
                        keys.reload();
                        tokens.reload();
                    }, applier::applyRemoteStatus) : null;
            this.lease = store.isPostgres() ? new LeaderLease(store, new LeaseRepository(), config.catalog().leaderLease(), meters) : null;
            // The schedule's leader publishes (JetStream drops what two leaders of a hand-over both send); all answer.
            this.nats = config.nats().map(settings -> new NatsBridge(settings,
                    (after, limit) -> store.withHandle(handle -> eventLog.after(handle, after, limit)), bus::revision,
                    this::isScheduleLeader, alias -> configs.find(alias).map(found -> configs.json().redacted(found)),
                    mapper, meters)).orElse(null);
            if (nats != null) bus.onPublished(events -> nats.wake());
            if (config.auth().mode() == AuthConfig.Mode.TOKEN && !keys.hasAdmin()) {
                throw new IllegalStateException("[auth] mode = \"token\" needs an admin: set [auth] admin_key (e.g. \"${env:SWITCHBOARD_ADMIN_KEY}\")"
                        + " or create one with `switchboard keys create --offline --role admin --name NAME`");
            }
            startupWrite(() -> {
                List<String> imported = configs.importSeeds(config.modelConfigs(), mapper);
                if (!imported.isEmpty()) log.info("imported model configurations from the config file: {}", String.join(", ", imported));
                configs.reconcileTargets();
            });
            registerGauges();
        } catch (RuntimeException e) {
            store.discard();
            throw e;
        }
    }

    /** Models another instance changed are resolved from the metadata catalogs it stored. */
    private void catchUpMetadataSources(RemoteChange change) {
        if (change instanceof RemoteChange.CatalogMoved) metadataSources.catchUp();
    }

    /** Runs start-up work on the writer (so it is ordered with every later write) and waits for it. */
    private void startupWrite(Runnable work) {
        try {
            writer.submit(dev.switchboard.store.WriteTicket.unbounded(), () -> {
                work.run();
                return null;
            }).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            throw e;
        }
    }

    public static Switchboard open(SwitchboardConfig config) {
        return new Switchboard(config, Clock.systemUTC(), System.getenv());
    }

    /** Config-file providers first, in file order; an API provider whose id the file now uses is shadowed. */
    private static List<ProviderConfig> withApiProviders(List<ProviderConfig> fromFile, List<ProviderConfig> fromApi) {
        List<ProviderConfig> all = new ArrayList<>(fromFile);
        for (ProviderConfig provider : fromApi) {
            if (fromFile.stream().anyMatch(p -> p.id().equals(provider.id()))) {
                log.warn("provider {} is defined in the config file and through the API; the config file wins", provider.id());
            } else {
                all.add(provider);
            }
        }
        return all;
    }

    /** Starts HTTP and the refresh schedule; returns once the port is bound. */
    public Switchboard serve() {
        return serve(Threads.OWN);
    }

    /**
     * What {@link #serve(Threads)} runs its background work on: large {@code /v1/models} bodies are rendered by
     * {@code modelsRenderer}, the refresh schedule's timer is {@code scheduleTimer}. A null one means Switchboard's
     * own thread; tests pass executors they hold or drive by hand (a manual timer on a test clock).
     */
    public record Threads(Executor modelsRenderer, ScheduledExecutorService scheduleTimer) {
        public static final Threads OWN = new Threads(null, null);

        public Threads withModelsRenderer(Executor renderer) {
            return new Threads(renderer, scheduleTimer);
        }

        public Threads withScheduleTimer(ScheduledExecutorService timer) {
            return new Threads(modelsRenderer, timer);
        }
    }

    /** As {@link #serve()}, on the given {@link Threads}; the schedule's timer is shut down when Switchboard closes. */
    public Switchboard serve(Threads threads) {
        Executor modelsRenderer = threads.modelsRenderer();
        if (modelsRenderer == null) {
            modelsRenderThread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("switchboard-models-renderer").daemon().factory());
            modelsRenderer = modelsRenderThread;
        }
        String refusal = config.auth().bindRefusal(config.server().host());
        if (refusal != null) {
            close();
            store.discard();
            throw new IllegalStateException("refusing to start: " + refusal);
        }
        vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
        GatewayMetrics gatewayMetrics = new GatewayMetrics(meters);
        Gateway gateway = new Gateway(new AliasResolver(configs::current, providers, state, lookup),
                new GatewayProxy(vertx, config.gateway(), urlPolicy, gatewayMetrics, mapper), gatewayMetrics);
        server = new ApiServer(vertx, config, mapper, new Features(state, bus, providers, coordinator, lookup, configs,
                providerAdmin, store, meters, config.auth(), keys, tokens, feed, feedSettings.heartbeat(), () -> serving, clock, gateway,
                this::natsStatus, resolution, metadataSources), modelsRenderer);
        try {
            port = server.start().await();
        } catch (Exception e) { // a BindException arrives undeclared through await()
            close();
            store.discard();
            throw new IllegalStateException("cannot listen on " + config.server().host() + ":" + config.server().port()
                    + ": " + e.getMessage(), e);
        }
        if (cluster != null) cluster.start();
        if (lease != null) lease.start();
        scheduler = new RefreshScheduler(coordinator, providers, state, config.catalog(), clock, new SplittableRandom(),
                threads.scheduleTimer() != null ? threads.scheduleTimer()
                        : Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("switchboard-scheduler").daemon().factory()),
                lease == null ? ScheduleLeadership.ALONE : lease);
        scheduler.start();
        metadataSources.start(lease == null ? ScheduleLeadership.ALONE : lease);
        if (nats != null) nats.start(server::modelsBody);
        pruner.start();
        sessionPruner.start();
        serving = true;
        log.info("Switchboard listening on http://{}:{} (revision {}, {} providers, {} models)", config.server().host(),
                port, bus.revision(), providers.all().size(), state.current().modelCount());
        return this;
    }

    private void registerGauges() {
        Gauge.builder("switchboard.revision", bus, ChangeBus::revision)
                .description("The newest revision this instance has applied").register(meters);
        Gauge.builder("switchboard.store.write_queue.depth", writer, WriteQueue::depth)
                .description("Writes waiting for the single writer (not counting the one under way)").register(meters);
        store.bindMetrics(meters);
        for (MeterBinder binder : List.of(new JvmMemoryMetrics(), gcMetrics, new JvmThreadMetrics(), new ClassLoaderMetrics(),
                new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics())) {
            binder.bindTo(meters);
        }
        ProviderGauges providerGauges = new ProviderGauges(providers, state, clock, meters);
        providerGauges.follow();
        bus.onPublished(events -> providerGauges.follow());
    }

    private NatsStatus natsStatus() {
        return nats == null ? NatsStatus.disabled(bus.revision()) : nats.status();
    }

    public int port() {
        return port;
    }

    public CatalogState catalog() {
        return state;
    }

    /** True when this instance runs the refresh schedule (always, unless several instances share PostgreSQL). */
    public boolean isScheduleLeader() {
        return lease == null || lease.isLeader();
    }

    /** The refresh schedule's lease, when several instances may share the store (PostgreSQL). */
    public java.util.Optional<LeaderLease> scheduleLease() {
        return java.util.Optional.ofNullable(lease);
    }

    /** How this instance follows the others on a shared PostgreSQL; empty on H2. */
    public java.util.Optional<ClusterSync> cluster() {
        return java.util.Optional.ofNullable(cluster);
    }

    /** The HTTP server, once {@link #serve()} ran. */
    public ApiServer api() {
        return server;
    }

    public ApiKeys keys() {
        return keys;
    }

    /** Browser sessions: access and refresh tokens. */
    public TokenService tokens() {
        return tokens;
    }

    public ChangeBus bus() {
        return bus;
    }

    public ModelConfigService configs() {
        return configs;
    }

    /** The served catalog of each metadata source. */
    public MetadataCatalogs metadataCatalogs() {
        return metadataCatalogs;
    }

    public MetadataSourceRefresher metadataSources() {
        return metadataSources;
    }

    public RefreshCoordinator coordinator() {
        return coordinator;
    }

    /** The change feed: writers other than the catalog publish their committed events here. */
    public EventFeed feed() {
        return feed;
    }

    public Store store() {
        return store;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * Stops within a second, even with an upstream that hangs, and writes nothing of its own. New requests are
     * answered 503 shutting_down; the schedule is cancelled; refreshes and writes not yet applied are refused
     * (their callers get 503 shutting_down) and fetches under way are aborted, which is not a failure of their
     * providers; the write under way finishes (bounded); the change feed ends its streams; HTTP writes the
     * answers in flight (bounded); the store closes.
     */
    @Override
    public void close() {
        serving = false;
        if (server != null) server.refuseNewRequests();
        if (scheduler != null) scheduler.close();
        if (lease != null) lease.close(); // frees the lease: another instance takes the schedule over at once
        if (cluster != null) cluster.close();
        if (nats != null) nats.close(); // before the store: it reads the event log
        pruner.close();
        sessionPruner.close();
        coordinator.close(); // before the fetches are aborted, so that no outcome of the abort is applied
        metadataSources.close();
        upstream.close();
        writer.close();
        feed.close();
        if (modelsRenderThread != null) modelsRenderThread.shutdownNow();
        if (vertx != null) closeVertx();
        store.close();
        gcMetrics.close();
    }

    /** Vert.x stops its HTTP servers gracefully (answers in flight get {@code ApiServer.SHUTDOWN_GRACE}), then its threads. */
    private void closeVertx() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(VERTX_CLOSE_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("HTTP did not stop within {} ms; closing the store anyway", VERTX_CLOSE_BOUND.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("HTTP did not stop cleanly: {}", e.getCause().toString());
        }
    }
}
