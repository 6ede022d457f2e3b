package dev.switchboard.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.CatalogConfig;
import dev.switchboard.config.MetadataSourceConfig;
import dev.switchboard.metadata.ModelsDevCatalog;
import dev.switchboard.provider.FetchException;
import dev.switchboard.provider.HttpUpstreamClient;
import dev.switchboard.store.Store;
import dev.switchboard.store.WriteQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps each {@code [[metadata_sources]]} catalog fresh, by the providers' rules: fetched on start (or when never
 * fetched), then every {@code refresh_interval}, and on demand; bounded by {@code [model_catalog] fetch_timeout} and
 * {@code refresh_deadline} and the source's {@code max_bytes}; a failure or a document of another shape keeps the
 * last-known-good (status {@code error}); an answer that drops more than {@code shrink_guard} of the models is held
 * ({@code suspect}) until the next fetch confirms it or a forced refresh applies it. A failing source is retried after
 * a backoff of one minute doubling per failure, at most its interval.
 *
 * <p>Fetches run on their own threads; results are applied on the writer. A changed catalog goes to the
 * {@link MetadataCatalogSink} with the step that persists it; a status-only change is persisted here. In a cluster
 * only the schedule's leader fetches on schedule; the others re-read the stored row when the source is due (so they
 * follow within one interval). A manual refresh fetches on the instance asked.
 */
public final class MetadataSourceRefresher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetadataSourceRefresher.class);
    private static final Duration FIRST_RETRY = Duration.ofMinutes(1);

    private final Map<String, MetadataSourceConfig> sources = new LinkedHashMap<>();
    private final Map<String, HttpUpstreamClient> clients = new HashMap<>();
    private final Map<String, MetadataSourceState> states = new ConcurrentHashMap<>();
    private final Map<String, Instant> due = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<MetadataSourceView>> inFlight = new HashMap<>();
    private final Store store;
    private final MetadataSourceRepository repository;
    private final WriteQueue writer;
    private final MetadataCatalogSink sink;
    private final MetadataCatalogs catalogs;
    private final CatalogConfig catalogConfig;
    private final ShrinkGuard shrinkGuard;
    private final Clock clock;
    private final ExecutorService fetchers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("switchboard-metadata-fetch-", 0).factory());
    private ScheduledExecutorService timer;
    private volatile ScheduleLeadership leadership = ScheduleLeadership.ALONE;
    private volatile boolean closed;

    /**
     * The stored state of every configured source (its last-known-good), read once at start-up; the rows of sources
     * no longer configured are deleted.
     */
    public static List<MetadataSourceState> loadStored(List<MetadataSourceConfig> configured, Store store,
                                                       MetadataSourceRepository repository) {
        List<String> ids = configured.stream().map(MetadataSourceConfig::id).toList();
        return store.inTransaction(handle -> {
            repository.deleteAllExcept(handle, ids);
            return repository.loadAll(handle);
        });
    }

    /**
     * @param stored    what {@link #loadStored} read, whose catalogs {@code catalogs} serves already
     */
    public MetadataSourceRefresher(List<MetadataSourceConfig> configured, List<MetadataSourceState> stored, Store store,
                                   MetadataSourceRepository repository, WriteQueue writer, MetadataCatalogSink sink,
                                   MetadataCatalogs catalogs, CatalogConfig catalogConfig, ObjectMapper mapper, Clock clock) {
        this.store = store;
        this.repository = repository;
        this.writer = writer;
        this.sink = sink;
        this.catalogs = catalogs;
        this.catalogConfig = catalogConfig;
        this.shrinkGuard = new ShrinkGuard(catalogConfig.shrinkGuard());
        this.clock = clock;
        for (MetadataSourceConfig source : configured) {
            sources.put(source.id(), source);
            clients.put(source.id(), new HttpUpstreamClient(catalogConfig.fetchTimeout(), source.maxBytes(), mapper, clock));
            states.put(source.id(), MetadataSourceState.never(source.id()));
        }
        for (MetadataSourceState state : stored) states.put(state.sourceId(), state);
    }

    /** Plans the first fetch of each source: now when never fetched or on start, else one interval after its last. */
    public synchronized void start(ScheduleLeadership scheduleLeadership) {
        this.leadership = scheduleLeadership;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("switchboard-metadata-scheduler").daemon().factory());
        Instant now = clock.instant();
        for (MetadataSourceConfig source : sources.values()) {
            MetadataSourceState state = states.get(source.id());
            boolean immediately = catalogConfig.refreshOnStart() || state.fetchedAt().isEmpty();
            if (immediately) plan(source.id(), now);
            else if (source.scheduled()) plan(source.id(), state.fetchedAt().get().plus(delayAfter(source, state)));
        }
    }

    public List<MetadataSourceView> all() {
        return sources.keySet().stream().map(this::view).toList();
    }

    public Optional<MetadataSourceView> find(String sourceId) {
        return sources.containsKey(sourceId) ? Optional.of(view(sourceId)) : Optional.empty();
    }

    /**
     * Fetches the source now (joining a fetch under way) and applies the answer on the writer; {@code force} applies
     * an answer the shrink guard would hold. Completes with the source as it is afterwards.
     *
     * @throws IllegalArgumentException for a source that is not configured
     */
    public synchronized CompletableFuture<MetadataSourceView> refresh(String sourceId, boolean force) {
        MetadataSourceConfig source = sources.get(sourceId);
        if (source == null) throw new IllegalArgumentException("no metadata source \"" + sourceId + "\"");
        CompletableFuture<MetadataSourceView> running = inFlight.get(sourceId);
        if (running != null) return running;
        CompletableFuture<MetadataSourceView> result = CompletableFuture.supplyAsync(() -> fetch(source), fetchers)
                .thenCompose(outcome -> writer.submit(() -> apply(source, outcome, force)));
        inFlight.put(sourceId, result);
        result.whenComplete((view, error) -> done(source));
        return result;
    }

    /** What one fetch gave: the catalog, or why there is none. */
    private record Outcome(ModelsDevCatalog catalog, String failure) {
    }

    private Outcome fetch(MetadataSourceConfig source) {
        Map<String, String> headers = new LinkedHashMap<>(source.headers());
        if (source.apiKey().isPresent()) headers.put("Authorization", "Bearer " + source.apiKey().value());
        try {
            JsonNode document = clients.get(source.id()).withDeadline(clock.instant().plus(catalogConfig.refreshDeadline()))
                    .getJson(source.url(), headers);
            return new Outcome(ModelsDevCatalog.parse(document), null);
        } catch (FetchException e) {
            return new Outcome(null, e.getMessage());
        } catch (IllegalArgumentException e) {
            return new Outcome(null, "not a models.dev catalog: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, "shutting down");
        }
    }

    /** On the writer: the next state, persisted, and a changed catalog handed to the sink. */
    private MetadataSourceView apply(MetadataSourceConfig source, Outcome outcome, boolean force) {
        String id = source.id();
        if (closed) return view(id);
        MetadataSourceState previous = states.get(id);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS); // the precision the store keeps
        MetadataSourceState next;
        if (outcome.catalog() == null) {
            next = previous.failed(outcome.failure(), now);
            log.warn("metadata source {} failed, keeping its last-known-good: {}", id, outcome.failure());
        } else {
            ModelsDevCatalog answer = outcome.catalog();
            Optional<String> hold = shrinkGuard.check(previous.served().modelKeys(), answer.modelKeys());
            boolean confirmed = previous.pending().map(p -> p.modelKeys().equals(answer.modelKeys())).orElse(false);
            next = hold.isPresent() && !force && !confirmed ? previous.suspect(answer, hold.get(), now) : previous.succeeded(answer, now);
        }
        boolean catalogChanged = !next.served().equals(previous.served()) || previous.status() == ProviderStatus.NEVER
                && next.status() == ProviderStatus.OK;
        MetadataSourceState applied = next;
        if (catalogChanged) {
            sink.catalogChanged(id, applied.served(), tx -> repository.save(tx.handle(), applied));
        } else {
            sink.statusChanged(tx -> repository.saveStatus(tx.handle(), applied));
        }
        states.put(id, applied);
        return view(id);
    }

    private synchronized void done(MetadataSourceConfig source) {
        inFlight.remove(source.id());
        if (closed) return;
        MetadataSourceState state = states.get(source.id());
        if (source.scheduled()) plan(source.id(), clock.instant().plus(delayAfter(source, state)));
        else due.remove(source.id());
    }

    /** The interval after a success; after n failures one minute × 2^(n-1), at most the interval. */
    private static Duration delayAfter(MetadataSourceConfig source, MetadataSourceState state) {
        if (state.status() != ProviderStatus.ERROR || state.consecutiveFailures() == 0 || !source.scheduled()) {
            return source.refreshInterval();
        }
        Duration backoff = FIRST_RETRY.multipliedBy(1L << Math.min(20, state.consecutiveFailures() - 1));
        return backoff.compareTo(source.refreshInterval()) < 0 ? backoff : source.refreshInterval();
    }

    private void plan(String sourceId, Instant when) {
        due.put(sourceId, when);
        if (timer == null) return; // not started: the schedule begins with start()
        long delay = Math.max(0, Duration.between(clock.instant(), when).toMillis());
        timer.schedule(() -> due(sourceId, when), delay, TimeUnit.MILLISECONDS);
    }

    /** A source fell due: the leader fetches it; another instance reads what the leader stored. */
    private void due(String sourceId, Instant planned) {
        if (closed || !planned.equals(due.get(sourceId))) return; // replanned since (a manual refresh)
        if (leadership.term().isPresent()) {
            refresh(sourceId, false).exceptionally(error -> {
                if (!closed) log.warn("metadata source {} refresh failed: {}", sourceId, error.getMessage());
                return null;
            });
            return;
        }
        writer.submit(() -> {
            followStored(sourceId);
            return null;
        }).whenComplete((ignored, error) -> done(sources.get(sourceId)));
    }

    /** On the writer, on an instance that does not lead: takes the row another instance stored. */
    private void followStored(String sourceId) {
        store.withHandle(handle -> repository.find(handle, sourceId)).ifPresent(row -> {
            states.put(sourceId, row);
            catalogs.replace(sourceId, row.served());
        });
    }

    /**
     * In a cluster, on the writer, before models changed by another instance are resolved: takes the catalogs other
     * instances stored since this one last read them (one small query; a catalog is read only when it changed), so
     * every instance resolves from the same catalogs.
     */
    public void catchUp() {
        Map<String, Optional<Instant>> stamps = store.withHandle(repository::successStamps);
        stamps.forEach((sourceId, stamp) -> {
            MetadataSourceState known = states.get(sourceId);
            if (known != null && !known.lastSuccessAt().equals(stamp)) followStored(sourceId);
        });
    }

    private MetadataSourceView view(String sourceId) {
        return new MetadataSourceView(sources.get(sourceId), states.get(sourceId), Optional.ofNullable(due.get(sourceId)));
    }

    /** Cancels the schedule and aborts the fetches under way; nothing more is applied. */
    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) timer.shutdownNow();
        clients.values().forEach(HttpUpstreamClient::close);
        fetchers.shutdownNow();
    }
}
