package dev.switchboard.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.JsonMergePatch;
import dev.switchboard.Problem;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.events.CatalogChanged;
import dev.switchboard.events.Commits;
import dev.switchboard.events.RemoteChange;
import dev.switchboard.events.ProviderChanged;
import dev.switchboard.events.ProviderDiff;
import dev.switchboard.events.ProviderChanged.Change;
import dev.switchboard.provider.ProviderRegistry;
import dev.switchboard.store.Store;
import dev.switchboard.store.WriteQueue;
import dev.switchboard.store.WriteTicket;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Providers managed through the API ({@code source = api}): stored in the database with their credential
 * encrypted, never returned. Each change commits with its event through the one writer; a created or
 * changed provider is refreshed at once, a deleted one takes its models out of the catalog.
 */
public final class ProviderAdmin {
    private final Store store;
    private final ApiProviderRepository repository;
    private final SnapshotRepository snapshots;
    private final Commits commits;
    private final WriteQueue writer;
    private final ProviderRegistry registry;
    private final CatalogState catalog;
    private final RefreshCoordinator coordinator;
    private final ProviderJson requests;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final MetadataResolution resolution;

    public ProviderAdmin(Store store, ApiProviderRepository repository, SnapshotRepository snapshots, Commits commits,
                         WriteQueue writer, ProviderRegistry registry, CatalogState catalog,
                         RefreshCoordinator coordinator, ProviderJson requests, ObjectMapper mapper, Clock clock,
                         MetadataResolution resolution) {
        this.store = store;
        this.repository = repository;
        this.snapshots = snapshots;
        this.commits = commits;
        this.writer = writer;
        this.registry = registry;
        this.catalog = catalog;
        this.coordinator = coordinator;
        this.requests = requests;
        this.mapper = mapper;
        this.clock = clock;
        this.resolution = resolution;
    }

    /** The provider as the API and events show it: settings, never the credential. */
    public ObjectNode describe(ProviderConfig provider) {
        return requests.describe(provider);
    }

    /** {@code POST /providers}; answers once the first refresh of the new provider ended. */
    public CompletableFuture<ProviderConfig> create(JsonNode body, String actor, WriteTicket ticket) {
        ProviderConfig provider = requests.read(body, null, Secret.NONE);
        return writer.submit(ticket, () -> save(provider.id(), existing -> provider, true))
                .thenCompose(saved -> refreshed(saved.provider(), ticket));
    }

    /** {@code PUT /providers/{id}}: replaces, or creates when absent. The credential is kept unless the body names it. */
    public CompletableFuture<Saved> put(String id, JsonNode body, String actor, WriteTicket ticket) {
        ProviderConfig known = registry.find(id).orElse(null);
        requireApiManaged(known);
        requests.read(body, id, known == null ? Secret.NONE : known.apiKey()); // a bad body is refused before queueing
        return writer.submit(ticket, () -> save(id, existing -> {
            requireApiManaged(existing);
            return requests.read(body, id, existing == null ? Secret.NONE : existing.apiKey());
        }, false)).thenCompose(saved -> refreshed(saved.provider(), ticket).thenApply(config -> new Saved(config, saved.created())));
    }

    /** {@code PATCH /providers/{id}}: a JSON merge patch on the stored settings. */
    public CompletableFuture<ProviderConfig> patch(String id, JsonNode patch, String actor, WriteTicket ticket) {
        if (patch == null || !patch.isObject()) throw new Problem.Invalid("a merge patch must be a JSON object", Map.of());
        requests.requireKnownFields(patch);
        // this instance may not know yet a provider another one just created: the write decides, once caught up
        registry.find(id).ifPresent(known -> {
            requireApiManaged(known);
            patched(known, patch); // a bad patch is refused before queueing
        });
        return writer.submit(ticket, () -> save(id, existing -> {
            if (existing == null) throw notFound(id);
            requireApiManaged(existing);
            return patched(existing, patch);
        }, false)).thenCompose(saved -> refreshed(saved.provider(), ticket));
    }

    private ProviderConfig patched(ProviderConfig existing, JsonNode patch) {
        ObjectNode base = describe(existing);
        base.remove(List.of("source", "has_credentials", "header_names"));
        base.set("headers", mapper.valueToTree(existing.headers()));
        JsonNode merged = JsonMergePatch.apply(base, patch);
        if (patch.has("api_key") && patch.get("api_key").isNull()) ((ObjectNode) merged).putNull("api_key"); // null removes the credential
        return requests.read(merged, existing.id(), existing.apiKey());
    }

    /** {@code DELETE /providers/{id}}: its models leave the catalog; configurations that use it are flagged. */
    public CompletableFuture<Void> delete(String id, String actor, WriteTicket ticket) {
        registry.find(id).ifPresent(ProviderAdmin::requireApiManaged);
        return writer.submit(ticket, () -> {
            commits.commit(tx -> {
                // the provider as every instance left it
                requireApiManaged(registry.find(id).orElseThrow(() -> notFound(id)));
                Catalog before = catalog.current();
                Snapshot snapshot = before.snapshot(id).orElse(Snapshot.never(id));
                repository.delete(tx.handle(), id);
                snapshots.delete(tx.handle(), id);
                tx.append(new ProviderChanged(Change.DELETED, id, null, List.of()));
                if (!snapshot.models().isEmpty()) {
                    tx.append(new CatalogChanged(List.of(CatalogDiff.between(id, snapshot.models(), List.of())), List.of()));
                }
                return Commits.Outcome.of(null, events -> {
                    registry.remove(id);
                    Map<String, Snapshot> remaining = new LinkedHashMap<>(before.snapshots());
                    remaining.remove(id);
                    catalog.replace(new Catalog(events.getLast().revision(), remaining));
                });
            });
            return null;
        });
    }

    /** In a cluster: another instance created, changed or deleted a provider. Runs on the writer, before the catalog follows. */
    public void applyRemote(RemoteChange change) {
        if (!(change instanceof RemoteChange.ProviderEdited edited)) return;
        String id = edited.providerId();
        store.withHandle(handle -> repository.find(handle, id)).ifPresentOrElse(registry::put, () -> registry.remove(id));
    }

    /** The outcome of a PUT: the provider and whether it was created. */
    public record Saved(ProviderConfig provider, boolean created) {
    }

    /**
     * Runs on the writer: under the revision lock, with what other instances committed applied first, makes the
     * provider {@code next} computes from the existing one (null when there is none) and commits it.
     */
    private Saved save(String id, Function<ProviderConfig, ProviderConfig> next, boolean createOnly) {
        return commits.commit(tx -> {
            ProviderConfig existing = registry.find(id).orElse(null);
            if (existing != null && (createOnly || existing.source() == ProviderConfig.Source.CONFIG)) {
                throw new Problem.Conflict("already_exists", "provider \"" + id + "\" already exists"
                        + (existing.source() == ProviderConfig.Source.CONFIG ? " in the config file" : "; use PUT or PATCH to change it"));
            }
            ProviderConfig provider = next.apply(existing);
            if (Objects.equals(existing, provider)) return Commits.Outcome.unchanged(new Saved(provider, false)); // nothing changed
            List<String> changed = existing == null ? List.of() : changedFields(existing, provider);
            repository.upsert(tx.handle(), provider, clock.instant());
            tx.append(new ProviderChanged(existing == null ? Change.CREATED : Change.UPDATED, provider.id(), describe(provider), changed));
            // metadata set in the provider shows at once, with its event, whatever its next fetch finds
            Catalog before = catalog.current();
            Snapshot served = before.snapshot(provider.id()).orElse(Snapshot.never(provider.id()));
            Snapshot resolved = served.withModels(resolution.resolve(provider, served.models()));
            ProviderDiff diff = CatalogDiff.between(provider.id(), served.models(), resolved.models());
            if (!diff.isEmpty()) tx.append(new CatalogChanged(List.of(diff), List.of()));
            return Commits.Outcome.of(new Saved(provider, existing == null), events -> {
                registry.put(provider);
                Map<String, Snapshot> withProvider = new LinkedHashMap<>(catalog.current().snapshots());
                withProvider.put(provider.id(), resolved);
                catalog.replace(new Catalog(events.getLast().revision(), withProvider));
            });
        }).value();
    }

    /**
     * A new or changed provider is fetched at once; the operator's change wins over the shrink guard. The answer
     * shows what the fetch found, so the request's revision is the refresh's.
     */
    private CompletableFuture<ProviderConfig> refreshed(ProviderConfig provider, WriteTicket ticket) {
        return coordinator.refresh(List.of(provider.id()), true, RefreshTrigger.MANUAL, RefreshProgress.NONE)
                .handle((result, error) -> {
                    if (result != null) ticket.applied(result.revision());
                    return provider;
                });
    }

    private static List<String> changedFields(ProviderConfig before, ProviderConfig after) {
        List<String> changed = new ArrayList<>();
        if (before.kind() != after.kind()) changed.add("kind");
        if (!Objects.equals(before.baseUrl(), after.baseUrl())) changed.add("base_url");
        if (!before.apiKey().value().equals(after.apiKey().value())) changed.add("api_key");
        if (!before.allowedModels().equals(after.allowedModels())) changed.add("allowed_models");
        if (!before.deniedModels().equals(after.deniedModels())) changed.add("denied_models");
        if (!before.staticModels().equals(after.staticModels()) || !before.modelMetadata().equals(after.modelMetadata())) {
            changed.add("models");
        }
        if (!before.headers().equals(after.headers())) changed.add("headers");
        if (!Objects.equals(before.apiBaseUrl(), after.apiBaseUrl())) changed.add("api_base_url");
        if (!Objects.equals(before.metadataProvider(), after.metadataProvider())) changed.add("metadata_provider");
        return changed;
    }

    private static void requireApiManaged(ProviderConfig provider) {
        if (provider != null && provider.source() == ProviderConfig.Source.CONFIG) {
            throw new Problem.Conflict("read_only_provider", "provider \"" + provider.id()
                    + "\" comes from the config file; change it there (only source=api providers change through the API)");
        }
    }

    private static Problem.NotFound notFound(String id) {
        return new Problem.NotFound("provider_not_found", "no provider \"" + id + "\"");
    }
}
