package dev.switchboard.catalog;

import dev.switchboard.events.CatalogChanged;
import dev.switchboard.events.Commits;
import dev.switchboard.events.ChangeData;
import dev.switchboard.events.ChangeEvent;
import dev.switchboard.events.EventLog;
import dev.switchboard.events.ProviderDiff;
import dev.switchboard.events.ProviderFailure;
import dev.switchboard.events.ProviderStatusChanged;
import dev.switchboard.events.RemoteChange;
import dev.switchboard.provider.Model;
import dev.switchboard.provider.ProviderRegistry;
import dev.switchboard.store.Store;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns fetch outcomes into the next catalog: diff, shrink guard, last-known-good on failure, then one
 * transaction that stores the snapshots and appends the events, then the in-memory swap. Runs only on
 * the coordinator's writer thread, and at start-up before that thread exists.
 */
public final class CatalogApplier {
    private final CatalogState state;
    private final Commits commits;
    private final Store store;
    private final SnapshotRepository snapshots;
    private final ShrinkGuard shrinkGuard;
    private final Clock clock;
    private final MetadataResolution resolution;
    /** The classification of the last fetch applied per provider, reused when a shared fetch comes again. */
    private final Map<String, Applied> lastApplied = new HashMap<>();

    public CatalogApplier(CatalogState state, Commits commits, Store store, SnapshotRepository snapshots,
                          double shrinkGuard, Clock clock, MetadataResolution resolution) {
        this.state = state;
        this.commits = commits;
        this.store = store;
        this.snapshots = snapshots;
        this.shrinkGuard = new ShrinkGuard(shrinkGuard);
        this.clock = clock;
        this.resolution = resolution;
    }

    /**
     * Loads the persisted catalog for the configured providers, pruning snapshots of providers that are
     * gone from the configuration (their models leave the catalog with an event).
     */
    public static Catalog load(Store store, SnapshotRepository snapshots, EventLog eventLog, ProviderRegistry providers,
                               MetadataResolution resolution) {
        return store.inTransaction(handle -> {
            Map<String, Snapshot> stored = new HashMap<>();
            for (Snapshot snapshot : snapshots.loadAll(handle)) stored.put(snapshot.providerId(), snapshot);
            List<ProviderDiff> removed = new ArrayList<>();
            for (String gone : snapshots.deleteAllExcept(handle, providers.ids())) {
                Snapshot old = stored.get(gone);
                if (!old.models().isEmpty()) removed.add(CatalogDiff.between(gone, old.models(), List.of()));
            }
            if (!removed.isEmpty()) eventLog.append(handle, new CatalogChanged(removed, List.of()));
            Map<String, Snapshot> ordered = new LinkedHashMap<>();
            for (var provider : providers.all()) {
                ordered.put(provider.id(), resolution.resolve(stored.getOrDefault(provider.id(), Snapshot.never(provider.id()))));
            }
            return new Catalog(eventLog.currentRevision(handle), ordered);
        });
    }

    /**
     * In a cluster: another instance changed providers' snapshots (a refresh, a status change, a provider edit).
     * Reloads those snapshots so this instance serves what the store holds. Runs on the writer.
     */
    public void applyRemote(RemoteChange change, ProviderRegistry providers) {
        List<String> ids = switch (change) {
            case RemoteChange.CatalogMoved moved -> moved.providerIds();
            case RemoteChange.ProviderEdited edited -> List.of(edited.providerId());
            case RemoteChange.ConfigEdited edited -> null;
            case RemoteChange.Unknown unknown -> null;
        };
        if (ids == null) return;
        Catalog current = state.current();
        Map<String, Snapshot> known = new HashMap<>(current.snapshots());
        store.withHandle(handle -> {
            for (String id : ids) {
                known.put(id, resolution.resolve(snapshots.find(handle, id).orElse(Snapshot.never(id))));
            }
            return null;
        });
        Map<String, Snapshot> ordered = new LinkedHashMap<>();
        for (var provider : providers.all()) ordered.put(provider.id(), known.getOrDefault(provider.id(), Snapshot.never(provider.id())));
        state.replace(new Catalog(change.revision(), ordered));
        for (String id : ids) lastApplied.remove(id); // fetches applied here before are older than the store now
    }

    /**
     * In a cluster: another instance saved these providers' status without an event (a refresh that changed no
     * model, a repeated failure). Takes the stored times, error, failure count and held answer, so that every
     * instance shows the same status and follows the same schedule. Models change only through events, in
     * revision order: a row whose models this instance has not caught up with yet is left to that catch-up.
     * The revision stays. Runs on the writer.
     *
     * @param providerIds the providers to re-read; empty to re-read all (notifications may have been missed)
     */
    public void applyRemoteStatus(Optional<Set<String>> providerIds) {
        Catalog current = state.current();
        List<Snapshot> stored = store.withHandle(handle -> providerIds.isEmpty() ? snapshots.loadAll(handle)
                : providerIds.get().stream().flatMap(id -> snapshots.find(handle, id).stream()).toList());
        Map<String, Snapshot> next = new LinkedHashMap<>(current.snapshots());
        boolean changed = false;
        for (Snapshot row : stored) {
            Snapshot known = next.get(row.providerId());
            if (known == null || !sameUpstreamAnswers(known.models(), row.models())) continue;
            Snapshot resolved = row.withModels(known.models()); // the same answers, already resolved here
            if (known.equals(resolved)) continue;
            next.put(row.providerId(), resolved);
            lastApplied.remove(row.providerId()); // as in applyRemote: the store is newer than fetches applied here
            changed = true;
        }
        if (changed) state.replace(new Catalog(current.revision(), next));
    }

    /**
     * Runs on the writer. Under the revision lock, with what other instances committed applied first, so that the
     * answers are diffed against the catalog every instance serves, not against a memory one notification behind.
     *
     * @param fence checked in the transaction before anything is written (a scheduled refresh's term)
     */
    RefreshResult apply(List<FetchOutcome> outcomes, boolean force, RefreshFence fence) {
        Commits.Committed<Plan> committed = commits.commit(fence::check, tx -> {
            Catalog current = state.current();
            Plan plan = plan(outcomes, force, current);
            write(tx, current, plan);
            return Commits.Outcome.of(plan, events -> swap(current, plan, events));
        });
        return committed.value().result(committed.revision());
    }

    private Plan plan(List<FetchOutcome> outcomes, boolean force, Catalog current) {
        // the precision the store keeps, so every instance of a cluster shows the same times
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Plan plan = new Plan();
        for (FetchOutcome outcome : outcomes) {
            Optional<Snapshot> previous = current.snapshot(outcome.providerId());
            if (previous.isEmpty()) continue; // removed while its fetch ran
            Applied earlier = lastApplied.get(outcome.providerId());
            // A fetch already applied (shared by several refreshes) or older than one applied (its refresh
            // waited on slower providers) must not be applied again: report what the newest one did.
            boolean alreadyApplied = earlier != null && outcome.fetchId() <= earlier.fetchId();
            boolean forceHeldAnswer = force && earlier != null && earlier.fetchId() == outcome.fetchId()
                    && earlier.kind() == Applied.Kind.SUSPECT;
            if (alreadyApplied && !forceHeldAnswer) {
                plan.reuse(earlier);
                continue;
            }
            classify(outcome, previous.get(), force, now, plan);
        }
        return plan;
    }

    private void classify(FetchOutcome outcome, Snapshot previous, boolean force, Instant now, Plan plan) {
        String id = outcome.providerId();
        switch (outcome) {
            case FetchOutcome.Failed failed -> {
                Snapshot next = previous.failed(failed.reason(), now);
                plan.record(outcome, next, new Applied(failed.fetchId(), Applied.Kind.FAILED, null,
                        new ProviderFailure(id, failed.reason()), null));
                if (previous.status() != ProviderStatus.ERROR) {
                    plan.statusChanges.add(new ProviderStatusChanged(id, previous.status().wireName(), "error", failed.reason()));
                }
            }
            case FetchOutcome.Fetched fetched -> {
                Optional<String> hold = shrinkGuard.check(previous.models(), fetched.models());
                boolean confirmed = ShrinkGuard.confirms(previous, fetched.models());
                if (hold.isPresent() && !force && !confirmed) {
                    Snapshot next = previous.suspect(fetched.models(), hold.get(), now);
                    plan.record(outcome, next, new Applied(fetched.fetchId(), Applied.Kind.SUSPECT, null, null,
                            new RefreshResult.SuspectProvider(id, previous.models().size(), fetched.models().size(), hold.get())));
                    if (previous.status() != ProviderStatus.SUSPECT) {
                        plan.statusChanges.add(new ProviderStatusChanged(id, previous.status().wireName(), "suspect", hold.get()));
                    }
                    return;
                }
                List<Model> served = resolution.resolve(id, fetched.models());
                ProviderDiff diff = CatalogDiff.between(id, previous.models(), served);
                Snapshot next = previous.succeeded(served, now);
                plan.record(outcome, next, new Applied(fetched.fetchId(),
                        diff.isEmpty() ? Applied.Kind.UNCHANGED : Applied.Kind.CHANGED, diff, null, null));
                if (previous.status() == ProviderStatus.ERROR || previous.status() == ProviderStatus.SUSPECT) {
                    String reason = previous.status() == ProviderStatus.SUSPECT
                            ? (force ? "forced refresh applied the held answer" : "next fetch confirmed the held answer")
                            : "fetch succeeded";
                    plan.statusChanges.add(new ProviderStatusChanged(id, previous.status().wireName(), "ok", reason));
                }
            }
        }
    }

    private static boolean sameUpstreamAnswers(List<Model> a, List<Model> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).sameUpstreamAnswer(b.get(i))) return false;
        }
        return true;
    }

    /** Stores the plan's snapshots and appends its events, in the apply's transaction. */
    private void write(Commits.Transaction tx, Catalog current, Plan plan) {
        if (plan.next.isEmpty()) return;
        List<ChangeData> changes = new ArrayList<>();
        List<ProviderDiff> changed = plan.applied.stream().filter(a -> a.kind() == Applied.Kind.CHANGED)
                .map(Applied::diff).toList();
        List<ProviderFailure> failed = plan.applied.stream().filter(a -> a.kind() == Applied.Kind.FAILED)
                .map(Applied::failure).toList();
        if (!changed.isEmpty()) changes.add(new CatalogChanged(changed, failed));
        changes.addAll(plan.statusChanges);

        for (Snapshot snapshot : plan.next.values()) {
            Snapshot before = current.snapshot(snapshot.providerId()).orElseThrow();
            boolean modelsChanged = !sameUpstreamAnswers(before.models(), snapshot.models()) || !before.pending().equals(snapshot.pending());
            if (modelsChanged || before.status() == ProviderStatus.NEVER) snapshots.save(tx.handle(), snapshot);
            else snapshots.saveStatus(tx.handle(), snapshot);
        }
        for (ChangeData change : changes) tx.append(change);
        // a refresh that changed nothing appends no event, yet the other instances must show its times
        tx.announceStatus(plan.next.keySet());
    }

    /** After the commit, before the events are published: the in-memory swap. */
    private void swap(Catalog current, Plan plan, List<ChangeEvent> events) {
        if (!plan.next.isEmpty()) state.replace(current.with(plan.next, events));
        for (Applied applied : plan.applied) lastApplied.put(applied.providerId(), applied);
    }

    /** What one fetch did to its provider, kept so a shared fetch is applied once and reported alike. */
    private record Applied(long fetchId, Kind kind, ProviderDiff diff, ProviderFailure failure,
                           RefreshResult.SuspectProvider suspect) {
        enum Kind {CHANGED, UNCHANGED, FAILED, SUSPECT}

        String providerId() {
            return switch (kind) {
                case CHANGED, UNCHANGED -> diff.providerId();
                case FAILED -> failure.providerId();
                case SUSPECT -> suspect.providerId();
            };
        }
    }

    /** The next snapshots and the outcome of each provider in one apply. */
    private static final class Plan {
        final Map<String, Snapshot> next = new LinkedHashMap<>();
        final List<Applied> applied = new ArrayList<>();
        final List<Applied> inOrder = new ArrayList<>();
        final List<ProviderStatusChanged> statusChanges = new ArrayList<>();

        void record(FetchOutcome outcome, Snapshot snapshot, Applied result) {
            next.put(outcome.providerId(), snapshot);
            applied.add(result);
            inOrder.add(result);
        }

        void reuse(Applied earlier) {
            inOrder.add(earlier);
        }

        RefreshResult result(long revision) {
            return new RefreshResult(revision,
                    inOrder.stream().filter(a -> a.kind() == Applied.Kind.CHANGED).map(Applied::diff).toList(),
                    inOrder.stream().filter(a -> a.kind() == Applied.Kind.UNCHANGED).map(Applied::providerId).toList(),
                    inOrder.stream().filter(a -> a.kind() == Applied.Kind.FAILED).map(Applied::failure).toList(),
                    inOrder.stream().filter(a -> a.kind() == Applied.Kind.SUSPECT).map(Applied::suspect).toList());
        }
    }
}
