package dev.switchboard.catalog;

import dev.switchboard.config.CatalogConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.provider.FetchException;
import dev.switchboard.provider.Model;
import dev.switchboard.provider.ModelSource;
import dev.switchboard.provider.ProviderRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.switchboard.store.WriteQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one path through which the catalog changes. Fetches run in parallel (bounded by
 * {@code concurrency}) and are shared between concurrent callers (single flight); applying their
 * results runs on one writer thread, so two refreshes never interleave their writes.
 */
public final class RefreshCoordinator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RefreshCoordinator.class);

    private final ProviderRegistry providers;
    private final ModelSource source;
    private final CatalogApplier applier;
    private final CatalogConfig config;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Semaphore fetchPermits;
    private final ExecutorService fetchers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("switchboard-fetch-", 0).factory());
    private final WriteQueue writer;
    private final Map<String, Flight> flights = new HashMap<>();
    private final AtomicLong fetchIds = new AtomicLong();
    private volatile boolean closed;

    public RefreshCoordinator(ProviderRegistry providers, ModelSource source, CatalogApplier applier, WriteQueue writer,
                              CatalogConfig config, Clock clock, MeterRegistry meters) {
        this.providers = providers;
        this.writer = writer;
        this.source = source;
        this.applier = applier;
        this.config = config;
        this.clock = clock;
        this.meters = meters;
        this.fetchPermits = new Semaphore(config.concurrency());
    }

    /** Refreshes every configured provider. */
    public CompletableFuture<RefreshResult> refreshAll(boolean force, RefreshTrigger trigger, RefreshProgress progress) {
        return refresh(providers.all().stream().map(ProviderConfig::id).toList(), force, trigger, progress);
    }

    /**
     * Fetches the given providers (joining fetches already under way) and applies the answers on the
     * writer thread. Completes exceptionally with {@link dev.switchboard.store.StoreUnavailableException}
     * when the store refuses the write, or with {@link dev.switchboard.store.StoreException.Busy} when the answers
     * could not be applied within the write timeout of their arrival; the catalog is then unchanged.
     */
    public CompletableFuture<RefreshResult> refresh(Collection<String> providerIds, boolean force,
                                                    RefreshTrigger trigger, RefreshProgress progress) {
        return refresh(providerIds, force, trigger, progress, RefreshFence.NONE);
    }

    /**
     * As above, for the schedule: the result is applied only if {@code fence} passes in the transaction that
     * applies it, else the refresh completes with {@link RefreshFence.TermEnded} and changes nothing.
     */
    public CompletableFuture<RefreshResult> refresh(Collection<String> providerIds, boolean force,
                                                    RefreshTrigger trigger, RefreshProgress progress, RefreshFence fence) {
        if (closed) return CompletableFuture.failedFuture(new CancellationException("shutting down"));
        Timer.Sample sample = Timer.start(meters);
        List<String> ids = providerIds.stream().distinct().toList();
        AtomicInteger done = new AtomicInteger();
        List<CompletableFuture<FetchOutcome>> fetches = new ArrayList<>(ids.size());
        for (String id : ids) {
            fetches.add(fetchShared(id, trigger == RefreshTrigger.MANUAL).whenComplete((outcome, error) ->
                    progress.fetched(id, done.incrementAndGet(), ids.size())));
        }
        return CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new))
                .thenCompose(ignored -> writer.submit(() -> apply(fetches, force, fence)))
                .whenComplete((result, error) -> sample.stop(Timer.builder("switchboard.refresh.duration")
                        .description("Refreshes from the first fetch to the applied result, by trigger and outcome")
                        .tags("trigger", trigger.tag(), "outcome", error == null ? "ok" : "error").register(meters)));
    }

    /**
     * On the writer. Shutdown aborts fetches, and an aborted fetch is not a failure of its provider: once
     * closing, nothing is applied (no snapshot, no status event), and the callers hear "shutting down".
     * {@code closed} is set before any fetch is aborted, so an outcome of the abort is never applied.
     */
    private RefreshResult apply(List<CompletableFuture<FetchOutcome>> fetches, boolean force, RefreshFence fence) {
        if (closed) throw new CancellationException("shutting down");
        return applier.apply(fetches.stream().map(CompletableFuture::join).toList(), force, fence);
    }

    /** True while a fetch for this provider is under way (single flight holds it). */
    public boolean isFetching(String providerId) {
        synchronized (flights) {
            return flights.containsKey(providerId);
        }
    }

    /**
     * Single flight per provider. A caller that needs an answer newer than its own request (a manual
     * refresh) does not take a fetch that was already under way: it waits for the next one, which all
     * such callers share, so a burst of refreshes costs at most two upstream calls.
     */
    private CompletableFuture<FetchOutcome> fetchShared(String providerId, boolean fresh) {
        synchronized (flights) {
            Flight flight = flights.get(providerId);
            if (flight == null) {
                flight = new Flight(new CompletableFuture<>());
                flights.put(providerId, flight);
                launch(providerId, flight.current);
                return flight.current;
            }
            if (!fresh) return flight.current;
            if (flight.next == null) flight.next = new CompletableFuture<>();
            return flight.next;
        }
    }

    private void launch(String providerId, CompletableFuture<FetchOutcome> outcome) {
        try {
            fetchers.execute(() -> {
                FetchOutcome result = fetch(providerId);
                landed(providerId);
                outcome.complete(result);
            });
        } catch (RejectedExecutionException e) {
            synchronized (flights) {
                flights.remove(providerId);
            }
            outcome.completeExceptionally(new CancellationException("shutting down"));
        }
    }

    /** A fetch ended: start the queued one, if callers are waiting for a fresher answer. */
    private void landed(String providerId) {
        synchronized (flights) {
            Flight flight = flights.get(providerId);
            if (flight.next == null) {
                flights.remove(providerId);
                return;
            }
            flight.current = flight.next;
            flight.next = null;
            launch(providerId, flight.current);
        }
    }

    /** The fetch under way for one provider and the one queued behind it. Guarded by {@code flights}. */
    private static final class Flight {
        CompletableFuture<FetchOutcome> current;
        CompletableFuture<FetchOutcome> next;

        Flight(CompletableFuture<FetchOutcome> current) {
            this.current = current;
        }
    }

    private FetchOutcome fetch(String providerId) {
        long fetchId = fetchIds.incrementAndGet();
        Instant start = clock.instant();
        try {
            fetchPermits.acquire();
            try {
                ProviderConfig provider = providers.find(providerId)
                        .orElseThrow(() -> new FetchException("provider is not configured"));
                List<Model> models = source.listModels(provider, clock.instant().plus(config.refreshDeadline()));
                if (models.size() > config.maxModels()) {
                    throw new FetchException("upstream listed " + models.size() + " models, over the max_models cap of "
                            + config.maxModels());
                }
                return new FetchOutcome.Fetched(fetchId, providerId, models, Duration.between(start, clock.instant()));
            } finally {
                fetchPermits.release();
            }
        } catch (FetchException e) {
            fetchFailures(providerId).increment();
            return new FetchOutcome.Failed(fetchId, providerId, e.getMessage(), Duration.between(start, clock.instant()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FetchOutcome.Failed(fetchId, providerId, "cancelled: shutting down", Duration.between(start, clock.instant()));
        } catch (RuntimeException e) {
            log.error("fetch of provider {} failed unexpectedly", providerId, e);
            fetchFailures(providerId).increment();
            return new FetchOutcome.Failed(fetchId, providerId, "internal error: " + e.getClass().getSimpleName(),
                    Duration.between(start, clock.instant()));
        }
    }

    /** Registered at first use; {@link ProviderGauges} removes it with its provider. */
    private Counter fetchFailures(String providerId) {
        return Counter.builder("switchboard.fetch.failures").description("Failed fetches of a provider's model list")
                .tag("provider", providerId).register(meters);
    }

    /**
     * Stops taking work and aborts in-flight fetches (their threads are interrupted). Refreshes under way
     * complete with {@link CancellationException} and apply nothing; one already applying on the writer
     * finishes (its answers came before shutdown).
     */
    @Override
    public void close() {
        closed = true;
        fetchers.shutdownNow();
    }
}
