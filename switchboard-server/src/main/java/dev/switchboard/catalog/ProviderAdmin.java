package dev.switchboard.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.JsonMergePatch;
import dev.switchboard.Problem;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.events.CatalogChanged;
import dev.switchboard.events.ChangeBus;
import dev.switchboard.events.ChangeEvent;
import dev.switchboard.events.EventLog;
import dev.switchboard.events.ProviderChanged;
import dev.switchboard.events.ProviderChanged.Change;
import dev.switchboard.provider.ProviderRegistry;
import dev.switchboard.provider.ProviderRequest;
import dev.switchboard.store.ApiProviderRepository;
import dev.switchboard.store.SnapshotRepository;
import dev.switchboard.store.Store;
import dev.switchboard.store.WriteQueue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Providers managed through the API ({@code source = api}): stored in the database with their credential
 * encrypted, never returned. Each change commits with its event through the one writer; a created or
 * changed provider is refreshed at once, a deleted one takes its models out of the catalog.
 */
public final class ProviderAdmin {
    private final Store store;
    private final ApiProviderRepository repository;
    private final SnapshotRepository snapshots;
    private final EventLog eventLog;
    private final ChangeBus bus;
    private final WriteQueue writer;
    private final ProviderRegistry registry;
    private final CatalogState catalog;
    private final RefreshCoordinator coordinator;
    private final ProviderRequest requests;
    private final ObjectMapper mapper;
    private final Clock clock;

    public ProviderAdmin(Store store, ApiProviderRepository repository, SnapshotRepository snapshots, EventLog eventLog,
                         ChangeBus bus, WriteQueue writer, ProviderRegistry registry, CatalogState catalog,
                         RefreshCoordinator coordinator, ProviderRequest requests, ObjectMapper mapper, Clock clock) {
        this.store = store;
        this.repository = repository;
        this.snapshots = snapshots;
        this.eventLog = eventLog;
        this.bus = bus;
        this.writer = writer;
        this.registry = registry;
        this.catalog = catalog;
        this.coordinator = coordinator;
        this.requests = requests;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** The provider as the API and events show it: settings, never the credential. */
    public ObjectNode describe(ProviderConfig provider) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", provider.id());
        node.put("kind", provider.kind().wireName());
        if (provider.baseUrl() != null) node.put("base_url", provider.baseUrl().toString());
        if (provider.apiBaseUrl() != null) node.put("api_base_url", provider.apiBaseUrl().toString());
        node.put("source", provider.source().wireName());
        node.put("has_credentials", provider.apiKey().isPresent());
        node.set("allowed_models", mapper.valueToTree(provider.allowedModels()));
        node.set("denied_models", mapper.valueToTree(provider.deniedModels()));
        if (!provider.staticModels().isEmpty()) node.set("models", mapper.valueToTree(provider.staticModels()));
        node.set("header_names", mapper.valueToTree(provider.headers().keySet().stream().sorted().toList()));
        return node;
    }

    /** {@code POST /providers}; answers once the first refresh of the new provider ended. */
    public CompletableFuture<ProviderConfig> create(JsonNode body, String actor) {
        ProviderConfig provider = requests.read(body, null, Secret.NONE);
        return writer.submit(() -> save(provider, true)).thenCompose(this::refreshed);
    }

    /** {@code PUT /providers/{id}}: replaces, or creates when absent. The credential is kept unless the body names it. */
    public CompletableFuture<Saved> put(String id, JsonNode body, String actor) {
        ProviderConfig existing = registry.find(id).orElse(null);
        requireApiManaged(existing);
        ProviderConfig provider = requests.read(body, id, existing == null ? Secret.NONE : existing.apiKey());
        return writer.submit(() -> save(provider, false)).thenCompose(saved ->
                refreshed(saved).thenApply(config -> new Saved(config, existing == null)));
    }

    /** {@code PATCH /providers/{id}}: a JSON merge patch on the stored settings. */
    public CompletableFuture<ProviderConfig> patch(String id, JsonNode patch, String actor) {
        ProviderConfig existing = registry.find(id).orElseThrow(() -> notFound(id));
        requireApiManaged(existing);
        if (patch == null || !patch.isObject()) throw new Problem.Invalid("a merge patch must be a JSON object", Map.of());
        ProviderRequest.requireKnownFields(patch);
        ObjectNode base = describe(existing);
        base.remove(List.of("source", "has_credentials", "header_names"));
        base.set("headers", mapper.valueToTree(existing.headers()));
        JsonNode merged = JsonMergePatch.apply(base, patch);
        if (patch.has("api_key") && patch.get("api_key").isNull()) ((ObjectNode) merged).putNull("api_key"); // null removes the credential
        ProviderConfig provider = requests.read(merged, id, existing.apiKey());
        return writer.submit(() -> save(provider, false)).thenCompose(this::refreshed);
    }

    /** {@code DELETE /providers/{id}}: its models leave the catalog; configurations that use it are flagged. */
    public CompletableFuture<Void> delete(String id, String actor) {
        ProviderConfig existing = registry.find(id).orElseThrow(() -> notFound(id));
        requireApiManaged(existing);
        return writer.submit(() -> {
            Catalog before = catalog.current();
            Snapshot snapshot = before.snapshot(id).orElse(Snapshot.never(id));
            List<ChangeEvent> events = store.inTransaction(handle -> {
                repository.delete(handle, id);
                snapshots.delete(handle, id);
                List<ChangeEvent> appended = new ArrayList<>();
                appended.add(eventLog.append(handle, new ProviderChanged(Change.DELETED, id, null, List.of())));
                if (!snapshot.models().isEmpty()) {
                    appended.add(eventLog.append(handle, new CatalogChanged(
                            List.of(CatalogDiff.between(id, snapshot.models(), List.of())), List.of())));
                }
                return appended;
            });
            registry.remove(id);
            Map<String, Snapshot> remaining = new LinkedHashMap<>(before.snapshots());
            remaining.remove(id);
            catalog.replace(new Catalog(events.getLast().revision(), remaining));
            bus.published(events);
            return null;
        });
    }

    /** In a cluster: another instance created, changed or deleted a provider. Runs on the writer, before the catalog follows. */
    public void applyRemote(ChangeEvent event) {
        if (!event.type().startsWith("provider.") || event.type().equals("provider.status_changed")) return;
        String id = event.data().path("provider_id").asText();
        store.withHandle(handle -> repository.find(handle, id)).ifPresentOrElse(registry::put, () -> registry.remove(id));
    }

    /** The outcome of a PUT: the provider and whether it was created. */
    public record Saved(ProviderConfig provider, boolean created) {
    }

    /** Runs on the writer. */
    private ProviderConfig save(ProviderConfig provider, boolean createOnly) {
        ProviderConfig existing = registry.find(provider.id()).orElse(null);
        if (existing != null && (createOnly || existing.source() == ProviderConfig.Source.CONFIG)) {
            throw new Problem.Conflict("already_exists", "provider \"" + provider.id() + "\" already exists"
                    + (existing.source() == ProviderConfig.Source.CONFIG ? " in the config file" : "; use PUT or PATCH to change it"));
        }
        if (Objects.equals(existing, provider)) return provider; // nothing changed
        List<String> changed = existing == null ? List.of() : changedFields(existing, provider);
        ChangeEvent event = store.inTransaction(handle -> {
            repository.upsert(handle, provider, clock.instant());
            return eventLog.append(handle, new ProviderChanged(existing == null ? Change.CREATED : Change.UPDATED,
                    provider.id(), describe(provider), changed));
        });
        registry.put(provider);
        Catalog before = catalog.current();
        Map<String, Snapshot> next = new LinkedHashMap<>(before.snapshots());
        next.putIfAbsent(provider.id(), Snapshot.never(provider.id()));
        catalog.replace(new Catalog(event.revision(), next));
        bus.published(List.of(event));
        return provider;
    }

    /** A new or changed provider is fetched at once; the operator's change wins over the shrink guard. */
    private CompletableFuture<ProviderConfig> refreshed(ProviderConfig provider) {
        return coordinator.refresh(List.of(provider.id()), true, RefreshTrigger.MANUAL, RefreshProgress.NONE)
                .handle((result, error) -> provider);
    }

    private static List<String> changedFields(ProviderConfig before, ProviderConfig after) {
        List<String> changed = new ArrayList<>();
        if (before.kind() != after.kind()) changed.add("kind");
        if (!Objects.equals(before.baseUrl(), after.baseUrl())) changed.add("base_url");
        if (!before.apiKey().value().equals(after.apiKey().value())) changed.add("api_key");
        if (!before.allowedModels().equals(after.allowedModels())) changed.add("allowed_models");
        if (!before.deniedModels().equals(after.deniedModels())) changed.add("denied_models");
        if (!before.staticModels().equals(after.staticModels())) changed.add("models");
        if (!before.headers().equals(after.headers())) changed.add("headers");
        if (!Objects.equals(before.apiBaseUrl(), after.apiBaseUrl())) changed.add("api_base_url");
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
